// The converter's use cases, callable from the CLI and from tests.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "config/config.h"
#include "readers/keras_model.h"

namespace kml {

namespace project {
struct Options;  // --set and --standalone (project/project.h)
}

struct ConvertOptions {
  std::string model;
  std::string weights;  // for a JSON architecture
  std::string config;   // TOML, optional
  std::string out_dir;
  std::string name;     // default: the model file's stem
  std::string depfile;  // optional Ninja depfile
  std::string backend = "hls";  // emit::BackendRegistry name of the code generator
  std::vector<std::string> skip_passes;    // passes::Options::skip (--skip-pass, --no-fuse-batchnorm)
  std::vector<std::string> dump_ir_after;  // passes::Options::dump_after, printed to stdout (--dump-ir-after)
  std::vector<std::string> other_inputs;  // files the conversion reads besides these (plugins): -o must spare them
  bool timings = false;  // print the time spent in each stage to stderr
  const project::Options* project = nullptr;  // configuration overrides, standalone project
};

// What every use of a model starts with (convert, profile): the configuration (file + --set overrides) and the model
// read into the IR and transformed by the passes (o.model, o.weights, o.config, o.skip_passes, o.dump_ir_after,
// o.project's --set). Errors name the file.
struct LoadedModel {
  Config cfg;
  readers::ReadResult read;
  std::chrono::steady_clock::time_point read_done;  // when reading ended and the passes began
};
LoadedModel load_model(const ConvertOptions& o);

// file -> IR -> passes -> emitters, written atomically into out_dir. Throws kml::Error.
void convert(const ConvertOptions& o);

}  // namespace kml
