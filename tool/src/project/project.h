// What kml-convert adds around the conversion itself for the CMake layer's portable projects and scans:
//   --set KEY=VALUE   overrides of the TOML configuration (what kml_add_fpga_scan varies per point)
//   --standalone      a self-contained HLS project: the kml headers it includes, test vectors, vendor
//                     scripts with relative paths only, and a README (see standalone.cpp)
//   results --summary the C simulation's figures as JSON, for kml-report
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace kml {

struct Config;
struct ResultsSummary;

namespace project {

struct Options {
  std::vector<std::string> set;  // KEY=VALUE: a [model] key, or a full path model.K / layer.N.K / layer_type.T.K

  bool standalone = false;
  std::vector<std::string> test_data;  // .io.h5 or one .npy per input: the inputs become tb_data/inputs.dat
  std::string csim_outputs;   // C simulation outputs (testbench format) -> tb_data/csim_outputs.dat
  std::string part;           // overrides of the config's part / clock period for the vendor scripts
  std::string clock_period;
  std::string hls_cflags = "-std=c++14";
  std::vector<std::string> template_dirs;  // extra HLS template directories (custom layers), copied too
  std::string kml_templates;  // kml's templates/ directory (default: found next to the executable)
  std::string kml_runtime;    // kml's runtime include directory (default: found next to the executable)
};

// Adds --set, --standalone and the standalone project's options to the `convert` subcommand.
void add_convert_options(CLI::App* convert, Options& o);

// The configuration file (or the defaults when `path` is empty) with the --set overrides applied.
// Errors in the file itself name the file and line; a bad override names the override.
Config load_config(const std::string& path, const Options* o);

// Completes a freshly generated project directory into a standalone one (o.standalone).
void write_standalone(const std::filesystem::path& dir, const Options& o);

// `kml-convert results --summary F`: the summary as JSON (written atomically).
void write_summary(const ResultsSummary& s, const std::string& reference, const std::string& path);

}  // namespace project
}  // namespace kml
