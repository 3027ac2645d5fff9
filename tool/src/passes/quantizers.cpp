#include "passes/quantizers.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>

#include "ir/op.h"
#include "passes/passes.h"
#include "passes/quantizers_attention.h"
#include "quant/fixed.h"
#include "util/error.h"

namespace kml::passes {

using quant::FixedParams;
using quant::precision_for;
using quant::precision_for_values;
using quant::Range;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

// Weights whose values need more fractional bits than this are not quantized (plain float weights).
const int kMaxWeightFrac = 32;
// Fractional bits a model input keeps beyond its quantizer's: every float32 near a rounding tie is exact.
const int kInputExtraFrac = 24;

void set_type(const Config& cfg, ir::Node& n, const std::string& role, const Precision& p) {
  if (!user_set(cfg, n, role)) n.types[role] = p;
}

// A quantize, lut or step node.
bool is_quantizer(const ir::Node& n) {
  const ir::RangeRule r = ir::range_rule(n);
  return r == ir::RangeRule::Quantize || r == ir::RangeRule::Lut || r == ir::RangeRule::Step;
}

Range full(std::size_t n, double lo, double hi, int frac) {
  Range r;
  r.lo.assign(n, lo);
  r.hi.assign(n, hi);
  r.frac = std::max(0, frac);
  r.known = true;
  return r;
}

Range from_type(const Precision& p, std::size_t n) {
  if (p.is_float() || p.is_auto()) return Range{};
  double lo, hi;
  quant::precision_range(p, lo, hi);
  return full(n, lo, hi, p.width - p.integer);
}

Precision type_of(const Range& r) { return precision_for(r.min(), r.max(), r.frac); }

int frac_of(const std::vector<double>& v) {
  int f = 0;
  for (double x : v) f = std::max(f, quant::frac_bits(x));
  return f;
}

FixedParams params_of(const ir::Node& n) {
  FixedParams p;
  p.round = quant::parse_round(n.attr.at("round").get<std::string>());
  std::string o = n.attr.at("overflow").get<std::string>();
  p.overflow = o == "NONE" ? quant::Overflow::NONE : quant::parse_overflow(o);
  const std::size_t size = ir::shape_size(n.shape);
  const ir::Tensor &k = n.weights.at("k"), &i = n.weights.at("i"), &f = n.weights.at("f");
  for (std::size_t e = 0; e < size; ++e) {
    std::size_t s = k.size() == 1 ? 0 : e;
    p.k.push_back(static_cast<int>(k.data.at(s)));
    p.i.push_back(static_cast<int>(i.data.at(s)));
    p.f.push_back(static_cast<int>(f.data.at(s)));
  }
  return p;
}

// Product interval of [a, b] and a constant w.
void mul_iv(double lo, double hi, double w, double& rlo, double& rhi) {
  double x = lo * w, y = hi * w;
  rlo = std::min(x, y);
  rhi = std::max(x, y);
  if (w == 0) rlo = rhi = 0;
}

// The quantize node's parameter tables: 2^f, 2^-f, bounds (SAT: integer lo/hi; WRAP: k 2^(B-1), 2^B, 2^-B).
void quantize_tables(ir::Node& n, const FixedParams& p) {
    const std::size_t size = p.size();
    const bool per = n.weights.at("k").size() != 1;
    const std::size_t m = per ? size : 1;
    ir::Tensor scale, unscale, p0, p1, inv;
    for (ir::Tensor* t : {&scale, &unscale, &p0, &p1, &inv}) t->shape = {m};
    for (std::size_t e = 0; e < m; ++e) {
      if (!p.active(e) && p.overflow != quant::Overflow::NONE) {
        scale.data.push_back(0);
        unscale.data.push_back(0);
        p0.data.push_back(0);
        p1.data.push_back(p.overflow == quant::Overflow::WRAP ? 1 : 0);
        inv.data.push_back(1);
        continue;
      }
      const int f = p.f[e], ie = std::max(p.i[e], -f), k = p.k[e];
      scale.data.push_back(std::ldexp(1.0, f));
      unscale.data.push_back(std::ldexp(1.0, -f));
      if (p.overflow == quant::Overflow::WRAP) {
        const int B = ie + k + f;
        p0.data.push_back(k * std::ldexp(1.0, B - 1));
        p1.data.push_back(std::ldexp(1.0, B));
        inv.data.push_back(std::ldexp(1.0, -B));
      } else if (p.overflow == quant::Overflow::NONE) {
        p0.data.push_back(0);
        p1.data.push_back(0);
        inv.data.push_back(1);
      } else {
        p0.data.push_back(std::ldexp(p.lo(e), f));
        p1.data.push_back(std::ldexp(p.hi(e), f));
        inv.data.push_back(1);
      }
    }
    n.weights["scale"] = scale;
    n.weights["unscale"] = unscale;
    n.weights["p0"] = p0;
    n.weights["p1"] = p1;
    n.weights["inv"] = inv;
}

class Deriver {
 public:
  Deriver(ir::Graph& g, const Config& cfg) : g_(g), cfg_(cfg) {
    hooks_.range = [this](const std::string& name) -> const Range& { return ranges_[name]; };
    hooks_.set_type = [this](ir::Node& n, const std::string& role, const Precision& p) { set_type(cfg_, n, role, p); };
  }

