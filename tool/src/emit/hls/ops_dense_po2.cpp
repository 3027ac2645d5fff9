// Multiplier-free dense (kml/dense_po2.h): chosen instead of kml::dense when every weight of the layer is 0 or
// a signed power of two that its weight type holds exactly (binary, ternary, po2 networks), with fixed-point
// weights and the Latency strategy (or reuse factor 1). Wraps the core "dense" emitter: same config struct
// (plus the exponent range), the same weight and bias arrays, plus sign / exponent tables.
#include <cmath>
#include <sstream>

#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "quant/fixed.h"

namespace kml::emit {
namespace {

// Sign and exponent of every weight; false when one is not 0 / +-2^e or the weight type does not hold it.
bool po2_codes(const ir::Node& n, std::vector<int>& sign, std::vector<int>& expo, int& e_min, int& e_max) {
  const Precision w = n.type("weight");
  if (w.kind != Precision::Kind::Fixed) return false;
  double lo, hi;
  quant::precision_range(w, lo, hi);
  const int f_w = w.width - w.integer;
  const ir::Tensor& k = n.weights.at("kernel");
  bool any = false;
  e_min = e_max = 0;
  for (double v : k.data) {
    if (v == 0) {
      sign.push_back(0);
      expo.push_back(0);
      continue;
    }
    int e;
    const double m = std::frexp(std::fabs(v), &e);  // |v| = m 2^e, m in [0.5, 1)
    if (m != 0.5) return false;
    --e;
    if (e < -60 || e > 60 || v < lo || v > hi || quant::frac_bits(v) > std::max(f_w, 0)) return false;
    sign.push_back(v > 0 ? 1 : -1);
    expo.push_back(e);
    e_min = any ? std::min(e_min, e) : e;
    e_max = any ? std::max(e_max, e) : e;
    any = true;
  }
  return any;
}

std::string table(const std::string& var, const std::vector<int>& v) {
  std::ostringstream o;
  o << "static const signed char " << var << "[" << v.size() << "] = {";
  for (std::size_t i = 0; i < v.size(); ++i) o << (i % 24 == 0 ? "\n    " : " ") << v[i] << (i + 1 < v.size() ? "," : "");
  o << "\n};\n";
  return o.str();
}

}  // namespace

void register_dense_po2_emitters(EmitterRegistry& r) {
  const OpEmitter* core = r.find("dense");
  if (!core) return;
  OpEmitter generic = *core;
  r.add("dense", [generic](const NodeNames& nn, const Config& cfg) {
    NodeCode c = generic(nn, cfg);
    const ir::Node& n = *nn.node;
    if (n.strategy == "resource" && n.reuse_factor > 1) return c;
    std::vector<int> sign, expo;
    int e_min = 0, e_max = 0;
    if (!po2_codes(n, sign, expo, e_min, e_max)) return c;
    // Same config, derived from dense_po2_config, with the exponent range.
    std::string members;
    if (!ConfigStruct::members(c.config, nn.config(), "kml::dense_config", members)) return c;
    const std::string id = std::to_string(nn.index);
    c.config = ConfigStruct(nn.config(), "kml::dense_po2_config", "weights 0 / +-2^e: shifts, no multipliers")
                   .i("e_min", e_min)
                   .i("e_max", e_max)
                   .raw(members)
                   .str() +
               table("po2s" + id, sign) + table("po2e" + id, expo);
    c.includes.push_back("kml/dense_po2.h");
    const std::string w = "w" + id, b = "b" + id;
    c.call = nn.call("dense_po2", {w, "po2s" + id, "po2e" + id, b});
    return c;
  });
}

}  // namespace kml::emit
