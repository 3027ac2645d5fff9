#include "quant/fixed.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "util/error.h"

namespace kml::quant {

namespace {
struct RoundName {
  Round r;
  const char* hgq;
  const char* ap;
};
const RoundName kRounds[] = {
    {Round::TRN, "TRN", "AP_TRN"},
    {Round::RND, "RND", "AP_RND"},
    {Round::RND_CONV, "RND_CONV", "AP_RND_CONV"},
    {Round::TRN_ZERO, "TRN_ZERO", "AP_TRN_ZERO"},
    {Round::RND_ZERO, "RND_ZERO", "AP_RND_ZERO"},
    {Round::RND_MIN_INF, "RND_MIN_INF", "AP_RND_MIN_INF"},
    {Round::RND_INF, "RND_INF", "AP_RND_INF"},
};
struct OverflowName {
  Overflow o;
  const char* hgq;
  const char* ap;
};
const OverflowName kOverflows[] = {
    {Overflow::WRAP, "WRAP", "AP_WRAP"},
    {Overflow::SAT, "SAT", "AP_SAT"},
    {Overflow::SAT_SYM, "SAT_SYM", "AP_SAT_SYM"},
    {Overflow::NONE, "NONE", "AP_WRAP"},
};

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (s.rfind("AP_", 0) == 0) s = s.substr(3);
  return s;
}
}  // namespace

Round parse_round(const std::string& s) {
  std::string u = upper(s);
  for (const auto& r : kRounds)
    if (u == r.hgq) return r.r;
  if (u.rfind("S_", 0) == 0)
    throw Error("stochastic rounding mode '" + s + "' has no hardware equivalent (use RND, RND_CONV, TRN, ...)");
  throw Error("unknown rounding mode '" + s + "' (supported: TRN, RND, RND_CONV, TRN_ZERO, RND_ZERO, RND_MIN_INF, RND_INF)");
}

Overflow parse_overflow(const std::string& s) {
  std::string u = upper(s);
  if (u == "SYM") u = "SAT_SYM";
  for (const auto& o : kOverflows)
    if (u == o.hgq && o.o != Overflow::NONE) return o.o;
  throw Error("unsupported overflow mode '" + s + "' (supported: WRAP, SAT, SAT_SYM)");
}

std::string name(Round r) {
  for (const auto& x : kRounds)
    if (x.r == r) return x.hgq;
  return "?";
}
std::string name(Overflow o) {
  for (const auto& x : kOverflows)
    if (x.o == o) return x.hgq;
  return "?";
}
std::string ap_name(Round r) {
  for (const auto& x : kRounds)
    if (x.r == r) return x.ap;
  return "AP_TRN";
}
std::string ap_name(Overflow o) {
  for (const auto& x : kOverflows)
    if (x.o == o) return x.ap;
  return "AP_WRAP";
}

double round_scaled(double x, Round r) {
  double s = x < 0 ? -1.0 : (x > 0 ? 1.0 : 0.0);
  switch (r) {
    case Round::TRN: return std::floor(x);
    case Round::RND: return std::floor(x + 0.5);
    case Round::RND_CONV: {
      double fl = std::floor(x), d = x - fl;
      if (d > 0.5) return fl + 1;
      if (d < 0.5) return fl;
      return std::fmod(fl, 2.0) == 0 ? fl : fl + 1;
    }
    case Round::TRN_ZERO: return std::trunc(x);
    case Round::RND_ZERO: return -std::floor(-std::fabs(x) + 0.5) * s;
    case Round::RND_MIN_INF: return -std::floor(-x + 0.5);
    case Round::RND_INF: return std::floor(std::fabs(x) + 0.5) * s;
  }
  return x;
}