  void run() {
    for (auto& np : g_.nodes()) {
      ir::Node& n = *np;
      Range r;
      if (ir::takes_input_type(n)) {  // views, layout changes
        n.types["result"] = g_.at(n.inputs[0]).types.at("result");
        r = permuted(n);
      } else {
        switch (ir::range_rule(n)) {
          case ir::RangeRule::Input: r = input(n); break;
          case ir::RangeRule::Quantize: r = quantize(n); break;
          case ir::RangeRule::Lut: r = lut(n); break;
          case ir::RangeRule::Step: r = step(n); break;
          case ir::RangeRule::Dense: r = dense(n); break;
          case ir::RangeRule::Conv: r = conv(n); break;
          case ir::RangeRule::BatchNorm: r = batchnorm(n); break;
          case ir::RangeRule::Activation: r = activation(n); break;
          case ir::RangeRule::Permuted: r = permuted(n); break;
          case ir::RangeRule::Pool: r = pool(n); break;
          case ir::RangeRule::Merge: r = merge(n); break;
          case ir::RangeRule::Rnn: rnn_weight_types(n); break;
          case ir::RangeRule::Union: r = union_of(n); break;
          case ir::RangeRule::Attention: einsum_range(n, hooks_, r); break;  // quantizers_attention.cpp
          case ir::RangeRule::None: break;
        }
      }
      if (r.known && r.size() != ir::shape_size(n.shape)) r = Range{};
      if (r.known && !ir::is_source(n) && !ir::takes_input_type(n)) {
        set_type(cfg_, n, "result", type_of(r));
        if (user_set(cfg_, n, "result")) r = from_type(n.types.at("result"), ir::shape_size(n.shape));
      }
      ranges_[n.name] = r;
    }
  }

 private:
  const Range& range(const std::string& name) { return ranges_[name]; }
  Range input_range(const ir::Node& n, std::size_t k = 0) {
    Range r = range(n.inputs.at(k));
    if (!r.known) r = from_type(g_.at(n.inputs.at(k)).types.at("result"), ir::shape_size(g_.at(n.inputs.at(k)).shape));
    return r;
  }

