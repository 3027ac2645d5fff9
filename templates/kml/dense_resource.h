// Dense, Resource strategy (reuse factor RF > 1): the n_in x n_out multiplications run RF per multiplier.
//
// The kernel keeps Keras' (n_in, n_out) row-major layout; weight w (= i * n_out + j) is used in cycle w / block,
// block = n_in * n_out / RF multipliers wide. The weight array is reshaped cyclically by `block`, so each cycle
// reads one wide BRAM word. Because the weights are consumed in ascending index order, every accumulator adds its
// products in ascending i, exactly as the Latency form does: both give bit-identical results (fixed and float).
//
// With hls4ml's valid reuse factors (see passes/reuse.h), block is a multiple of n_out (RF <= n_in: each cycle
// handles n_in / RF inputs for every output) or a divisor of n_out (RF >= n_in: one input, n_out / q outputs).
#ifndef KML_DENSE_RESOURCE_H_
#define KML_DENSE_RESOURCE_H_

#include "kml/common.h"

namespace kml {

template <class data_T, class res_T, typename CONFIG_T>
void dense_row_resource(const data_T* data, res_T* res,
                        const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                        const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
  static const unsigned n_total = CONFIG_T::n_in * CONFIG_T::n_out;
  static const unsigned rf = CONFIG_T::reuse_factor;
  static_assert(n_total % rf == 0, "kml::dense: the reuse factor must divide n_in * n_out");
  const unsigned block = n_total / rf;
#pragma HLS ARRAY_RESHAPE variable = weights cyclic factor = block
  typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
#pragma HLS ARRAY_PARTITION variable = acc complete
ResetAccum:
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    acc[j] = biases[j];
  }
Reuse:
  for (unsigned r = 0; r < rf; r++) {
#pragma HLS PIPELINE II = 1 rewind
  Block:
    for (unsigned m = 0; m < block; m++) {
#pragma HLS UNROLL
      const unsigned w = r * block + m;
      const unsigned i = w / CONFIG_T::n_out;
      const unsigned j = w % CONFIG_T::n_out;
      typename CONFIG_T::accum_t prod = data[i] * weights[w];
      acc[j] += prod;
    }
  }
Result:
  for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
    res[j] = acc[j];
  }
}

}  // namespace kml

#endif
