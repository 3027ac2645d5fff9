// "Quantizers -> precisions": in a quantized model (QKeras, HGQ, HGQ2) every tensor's value set follows from
// the quantizers and the (already quantized) weights. This pass propagates exact value ranges (per element:
// lower and upper bound, and the number of fractional bits of the grid they lie on) through the graph and
// gives every node types that hold its values exactly and are no wider than that: weight and bias types from
// the actual values, accumulators from the bounds of every partial sum, results from the output bounds.
// Runs after apply_config; precisions the user configured by layer name or layer type win, and a model-wide
// float precision (float emulation) switches the derivation off.
#pragma once
#include "config/config.h"
#include "ir/graph.h"

namespace kml::passes {

// Does the graph hold quantization information (quantize/lut/step nodes or quantized layers)?
bool is_quantized(const ir::Graph& g);

// Does quantizer_precisions() derive this graph's types (quantized, and no model-wide float precision)?
bool derives_types(const ir::Graph& g, const Config& cfg);
// Did the user configure this role for this node by name or by layer type? (Such types are never derived.)
bool user_set(const Config& cfg, const ir::Node& n, const std::string& role);

void quantizer_precisions(ir::Graph& g, const Config& cfg);

}  // namespace kml::passes
