// Reading a model file in any of the four forms into the IR.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace kml::readers {

struct ReadResult {
  ir::Graph graph;
  std::vector<std::string> files;  // every file read (for depfiles and manifests)
  int keras_major = 0;
  std::string format;  // "keras3-archive", "keras3-h5", "keras2-h5", "keras2-json"
};

// `model`: .keras, .h5 (full model) or .json (architecture; then `weights` is required).
ReadResult read_model(const std::string& model, const std::string& weights = "");

}  // namespace kml::readers
