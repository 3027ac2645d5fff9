// Explicit quantization nodes: per-element (heterogeneous) fixed-point quantizers (HGQ/HGQ2, QKeras
// activations), step functions (binary/ternary activations) and lookup tables over a quantized input.
//
// quantize: y[e] = Q_e(pre_scale * x[e] + pre_offset) where Q_e rounds to f_e fractional bits with one
// rounding mode and handles overflow with one mode (WRAP: two's complement on k_e + i_e + f_e bits; SAT /
// SAT_SYM: clamp). The per-element parameters come as tables (2^f, 2^-f, integer bounds); the types are
// chosen by the converter so that every step is exact (scaled_t holds x * 2^f exactly, round_t rounds to an
// integer with the quantizer's rounding mode). Fully unrolled, every table entry is a constant: the scaling
// is a shift and the bounds are constants.
#ifndef KML_QUANTIZE_H_
#define KML_QUANTIZE_H_

#include "kml/common.h"

namespace kml {

struct quantize_config {
  static const unsigned n_in = 1;
  static const unsigned n_par = 1;  // 1: the same parameters for every element; else n_in
  static const int overflow = 0;    // 0 WRAP, 1 SAT (bounds lo/hi), 2 none (round only)
  static const int round = 0;       // float emulation: 0 TRN, 1 RND, 2 RND_CONV, 3 TRN_ZERO, 4 RND_ZERO, 5 RND_MIN_INF, 6 RND_INF
  static const bool affine = false;
  static constexpr double pre_scale = 1.0;
  static constexpr double pre_offset = 0.0;
  typedef float scaled_t;   // x (after the affine map) and x * 2^f, exactly
  typedef float round_t;    // an integer type carrying the rounding mode
  typedef float int_t;      // integer arithmetic of the overflow handling
  typedef float frac_t;     // int_t * 2^-B (WRAP)
  typedef float scale_t;    // 2^f
  typedef float unscale_t;  // 2^-f
  typedef float bound_t;    // SAT: lo, hi; WRAP: half = k 2^(B-1), mod = 2^B
  typedef float inv_t;      // WRAP: 2^-B
};

namespace detail {
inline double round_float(double x, int mode) {
  const double fl = std::floor(x);
  const double d = x - fl;
  const double s = x < 0 ? -1.0 : 1.0;
  switch (mode) {
    case 0: return fl;
    case 1: return std::floor(x + 0.5);
    case 2: return d > 0.5 ? fl + 1 : (d < 0.5 ? fl : (std::fmod(fl, 2.0) == 0 ? fl : fl + 1));
    case 3: return std::trunc(x);
    case 4: return -std::floor(-std::fabs(x) + 0.5) * s;
    case 5: return -std::floor(-x + 0.5);
    default: return std::floor(std::fabs(x) + 0.5) * s;
  }
}
template <class T> inline int index_of(const T& x) { return x.to_int(); }
inline int index_of(float x) { return static_cast<int>(std::floor(x + 0.5f)); }
inline int index_of(double x) { return static_cast<int>(std::floor(x + 0.5)); }
}  // namespace detail

// Float emulation: the same arithmetic in double precision.
template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<is_float<data_T>::value || is_float<res_T>::value>::type quantize(
    const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_in], const typename CONFIG_T::scale_t scale[CONFIG_T::n_par],
    const typename CONFIG_T::unscale_t unscale[CONFIG_T::n_par], const typename CONFIG_T::bound_t p0[CONFIG_T::n_par],
    const typename CONFIG_T::bound_t p1[CONFIG_T::n_par], const typename CONFIG_T::inv_t inv[CONFIG_T::n_par]) {
  for (unsigned e = 0; e < CONFIG_T::n_in; e++) {
    const unsigned p = CONFIG_T::n_par == 1 ? 0 : e;
    double v = to_double(x[e]);
    if (CONFIG_T::affine) v = v * CONFIG_T::pre_scale + CONFIG_T::pre_offset;
    double q = detail::round_float(v * double(scale[p]), CONFIG_T::round);
    if (CONFIG_T::overflow == 1) {
      if (q < double(p0[p])) q = double(p0[p]);
      if (q > double(p1[p])) q = double(p1[p]);
    } else if (CONFIG_T::overflow == 0) {
      const double t = q + double(p0[p]);
      q = t - double(p1[p]) * std::floor(t * double(inv[p])) - double(p0[p]);
    }
    y[e] = q * double(unscale[p]);
  }
}

