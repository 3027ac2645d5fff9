// Op emitters for convolutions and pooling: conv, conv_transpose, pool, global_pool (templates kml/conv.h,
// kml/pooling.h).
#include <sstream>

#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

std::string u(const nlohmann::json& v) { return std::to_string(v.get<std::size_t>()) + "u"; }

void geometry(std::ostringstream& s, const ir::Node& n, std::initializer_list<const char*> keys) {
  for (const char* k : keys) s << "  static const unsigned " << k << " = " << u(n.attr.at(k)) << ";\n";
}

NodeCode conv_like(const NodeNames& nn, const char* fn) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/conv.h"};
  for (const char* r : {"accum", "weight", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::conv_config {\n";
  geometry(s, n, {"in_h", "in_w", "n_chan", "out_h", "out_w", "n_filt", "filt_h", "filt_w", "stride_h", "stride_w",
                  "dilation_h", "dilation_w", "pad_top", "pad_left", "groups"});
  s << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n"
    << "  static const bool resource = " << (n.strategy == "resource" ? "true" : "false") << ";\n"
    << "  typedef " << nn.type("accum") << " accum_t;\n"
    << "  typedef " << nn.type("weight") << " weight_t;\n"
    << "  typedef " << nn.type("bias") << " bias_t;\n"
    << "};\n";
  c.config = s.str();
  std::string w = "w" + std::to_string(nn.index), b = "b" + std::to_string(nn.index);
  c.weights.push_back({w, nn.type("weight"), &n.weights.at("kernel"), n.keras_name + " kernel"});
  c.weights.push_back({b, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " bias"});
  c.call = std::string("kml::") + fn + "<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" +
           nn.in_vars[0] + ", " + nn.out_var + ", " + w + ", " + b + ");";
  return c;
}

// The reciprocal-count table of an average: exact in float emulation; 23 fractional bits, rounded, in fixed point.
Precision scale_precision(const ir::Node& n) {
  Precision r = n.type("result");
  if (r.is_float()) return r;
  Precision p = Precision::fixed(24, 1, false);
  p.rounding = "AP_RND";
  return p;
}

NodeCode pool(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/pooling.h"};
  c.typedefs.push_back({nn.type("accum"), n.type("accum")});
  c.typedefs.push_back({nn.type("scale"), scale_precision(n)});
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::pool_config {\n";
  geometry(s, n, {"in_h", "in_w", "n_chan", "out_h", "out_w", "pool_h", "pool_w", "stride_h", "stride_w", "pad_top",
                  "pad_left"});
  s << "  static const bool average = " << (n.attr.value("average", false) ? "true" : "false") << ";\n"
    << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n"
    << "  typedef " << nn.type("accum") << " accum_t;\n"
    << "  typedef " << nn.type("scale") << " scale_t;\n"
    << "};\n";
  c.config = s.str();
  std::string inv = "inv" + std::to_string(nn.index);
  c.weights.push_back({inv, nn.type("scale"), &n.weights.at("inv_count"), n.keras_name + " 1/count per position"});
  c.call = "kml::pool2d<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + ", " + inv + ");";
  return c;
}

NodeCode global_pool(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/pooling.h"};
  c.typedefs.push_back({nn.type("accum"), n.type("accum")});
  c.typedefs.push_back({nn.type("scale"), scale_precision(n)});
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::global_pool_config {\n";
  geometry(s, n, {"n_pix", "n_chan"});
  s << "  static const bool average = " << (n.attr.value("average", false) ? "true" : "false") << ";\n"
    << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n"
    << "  typedef " << nn.type("accum") << " accum_t;\n"
    << "  typedef " << nn.type("scale") << " scale_t;\n"
    << "};\n";
  c.config = s.str();
  std::string inv = "inv" + std::to_string(nn.index);
  c.weights.push_back({inv, nn.type("scale"), &n.weights.at("inv_count"), n.keras_name + " 1/count"});
  c.call = "kml::global_pool2d<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] +
           ", " + nn.out_var + ", " + inv + ");";
  return c;
}

}  // namespace

void register_conv_emitters(EmitterRegistry& r) {
  r.add("conv", [](const NodeNames& nn, const Config&) { return conv_like(nn, "conv2d"); });
  r.add("conv_transpose", [](const NodeNames& nn, const Config&) { return conv_like(nn, "conv2d_transpose"); });
  r.add("pool", pool);
  r.add("global_pool", global_pool);
}

}  // namespace kml::emit
