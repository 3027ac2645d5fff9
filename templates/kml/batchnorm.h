// BatchNormalization at inference: res = data * scale + bias, per channel (last axis).
#ifndef KML_BATCHNORM_H_
#define KML_BATCHNORM_H_

#include "kml/common.h"

namespace kml {

struct batchnorm_config {
  static const unsigned n_in = 1;    // total elements
  static const unsigned n_filt = 1;  // channels (last axis)
  static const unsigned reuse_factor = 1;
  typedef float scale_t;
  typedef float bias_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void batchnorm(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
               const typename CONFIG_T::scale_t scale[CONFIG_T::n_filt],
               const typename CONFIG_T::bias_t bias[CONFIG_T::n_filt]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    const unsigned c = i % CONFIG_T::n_filt;
    res[i] = data[i] * scale[c] + bias[c];
  }
}

}  // namespace kml

#endif
