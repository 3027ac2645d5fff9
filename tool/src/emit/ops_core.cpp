// Op emitters for the core layers: dense, batchnorm, activation, reshape.
#include <cmath>
#include <sstream>

#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

std::string u(std::size_t v) { return std::to_string(v) + "u"; }

NodeCode dense(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/dense.h"};
  for (const char* r : {"accum", "weight", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  std::size_t n_in = n.attr["n_in"], n_out = n.attr["n_out"];
  std::size_t rows = ir::shape_size(n.shape) / n_out;
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::dense_config {\n"
    << "  static const unsigned n_in = " << u(n_in) << ";\n"
    << "  static const unsigned n_out = " << u(n_out) << ";\n"
    << "  static const unsigned n_rows = " << u(rows) << ";\n"
    << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n"
    << "  static const bool resource = " << (n.strategy == "resource" ? "true" : "false") << ";\n"
    << "  typedef " << nn.type("accum") << " accum_t;\n"
    << "  typedef " << nn.type("weight") << " weight_t;\n"
    << "  typedef " << nn.type("bias") << " bias_t;\n"
    << "};\n";
  c.config = s.str();
  std::string w = "w" + std::to_string(nn.index), b = "b" + std::to_string(nn.index);
  c.weights.push_back({w, nn.type("weight"), &n.weights.at("kernel"), n.keras_name + " kernel"});
  c.weights.push_back({b, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " bias"});
  c.call = "kml::dense<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + ", " + w + ", " + b + ");";
  return c;
}

NodeCode batchnorm(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/batchnorm.h"};
  for (const char* r : {"scale", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::batchnorm_config {\n"
    << "  static const unsigned n_in = " << u(ir::shape_size(n.shape)) << ";\n"
    << "  static const unsigned n_filt = " << u(n.attr["n_filt"].get<std::size_t>()) << ";\n"
    << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n"
    << "  typedef " << nn.type("scale") << " scale_t;\n"
    << "  typedef " << nn.type("bias") << " bias_t;\n"
    << "};\n";
  c.config = s.str();
  std::string sv = "s" + std::to_string(nn.index), bv = "b" + std::to_string(nn.index);
  c.weights.push_back({sv, nn.type("scale"), &n.weights.at("scale"), n.keras_name + " scale"});
  c.weights.push_back({bv, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " bias"});
  c.call = "kml::batchnorm<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] +
           ", " + nn.out_var + ", " + sv + ", " + bv + ");";
  return c;
}

NodeCode activation(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/activation.h"};
  std::string fn = n.attr.value("fn", "");
  std::size_t size = ir::shape_size(n.shape);
  std::ostringstream s;
  std::string args = "(" + nn.in_vars[0] + ", " + nn.out_var;
  std::string targs = "<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config();

  if (fn == "softmax" || fn == "log_softmax") {
    std::size_t n_in = n.shape.back();
    for (const char* r : {"exp_table", "inv_table"}) c.typedefs.push_back({nn.type(r), n.type(r)});
    // The sum of up to n_in table entries (each <= 1 for the stable form) needs log2(n_in) more integer bits.
    Precision sum = n.type("exp_table");
    if (!sum.is_float()) {
      int extra = 0;
      while ((std::size_t(1) << extra) < n_in) ++extra;
      sum.width += extra;
      sum.integer += extra;
      sum.rounding = "AP_TRN";
      sum.overflow = "AP_WRAP";
      sum.sat_bits = 0;
    }
    c.typedefs.push_back({nn.type("sum"), sum});
    std::string impl = n.settings.value("implementation", "stable");
    int impl_code = impl == "latency" ? 1 : impl == "argmax" ? 2 : 0;
    s << "struct " << nn.config() << " : kml::softmax_config {\n"
      << "  static const unsigned n_in = " << u(n_in) << ";\n"
      << "  static const unsigned n_rows = " << u(size / n_in) << ";\n"
      << "  static const unsigned table_size = " << n.settings.value("table_size", 1024) << "u;\n"
      << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n"
      << "  static const bool log = " << (fn == "log_softmax" ? "true" : "false") << ";\n"
      << "  static const int implementation = " << impl_code << ";\n"
      << "  typedef " << nn.type("exp_table") << " exp_table_t;\n"
      << "  typedef " << nn.type("inv_table") << " inv_table_t;\n"
      << "  typedef " << nn.type("sum") << " sum_t;\n"
      // Stable: the sum lies in [1, n_in]. Latency (no max subtraction): hls4ml's inverse-table range [0, 64).
      << "  static constexpr double sum_range = " << literal(impl == "latency" ? 64.0 : double(n_in), false) << ";\n"
      << "};\n";
    c.config = s.str();
    c.call = "kml::softmax" + targs + ">" + args + ");";
    return c;
  }

  for (const char* r : {"table", "param"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  s << "struct " << nn.config() << " : kml::activ_config {\n"
    << "  static const unsigned n_in = " << u(size) << ";\n"
    << "  static const unsigned table_size = " << n.settings.value("table_size", 1024) << "u;\n"
    << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n"
    << "  typedef " << nn.type("table") << " table_t;\n"
    << "  typedef " << nn.type("param") << " param_t;\n";
  auto num = [&](const char* key, double fallback) {
    auto it = n.attr.find(key);
    return it == n.attr.end() || it->is_null() ? fallback : it->get<double>();
  };
  std::string call;
  static const std::map<std::string, std::string> lut = {
      {"sigmoid", "sigmoid"}, {"tanh", "tanh_"}, {"softplus", "softplus"}, {"softsign", "softsign"},
      {"elu", "elu"},         {"selu", "selu"},  {"silu", "silu"},         {"gelu", "gelu"},
      {"exponential", "exponential"}, {"hard_silu", "hard_silu"}, {"mish", "mish"}};
  if (fn == "relu" && !n.attr.contains("max_value") && !n.attr.contains("threshold")) {
    call = "kml::relu";
  } else if (fn == "relu") {
    bool has_max = n.attr.contains("max_value") && !n.attr["max_value"].is_null();
    s << "  static const bool has_max = " << (has_max ? "true" : "false") << ";\n"
      << "  static constexpr double max_value = " << literal(num("max_value", 0.0), false) << ";\n"
      << "  static constexpr double negative_slope = " << literal(num("negative_slope", 0.0), false) << ";\n"
      << "  static constexpr double threshold = " << literal(num("threshold", 0.0), false) << ";\n";
    call = "kml::relu_general";
  } else if (fn == "leaky_relu") {
    s << "  static constexpr double alpha = " << literal(num("alpha", 0.3), false) << ";\n";
    call = "kml::leaky_relu";
  } else if (fn == "thresholded_relu") {
    s << "  static constexpr double threshold = " << literal(num("theta", 1.0), false) << ";\n";
    call = "kml::thresholded_relu";
  } else if (fn == "hard_sigmoid") {
    s << "  static constexpr double slope = " << literal(num("slope", 0.2), false) << ";\n"
      << "  static constexpr double offset = " << literal(num("offset", 0.5), false) << ";\n";
    call = "kml::hard_sigmoid";
  } else if (fn == "hard_tanh") {
    call = "kml::hard_tanh";
  } else if (fn == "prelu") {
    std::string a = "a" + std::to_string(nn.index);
    c.weights.push_back({a, nn.type("param"), &n.weights.at("alpha"), n.keras_name + " alpha"});
    s << "};\n";
    c.config = s.str();
    c.call = "kml::prelu" + targs + ">" + args + ", " + a + ");";
    return c;
  } else if (lut.count(fn)) {
    if (fn == "elu") s << "  static constexpr double alpha = " << literal(num("alpha", 1.0), false) << ";\n";
    s << "};\n";
    c.config = s.str();
    c.call = "kml::unary" + targs + ", kml::fn::" + lut.at(fn) + ">" + args + ");";
    return c;
  } else {
    throw Error("internal: no emitter for activation '" + fn + "' (layer '" + n.keras_name + "')");
  }
  s << "};\n";
  c.config = s.str();
  c.call = call + targs + ">" + args + ");";
  return c;
}

}  // namespace

void register_core_emitters(EmitterRegistry& r) {
  r.add("dense", dense);
  r.add("batchnorm", batchnorm);
  r.add("activation", activation);
}

}  // namespace kml::emit
