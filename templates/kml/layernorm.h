// LayerNormalization over the last axis and L2 normalisation (Dot(normalize=True)).
// Float types compute exactly. Fixed-point types hold the statistics in a wide internal type (calc_t) and get
// 1/sqrt(v) from a table over [1, 4) after scaling v by a power of 4 (so the relative accuracy does not depend
// on the magnitude of v); table_t is the table's entry type.
#ifndef KML_LAYERNORM_H_
#define KML_LAYERNORM_H_

#include <cmath>

#include "kml/activation.h"
#include "kml/common.h"

namespace kml {

struct layernorm_config {
  static const unsigned n_in = 1;    // normalised axis length
  static const unsigned n_rows = 1;  // number of rows
  static const unsigned table_size = 1024;
  static constexpr double epsilon = 1e-3;
  typedef float scale_t;
  typedef float bias_t;
  typedef float table_t;
};

struct rsqrt_fn {
  static double f(double x, double) { return 1.0 / std::sqrt(x); }
};

typedef ap_fixed<56, 28> norm_calc_t;

// 1/sqrt(v) for v > 0 in fixed point: v = m * 4^e with m in [1, 4); 1/sqrt(v) = table(m) * 2^-e.
template <class table_T, unsigned N>
norm_calc_t rsqrt_fixed(norm_calc_t v, const table_T table[N]) {
#pragma HLS INLINE
  if (v <= 0) v = norm_calc_t(1.0 / (1 << 24));
  norm_calc_t m = v;
  int e = 0;
  const norm_calc_t four = 4, one = 1, quarter = 0.25;
Down:
  for (int k = 0; k < 14; k++) {
    if (m >= four) {
      m = m * quarter;
      e++;
    }
  }
Up:
  for (int k = 0; k < 14; k++) {
    if (m < one) {
      m = m * four;
      e--;
    }
  }
  bool above;
  int idx = table_index<norm_calc_t, N>(m, 1.0, 4.0, above);
  norm_calc_t r = table[idx];
  const norm_calc_t half = 0.5, two = 2;
Scale:
  for (int k = 0; k < 14; k++) {
    if (k < e) r = r * half;
    if (k < -e) r = r * two;
  }
  return r;
}

template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<is_float<data_T>::value>::type layernorm(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                           res_T res[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                           const typename CONFIG_T::scale_t scale[CONFIG_T::n_in],
                                                           const typename CONFIG_T::bias_t bias[CONFIG_T::n_in]) {
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    const data_T* x = data + r * CONFIG_T::n_in;
    double mean = 0, var = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) mean += double(x[i]);
    mean /= CONFIG_T::n_in;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) var += (double(x[i]) - mean) * (double(x[i]) - mean);
    var /= CONFIG_T::n_in;
    const double inv = 1.0 / std::sqrt(var + CONFIG_T::epsilon);
    for (unsigned i = 0; i < CONFIG_T::n_in; i++)
      res[r * CONFIG_T::n_in + i] = (double(x[i]) - mean) * inv * double(scale[i]) + double(bias[i]);
  }
}

template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<!is_float<data_T>::value>::type layernorm(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                            res_T res[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                            const typename CONFIG_T::scale_t scale[CONFIG_T::n_in],
                                                            const typename CONFIG_T::bias_t bias[CONFIG_T::n_in]) {
#pragma HLS INLINE
  KML_TABLE_STORAGE typename CONFIG_T::table_t table[CONFIG_T::table_size];
  KML_TABLE_STORAGE bool initialized = false;
  if (!initialized) {
    fill_table<typename CONFIG_T::table_t, CONFIG_T::table_size, rsqrt_fn>(table, 1.0, 4.0, 0);
    initialized = true;
  }
  const norm_calc_t inv_n = 1.0 / CONFIG_T::n_in, eps = CONFIG_T::epsilon;
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    const data_T* x = data + r * CONFIG_T::n_in;
    norm_calc_t sum = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) sum += norm_calc_t(x[i]);
    const norm_calc_t mean = sum * inv_n;
    norm_calc_t d[CONFIG_T::n_in];
    norm_calc_t sq = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
      d[i] = norm_calc_t(x[i]) - mean;
      sq += d[i] * d[i];
    }
    const norm_calc_t var = sq * inv_n;
    const norm_calc_t inv = rsqrt_fixed<typename CONFIG_T::table_t, CONFIG_T::table_size>(var + eps, table);
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
      norm_calc_t y = d[i] * inv;
      y = y * norm_calc_t(scale[i]) + norm_calc_t(bias[i]);
      res[r * CONFIG_T::n_in + i] = y;
    }
  }
}

// x / sqrt(max(sum(x^2), epsilon)) over rows of n_in.
template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<is_float<data_T>::value>::type l2_normalize(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                              res_T res[CONFIG_T::n_rows * CONFIG_T::n_in]) {
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    double s = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) s += double(data[r * CONFIG_T::n_in + i]) * double(data[r * CONFIG_T::n_in + i]);
    if (s < CONFIG_T::epsilon) s = CONFIG_T::epsilon;
    const double inv = 1.0 / std::sqrt(s);
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) res[r * CONFIG_T::n_in + i] = double(data[r * CONFIG_T::n_in + i]) * inv;
  }
}

template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<!is_float<data_T>::value>::type l2_normalize(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in],
                                                               res_T res[CONFIG_T::n_rows * CONFIG_T::n_in]) {
#pragma HLS INLINE
  KML_TABLE_STORAGE typename CONFIG_T::table_t table[CONFIG_T::table_size];
  KML_TABLE_STORAGE bool initialized = false;
  if (!initialized) {
    fill_table<typename CONFIG_T::table_t, CONFIG_T::table_size, rsqrt_fn>(table, 1.0, 4.0, 0);
    initialized = true;
  }
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    norm_calc_t s = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
      norm_calc_t x = data[r * CONFIG_T::n_in + i];
      s += x * x;
    }
    const norm_calc_t inv = rsqrt_fixed<typename CONFIG_T::table_t, CONFIG_T::table_size>(s, table);
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
      norm_calc_t y = norm_calc_t(data[r * CONFIG_T::n_in + i]) * inv;
      res[r * CONFIG_T::n_in + i] = y;
    }
  }
}

}  // namespace kml

#endif
