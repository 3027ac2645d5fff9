// Op emitters for the core layers: dense, batchnorm, activation, reshape.
#include <cmath>

#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

NodeCode dense(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  std::size_t n_in = n.attr["n_in"], n_out = n.attr["n_out"];
  std::size_t rows = ir::shape_size(n.shape) / n_out;
  return kernel_bias_layer(
      nn, ConfigStruct(nn.config(), "kml::dense_config").u("n_in", n_in).u("n_out", n_out).u("n_rows", rows),
      "kml/dense.h", "dense");
}

NodeCode batchnorm(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/batchnorm.h"};
  for (const char* r : {"scale", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  c.config = ConfigStruct(nn.config(), "kml::batchnorm_config")
                 .u("n_in", ir::shape_size(n.shape))
                 .u("n_filt", n.attr["n_filt"].get<std::size_t>())
                 .u("reuse_factor", n.reuse_factor)
                 .type("scale_t", nn.type("scale"))
                 .type("bias_t", nn.type("bias"))
                 .str();
  const std::string sv = nn.add_array(c, "s", nn.type("scale"), "scale", "scale");
  const std::string bv = nn.add_array(c, "b", nn.type("bias"), "bias", "bias");
  c.call = nn.call("batchnorm", {sv, bv});
  return c;
}

NodeCode activation(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/activation.h"};
  std::string fn = n.attr.value("fn", "");
  std::size_t size = ir::shape_size(n.shape);

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
    c.config = ConfigStruct(nn.config(), "kml::softmax_config")
                   .u("n_in", n_in)
                   .u("n_rows", size / n_in)
                   .u("table_size", n.settings.value("table_size", 1024))
                   .u("reuse_factor", n.reuse_factor)
                   .b("log", fn == "log_softmax")
                   .i("implementation", impl_code)
                   .type("exp_table_t", nn.type("exp_table"))
                   .type("inv_table_t", nn.type("inv_table"))
                   .type("sum_t", nn.type("sum"))
                   // Stable: the sum lies in [1, n_in]. Latency (no max subtraction): hls4ml's inverse-table
                   // range [0, 64).
                   .d("sum_range", impl == "latency" ? 64.0 : double(n_in))
                   .str();
    c.call = nn.call("softmax");
    return c;
  }

  for (const char* r : {"table", "param"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  ConfigStruct s(nn.config(), "kml::activ_config");
  s.u("n_in", size)
      .u("table_size", n.settings.value("table_size", 1024))
      .u("reuse_factor", n.reuse_factor)
      .type("table_t", nn.type("table"))
      .type("param_t", nn.type("param"));
  auto num = [&](const char* key, double fallback) {
    auto it = n.attr.find(key);
    return it == n.attr.end() || it->is_null() ? fallback : it->get<double>();
  };
  std::string tmpl;  // the kml template
  static const std::map<std::string, std::string> lut = {
      {"sigmoid", "sigmoid"}, {"tanh", "tanh_"}, {"softplus", "softplus"}, {"softsign", "softsign"},
      {"elu", "elu"},         {"selu", "selu"},  {"silu", "silu"},         {"gelu", "gelu"},
      {"exponential", "exponential"}, {"hard_silu", "hard_silu"}, {"mish", "mish"}};
  if (fn == "relu" && !n.attr.contains("max_value") && !n.attr.contains("threshold")) {
    tmpl = "relu";
  } else if (fn == "relu") {
    bool has_max = n.attr.contains("max_value") && !n.attr["max_value"].is_null();
    s.b("has_max", has_max)
        .d("max_value", num("max_value", 0.0))
        .d("negative_slope", num("negative_slope", 0.0))
        .d("threshold", num("threshold", 0.0));
    tmpl = "relu_general";
  } else if (fn == "leaky_relu") {
    s.d("alpha", num("alpha", 0.3));
    tmpl = "leaky_relu";
  } else if (fn == "thresholded_relu") {
    s.d("threshold", num("theta", 1.0));
    tmpl = "thresholded_relu";
  } else if (fn == "hard_sigmoid") {
    s.d("slope", num("slope", 0.2)).d("offset", num("offset", 0.5));
    tmpl = "hard_sigmoid";
  } else if (fn == "hard_tanh") {
    tmpl = "hard_tanh";
  } else if (fn == "prelu") {
    const std::string a = nn.add_array(c, "a", nn.type("param"), "alpha", "alpha");
    c.config = s.str();
    c.call = nn.call("prelu", {a});
    return c;
  } else if (lut.count(fn)) {
    if (fn == "elu") s.d("alpha", num("alpha", 1.0));
    c.config = s.str();
    // The function is a template argument after the config.
    c.call = "kml::unary<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ", kml::fn::" + lut.at(fn) +
             ">(" + nn.in_vars[0] + ", " + nn.out_var + ");";
    return c;
  } else {
    throw Error("internal: no emitter for activation '" + fn + "' (layer '" + n.keras_name + "')");
  }
  c.config = s.str();
  c.call = nn.call(tmpl);
  return c;
}

}  // namespace

void register_core_emitters(EmitterRegistry& r) {
  r.add("dense", dense);
  r.add("batchnorm", batchnorm);
  r.add("activation", activation);
}

}  // namespace kml::emit
