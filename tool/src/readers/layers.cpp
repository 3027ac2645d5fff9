#include "readers/layers.h"

namespace kml::readers {

Error LayerCtx::error(const std::string& msg) const {
  return file_error(file, "layer '" + name + "' (" + cls + "): " + msg);
}

const ir::Tensor& LayerCtx::weight(std::size_t i, const std::string& what) const {
  if (i >= weights.size())
    throw error("missing weights: expected " + what + " (weight #" + std::to_string(i) + "), the file has " +
                std::to_string(weights.size()) + " weight(s) for this layer");
  // No layer has an empty weight (and the handlers divide by and broadcast over their sizes).
  if (weights[i].tensor.size() == 0)
    throw error(what + " (weight '" + weights[i].name + "') holds no values (shape " +
                ir::shape_str(weights[i].tensor.shape) + ")");
  return weights[i].tensor;
}

const ir::Shape& LayerCtx::in_shape(std::size_t i) const {
  if (i >= in_shapes.size()) throw error("expected at least " + std::to_string(i + 1) + " input(s)");
  return in_shapes[i];
}

ir::Node& LayerCtx::emit(ir::Node n) {
  if (n.keras_class.empty()) n.keras_class = cls;
  if (n.keras_name.empty()) n.keras_name = name;
  ir::Node& added = graph->add(std::move(n));
  output = added.name;
  return added;
}

ir::Node LayerCtx::node(const std::string& op, const std::string& suffix) const {
  ir::Node n;
  n.name = graph->unique_name(suffix.empty() ? name : name + "_" + suffix);
  n.op = op;
  n.inputs = inputs;
  n.keras_class = cls;
  n.keras_name = name;
  return n;
}

LayerRegistry& LayerRegistry::instance() {
  static LayerRegistry r = [] {
    LayerRegistry reg;
    register_core_layers(reg);
    register_hgq_layers(reg);
    register_qkeras_layers(reg);
    register_conv_layers(reg);
    register_reshape_layers(reg);
    register_merge_layers(reg);
    register_recurrent_layers(reg);
    register_attention_layers(reg);
    register_hgq_attention_layers(reg);
    register_garnet_layers(reg);
    return reg;
  }();
  return r;
}

const LayerHandler* LayerRegistry::find(const std::string& keras_class) const {
  auto it = handlers_.find(keras_class);
  return it == handlers_.end() ? nullptr : &it->second;
}

std::vector<std::string> LayerRegistry::classes() const {
  std::vector<std::string> r;
  for (const auto& [k, v] : handlers_) r.push_back(k);
  return r;
}

}  // namespace kml::readers
