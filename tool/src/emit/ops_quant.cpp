// Op emitters for quantization nodes: quantize (per-element fixed-point quantizers), step (binary / ternary
// activations), lut (lookup table over a quantized input). Types and tables come from the quantizers pass.
#include <sstream>

#include "emit/emitter.h"
#include "quant/fixed.h"
#include "util/error.h"

namespace kml::emit {
namespace {

std::string u(std::size_t v) { return std::to_string(v) + "u"; }

std::string dbl(double v) {
  std::string s = literal(v, false);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

Precision role(const ir::Node& n, const std::string& r) {
  auto it = n.types.find(r);
  return it == n.types.end() ? n.type("result") : it->second;
}

NodeCode quantize(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/quantize.h"};
  static const char* roles[] = {"scaled", "round", "int", "frac", "scale", "unscale", "bound", "inv"};
  for (const char* r : roles) c.typedefs.push_back({nn.type(std::string("q_") + r), role(n, std::string("q_") + r)});
  const std::string ov = n.attr.value("overflow", "WRAP");
  const int overflow = ov == "WRAP" ? 0 : ov == "NONE" ? 2 : 1;
  const quant::Round rm = quant::parse_round(n.attr.value("round", "TRN"));
  const std::size_t n_par = n.weights.at("scale").size();
  const bool affine = n.attr.contains("pre_scale");
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::quantize_config {\n"
    << "  static const unsigned n_in = " << u(ir::shape_size(n.shape)) << ";\n"
    << "  static const unsigned n_par = " << u(n_par) << ";\n"
    << "  static const int overflow = " << overflow << ";  // " << ov << "\n"
    << "  static const int round = " << static_cast<int>(rm) << ";  // " << quant::name(rm) << "\n"
    << "  static const bool affine = " << (affine ? "true" : "false") << ";\n"
    << "  static constexpr double pre_scale = " << dbl(n.attr.value("pre_scale", 1.0)) << ";\n"
    << "  static constexpr double pre_offset = " << dbl(n.attr.value("pre_offset", 0.0)) << ";\n";
  for (const char* r : roles) s << "  typedef " << nn.type(std::string("q_") + r) << " " << r << "_t;\n";
  s << "};\n";
  c.config = s.str();
  const std::string id = std::to_string(nn.index);
  std::string args;
  const std::pair<const char*, const char*> tables[] = {{"scale", "scale"}, {"unscale", "unscale"}, {"p0", "bound"},
                                                        {"p1", "bound"},    {"inv", "inv"}};
  for (const auto& [w, r] : tables) {
    std::string var = std::string("q") + w + "_" + id;
    c.weights.push_back({var, nn.type(std::string("q_") + r), &n.weights.at(w), n.keras_name + " quantizer " + w});
    args += ", " + var;
  }
  c.call = "kml::quantize<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + args + ");";
  return c;
}

NodeCode step(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/quantize.h"};
  c.typedefs.push_back({nn.type("q_cmp"), role(n, "q_cmp")});
  const bool grid = n.attr.contains("pos_t_grid");
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::step_config {\n"
    << "  static const unsigned n_in = " << u(ir::shape_size(n.shape)) << ";\n"
    << "  static const bool has_neg = " << (n.attr.value("has_neg", false) ? "true" : "false") << ";\n"
    << "  static constexpr double pos_t = " << dbl(grid ? n.attr["pos_t_grid"].get<double>() : n.attr.value("pos_t", 0.0)) << ";\n"
    << "  static constexpr double neg_t = " << dbl(grid ? n.attr["neg_t_grid"].get<double>() : n.attr.value("neg_t", 0.0)) << ";\n"
    << "  static const bool pos_strict = " << (!grid && n.attr.value("pos_strict", false) ? "true" : "false") << ";\n"
    << "  static const bool neg_strict = " << (!grid && n.attr.value("neg_strict", false) ? "true" : "false") << ";\n"
    << "  static constexpr double v_pos = " << dbl(n.attr.value("v_pos", 1.0)) << ";\n"
    << "  static constexpr double v_mid = " << dbl(n.attr.value("v_mid", 0.0)) << ";\n"
    << "  static constexpr double v_neg = " << dbl(n.attr.value("v_neg", -1.0)) << ";\n"
    << "  typedef " << nn.type("q_cmp") << " cmp_t;\n"
    << "};\n";
  c.config = s.str();
  c.call = "kml::step<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + ");";
  return c;
}

NodeCode lut(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/quantize.h"};
  for (const char* r : {"q_index", "q_table"}) c.typedefs.push_back({nn.type(r), role(n, r)});
  const ir::Tensor& t = n.weights.at("table");
  std::ostringstream s;
  s << "struct " << nn.config() << " : kml::lut_config {\n"
    << "  static const unsigned n_in = " << u(ir::shape_size(n.shape)) << ";\n"
    << "  static const unsigned table_size = " << u(t.size()) << ";\n"
    << "  static constexpr double lo = " << dbl(n.attr.at("lo").get<double>()) << ";\n"
    << "  static constexpr double step_inv = " << dbl(std::ldexp(1.0, n.attr.at("frac").get<int>())) << ";\n"
    << "  typedef " << nn.type("q_index") << " index_t;\n"
    << "  typedef " << nn.type("q_table") << " table_t;\n"
    << "};\n";
  c.config = s.str();
  std::string var = "lut" + std::to_string(nn.index);
  c.weights.push_back({var, nn.type("q_table"), &t, n.keras_name + " table"});
  c.call = "kml::lut<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + ", " + var + ");";
  return c;
}

}  // namespace

void register_quant_emitters(EmitterRegistry& r) {
  r.add("quantize", quantize);
  r.add("step", step);
  r.add("lut", lut);
}

}  // namespace kml::emit
