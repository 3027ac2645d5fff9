// HGQ2 (Keras 3) quantized layers and HGQ (v1) proxy-model layers.
//
// HGQ2 layers carry their quantizers as sublayers (iq: input, kq: kernel, bq: bias, oq: output) whose
// per-element bit widths are variables of model.weights.h5 (e.g. layers/q_dense/kq/quantizer/vars/0..2).
// Weights are quantized here, at conversion, with HGQ2's exact math; data-lane quantizers become explicit
// "quantize" nodes (per-element k, i, f). HGQ v1 proxy models carry FixedPointQuantizer layers (per-element
// keep_negative / bits / integers) between plain layers whose weights are already quantized, and UnaryLUT
// layers (a table indexed by the input's raw bits).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "quant/fixed.h"
#include "readers/layers.h"
#include "readers/layers_quant.h"
#include "util/error.h"

namespace kml::readers {

using nlohmann::json;
using quant::FixedParams;

// ---------------------------------------------------------------------------------------------------------
// Shared helpers (declared in layers_quant.h).

const ir::Tensor* find_weight(const LayerCtx& c, const std::string& suffix) {
  for (const auto& w : c.weights) {
    const std::string& n = w.name;
    if (n == suffix) return &w.tensor;
    if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        n[n.size() - suffix.size() - 1] == '/')
      return &w.tensor;
  }
  return nullptr;
}

std::vector<double> broadcast_to(const LayerCtx& c, const std::vector<double>& v, const ir::Shape& from,
                                 const ir::Shape& to, const std::string& what) {
  std::size_t n = ir::shape_size(to);
  if (v.size() == 1) return std::vector<double>(n, v[0]);
  if (from.size() > to.size()) {
    // Extra leading 1s are harmless.
    for (std::size_t d = 0; d < from.size() - to.size(); ++d)
      if (from[d] != 1) throw c.error(what + ": bit widths of shape " + ir::shape_str(from) + " do not fit " + ir::shape_str(to));
  }
  std::vector<std::size_t> f(to.size(), 1);
  for (std::size_t d = 0; d < std::min(from.size(), to.size()); ++d) f[to.size() - 1 - d] = from[from.size() - 1 - d];
  for (std::size_t d = 0; d < to.size(); ++d)
    if (f[d] != 1 && f[d] != to[d])
      throw c.error(what + ": bit widths of shape " + ir::shape_str(from) + " do not broadcast to " + ir::shape_str(to));
  std::vector<double> out(n);
  for (std::size_t e = 0; e < n; ++e) {
    std::size_t rem = e, src = 0, stride = 1;
    std::vector<std::size_t> idx(to.size());
    for (std::size_t d = to.size(); d-- > 0;) {
      idx[d] = rem % to[d];
      rem /= to[d];
    }
    for (std::size_t d = to.size(); d-- > 0;) {
      src += (f[d] == 1 ? 0 : idx[d]) * stride;
      stride *= f[d];
    }
    out[e] = v.at(src);
  }
  return out;
}

std::string add_quantize(LayerCtx& c, const std::string& input, const FixedParams& p, const std::string& suffix,
                         double pre_scale, double pre_offset) {
  ir::Node n = c.node("quantize", suffix);
  n.inputs = {input};
  n.shape = c.graph->at(input).shape;
  n.attr["round"] = quant::name(p.round);
  n.attr["overflow"] = quant::name(p.overflow);
  if (pre_scale != 1.0 || pre_offset != 0.0) {
    n.attr["pre_scale"] = pre_scale;
    n.attr["pre_offset"] = pre_offset;
  }
  bool uniform = true;
  for (std::size_t e = 1; e < p.size(); ++e)
    uniform &= p.k[e] == p.k[0] && p.i[e] == p.i[0] && p.f[e] == p.f[0];
  const std::size_t size = ir::shape_size(n.shape);
  if (!uniform && p.size() != size)
    throw c.error("internal: quantizer with " + std::to_string(p.size()) + " parameter sets for " + std::to_string(size) + " elements");
  const std::size_t m = uniform ? 1 : size;
  for (const char* what : {"k", "i", "f"}) {
    const std::vector<int>& src = what[0] == 'k' ? p.k : what[0] == 'i' ? p.i : p.f;
    ir::Tensor t;
    t.shape = uniform ? ir::Shape{1} : n.shape;
    for (std::size_t e = 0; e < m; ++e) t.data.push_back(src[e]);
    n.weights[what] = std::move(t);
  }
  return c.emit(std::move(n)).name;
}

