// Row maximum minus each element, over the last axis: y[r][j] = max_k x[r][k] - x[r][j] (the shift of a
// numerically stable softmax; HGQ2's QSoftmax feeds it to its exp table). The converter gives res_T a type
// that holds every difference exactly; y >= 0.
#ifndef KML_MAX_SUB_H_
#define KML_MAX_SUB_H_

#include "kml/common.h"

namespace kml {

struct max_sub_config {
  static const unsigned n_rows = 1;
  static const unsigned n_in = 1;
};

template <class data_T, class res_T, typename CONFIG_T>
void max_sub(const data_T x[CONFIG_T::n_rows * CONFIG_T::n_in], res_T y[CONFIG_T::n_rows * CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned r = 0; r < CONFIG_T::n_rows; r++) {
#pragma HLS UNROLL
    data_T m = x[r * CONFIG_T::n_in];
    for (unsigned j = 1; j < CONFIG_T::n_in; j++) {
#pragma HLS UNROLL
      if (x[r * CONFIG_T::n_in + j] > m) m = x[r * CONFIG_T::n_in + j];
    }
    for (unsigned j = 0; j < CONFIG_T::n_in; j++) {
#pragma HLS UNROLL
      y[r * CONFIG_T::n_in + j] = m - x[r * CONFIG_T::n_in + j];
    }
  }
}

}  // namespace kml

#endif
