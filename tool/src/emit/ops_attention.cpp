// Op emitters for einsum, einsum_dense (kml/einsum.h), layernorm, l2_normalize (kml/layernorm.h) and
// embedding (kml/embedding.h).
#include "emit/config_struct.h"
#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

std::string var(const char* prefix, const NodeNames& nn) { return prefix + std::to_string(nn.index); }

// The config of both einsum forms: dimensions and the accumulator type.
ConfigStruct einsum_config(const NodeNames& nn) {
  const ir::Node& n = *nn.node;
  ConfigStruct s(nn.config(), "kml::einsum_config", n.attr.value("equation", ""));
  for (const char* k : {"n_s", "n_l", "n_c", "n_r"}) s.u(k, n.attr.at(k).get<std::size_t>());
  s.u("reuse_factor", n.reuse_factor).type("accum_t", nn.type("accum"));
  return s;
}

NodeCode einsum(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/einsum.h"};
  c.typedefs.push_back({nn.type("accum"), n.type("accum")});
  c.config = einsum_config(nn).str();
  std::string ai = var("ia", nn), bi = var("ib", nn), oi = var("io", nn);
  c.weights.push_back({ai, "unsigned", &n.weights.at("a_index"), n.keras_name + " first operand index"});
  c.weights.push_back({bi, "unsigned", &n.weights.at("b_index"), n.keras_name + " second operand index"});
  c.weights.push_back({oi, "unsigned", &n.weights.at("o_index"), n.keras_name + " output index"});
  c.call = nn.call("einsum", {ai, bi, oi}, 2);
  return c;
}

NodeCode einsum_dense(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/einsum.h"};
  for (const char* r : {"accum", "weight", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  c.config = einsum_config(nn).type("weight_t", nn.type("weight")).type("bias_t", nn.type("bias")).str();
  std::string w = var("w", nn), b = var("b", nn), ai = var("ia", nn), oi = var("io", nn);
  c.weights.push_back({w, nn.type("weight"), &n.weights.at("kernel"), n.keras_name + " kernel (canonical order)"});
  c.weights.push_back({b, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " bias (broadcast)"});
  c.weights.push_back({ai, "unsigned", &n.weights.at("a_index"), n.keras_name + " input index"});
  c.weights.push_back({oi, "unsigned", &n.weights.at("o_index"), n.keras_name + " output index"});
  c.call = nn.call("einsum_dense", {w, b, ai, oi});
  return c;
}

// The config of layernorm and l2_normalize: dimensions, epsilon and the table type.
ConfigStruct norm_config(const NodeNames& nn) {
  const ir::Node& n = *nn.node;
  std::size_t n_in = n.attr.at("n_in").get<std::size_t>();
  ConfigStruct s(nn.config(), "kml::layernorm_config");
  s.u("n_in", n_in)
      .u("n_rows", ir::shape_size(n.shape) / n_in)
      .u("table_size", n.settings.value("table_size", 1024))
      .d("epsilon", n.attr.value("epsilon", 1e-3))
      .type("table_t", nn.type("table"));
  return s;
}

NodeCode layernorm(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/layernorm.h"};
  for (const char* r : {"scale", "bias", "table"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  c.config = norm_config(nn).type("scale_t", nn.type("scale")).type("bias_t", nn.type("bias")).str();
  std::string s = var("s", nn), b = var("b", nn);
  c.weights.push_back({s, nn.type("scale"), &n.weights.at("scale"), n.keras_name + " gamma"});
  c.weights.push_back({b, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " beta"});
  c.call = nn.call("layernorm", {s, b});
  return c;
}

NodeCode l2_normalize(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/layernorm.h"};
  c.typedefs.push_back({nn.type("table"), n.type("table")});
  c.config = norm_config(nn).str();
  c.call = nn.call("l2_normalize");
  return c;
}

NodeCode embedding(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/embedding.h"};
  c.typedefs.push_back({nn.type("weight"), n.type("weight")});
  std::size_t dim = n.attr.at("output_dim").get<std::size_t>();
  c.config = ConfigStruct(nn.config(), "kml::embedding_config")
                 .u("n_in", ir::shape_size(n.shape) / dim)
                 .u("n_vocab", n.attr.at("input_dim").get<std::size_t>())
                 .u("n_out", dim)
                 .type("weight_t", nn.type("weight"))
                 .str();
  std::string w = var("e", nn);
  c.weights.push_back({w, nn.type("weight"), &n.weights.at("embeddings"), n.keras_name + " embeddings"});
  c.call = nn.call("embedding", {w});
  return c;
}

}  // namespace

void register_attention_emitters(EmitterRegistry& r) {
  r.add("einsum", einsum);
  r.add("einsum_dense", einsum_dense);
  r.add("layernorm", layernorm);
  r.add("l2_normalize", l2_normalize);
  r.add("embedding", embedding);
}

}  // namespace kml::emit
