// One weight tensor of a Keras layer, as the layer handlers see it (no HDF5 here: part of the plugin API).
#pragma once
#include <string>

#include "ir/graph.h"

namespace kml::readers {

struct NamedTensor {
  std::string name;  // Keras 2: the variable name without ":0" (e.g. "dense/kernel"); Keras 3: "vars/0", "cell/vars/1"
  ir::Tensor tensor;
};

}  // namespace kml::readers
