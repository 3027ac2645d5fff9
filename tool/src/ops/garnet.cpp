// The GarNet op: garnet (GarNet, GarNetStack; readers/layers_garnet.cpp, emit/hls/ops_garnet.cpp,
// templates/kml/garnet.h).
#include <algorithm>
#include <cmath>

#include "ops/common.h"

namespace kml::ir {
namespace {

// Bits of an unsigned integer holding 0 .. v.
int uint_bits(std::size_t v) {
  int b = 1;
  while (b < 62 && (std::size_t(1) << b) <= v) ++b;
  return b;
}

// GarNet's built-in types where the config gives none (hls4ml's choices, 10 fractional bits, made independent of
// the reuse factor: kml sums over all vertices before normalizing).
//   weight, bias: the integer bits their values need + 10 fractional bits, AP_RND, AP_SAT (hls4ml sizes each
//     array from its values the same way);
//   distance: ap_fixed<12,4,AP_RND,AP_SAT>, the input of the exp(-d^2) table (hls4ml: <12,4> truncating);
//   edge_weight: ap_ufixed<10,0,AP_RND,AP_SAT> (exp(-d^2) in [0, 1], 1 saturating to 1 - 2^-10);
//   edge_weight_aggr: sums of up to V edge weights: ap_ufixed<vb+10, vb> with vb the bits of V;
//   aggr: sums of up to V edge-weighted features and the aggregator outputs: ap_fixed<vb+I+10, vb+I> with I the
//     integer bits of the layer's input (and, for a stack, of its result type, which carries the vertex data
//     between sublayers);
//   norm: 1/V or 1/n: ap_ufixed<vb+11, 1, AP_RND>.
Precision garnet_default(const Graph& g, const Node& n, const std::string& role, const Precision& result) {
  const int vb = uint_bits(n.attr.value("n_vertices", std::size_t(1)));
  auto with = [](Precision p, const char* q, const char* o) {
    p.rounding = q;
    if (o) p.overflow = o;
    return p;
  };
  if (role == "weight" || role == "bias") {
    double m = 0;
    bool neg = false;
    for (const auto& [key, t] : n.weights) {
      bool is_weight = key.rfind("dist_kernel", 0) == 0 || key.rfind("in_kernel", 0) == 0;
      if (is_weight != (role == "weight")) continue;
      for (double v : t.data) {
        m = std::max(m, std::fabs(v));
        neg |= v < 0;
      }
    }
    int i = 0;  // integer bits (sign included when signed) for values up to m
    while (std::ldexp(1.0, i - (neg ? 1 : 0)) <= m && i < 40) ++i;
    if (neg && i < 1) i = 1;
    return with(Precision::fixed(i + 10, i, neg), "AP_RND", "AP_SAT");
  }
  if (role == "distance") return with(Precision::fixed(12, 4), "AP_RND", "AP_SAT");
  if (role == "edge_weight") return with(Precision::fixed(10, 0, false), "AP_RND", "AP_SAT");
  if (role == "edge_weight_aggr") return Precision::fixed(vb + 10, vb, false);
  if (role == "norm") return with(Precision::fixed(vb + 11, 1, false), "AP_RND", nullptr);
  if (role == "aggr") {
    const Precision& in = g.at(n.inputs.at(0)).types.at("result");
    int i = in.kind == Precision::Kind::Fixed ? in.integer + (in.is_signed ? 0 : 1) : 6;
    const auto& subs = n.attr.value("sublayers", nlohmann::json::array());
    if (subs.size() > 1 && result.kind == Precision::Kind::Fixed)
      i = std::max(i, result.integer + (result.is_signed ? 0 : 1));
    return Precision::fixed(vb + i + 10, vb + i);
  }
  return result;
}

}  // namespace

void register_garnet_ops(OpRegistry& r) {
  OpInfo garnet = ops::op("garnet", {"result", "weight", "bias", "distance", "edge_weight", "edge_weight_aggr", "aggr", "norm"});
  garnet.auto_rule = AutoRule::TypeBound;
  garnet.default_precision = garnet_default;
  r.add(garnet);
}

}  // namespace kml::ir