std::string delegate(LayerCtx& c, const std::string& keras_class, const std::vector<std::string>& inputs,
                     std::vector<NamedTensor> weights, const json* cfg) {
  const LayerHandler* h = LayerRegistry::instance().find(keras_class);
  if (!h) throw c.error("internal: no handler for " + keras_class);
  LayerCtx sub = c;
  sub.cls = c.cls;
  sub.inputs = inputs;
  sub.in_shapes.clear();
  for (const auto& i : inputs) sub.in_shapes.push_back(c.graph->at(i).shape);
  sub.weights = std::move(weights);
  if (cfg) sub.cfg = cfg;
  sub.output.clear();
  std::size_t before = c.graph->nodes().size();
  (*h)(sub);
  auto& nodes = c.graph->nodes();
  for (std::size_t k = before; k < nodes.size(); ++k) nodes[k]->attr["quantized"] = true;
  if (sub.output.empty()) throw c.error("internal: " + keras_class + " handler produced no output");
  c.output = sub.output;
  return sub.output;
}

namespace {

// ---------------------------------------------------------------------------------------------------------
// HGQ2 quantizers.

// A quantizer's saved bit count (b, i or f), rounded as HGQ2 does; bounded before it becomes an int, so that
// b - i and the widths built from it cannot overflow (a real quantizer has a few dozen bits at most).
constexpr double kMaxQuantizerBits = 256;
int round_even(const LayerCtx& c, double v, const std::string& what, const char* var) {
  double r = quant::round_scaled(v, quant::Round::RND_CONV);
  if (!(std::fabs(r) <= kMaxQuantizerBits)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    throw c.error(what + ": quantizer bit count '" + var + "' = " + buf + " is outside -256..256");
  }
  return static_cast<int>(r);
}

// The quantizer config dict inside a layer config ({"class_name": "QuantizerConfig", "config": {...}}).
const json& qconf_body(const LayerCtx& c, const json& conf, const std::string& what) {
  if (conf.is_object() && conf.contains("config") && conf["config"].is_object()) return conf["config"];
  if (conf.is_object() && conf.contains("q_type")) return conf;
  throw c.error(what + ": cannot read quantizer config " + conf.dump().substr(0, 200));
}

}  // namespace

