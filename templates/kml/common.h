// kml HLS layer library: common definitions. Compiles with kml's ap_fixed.h (host emulation) and with the
// vendor's (Vitis/Vivado HLS). C++14 only, no dynamic memory.
#ifndef KML_COMMON_H_
#define KML_COMMON_H_

#include "ap_fixed.h"

#ifndef __SYNTHESIS__
#include <cmath>
#endif

// Lookup tables are filled by a loop on first use. On the host they are static, filled once per process;
// for synthesis they are plain locals, so that the HLS tool folds the fill loop into a ROM (hls4ml does the same).
#ifdef __SYNTHESIS__
#define KML_TABLE_STORAGE
#else
#define KML_TABLE_STORAGE static
#endif

// Weight arrays of ap_ types: KML_WEIGHTS_BEGIN(T, name, n) literal, ... KML_WEIGHTS_END(T, name, n).
// For synthesis: a constant array initialized from the literals (the HLS tool makes it a ROM). In every C
// simulation (kml's runtime headers or the vendor's): the literals form a constant table of kml::weight_literal
// (each literal's value and its C++ type: int, long, long long, float or double), and the ap_ array is filled from
// it once, at startup, each element converted from the literal's own type exactly as the constant initialization
// would: the same values, bit for bit. A constant initialization of every ap_ element compiles very slowly with
// the vendor's headers (a dynamic construction each: the 5x200 dense model did not compile in 15 minutes).
#ifndef __SYNTHESIS__
#define KML_WEIGHTS_BEGIN(T, name, n) \
  static T name[n];                   \
  static const kml::weight_literal name##_literals[n] = {
#define KML_WEIGHTS_END(T, name, n) \
  }                                 \
  ;                                 \
  static const bool name##_filled = kml::fill_from_literals(name, name##_literals, n);
#else
#define KML_WEIGHTS_BEGIN(T, name, n) static const T name[n] = {
#define KML_WEIGHTS_END(T, name, n) };
#endif

namespace kml {

#ifndef __SYNTHESIS__
// A literal of a weight table: its value and the type it was written in (a constant table, initialized at
// compile time: literal types only). Whole numbers are below 2^53 (the emitter writes larger ones as doubles),
// so the double holds every integer literal exactly.
struct weight_literal {
  enum kind_t { INT, LONG, LONG_LONG, FLOAT, DOUBLE };
  double value;
  kind_t kind;
  constexpr weight_literal(int x) : value(x), kind(INT) {}
  constexpr weight_literal(long x) : value(static_cast<double>(x)), kind(LONG) {}
  constexpr weight_literal(long long x) : value(static_cast<double>(x)), kind(LONG_LONG) {}
  constexpr weight_literal(float x) : value(x), kind(FLOAT) {}
  constexpr weight_literal(double x) : value(x), kind(DOUBLE) {}
};

// Fill a weight array from its literals: element i = T(literal i in its own type), as `const T a[] = {...}`.
template <class T>
bool fill_from_literals(T* a, const weight_literal* literals, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    const weight_literal& l = literals[i];
    switch (l.kind) {
      case weight_literal::INT: a[i] = T(static_cast<int>(l.value)); break;
      case weight_literal::LONG: a[i] = T(static_cast<long>(l.value)); break;
      case weight_literal::LONG_LONG: a[i] = T(static_cast<long long>(l.value)); break;
      case weight_literal::FLOAT: a[i] = T(static_cast<float>(l.value)); break;
      default: a[i] = T(l.value); break;
    }
  }
  return true;
}
#endif

// Is T a floating-point type (float emulation) rather than an ap_ type?
template <class T> struct is_float { static const bool value = false; };
template <> struct is_float<float> { static const bool value = true; };
template <> struct is_float<double> { static const bool value = true; };

template <bool B, class T = void> struct enable_if {};
template <class T> struct enable_if<true, T> { typedef T type; };

// Value of a data element as double (host side: testbench, bridge, tracing).
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
inline double to_double(const ap_fixed<W, I, Q, O, N>& x) { return x.to_double(); }
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
inline double to_double(const ap_ufixed<W, I, Q, O, N>& x) { return x.to_double(); }
template <int W> inline double to_double(const ap_int<W>& x) { return x.to_double(); }
template <int W> inline double to_double(const ap_uint<W>& x) { return x.to_double(); }
inline double to_double(float x) { return x; }
inline double to_double(double x) { return x; }

// Compile-time helpers.
template <unsigned N> struct log2_ceil { static const unsigned value = 1 + log2_ceil<(N + 1) / 2>::value; };
template <> struct log2_ceil<1> { static const unsigned value = 0; };
template <> struct log2_ceil<0> { static const unsigned value = 0; };

template <class T> inline T kmax(T a, T b) { return a > b ? a : b; }
template <class T> inline T kmin(T a, T b) { return a < b ? a : b; }

// Input row ih of a feature map kept as ROWS rows (the whole input: ROWS = in_h; an io_stream line buffer of
// the last ROWS rows: row ih % ROWS).
template <unsigned ROWS, unsigned IN_H>
inline unsigned kept_row(unsigned ih) {
  return ROWS == IN_H ? ih : ih % ROWS;
}
// Offset of input pixel (ih, iw) in such a map of in_w pixels of n_chan values per row.
template <unsigned ROWS, typename CONFIG_T>
inline unsigned kept_pixel(unsigned ih, unsigned iw) {
  return (kept_row<ROWS, CONFIG_T::in_h>(ih) * CONFIG_T::in_w + iw) * CONFIG_T::n_chan;
}

// Copy with a type conversion (the destination type's rounding and overflow apply).
template <class data_T, class res_T, unsigned N>
void copy(const data_T in[N], res_T out[N]) {
  for (unsigned i = 0; i < N; i++) {
#pragma HLS UNROLL
    out[i] = in[i];
  }
}

}  // namespace kml

#endif
