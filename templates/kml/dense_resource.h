// Resource strategy (reuse factor RF > 1): an n_in x n_out matrix-vector product whose multiplications run RF
// per multiplier. One kernel, matvec_resource, serves Dense (dense_row_resource, below) and the convolutions
// (conv.h: one call per output pixel on its im2col window, the kernel (K, n_filt) being the matrix).
//
// The kernel keeps Keras' (n_in, n_out) row-major layout; weight w (= i * n_out + j) is used in cycle w /
// block, block = n_in * n_out / RF multipliers wide. The weight array is reshaped cyclically by `block`, so
// each cycle reads one wide BRAM word. Because the weights are consumed in ascending index order, every
// accumulator adds its products in ascending i, exactly as the Latency forms do: both give bit-identical
// results (fixed and float).
//
// With hls4ml's valid reuse factors (see passes/reuse.h), block is a multiple of n_out (RF <= n_in: each
// cycle handles n_in / RF inputs for every output) or a divisor of n_out (RF >= n_in: one input, n_out / q
// outputs).
#ifndef KML_DENSE_RESOURCE_H_
#define KML_DENSE_RESOURCE_H_

#include "kml/common.h"

namespace kml {

// res[j] = biases[j] + sum_i x(i, j) * weights[i * N_OUT + j], i ascending; each product cast to accum_t and
// accumulated in accum_t (dense.h's arithmetic).
//
// Input x(i, j): the N_IN rows come in N_IN / CPG positions of CPG rows; `data` holds GROUPS * CPG values per
// position, and column j (in group j / (N_OUT / GROUPS)) reads its group's CPG of them:
//   x(i, j) = data[(i / CPG) * GROUPS * CPG + (j / (N_OUT / GROUPS)) * CPG + i % CPG].
// Dense is GROUPS = 1, CPG = N_IN: x(i, j) = data[i]. A convolution passes its window (positions (kh, kw),
// all channels of each) with CPG = channels per group.
//
// valid[p] (N_IN / CPG flags): a position outside the input (convolution padding) holds zeros. In fixed point
// its zero products are added (exact: acc + 0 == acc); in float emulation they are skipped, as the Latency
// form skips them (adding +0.0 would turn an accumulator of -0.0 into +0.0).
template <class data_T, class res_T, typename CONFIG_T, unsigned N_IN, unsigned N_OUT, unsigned GROUPS,
          unsigned CPG>
void matvec_resource(const data_T data[(N_IN / CPG) * GROUPS * CPG], const bool valid[N_IN / CPG],
                     res_T res[N_OUT], const typename CONFIG_T::weight_t weights[N_IN * N_OUT],
                     const typename CONFIG_T::bias_t biases[N_OUT]) {
#pragma HLS INLINE
  static const unsigned n_total = N_IN * N_OUT;
  static const unsigned rf = CONFIG_T::reuse_factor;
  static const unsigned opg = N_OUT / GROUPS;  // outputs (filters) per group
  static const bool skip_invalid = is_float<typename CONFIG_T::accum_t>::value;
  static_assert(n_total % rf == 0, "kml: the reuse factor must divide n_in * n_out");
  static_assert(N_IN % CPG == 0 && N_OUT % GROUPS == 0, "kml: inconsistent groups");
  const unsigned block = n_total / rf;
#pragma HLS ARRAY_RESHAPE variable = weights cyclic factor = block
  typename CONFIG_T::accum_t acc[N_OUT];
#pragma HLS ARRAY_PARTITION variable = acc complete
ResetAccum:
  for (unsigned j = 0; j < N_OUT; j++) {
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
      const unsigned i = w / N_OUT;
      const unsigned j = w % N_OUT;
      const unsigned p = i / CPG;
      typename CONFIG_T::accum_t prod = data[(p * GROUPS + j / opg) * CPG + i % CPG] * weights[w];
      if (!skip_invalid || valid[p]) acc[j] += prod;
    }
  }
Result:
  for (unsigned j = 0; j < N_OUT; j++) {
#pragma HLS UNROLL
    res[j] = acc[j];
  }
}

// One Dense row.
template <class data_T, class res_T, typename CONFIG_T>
void dense_row_resource(const data_T* data, res_T* res,
                        const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                        const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
#pragma HLS INLINE
  const bool all_valid[1] = {true};
  matvec_resource<data_T, res_T, CONFIG_T, CONFIG_T::n_in, CONFIG_T::n_out, 1, CONFIG_T::n_in>(
      data, all_valid, res, weights, biases);
}

}  // namespace kml

#endif
