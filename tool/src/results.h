// The C simulation's test vectors and results (kml-convert testdata / results).
#pragma once
#include <cstddef>
#include <string>

namespace kml {

// Write the x* datasets of a reference .io.h5 as testbench input lines.
void write_testdata(const std::string& io_h5, const std::string& manifest, const std::string& out);

struct ResultsSummary {
  std::size_t samples = 0;
  double max_abs_error = -1;  // < 0 when there is no reference
  double mean_abs_error = -1;
  double argmax_agreement = -1;  // fraction of samples whose argmax of y0 matches the reference
  double max_scaled_error = -1;  // max over elements of |y - ref| / max(1, |ref|)
  std::size_t mismatches = 0;    // elements whose float32 value differs from the reference
  std::size_t elements = 0;
};
// Testbench output lines -> csim_results.h5 (y*, trace/<layer>), compared against reference y* if given.
ResultsSummary write_results(const std::string& manifest, const std::string& results, const std::string& reference,
                             const std::string& trace_dir, const std::string& out);

}  // namespace kml
