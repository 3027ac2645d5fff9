// HGQ2 (Keras 3) attention, einsum, softmax, pooling and merge layers that layers_hgq.cpp does not cover:
// QMultiHeadAttention, QSoftmax, QEinsumDense, QEinsumDenseBatchnorm, QBatchNormDense, QEinsum, QDot,
// QAveragePow2 and the Q pooling layers.
//
// Everything becomes existing IR ops plus explicit "quantize" / "lut" nodes, so that the quantizers pass can
// give every tensor an exact fixed-point type. HGQ2's QSoftmax (hgq/layers/softmax.py) is reproduced step by
// step:
//   d   = max(x) - x                      (stable only; "max_sub" node over the last axis)
//   e   = exp_oq(exp(-exp_iq(d) * s))     (stable; unstable: exp(iq(x) * s)) -> "quantize" + "lut" nodes
//   sum = sum(e)                          ("einsum_dense" with a kernel of ones)
//   inv = inv_oq(1 / (inv_iq(sum) + 1e-7)) -> "quantize" + "lut"
//   y   = oq(e * inv)                     ("einsum" without contraction, then "quantize")
// The tables are evaluated in float32 arithmetic, as HGQ2 evaluates them (Keras on float32 tensors).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "quant/fixed.h"
#include "readers/einsum.h"
#include "readers/layers.h"
#include "readers/layers_quant.h"
#include "util/error.h"