  // A model input read only by quantizers gets a type that keeps every float32 value's bits that matter.
  Range input(ir::Node& n) {
    auto cons = g_.consumers(n.name);
    if (cons.empty()) return Range{};
    int fmax = 0, imax = 0;
    bool all_sat = true;
    for (ir::Node* c : cons) {
      if (ir::range_rule(*c) != ir::RangeRule::Quantize) return Range{};
      FixedParams p = params_of(*c);
      if (p.overflow == quant::Overflow::NONE) return Range{};
      all_sat &= p.overflow != quant::Overflow::WRAP;
      for (std::size_t e = 0; e < p.size(); ++e) {
        if (!p.active(e)) continue;
        fmax = std::max(fmax, p.f[e]);
        imax = std::max(imax, std::max(p.i[e], -p.f[e]) + p.k[e]);
      }
    }
    if (user_set(cfg_, n, "result")) return Range{};
    Precision t;
    t.kind = Precision::Kind::Fixed;
    t.is_signed = true;
    t.integer = imax + (all_sat ? 2 : 1);
    t.width = t.integer + std::max(0, fmax) + kInputExtraFrac;
    t.rounding = "AP_TRN";
    t.overflow = all_sat ? "AP_SAT" : "AP_WRAP";
    n.types["result"] = t;
    return from_type(t, ir::shape_size(n.shape));
  }

  Range quantize(ir::Node& n) {
    FixedParams p = params_of(n);
    const ir::Node& src = g_.at(n.inputs[0]);
    const Precision pin = src.types.at("result");
    Range in = input_range(n);
    const double ps = n.attr.value("pre_scale", 1.0), po = n.attr.value("pre_offset", 0.0);
    const std::size_t size = p.size();
    Range out;
    int fmax = 0, fmin = 0;
    bool any = false;
    for (std::size_t e = 0; e < size; ++e) {
      if (!p.active(e)) continue;
      fmax = any ? std::max(fmax, p.f[e]) : p.f[e];
      fmin = any ? std::min(fmin, p.f[e]) : p.f[e];
      any = true;
    }
    out.known = true;
    for (std::size_t e = 0; e < size; ++e) {
      double lo = p.lo(e), hi = p.hi(e);
      if (in.known) {
        double a = in.lo[e] * ps + po, b = in.hi[e] * ps + po;
        if (a > b) std::swap(a, b);
        double qa = p.apply(e, a), qb = p.apply(e, b);
        if (p.overflow != quant::Overflow::WRAP) {
          lo = qa;
          hi = qb;
        } else {
          double ra = std::ldexp(quant::round_scaled(std::ldexp(a, p.f[e]), p.round), -p.f[e]);
          double rb = std::ldexp(quant::round_scaled(std::ldexp(b, p.f[e]), p.round), -p.f[e]);
          if (p.active(e) && ra >= p.lo(e) && rb <= p.hi(e)) {
            lo = ra;
            hi = rb;
          }
        }
      } else if (p.overflow == quant::Overflow::NONE) {
        out.known = false;
      }
      out.lo.push_back(lo);
      out.hi.push_back(hi);
    }
    out.frac = std::max(0, any ? fmax : 0);
    if (in.known && ps == 1.0 && po == 0.0) out.frac = std::min(out.frac, in.frac);
    quantize_tables(n, p);
    if (pin.is_float()) return float_roles(n, out);

    const std::size_t m = n.weights.at("scale").size();
    const ir::Tensor &scale = n.weights.at("scale"), &unscale = n.weights.at("unscale"), &p0 = n.weights.at("p0"),
                     &p1 = n.weights.at("p1"), &inv = n.weights.at("inv");

    // Internal types: every step exact.
    const int fin = pin.width - pin.integer;
    double lo_in = in.known ? in.min() : 0, hi_in = in.known ? in.max() : 0;
    if (!in.known) quant::precision_range(pin, lo_in, hi_in);
    double a = lo_in * ps + po, b = hi_in * ps + po;
    if (a > b) std::swap(a, b);
    int fa = fin + quant::frac_bits(ps);
    fa = std::max(fa, quant::frac_bits(po));
    double lo_s = std::min({a, std::ldexp(a, fmin), std::ldexp(a, fmax)});
    double hi_s = std::max({b, std::ldexp(b, fmin), std::ldexp(b, fmax)});
    int frac_s = std::max(fa, fa - fmin);
    Precision scaled = precision_for(lo_s, hi_s, frac_s);
    Precision round = precision_for(std::floor(lo_s) - 1, std::ceil(hi_s) + 1, 0);
    round.is_signed = true;
    round = precision_for(std::min(-1.0, std::floor(lo_s) - 1), std::ceil(hi_s) + 1, 0);
    round.rounding = quant::ap_name(p.round);
    double bmax = 0;
    int Bmax = 0;
    for (std::size_t e = 0; e < m; ++e) {
      bmax = std::max({bmax, std::fabs(p0.data[e]), std::fabs(p1.data[e])});
      Bmax = std::max(Bmax, quant::frac_bits(inv.data[e]));
    }
    double ilo = std::floor(lo_s) - 1 - 2 * bmax, ihi = std::ceil(hi_s) + 1 + 2 * bmax;
    Precision itype = precision_for(std::min(-1.0, ilo), ihi, 0);
    Precision ftype = precision_for(std::min(-1.0, ilo), ihi, Bmax);
    set_type(cfg_, n, "q_scaled", scaled);
    set_type(cfg_, n, "q_round", round);
    set_type(cfg_, n, "q_int", itype);
    set_type(cfg_, n, "q_frac", ftype);
    set_type(cfg_, n, "q_scale", precision_for_values(scale.data));
    set_type(cfg_, n, "q_unscale", precision_for_values(unscale.data));
    std::vector<double> bounds = p0.data;
    bounds.insert(bounds.end(), p1.data.begin(), p1.data.end());
    set_type(cfg_, n, "q_bound", precision_for_values(bounds));
    set_type(cfg_, n, "q_inv", precision_for_values(inv.data));
    return out;
  }

