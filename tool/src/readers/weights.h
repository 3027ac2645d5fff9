// Where a layer's weights live in the two HDF5 layouts Keras uses.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/hdf5.h"
#include "ir/graph.h"
#include "readers/named_tensor.h"

namespace kml::readers {

class WeightStore {
 public:
  virtual ~WeightStore() = default;
  // Every weight of a layer in Keras' order (trainable then non-trainable; sublayers as stored).
  virtual std::vector<NamedTensor> layer(const std::string& layer_name, const std::string& class_name) = 0;
  virtual const std::string& label() const = 0;
};

// Keras 2 layout (and Keras 3 legacy .h5): groups with `weight_names`, under `model_weights` or the root.
std::unique_ptr<WeightStore> keras2_weights(h5::File file);
// Keras 3 `model.weights.h5`: layers/<child>/vars/<i> by index.
std::unique_ptr<WeightStore> keras3_weights(h5::File file, const std::vector<std::pair<std::string, std::string>>& layers);

}  // namespace kml::readers
