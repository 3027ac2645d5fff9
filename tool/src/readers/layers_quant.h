// Helpers shared by the quantized-layer handlers (layers_hgq.cpp, layers_qkeras.cpp): explicit quantization
// nodes and delegation to the plain Keras handlers with quantized weights.
#pragma once
#include <string>
#include <vector>

#include "quant/fixed.h"
#include "readers/layers.h"

namespace kml::readers {

// Add a "quantize" node after `input` applying `p` (one parameter set, or one per element of the input).
// Returns the node's name. Attributes: round, overflow (HGQ names), pre_scale, pre_offset.
std::string add_quantize(LayerCtx& c, const std::string& input, const quant::FixedParams& p, const std::string& suffix,
                         double pre_scale = 1.0, double pre_offset = 0.0);

// Broadcast per-element values stored with shape `from` (numpy rules, right-aligned) to `to`; throws a
// layer error naming `what` when the shapes are incompatible.
std::vector<double> broadcast_to(const LayerCtx& c, const std::vector<double>& v, const ir::Shape& from,
                                 const ir::Shape& to, const std::string& what);

// Run the plain Keras handler for `keras_class` on this layer with other inputs and weights; nodes it adds
// belong to this layer and are marked attr["quantized"] = true. Returns the output node.
std::string delegate(LayerCtx& c, const std::string& keras_class, const std::vector<std::string>& inputs,
                     std::vector<NamedTensor> weights, const nlohmann::json* cfg = nullptr);

// Read one HGQ2 quantizer (layers_hgq.cpp): its config (a QuantizerConfig dict) and its saved variables named
// `prefix` + "0", "1", ... ("kq/quantizer/vars/"), broadcast to `target` (data lanes: the tensor with a leading
// batch axis of 1). Throws a layer error naming `what` for unsupported settings.
quant::FixedParams hgq2_quantizer(const LayerCtx& c, const nlohmann::json& conf, const std::string& prefix,
                                  const ir::Shape& target, const std::string& what);
// {1, s...}: a data-lane shape with its batch axis.
ir::Shape with_batch(const ir::Shape& s);
// `t` with `p` applied element-wise (weights quantized at conversion; values taken as float32 first).
ir::Tensor quantized(const ir::Tensor& t, const quant::FixedParams& p);

// Look up a weight by the end of its name ("kernel", "iq/quantizer/vars/0"); nullptr if absent.
const ir::Tensor* find_weight(const LayerCtx& c, const std::string& suffix);

}  // namespace kml::readers