  // Float emulation: the node's tables and helper types follow the result type.
  Range float_roles(ir::Node& n, const Range& r) {
    const Precision f = n.types.at("result");
    for (const char* role : {"q_scaled", "q_round", "q_int", "q_frac", "q_scale", "q_unscale", "q_bound", "q_inv", "q_index", "q_table", "q_cmp"})
      if (!n.types.count(role)) n.types[role] = f.is_float() ? f : Precision::float32();
    return r;
  }

  Range lut(ir::Node& n) {
    const ir::Tensor& t = n.weights.at("table");
    Range in = input_range(n);
    const Precision pin = g_.at(n.inputs[0]).types.at("result");
    Range r = full(ir::shape_size(n.shape), 0, 0, frac_of(t.data));
    double lo = kInf, hi = -kInf;
    for (double v : t.data) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    for (std::size_t e = 0; e < r.size(); ++e) {
      r.lo[e] = lo;
      r.hi[e] = hi;
    }
    if (pin.is_float()) return float_roles(n, r);
    const double tlo = n.attr.at("lo").get<double>();
    const int frac = n.attr.at("frac").get<int>();
    double a = in.known ? in.min() : 0, b = in.known ? in.max() : 0;
    if (!in.known) quant::precision_range(pin, a, b);
    int fin = pin.width - pin.integer;
    double ilo = std::min({a, a - tlo, std::ldexp(a - tlo, frac)}), ihi = std::max({b, b - tlo, std::ldexp(b - tlo, frac)});
    set_type(cfg_, n, "q_index", precision_for(std::min(ilo, 0.0), ihi, std::max(fin, quant::frac_bits(tlo))));
    set_type(cfg_, n, "q_table", precision_for_values(t.data));
    return r;
  }

  Range step(ir::Node& n) {
    const Precision pin = g_.at(n.inputs[0]).types.at("result");
    std::vector<double> vals = {n.attr.value("v_pos", 1.0), n.attr.value("v_mid", 0.0)};
    if (n.attr.value("has_neg", false)) vals.push_back(n.attr.value("v_neg", -1.0));
    double lo = *std::min_element(vals.begin(), vals.end()), hi = *std::max_element(vals.begin(), vals.end());
    Range r = full(ir::shape_size(n.shape), lo, hi, frac_of(vals));
    if (pin.is_float()) return float_roles(n, r);
    // Thresholds onto the input grid: x >= t (x > t) <=> x >= ceil(t 2^F) 2^-F (floor(t 2^F) + 1 ...).
    const int F = pin.width - pin.integer;
    const double sc = std::ldexp(1.0, F);
    double tp = n.attr.value("pos_t", 0.0), tn = n.attr.value("neg_t", 0.0);
    double gp = n.attr.value("pos_strict", false) ? (std::floor(tp * sc) + 1) / sc : std::ceil(tp * sc) / sc;
    double gn = n.attr.value("neg_strict", false) ? (std::ceil(tn * sc) - 1) / sc : std::floor(tn * sc) / sc;
    n.attr["pos_t_grid"] = gp;
    n.attr["neg_t_grid"] = gn;
    double a, b;
    quant::precision_range(pin, a, b);
    set_type(cfg_, n, "q_cmp", precision_for(std::min({a, gp, gn}), std::max({b, gp, gn}), F));
    return r;
  }