// Read one HGQ2 quantizer: config + saved variables under `prefix` ("kq/quantizer/vars/"), broadcast to
// `target` (the tensor it applies to; data lanes include the batch axis as 1).
FixedParams hgq2_quantizer(const LayerCtx& c, const json& conf_json, const std::string& prefix, const ir::Shape& target,
                           const std::string& what) {
  const json& q = qconf_body(c, conf_json, what);
  std::string q_type = q.value("q_type", "kbi");
  if (q_type != "kbi" && q_type != "kif")
    throw c.error(what + ": quantizer type '" + q_type + "' is not supported (only fixed-point kbi and kif)");
  for (const char* k : {"scaler", "affine"})
    if (q.contains(k) && !q[k].is_null()) throw c.error(what + ": quantizer setting '" + k + "' = " + q[k].dump() + " is not supported");
  if (q.contains("bw_mapper") && !q["bw_mapper"].is_null())
    throw c.error(what + ": a custom bw_mapper is not supported");
  FixedParams p;
  try {
    p.round = quant::parse_round(q.value("round_mode", "RND"));
    p.overflow = quant::parse_overflow(q.value("overflow_mode", "WRAP"));
  } catch (const Error& e) {
    throw c.error(what + ": " + e.what());
  }
  const bool trainable = q.value("trainable", true);
  if (!trainable)
    throw c.error(what + ": quantizers saved with trainable=False are not supported (their variable order differs)");
  const bool is_weight = q.value("is_weight", false);
  // Saved variables: trainable first, then non-trainable, each in creation order.
  std::vector<const ir::Tensor*> vars;
  for (int idx = 0;; ++idx) {
    const ir::Tensor* t = nullptr;
    std::string want = prefix + std::to_string(idx);
    for (const auto& w : c.weights)
      if (w.name == want) t = &w.tensor;
    if (!t) break;
    vars.push_back(t);
  }
  const bool wrap = p.overflow == quant::Overflow::WRAP;
  std::vector<std::string> order;
  if (q_type == "kbi") order = wrap ? std::vector<std::string>{"b", "k", "i"} : std::vector<std::string>{"b", "i", "k"};
  else order = wrap ? std::vector<std::string>{"f", "k", "i"} : std::vector<std::string>{"i", "f", "k"};
  if (vars.size() < 3)
    throw c.error(what + ": expected the quantizer's saved variables under '" + prefix + "' (found " +
                  std::to_string(vars.size()) + ")");
  std::map<std::string, std::vector<double>> v;
  const ir::Shape& shape0 = vars[0]->shape;
  for (std::size_t k = 0; k < 3; ++k) {
    if (vars[k]->shape != shape0)
      throw c.error(what + ": quantizer variables have different shapes " + ir::shape_str(shape0) + " and " +
                    ir::shape_str(vars[k]->shape));
    v[order[k]] = broadcast_to(c, vars[k]->data, vars[k]->shape, target, what);
  }
  const std::size_t n = v["k"].size();
  p.k.resize(n);
  p.i.resize(n);
  p.f.resize(n);
  for (std::size_t e = 0; e < n; ++e) {
    p.k[e] = v["k"][e] != 0 ? 1 : 0;
    if (q_type == "kbi") {
      int b = round_even(c, v["b"][e], what, "b");
      p.i[e] = round_even(c, v["i"][e], what, "i");
      p.f[e] = b - p.i[e];
    } else {
      p.i[e] = round_even(c, v["i"][e], what, "i");
      p.f[e] = round_even(c, v["f"][e], what, "f");
    }
  }
  // HGQ2 weights in WRAP mode are only rounded at inference (FixedPointQuantizerKBI/KIF.call).
  if (wrap && is_weight && (q_type == "kif" || p.round == quant::Round::RND)) p.overflow = quant::Overflow::NONE;
  return p;
}

ir::Shape with_batch(const ir::Shape& s) {
  ir::Shape t = {1};
  t.insert(t.end(), s.begin(), s.end());
  return t;
}

ir::Tensor quantized(const ir::Tensor& t, const FixedParams& p) {
  ir::Tensor r = t;
  for (std::size_t e = 0; e < r.size(); ++e) r.data[e] = p.apply(e, static_cast<float>(t.data[e]));
  return r;
}

namespace {

const json& conf_of(const LayerCtx& c, const char* key) {
  const json& cfg = c.config();
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) throw c.error(std::string("'") + key + "' is missing from the layer config");
  return *it;
}

std::string input_quantizer(LayerCtx& c, const std::string& input) {
  if (!c.get<bool>("enable_iq", true)) return input;
  FixedParams p = hgq2_quantizer(c, conf_of(c, "iq_conf"), "iq/quantizer/vars/", with_batch(c.graph->at(input).shape),
                                 "input quantizer");
  return add_quantize(c, input, p, "iq");
}

std::string output_quantizer(LayerCtx& c, const std::string& out) {
  if (!c.get<bool>("enable_oq", false)) return out;
  FixedParams p = hgq2_quantizer(c, conf_of(c, "oq_conf"), "oq/quantizer/vars/", with_batch(c.graph->at(out).shape),
                                 "output quantizer");
  return add_quantize(c, out, p, "oq");
}

// QDense, QConv1D/2D: iq -> plain layer with quantized kernel and bias -> activation -> oq.
void qlayer(LayerCtx& c, const std::string& plain) {
  std::string x = input_quantizer(c, c.inputs.at(0));
  // The layer's own variables are "vars/0" (kernel), "vars/1" (bias), then beta/ebops.
  const ir::Tensor* kernel = nullptr;
  const ir::Tensor* bias = nullptr;
  for (const auto& w : c.weights) {
    if (w.name == "vars/0") kernel = &w.tensor;
    if (w.name == "vars/1") bias = &w.tensor;
  }
  if (!kernel) throw c.error("missing kernel (vars/0)");
  std::vector<NamedTensor> ws;
  FixedParams kp = hgq2_quantizer(c, conf_of(c, "kq_conf"), "kq/quantizer/vars/", kernel->shape, "kernel quantizer");
  ws.push_back({"kernel", quantized(*kernel, kp)});
  if (c.get<bool>("use_bias", true)) {
    if (!bias) throw c.error("missing bias (vars/1)");
    FixedParams bp = hgq2_quantizer(c, conf_of(c, "bq_conf"), "bq/quantizer/vars/", bias->shape, "bias quantizer");
    ws.push_back({"bias", quantized(*bias, bp)});
  }
  std::string y = delegate(c, plain, {x}, ws);
  output_quantizer(c, y);
}

