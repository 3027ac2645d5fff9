// Shared pieces of kml's libFuzzer targets (tests/fuzz/README.md): a private scratch folder per fuzzing
// process, writing the input bytes to a file in it, and running the converter on it as the CLI does.
//
// What counts as a finding besides what the sanitizers and libFuzzer catch (crashes, leaks, timeouts,
// allocations past -malloc_limit_mb): an exception other than kml::Error (a raw library message reaching the
// user), and a failed conversion that leaves anything behind next to its output folder.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "convert.h"

namespace kml::fuzz {

// The process's scratch folder (created on first use under $TMPDIR, removed at exit).
const std::string& scratch();

// Writes `size` bytes to scratch()/name and returns the path.
std::string write_input(const std::string& name, const uint8_t* data, size_t size);

// Converts `o` (its out_dir is set to a folder in scratch()); returns true when the conversion succeeded.
// Aborts on a finding (see above); removes the output so that the next input starts clean.
bool convert_clean(ConvertOptions o);

// Writes the bytes to scratch()/file_name and converts that file as the model (project name "fuzzed").
void convert_model_bytes(const std::string& file_name, const uint8_t* data, size_t size);

// The file named by environment variable `var` (set by the fuzz CTests); aborts with a message when unset.
std::string env_file(const char* var);

}  // namespace kml::fuzz
