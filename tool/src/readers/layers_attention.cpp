// EinsumDense, MultiHeadAttention (decomposed into einsum_dense / einsum / softmax nodes), LayerNormalization,
// Embedding.
#include <cmath>
#include <string>

#include "readers/einsum.h"
#include "readers/layers.h"

namespace kml::readers {
namespace {

using nlohmann::json;

// "...b,bc->...c" -> explicit letters, given the input rank (batch included).
std::string expand_ellipsis(const LayerCtx& c, std::string term, std::size_t n_dims, const std::string& used) {
  auto pos = term.find("...");
  if (pos == std::string::npos) return term;
  std::size_t explicit_letters = term.size() - 3;
  if (n_dims < explicit_letters) throw c.error("equation term '" + term + "' has more letters than the input has axes");
  std::string fill;
  for (char ch = 'A'; fill.size() < n_dims - explicit_letters && ch <= 'Z'; ++ch)
    if (used.find(ch) == std::string::npos) fill += ch;
  return term.substr(0, pos) + fill + term.substr(pos + 3);
}

void einsum_dense(LayerCtx& c) {
  std::string eq = c.get<std::string>("equation", "");
  std::string ta, tk, to;
  if (!split_equation(eq, ta, tk, to)) throw c.error("cannot read equation '" + eq + "'");
  const ir::Shape& in = c.in_shape();
  std::string used = ta + tk + to;
  std::string ta2 = expand_ellipsis(c, ta, in.size() + 1, used);
  std::string fill;  // the letters "..." stood for
  if (ta2 != ta) {
    auto pos = ta.find("...");
    fill = ta2.substr(pos, ta2.size() - (ta.size() - 3));
  }
  if (to.find("...") != std::string::npos) to.replace(to.find("..."), 3, fill);
  ta = ta2;
  if (tk.find("...") != std::string::npos) throw c.error("'...' in the kernel term of '" + eq + "' is not supported");
  if (ta.size() != in.size() + 1)
    throw c.error("equation '" + eq + "' does not match the input shape " + ir::shape_str(in) + " (plus batch)");
  const char batch = ta[0];
  if (to.empty() || to[0] != batch || tk.find(batch) != std::string::npos)
    throw c.error("equation '" + eq + "': the batch axis must lead the input and the output and not be in the kernel");
  ta.erase(0, 1);
  to.erase(0, 1);
  const ir::Tensor& k = c.weight(0, "kernel");
  std::string bias_axes = c.config().value("bias_axes", json()).is_string() ? c.get<std::string>("bias_axes", "") : "";
  const ir::Tensor* bias = bias_axes.empty() ? nullptr : &c.weight(1, "bias");
  ir::Node& n = emit_einsum_dense(c, c.inputs[0], ta, k, tk, bias, bias_axes, to, "");
  n.attr["activation"] = activation_attr(c, c.config().value("activation", json("linear")));
}

// Weights of a MultiHeadAttention sublayer: Keras 3 "query_dense/vars/0", Keras 2 layout
// "<layer>/query/kernel". Returns {kernel, bias-or-null}.
std::pair<const ir::Tensor*, const ir::Tensor*> sublayer(const LayerCtx& c, const std::vector<std::string>& names) {
  const ir::Tensor *k = nullptr, *b = nullptr;
  for (const auto& w : c.weights) {
    std::string rest = w.name;
    if (rest.compare(0, c.name.size() + 1, c.name + "/") == 0) rest = rest.substr(c.name.size() + 1);
    std::string head = rest.substr(0, rest.find('/'));
    bool match = false;
    for (const auto& n : names) match |= head == n || head == "_" + n;
    if (!match) continue;
    std::string tail = rest.substr(rest.find('/') + 1);
    if (tail == "kernel" || tail == "vars/0") k = &w.tensor;
    else if (tail == "bias" || tail == "vars/1") b = &w.tensor;
  }
  if (!k) throw c.error("missing the weights of its '" + names[0] + "' projection");
  // The bias is declared by the config, not guessed from the file: a declared bias that is missing is an error.
  const json& ub = c.config().contains("use_bias") ? c.config()["use_bias"] : json(true);
  if (!ub.is_boolean()) throw c.error("'use_bias' must be true or false");
  if (ub.get<bool>() && !b)
    throw c.error("use_bias is true but the weights of its '" + names[0] + "' projection have no bias");
  if (!ub.get<bool>()) b = nullptr;
  return {k, b};
}

void multi_head_attention(LayerCtx& c) {
  const AttentionInputs io = attention_inputs(c);
  const std::string &q_in = io.query, &v_in = io.value, &k_in = io.key;
  for (const auto& in : {q_in, v_in, k_in})
    if (c.graph->at(in).shape.size() != 2)
      throw c.error("inputs must have shape (sequence, features); got " + ir::shape_str(c.graph->at(in).shape));
  auto [wq, bq] = sublayer(c, {"query_dense", "query"});
  auto [wk, bk] = sublayer(c, {"key_dense", "key"});
  auto [wv, bv] = sublayer(c, {"value_dense", "value"});
  auto [wo, bo] = sublayer(c, {"output_dense", "attention_output"});
  if (wq->shape.size() != 3 || wk->shape.size() != 3 || wv->shape.size() != 3 || wo->shape.size() != 3)
    throw c.error("unexpected projection kernel ranks");
  const double key_dim = static_cast<double>(wq->shape[2]);
  // Keras scales the projected query by 1/sqrt(key_dim): folded into the query projection.
  const double s = 1.0 / std::sqrt(key_dim);
  ir::Tensor wq_s = *wq, bq_s;
  for (auto& v : wq_s.data) v *= s;
  if (bq) {
    bq_s = *bq;
    for (auto& v : bq_s.data) v *= s;
  }
  std::string q = emit_einsum_dense(c, q_in, "tc", wq_s, "chk", bq ? &bq_s : nullptr, "hk", "thk", "query").name;
  std::string k = emit_einsum_dense(c, k_in, "sc", *wk, "chk", bk, "hk", "shk", "key").name;
  std::string v = emit_einsum_dense(c, v_in, "sc", *wv, "chv", bv, "hv", "shv", "value").name;
  std::string scores = emit_einsum(c, q, k, "thk", "shk", "hts", "scores").name;
  ir::Node sm = c.node("activation", "softmax");
  sm.inputs = {scores};
  sm.shape = c.graph->at(scores).shape;
  sm.attr = {{"fn", "softmax"}, {"axis", -1}};
  std::string probs = c.emit(std::move(sm)).name;
  std::string ctx = emit_einsum(c, probs, v, "hts", "shv", "thv", "context").name;
  emit_einsum_dense(c, ctx, "thv", *wo, "hvd", bo, "d", "td", "");
}

void layer_normalization(LayerCtx& c) {
  const ir::Shape& in = c.in_shape();
  json axis = c.config().value("axis", json(-1));
  if (axis.is_array()) {
    if (axis.size() != 1) throw c.error("normalising over several axes " + axis.dump() + " is not supported");
    axis = axis[0];
  }
  int a = axis.get<int>();
  int r = static_cast<int>(in.size()) + 1;
  if (a < 0) a += r;
  if (a != r - 1) throw c.error("normalising over axis " + std::to_string(a) + " other than the last is not supported");
  if (c.get<bool>("rms_scaling", false)) throw c.error("rms_scaling=True is not supported");
  bool center = c.get<bool>("center", true), scale = c.get<bool>("scale", true);
  std::size_t n_in = in.back();
  ir::Tensor gamma, beta;
  gamma.shape = beta.shape = {n_in};
  gamma.data.assign(n_in, 1.0);
  beta.data.assign(n_in, 0.0);
  std::size_t i = 0;
  auto take = [&](const char* what, ir::Tensor& t) {
    const ir::Tensor& w = c.weight(i++, what);
    if (w.size() != n_in) throw c.error(std::string(what) + " has " + std::to_string(w.size()) + " values, expected " + std::to_string(n_in));
    t.data = w.data;
  };
  if (scale) take("gamma", gamma);
  if (center) take("beta", beta);
  ir::Node n = c.node("layernorm");
  n.shape = in;
  n.attr["n_in"] = n_in;
  n.attr["epsilon"] = c.get<double>("epsilon", 1e-3);
  n.weights["scale"] = std::move(gamma);
  n.weights["bias"] = std::move(beta);
  c.emit(std::move(n));
}

void embedding(LayerCtx& c) {
  const ir::Tensor& e = c.weight(0, "embeddings");
  std::size_t vocab = c.get<std::size_t>("input_dim", 0), dim = c.get<std::size_t>("output_dim", 0);
  if (e.shape.size() != 2 || e.shape[0] != vocab || e.shape[1] != dim)
    throw c.error("embeddings have shape " + ir::shape_str(e.shape) + ", expected (" + std::to_string(vocab) + ", " +
                  std::to_string(dim) + ")");
  ir::Node n = c.node("embedding");
  n.shape = c.in_shape();
  n.shape.push_back(dim);
  n.attr["input_dim"] = vocab;
  n.attr["output_dim"] = dim;
  n.weights["embeddings"] = e;
  c.emit(std::move(n));
}

}  // namespace

AttentionInputs attention_inputs(LayerCtx& c) {
  if (c.inputs.size() < 2 || c.inputs.size() > 3)
    throw c.error("expected query and value (and optionally key) inputs, got " + std::to_string(c.inputs.size()));
  json axes = c.config().value("attention_axes", json());
  if (!axes.is_null()) {
    bool ok = axes.is_array() && axes.size() == 1 && axes[0].is_number_integer() &&
              (axes[0].get<int>() == 1 || axes[0].get<int>() == -2);
    if (!ok) throw c.error("attention_axes " + axes.dump() + " is not supported (only the default, axis 1)");
  }
  if (c.get<bool>("use_gate", false)) throw c.error("use_gate=True is not supported");
  return {c.inputs[0], c.inputs[1], c.inputs.size() == 3 ? c.inputs[2] : c.inputs[1]};
}

void register_attention_layers(LayerRegistry& r) {
  r.add("EinsumDense", einsum_dense);
  r.add("MultiHeadAttention", multi_head_attention);
  r.add("LayerNormalization", layer_normalization);
  r.add("Embedding", embedding);
}

}  // namespace kml::readers