// QBatchNormalization: iq -> x * kq(scale) + bq(offset), scale and offset computed in float32 as HGQ2 does.
void qbatchnorm(LayerCtx& c) {
  const ir::Shape& in = c.in_shape();
  json axis = c.config().value("axis", json(-1));
  if (axis.is_array()) axis = axis.size() == 1 ? axis[0] : json(0);
  int a = axis.is_number_integer() ? axis.get<int>() : 0;
  if (a != -1 && a != static_cast<int>(in.size())) throw c.error("normalising over an axis other than the last is not supported");
  std::string x = input_quantizer(c, c.inputs.at(0));
  const bool center = c.get<bool>("center", true), scale = c.get<bool>("scale", true);
  const float eps = static_cast<float>(c.get<double>("epsilon", 1e-3));
  const std::size_t ch = in.back();
  std::vector<const ir::Tensor*> own;
  for (int idx = 0;; ++idx) {
    const ir::Tensor* t = nullptr;
    for (const auto& w : c.weights)
      if (w.name == "vars/" + std::to_string(idx)) t = &w.tensor;
    if (!t) break;
    own.push_back(t);
  }
  std::size_t i = 0;
  auto take = [&](const char* what) {
    if (i >= own.size()) throw c.error(std::string("missing ") + what);
    const ir::Tensor* t = own[i++];
    if (t->size() != ch) throw c.error(std::string(what) + " has " + std::to_string(t->size()) + " values, expected " + std::to_string(ch));
    return t->data;
  };
  std::vector<double> gamma(ch, 1.0), beta(ch, 1.0);  // HGQ2 uses beta = 1 when center=False
  if (scale) gamma = take("gamma");
  if (center) beta = take("beta");
  std::vector<double> mean = take("moving_mean"), var = take("moving_variance");
  ir::Tensor s, b;
  s.shape = b.shape = {ch};
  for (std::size_t k = 0; k < ch; ++k) {
    float sc = static_cast<float>(gamma[k]) / std::sqrt(static_cast<float>(var[k]) + eps);
    float off = static_cast<float>(beta[k]) - static_cast<float>(mean[k]) * sc;
    s.data.push_back(sc);
    b.data.push_back(off);
  }
  FixedParams kp = hgq2_quantizer(c, conf_of(c, "kq_conf"), "kq/quantizer/vars/", {ch}, "scale quantizer");
  FixedParams bp = hgq2_quantizer(c, conf_of(c, "bq_conf"), "bq/quantizer/vars/", {ch}, "offset quantizer");
  ir::Node n = c.node("batchnorm");
  n.inputs = {x};
  n.shape = in;
  n.attr["n_filt"] = ch;
  n.attr["quantized"] = true;
  n.weights["scale"] = quantized(s, kp);
  n.weights["bias"] = quantized(b, bp);
  std::string y = c.emit(std::move(n)).name;
  output_quantizer(c, y);
}

// QAdd, QSubtract, QMultiply, QMaximum, QMinimum: one input quantizer per input, then the plain merge.
void qmerge(LayerCtx& c, const std::string& plain) {
  std::vector<std::string> xs = c.inputs;
  if (c.get<bool>("enable_iq", true)) {
    const json& confs = conf_of(c, "iq_confs");
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const json& conf = confs.is_array() ? confs.at(k) : confs;
      std::string prefix = "iq/quantizers/quantizer" + (k ? "_" + std::to_string(k) : std::string()) + "/quantizer/vars/";
      FixedParams p = hgq2_quantizer(c, conf, prefix, with_batch(c.graph->at(xs[k]).shape),
                                     "input quantizer #" + std::to_string(k));
      xs[k] = add_quantize(c, xs[k], p, "iq" + std::to_string(k));
    }
  }
  std::string y = delegate(c, plain, xs, {});
  output_quantizer(c, y);
}

