// GarNet and GarNetStack (hls4ml's contrib/garnet.py, the caloGraphNN layers): a graph layer over the vertices
// of one event, read with hls4ml's semantics (the options its HLS implementation supports).
//
// Inputs (input_format 'xn'): the vertex features x (V, F) and the vertex count n (1): vertices v < n are real.
// Per sublayer, with the Dense transforms FLR (F -> P), S (F -> A) and Fout (A*P -> O), simplified=True and a
// linear output activation:
//   d[v,a] = S(x[v])_a,  e[v,a] = exp(-d[v,a]^2) (0 for v >= n)
//   f[v,p] = FLR(x[v])_p
//   g[a,p] = sum_v e[v,a] f[v,p] / N     (N = V, or n when mean_by_nvert)
//   y[v,o] = Fout_bias[o] + sum_{a,p} e[v,a] g[a,p] Fout_kernel[a*P + p, o]   (0 for v >= n)
// FLR is linear, so (as hls4ml does) it is contracted into Fout's kernel here, exactly:
//   in_kernel[a,f,o] = sum_p FLR_kernel[f,p] Fout_kernel[a*P+p, o],  in_bias[a,o] = sum_p FLR_bias[p] Fout_kernel[a*P+p, o]
//   y[v,o] = out_bias[o] + sum_a e[v,a] (ew_mean[a] in_bias[a,o] + sum_f wf_mean[a,f] in_kernel[a,f,o])
// with ew_mean[a] = sum_v e[v,a] / N and wf_mean[a,f] = sum_v e[v,a] x[v,f] / N.
// A GarNetStack feeds each sublayer's y to the next. collapse = mean | sum | max reduces y over the vertices
// (mean: sum_{v<n} y / V, or / n with mean_by_nvert, as hls4ml's HLS code computes; max over all V vertices,
// the masked ones being 0, as Keras' K.max).
// quantize_transforms (hls4ml's reading): FLR kernel and bias and Fout kernel ternarized (> 0.5 -> 1, <= -0.5 -> -1,
// else 0) before the contraction.
#include <cmath>
#include <string>
#include <vector>

#include "readers/layers.h"

