// Embedding: each input element is an integer index into a table of n_vocab rows of n_out values.
// Indices outside [0, n_vocab) are clamped (Keras would fail or return zeros; the hardware must do something).
#ifndef KML_EMBEDDING_H_
#define KML_EMBEDDING_H_

#include "kml/common.h"

namespace kml {

struct embedding_config {
  static const unsigned n_in = 1;     // number of indices
  static const unsigned n_vocab = 1;  // input_dim
  static const unsigned n_out = 1;    // output_dim
  typedef float weight_t;
};

template <class T>
inline int embedding_index(const T& x) {
  return x.to_int();
}
inline int embedding_index(float x) { return static_cast<int>(x); }
inline int embedding_index(double x) { return static_cast<int>(x); }

template <class data_T, class res_T, typename CONFIG_T>
void embedding(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in * CONFIG_T::n_out],
               const typename CONFIG_T::weight_t table[CONFIG_T::n_vocab * CONFIG_T::n_out]) {
#pragma HLS INLINE
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    int idx = embedding_index(data[i]);
    if (idx < 0) idx = 0;
    if (idx >= int(CONFIG_T::n_vocab)) idx = int(CONFIG_T::n_vocab) - 1;
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
#pragma HLS UNROLL
      res[i * CONFIG_T::n_out + j] = table[idx * CONFIG_T::n_out + j];
    }
  }
}

}  // namespace kml

#endif