double fixed_quantize(double x, int k, int i, int f, Round r, Overflow o) {
  if (o == Overflow::NONE) return std::ldexp(round_scaled(std::ldexp(x, f), r), -f);
  if (k + i + f <= 0) return 0.0;
  const int ie = std::max(i, -f);
  const double eps = std::ldexp(1.0, -f);
  const double top = std::ldexp(1.0, ie) - eps;
  if (o == Overflow::SAT || o == Overflow::SAT_SYM) {
    const double bottom = o == Overflow::SAT ? -k * std::ldexp(1.0, ie) : -k * top;
    x = std::min(std::max(x, bottom), top);
  }
  double q = std::ldexp(round_scaled(std::ldexp(x, f), r), -f);
  if (o == Overflow::WRAP) {
    const int bk = ie + k;
    const double m = std::ldexp(1.0, bk);
    const double bias = k * std::ldexp(1.0, bk - 1);
    double t = q + bias;
    t = t - m * std::floor(t / m);
    q = t - bias;
  }
  return q == 0 ? 0.0 : q;  // no negative zero
}

double FixedParams::lo(std::size_t e) const {
  if (overflow == Overflow::NONE) return -std::numeric_limits<double>::infinity();
  if (!active(e)) return 0;
  const int ie = std::max(i[e], -f[e]);
  if (overflow == Overflow::SAT_SYM) return -k[e] * (std::ldexp(1.0, ie) - std::ldexp(1.0, -f[e]));
  return -k[e] * std::ldexp(1.0, ie);
}

double FixedParams::hi(std::size_t e) const {
  if (overflow == Overflow::NONE) return std::numeric_limits<double>::infinity();
  if (!active(e)) return 0;
  const int ie = std::max(i[e], -f[e]);
  return std::ldexp(1.0, ie) - std::ldexp(1.0, -f[e]);
}

double Range::min() const {
  double m = std::numeric_limits<double>::infinity();
  for (double v : lo) m = std::min(m, v);
  return lo.empty() ? 0.0 : m;
}

double Range::max() const {
  double m = -std::numeric_limits<double>::infinity();
  for (double v : hi) m = std::max(m, v);
  return hi.empty() ? 0.0 : m;
}

int frac_bits(double v) {
  if (!std::isfinite(v)) return 0;
  int f = 0;
  while (f < 60 && std::ldexp(v, f) != std::floor(std::ldexp(v, f))) ++f;
  return f;
}

Precision precision_for(double lo, double hi, int frac) {
  if (frac < 0) frac = 0;
  if (!(lo <= hi)) lo = hi = 0;
  const double eps = std::ldexp(1.0, -frac);
  Precision p;
  p.kind = Precision::Kind::Fixed;
  p.rounding = "AP_TRN";
  p.overflow = "AP_WRAP";
  p.sat_bits = 0;
  if (lo >= 0) {
    int I = 0;
    while (std::ldexp(1.0, I) - eps < hi) ++I;
    p.is_signed = false;
    p.integer = I;
    p.width = std::max(1, I + frac);
    if (I + frac == 0) p.integer = 1;
  } else {
    int I = 1;
    while (-std::ldexp(1.0, I - 1) > lo || std::ldexp(1.0, I - 1) - eps < hi) ++I;
    p.is_signed = true;
    p.integer = I;
    p.width = I + frac;
  }
  return p;
}

Precision precision_for_values(const std::vector<double>& values) {
  double lo = 0, hi = 0;
  int frac = 0;
  for (double v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    frac = std::max(frac, frac_bits(v));
  }
  return precision_for(lo, hi, frac);
}

void precision_range(const Precision& p, double& lo, double& hi) {
  const int F = p.width - p.integer;
  if (p.is_signed) {
    lo = -std::ldexp(1.0, p.integer - 1);
    hi = std::ldexp(1.0, p.integer - 1) - std::ldexp(1.0, -F);
  } else {
    lo = 0;
    hi = std::ldexp(1.0, p.integer) - std::ldexp(1.0, -F);
  }
}

}  // namespace kml::quant