  bool weights_on_grid(const ir::Node& n, const char* name) {
    auto it = n.weights.find(name);
    return it == n.weights.end() || frac_of(it->second.data) <= kMaxWeightFrac;
  }

  // A quantized layer whose input range is unknown (it reads an unquantized model input, e.g. the first QDense of
  // a QKeras model): its accumulator and result keep their configured types, but the declared weight types (which
  // size the multipliers) still follow the quantizers: the narrowest types holding the quantized values.
  // `pairs`: {weight name, role}.
  void quantized_weight_types(ir::Node& n, std::initializer_list<std::pair<const char*, const char*>> pairs) {
    if (!n.attr.value("quantized", false) || n.types.at("result").is_float()) return;
    for (const auto& [w, role] : pairs) {
      auto it = n.weights.find(w);
      if (it == n.weights.end() || it->second.data.empty() || !weights_on_grid(n, w) || !n.types.count(role)) continue;
      set_type(cfg_, n, role, precision_for_values(it->second.data));
    }
  }

  // Shared by dense / conv: given per-output-term intervals, set weight / bias / accum / result types.
  void linear_types(ir::Node& n, const Range& in, const std::vector<double>& accum_lo, const std::vector<double>& accum_hi) {
    const ir::Tensor& k = n.weights.at("kernel");
    const ir::Tensor& b = n.weights.at("bias");
    int fw = frac_of(k.data), fb = frac_of(b.data);
    double lo = 0, hi = 0;
    for (std::size_t j = 0; j < accum_lo.size(); ++j) {
      lo = std::min(lo, accum_lo[j]);
      hi = std::max(hi, accum_hi[j]);
    }
    set_type(cfg_, n, "weight", precision_for_values(k.data));
    set_type(cfg_, n, "bias", precision_for_values(b.data));
    set_type(cfg_, n, "accum", precision_for(lo, hi, std::max(in.frac + fw, fb)));
  }

  // Recurrent layers: the recurrence is not range-analysed, so the weight types only; the GRU's recurrent bias
  // shares the bias type.
  void rnn_weight_types(ir::Node& n) {
    quantized_weight_types(n, {{"kernel", "weight"}, {"recurrent_kernel", "recurrent_weight"}});
    if (!n.attr.value("quantized", false) || n.types.at("result").is_float() || !n.types.count("bias")) return;
    std::vector<double> v;
    for (const char* w : {"bias", "recurrent_bias"}) {
      auto it = n.weights.find(w);
      if (it == n.weights.end()) continue;
      if (!weights_on_grid(n, w)) return;
      v.insert(v.end(), it->second.data.begin(), it->second.data.end());
    }
    if (!v.empty()) set_type(cfg_, n, "bias", precision_for_values(v));
  }

