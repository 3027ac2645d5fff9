// `kml-convert config MODEL`: the complete configuration kml resolves for a model, as TOML ready to edit
// (hls4ml's config_from_keras_model). Converting with the printed file gives the same project.
#pragma once
#include <string>

namespace kml {

struct SkeletonOptions {
  std::string model;
  std::string weights;               // for a JSON architecture
  std::string config;                // optional TOML whose settings are resolved in
  std::string granularity = "name";  // "model" | "type" | "name"
  bool fuse_batchnorm = true;
};

// The TOML text. Throws kml::Error.
std::string config_skeleton(const SkeletonOptions& o);

// Write a configuration file whole or not at all (a temporary file renamed into place).
void write_config_file(const std::string& path, const std::string& text);

}  // namespace kml
