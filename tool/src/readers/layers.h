// The layer registry: one handler per Keras class, shared by the Keras 2 and Keras 3 readers.
// A handler turns one Keras layer (config + weights + input tensors) into IR nodes.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "ir/graph.h"
#include "readers/named_tensor.h"
#include "util/error.h"

namespace kml::readers {

struct LayerCtx {
  std::string file;        // model file, for error messages
  std::string cls;         // Keras class name
  std::string name;        // Keras layer name
  const nlohmann::json* cfg = nullptr;
  std::vector<std::string> inputs;  // IR node names of the layer's inputs
  std::vector<ir::Shape> in_shapes;
  std::vector<NamedTensor> weights;
  int keras_major = 3;
  ir::Graph* graph = nullptr;
  std::string output;  // set by the handler: the node producing the layer's output

  const nlohmann::json& config() const { return *cfg; }
  Error error(const std::string& msg) const;
  // The i-th weight, checked to exist; `what` names it in the error ("kernel").
  const ir::Tensor& weight(std::size_t i, const std::string& what) const;
  const ir::Shape& in_shape(std::size_t i = 0) const;
  // Add a node originating from this layer; the last one added becomes the layer's output.
  ir::Node& emit(ir::Node n);
  // A fresh node skeleton named after the layer (suffix appended when given).
  ir::Node node(const std::string& op, const std::string& suffix = "") const;
  template <class T>
  T get(const char* key, T fallback) const {
    auto it = cfg->find(key);
    if (it == cfg->end() || it->is_null()) return fallback;
    try {
      // An integer from the model is range-checked before it narrows (3e9 units must not wrap to negative).
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        bool fits = true;
        if (it->is_number_unsigned())
          fits = it->template get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
        else if (it->is_number_integer()) {
          const std::int64_t v = it->template get<std::int64_t>();
          fits = v < 0 ? std::is_signed_v<T> && v >= static_cast<std::int64_t>(std::numeric_limits<T>::min())
                       : static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
        }
        if (!fits) throw error(std::string("config key '") + key + "' = " + it->dump() + " is out of range");
      }
      return it->get<T>();
    } catch (const Error&) {
      throw;
    } catch (const std::exception&) {
      throw error(std::string("config key '") + key + "' has an unexpected value " + it->dump());
    }
  }
};

using LayerHandler = std::function<void(LayerCtx&)>;

class LayerRegistry {
 public:
  // The registry with every built-in layer, plus whatever extensions registered.
  static LayerRegistry& instance();
  void add(const std::string& keras_class, LayerHandler h) { handlers_[keras_class] = std::move(h); }
  const LayerHandler* find(const std::string& keras_class) const;
  std::vector<std::string> classes() const;

 private:
  std::map<std::string, LayerHandler> handlers_;
};

// Built-in handler groups (each defined in its own file under readers/layers_*.cpp).
void register_core_layers(LayerRegistry& r);
void register_hgq_layers(LayerRegistry& r);        // layers_hgq.cpp (HGQ2 and HGQ v1 proxy models)
void register_qkeras_layers(LayerRegistry& r);     // layers_qkeras.cpp
void register_conv_layers(LayerRegistry& r);     // layers_conv.cpp
void register_reshape_layers(LayerRegistry& r);  // layers_reshape.cpp
void register_merge_layers(LayerRegistry& r);      // layers_merge.cpp
void register_recurrent_layers(LayerRegistry& r);  // layers_recurrent.cpp
void register_attention_layers(LayerRegistry& r);  // layers_attention.cpp
void register_hgq_attention_layers(LayerRegistry& r);  // layers_hgq_attention.cpp (HGQ2 attention, einsum, pooling)
void register_garnet_layers(LayerRegistry& r);     // layers_garnet.cpp (hls4ml's GarNet, GarNetStack)

// Activation helpers shared by handlers: a Keras activation (string or serialized dict) -> IR attribute,
// {"fn": "relu", ...params}; "linear" for none.
nlohmann::json activation_attr(const LayerCtx& ctx, const nlohmann::json& act);
// Append an activation node after `input` unless fn is linear; returns the producing node's name.
std::string add_activation(LayerCtx& ctx, const std::string& input, const nlohmann::json& act_attr,
                           const std::string& name);

// MultiHeadAttention (Keras' and HGQ2's): checks the inputs (query, value and optionally key) and the options kml
// supports (attention over axis 1, no gate); returns the query, value and key input names.
struct AttentionInputs {
  std::string query, value, key;
};
AttentionInputs attention_inputs(LayerCtx& c);

}  // namespace kml::readers