  Range dense(ir::Node& n) {
    Range in = range(n.inputs[0]);
    if (!in.known) quantized_weight_types(n, {{"kernel", "weight"}, {"bias", "bias"}});
    if (!in.known || !weights_on_grid(n, "kernel") || !weights_on_grid(n, "bias")) return Range{};
    if (n.types.at("result").is_float()) return Range{};
    const ir::Tensor& k = n.weights.at("kernel");
    const ir::Tensor& b = n.weights.at("bias");
    const std::size_t n_in = n.attr.at("n_in"), n_out = n.attr.at("n_out");
    const std::size_t rows = ir::shape_size(n.shape) / n_out;
    Range out = full(rows * n_out, 0, 0, in.frac + frac_of(k.data));
    out.frac = std::max(out.frac, frac_of(b.data));
    std::vector<double> alo(n_out, 0), ahi(n_out, 0);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < n_out; ++j) {
        double lo = b.data[j], hi = b.data[j];
        double plo = std::min(0.0, b.data[j]), phi = std::max(0.0, b.data[j]);  // partial sums and terms
        double neg = 0, pos = 0;
        for (std::size_t i = 0; i < n_in; ++i) {
          double tlo, thi;
          mul_iv(in.lo[r * n_in + i], in.hi[r * n_in + i], k.data[i * n_out + j], tlo, thi);
          lo += tlo;
          hi += thi;
          neg += std::min(0.0, tlo);
          pos += std::max(0.0, thi);
          plo = std::min(plo, tlo);
          phi = std::max(phi, thi);
        }
        out.lo[r * n_out + j] = lo;
        out.hi[r * n_out + j] = hi;
        alo[j] = std::min({alo[j], plo, b.data[j] + neg});
        ahi[j] = std::max({ahi[j], phi, b.data[j] + pos});
      }
    linear_types(n, in, alo, ahi);
    return out;
  }

  Range conv(ir::Node& n) {
    Range in = range(n.inputs[0]);
    if (!in.known) quantized_weight_types(n, {{"kernel", "weight"}, {"bias", "bias"}});
    if (!in.known || !weights_on_grid(n, "kernel") || !weights_on_grid(n, "bias")) return Range{};
    if (n.types.at("result").is_float() || n.attr.value("channels_first", false)) return Range{};
    const ir::Tensor& k = n.weights.at("kernel");
    const ir::Tensor& b = n.weights.at("bias");
    const std::size_t n_chan = n.attr.at("n_chan"), n_filt = n.attr.at("n_filt");
    const std::size_t groups = n.attr.value("groups", std::size_t(1));
    const std::size_t cin_g = n_chan / groups, fout_g = n_filt / groups;
    const std::size_t taps = k.size() / (cin_g * n_filt);
    // Per input channel: union over positions, and 0 (padding).
    std::vector<double> clo(n_chan, 0), chi(n_chan, 0);
    for (std::size_t e = 0; e < in.size(); ++e) {
      clo[e % n_chan] = std::min(clo[e % n_chan], in.lo[e]);
      chi[e % n_chan] = std::max(chi[e % n_chan], in.hi[e]);
    }
    std::vector<double> olo(n_filt), ohi(n_filt), alo(n_filt), ahi(n_filt);
    for (std::size_t o = 0; o < n_filt; ++o) {
      const std::size_t g = o / fout_g;
      double lo = b.data[o], hi = b.data[o], neg = 0, pos = 0;
      double plo = std::min(0.0, b.data[o]), phi = std::max(0.0, b.data[o]);
      for (std::size_t t = 0; t < taps; ++t)
        for (std::size_t ci = 0; ci < cin_g; ++ci) {
          const std::size_t c = g * cin_g + ci;
          double tlo, thi;
          mul_iv(clo[c], chi[c], k.data[(t * cin_g + ci) * n_filt + o], tlo, thi);
          lo += tlo;
          hi += thi;
          neg += std::min(0.0, tlo);
          pos += std::max(0.0, thi);
          plo = std::min(plo, tlo);
          phi = std::max(phi, thi);
        }
      olo[o] = lo;
      ohi[o] = hi;
      alo[o] = std::min(plo, b.data[o] + neg);
      ahi[o] = std::max(phi, b.data[o] + pos);
    }
    const std::size_t size = ir::shape_size(n.shape);
    Range out = full(size, 0, 0, std::max(in.frac + frac_of(k.data), frac_of(b.data)));
    for (std::size_t e = 0; e < size; ++e) {
      out.lo[e] = olo[e % n_filt];
      out.hi[e] = ohi[e % n_filt];
    }
    linear_types(n, in, alo, ahi);
    return out;
  }