// Element functions for lookup tables, evaluated in float32 as Keras does.
double unary_fn(const LayerCtx& c, const std::string& fn, double x) {
  float xf = static_cast<float>(x);
  double r;
  if (fn == "tanh") r = std::tanh(double(xf));
  else if (fn == "sigmoid") r = 1.0 / (1.0 + std::exp(-double(xf)));
  else if (fn == "relu") r = xf > 0 ? xf : 0.0;
  else if (fn == "linear") r = xf;
  else if (fn == "exponential" || fn == "exp") r = std::exp(double(xf));
  else if (fn == "softplus") r = std::log1p(std::exp(double(xf)));
  else if (fn == "softsign") r = xf / (1.0 + std::fabs(xf));
  else if (fn == "silu" || fn == "swish") r = xf / (1.0 + std::exp(-double(xf)));
  else if (fn == "gelu") r = 0.5 * xf * (1.0 + std::erf(xf / std::sqrt(2.0)));
  else if (fn == "elu") r = xf > 0 ? xf : std::expm1(double(xf));
  else if (fn == "selu") r = 1.0507009873554805 * (xf > 0 ? xf : 1.6732632423543772 * std::expm1(double(xf)));
  else if (fn == "hard_sigmoid") r = std::min(1.0, std::max(0.0, xf / 6.0 + 0.5));
  else throw c.error("lookup-table function '" + fn + "' is not supported");
  return static_cast<float>(r);
}

// A "lut" node over the values a quantize node can produce: table[(x - lo) * 2^frac].
std::string add_lut(LayerCtx& c, const std::string& input, double lo, int frac, std::vector<double> table,
                    const std::string& suffix) {
  ir::Node n = c.node("lut", suffix);
  n.inputs = {input};
  n.shape = c.graph->at(input).shape;
  n.attr["lo"] = lo;
  n.attr["frac"] = frac;
  n.attr["quantized"] = true;
  ir::Tensor t;
  t.shape = {table.size()};
  t.data = std::move(table);
  n.weights["table"] = std::move(t);
  return c.emit(std::move(n)).name;
}

void qunary_lut(LayerCtx& c) {
  json act = c.config().value("activation", json("linear"));
  std::string fn = act.is_string() ? act.get<std::string>() : act.value("config", std::string(""));
  if (!c.get<bool>("enable_iq", true)) throw c.error("a lookup table without an input quantizer (enable_iq=False) is not supported");
  if (!c.get<bool>("enable_oq", true)) throw c.error("a lookup table without an output quantizer (enable_oq=False) is not supported");
  const ir::Shape& in = c.in_shape();
  FixedParams ip = hgq2_quantizer(c, conf_of(c, "iq_conf"), "iq/quantizer/vars/", with_batch(in), "input quantizer");
  std::string x = add_quantize(c, c.inputs.at(0), ip, "iq");
  FixedParams op = hgq2_quantizer(c, conf_of(c, "oq_conf"), "oq/quantizer/vars/", with_batch(in), "output quantizer");
  for (std::size_t e = 1; e < op.size(); ++e)
    if (op.k[e] != op.k[0] || op.i[e] != op.i[0] || op.f[e] != op.f[0])
      throw c.error("output quantizer: per-element (heterogeneous) table quantizers are not supported");
  double lo = 0, hi = 0;
  int frac = 0;
  for (std::size_t e = 0; e < ip.size(); ++e) {
    if (!ip.active(e)) continue;
    lo = std::min(lo, ip.lo(e));
    hi = std::max(hi, ip.hi(e));
    frac = std::max(frac, ip.f[e]);
  }
  double n = (hi - lo) * std::ldexp(1.0, frac) + 1;
  if (n > 65536) throw c.error("lookup table over the quantized input would have " + std::to_string(n) + " entries (limit 65536)");
  std::vector<double> table;
  for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j) {
    double v = lo + std::ldexp(static_cast<double>(j), -frac);
    table.push_back(op.apply(0, unary_fn(c, fn, v)));
  }
  add_lut(c, x, lo, frac, std::move(table), "");
}

// ---------------------------------------------------------------------------------------------------------
// HGQ v1 proxy models.

