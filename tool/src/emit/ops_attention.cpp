// Op emitters for einsum, einsum_dense (kml/einsum.h), layernorm, l2_normalize (kml/layernorm.h) and
// embedding (kml/embedding.h).
#include <sstream>

#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

std::string u(std::size_t v) { return std::to_string(v) + "u"; }
std::string var(const char* prefix, const NodeNames& nn) { return prefix + std::to_string(nn.index); }

std::string einsum_dims(const ir::Node& n) {
  std::ostringstream o;
  o << "  static const unsigned n_s = " << u(n.attr.at("n_s").get<std::size_t>()) << ";\n"
    << "  static const unsigned n_l = " << u(n.attr.at("n_l").get<std::size_t>()) << ";\n"
    << "  static const unsigned n_c = " << u(n.attr.at("n_c").get<std::size_t>()) << ";\n"
    << "  static const unsigned n_r = " << u(n.attr.at("n_r").get<std::size_t>()) << ";\n"
    << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n";
  return o.str();
}

NodeCode einsum(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/einsum.h"};
  c.typedefs.push_back({nn.type("accum"), n.type("accum")});
  std::ostringstream o;
  o << "struct " << nn.config() << " : kml::einsum_config {  // " << n.attr.value("equation", "") << "\n"
    << einsum_dims(n) << "  typedef " << nn.type("accum") << " accum_t;\n};\n";
  c.config = o.str();
  std::string ai = var("ia", nn), bi = var("ib", nn), oi = var("io", nn);
  c.weights.push_back({ai, "unsigned", &n.weights.at("a_index"), n.keras_name + " first operand index"});
  c.weights.push_back({bi, "unsigned", &n.weights.at("b_index"), n.keras_name + " second operand index"});
  c.weights.push_back({oi, "unsigned", &n.weights.at("o_index"), n.keras_name + " output index"});
  c.call = "kml::einsum<" + nn.in_types[0] + ", " + nn.in_types[1] + ", " + nn.out_type + ", " + nn.config() + ">(" +
           nn.in_vars[0] + ", " + nn.in_vars[1] + ", " + nn.out_var + ", " + ai + ", " + bi + ", " + oi + ");";
  return c;
}

NodeCode einsum_dense(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/einsum.h"};
  for (const char* r : {"accum", "weight", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  std::ostringstream o;
  o << "struct " << nn.config() << " : kml::einsum_config {  // " << n.attr.value("equation", "") << "\n"
    << einsum_dims(n) << "  typedef " << nn.type("accum") << " accum_t;\n"
    << "  typedef " << nn.type("weight") << " weight_t;\n"
    << "  typedef " << nn.type("bias") << " bias_t;\n};\n";
  c.config = o.str();
  std::string w = var("w", nn), b = var("b", nn), ai = var("ia", nn), oi = var("io", nn);
  c.weights.push_back({w, nn.type("weight"), &n.weights.at("kernel"), n.keras_name + " kernel (canonical order)"});
  c.weights.push_back({b, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " bias (broadcast)"});
  c.weights.push_back({ai, "unsigned", &n.weights.at("a_index"), n.keras_name + " input index"});
  c.weights.push_back({oi, "unsigned", &n.weights.at("o_index"), n.keras_name + " output index"});
  c.call = "kml::einsum_dense<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] +
           ", " + nn.out_var + ", " + w + ", " + b + ", " + ai + ", " + oi + ");";
  return c;
}

std::string norm_dims(const NodeNames& nn) {
  const ir::Node& n = *nn.node;
  std::size_t n_in = n.attr.at("n_in").get<std::size_t>();
  std::ostringstream o;
  o << "  static const unsigned n_in = " << u(n_in) << ";\n"
    << "  static const unsigned n_rows = " << u(ir::shape_size(n.shape) / n_in) << ";\n"
    << "  static const unsigned table_size = " << n.settings.value("table_size", 1024) << "u;\n"
    << "  static constexpr double epsilon = " << literal(n.attr.value("epsilon", 1e-3), false) << ";\n"
    << "  typedef " << nn.type("table") << " table_t;\n";
  return o.str();
}

NodeCode layernorm(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/layernorm.h"};
  for (const char* r : {"scale", "bias", "table"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  std::ostringstream o;
  o << "struct " << nn.config() << " : kml::layernorm_config {\n"
    << norm_dims(nn) << "  typedef " << nn.type("scale") << " scale_t;\n"
    << "  typedef " << nn.type("bias") << " bias_t;\n};\n";
  c.config = o.str();
  std::string s = var("s", nn), b = var("b", nn);
  c.weights.push_back({s, nn.type("scale"), &n.weights.at("scale"), n.keras_name + " gamma"});
  c.weights.push_back({b, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " beta"});
  c.call = "kml::layernorm<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + ", " + s + ", " + b + ");";
  return c;
}

NodeCode l2_normalize(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/layernorm.h"};
  c.typedefs.push_back({nn.type("table"), n.type("table")});
  std::ostringstream o;
  o << "struct " << nn.config() << " : kml::layernorm_config {\n" << norm_dims(nn) << "};\n";
  c.config = o.str();
  c.call = "kml::l2_normalize<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] +
           ", " + nn.out_var + ");";
  return c;
}

NodeCode embedding(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/embedding.h"};
  c.typedefs.push_back({nn.type("weight"), n.type("weight")});
  std::size_t dim = n.attr.at("output_dim").get<std::size_t>();
  std::ostringstream o;
  o << "struct " << nn.config() << " : kml::embedding_config {\n"
    << "  static const unsigned n_in = " << u(ir::shape_size(n.shape) / dim) << ";\n"
    << "  static const unsigned n_vocab = " << u(n.attr.at("input_dim").get<std::size_t>()) << ";\n"
    << "  static const unsigned n_out = " << u(dim) << ";\n"
    << "  typedef " << nn.type("weight") << " weight_t;\n};\n";
  c.config = o.str();
  std::string w = var("e", nn);
  c.weights.push_back({w, nn.type("weight"), &n.weights.at("embeddings"), n.keras_name + " embeddings"});
  c.call = "kml::embedding<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + ", " + w + ");";
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
