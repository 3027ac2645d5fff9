// Core layers: Dense, Activation and the activation layers, BatchNormalization, Dropout, Flatten.
#include <cmath>

#include "readers/layers.h"

namespace kml::readers {
namespace {

using nlohmann::json;

// Normalise the many spellings of an activation into {"fn": name, params...}.
json activation_from_name(const LayerCtx& ctx, std::string fn) {
  if (fn == "linear" || fn.empty()) return {{"fn", "linear"}};
  if (fn == "swish") fn = "silu";
  if (fn == "hard_swish") fn = "hard_silu";
  if (fn == "hard_sigmoid") {
    // Keras 2: clip(0.2x + 0.5, 0, 1); Keras 3: relu6(x + 3) / 6.
    double slope = ctx.keras_major >= 3 ? 1.0 / 6.0 : 0.2;
    return {{"fn", "hard_sigmoid"}, {"slope", slope}, {"offset", 0.5}};
  }
  if (fn == "relu6") return {{"fn", "relu"}, {"max_value", 6.0}, {"negative_slope", 0.0}, {"threshold", 0.0}};
  // relu1: min(max(x, 0), 1), the custom activation of hls4ml's binary example networks (relu with max_value=1).
  if (fn == "relu1") return {{"fn", "relu"}, {"max_value", 1.0}, {"negative_slope", 0.0}, {"threshold", 0.0}};
  if (fn == "leaky_relu") return {{"fn", "leaky_relu"}, {"alpha", 0.2}};
  if (fn == "elu") return {{"fn", "elu"}, {"alpha", 1.0}};
  if (fn == "softmax" || fn == "log_softmax") return {{"fn", fn}, {"axis", -1}};
  static const char* plain[] = {"relu",     "sigmoid", "tanh", "softplus",  "softsign", "selu",
                                "silu",     "gelu",    "exponential", "hard_silu", "mish", "hard_tanh"};
  for (const char* p : plain)
    if (fn == p) return {{"fn", fn}};
  throw ctx.error("unsupported activation '" + fn + "'");
}

}  // namespace

json activation_attr(const LayerCtx& ctx, const json& act) {
  if (act.is_null()) return {{"fn", "linear"}};
  if (act.is_string()) return activation_from_name(ctx, act.get<std::string>());
  if (act.is_object()) {
    // Keras 3 may serialise a built-in activation as {"class_name": "function", "config": "relu", ...}.
    if (act.contains("config") && act["config"].is_string()) return activation_from_name(ctx, act["config"].get<std::string>());
    if (act.contains("class_name") && act["class_name"].is_string())
      return activation_from_name(ctx, act["class_name"].get<std::string>());
  }
  throw ctx.error("unsupported activation " + act.dump());
}

std::string add_activation(LayerCtx& ctx, const std::string& input, const json& act, const std::string& name) {
  if (act.value("fn", "linear") == "linear") return input;
  ir::Node n;
  n.name = ctx.graph->unique_name(name);
  n.op = "activation";
  n.inputs = {input};
  n.shape = ctx.graph->at(input).shape;
  n.attr = act;
  n.keras_class = "Activation";
  n.keras_name = ctx.name;
  return ctx.emit(std::move(n)).name;
}

namespace {

void dense(LayerCtx& c) {
  const ir::Shape& in = c.in_shape();
  if (in.empty()) throw c.error("input has no dimensions");
  std::size_t units = c.get<std::size_t>("units", 0);
  bool use_bias = c.get<bool>("use_bias", true);
  const ir::Tensor& k = c.weight(0, "kernel");
  std::size_t n_in = in.back();
  if (k.shape.size() != 2 || k.shape[0] != n_in || k.shape[1] != units)
    throw c.error("kernel has shape " + ir::shape_str(k.shape) + ", expected (" + std::to_string(n_in) + ", " +
                  std::to_string(units) + ")");
  ir::Node n = c.node("dense");
  n.shape = in;
  n.shape.back() = units;
  n.attr["n_in"] = n_in;
  n.attr["n_out"] = units;
  n.attr["activation"] = activation_attr(c, c.config().value("activation", json("linear")));
  n.weights["kernel"] = k;
  ir::Tensor b;
  b.shape = {units};
  b.data.assign(units, 0.0);
  if (use_bias) {
    const ir::Tensor& bt = c.weight(1, "bias");
    if (bt.size() != units) throw c.error("bias has " + std::to_string(bt.size()) + " values, expected " + std::to_string(units));
    b = bt;
  }
  n.weights["bias"] = b;
  c.emit(std::move(n));
}

void activation_layer(LayerCtx& c, json act) {
  ir::Node n = c.node("activation");
  n.shape = c.in_shape();
  n.attr = std::move(act);
  c.emit(std::move(n));
}

void identity(LayerCtx& c) {
  ir::Node n = c.node("identity");
  n.shape = c.in_shape();
  c.emit(std::move(n));
}

void flatten(LayerCtx& c) {
  ir::Node n = c.node("reshape");
  n.shape = {ir::shape_size(c.in_shape())};
  // channels_first: Keras moves the channels last before flattening (the channels_last pass adds the transpose).
  if (c.get<std::string>("data_format", "channels_last") == "channels_first" && c.in_shape().size() >= 2)
    n.attr["channels_first"] = true;
  c.emit(std::move(n));
}

int normalise_axis(const LayerCtx& c, const json& axis_json, std::size_t rank) {
  json a = axis_json;
  if (a.is_array()) {
    if (a.size() != 1) throw c.error("normalisation over several axes " + a.dump() + " is not supported");
    a = a[0];
  }
  int axis = a.is_number_integer() ? a.get<int>() : -1;
  // Keras axes count the batch dimension.
  int r = static_cast<int>(rank) + 1;
  if (axis < 0) axis += r;
  if (axis < 1 || axis >= r) throw c.error("axis " + a.dump() + " is out of range");
  return axis - 1;
}

void batchnorm(LayerCtx& c) {
  const ir::Shape& in = c.in_shape();
  int axis = normalise_axis(c, c.config().value("axis", json(-1)), in.size());
  // Over the first axis of a (C, ...) tensor: a channels_first layout, handled by the channels_last pass.
  bool cf = axis == 0 && in.size() >= 2;
  if (axis != static_cast<int>(in.size()) - 1 && !cf)
    throw c.error("normalising over axis " + std::to_string(axis + 1) +
                  " other than the last (channels_last) is not supported");
  bool center = c.get<bool>("center", true), scale = c.get<bool>("scale", true);
  double eps = c.get<double>("epsilon", 1e-3);
  std::size_t ch = cf ? in.front() : in.back();
  std::size_t i = 0;
  std::vector<double> gamma(ch, 1.0), beta(ch, 0.0);
  auto take = [&](const char* what) {
    const ir::Tensor& t = c.weight(i++, what);
    if (t.size() != ch) throw c.error(std::string(what) + " has " + std::to_string(t.size()) + " values, expected " + std::to_string(ch));
    return t.data;
  };
  if (scale) gamma = take("gamma");
  if (center) beta = take("beta");
  std::vector<double> mean = take("moving_mean"), var = take("moving_variance");
  ir::Tensor s, b;
  s.shape = b.shape = {ch};
  for (std::size_t k = 0; k < ch; ++k) {
    double sc = gamma[k] / std::sqrt(var[k] + eps);
    s.data.push_back(sc);
    b.data.push_back(beta[k] - mean[k] * sc);
  }
  ir::Node n = c.node("batchnorm");
  n.shape = in;
  n.attr["n_filt"] = ch;
  if (cf) n.attr["channels_first"] = true;
  n.weights["scale"] = std::move(s);
  n.weights["bias"] = std::move(b);
  c.emit(std::move(n));
}

void relu_layer(LayerCtx& c) {
  json mv = c.config().value("max_value", json());
  double slope = c.config().contains("negative_slope") ? c.get<double>("negative_slope", 0.0) : c.get<double>("alpha", 0.0);
  double thr = c.get<double>("threshold", 0.0);
  json a = {{"fn", "relu"}};
  if (!mv.is_null() || slope != 0.0 || thr != 0.0) {
    a["max_value"] = mv.is_null() ? json() : json(mv.get<double>());
    a["negative_slope"] = slope;
    a["threshold"] = thr;
  }
  activation_layer(c, a);
}

void prelu(LayerCtx& c) {
  const ir::Tensor& alpha = c.weight(0, "alpha");
  std::size_t n_in = ir::shape_size(c.in_shape());
  ir::Node n = c.node("activation");
  n.shape = c.in_shape();
  n.attr = {{"fn", "prelu"}};
  ir::Tensor a;
  a.shape = c.in_shape();
  if (alpha.size() == n_in) {
    a.data = alpha.data;
  } else if (n_in % alpha.size() == 0) {  // shared axes: broadcast over the leading dimensions
    for (std::size_t i = 0; i < n_in; ++i) a.data.push_back(alpha.data[i % alpha.size()]);
  } else {
    throw c.error("alpha has " + std::to_string(alpha.size()) + " values, cannot broadcast to " + ir::shape_str(c.in_shape()));
  }
  n.weights["alpha"] = std::move(a);
  c.emit(std::move(n));
}

void softmax_layer(LayerCtx& c) {
  json axis = c.config().value("axis", json(-1));
  if (axis.is_array()) {
    if (axis.size() != 1) throw c.error("softmax over several axes is not supported");
    axis = axis[0];
  }
  int ax = axis.get<int>();
  int rank = static_cast<int>(c.in_shape().size());
  if (ax < 0) ax += rank + 1;
  if (ax != rank) throw c.error("softmax over axis " + std::to_string(ax) + " other than the last is not supported");
  activation_layer(c, {{"fn", "softmax"}, {"axis", -1}});
}

}  // namespace

void register_core_layers(LayerRegistry& r) {
  r.add("Dense", dense);
  r.add("Activation", [](LayerCtx& c) {
    activation_layer(c, activation_attr(c, c.config().value("activation", json("linear"))));
  });
  r.add("ReLU", relu_layer);
  r.add("LeakyReLU", [](LayerCtx& c) {
    double a = c.config().contains("negative_slope") ? c.get<double>("negative_slope", 0.3) : c.get<double>("alpha", 0.3);
    activation_layer(c, {{"fn", "leaky_relu"}, {"alpha", a}});
  });
  r.add("ELU", [](LayerCtx& c) { activation_layer(c, {{"fn", "elu"}, {"alpha", c.get<double>("alpha", 1.0)}}); });
  r.add("ThresholdedReLU", [](LayerCtx& c) {
    activation_layer(c, {{"fn", "thresholded_relu"}, {"theta", c.get<double>("theta", 1.0)}});
  });
  r.add("PReLU", prelu);
  r.add("Softmax", softmax_layer);
  r.add("BatchNormalization", batchnorm);
  for (const char* id : {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout",
                         "AlphaDropout", "ActivityRegularization"})
    r.add(id, identity);
  r.add("Flatten", flatten);
}

}  // namespace kml::readers
