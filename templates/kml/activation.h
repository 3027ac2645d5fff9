// Activations. Float types compute the exact function; fixed-point types use hls4ml-style lookup tables
// (table_t entries over [lo, hi), table_size entries, sampled at bin centres) or exact fixed-point
// arithmetic for the piecewise-linear functions.
#ifndef KML_ACTIVATION_H_
#define KML_ACTIVATION_H_

#include <cmath>

#include "kml/common.h"

namespace kml {

struct activ_config {
  static const unsigned n_in = 1;
  static const unsigned table_size = 1024;
  static const unsigned reuse_factor = 1;
  typedef ap_fixed<18, 8> table_t;
  typedef ap_fixed<16, 6> param_t;
  static constexpr double alpha = 1.0;           // elu, leaky_relu
  static constexpr double max_value = 0.0;       // relu (when has_max)
  static const bool has_max = false;
  static constexpr double negative_slope = 0.0;  // relu
  static constexpr double threshold = 0.0;       // relu, thresholded_relu
  static constexpr double slope = 0.2;           // hard_sigmoid
  static constexpr double offset = 0.5;          // hard_sigmoid
};

// ---------------------------------------------------------------------------------------------------
// Unary functions evaluated exactly (float mode) or through a table (fixed point).
namespace fn {
struct base {
  static const bool rational = false;
  static double slope() { return 1.0; }
};
// A function tabulated over [Lo, Hi) in fixed point. `Above`: what x >= hi() gives: 0 = the last table entry
// (functions that saturate), 1 = x (functions that become the identity), 2 = slope() * x (functions linear for
// x >= 0, tabulated over [lo, 0) only).
// `rational`: fixed-point types compute the function exactly with one division instead of a table.
template <int Lo, int Hi, int Above>
struct table_fn : base {
  static double lo() { return Lo; }
  static double hi() { return Hi; }
  static const int above = Above;
};
struct sigmoid : table_fn<-8, 8, 0> {
  static double f(double x, double) { return 1.0 / (1.0 + std::exp(-x)); }
};
struct tanh_ : table_fn<-4, 4, 0> {
  static double f(double x, double) { return std::tanh(x); }
};
struct softplus : table_fn<-8, 8, 1> {
  static double f(double x, double) { return x > 30 ? x : std::log1p(std::exp(x)); }
};
struct softsign : table_fn<-8, 8, 0> {
  static double f(double x, double) { return x / (1.0 + std::fabs(x)); }
  static const bool rational = true;
};
struct elu : table_fn<-8, 0, 1> {
  static double f(double x, double a) { return x >= 0 ? x : a * std::expm1(x); }
};
struct selu : table_fn<-8, 0, 2> {
  static double f(double x, double) {
    const double a = 1.6732632423543772848170429916717, s = 1.0507009873554804934193349852946;
    return x >= 0 ? s * x : s * a * std::expm1(x);
  }
  static double slope() { return 1.0507009873554804934193349852946; }
};
struct silu : table_fn<-8, 8, 1> {
  static double f(double x, double) { return x / (1.0 + std::exp(-x)); }
};
struct gelu : table_fn<-8, 8, 1> {  // exact (erf) form, Keras' default approximate=False
  static double f(double x, double) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }
};
struct exponential : table_fn<-8, 8, 0> {
  static double f(double x, double) { return std::exp(x); }
};
struct hard_silu : table_fn<-4, 4, 1> {  // 0 below -3, x above 3: a table over [-4, 4) is enough
  static double f(double x, double) {
    double r = x + 3 < 0 ? 0 : (x + 3 > 6 ? 6 : x + 3);
    return x * r / 6.0;
  }
};
struct mish : table_fn<-8, 8, 1> {
  static double f(double x, double) { return x * std::tanh(x > 30 ? x : std::log1p(std::exp(x))); }
};
}  // namespace fn

