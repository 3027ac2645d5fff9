// The converter's use cases, callable from the CLI and from tests.
#pragma once
#include <string>

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
  bool fuse_batchnorm = true;
  bool timings = false;  // print the time spent in each stage to stderr
  const project::Options* project = nullptr;  // configuration overrides, standalone project
};

// file -> IR -> passes -> emitters, written atomically into out_dir. Throws kml::Error.
void convert(const ConvertOptions& o);

}  // namespace kml
