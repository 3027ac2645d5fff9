// Dense layer whose weights are all 0 or signed powers of two (binary {-1,+1}, ternary {-1,0,+1}, QKeras
// quantized_po2, ...): every product is a shift and a sign, so the layer needs adders only, no multipliers.
//
// Bit-identical to kml::dense: each product x * w (w = sign * 2^e) is formed exactly (shift_t below holds
// x * 2^e for every exponent of the layer), cast to accum_t and accumulated in accum_t, as dense_row does.
// The converter selects this template when every weight is representable in weight_t and is 0 or +-2^e.
// Compile with -DKML_DENSE_FORCE_MULTIPLY to run the generic multiplying kml::dense instead (same results).
#ifndef KML_DENSE_PO2_H_
#define KML_DENSE_PO2_H_

#include "kml/common.h"
#include "kml/dense.h"

namespace kml {

struct dense_po2_config : dense_config {
  static const int e_min = 0;  // smallest and largest exponent of the non-zero weights
  static const int e_max = 0;
};

namespace detail {
template <int a, int b> struct po2_max { static const int value = a > b ? a : b; };
template <int a, int b> struct po2_min { static const int value = a < b ? a : b; };

// A signed type holding data_T's values times 2^e, e_min <= e <= e_max, and their negations, exactly.
template <class data_T, int e_min, int e_max>
struct po2_shift_type {
  static const int up = po2_max<e_max, 0>::value;
  static const int down = -po2_min<e_min, 0>::value;
  typedef ap_fixed<data_T::width + 1 + up + down, data_T::iwidth + 1 + up> type;
};
}  // namespace detail

// Fixed-point data: shifts and add/subtract.
template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<!is_float<data_T>::value>::type dense_po2_row(const data_T* data, res_T* res,
                                                                 const signed char sign[CONFIG_T::n_in * CONFIG_T::n_out],
                                                                 const signed char expo[CONFIG_T::n_in * CONFIG_T::n_out],
                                                                 const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  typedef typename detail::po2_shift_type<data_T, CONFIG_T::e_min, CONFIG_T::e_max>::type shift_t;
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable = acc complete
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    acc[j] = biases[j];
  }
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const shift_t x = data[i];
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
      const unsigned k = i * CONFIG_T::n_out + j;
      if (sign[k] == 0) continue;  // generic: acc += accum_t(0), no change
      shift_t v = x;
      if (expo[k] > 0) v <<= int(expo[k]);
      if (expo[k] < 0) v >>= int(-expo[k]);
      typename CONFIG_T::accum_t prod;
      if (sign[k] > 0) prod = v;
      else prod = -v;
      acc[j] += prod;
    }
  }
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    res[j] = acc[j];
  }
}

// Float emulation: the same products, formed by multiplication (exact for powers of two).
template <class data_T, class res_T, typename CONFIG_T>
typename enable_if<is_float<data_T>::value>::type dense_po2_row(const data_T* data, res_T* res,
                                                                const signed char sign[CONFIG_T::n_in * CONFIG_T::n_out],
                                                                const signed char expo[CONFIG_T::n_in * CONFIG_T::n_out],
                                                                const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) acc[j] = biases[j];
  for (unsigned i = 0; i < CONFIG_T::n_in; i++)
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
      const unsigned k = i * CONFIG_T::n_out + j;
      const double w = sign[k] == 0 ? 0.0 : (sign[k] > 0 ? 1.0 : -1.0) * std::ldexp(1.0, expo[k]);
      typename CONFIG_T::accum_t prod = data[i] * w;
      acc[j] += prod;
    }
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) res[j] = acc[j];
}

template <class data_T, class res_T, typename CONFIG_T>
void dense_po2(const data_T data[CONFIG_T::n_rows * CONFIG_T::n_in], res_T res[CONFIG_T::n_rows * CONFIG_T::n_out],
               const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
               const signed char sign[CONFIG_T::n_in * CONFIG_T::n_out],
               const signed char expo[CONFIG_T::n_in * CONFIG_T::n_out],
               const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
#ifdef KML_DENSE_FORCE_MULTIPLY
  (void)sign;
  (void)expo;
  dense<data_T, res_T, CONFIG_T>(data, res, weights, biases);
#else
  (void)weights;
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
    dense_po2_row<data_T, res_T, CONFIG_T>(data + r * CONFIG_T::n_in, res + r * CONFIG_T::n_out, sign, expo, biases);
  }
#endif
}

}  // namespace kml

#endif
