// QKeras layers (Keras 2 JSON / h5) and the binary / ternary layers of hls4ml's example models.
//
// Weights are quantized at conversion with QKeras' own math (quant/qkeras.cpp); the layer then becomes the
// plain layer with those weights (an "auto" alpha that is not a power of two becomes a per-channel scale
// applied after the layer, before the bias). Activation quantizers become "quantize" nodes (fixed-point,
// round half to even, saturating) or "step" nodes (binary / ternary), so a QKeras model needs no precision
// configuration: the quantizers pass derives every type.
#include <algorithm>
#include <cmath>

#include "quant/qkeras.h"
#include "readers/layers.h"
#include "readers/layers_quant.h"
#include "util/error.h"

namespace kml::readers {
namespace {

using nlohmann::json;
using quant::QKerasQuantizer;

QKerasQuantizer parse_q(const LayerCtx& c, const json& j, const std::string& what) {
  try {
    return QKerasQuantizer::parse(j);
  } catch (const Error& e) {
    throw c.error(what + ": " + e.what());
  }
}

bool is_quantizer(const json& j) {
  static const char* names[] = {"quantized_", "binary", "ternary", "stochastic_"};
  std::string s = j.is_string() ? j.get<std::string>() : (j.is_object() ? j.value("class_name", std::string()) : "");
  for (const char* n : names)
    if (s.rfind(n, 0) == 0) return true;
  return false;
}

// An activation quantizer after `input`: a quantize or step node. Returns the output node.
std::string add_activation_quantizer(LayerCtx& c, const std::string& input, const json& j, const std::string& suffix) {
  QKerasQuantizer q = parse_q(c, j, "activation quantizer");
  QKerasQuantizer::Activation a;
  try {
    a = q.activation();
  } catch (const Error& e) {
    throw c.error(std::string("activation quantizer: ") + e.what());
  }
  if (a.kind == QKerasQuantizer::Kind::Step) {
    ir::Node n = c.node("step", suffix);
    n.inputs = {input};
    n.shape = c.graph->at(input).shape;
    n.attr = {{"pos_t", a.pos_t},   {"neg_t", a.neg_t},   {"pos_strict", a.pos_strict}, {"neg_strict", a.neg_strict},
              {"has_neg", a.has_neg}, {"v_pos", a.v_pos}, {"v_mid", a.v_mid},           {"v_neg", a.v_neg},
              {"quantizer", q.str()}};
    return c.emit(std::move(n)).name;
  }
  quant::FixedParams p;
  p.k = {a.k};
  p.i = {a.i};
  p.f = {a.f};
  p.round = a.round;
  p.overflow = a.overflow;
  std::string name = add_quantize(c, input, p, suffix, a.pre_scale, a.pre_offset);
  c.graph->at(name).attr["quantizer"] = q.str();
  return name;
}

struct Quantized {
  ir::Tensor values;
  std::vector<double> scale;  // per output channel, empty when folded into the values
};

Quantized quantize_weight(const LayerCtx& c, const ir::Tensor& t, const json& qj, const std::string& what) {
  Quantized r;
  r.values = t;
  if (qj.is_null()) return r;
  QKerasQuantizer q = parse_q(c, qj, what + " quantizer");
  try {
    QKerasQuantizer::Weights w = q.quantize_weights(t);
    r.values.data = std::move(w.values);
    r.scale = std::move(w.scale);
  } catch (const Error& e) {
    throw c.error(what + " quantizer: " + e.what());
  }
  return r;
}

// A weight by name. QKeras on Keras 3 saves a layer's variables by index (vars/0, 1, ...) in their creation
// order, not by name: there the class's order gives the index.
const ir::Tensor* qweight(const LayerCtx& c, const std::string& name) {
  if (const ir::Tensor* t = find_weight(c, name)) return t;
  if (c.weights.empty()) return nullptr;
  for (const auto& w : c.weights)
    if (w.name.rfind("vars/") != 0 && w.name.find("/vars/") == std::string::npos) return nullptr;  // Keras 2 names
  std::vector<std::string> order;
  const std::string& k = c.cls;
  if (k == "QDense" || k == "QConv1D" || k == "QConv2D") order = {"kernel", "bias"};
  else if (k == "QDepthwiseConv2D") order = {"depthwise_kernel", "bias"};
  else if (k == "QSeparableConv1D" || k == "QSeparableConv2D") order = {"depthwise_kernel", "pointwise_kernel", "bias"};
  else if (k == "QSimpleRNN" || k == "QLSTM" || k == "QGRU") order = {"kernel", "recurrent_kernel", "bias"};
  else if (k == "QBatchNormalization") {
    if (c.get<bool>("scale", true)) order.push_back("gamma");
    if (c.get<bool>("center", true)) order.push_back("beta");
    order.insert(order.end(), {"moving_mean", "moving_variance"});
  }
  auto it = std::find(order.begin(), order.end(), name);
  std::size_t i = static_cast<std::size_t>(it - order.begin());
  return it != order.end() && i < c.weights.size() ? &c.weights[i].tensor : nullptr;
}

const ir::Tensor& need(const LayerCtx& c, const std::string& name) {
  const ir::Tensor* t = qweight(c, name);
  if (!t) throw c.error("missing weight '" + name + "'");
  return *t;
}

// After the plain layer: per-channel alpha scale (with the bias moved after it), then the activation.
std::string finish(LayerCtx& c, std::string y, const std::vector<double>& scale, const ir::Tensor* bias) {
  if (!scale.empty()) {
    ir::Node n = c.node("batchnorm", "alpha");
    n.inputs = {y};
    n.shape = c.graph->at(y).shape;
    n.attr["n_filt"] = scale.size();
    ir::Tensor s, b;
    s.shape = b.shape = {scale.size()};
    s.data = scale;
    b.data = bias ? bias->data : std::vector<double>(scale.size(), 0.0);
    n.weights["scale"] = s;
    n.weights["bias"] = b;
    y = c.emit(std::move(n)).name;
  }
  json act = c.config().value("activation", json("linear"));
  if (is_quantizer(act)) return add_activation_quantizer(c, y, act, "act");
  return add_activation(c, y, activation_attr(c, act), c.name + "_act");
}

// QDense / QConv1D / QConv2D (kernel + bias).
void qlinear(LayerCtx& c, const std::string& plain) {
  Quantized k = quantize_weight(c, need(c, "kernel"), c.config().value("kernel_quantizer", json()), "kernel");
  std::vector<NamedTensor> ws = {{"kernel", k.values}};
  ir::Tensor b;
  bool use_bias = c.get<bool>("use_bias", true);
  if (use_bias) b = quantize_weight(c, need(c, "bias"), c.config().value("bias_quantizer", json()), "bias").values;
  json cfg = c.config();
  cfg["activation"] = "linear";
  if (!k.scale.empty()) {
    if (use_bias) cfg["use_bias"] = false;
  } else if (use_bias) {
    ws.push_back({"bias", b});
  }
  std::string y = delegate(c, plain, c.inputs, ws, &cfg);
  finish(c, y, k.scale, use_bias ? &b : nullptr);
}

// Depthwise and separable convolutions: the quantized kernels `ws`, plus the quantized bias, into the plain layer
// (without its activation), then the layer's activation after it.
void delegate_quantized_conv(LayerCtx& c, const std::string& plain, std::vector<NamedTensor> ws) {
  if (c.get<bool>("use_bias", true))
    ws.push_back({"bias", quantize_weight(c, need(c, "bias"), c.config().value("bias_quantizer", json()), "bias").values});
  json cfg = c.config();
  cfg["activation"] = "linear";
  std::string y = delegate(c, plain, c.inputs, ws, &cfg);
  finish(c, y, {}, nullptr);
}

void qdepthwise(LayerCtx& c, const std::string& plain) {
  Quantized k = quantize_weight(c, need(c, "depthwise_kernel"), c.config().value("depthwise_quantizer", json()),
                                "depthwise kernel");
  if (!k.scale.empty()) throw c.error("depthwise_quantizer with alpha='auto' is not supported (use auto_po2)");
  delegate_quantized_conv(c, plain, {{"depthwise_kernel", k.values}});
}

void qseparable(LayerCtx& c, const std::string& plain) {
  Quantized d = quantize_weight(c, need(c, "depthwise_kernel"), c.config().value("depthwise_quantizer", json()),
                                "depthwise kernel");
  Quantized p = quantize_weight(c, need(c, "pointwise_kernel"), c.config().value("pointwise_quantizer", json()),
                                "pointwise kernel");
  if (!d.scale.empty() || !p.scale.empty())
    throw c.error("separable convolution quantizers with alpha='auto' are not supported (use auto_po2)");
  delegate_quantized_conv(c, plain, {{"depthwise_kernel", d.values}, {"pointwise_kernel", p.values}});
}

void qactivation(LayerCtx& c) {
  json act = c.config().value("activation", json("linear"));
  if (is_quantizer(act)) {
    add_activation_quantizer(c, c.inputs.at(0), act, "");
    return;
  }
  ir::Node n = c.node("activation");
  n.shape = c.in_shape();
  n.attr = activation_attr(c, act);
  c.emit(std::move(n));
}

void qbatchnorm(LayerCtx& c) {
  // Parameters quantized with their quantizers (if any), then the plain BatchNormalization.
  std::vector<NamedTensor> ws;
  const std::pair<const char*, const char*> params[] = {{"gamma", "gamma_quantizer"},
                                                        {"beta", "beta_quantizer"},
                                                        {"moving_mean", "mean_quantizer"},
                                                        {"moving_variance", "variance_quantizer"}};
  for (const auto& [w, q] : params) {
    const ir::Tensor* t = qweight(c, w);
    if (!t) continue;
    Quantized v = quantize_weight(c, *t, c.config().value(q, json()), w);
    if (!v.scale.empty()) throw c.error(std::string(q) + " with alpha='auto' is not supported");
    ws.push_back({w, v.values});
  }
  delegate(c, "BatchNormalization", c.inputs, ws);
}

void qrnn(LayerCtx& c, const std::string& plain) {
  if (!c.config().value("state_quantizer", json()).is_null())
    throw c.error("state_quantizer is not supported (the recurrent state is kept in the state precision)");
  std::vector<NamedTensor> ws;
  const std::pair<const char*, const char*> params[] = {
      {"kernel", "kernel_quantizer"}, {"recurrent_kernel", "recurrent_quantizer"}, {"bias", "bias_quantizer"}};
  for (const auto& [w, q] : params) {
    const ir::Tensor* t = qweight(c, w);
    if (!t) continue;
    Quantized v = quantize_weight(c, *t, c.config().value(q, json()), w);
    if (!v.scale.empty()) throw c.error(std::string(q) + " with alpha='auto' is not supported (use auto_po2)");
    ws.push_back({w, v.values});
  }
  json cfg = c.config();
  for (const char* a : {"activation", "recurrent_activation"}) {
    if (cfg.contains(a) && is_quantizer(cfg[a]))
      throw c.error(std::string(a) + " = " + cfg[a].dump() + ": quantized recurrent activations are not supported");
  }
  delegate(c, plain, c.inputs, ws, &cfg);
}

// QConv2DBatchnorm / QDepthwiseConv2DBatchnorm: a convolution with its BatchNormalization folded in, as QKeras
// infers: inv = gamma / sqrt(moving_variance + epsilon) per output channel (float32, as TensorFlow), the kernel
// times inv and inv * (bias - moving_mean) + beta, each then quantized by the layer's kernel / bias quantizer.
// QDepthwiseConv2DBatchnorm infers with the folded, quantized weights it stored at its last training step
// (folded_depthwise_kernel_quantized, folded_bias_quantized) when the file has them.
void qconv_batchnorm(LayerCtx& c, bool depthwise) {
  const std::string kname = depthwise ? "depthwise_kernel" : "kernel";
  const json kq = c.config().value(depthwise ? "depthwise_quantizer" : "kernel_quantizer", json());
  const json bq = c.config().value("bias_quantizer", json());
  ir::Tensor kernel, bias;
  const ir::Tensor* stored_k = depthwise ? find_weight(c, "folded_depthwise_kernel_quantized") : nullptr;
  const ir::Tensor* stored_b = depthwise ? find_weight(c, "folded_bias_quantized") : nullptr;
  if (stored_k && stored_b) {
    kernel = *stored_k;
    bias = *stored_b;
  } else {
    const ir::Tensor& k = need(c, kname);
    const ir::Tensor& mean = need(c, "moving_mean");
    const ir::Tensor& var = need(c, "moving_variance");
    const ir::Tensor* gamma = c.get<bool>("scale", true) ? &need(c, "gamma") : nullptr;
    const ir::Tensor* beta = c.get<bool>("center", true) ? &need(c, "beta") : nullptr;
    const ir::Tensor* b = c.get<bool>("use_bias", true) ? &need(c, "bias") : nullptr;
    const std::size_t n_out = mean.size();
    if (n_out == 0 || k.size() % n_out || var.size() != n_out || (gamma && gamma->size() != n_out) ||
        (beta && beta->size() != n_out) || (b && b->size() != n_out))
      throw c.error("batch normalization parameters do not match the kernel's " + std::to_string(n_out) +
                    " output channels");
    const float eps = static_cast<float>(c.get<double>("epsilon", 1e-3));
    std::vector<float> inv(n_out);
    for (std::size_t o = 0; o < n_out; ++o) {
      inv[o] = 1.0f / std::sqrt(static_cast<float>(var.data[o]) + eps);
      if (gamma) inv[o] *= static_cast<float>(gamma->data[o]);
    }
    kernel = k;  // output channel last (a depthwise kernel's channel x multiplier, flattened, is the output channel)
    for (std::size_t i = 0; i < kernel.data.size(); ++i)
      kernel.data[i] = static_cast<float>(inv[i % n_out] * static_cast<float>(k.data[i]));
    bias.shape = {n_out};
    for (std::size_t o = 0; o < n_out; ++o) {
      float bo = b ? static_cast<float>(b->data[o]) : 0.0f;
      float v = inv[o] * (bo - static_cast<float>(mean.data[o])) + (beta ? static_cast<float>(beta->data[o]) : 0.0f);
      bias.data.push_back(v);
    }
    Quantized qk = quantize_weight(c, kernel, kq, "folded kernel");
    if (!qk.scale.empty()) throw c.error("kernel quantizer with alpha='auto' is not supported here (use auto_po2)");
    kernel = qk.values;
    bias = quantize_weight(c, bias, bq, "folded bias").values;
  }
  json cfg = c.config();
  cfg["activation"] = "linear";
  cfg["use_bias"] = true;
  std::string y = delegate(c, depthwise ? "DepthwiseConv2D" : "Conv2D", c.inputs, {{kname, kernel}, {"bias", bias}}, &cfg);
  finish(c, y, {}, nullptr);
}

// hls4ml's example binary / ternary networks: BinaryDense (sign weights), TernaryDense (threshold 0.5).
void binary_dense(LayerCtx& c, bool ternary) {
  const ir::Tensor& k = c.weight(0, "kernel");
  ir::Tensor q = k;
  for (auto& v : q.data) {
    if (ternary) v = v > 0.5 ? 1.0 : (v <= -0.5 ? -1.0 : 0.0);
    else v = v < 0 ? -1.0 : 1.0;
  }
  std::vector<NamedTensor> ws = {{"kernel", q}};
  if (c.get<bool>("use_bias", true)) ws.push_back({"bias", c.weight(1, "bias")});
  delegate(c, "Dense", c.inputs, ws);
}

// HGQ2 reuses QKeras' class names (QDense, QConv1D, ...); its layers carry quantizer configs (kq_conf, iq_conf).
// Hands such a layer to the HGQ2 handler of that name; false when the layer is QKeras'.
bool handled_as_hgq2(LayerCtx& c, const std::string& cls) {
  if (!c.config().contains("kq_conf") && !c.config().contains("iq_conf")) return false;
  const LayerHandler* h = LayerRegistry::instance().find("HGQ2:" + cls);
  if (!h) return false;
  (*h)(c);
  return true;
}

}  // namespace

void register_qkeras_layers(LayerRegistry& r) {
  r.add("QDense", [](LayerCtx& c) {
    if (!handled_as_hgq2(c, "QDense")) qlinear(c, "Dense");
  });
  r.add("QConv1D", [](LayerCtx& c) {
    if (!handled_as_hgq2(c, "QConv1D")) qlinear(c, "Conv1D");
  });
  r.add("QConv2D", [](LayerCtx& c) {
    if (!handled_as_hgq2(c, "QConv2D")) qlinear(c, "Conv2D");
  });
  r.add("QBatchNormalization", [](LayerCtx& c) {
    if (!handled_as_hgq2(c, "QBatchNormalization")) qbatchnorm(c);
  });
  r.add("QDepthwiseConv2D", [](LayerCtx& c) { qdepthwise(c, "DepthwiseConv2D"); });
  r.add("QSeparableConv1D", [](LayerCtx& c) { qseparable(c, "SeparableConv1D"); });
  r.add("QSeparableConv2D", [](LayerCtx& c) { qseparable(c, "SeparableConv2D"); });
  r.add("QActivation", qactivation);
  r.add("QConv2DBatchnorm", [](LayerCtx& c) { qconv_batchnorm(c, false); });
  r.add("QDepthwiseConv2DBatchnorm", [](LayerCtx& c) { qconv_batchnorm(c, true); });
  r.add("QSimpleRNN", [](LayerCtx& c) { qrnn(c, "SimpleRNN"); });
  r.add("QLSTM", [](LayerCtx& c) { qrnn(c, "LSTM"); });
  r.add("QGRU", [](LayerCtx& c) { qrnn(c, "GRU"); });
  r.add("BinaryDense", [](LayerCtx& c) { binary_dense(c, false); });
  r.add("TernaryDense", [](LayerCtx& c) { binary_dense(c, true); });
  // binary_tanh / ternary_tanh activations (hls4ml's semantics: x > 0 -> 1 else -1; x > 1 -> 1, x <= -1 -> -1).
  const LayerHandler* prev = r.find("Activation");
  if (prev) {
    LayerHandler plain = *prev;
    r.add("Activation", [plain](LayerCtx& c) {
      json a = c.config().value("activation", json());
      std::string fn = a.is_string() ? a.get<std::string>() : "";
      if (fn != "binary_tanh" && fn != "ternary_tanh") return plain(c);
      ir::Node n = c.node("step");
      n.shape = c.in_shape();
      if (fn == "binary_tanh")
        n.attr = {{"pos_t", 0.0}, {"pos_strict", true}, {"v_pos", 1.0}, {"v_mid", -1.0}, {"has_neg", false}};
      else
        n.attr = {{"pos_t", 1.0},    {"pos_strict", true}, {"v_pos", 1.0},    {"v_mid", 0.0},
                  {"has_neg", true}, {"neg_t", -1.0},      {"neg_strict", false}, {"v_neg", -1.0}};
      c.emit(std::move(n));
    });
  }
}

}  // namespace kml::readers
