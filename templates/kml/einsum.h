// Einsum in canonical form (see the converter's readers/einsum.h):
//   O[s][l][r] = sum_c A[s][l][c] * B[s][c][r]          (einsum: two data tensors)
//   O[s][l][r] = bias[s][l][r] + sum_c A[s][l][c] * K[s][c][r]   (einsum_dense: K a constant kernel)
// a_index / b_index / o_index map canonical positions to the flat row-major positions of the actual tensors
// (any transposition the equation implies). As in dense, each product is cast to accum_t and accumulated
// in accum_t.
#ifndef KML_EINSUM_H_
#define KML_EINSUM_H_

#include "kml/common.h"

namespace kml {

struct einsum_config {
  static const unsigned n_s = 1;
  static const unsigned n_l = 1;
  static const unsigned n_c = 1;
  static const unsigned n_r = 1;
  static const unsigned reuse_factor = 1;
  typedef float accum_t;
  typedef float weight_t;
  typedef float bias_t;
};

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void einsum(const a_T a[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_c],
            const b_T b[CONFIG_T::n_s * CONFIG_T::n_c * CONFIG_T::n_r],
            res_T res[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_r],
            const unsigned a_index[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_c],
            const unsigned b_index[CONFIG_T::n_s * CONFIG_T::n_c * CONFIG_T::n_r],
            const unsigned o_index[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_r]) {
#pragma HLS INLINE
  for (unsigned s = 0; s < CONFIG_T::n_s; s++) {
    for (unsigned l = 0; l < CONFIG_T::n_l; l++) {
      for (unsigned r = 0; r < CONFIG_T::n_r; r++) {
        typename CONFIG_T::accum_t acc = 0;
        for (unsigned c = 0; c < CONFIG_T::n_c; c++) {
          const a_T x = a[a_index[(s * CONFIG_T::n_l + l) * CONFIG_T::n_c + c]];
          const b_T y = b[b_index[(s * CONFIG_T::n_c + c) * CONFIG_T::n_r + r]];
          typename CONFIG_T::accum_t prod = x * y;
          acc += prod;
        }
        res[o_index[(s * CONFIG_T::n_l + l) * CONFIG_T::n_r + r]] = acc;
      }
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void einsum_dense(const data_T a[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_c],
                  res_T res[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_r],
                  const typename CONFIG_T::weight_t kernel[CONFIG_T::n_s * CONFIG_T::n_c * CONFIG_T::n_r],
                  const typename CONFIG_T::bias_t bias[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_r],
                  const unsigned a_index[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_c],
                  const unsigned o_index[CONFIG_T::n_s * CONFIG_T::n_l * CONFIG_T::n_r]) {
#pragma HLS INLINE
  for (unsigned s = 0; s < CONFIG_T::n_s; s++) {
    for (unsigned l = 0; l < CONFIG_T::n_l; l++) {
      for (unsigned r = 0; r < CONFIG_T::n_r; r++) {
        const unsigned o = (s * CONFIG_T::n_l + l) * CONFIG_T::n_r + r;
        typename CONFIG_T::accum_t acc = bias[o];
        for (unsigned c = 0; c < CONFIG_T::n_c; c++) {
          const data_T x = a[a_index[(s * CONFIG_T::n_l + l) * CONFIG_T::n_c + c]];
          typename CONFIG_T::accum_t prod = x * kernel[(s * CONFIG_T::n_c + c) * CONFIG_T::n_r + r];
          acc += prod;
        }
        res[o_index[o]] = acc;
      }
    }
  }
}

}  // namespace kml

#endif
