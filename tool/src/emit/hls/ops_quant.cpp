// Op emitters for quantization nodes: quantize (per-element fixed-point quantizers), step (binary / ternary
// activations), lut (lookup table over a quantized input). Types and tables come from the quantizers pass.
#include <cmath>

#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "quant/fixed.h"
#include "util/error.h"

namespace kml::emit {
namespace {

constexpr Spelling dbl = Spelling::DoubleLiteral;  // the quantizer constants are written as double literals (1.0)

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
  ConfigStruct s(nn.config(), "kml::quantize_config");
  s.u("n_in", ir::shape_size(n.shape))
      .u("n_par", n_par)
      .i("overflow", overflow, ov)
      .i("round", static_cast<int>(rm), quant::name(rm))
      .b("affine", affine)
      .d("pre_scale", n.attr.value("pre_scale", 1.0), dbl)
      .d("pre_offset", n.attr.value("pre_offset", 0.0), dbl);
  for (const char* r : roles) s.type(std::string(r) + "_t", nn.type(std::string("q_") + r));
  c.config = s.str();
  const std::string id = std::to_string(nn.index);
  std::vector<std::string> args;
  const std::pair<const char*, const char*> tables[] = {{"scale", "scale"}, {"unscale", "unscale"}, {"p0", "bound"},
                                                        {"p1", "bound"},    {"inv", "inv"}};
  for (const auto& [w, r] : tables) {
    std::string var = std::string("q") + w + "_" + id;
    c.weights.push_back({var, nn.type(std::string("q_") + r), &n.weights.at(w), n.keras_name + " quantizer " + w});
    args.push_back(var);
  }
  c.call = nn.call("quantize", args);
  return c;
}

NodeCode step(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/quantize.h"};
  c.typedefs.push_back({nn.type("q_cmp"), role(n, "q_cmp")});
  const bool grid = n.attr.contains("pos_t_grid");
  c.config = ConfigStruct(nn.config(), "kml::step_config")
                 .u("n_in", ir::shape_size(n.shape))
                 .b("has_neg", n.attr.value("has_neg", false))
                 .d("pos_t", grid ? n.attr["pos_t_grid"].get<double>() : n.attr.value("pos_t", 0.0), dbl)
                 .d("neg_t", grid ? n.attr["neg_t_grid"].get<double>() : n.attr.value("neg_t", 0.0), dbl)
                 .b("pos_strict", !grid && n.attr.value("pos_strict", false))
                 .b("neg_strict", !grid && n.attr.value("neg_strict", false))
                 .d("v_pos", n.attr.value("v_pos", 1.0), dbl)
                 .d("v_mid", n.attr.value("v_mid", 0.0), dbl)
                 .d("v_neg", n.attr.value("v_neg", -1.0), dbl)
                 .type("cmp_t", nn.type("q_cmp"))
                 .str();
  c.call = nn.call("step");
  return c;
}

NodeCode lut(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/quantize.h"};
  for (const char* r : {"q_index", "q_table"}) c.typedefs.push_back({nn.type(r), role(n, r)});
  const ir::Tensor& t = n.weights.at("table");
  c.config = ConfigStruct(nn.config(), "kml::lut_config")
                 .u("n_in", ir::shape_size(n.shape))
                 .u("table_size", t.size())
                 .d("lo", n.attr.at("lo").get<double>(), dbl)
                 .d("step_inv", std::ldexp(1.0, n.attr.at("frac").get<int>()), dbl)
                 .type("index_t", nn.type("q_index"))
                 .type("table_t", nn.type("q_table"))
                 .str();
  std::string var = "lut" + std::to_string(nn.index);
  c.weights.push_back({var, nn.type("q_table"), &t, n.keras_name + " table"});
  c.call = nn.call("lut", {var});
  return c;
}

}  // namespace

void register_quant_emitters(EmitterRegistry& r) {
  r.add("quantize", quantize);
  r.add("step", step);
  r.add("lut", lut);
}

}  // namespace kml::emit