namespace kml::readers {
namespace {

using nlohmann::json;
using quant::FixedParams;

const json* conf_or_null(const LayerCtx& c, const std::string& key) {
  const json& cfg = c.config();
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& need_conf(const LayerCtx& c, const char* key) {
  const json* j = conf_or_null(c, key);
  if (!j) throw c.error(std::string("'") + key + "' is missing from the layer config");
  return *j;
}

const ir::Tensor* own_var(const LayerCtx& c, const std::string& name) {
  for (const auto& w : c.weights)
    if (w.name == name) return &w.tensor;
  return nullptr;
}

// The layer's own variables vars/0, vars/1, ... in order.
std::vector<const ir::Tensor*> own_vars(const LayerCtx& c) {
  std::vector<const ir::Tensor*> r;
  for (int i = 0;; ++i) {
    const ir::Tensor* t = own_var(c, "vars/" + std::to_string(i));
    if (!t) break;
    r.push_back(t);
  }
  return r;
}

// A data-lane quantizer node after `x` (per element of x's shape).
std::string data_quantizer(LayerCtx& c, const std::string& x, const json& conf, const std::string& prefix,
                           const std::string& suffix, const std::string& what) {
  FixedParams p = hgq2_quantizer(c, conf, prefix + "quantizer/vars/", with_batch(c.graph->at(x).shape), what);
  return add_quantize(c, x, p, suffix);
}

bool uniform(const FixedParams& p) {
  for (std::size_t e = 1; e < p.size(); ++e)
    if (p.k[e] != p.k[0] || p.i[e] != p.i[0] || p.f[e] != p.f[0]) return false;
  return true;
}

// A "lut" node over every value the quantizer `ip` (already applied to `x`) can produce:
// table[j] = op(fn(lo + j 2^-frac)).
template <class Fn>
std::string table_node(LayerCtx& c, const std::string& x, const FixedParams& ip, const FixedParams& op, Fn fn,
                       const std::string& suffix, const std::string& what) {
  if (!uniform(op)) throw c.error(what + ": per-element (heterogeneous) table output quantizers are not supported");
  double lo = 0, hi = 0;
  int frac = std::numeric_limits<int>::min();
  for (std::size_t e = 0; e < ip.size(); ++e) {
    if (!ip.active(e)) continue;
    lo = std::min(lo, ip.lo(e));
    hi = std::max(hi, ip.hi(e));
    frac = std::max(frac, ip.f[e]);
  }
  if (frac == std::numeric_limits<int>::min()) frac = 0;
  const double n = (hi - lo) * std::ldexp(1.0, frac) + 1;
  if (n > 65536) throw c.error(what + ": a table over its quantized input would have " + std::to_string(n) + " entries (limit 65536)");
  ir::Node node = c.node("lut", suffix);
  node.inputs = {x};
  node.shape = c.graph->at(x).shape;
  node.attr["lo"] = lo;
  node.attr["frac"] = frac;
  node.attr["quantized"] = true;
  ir::Tensor t;
  t.shape = {static_cast<std::size_t>(n)};
  for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j)
    t.data.push_back(op.apply(0, fn(static_cast<float>(lo + std::ldexp(static_cast<double>(j), -frac)))));
  node.weights["table"] = std::move(t);
  return c.emit(std::move(node)).name;
}

// Letters for the axes of a tensor of rank r (no batch), avoiding `avoid`.
std::string letters(std::size_t r, const std::string& avoid) {
  std::string s;
  for (char ch = 'a'; s.size() < r && ch <= 'z'; ++ch)
    if (avoid.find(ch) == std::string::npos) s += ch;
  return s;
}

// HGQ2 QSoftmax over the last axis of `x`. `pre` is the weight-name prefix of the softmax sublayer
// ("_softmax/" inside QMultiHeadAttention, "" for a QSoftmax layer); `confs` holds the six quantizer configs
// (iq, exp_iq, exp_oq, inv_iq, inv_oq, oq; any may be null when disabled).
struct SoftmaxConfs {
  const json *iq = nullptr, *exp_iq = nullptr, *exp_oq = nullptr, *inv_iq = nullptr, *inv_oq = nullptr, *oq = nullptr;
  bool enable_iq = false, enable_oq = true, stable = true;
  double input_scaler = 1.0;
};

// The six quantizer configs of an HGQ2 softmax: "<prefix>iq_conf", "<prefix>exp_iq_conf", ... (null when absent).
SoftmaxConfs softmax_confs(LayerCtx& c, const std::string& prefix) {
  SoftmaxConfs s;
  s.iq = conf_or_null(c, prefix + "iq_conf");
  s.exp_iq = conf_or_null(c, prefix + "exp_iq_conf");
  s.exp_oq = conf_or_null(c, prefix + "exp_oq_conf");
  s.inv_iq = conf_or_null(c, prefix + "inv_iq_conf");
  s.inv_oq = conf_or_null(c, prefix + "inv_oq_conf");
  s.oq = conf_or_null(c, prefix + "oq_conf");
  return s;
}

std::string q_softmax(LayerCtx& c, std::string x, const std::string& pre, const SoftmaxConfs& s, const std::string& tag) {
  const std::string sfx = tag.empty() ? "" : tag + "_";
  const ir::Shape shape = c.graph->at(x).shape;
  if (s.enable_iq) {
    if (!s.iq) throw c.error("softmax: 'iq_conf' is missing");
    x = data_quantizer(c, x, *s.iq, pre + "iq/", sfx + "iq", "softmax input quantizer");
  }
  if (!s.exp_oq || !s.inv_iq || !s.inv_oq) throw c.error("softmax: the exp/inv table quantizer configs are missing");
  const float scaler = static_cast<float>(s.input_scaler);
  std::string e;
  FixedParams eop = hgq2_quantizer(c, *s.exp_oq, pre + "exp_table/oq/quantizer/vars/", with_batch(shape), "softmax exp table output quantizer");
  if (s.stable) {
    if (!s.exp_iq) throw c.error("softmax: 'exp_iq_conf' is missing");
    ir::Node m = c.node("max_sub", sfx + "shift");
    m.inputs = {x};
    m.shape = shape;
    m.attr["n_in"] = shape.back();
    m.attr["quantized"] = true;
    std::string d = c.emit(std::move(m)).name;
    FixedParams eip = hgq2_quantizer(c, *s.exp_iq, pre + "exp_table/iq/quantizer/vars/", with_batch(shape), "softmax exp table input quantizer");
    std::string dq = add_quantize(c, d, eip, sfx + "exp_iq");
    e = table_node(c, dq, eip, eop, [scaler](float v) {
      float a = -v * scaler;
      return static_cast<double>(static_cast<float>(std::exp(static_cast<double>(a))));
    }, sfx + "exp", "softmax exp table");
  } else {
    if (!s.enable_iq) throw c.error("softmax: stable=False without an input quantizer (enable_iq=False) is not supported");
    FixedParams ip = hgq2_quantizer(c, *s.iq, pre + "iq/quantizer/vars/", with_batch(shape), "softmax input quantizer");
    e = table_node(c, x, ip, eop, [scaler](float v) {
      float a = v * scaler;
      return static_cast<double>(static_cast<float>(std::exp(static_cast<double>(a))));
    }, sfx + "exp", "softmax exp table");
  }
  // Sum over the last axis: einsum_dense with a kernel of ones.
  const std::string t = letters(shape.size(), "");
  const std::string red = t.substr(0, t.size() - 1);
  ir::Tensor ones;
  ones.shape = {shape.back()};
  ones.data.assign(shape.back(), 1.0);
  ir::Node& sum_node = emit_einsum_dense(c, e, t, ones, t.substr(t.size() - 1), nullptr, "", red, sfx + "sum");
  sum_node.attr["quantized"] = true;
  std::string sum = sum_node.name;
  ir::Shape sum_shape = c.graph->at(sum).shape;
  FixedParams iip = hgq2_quantizer(c, *s.inv_iq, pre + "inv_table/iq/quantizer/vars/", with_batch(sum_shape), "softmax inverse table input quantizer");
  FixedParams iop = hgq2_quantizer(c, *s.inv_oq, pre + "inv_table/oq/quantizer/vars/", with_batch(sum_shape), "softmax inverse table output quantizer");
  std::string sq = add_quantize(c, sum, iip, sfx + "inv_iq");
  const float eps = 1e-7f;  // keras.backend.epsilon()
  std::string inv = table_node(c, sq, iip, iop, [eps](float v) {
    float a = v + eps;
    return static_cast<double>(1.0f / a);
  }, sfx + "inv", "softmax inverse table");
  ir::Node& prod = emit_einsum(c, e, inv, t, red, t, sfx + "norm");
  prod.attr["quantized"] = true;
  std::string y = prod.name;
  if (s.enable_oq) {
    if (!s.oq) throw c.error("softmax: 'oq_conf' is missing");
    y = data_quantizer(c, y, *s.oq, pre + "oq/", sfx + "oq", "softmax output quantizer");
  }
  return y;
}

// One QEinsumDense (inside a layer: weight names under `pre`, e.g. "query_dense/"): iq -> einsum with the
// quantized kernel (+ quantized bias) -> oq. Terms exclude the batch letter.
struct EinsumDenseSpec {
  std::string pre, ta, tk, tbias, to, tag;
  const json *iq = nullptr, *kq = nullptr, *bq = nullptr, *oq = nullptr;
  bool enable_iq = true, enable_oq = false;
};

std::string q_einsum_dense(LayerCtx& c, std::string x, const EinsumDenseSpec& s) {
  const std::string sfx = s.tag.empty() ? "" : s.tag + "_";
  if (s.enable_iq) {
    if (!s.iq) throw c.error(s.tag + ": the input quantizer config is missing");
    x = data_quantizer(c, x, *s.iq, s.pre + "iq/", sfx + "iq", s.tag + " input quantizer");
  }
  const ir::Tensor* k = own_var(c, s.pre + "vars/0");
  if (!k) throw c.error("missing the kernel '" + s.pre + "vars/0'");
  if (!s.kq) throw c.error(s.tag + ": the kernel quantizer config is missing");
  FixedParams kp = hgq2_quantizer(c, *s.kq, s.pre + "kq/quantizer/vars/", k->shape, s.tag + " kernel quantizer");
  ir::Tensor qk = quantized(*k, kp);
  ir::Tensor qb;
  const bool has_bias = !s.tbias.empty();
  if (has_bias) {
    const ir::Tensor* b = own_var(c, s.pre + "vars/1");
    if (!b) throw c.error("missing the bias '" + s.pre + "vars/1'");
    if (!s.bq) throw c.error(s.tag + ": the bias quantizer config is missing");
    FixedParams bp = hgq2_quantizer(c, *s.bq, s.pre + "bq/quantizer/vars/", b->shape, s.tag + " bias quantizer");
    qb = quantized(*b, bp);
  }
  ir::Node& n = emit_einsum_dense(c, x, s.ta, qk, s.tk, has_bias ? &qb : nullptr, s.tbias, s.to, s.tag);
  n.attr["quantized"] = true;
  std::string y = n.name;
  if (s.enable_oq) {
    if (!s.oq) throw c.error(s.tag + ": the output quantizer config is missing");
    y = data_quantizer(c, y, *s.oq, s.pre + "oq/", sfx + "oq", s.tag + " output quantizer");
  }
  return y;
}

void q_multi_head_attention(LayerCtx& c) {
  const AttentionInputs io = attention_inputs(c);
  const std::string &q_in = io.query, &v_in = io.value, &k_in = io.key;
  std::string fuse = c.get<std::string>("fuse", "none");
  if (fuse != "none") throw c.error("fuse='" + fuse + "' is not supported (only 'none')");
  if (conf_or_null(c, "output_shape")) throw c.error("a custom output_shape is not supported");
  if (conf_or_null(c, "sliding_window")) throw c.error("sliding_window is not supported");
  for (const auto& in : {q_in, v_in, k_in})
    if (c.graph->at(in).shape.size() != 2)
      throw c.error("inputs must have shape (sequence, features); got " + ir::shape_str(c.graph->at(in).shape));
  const bool enable_iq = c.get<bool>("enable_iq", true), enable_oq = c.get<bool>("enable_oq", false);
  const bool use_bias = c.get<bool>("use_bias", true);
  const double key_dim = c.get<double>("key_dim", 0);
  if (key_dim <= 0) throw c.error("'key_dim' is missing");
  const json* iq = conf_or_null(c, "qkvo_iq_conf");
  const json* kq = conf_or_null(c, "qkvo_kq_conf");
  const json* bq = conf_or_null(c, "qkvo_bq_conf");
  const json* oq = conf_or_null(c, "qkvo_oq_conf");

  auto proj = [&](const std::string& in, const char* pre, const char* tag, const char* tk, const char* to, bool bias) {
    EinsumDenseSpec s;
    s.pre = pre;
    s.tag = tag;
    s.ta = std::string(1, to[0]) + "c";
    s.tk = tk;
    s.to = to;
    s.tbias = bias && use_bias ? std::string(to).substr(1) : "";
    s.iq = iq;
    s.kq = kq;
    s.bq = bq;
    s.oq = oq;
    s.enable_iq = enable_iq;
    s.enable_oq = true;
    return q_einsum_dense(c, in, s);
  };
  std::string q = proj(q_in, "query_dense/", "query", "chk", "thk", true);
  std::string k = proj(k_in, "key_dense/", "key", "chk", "shk", false);  // HGQ2: the key projection has no bias
  std::string v = proj(v_in, "value_dense/", "value", "chv", "shv", true);
  // Scores (heads, query position, key position); HGQ2 folds 1/sqrt(key_dim) into the exp table.
  ir::Node& sc = emit_einsum(c, q, k, "thk", "shk", "hts", "scores");
  sc.attr["quantized"] = true;
  SoftmaxConfs sm = softmax_confs(c, "softmax_");
  sm.enable_iq = false;  // HGQ2 builds the attention softmax with its input quantizer disabled
  sm.enable_oq = true;
  sm.stable = c.get<bool>("stable_softmax", true);
  sm.input_scaler = static_cast<double>(1.0f / std::sqrt(static_cast<float>(key_dim)));
  if (!sm.stable) throw c.error("stable_softmax=False is not supported (the softmax has no input quantizer)");
  std::string probs = q_softmax(c, sc.name, "_softmax/", sm, "softmax");
  ir::Node& ctx = emit_einsum(c, probs, v, "hts", "shv", "thv", "context");
  ctx.attr["quantized"] = true;
  EinsumDenseSpec o;
  o.pre = "output_dense/";
  o.tag = "output";
  o.ta = "thv";
  o.tk = "hvd";
  o.to = "td";
  o.tbias = use_bias ? "d" : "";
  o.iq = iq;
  o.kq = kq;
  o.bq = bq;
  o.oq = oq;
  o.enable_iq = true;
  o.enable_oq = enable_oq;
  std::string y = q_einsum_dense(c, ctx.name, o);
  if (enable_oq) data_quantizer(c, y, need_conf(c, "oq_conf"), "oq/", "oq", "output quantizer");
}

void q_softmax_layer(LayerCtx& c) {
  json axes = c.config().value("axes", c.config().value("axis", json(-1)));
  if (axes.is_array() && axes.size() == 1) axes = axes[0];
  const int rank = static_cast<int>(c.in_shape().size()) + 1;
  if (!axes.is_number_integer() || (axes.get<int>() != -1 && axes.get<int>() != rank - 1))
    throw c.error("softmax over axes " + axes.dump() + " is not supported (only the last axis)");
  SoftmaxConfs s = softmax_confs(c, "");
  s.enable_iq = c.get<bool>("enable_iq", false);
  s.enable_oq = c.get<bool>("enable_oq", false);
  s.stable = c.get<bool>("stable", true);
  s.input_scaler = static_cast<double>(static_cast<float>(c.get<double>("input_scaler", 1.0)));
  q_softmax(c, c.inputs.at(0), "", s, "");
}

// "...b,bc->...c" with the batch letter: expand and drop the batch letter (the plain EinsumDense rules).
void split_layer_equation(const LayerCtx& c, const std::string& eq, std::string& ta, std::string& tk, std::string& to) {
  if (!split_equation(eq, ta, tk, to)) throw c.error("cannot read equation '" + eq + "'");
  const std::size_t n_dims = c.in_shape().size() + 1;
  auto pos = ta.find("...");
  if (pos != std::string::npos) {
    std::string used = ta + tk + to, fill;
    for (char ch = 'A'; fill.size() < n_dims - (ta.size() - 3) && ch <= 'Z'; ++ch)
      if (used.find(ch) == std::string::npos) fill += ch;
    ta = ta.substr(0, pos) + fill + ta.substr(pos + 3);
    auto op = to.find("...");
    if (op != std::string::npos) to = to.substr(0, op) + fill + to.substr(op + 3);
  }
  if (tk.find("...") != std::string::npos) throw c.error("'...' in the kernel term of '" + eq + "' is not supported");
  if (ta.size() != n_dims || to.empty() || to[0] != ta[0] || tk.find(ta[0]) != std::string::npos)
    throw c.error("equation '" + eq + "': the batch axis must lead the input and the output and not be in the kernel");
  ta.erase(0, 1);
  to.erase(0, 1);
}

// QEinsumDense / QEinsumDenseBatchnorm (fused: kernel * gamma / sqrt(var + eps), bias + (-mean * scaler), in
// float32 as HGQ2 computes them, then quantized).
void q_einsum_dense_layer(LayerCtx& c, bool batchnorm) {
  std::string ta, tk, to;
  split_layer_equation(c, c.get<std::string>("equation", ""), ta, tk, to);
  json ba = c.config().value("bias_axes", json());
  std::string tbias = ba.is_string() ? ba.get<std::string>() : "";
  std::string x = c.inputs.at(0);
  if (c.get<bool>("enable_iq", true)) x = data_quantizer(c, x, need_conf(c, "iq_conf"), "iq/", "iq", "input quantizer");
  const ir::Tensor* k = own_var(c, "vars/0");
  if (!k) throw c.error("missing the kernel (vars/0)");
  ir::Tensor kernel = *k, bias;
  if (!tbias.empty()) {
    const ir::Tensor* b = own_var(c, "vars/1");
    if (!b) throw c.error("missing the bias (vars/1)");
    bias = *b;
  }
  if (batchnorm) {
    if (tbias.empty()) throw c.error("QEinsumDenseBatchnorm without bias_axes is not supported");
    std::string norm = c.get<std::string>("normalize_axes", tbias);
    if (norm != tbias) throw c.error("normalize_axes '" + norm + "' different from bias_axes '" + tbias + "' is not supported");
    // Saved order: trainable (kernel, bias, gamma when scale=True), then non-trainable, created last
    // moving_mean and moving_variance. center=False makes the bias non-trainable (another order).
    if (!c.get<bool>("center", true)) throw c.error("QEinsumDenseBatchnorm with center=False is not supported");
    std::vector<const ir::Tensor*> vars = own_vars(c);
    if (vars.size() < 4) throw c.error("missing the batch-normalization statistics");
    const ir::Tensor* gamma = c.get<bool>("scale", true) ? vars[2] : nullptr;
    const ir::Tensor* mean = vars[vars.size() - 2];
    const ir::Tensor* var = vars[vars.size() - 1];
    const std::size_t nb = bias.size();
    if (mean->size() != nb || var->size() != nb || (gamma && gamma->size() != nb))
      throw c.error("batch-normalization statistics do not match the bias shape");
    auto same_order = [&](const std::string& t) {
      std::size_t last = 0;
      for (char ch : tbias) {
        std::size_t p = t.find(ch);
        if (p == std::string::npos || p < last) return false;
        last = p;
      }
      return true;
    };
    if (!same_order(tk) || !same_order(to))
      throw c.error("bias_axes '" + tbias + "' in an order different from the kernel's and the output's is not supported");
    const float eps = static_cast<float>(c.get<double>("epsilon", 1e-3));
    std::vector<float> scaler(nb);
    for (std::size_t j = 0; j < nb; ++j) {
      float g = gamma ? static_cast<float>(gamma->data[j]) : 1.0f;
      scaler[j] = g / std::sqrt(static_cast<float>(var->data[j]) + eps);
      bias.data[j] = static_cast<float>(static_cast<float>(bias.data[j]) + (-static_cast<float>(mean->data[j]) * scaler[j]));
    }
    // Multiply each kernel element by the scaler of its bias-axes coordinates (tbias letters are kernel letters).
    std::vector<std::size_t> kstride(tk.size(), 1);
    for (std::size_t i = tk.size(); i-- > 1;) kstride[i - 1] = kstride[i] * kernel.shape[i];
    for (std::size_t e = 0; e < kernel.size(); ++e) {
      std::size_t bi = 0;
      for (char ch : tbias) {
        std::size_t p = tk.find(ch);
        if (p == std::string::npos) throw c.error("normalize axis '" + std::string(1, ch) + "' is not a kernel axis");
        bi = bi * kernel.shape[p] + (e / kstride[p]) % kernel.shape[p];
      }
      kernel.data[e] = static_cast<float>(static_cast<float>(kernel.data[e]) * scaler[bi]);
    }
  }
  FixedParams kp = hgq2_quantizer(c, need_conf(c, "kq_conf"), "kq/quantizer/vars/", kernel.shape, "kernel quantizer");
  kernel = quantized(kernel, kp);
  if (!tbias.empty()) {
    FixedParams bp = hgq2_quantizer(c, need_conf(c, "bq_conf"), "bq/quantizer/vars/", bias.shape, "bias quantizer");
    bias = quantized(bias, bp);
  }
  ir::Node& n = emit_einsum_dense(c, x, ta, kernel, tk, tbias.empty() ? nullptr : &bias, tbias, to, "");
  n.attr["quantized"] = true;
  n.attr["activation"] = activation_attr(c, c.config().value("activation", json("linear")));
  std::string y = n.name;
  if (n.attr["activation"].value("fn", "linear") != "linear") {
    y = add_activation(c, y, n.attr["activation"], "act");
    n.attr["activation"] = json{{"fn", "linear"}};
  }
  if (c.get<bool>("enable_oq", false)) data_quantizer(c, y, need_conf(c, "oq_conf"), "oq/", "oq", "output quantizer");
}

// QBatchNormDense (hgq/layers/core/dense.py): the statistics are over the input features; HGQ2 fuses
// kernel' = (gamma / sqrt(var + eps))[:, None] * kernel and bias' = bias - mean . kernel (float32), then
// quantizes both.
void q_batchnorm_dense(LayerCtx& c) {
  std::string x = c.inputs.at(0);
  if (c.get<bool>("enable_iq", true)) x = data_quantizer(c, x, need_conf(c, "iq_conf"), "iq/", "iq", "input quantizer");
  std::vector<const ir::Tensor*> vars = own_vars(c);
  if (vars.size() < 4 || vars[0]->shape.size() != 2) throw c.error("missing the kernel, bias and statistics");
  const ir::Tensor* k = vars[0];
  const std::size_t n_in = k->shape[0], n_out = k->shape[1];
  const ir::Tensor* b = vars[1];
  const ir::Tensor* gamma = c.get<bool>("scale", true) ? vars[2] : nullptr;
  // Created last (non-trainable): moving_mean, moving_variance.
  const ir::Tensor* mean = vars[vars.size() - 2];
  const ir::Tensor* var = vars[vars.size() - 1];
  if (b->size() != n_out || mean->size() != n_in || var->size() != n_in || (gamma && gamma->size() != n_in))
    throw c.error("malformed bias or batch-normalization statistics");
  const float eps = static_cast<float>(c.get<double>("epsilon", 1e-3));
  ir::Tensor kernel = *k, bias;
  bias.shape = {n_out};
  for (std::size_t j = 0; j < n_out; ++j) {
    float dot = 0.0f;
    for (std::size_t i = 0; i < n_in; ++i) dot += static_cast<float>(mean->data[i]) * static_cast<float>(k->data[i * n_out + j]);
    bias.data.push_back(static_cast<float>(static_cast<float>(b->data[j]) + (-dot)));
  }
  for (std::size_t i = 0; i < n_in; ++i) {
    float g = gamma ? static_cast<float>(gamma->data[i]) : 1.0f;
    float sc = g / std::sqrt(static_cast<float>(var->data[i]) + eps);
    for (std::size_t j = 0; j < n_out; ++j)
      kernel.data[i * n_out + j] = static_cast<float>(sc * static_cast<float>(k->data[i * n_out + j]));
  }
  FixedParams kp = hgq2_quantizer(c, need_conf(c, "kq_conf"), "kq/quantizer/vars/", kernel.shape, "kernel quantizer");
  FixedParams bp = hgq2_quantizer(c, need_conf(c, "bq_conf"), "bq/quantizer/vars/", bias.shape, "bias quantizer");
  std::vector<NamedTensor> ws = {{"kernel", quantized(kernel, kp)}, {"bias", quantized(bias, bp)}};
  json cfg = c.config();
  cfg["use_bias"] = true;
  std::string y = delegate(c, "Dense", {x}, ws, &cfg);
  if (c.get<bool>("enable_oq", false)) data_quantizer(c, y, need_conf(c, "oq_conf"), "oq/", "oq", "output quantizer");
}

// Multi-input layers: one input quantizer per input (iq/quantizers/quantizer[_k]/quantizer/vars/).
std::vector<std::string> multi_iq(LayerCtx& c) {
  std::vector<std::string> xs = c.inputs;
  if (!c.get<bool>("enable_iq", true)) return xs;
  const json& confs = need_conf(c, "iq_confs");
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const json& conf = confs.is_array() ? confs.at(k) : confs;
    std::string pre = "iq/quantizers/quantizer" + (k ? "_" + std::to_string(k) : std::string()) + "/";
    xs[k] = data_quantizer(c, xs[k], conf, pre, "iq" + std::to_string(k), "input quantizer #" + std::to_string(k));
  }
  return xs;
}

void q_einsum(LayerCtx& c) {
  std::vector<std::string> xs = multi_iq(c);
  if (xs.size() != 2) throw c.error("einsum over " + std::to_string(xs.size()) + " operands is not supported (only two)");
  std::string eq = c.get<std::string>("equation", ""), ta, tb, to;
  if (!split_equation(eq, ta, tb, to)) throw c.error("cannot read equation '" + eq + "'");
  if ((ta + tb + to).find("...") != std::string::npos) throw c.error("'...' in equation '" + eq + "' is not supported");
  if (ta.size() != c.graph->at(xs[0]).shape.size() + 1 || tb.size() != c.graph->at(xs[1]).shape.size() + 1 ||
      to.empty() || ta[0] != tb[0] || ta[0] != to[0])
    throw c.error("equation '" + eq + "': both operands and the output must start with the batch axis");
  ir::Node& n = emit_einsum(c, xs[0], xs[1], ta.substr(1), tb.substr(1), to.substr(1), "");
  n.attr["quantized"] = true;
  if (c.get<bool>("enable_oq", false)) data_quantizer(c, n.name, need_conf(c, "oq_conf"), "oq/", "oq", "output quantizer");
}

void q_merge_plain(LayerCtx& c, const std::string& plain) {
  std::vector<std::string> xs = multi_iq(c);
  std::string y = delegate(c, plain, xs, {});
  if (c.get<bool>("enable_oq", false)) data_quantizer(c, y, need_conf(c, "oq_conf"), "oq/", "oq", "output quantizer");
}

void q_average_pow2(LayerCtx& c) {
  std::vector<std::string> xs = multi_iq(c);
  std::string y = delegate(c, "Average", xs, {});
  // HGQ2: sum * 2^round(log2(1/n)) instead of the mean.
  const double n = static_cast<double>(xs.size());
  c.graph->at(y).attr["scale"] = std::ldexp(1.0, static_cast<int>(std::nearbyint(std::log2(1.0 / n))));
  if (c.get<bool>("enable_oq", false)) data_quantizer(c, y, need_conf(c, "oq_conf"), "oq/", "oq", "output quantizer");
}

void q_single(LayerCtx& c, const std::string& plain) {
  std::string x = c.inputs.at(0);
  if (c.get<bool>("enable_iq", true)) x = data_quantizer(c, x, need_conf(c, "iq_conf"), "iq/", "iq", "input quantizer");
  std::string y = delegate(c, plain, {x}, {});
  if (c.get<bool>("enable_oq", false)) data_quantizer(c, y, need_conf(c, "oq_conf"), "oq/", "oq", "output quantizer");
}

}  // namespace

void register_hgq_attention_layers(LayerRegistry& r) {
  r.add("QMultiHeadAttention", q_multi_head_attention);
  r.add("QSoftmax", q_softmax_layer);
  r.add("QEinsumDense", [](LayerCtx& c) { q_einsum_dense_layer(c, false); });
  r.add("QEinsumDenseBatchnorm", [](LayerCtx& c) { q_einsum_dense_layer(c, true); });
  r.add("QBatchNormDense", q_batchnorm_dense);
  r.add("QEinsum", q_einsum);
  r.add("QDot", [](LayerCtx& c) { q_merge_plain(c, "Dot"); });
  r.add("QAveragePow2", q_average_pow2);
  for (const char* p : {"MaxPooling1D", "MaxPooling2D", "AveragePooling1D", "AveragePooling2D", "GlobalMaxPooling1D",
                        "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D"}) {
    std::string plain = p;
    r.add("Q" + plain, [plain](LayerCtx& c) { q_single(c, plain); });
  }
}

}  // namespace kml::readers