  Range batchnorm(ir::Node& n) {
    Range in = range(n.inputs[0]);
    if (!in.known) quantized_weight_types(n, {{"scale", "scale"}, {"bias", "bias"}});
    if (!in.known || !weights_on_grid(n, "scale") || !weights_on_grid(n, "bias")) return Range{};
    if (n.types.at("result").is_float()) return Range{};
    const ir::Tensor& s = n.weights.at("scale");
    const ir::Tensor& b = n.weights.at("bias");
    const std::size_t ch = s.size(), size = ir::shape_size(n.shape);
    Range out = full(size, 0, 0, std::max(in.frac + frac_of(s.data), frac_of(b.data)));
    for (std::size_t e = 0; e < size; ++e) {
      double lo, hi;
      mul_iv(in.lo[e], in.hi[e], s.data[e % ch], lo, hi);
      out.lo[e] = lo + b.data[e % ch];
      out.hi[e] = hi + b.data[e % ch];
    }
    set_type(cfg_, n, "scale", precision_for_values(s.data));
    set_type(cfg_, n, "bias", precision_for_values(b.data));
    return out;
  }

  Range activation(ir::Node& n) {
    Range in = range(n.inputs[0]);
    if (!in.known || n.types.at("result").is_float()) return Range{};
    std::string fn = n.attr.value("fn", "");
    const bool plain_relu = fn == "relu" && !n.attr.contains("max_value") && !n.attr.contains("threshold") &&
                            n.attr.value("negative_slope", 0.0) == 0.0;
    if (fn == "linear") return in;
    if (!plain_relu) return Range{};
    Range r = in;
    for (std::size_t e = 0; e < r.size(); ++e) {
      r.lo[e] = std::max(0.0, r.lo[e]);
      r.hi[e] = std::max(0.0, r.hi[e]);
    }
    return r;
  }

  // Ops that move elements: without per-element bookkeeping, every element gets the union.
  Range permuted(ir::Node& n) {
    Range in = range(n.inputs[0]);
    if (!in.known) return Range{};
    if (ir::is_view(n) && in.size() == ir::shape_size(n.shape)) return in;
    return full(ir::shape_size(n.shape), in.min(), in.max(), in.frac);
  }

  Range union_of(ir::Node& n) {
    double lo = 0, hi = 0;
    int frac = 0;
    for (const auto& i : n.inputs) {
      const Range& r = range(i);
      if (!r.known) return Range{};
      lo = std::min(lo, r.min());
      hi = std::max(hi, r.max());
      frac = std::max(frac, r.frac);
    }
    if (n.types.at("result").is_float()) return Range{};
    return full(ir::shape_size(n.shape), lo, hi, frac);
  }

  Range pool(ir::Node& n) {
    Range in = range(n.inputs[0]);
    if (!in.known || n.attr.value("average", false) || n.types.at("result").is_float()) return Range{};
    const std::size_t ch = n.attr.at("n_chan");
    std::vector<double> clo(ch, kInf), chi(ch, -kInf);
    for (std::size_t e = 0; e < in.size(); ++e) {
      clo[e % ch] = std::min(clo[e % ch], in.lo[e]);
      chi[e % ch] = std::max(chi[e % ch], in.hi[e]);
    }
    // 'same' padding may bring in zeros.
    for (std::size_t c = 0; c < ch; ++c) {
      clo[c] = std::min(clo[c], 0.0);
      chi[c] = std::max(chi[c], 0.0);
    }
    const std::size_t size = ir::shape_size(n.shape);
    Range out = full(size, 0, 0, in.frac);
    for (std::size_t e = 0; e < size; ++e) {
      out.lo[e] = clo[e % ch];
      out.hi[e] = chi[e % ch];
    }
    if (n.types.count("accum")) set_type(cfg_, n, "accum", type_of(out));
    return out;
  }

