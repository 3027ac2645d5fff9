// Op emitters for einsum, einsum_dense (kml/einsum.h), layernorm, l2_normalize (kml/layernorm.h) and
// embedding (kml/embedding.h).
#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {


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
  const std::string ai = nn.add_array(c, "ia", "unsigned", "a_index", "first operand index");
  const std::string bi = nn.add_array(c, "ib", "unsigned", "b_index", "second operand index");
  const std::string oi = nn.add_array(c, "io", "unsigned", "o_index", "output index");
  c.call = nn.call("einsum", {ai, bi, oi}, 2);
  return c;
}

NodeCode einsum_dense(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/einsum.h"};
  for (const char* r : {"accum", "weight", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  c.config = einsum_config(nn).type("weight_t", nn.type("weight")).type("bias_t", nn.type("bias")).str();
  const std::string w = nn.add_array(c, "w", nn.type("weight"), "kernel", "kernel (canonical order)");
  const std::string b = nn.add_array(c, "b", nn.type("bias"), "bias", "bias (broadcast)");
  const std::string ai = nn.add_array(c, "ia", "unsigned", "a_index", "input index");
  const std::string oi = nn.add_array(c, "io", "unsigned", "o_index", "output index");
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
  const std::string s = nn.add_array(c, "s", nn.type("scale"), "scale", "gamma");
  const std::string b = nn.add_array(c, "b", nn.type("bias"), "bias", "beta");
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
  const std::string w = nn.add_array(c, "e", nn.type("weight"), "embeddings", "embeddings");
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