template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<!is_float<data_T>::value && !is_float<res_T>::value>::type quantize(
    const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_in], const typename CONFIG_T::scale_t scale[CONFIG_T::n_par],
    const typename CONFIG_T::unscale_t unscale[CONFIG_T::n_par], const typename CONFIG_T::bound_t p0[CONFIG_T::n_par],
    const typename CONFIG_T::bound_t p1[CONFIG_T::n_par], const typename CONFIG_T::inv_t inv[CONFIG_T::n_par]) {
#pragma HLS INLINE
  for (unsigned e = 0; e < CONFIG_T::n_in; e++) {
#pragma HLS UNROLL
    const unsigned p = CONFIG_T::n_par == 1 ? 0 : e;
    typename CONFIG_T::scaled_t s = x[e];
    if (CONFIG_T::affine) {
      const typename CONFIG_T::scaled_t a = CONFIG_T::pre_scale, b = CONFIG_T::pre_offset;
      s = s * a;
      s = s + b;
    }
    s = s * scale[p];
    const typename CONFIG_T::round_t r = s;  // rounding to an integer with the quantizer's mode
    typename CONFIG_T::int_t q = r;
    if (CONFIG_T::overflow == 1) {
      if (q < p0[p]) q = p0[p];
      if (q > p1[p]) q = p1[p];
    } else if (CONFIG_T::overflow == 0) {
      const typename CONFIG_T::int_t t = q + p0[p];
      const typename CONFIG_T::frac_t u = t * inv[p];
      const typename CONFIG_T::int_t fl = u;  // floor
      q = t - fl * p1[p];
      q = q - p0[p];
    }
    y[e] = q * unscale[p];
  }
}

// ---------------------------------------------------------------------------------------------------
// Step functions: y = x >= pos_t ? v_pos : (has_neg && x <= neg_t ? v_neg : v_mid). The converter moves the
// thresholds onto the input's grid so that the comparisons are exact (cmp_t holds inputs and thresholds).

struct step_config {
  static const unsigned n_in = 1;
  static const bool has_neg = false;
  static constexpr double pos_t = 0.0;
  static constexpr double neg_t = 0.0;
  static const bool pos_strict = false;  // float emulation only: > instead of >=
  static const bool neg_strict = false;  // float emulation only: < instead of <=
  static constexpr double v_pos = 1.0;
  static constexpr double v_mid = -1.0;
  static constexpr double v_neg = -1.0;
  typedef float cmp_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void step(const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_in]) {
#pragma HLS INLINE
  const typename CONFIG_T::cmp_t tp = CONFIG_T::pos_t, tn = CONFIG_T::neg_t;
  const res_T vp = CONFIG_T::v_pos, vm = CONFIG_T::v_mid, vn = CONFIG_T::v_neg;
  for (unsigned e = 0; e < CONFIG_T::n_in; e++) {
#pragma HLS UNROLL
    const typename CONFIG_T::cmp_t v = x[e];
    const bool pos = CONFIG_T::pos_strict ? v > tp : v >= tp;
    const bool neg = CONFIG_T::has_neg && (CONFIG_T::neg_strict ? v < tn : v <= tn);
    y[e] = pos ? vp : (neg ? vn : vm);
  }
}

// ---------------------------------------------------------------------------------------------------
// Lookup table over a quantized input: y[e] = table[(x[e] - lo) * 2^frac]. The input lies on the 2^-frac grid
// in [lo, lo + (table_size - 1) 2^-frac] (the converter builds the table from the input's quantizer), so the
// index is exact.

struct lut_config {
  static const unsigned n_in = 1;
  static const unsigned table_size = 1;
  static constexpr double lo = 0.0;
  static constexpr double step_inv = 1.0;  // 2^frac
  typedef float index_t;                   // holds (x - lo) * 2^frac exactly (integer)
  typedef float table_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void lut(const data_T x[CONFIG_T::n_in], res_T y[CONFIG_T::n_in],
         const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
#pragma HLS INLINE
  for (unsigned e = 0; e < CONFIG_T::n_in; e++) {
#pragma HLS UNROLL
    const typename CONFIG_T::index_t lo = CONFIG_T::lo, sc = CONFIG_T::step_inv;
    typename CONFIG_T::index_t t = x[e];
    t = t - lo;
    t = t * sc;
    int idx = detail::index_of(t);
    if (idx < 0) idx = 0;
    if (idx >= int(CONFIG_T::table_size)) idx = CONFIG_T::table_size - 1;
    y[e] = table[idx];
  }
}

}  // namespace kml

#endif
