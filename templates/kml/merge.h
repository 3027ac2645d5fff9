// Merging layers: element-wise two-input merges (Add, Subtract, Multiply, Average, Maximum, Minimum) and
// concatenation along any axis. Arithmetic is exact in the operand types; the result type's rounding and
// overflow apply on assignment (Average: the sum is held in accum_t, then scaled by 1/n).
#ifndef KML_MERGE_H_
#define KML_MERGE_H_

#include "kml/common.h"

namespace kml {

struct merge_config {
  static const unsigned n_elem = 1;
  // 0 add, 1 subtract, 2 multiply, 3 average, 4 maximum, 5 minimum
  static const int op = 0;
  static constexpr double scale = 1.0;  // average: 1/n (the inputs before this node are already summed)
  typedef float accum_t;
};

namespace merge_op {
static const int add = 0, subtract = 1, multiply = 2, average = 3, maximum = 4, minimum = 5;
}

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void merge(const a_T a[CONFIG_T::n_elem], const b_T b[CONFIG_T::n_elem], res_T res[CONFIG_T::n_elem]) {
#pragma HLS INLINE
  const typename CONFIG_T::accum_t scale = CONFIG_T::scale;
  for (unsigned i = 0; i < CONFIG_T::n_elem; i++) {
#pragma HLS UNROLL
    switch (CONFIG_T::op) {
      case merge_op::add: res[i] = a[i] + b[i]; break;
      case merge_op::subtract: res[i] = a[i] - b[i]; break;
      case merge_op::multiply: res[i] = a[i] * b[i]; break;
      case merge_op::average: {
        typename CONFIG_T::accum_t s = a[i] + b[i];
        res[i] = s * scale;
        break;
      }
      case merge_op::maximum:
        if (a[i] >= b[i]) res[i] = a[i];
        else res[i] = b[i];
        break;
      default:
        if (a[i] <= b[i]) res[i] = a[i];
        else res[i] = b[i];
        break;
    }
  }
}

// Concatenation: both inputs seen as n_outer rows; a row of the result is a's row (n_a values) followed by
// b's row (n_b values). n_outer is the product of the dimensions before the concatenation axis.
struct concat_config {
  static const unsigned n_outer = 1;
  static const unsigned n_a = 1;
  static const unsigned n_b = 1;
};

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void concatenate(const a_T a[CONFIG_T::n_outer * CONFIG_T::n_a], const b_T b[CONFIG_T::n_outer * CONFIG_T::n_b],
                 res_T res[CONFIG_T::n_outer * (CONFIG_T::n_a + CONFIG_T::n_b)]) {
#pragma HLS INLINE
  const unsigned row = CONFIG_T::n_a + CONFIG_T::n_b;
  for (unsigned o = 0; o < CONFIG_T::n_outer; o++) {
#pragma HLS UNROLL
    for (unsigned i = 0; i < CONFIG_T::n_a; i++) {
#pragma HLS UNROLL
      res[o * row + i] = a[o * CONFIG_T::n_a + i];
    }
    for (unsigned i = 0; i < CONFIG_T::n_b; i++) {
#pragma HLS UNROLL
      res[o * row + CONFIG_T::n_a + i] = b[o * CONFIG_T::n_b + i];
    }
  }
}

}  // namespace kml

#endif
