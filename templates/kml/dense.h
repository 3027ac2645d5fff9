// Dense (fully connected) layer, applied to the last axis of a row-major tensor of n_rows rows.
#ifndef KML_DENSE_H_
#define KML_DENSE_H_

#include "kml/common.h"
#include "kml/dense_resource.h"
#if defined(KML_AP_RUNTIME) && !defined(__SYNTHESIS__)
#include "kml/fast_mac.h"
#endif

namespace kml {

struct dense_config {
  static const unsigned n_in = 1;
  static const unsigned n_out = 1;
  static const unsigned n_rows = 1;
  static const unsigned reuse_factor = 1;
  static const bool resource = false;
  typedef float accum_t;
  typedef float weight_t;
  typedef float bias_t;
};

// One row: res[j] = bias[j] + sum_i data[i] * weights[i * n_out + j], each product and the running sum held
// in accum_t (hls4ml's semantics: the product is cast to accum_t, then accumulated in accum_t).
template <class data_T, class res_T, typename CONFIG_T>
void dense_row(const data_T* data, res_T* res, const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
               const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable = acc complete
ResetAccum:
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    acc[j] = biases[j];
  }
Product:
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
    const data_T x = data[i];
    const typename CONFIG_T::weight_t* w = &weights[i * CONFIG_T::n_out];
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
      typename CONFIG_T::accum_t prod = x * w[j];
      acc[j] += prod;
    }
  }
Result:
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    res[j] = acc[j];
  }
}

// Latency (fully parallel) or Resource (reuse factor > 1, dense_resource.h): bit-identical results.
template <class data_T, class res_T, typename CONFIG_T, bool resource>
struct dense_row_impl {
  static void run(const data_T* data, res_T* res, const typename CONFIG_T::weight_t* weights,
                  const typename CONFIG_T::bias_t* biases) {
#pragma HLS INLINE
    dense_row<data_T, res_T, CONFIG_T>(data, res, weights, biases);
  }
};
template <class data_T, class res_T, typename CONFIG_T>
struct dense_row_impl<data_T, res_T, CONFIG_T, true> {
  static void run(const data_T* data, res_T* res, const typename CONFIG_T::weight_t* weights,
                  const typename CONFIG_T::bias_t* biases) {
#pragma HLS INLINE
    dense_row_resource<data_T, res_T, CONFIG_T>(data, res, weights, biases);
  }
};

template <class data_T, class res_T, typename CONFIG_T>
void dense(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in], res_T res[CONFIG_T::n_rows * CONFIG_T::n_out],
           const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
           const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
#pragma HLS ALLOCATION operation instances = mul limit = (CONFIG_T::n_in * CONFIG_T::n_out) / CONFIG_T::reuse_factor
#if defined(KML_AP_RUNTIME) && !defined(__SYNTHESIS__)
  // Host emulation: 16-bit SIMD lanes when provably bit-identical (kml/fast_mac.h).
  if constexpr (fast::plan<data_T, typename CONFIG_T::weight_t, typename CONFIG_T::accum_t>::value) {
    if (fast::dense_rows<data_T, res_T, CONFIG_T>(data, res, weights, biases, CONFIG_T::n_rows)) return;
  }
#endif
Rows:
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    dense_row_impl<data_T, res_T, CONFIG_T, (CONFIG_T::resource && (CONFIG_T::reuse_factor > 1))>::run(
        data + r * CONFIG_T::n_in, res + r * CONFIG_T::n_out, weights, biases);
  }
}

}  // namespace kml

#endif