// Table index of x for a table of N entries over [lo, hi): floor((x - lo) * N / (hi - lo)), clamped.
// Computed in a wide fixed-point type so that synthesis needs no floating point.
template <class data_T, unsigned N>
inline int table_index(const data_T& x, double lo, double hi, bool& above) {
  typedef ap_fixed<48, 24> calc_t;
  const calc_t lo_t = lo;
  const calc_t scale = double(N) / (hi - lo);
  calc_t t = x;
  t -= lo_t;
  above = false;
  if (t < 0) return 0;
  t *= scale;
  int idx = t.to_int();
  if (idx >= int(N)) {
    above = true;
    return int(N) - 1;
  }
  return idx;
}

// The largest value a type holds (found by probing, so that it works for any ap_ type and for float), and
// the smallest (0 for unsigned types).
template <class T>
inline double type_max() {
  double p = 1;
  while (p < 1e30 && to_double(T(p * 2)) == p * 2) p *= 2;
  double m = p;
  for (double b = p / 2; b > 1e-30 && b >= p / 1e12; b /= 2)
    if (to_double(T(m + b)) == m + b) m += b;
  return m;
}
template <class T>
inline double type_min() {
  if (to_double(T(-1)) != -1) return 0;  // unsigned (or no integer bit: handled as unsigned, conservatively)
  double p = 1;
  while (p < 1e30 && to_double(T(-p * 2)) == -p * 2) p *= 2;
  return -p;
}

// Table entries are saturated to table_T's range (a wrapped entry would be badly wrong).
template <class table_T, unsigned N, class F>
inline void fill_table(table_T table[N], double lo, double hi, double param) {
  const double step = (hi - lo) / N;
  const double tmax = type_max<table_T>(), tmin = type_min<table_T>();
  for (unsigned k = 0; k < N; k++) {
    double v = F::f(lo + (k + 0.5) * step, param);
    table[k] = v > tmax ? tmax : (v < tmin ? tmin : v);
  }
}

template <class data_T, class res_T, typename CONFIG_T, class F>
typename enable_if<is_float<data_T>::value>::type unary(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) res[i] = F::f(double(data[i]), CONFIG_T::alpha);
}

template <class data_T, class res_T, typename CONFIG_T, class F>
typename enable_if<!is_float<data_T>::value>::type unary(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  KML_TABLE_STORAGE typename CONFIG_T::table_t table[CONFIG_T::table_size];
  KML_TABLE_STORAGE bool initialized = false;
  if (!initialized) {
    fill_table<typename CONFIG_T::table_t, CONFIG_T::table_size, F>(table, F::lo(), F::hi(), CONFIG_T::alpha);
    initialized = true;
  }
  // The linear part's slope (selu's 1.0507...) as a 24-bit constant: param_t's 10 fractional bits would be off
  // by 1e-3 relative (0.03 at x = 32).
  static const ap_ufixed<24, 2, AP_RND> slope = F::slope();
  static const typename CONFIG_T::table_t res_max = type_max<res_T>() < type_max<typename CONFIG_T::table_t>()
                                                        ? type_max<res_T>() : type_max<typename CONFIG_T::table_t>();
  static const typename CONFIG_T::table_t res_min = type_min<res_T>() > type_min<typename CONFIG_T::table_t>()
                                                        ? type_min<res_T>() : type_min<typename CONFIG_T::table_t>();
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    if (F::rational) {  // x / (1 + |x|) with enough fractional bits
      typedef ap_fixed<48, 20> calc_t;
      calc_t x = data[i];
      calc_t d = x < 0 ? calc_t(1 - x) : calc_t(1 + x);
      res[i] = x / d;
      continue;
    }
    bool above;
    int idx = table_index<data_T, CONFIG_T::table_size>(data[i], F::lo(), F::hi(), above);
    if (above && F::above == 1) res[i] = data[i];
    else if (above && F::above == 2) res[i] = slope * data[i];
    else if (table[idx] > res_max) res[i] = res_max;  // saturate rather than wrap (exponential, ...)
    else if (table[idx] < res_min) res[i] = res_min;
    else res[i] = table[idx];
  }
}

