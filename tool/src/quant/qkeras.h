// QKeras quantizers, with QKeras' exact inference math (round half to even, float32 where QKeras computes
// scales in float32). Used at conversion time to quantize weights, and to turn activation quantizers into
// fixed-point quantizers (kml's "quantize" op) or sign/step functions.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ir/graph.h"
#include "quant/fixed.h"

namespace kml::quant {

struct QKerasQuantizer {
  std::string cls;  // quantized_bits, quantized_relu, binary, ternary, quantized_po2, quantized_tanh, quantized_sigmoid
  nlohmann::json params = nlohmann::json::object();  // constructor arguments by name (defaults filled in)

  // From a serialized quantizer: {"class_name": ..., "config": {...}} or a string "quantized_relu(3,1)".
  // Throws kml::Error naming the unsupported class or setting.
  static QKerasQuantizer parse(const nlohmann::json& j);
  std::string str() const;

  // Weights: the quantized values (same shape). For alpha="auto" (not a power of two) the per-channel
  // scale (last axis) is returned separately in `scale` and `values` hold the unscaled levels (m_i * z), so
  // that value = values * scale; otherwise `scale` is empty and the values are final.
  struct Weights {
    std::vector<double> values;
    std::vector<double> scale;
  };
  Weights quantize_weights(const ir::Tensor& t) const;

  // Activations (QActivation, or the output quantizer of a layer).
  enum class Kind { Fixed, Step };
  struct Activation {
    Kind kind = Kind::Fixed;
    // Fixed: y = Q(pre_scale * x + pre_offset) with the fixed-point quantizer below (same k, i, f everywhere).
    int k = 1, i = 0, f = 0;
    Round round = Round::RND_CONV;
    Overflow overflow = Overflow::SAT;
    double pre_scale = 1.0, pre_offset = 0.0;
    // Step: y = x >= pos_t (strict: >) ? v_pos : (x <= neg_t (strict: <) ? v_neg : v_mid).
    double pos_t = 0, neg_t = 0, v_pos = 1, v_mid = 0, v_neg = -1;
    bool pos_strict = false, neg_strict = false, has_neg = false;
  };
  Activation activation() const;

  // Scalar application as an activation (for tests and for constant folding).
  double apply(double x) const;
};

// Scalar helpers (exposed for unit tests): QKeras' quantized_bits with a fixed scale on one value.
double qkeras_quantized_bits(double x, int bits, int integer, bool symmetric, bool keep_negative, double alpha = 1.0);

}  // namespace kml::quant
