// Fixed-point quantizer math used at conversion time: HGQ/HGQ2 quantizers (keep_negative k, integer bits i,
// fractional bits f, rounding and overflow modes), exact value ranges and the smallest fixed-point type that
// holds a set of values exactly.
//
// All functions work on doubles; they are exact as long as the values involved fit in 53 bits of mantissa,
// which every quantizer here (at most 32 bits wide) does.
#pragma once
#include <string>
#include <vector>

#include "config/precision.h"

namespace kml::quant {

// Rounding applied to x * 2^f (HGQ names; the vendor's ap_q_mode in comments).
enum class Round {
  TRN,          // floor (AP_TRN)
  RND,          // floor(x + 0.5): ties to +inf (AP_RND)
  RND_CONV,     // ties to even (AP_RND_CONV)
  TRN_ZERO,     // toward zero (AP_TRN_ZERO)
  RND_ZERO,     // ties toward zero (AP_RND_ZERO)
  RND_MIN_INF,  // ties to -inf (AP_RND_MIN_INF)
  RND_INF,      // ties away from zero (AP_RND_INF)
};

// Overflow handling after rounding.
enum class Overflow {
  WRAP,     // two's complement wrap-around on i + k bits (AP_WRAP)
  SAT,      // clamp to [-k 2^i, 2^i - 2^-f] (AP_SAT)
  SAT_SYM,  // clamp to [-k (2^i - 2^-f), 2^i - 2^-f] (AP_SAT_SYM)
  NONE,     // round only (HGQ weights in WRAP mode are only rounded at inference)
};

// Parse HGQ's names ("RND", "RND_CONV", "SAT_SYM", ...); throws kml::Error naming the unknown mode.
Round parse_round(const std::string& s);
Overflow parse_overflow(const std::string& s);
std::string name(Round r);
std::string name(Overflow o);
// The vendor's enumerator names: "AP_RND", "AP_SAT", ...
std::string ap_name(Round r);
std::string ap_name(Overflow o);

// Round one value (already scaled: the integer grid) with the given mode.
double round_scaled(double x, Round r);

// HGQ2's fixed-point quantizer at inference on one value: round x to f fractional bits, handle overflow
// on k + i + f bits (k: sign bit present, i: integer bits without the sign); elements with k + i + f <= 0
// are 0. Matches HGQ2's FixedPointQuantizer (quantizers package: saturation before rounding for SAT modes,
// wrap after rounding; i is raised to at least -f).
double fixed_quantize(double x, int k, int i, int f, Round r, Overflow o);

// Per-element parameters of one quantizer, flattened to the tensor they apply to.
struct FixedParams {
  std::vector<int> k, i, f;
  Round round = Round::TRN;
  Overflow overflow = Overflow::WRAP;
  std::size_t size() const { return k.size(); }
  bool active(std::size_t e) const { return k[e] + i[e] + f[e] > 0; }
  // Representable range of element e (both 0 for inactive elements).
  double lo(std::size_t e) const;
  double hi(std::size_t e) const;
  double apply(std::size_t e, double x) const { return fixed_quantize(x, k[e], i[e], f[e], round, overflow); }
};

// Exact value ranges: per-element intervals and the number of fractional bits of the grid they lie on.
struct Range {
  std::vector<double> lo, hi;
  int frac = 0;
  bool known = false;
  double min() const;
  double max() const;
  std::size_t size() const { return lo.size(); }
};

// Fractional bits needed to hold v exactly (0 for integers; capped at 60).
int frac_bits(double v);
// The smallest fixed-point type (fractional bits >= 0) holding every value in [lo, hi] on a 2^-frac grid.
Precision precision_for(double lo, double hi, int frac);
// The smallest fixed-point type holding every value of `values` exactly.
Precision precision_for_values(const std::vector<double>& values);
// The range [lo, hi] and grid a fixed-point type can represent.
void precision_range(const Precision& p, double& lo, double& hi);

}  // namespace kml::quant
