// kml runtime: a small subset of the vendor's <hls_math.h> for host builds: float/double functions that
// delegate to <cmath>, and hls::abs for integers, ap_[u]int and ap_[u]fixed.
#ifndef KML_HLS_MATH_H
#define KML_HLS_MATH_H

#include <cmath>
#include <cstdlib>

#include "ap_fixed.h"

namespace hls {

#define KML_HLS_UNARY(NAME)                             \
  inline float NAME(float x) { return std::NAME(x); }   \
  inline double NAME(double x) { return std::NAME(x); } \
  inline float NAME##f(float x) { return std::NAME(x); }
KML_HLS_UNARY(exp)
KML_HLS_UNARY(exp2)
KML_HLS_UNARY(log)
KML_HLS_UNARY(log2)
KML_HLS_UNARY(log10)
KML_HLS_UNARY(sqrt)
KML_HLS_UNARY(tanh)
KML_HLS_UNARY(sinh)
KML_HLS_UNARY(cosh)
KML_HLS_UNARY(sin)
KML_HLS_UNARY(cos)
KML_HLS_UNARY(tan)
KML_HLS_UNARY(atan)
KML_HLS_UNARY(floor)
KML_HLS_UNARY(ceil)
KML_HLS_UNARY(round)
KML_HLS_UNARY(trunc)
KML_HLS_UNARY(fabs)
#undef KML_HLS_UNARY

inline float pow(float x, float y) { return std::pow(x, y); }
inline double pow(double x, double y) { return std::pow(x, y); }
inline float powf(float x, float y) { return std::pow(x, y); }
inline float fmax(float x, float y) { return std::fmax(x, y); }
inline double fmax(double x, double y) { return std::fmax(x, y); }
inline float fmin(float x, float y) { return std::fmin(x, y); }
inline double fmin(double x, double y) { return std::fmin(x, y); }
inline float rsqrt(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float recip(float x) { return 1.0f / x; }
inline double recip(double x) { return 1.0 / x; }

inline float abs(float x) { return std::fabs(x); }
inline double abs(double x) { return std::fabs(x); }
inline int abs(int x) { return std::abs(x); }
inline long abs(long x) { return std::labs(x); }
inline long long abs(long long x) { return std::llabs(x); }

// |x| in x's own type (the most negative value of a signed type wraps, as in hardware).
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
constexpr ap_fixed<W, I, Q, O, N> abs(const ap_fixed<W, I, Q, O, N>& x) {
  return x.is_neg() ? ap_fixed<W, I, Q, O, N>(ap_fixed<W, I>(-x)) : x;
}
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
constexpr ap_ufixed<W, I, Q, O, N> abs(const ap_ufixed<W, I, Q, O, N>& x) {
  return x;
}
template <int W>
constexpr ap_int<W> abs(const ap_int<W>& x) {
  return x.sign() ? ap_int<W>(-x) : x;
}
template <int W>
constexpr ap_uint<W> abs(const ap_uint<W>& x) {
  return x;
}

}  // namespace hls

#endif  // KML_HLS_MATH_H
