// The C simulation's test vectors and results (kml-convert testdata / results).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "io/hdf5.h"

namespace kml {

// True for a .npy file name (test data given as numpy arrays).
bool is_npy(const std::string& path);
// The model inputs of the test data: the x0, x1, ... datasets of one .io.h5 file, or one .npy file per model input
// (model input order), each batch first. Errors name the file.
std::vector<h5::Array> read_inputs(const std::vector<std::string>& files, const std::string& manifest);
// Write the test data's inputs as testbench input lines.
void write_testdata(const std::vector<std::string>& files, const std::string& manifest, const std::string& out);

// One layer of the layer-by-layer comparison with the reference's trace/<layer>.
struct LayerCompare {
  std::string layer;        // the name in csim_results.h5 and the reference (a Keras layer name)
  std::string node;         // the IR node traced
  std::string keras_class;  // e.g. Dense
  std::string type;         // its result type
  double lsb = 0;           // of that type (0: floating point)
  double max_abs_error = 0, mean_abs_error = 0;
  double relative_error = 0;    // max |y - ref| / max |ref| over the layer
  double max_scaled_error = 0;  // max |y - ref| / max(1, |ref|): what --trace-tolerance checks
  double max_error_lsb = -1;    // max |y - ref| in LSBs of the type (< 0: floating point)
  std::size_t mismatches = 0, elements = 0;
  std::string note;  // why it was not compared (shape), else empty
};

struct ResultsSummary {
  std::size_t samples = 0;
  double max_abs_error = -1;  // < 0 when there is no reference
  double mean_abs_error = -1;
  double argmax_agreement = -1;  // fraction of samples whose argmax of y0 matches the reference
  double max_scaled_error = -1;  // max over elements of |y - ref| / max(1, |ref|)
  std::size_t mismatches = 0;    // elements whose float32 value differs from the reference
  std::size_t elements = 0;
  bool has_reference = false;    // the reference file holds y* (an inputs-only file does not)
  std::string output_type;       // the type of output 0
  double max_error_lsb = -1;     // max |y - ref| in LSBs of its output's type (< 0: float outputs / no reference)
  std::vector<LayerCompare> layers;  // layer by layer, graph order (reference with trace/<layer>, traced nodes)
  std::string first_past_lsb;    // the first layer whose max error exceeds one LSB of its type, else empty
};
// Testbench output lines -> csim_results.h5 (y*, trace/<layer>), compared against reference y* if given.
ResultsSummary write_results(const std::string& manifest, const std::string& results, const std::string& reference,
                             const std::string& trace_dir, const std::string& out);

// The layer-by-layer comparison as a text table (empty without compared layers).
std::string format_compare_table(const ResultsSummary& s);

}  // namespace kml