  Range merge(ir::Node& n) {
    Range a = range(n.inputs[0]), b = range(n.inputs[1]);
    if (!a.known || !b.known || n.types.at("result").is_float()) return Range{};
    std::string mode = n.attr.value("mode", "add");
    double scale = n.attr.value("scale", 1.0);
    int sf = quant::frac_bits(scale);
    if (scale != std::ldexp(1.0, -sf)) return Range{};  // only powers of two stay exact
    const std::size_t size = ir::shape_size(n.shape);
    Range r = full(size, 0, 0, 0);
    for (std::size_t e = 0; e < size; ++e) {
      double lo, hi;
      if (mode == "add" || mode == "average") {
        lo = a.lo[e] + b.lo[e];
        hi = a.hi[e] + b.hi[e];
      } else if (mode == "subtract") {
        lo = a.lo[e] - b.hi[e];
        hi = a.hi[e] - b.lo[e];
      } else if (mode == "multiply") {
        double c[4] = {a.lo[e] * b.lo[e], a.lo[e] * b.hi[e], a.hi[e] * b.lo[e], a.hi[e] * b.hi[e]};
        lo = *std::min_element(c, c + 4);
        hi = *std::max_element(c, c + 4);
      } else if (mode == "maximum") {
        lo = std::max(a.lo[e], b.lo[e]);
        hi = std::max(a.hi[e], b.hi[e]);
      } else if (mode == "minimum") {
        lo = std::min(a.lo[e], b.lo[e]);
        hi = std::min(a.hi[e], b.hi[e]);
      } else {
        return Range{};
      }
      r.lo[e] = lo * scale;
      r.hi[e] = hi * scale;
    }
    r.frac = (mode == "multiply" ? a.frac + b.frac : std::max(a.frac, b.frac)) + sf;
    if (n.types.count("accum")) {
      Range acc = r;
      for (std::size_t e = 0; e < size; ++e) {
        acc.lo[e] = std::min(r.lo[e] / scale, r.lo[e]);
        acc.hi[e] = std::max(r.hi[e] / scale, r.hi[e]);
      }
      set_type(cfg_, n, "accum", type_of(acc));
    }
    return r;
  }

  ir::Graph& g_;
  const Config& cfg_;
  std::map<std::string, Range> ranges_;
  RangeHooks hooks_;
};

}  // namespace

bool user_set(const Config& cfg, const ir::Node& n, const std::string& role) {
  auto has = [&](const LayerSettings& s) {
    return (s.precision_all.has_value() && catch_all_covers(role)) || s.precision.count(role);
  };
  for (const auto& nm : config_names(n)) {
    auto it = cfg.by_name.find(nm);
    if (it != cfg.by_name.end() && has(it->second)) return true;
  }
  auto it = cfg.by_type.find(n.keras_class);
  return it != cfg.by_type.end() && has(it->second);
}

bool is_quantized(const ir::Graph& g) {
  for (const auto& n : g.nodes())
    if (is_quantizer(*n) || n->attr.value("quantized", false)) return true;
  return false;
}

namespace {

// A model-wide float precision asks for float emulation: no derivation, helper types follow.
bool model_is_float(const Config& cfg) {
  const LayerSettings& s = cfg.model;
  if (s.precision.count("result")) return s.precision.at("result").is_float();
  return s.precision_all.has_value() && s.precision_all->is_float();
}

}  // namespace

bool derives_types(const ir::Graph& g, const Config& cfg) { return is_quantized(g) && !model_is_float(cfg); }

void quantizer_precisions(ir::Graph& g, const Config& cfg) {
  if (!is_quantized(g)) return;
  if (model_is_float(cfg)) {
    for (auto& n : g.nodes())
      if (is_quantizer(*n))
        for (const char* role : {"q_scaled", "q_round", "q_int", "q_frac", "q_scale", "q_unscale", "q_bound", "q_inv", "q_index", "q_table", "q_cmp"})
          if (!n->types.count(role)) n->types[role] = n->types.at("result");
    for (auto& n : g.nodes())
      if (ir::range_rule(*n) == ir::RangeRule::Quantize) quantize_tables(*n, params_of(*n));
    return;
  }
  Deriver(g, cfg).run();
}

}  // namespace kml::passes