namespace kml::readers {
namespace {

using nlohmann::json;

std::vector<std::size_t> per_sublayer(const LayerCtx& c, const char* key, std::size_t n_sub, bool stack) {
  const json& cfg = c.config();
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) throw c.error(std::string("config has no '") + key + "'");
  std::vector<std::size_t> out;
  try {
    if (it->is_array()) {
      for (const auto& v : *it) out.push_back(v.get<std::size_t>());
    } else {
      out.push_back(it->get<std::size_t>());
    }
  } catch (const std::exception&) {
    throw c.error(std::string("config key '") + key + "' has an unexpected value " + it->dump());
  }
  if (!stack && out.size() != 1)
    throw c.error(std::string("'") + key + "' must be one number for GarNet (a list is GarNetStack's)");
  if (out.size() != n_sub)
    throw c.error(std::string("'") + key + "' has " + std::to_string(out.size()) + " entries, n_sublayers is " +
                  std::to_string(n_sub));
  for (std::size_t v : out)
    if (v == 0) throw c.error(std::string("'") + key + "' must be positive");
  return out;
}

// Which transform and kind a stored variable is: Keras 2 files name them "<layer>/<sub>_<kind>" (FLR_kernel,
// S0_bias, ...); Keras 3 numbers a sublayer's variables (vars/0 kernel, vars/1 bias) under a group named after the
// sublayer (FLR, S0, ...) or after GarNet's attribute (_input_feature_transform, _aggregator_distance,
// _output_feature_transform). Empty when the name says neither.
std::string weight_key(const std::string& name) {
  std::vector<std::string> parts;
  for (std::size_t b = 0;;) {
    std::size_t e = name.find('/', b);
    parts.push_back(name.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  const std::string& last = parts.back();
  if (last.size() > 7 && last.compare(last.size() - 7, 7, "_kernel") == 0) return last;
  if (last.size() > 5 && last.compare(last.size() - 5, 5, "_bias") == 0) return last;
  if (parts.size() < 3 || parts[parts.size() - 2] != "vars" || (last != "0" && last != "1")) return "";
  std::string sub = parts[parts.size() - 3];
  if (sub == "_input_feature_transform") sub = "FLR";
  else if (sub == "_aggregator_distance") sub = "S";
  else if (sub == "_output_feature_transform") sub = "Fout";
  return sub + (last == "0" ? "_kernel" : "_bias");
}

// The weight of transform `sub` (FLR, S, Fout; with the sublayer index for GarNetStack) and kind (kernel, bias),
// found by name (weight_key); variables that say nothing (only numbered, on the layer itself) are taken in the
// layer's weight order: per sublayer FLR kernel, FLR bias, S kernel, S bias, Fout kernel, Fout bias.
const ir::Tensor& garnet_weight(const LayerCtx& c, const std::string& sub, const std::string& kind,
                                std::size_t order_index, const ir::Shape& want) {
  const std::string key = sub + "_" + kind;
  const ir::Tensor* found = nullptr;
  bool any_named = false;
  for (const auto& w : c.weights) {
    const std::string k = weight_key(w.name);
    any_named |= !k.empty();
    if (k == key) found = &w.tensor;
  }
  if (!found && !any_named && order_index < c.weights.size()) found = &c.weights[order_index].tensor;
  if (!found)
    throw c.error("missing weight '" + key + "' (the layer has " + std::to_string(c.weights.size()) + " weight(s))");
  if (found->shape != want)
    throw c.error("weight '" + key + "' has shape " + ir::shape_str(found->shape) + ", expected " +
                  ir::shape_str(want));
  return *found;
}

// hls4ml's TernaryQuantizer: 1 above 0.5, -1 at or below -0.5, else 0.
double ternary(double v) { return v > 0.5 ? 1.0 : (v <= -0.5 ? -1.0 : 0.0); }

void garnet(LayerCtx& c) {
  const bool stack = c.cls == "GarNetStack";
  const json& cfg = c.config();
  if (!c.get<bool>("simplified", false))
    throw c.error("simplified=False is not supported (hls4ml's HLS GarNet implements simplified=True only)");
  const json act = cfg.contains("output_activation") ? cfg["output_activation"] : json();
  if (!act.is_null() && !(act.is_string() && (act == "linear" || act == "None")))
    throw c.error("output_activation " + act.dump() +
                  " is not supported (hls4ml's HLS GarNet has a linear output: output_activation=None)");
  const std::string format = c.get<std::string>("input_format", "xn");
  if (format != "xn")
    throw c.error("input_format '" + format +
                  "' is not supported: kml, as hls4ml, implements input_format='xn' (vertex features and the "
                  "vertex count as two inputs)");
  std::string collapse = "none";
  if (cfg.contains("collapse") && !cfg["collapse"].is_null()) {
    collapse = c.get<std::string>("collapse", "none");
    if (collapse != "mean" && collapse != "sum" && collapse != "max")
      throw c.error("collapse '" + collapse + "' is not one of mean, sum, max (or null)");
  }
  const bool mean_by_nvert = c.get<bool>("mean_by_nvert", false);
  const bool quantize = c.get<bool>("quantize_transforms", false);

  if (c.inputs.size() != 2)
    throw c.error("expects two inputs (vertex features and vertex count, input_format='xn'), it has " +
                  std::to_string(c.inputs.size()));
  const ir::Shape& xs = c.in_shape(0);
  const ir::Shape& ns = c.in_shape(1);
  if (xs.size() != 2) throw c.error("vertex features must have shape (vertices, features), not " + ir::shape_str(xs));
  if (ir::shape_size(ns) != 1) throw c.error("the vertex count input must hold one number, not " + ir::shape_str(ns));
  const std::size_t n_vertices = xs[0];

  std::size_t n_sub = 1;
  if (stack) {
    auto it = cfg.find("n_propagate");
    n_sub = c.get<std::size_t>("n_sublayers", it != cfg.end() && it->is_array() ? it->size() : 0);
    if (n_sub == 0) throw c.error("GarNetStack with no sublayers");
  }
  const auto n_prop = per_sublayer(c, "n_propagate", n_sub, stack);
  const auto n_aggr = per_sublayer(c, "n_aggregators", n_sub, stack);
  const auto n_filt = per_sublayer(c, "n_filters", n_sub, stack);

  ir::Node n = c.node("garnet");
  n.attr["n_vertices"] = n_vertices;
  n.attr["collapse"] = collapse;
  n.attr["mean_by_nvert"] = mean_by_nvert;
  n.attr["quantize_transforms"] = quantize;
  json subs = json::array();
  std::size_t n_in = xs[1];
  for (std::size_t s = 0; s < n_sub; ++s) {
    const std::string idx = stack ? std::to_string(s) : "";
    const std::size_t P = n_prop[s], A = n_aggr[s], O = n_filt[s], F = n_in;
    const std::size_t base = 6 * s;
    ir::Tensor flr_k = garnet_weight(c, "FLR" + idx, "kernel", base + 0, {F, P});
    ir::Tensor flr_b = garnet_weight(c, "FLR" + idx, "bias", base + 1, {P});
    const ir::Tensor& s_k = garnet_weight(c, "S" + idx, "kernel", base + 2, {F, A});
    const ir::Tensor& s_b = garnet_weight(c, "S" + idx, "bias", base + 3, {A});
    ir::Tensor out_k = garnet_weight(c, "Fout" + idx, "kernel", base + 4, {A * P, O});
    const ir::Tensor& out_b = garnet_weight(c, "Fout" + idx, "bias", base + 5, {O});
    if (quantize)
      for (ir::Tensor* t : {&flr_k, &flr_b, &out_k})
        for (double& v : t->data) v = ternary(v);
    ir::Tensor in_k{{A, F, O}, std::vector<double>(A * F * O, 0.0)};
    ir::Tensor in_b{{A, O}, std::vector<double>(A * O, 0.0)};
    for (std::size_t a = 0; a < A; ++a)
      for (std::size_t o = 0; o < O; ++o) {
        double sb = 0;
        for (std::size_t p = 0; p < P; ++p) sb += flr_b.data[p] * out_k.data[(a * P + p) * O + o];
        in_b.data[a * O + o] = sb;
        for (std::size_t f = 0; f < F; ++f) {
          double sk = 0;
          for (std::size_t p = 0; p < P; ++p) sk += flr_k.data[f * P + p] * out_k.data[(a * P + p) * O + o];
          in_k.data[(a * F + f) * O + o] = sk;
        }
      }
    const std::string k = std::to_string(s);
    n.weights["dist_kernel" + k] = s_k;    // (F, A)
    n.weights["dist_bias" + k] = s_b;      // (A)
    n.weights["in_kernel" + k] = in_k;     // (A, F, O)
    n.weights["in_bias" + k] = in_b;       // (A, O)
    n.weights["out_bias" + k] = out_b;     // (O)
    subs.push_back({{"n_in", F}, {"n_propagate", P}, {"n_aggregators", A}, {"n_out", O}});
    n_in = O;
  }
  n.attr["sublayers"] = subs;
  n.shape = collapse == "none" ? ir::Shape{n_vertices, n_in} : ir::Shape{n_in};
  c.emit(std::move(n));
}

}  // namespace

void register_garnet_layers(LayerRegistry& r) {
  r.add("GarNet", garnet);
  r.add("GarNetStack", garnet);
}

}  // namespace kml::readers
