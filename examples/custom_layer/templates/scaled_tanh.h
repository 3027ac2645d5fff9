// HLS template of the example custom layer ScaledTanh: out_scale * tanh(in_scale * x) + offset.
// Float types compute exactly; fixed-point types read tanh from a table (kml's table helpers, kml/activation.h).
#ifndef EXAMPLE_SCALED_TANH_H_
#define EXAMPLE_SCALED_TANH_H_

#include <cmath>

#include "kml/activation.h"
#include "kml/common.h"

namespace example {

template <class data_T, class res_T, typename CONFIG_T>
typename kml::enable_if<kml::is_float<data_T>::value>::type scaled_tanh(const data_T data[CONFIG_T::n_in],
                                                                       res_T res[CONFIG_T::n_in]) {
  for (unsigned i = 0; i < CONFIG_T::n_in; i++)
    res[i] = CONFIG_T::out_scale * std::tanh(CONFIG_T::in_scale * double(data[i])) + CONFIG_T::offset;
}

template <class data_T, class res_T, typename CONFIG_T>
typename kml::enable_if<!kml::is_float<data_T>::value>::type scaled_tanh(const data_T data[CONFIG_T::n_in],
                                                                        res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  typedef ap_fixed<32, 12> calc_t;
  static typename CONFIG_T::table_t table[CONFIG_T::table_size];
  static bool initialized = false;
  if (!initialized) {
    kml::fill_table<typename CONFIG_T::table_t, CONFIG_T::table_size, kml::fn::tanh_>(table, -4.0, 4.0, 0);
    initialized = true;
  }
  const calc_t a = CONFIG_T::in_scale, b = CONFIG_T::out_scale, c = CONFIG_T::offset;
  for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
    calc_t x = data[i];
    x = x * a;
    bool above;
    int idx = kml::table_index<calc_t, CONFIG_T::table_size>(x, -4.0, 4.0, above);
    calc_t y = table[idx];
    y = y * b + c;
    res[i] = y;
  }
}

}  // namespace example

#endif