// ---------------------------------------------------------------------------------------------------
// Piecewise-linear activations: exact arithmetic in the data type.

template <class data_T, class res_T, typename CONFIG_T>
void linear(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    res[i] = data[i];
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void relu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    data_T y = 0;
    if (x > 0) y = x;  // (this form, unlike a ternary, is a branch-free select that g++ vectorizes in emulation)
    res[i] = y;
  }
}

// Keras ReLU(max_value, negative_slope, threshold).
template <class data_T, class res_T, typename CONFIG_T>
void relu_general(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  static const typename CONFIG_T::param_t max_v = CONFIG_T::max_value;
  static const typename CONFIG_T::param_t thr = CONFIG_T::threshold;
  static const typename CONFIG_T::param_t slope = CONFIG_T::negative_slope;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    if (CONFIG_T::has_max && x >= max_v) res[i] = max_v;
    else if (x > thr) res[i] = x;  // Keras: x > threshold keeps x
    else res[i] = slope * (x - thr);
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void leaky_relu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  static const typename CONFIG_T::param_t a = CONFIG_T::alpha;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    res_T y = a * x;
    if (x > 0) y = x;  // a select (see relu)
    res[i] = y;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void thresholded_relu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  static const typename CONFIG_T::param_t theta = CONFIG_T::threshold;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    res_T y = 0;
    if (x > theta) y = x;  // a select (see relu)
    res[i] = y;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void prelu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
           const typename CONFIG_T::param_t alpha[CONFIG_T::n_in]) {
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const data_T x = data[i];
    res_T y = alpha[i] * x;
    if (x > 0) y = x;  // a select (see relu)
    res[i] = y;
  }
}

// clip(slope * x + offset, 0, 1)
template <class data_T, class res_T, typename CONFIG_T>
void hard_sigmoid(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  static const typename CONFIG_T::param_t slope = CONFIG_T::slope;
  static const typename CONFIG_T::param_t offset = CONFIG_T::offset;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    typename CONFIG_T::param_t y = slope * data[i] + offset;
    if (y > 1) res[i] = 1;
    else if (y < 0) res[i] = 0;
    else res[i] = y;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void hard_tanh(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    if (data[i] > 1) res[i] = 1;
    else if (data[i] < -1) res[i] = -1;
    else res[i] = data[i];
  }
}

// ---------------------------------------------------------------------------------------------------
// Softmax over the last axis (n_rows rows of n_in elements).

struct softmax_config {
  static const unsigned n_in = 1;
  static const unsigned n_rows = 1;
  static const unsigned table_size = 1024;
  static const unsigned reuse_factor = 1;
  static const bool log = false;  // log_softmax
  static const int implementation = 0;  // 0 stable, 1 latency, 2 argmax
  typedef ap_fixed<18, 8, AP_RND, AP_SAT> exp_table_t;
  typedef ap_fixed<18, 8, AP_RND, AP_SAT> inv_table_t;
  typedef ap_fixed<24, 14> sum_t;
  static constexpr double exp_range = 8.0;  // exp table over [-exp_range, 0] (stable) or [-r, r] (latency)
  static constexpr double sum_range = 64.0;  // inverse/log table over [0, sum_range)
};

// implementation = "argmax": 1 at the first maximum of the row, 0 elsewhere.
template <class data_T, class res_T, unsigned N>
void softmax_argmax_row(const data_T* x, res_T* y) {
#pragma HLS INLINE
  unsigned best = 0;
  for (unsigned i = 1; i < N; i++)
    if (x[i] > x[best]) best = i;
  for (unsigned i = 0; i < N; i++) y[i] = i == best ? 1 : 0;
}

