#include "passes/quantizers_attention.h"

#include <algorithm>
#include <cmath>

namespace kml::passes {
namespace {

using quant::Range;

int frac_of(const std::vector<double>& v) {
  int f = 0;
  for (double x : v) f = std::max(f, quant::frac_bits(x));
  return f;
}

const int kMaxWeightFrac = 32;

// Interval product [a, b] * [c, d].
void mul(double a, double b, double c, double d, double& lo, double& hi) {
  const double p[4] = {a * c, a * d, b * c, b * d};
  lo = *std::min_element(p, p + 4);
  hi = *std::max_element(p, p + 4);
}

std::size_t idx(const ir::Tensor& t, std::size_t k) { return static_cast<std::size_t>(t.data.at(k)); }

// O[s][l][r] = bias + sum_c A[s][l][c] * B[s][c][r]; B is either a constant (kernel) or a data range.
Range contract(ir::Node& n, const Range& a, const Range* b, const std::vector<double>* kernel, const std::vector<double>& bias,
               double& acc_lo, double& acc_hi) {
  const std::size_t ns = n.attr.at("n_s"), nl = n.attr.at("n_l"), nc = n.attr.at("n_c"), nr = n.attr.at("n_r");
  const ir::Tensor& ai = n.weights.at("a_index");
  const ir::Tensor& oi = n.weights.at("o_index");
  const ir::Tensor* bi = b ? &n.weights.at("b_index") : nullptr;
  Range out;
  out.known = true;
  out.lo.assign(ns * nl * nr, 0);
  out.hi.assign(ns * nl * nr, 0);
  acc_lo = acc_hi = 0;
  for (std::size_t s = 0; s < ns; ++s)
    for (std::size_t l = 0; l < nl; ++l)
      for (std::size_t r = 0; r < nr; ++r) {
        const std::size_t o = (s * nl + l) * nr + r;
        const double b0 = bias.empty() ? 0.0 : bias[o];
        double lo = b0, hi = b0, neg = 0, pos = 0;
        acc_lo = std::min(acc_lo, b0);
        acc_hi = std::max(acc_hi, b0);
        for (std::size_t c = 0; c < nc; ++c) {
          const std::size_t ia = idx(ai, (s * nl + l) * nc + c);
          const std::size_t kb = (s * nc + c) * nr + r;
          double tlo, thi;
          if (b) {
            const std::size_t ib = idx(*bi, kb);
            mul(a.lo[ia], a.hi[ia], b->lo[ib], b->hi[ib], tlo, thi);
          } else {
            const double w = (*kernel)[kb];
            mul(a.lo[ia], a.hi[ia], w, w, tlo, thi);
          }
          lo += tlo;
          hi += thi;
          neg += std::min(0.0, tlo);
          pos += std::max(0.0, thi);
          acc_lo = std::min(acc_lo, tlo);  // each product is cast to the accumulator type
          acc_hi = std::max(acc_hi, thi);
        }
        acc_lo = std::min(acc_lo, b0 + neg);  // every partial sum lies in [b0 + neg, b0 + pos]
        acc_hi = std::max(acc_hi, b0 + pos);
        const std::size_t op = idx(oi, o);
        out.lo[op] = lo;
        out.hi[op] = hi;
      }
  return out;
}

}  // namespace

bool einsum_range(ir::Node& n, const RangeHooks& h, Range& out) {
  if (n.op != "einsum" && n.op != "einsum_dense" && n.op != "max_sub") return false;
  out = Range{};
  if (n.types.at("result").is_float()) return true;
  const Range& a = h.range(n.inputs.at(0));
  if (!a.known) return true;
  if (n.op == "max_sub") {
    const std::size_t n_in = n.attr.at("n_in");
    const std::size_t size = a.size(), rows = size / n_in;
    out.known = true;
    out.frac = a.frac;
    out.lo.assign(size, 0);
    out.hi.assign(size, 0);
    for (std::size_t r = 0; r < rows; ++r) {
      double mx = a.hi[r * n_in], mn = a.lo[r * n_in];
      for (std::size_t j = 0; j < n_in; ++j) {
        mx = std::max(mx, a.hi[r * n_in + j]);
        mn = std::min(mn, a.lo[r * n_in + j]);
      }
      for (std::size_t j = 0; j < n_in; ++j) out.hi[r * n_in + j] = std::max(0.0, mx - mn);
    }
    // The subtraction happens in the result type: it must hold max - x exactly (the max is an input value).
    return true;
  }
  double acc_lo, acc_hi;
  if (n.op == "einsum") {
    const Range& b = h.range(n.inputs.at(1));
    if (!b.known) return true;
    out = contract(n, a, &b, nullptr, {}, acc_lo, acc_hi);
    out.frac = a.frac + b.frac;
    h.set_type(n, "accum", quant::precision_for(acc_lo, acc_hi, out.frac));
    return true;
  }
  const ir::Tensor& k = n.weights.at("kernel");
  const ir::Tensor& b = n.weights.at("bias");
  const int fk = frac_of(k.data), fb = frac_of(b.data);
  if (fk > kMaxWeightFrac || fb > kMaxWeightFrac) return true;
  out = contract(n, a, nullptr, &k.data, b.data, acc_lo, acc_hi);
  out.frac = std::max(a.frac + fk, fb);
  h.set_type(n, "weight", quant::precision_for_values(k.data));
  h.set_type(n, "bias", quant::precision_for_values(b.data));
  h.set_type(n, "accum", quant::precision_for(acc_lo, acc_hi, out.frac));
  return true;
}

}  // namespace kml::passes