FixedParams hgq1_params(const LayerCtx& c, const ir::Shape& target) {
  const ir::Tensor* kn = find_weight(c, "keep_negative");
  const ir::Tensor* bits = find_weight(c, "bits");
  const ir::Tensor* ints = find_weight(c, "integers");
  if (!kn || !bits || !ints) throw c.error("missing the keep_negative / bits / integers weights");
  FixedParams p;
  try {
    p.round = quant::parse_round(c.get<std::string>("RND", "TRN"));
    p.overflow = quant::parse_overflow(c.get<std::string>("SAT", "WRAP"));
  } catch (const Error& e) {
    throw c.error(e.what());
  }
  std::vector<double> k = broadcast_to(c, kn->data, kn->shape, target, "keep_negative");
  std::vector<double> b = broadcast_to(c, bits->data, bits->shape, target, "bits");
  std::vector<double> I = broadcast_to(c, ints->data, ints->shape, target, "integers");
  for (std::size_t e = 0; e < k.size(); ++e) {
    if (!(std::fabs(b[e]) <= kMaxQuantizerBits) || !(std::fabs(I[e]) <= kMaxQuantizerBits))
      throw c.error("quantizer bit counts (bits " + std::to_string(b[e]) + ", integers " + std::to_string(I[e]) +
                    ") are outside -256..256");
    int ke = k[e] != 0 ? 1 : 0, be = static_cast<int>(std::lround(b[e])), ie = static_cast<int>(std::lround(I[e]));
    p.k.push_back(ke);
    p.i.push_back(ie - ke);  // HGQ's integers count the sign bit (ap_fixed's I)
    p.f.push_back(be - ie);
  }
  return p;
}

void fixed_point_quantizer(LayerCtx& c) {
  FixedParams p = hgq1_params(c, with_batch(c.in_shape()));
  add_quantize(c, c.inputs.at(0), p, "");
}

void unary_lut_v1(LayerCtx& c) {
  json kif_in = c.config().value("kif_in", json());
  if (!kif_in.is_array() || kif_in.size() != 3) throw c.error("'kif_in' is missing or malformed");
  int k = kif_in[0].get<int>(), i = kif_in[1].get<int>(), f = kif_in[2].get<int>();
  const ir::Tensor* table = find_weight(c, "table");
  if (!table) throw c.error("missing the table weights");
  const std::size_t N = std::size_t(1) << (k + i + f);
  if (table->size() != N) throw c.error("table has " + std::to_string(table->size()) + " entries, expected " + std::to_string(N));
  // Index = round(x * 2^f) mod N (the input's raw bits); reorder to (x - lo) * 2^f.
  const double lo = -k * std::ldexp(1.0, i);
  std::vector<double> t(N);
  for (std::size_t j = 0; j < N; ++j) {
    double raw = lo * std::ldexp(1.0, f) + static_cast<double>(j);
    double m = std::fmod(raw, static_cast<double>(N));
    if (m < 0) m += static_cast<double>(N);
    t[j] = table->data[static_cast<std::size_t>(m)];
  }
  add_lut(c, c.inputs.at(0), lo, f, std::move(t), "");
}

}  // namespace

void register_hgq_layers(LayerRegistry& r) {
  // QDense, QConv1D/2D and QBatchNormalization share their names with QKeras' layers: layers_qkeras.cpp
  // registers those names and dispatches here for HGQ2 configs.
  r.add("HGQ2:QDense", [](LayerCtx& c) { qlayer(c, "Dense"); });
  r.add("HGQ2:QConv1D", [](LayerCtx& c) { qlayer(c, "Conv1D"); });
  r.add("HGQ2:QConv2D", [](LayerCtx& c) { qlayer(c, "Conv2D"); });
  r.add("HGQ2:QBatchNormalization", qbatchnorm);
  r.add("QAdd", [](LayerCtx& c) { qmerge(c, "Add"); });
  r.add("QSubtract", [](LayerCtx& c) { qmerge(c, "Subtract"); });
  r.add("QMultiply", [](LayerCtx& c) { qmerge(c, "Multiply"); });
  r.add("QMaximum", [](LayerCtx& c) { qmerge(c, "Maximum"); });
  r.add("QMinimum", [](LayerCtx& c) { qmerge(c, "Minimum"); });
  r.add("QUnaryFunctionLUT", qunary_lut);
  // HGQ v1 proxy models.
  r.add("FixedPointQuantizer", fixed_point_quantizer);
  r.add("UnaryLUT", unary_lut_v1);
}

}  // namespace kml::readers