template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<is_float<data_T>::value>::type softmax(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                         res_T res[CONFIG_T::n_rows * CONFIG_T::n_in]) {
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    const data_T* x = data + r * CONFIG_T::n_in;
    res_T* y = res + r * CONFIG_T::n_in;
    if (CONFIG_T::implementation == 2) {
      softmax_argmax_row<data_T, res_T, CONFIG_T::n_in>(x, y);
      continue;
    }
    double m = x[0];
    for (unsigned i = 1; i < CONFIG_T::n_in; i++) m = x[i] > m ? double(x[i]) : m;
    double s = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) s += std::exp(double(x[i]) - m);
    for (unsigned i = 0; i < CONFIG_T::n_in; i++)
      y[i] = CONFIG_T::log ? (double(x[i]) - m - std::log(s)) : std::exp(double(x[i]) - m) / s;
  }
}

struct log_fn {
  static double f(double x, double) { return x > 0 ? std::log(x) : -1e9; }
};
struct inv_fn {
  static double f(double x, double) { return x > 0 ? 1.0 / x : 1e9; }
};
struct exp_fn {
  static double f(double x, double) { return std::exp(x); }
};

template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<!is_float<data_T>::value>::type softmax(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                          res_T res[CONFIG_T::n_rows * CONFIG_T::n_in]) {
#pragma HLS INLINE
  typedef ap_fixed<48, 24> diff_t;
  const unsigned N = CONFIG_T::table_size;
  const bool stable = CONFIG_T::implementation == 0;
  // Stable: x - max lies in [-range, 0]; the table's bin centres are -range + k * step, the last one exactly 0
  // (so the row maximum contributes exp(0) = 1). Latency: a plain table over [-range, range).
  const double half = CONFIG_T::exp_range / (N - 1) / 2;
  const double e_lo = stable ? -CONFIG_T::exp_range - half : -CONFIG_T::exp_range;
  const double e_hi = stable ? half : CONFIG_T::exp_range;
  KML_TABLE_STORAGE typename CONFIG_T::exp_table_t exp_table[CONFIG_T::table_size];
  KML_TABLE_STORAGE typename CONFIG_T::inv_table_t inv_table[CONFIG_T::table_size];
  KML_TABLE_STORAGE bool initialized = false;
  if (!initialized) {
    fill_table<typename CONFIG_T::exp_table_t, CONFIG_T::table_size, exp_fn>(exp_table, e_lo, e_hi, 0);
    if (CONFIG_T::log)
      fill_table<typename CONFIG_T::inv_table_t, CONFIG_T::table_size, log_fn>(inv_table, 0, CONFIG_T::sum_range, 0);
    else
      fill_table<typename CONFIG_T::inv_table_t, CONFIG_T::table_size, inv_fn>(inv_table, 0, CONFIG_T::sum_range, 0);
    initialized = true;
  }
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    const data_T* x = data + r * CONFIG_T::n_in;
    res_T* y = res + r * CONFIG_T::n_in;
    if (CONFIG_T::implementation == 2) {
      softmax_argmax_row<data_T, res_T, CONFIG_T::n_in>(x, y);
      continue;
    }
    data_T m = x[0];
    if (stable)
      for (unsigned i = 1; i < CONFIG_T::n_in; i++)
        if (x[i] > m) m = x[i];
    typename CONFIG_T::exp_table_t e[CONFIG_T::n_in];
    typename CONFIG_T::sum_t s = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
      bool above;
      int idx;
      if (stable) {
        diff_t d = x[i];
        d -= diff_t(m);
        idx = table_index<diff_t, CONFIG_T::table_size>(d, e_lo, e_hi, above);
      } else idx = table_index<data_T, CONFIG_T::table_size>(x[i], e_lo, e_hi, above);
      e[i] = exp_table[idx];
      s += e[i];
    }
    bool above;
    int sidx = table_index<typename CONFIG_T::sum_t, CONFIG_T::table_size>(s, 0, CONFIG_T::sum_range, above);
    const typename CONFIG_T::inv_table_t v = inv_table[sidx];
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
      if (CONFIG_T::log) {
        diff_t d = x[i];
        d -= diff_t(m);
        d -= diff_t(v);
        y[i] = d;
      }
      else y[i] = e[i] * v;
    }
  }
}

}  // namespace kml

#endif
