// kml runtime: ap_fixed / ap_ufixed / ap_int / ap_uint for host builds.
//
// Source-compatible with the vendor's arbitrary-precision types for the API generated code and typical
// HLS C++ use (names, template parameters, quantization and overflow modes, full-precision result types),
// bit-exact with the vendor's simulation headers on conversions and arithmetic, but backed by one native
// integer per value (W <= 128) so that arithmetic compiles to a few integer instructions.
//
// Do not include this file directly: include <ap_fixed.h> or <ap_int.h>.
#ifndef KML_AP_COMMON_H
#define KML_AP_COMMON_H
// Generated code tells kml's host runtime from the vendor's headers by this macro.
#define KML_AP_RUNTIME 1

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <istream>
#include <ostream>
#include <string>
#include <type_traits>

#ifndef __SIZEOF_INT128__
#error "kml runtime: the ap_[u]int / ap_[u]fixed types need __int128 (GCC or Clang on a 64-bit target)"
#endif

#if defined(__has_builtin)
#if __has_builtin(__builtin_bit_cast)
#define KML_AP_HAVE_BIT_CAST 1
#endif
#endif
// Conversions from floating point are constexpr when the compiler can bit_cast in constant expressions.
#ifdef KML_AP_HAVE_BIT_CAST
#define KML_AP_FP_CONSTEXPR constexpr
#else
#define KML_AP_FP_CONSTEXPR inline
#endif

// Quantization and overflow modes (vendor names and order).
enum ap_q_mode { AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV, AP_TRN, AP_TRN_ZERO };
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

template <int W, bool S>
struct ap_int_base;
template <int W, int I, bool S = true, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed_base;

// The user-facing names are aliases of the two class templates (the vendor derives them instead): the
// same deduction and overloading on ap_fixed<W,I,Q,O,N> / ap_ufixed<...> / ap_int<W> / ap_uint<W> works,
// and constant-initializing a large array of them costs the compiler about a third less time and memory.
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
using ap_fixed = ap_fixed_base<W, I, true, Q, O, N>;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
using ap_ufixed = ap_fixed_base<W, I, false, Q, O, N>;
template <int W>
using ap_int = ap_int_base<W, true>;
template <int W>
using ap_uint = ap_int_base<W, false>;

namespace kml_ap {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

// Tag for constructing from the raw two's-complement integer (value = raw * 2^(I-W)).
struct raw_tag {};

template <class T>
struct sgn : std::is_signed<T> {};
template <>
struct sgn<i128> : std::true_type {};
template <>
struct sgn<u128> : std::false_type {};
template <class T>
constexpr bool is_sgn_v = sgn<T>::value;
template <class T>
constexpr int nbits_v = int(sizeof(T) * CHAR_BIT);
template <class T>
constexpr int cbits_v = std::is_same<T, bool>::value ? 1 : nbits_v<T>;
template <class T>
constexpr bool csgn_v = std::is_signed<T>::value;
template <class T>
using if_int_t = std::enable_if_t<std::is_integral<T>::value, int>;

constexpr int imax(int a, int b) { return a > b ? a : b; }
constexpr int imin(int a, int b) { return a < b ? a : b; }

template <class T>
struct to_unsigned {
  using type = std::make_unsigned_t<T>;
};
template <>
struct to_unsigned<i128> {
  using type = u128;
};
template <>
struct to_unsigned<u128> {
  using type = u128;
};
template <class T>
using uns_t = typename to_unsigned<T>::type;

// Smallest native integer holding a W-bit value.
template <int W, bool S>
struct storage_sel {
  static_assert(W >= 1, "ap_[u]int / ap_[u]fixed: the width W must be at least 1");
  static_assert(W <= 128,
                "kml runtime: ap_[u]int / ap_[u]fixed wider than 128 bits are not supported "
                "(each value lives in one native integer of at most 128 bits)");
  using type = std::conditional_t<
      (W <= 8), std::conditional_t<S, int8_t, uint8_t>,
      std::conditional_t<
          (W <= 16), std::conditional_t<S, int16_t, uint16_t>,
          std::conditional_t<(W <= 32), std::conditional_t<S, int32_t, uint32_t>,
                             std::conditional_t<(W <= 64), std::conditional_t<S, int64_t, uint64_t>,
                                                std::conditional_t<S, i128, u128>>>>>;
};
template <int W, bool S>
using store_t = typename storage_sel<W, S>::type;

// 32-, 64- or 128-bit type for computing a W-bit result exactly. Results of up to 32 bits stay in 32-bit
// lanes, so that loops over narrow fixed-point values (a dense layer's multiply-accumulate) vectorize.
template <int W, bool S>
using arith_t = std::conditional_t<
    (W <= 32), std::conditional_t<S, int32_t, uint32_t>,
    std::conditional_t<(W <= 64), std::conditional_t<S, int64_t, uint64_t>, std::conditional_t<S, i128, u128>>>;

// ---- 256-bit two's complement, only for conversions involving unsigned 128-bit values -------------
struct s256 {
  u128 lo, hi;
  constexpr s256() : lo(0), hi(0) {}
  constexpr s256(int v) : lo(u128(i128(v))), hi(v < 0 ? ~u128(0) : u128(0)) {}
  constexpr s256(u128 l, u128 h) : lo(l), hi(h) {}
  constexpr bool neg() const { return (hi >> 127) != 0; }
};
constexpr s256 s256_of(i128 v) { return s256(u128(v), v < 0 ? ~u128(0) : u128(0)); }
constexpr s256 s256_of(u128 v) { return s256(v, 0); }
constexpr bool operator==(const s256& a, const s256& b) { return a.lo == b.lo && a.hi == b.hi; }
constexpr bool operator!=(const s256& a, const s256& b) { return !(a == b); }
constexpr bool operator<(const s256& a, const s256& b) {
  return a.hi != b.hi ? i128(a.hi) < i128(b.hi) : a.lo < b.lo;
}
constexpr bool operator>(const s256& a, const s256& b) { return b < a; }
constexpr s256 operator+(const s256& a, const s256& b) {
  const u128 l = a.lo + b.lo;
  return s256(l, a.hi + b.hi + (l < a.lo ? 1 : 0));
}

// ---- shift / bit helpers on the compute types (int64_t, i128, s256) --------------------------------
template <class C>
constexpr C sar(C v, int d) {  // arithmetic shift right, any d >= 0
  if constexpr (std::is_same<C, s256>::value) {
    const u128 fill = v.neg() ? ~u128(0) : u128(0);
    if (d >= 256) return s256(fill, fill);
    if (d >= 128) return s256(d == 128 ? v.hi : u128(i128(v.hi) >> (d - 128)), fill);
    if (d == 0) return v;
    return s256((v.lo >> d) | (v.hi << (128 - d)), u128(i128(v.hi) >> d));
  } else {
    if (d < nbits_v<C>) return C(v >> d);
    if constexpr (is_sgn_v<C>)
      return v < 0 ? C(-1) : C(0);
    else
      return C(0);
  }
}
template <class C>
constexpr C shl(C v, int s) {  // shift left modulo 2^bits, any s >= 0
  if constexpr (std::is_same<C, s256>::value) {
    if (s >= 256) return s256();
    if (s >= 128) return s256(0, v.lo << (s - 128));
    if (s == 0) return v;
    return s256(v.lo << s, (v.hi << s) | (v.lo >> (128 - s)));
  } else {
    return s >= nbits_v<C> ? C(0) : C(uns_t<C>(v) << s);
  }
}
template <class C>
constexpr bool bitk(C v, int k) {  // bit k, sign-extended beyond the type
  if constexpr (std::is_same<C, s256>::value) {
    if (k >= 256) return v.neg();
    return k >= 128 ? ((v.hi >> (k - 128)) & 1) != 0 : ((v.lo >> k) & 1) != 0;
  } else {
    if (k < nbits_v<C>) return ((uns_t<C>(v) >> k) & 1) != 0;
    if constexpr (is_sgn_v<C>)
      return v < 0;
    else
      return false;
  }
}
template <class C>
constexpr bool lownz(C v, int k) {  // any of bits [0, k) set
  if (k <= 0) return false;
  if constexpr (std::is_same<C, s256>::value) {
    if (k >= 256) return v.lo != 0 || v.hi != 0;
    if (k >= 128) return v.lo != 0 || (k > 128 && (v.hi & ((u128(1) << (k - 128)) - 1)) != 0);
    return (v.lo & ((u128(1) << k) - 1)) != 0;
  } else {
    using U = uns_t<C>;
    return k >= nbits_v<C> ? v != 0 : (U(v) & ((U(1) << k) - 1)) != 0;
  }
}
template <class C>
constexpr u128 low128(C v) {
  if constexpr (std::is_same<C, s256>::value)
    return v.lo;
  else
    return u128(v);
}
// Normalize to a W-bit two's complement (S) or unsigned value.
template <int W, bool S, class C>
constexpr C wrap_to(C v) {
  if constexpr (std::is_same<C, s256>::value) {
    u128 u = v.lo;
    if constexpr (W < 128) {
      constexpr u128 mask = (u128(1) << W) - 1;
      u &= mask;
      if (S && ((u >> (W - 1)) & 1)) u |= ~mask;
    }
    return s256(u, (S && (u >> 127)) ? ~u128(0) : u128(0));
  } else if constexpr (W >= nbits_v<C>) {
    return v;
  } else if constexpr (S) {  // sign-extend bit W-1 (shift pair: compiles to a single movsx where possible)
    constexpr int k = nbits_v<C> - W;
    return C(C(uns_t<C>(v) << k) >> k);
  } else {
    return C(uns_t<C>(v) & ((uns_t<C>(1) << W) - 1));
  }
}
template <class C, class T>
constexpr C to_c(T raw) {
  if constexpr (std::is_same<C, s256>::value) {
    if constexpr (is_sgn_v<T>)
      return s256_of(i128(raw));
    else
      return s256_of(u128(raw));
  } else {
    return C(raw);
  }
}
template <class St, class C>
constexpr St from_c(C v) {
  if constexpr (std::is_same<C, s256>::value)
    return St(v.lo);
  else
    return St(v);
}
template <class C, int W, bool S>
constexpr C c_max() {
  if constexpr (std::is_same<C, s256>::value) {
    if constexpr (S)
      return s256_of((u128(1) << (W - 1)) - 1);
    else if constexpr (W == 128)
      return s256_of(~u128(0));
    else
      return s256_of((u128(1) << W) - 1);
  } else {
    using U = uns_t<C>;
    if constexpr (S)
      return C((U(1) << (W - 1)) - 1);
    else
      return C((U(1) << W) - 1);
  }
}
template <class C, int W, bool S>
constexpr C c_min() {
  if constexpr (!S)
    return C(0);
  else if constexpr (std::is_same<C, s256>::value)
    return s256_of(i128(~u128(0) << (W - 1)));
  else
    return C(~uns_t<C>(0) << (W - 1));
}

// Any native integer (incl. 128-bit) -> normalized W-bit storage (two's complement wrap).
template <int W, bool S, class T>
constexpr store_t<W, S> wrap_store(T x) {
  using St = store_t<W, S>;
  if constexpr (W == nbits_v<St>) {
    return St(x);
  } else if constexpr (S) {
    using SI = std::conditional_t<(W <= 64), int64_t, i128>;
    constexpr int k = nbits_v<SI> - W;
    return St(SI(SI(uns_t<SI>(x) << k) >> k));
  } else {
    using U = std::conditional_t<(W <= 64), uint64_t, u128>;
    return St(U(x) & ((U(1) << W) - 1));
  }
}

// Signed compute type holding any value of (Wa, Sa) and of (Wb, Sb).
template <int W, bool S>
constexpr int sbits_v = S ? W : W + 1;
template <int Wa, bool Sa, int Wb, bool Sb>
constexpr int comp_bits_v = imax(sbits_v<Wa, Sa>, sbits_v<Wb, Sb>);
template <int Wa, bool Sa, int Wb, bool Sb>
using comp_t = std::conditional_t<
    (comp_bits_v<Wa, Sa, Wb, Sb> <= 32), int32_t,
    std::conditional_t<(comp_bits_v<Wa, Sa, Wb, Sb> <= 64), int64_t,
                       std::conditional_t<(comp_bits_v<Wa, Sa, Wb, Sb> <= 128), i128, s256>>>;

constexpr u128 set_bits(u128 x, int from, int to, bool b) {  // bits [from, to] := b
  for (int k = from; k <= to; ++k) x = b ? (x | (u128(1) << k)) : (x & ~(u128(1) << k));
  return x;
}

// ---- the conversion core ---------------------------------------------------------------------------
// v * 2^-F2 is the exact source value (v of a W2-bit S2 source type). Returns the W-bit result of the
// assignment to ap_[u]fixed<W,I,Q,O,N> as a normalized value in C, with the vendor's rules: quantize to
// the destination LSB (mode Q), then handle overflow (mode O, N saturation bits). MayOvf == false when the
// destination can hold every quantized source value (then no overflow logic is emitted).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, bool MayOvf, class C>
constexpr C quantize(C v, int F2, int W2, bool S2) {
  constexpr int F = W - I;
  C R = v;
  int s = 0;  // R stands for v * 2^s when s > 0
  if (F2 > F) {
    const int d = F2 - F;
    R = sar(v, d);
    if constexpr (Q != AP_TRN) {
      if (!(Q == AP_TRN_ZERO && !S2)) {
        const bool neg = v < C(0);
        const bool qb = bitk(v, d - 1);  // first dropped bit
        const bool r = lownz(v, d - 1);  // any dropped bit below it
        bool inc = false;
        switch (Q) {
          case AP_RND: inc = qb; break;
          case AP_RND_ZERO: inc = qb && (neg || r); break;
          case AP_RND_MIN_INF: inc = qb && r; break;
          case AP_RND_INF: inc = qb && (!neg || r); break;
          case AP_RND_CONV: inc = qb && (bitk(R, 0) || r); break;
          case AP_TRN_ZERO: inc = neg && (qb || r); break;
          default: break;
        }
        if (inc) R = R + C(1);
      }
    }
  } else {
    s = F - F2;
  }
  if constexpr (!MayOvf) {
    return shl(R, s);
  } else if constexpr (O == AP_WRAP && N == 0) {
    return wrap_to<W, S>(shl(R, s));
  } else {
    constexpr C hi = c_max<C, W, S>();
    constexpr C lo = c_min<C, W, S>();
    bool ovf = false, unf = false, sign = false, at_min = false;
    C wrapped = R;
    if (s == 0) {
      ovf = R > hi;
      unf = R < lo;
      sign = R < C(0);
      at_min = S && R == lo;
      wrapped = (ovf || unf) ? wrap_to<W, S>(R) : R;
    } else {
      sign = v < C(0);
      ovf = v > sar(hi, s);
      if (S) {
        unf = sign && (s >= W || v < sar(lo, s));
        at_min = sign && s < W && v == sar(lo, s);
      } else {
        unf = sign;
        at_min = false;
      }
      wrapped = wrap_to<W, S>(shl(v, s));
    }
    if (O == AP_SAT_SYM && S && S2 && at_min) unf = true;
    if (!ovf && !unf) return wrapped;
    // Overflow: rewrite the W-bit pattern of the wrapped value like the vendor's overflow_adjust().
    constexpr u128 mask = W >= 128 ? ~u128(0) : ((u128(1) << (W % 128)) - 1);
    constexpr int n = N > W ? W : N;
    u128 u = low128(wrapped) & mask;
    if constexpr (O == AP_WRAP) {  // N > 0: saturate the N most significant bits
      if constexpr (S) {
        u = set_bits(u, W - 1, W - 1, sign);
        if (n > 1) u = set_bits(u, W - n, W - 2, !sign);
      } else {
        u = set_bits(u, W - n, W - 1, true);
      }
    } else if constexpr (O == AP_SAT_ZERO) {
      u = 0;
    } else if constexpr (O == AP_WRAP_SM && S) {
      const int pos1 = F2 - F + W;
      const bool lD = (pos1 >= 0 && pos1 < W2) ? bitk(v, pos1) : false;
      const bool Ro = ((u >> (W - 1)) & 1) != 0;
      if constexpr (N == 0) {
        if (lD != Ro) u = set_bits(~u & mask, W - 1, W - 1, lD);
      } else {
        if (n == 1) {
          if (sign != Ro) u = ~u & mask;
        } else {
          const bool lNo = ((u >> (W - n)) & 1) != 0;
          if (lNo == sign) u = ~u & mask;
          u = set_bits(u, W - n, W - 2, !sign);
        }
        u = set_bits(u, W - 1, W - 1, sign);
      }
    } else {  // AP_SAT, AP_SAT_SYM (and AP_WRAP_SM on unsigned, as the vendor)
      if constexpr (S) {
        if (ovf)
          u = mask >> 1;
        else
          u = (u128(1) << (W - 1)) | ((O == AP_SAT_SYM) ? 1 : 0);
      } else {
        u = ovf ? mask : 0;
      }
    }
    if constexpr (std::is_same<C, s256>::value)
      return wrap_to<W, S>(s256_of(u));
    else
      return wrap_to<W, S>(C(u));
  }
}

// ap_[u]fixed<W2,I2> raw value -> ap_[u]fixed<W,I,Q,O,N> raw value.
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, int W2, int I2, bool S2>
constexpr store_t<W, S> cvt_fixed(store_t<W2, S2> raw) {
  constexpr int F = W - I, F2 = W2 - I2;
  constexpr bool quan_inc = F2 > F && !(Q == AP_TRN || (Q == AP_TRN_ZERO && !S2));
  // The vendor's test for "the destination may not hold the source": the integer bits (without sign)
  // of the destination fall short of the source's (plus one for a rounding carry or a SAT_SYM minimum).
  constexpr bool may_ovf =
      (!S && S2) || (I - int(S) < I2 - int(S2) + int(quan_inc || (S2 && O == AP_SAT_SYM)));
  using St = store_t<W, S>;
  if constexpr (F == F2 && !may_ovf) {
    return St(raw);
  } else {
    using C = comp_t<W2, S2, W, S>;
    // A plain wrap into every bit of the storage type is the narrowing conversion itself.
    constexpr bool wrap_by_narrowing = O == AP_WRAP && N == 0 && W == nbits_v<St>;
    return from_c<St>(quantize<W, I, S, Q, O, N, may_ovf && !wrap_by_narrowing>(to_c<C>(raw), F2, W2, S2));
  }
}

// ---- floating point -----------------------------------------------------------------------------------
KML_AP_FP_CONSTEXPR uint64_t dbl_bits(double d) {
#ifdef KML_AP_HAVE_BIT_CAST
  return __builtin_bit_cast(uint64_t, d);
#else
  uint64_t b = 0;
  std::memcpy(&b, &d, sizeof b);
  return b;
#endif
}

// double -> ap_[u]fixed<W,I,Q,O,N> raw value. The double is the exact fixed-point value m * 2^(e-1075)
// (a 54-bit signed source, as in the vendor's conversion); infinities and NaNs behave like the vendor's
// (a huge value: saturate, or wrap to the low bits, which are 0 for typical formats).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
KML_AP_FP_CONSTEXPR store_t<W, S> cvt_double(double d) {
#ifdef KML_AP_HAVE_BIT_CAST
  const uint64_t b = __builtin_bit_cast(uint64_t, d);
#else
  const uint64_t b = dbl_bits(d);
#endif
  int e = int((b >> 52) & 0x7ff);
  uint64_t m = b & ((uint64_t(1) << 52) - 1);
  if (e == 0 && m == 0) return 0;
  if (e == 0)
    e = 1;
  else
    m |= uint64_t(1) << 52;
  const int64_t v = (b >> 63) ? -int64_t(m) : int64_t(m);
  const int F2 = 1075 - e;
  using C = comp_t<54, true, W, S>;
  if constexpr (std::is_same<C, int64_t>::value) {
    // Fast path (also keeps constant-initialization of large weight arrays cheap): a value that
    // needs rounding and lands in range; everything else takes the general path below.
    constexpr int F = W - I;
    const int dsh = F2 - F;
    if (dsh > 1 && dsh < 63) {
      int64_t q = v >> dsh;
      if constexpr (Q != AP_TRN) {
        const bool neg = v < 0, qb = ((v >> (dsh - 1)) & 1) != 0;
        const bool r = (uint64_t(v) & ((uint64_t(1) << (dsh - 1)) - 1)) != 0;
        bool inc = false;
        switch (Q) {
          case AP_RND: inc = qb; break;
          case AP_RND_ZERO: inc = qb && (neg || r); break;
          case AP_RND_MIN_INF: inc = qb && r; break;
          case AP_RND_INF: inc = qb && (!neg || r); break;
          case AP_RND_CONV: inc = qb && ((q & 1) != 0 || r); break;
          case AP_TRN_ZERO: inc = neg && (qb || r); break;
          default: break;
        }
        q += inc ? 1 : 0;
      }
      constexpr int64_t hi = c_max<int64_t, W, S>(), lo = c_min<int64_t, W, S>();
      if (q <= hi && q >= lo && !(O == AP_SAT_SYM && S && q == lo)) return store_t<W, S>(q);
    }
  }
  return from_c<store_t<W, S>>(quantize<W, I, S, Q, O, N, true>(to_c<C>(v), F2, 54, true));
}

// double -> ap_[u]int<W> raw value: C truncation toward zero, then wrap (the vendor's conversion,
// including its result 1 for doubles in (-0.5, 0)).
template <int W, bool S>
KML_AP_FP_CONSTEXPR store_t<W, S> int_from_double(double d) {
  const uint64_t b = dbl_bits(d);
  if ((b & ~(uint64_t(1) << 63)) == 0) return 0;
  const bool neg = (b >> 63) != 0;
  const int exp = int((b >> 52) & 0x7ff) - 1023;
  const uint64_t man = (b & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52);
  const int sh = 52 - exp;
  u128 mag = 0;
  if (sh >= 54)
    mag = neg ? ~u128(0) : u128(0);
  else if (sh >= 0)
    mag = man >> sh;
  else if (-sh < W)
    mag = u128(man) << (-sh);
  if (neg) mag = u128(0) - mag;
  return wrap_store<W, S>(mag);
}

constexpr double exp2i(int e) {  // 2^e (compile-time use)
  double r = 1.0;
  for (; e > 0; --e) r *= 2.0;
  for (; e < 0; ++e) r *= 0.5;
  return r;
}
constexpr float exp2f_i(int e) {
  float r = 1.0f;
  for (; e > 0; --e) r *= 2.0f;
  for (; e < 0; ++e) r *= 0.5f;
  return r;
}

// ---- result types --------------------------------------------------------------------------------------
template <int W, int I, bool S>
using fx_type = std::conditional_t<S, ap_fixed<W, I>, ap_ufixed<W, I>>;
template <int W, bool S>
using ai_type = std::conditional_t<S, ap_int<W>, ap_uint<W>>;

template <int W1, int I1, bool S1, int W2, int I2, bool S2>
struct fx_rtype {
  static constexpr int F1 = W1 - I1, F2 = W2 - I2, Fm = imax(F1, F2);
  static constexpr int Im = imax(I1 + int(S2 && !S1), I2 + int(S1 && !S2));
  static constexpr int mult_w = W1 + W2, mult_i = I1 + I2;
  static constexpr bool mult_s = S1 || S2;
  static constexpr int plus_w = Im + 1 + Fm, plus_i = Im + 1;
  static constexpr bool plus_s = S1 || S2;
  static constexpr int minus_w = Im + 1 + Fm, minus_i = Im + 1;
  static constexpr bool minus_s = true;
  static constexpr int div_w = int(S2) + W1 + imax(F2, 0), div_i = int(S2) + I1 + F2;
  static constexpr bool div_s = S1 || S2;
  static constexpr int logic_w = Im + Fm, logic_i = Im;
  static constexpr bool logic_s = S1 || S2;
  using mult = fx_type<mult_w, mult_i, mult_s>;
  using plus = fx_type<plus_w, plus_i, plus_s>;
  using minus = fx_type<minus_w, minus_i, minus_s>;
  using div = fx_type<div_w, div_i, div_s>;
  using logic = fx_type<logic_w, logic_i, logic_s>;
  using arg1 = fx_type<W1, I1, S1>;
};

template <int W1, bool S1, int W2, bool S2>
struct ai_rtype {
  static constexpr int Wm = imax(W1 + int(S2 && !S1), W2 + int(S1 && !S2));
  static constexpr int mult_w = W1 + W2;
  static constexpr bool mult_s = S1 || S2;
  static constexpr int plus_w = Wm + 1;
  static constexpr bool plus_s = S1 || S2;
  static constexpr int minus_w = Wm + 1;
  static constexpr bool minus_s = true;
  static constexpr int div_w = W1 + int(S2);
  static constexpr bool div_s = S1 || S2;
  static constexpr int mod_w = imin(W1, W2 + int(!S2 && S1));
  static constexpr bool mod_s = S1;
  static constexpr int logic_w = Wm;
  static constexpr bool logic_s = S1 || S2;
  using mult = ai_type<mult_w, mult_s>;
  using plus = ai_type<plus_w, plus_s>;
  using minus = ai_type<minus_w, minus_s>;
  using div = ai_type<div_w, div_s>;
  using mod = ai_type<mod_w, mod_s>;
  using logic = ai_type<logic_w, logic_s>;
  using arg1 = ai_type<W1, S1>;
};

template <class R, class T>
constexpr R mk(T value) {  // value known to fit R
  return R(raw_tag{}, typename R::raw_type(value));
}
template <class A>
constexpr A ashl(A v, int s) {
  return A(uns_t<A>(v) << s);
}

// x * 2^-F1 and y * 2^-F2 (W1/W2-bit values) aligned to the finer LSB in one 32- or 64-bit integer type, when
// that fits: then a comparison is a single integer compare, branch-free (relu's x > 0 on an array vectorizes).
template <int W1, bool S1, int F1, int W2, bool S2, int F2>
struct aligned_pair {
  static constexpr int Fm = imax(F1, F2);
  static constexpr int bits = imax(sbits_v<W1, S1> + Fm - F1, sbits_v<W2, S2> + Fm - F2);
  static constexpr bool fits = bits <= 64;
  using type = std::conditional_t<(bits <= 32), int32_t, int64_t>;
  template <class T>
  static constexpr type first(T raw) {
    return ashl(type(raw), Fm - F1);
  }
  template <class T>
  static constexpr type second(T raw) {
    return ashl(type(raw), Fm - F2);
  }
};

// Exact comparison of x * 2^-F1 and y * 2^-F2: -1, 0, 1.
template <int W1, bool S1, int F1, int W2, bool S2, int F2, class T1, class T2>
constexpr int cmp_fixed(T1 rx, T2 ry) {
  // Both aligned to the finer LSB when that fits 64 bits (aligned_pair); otherwise the coarser comparison plus
  // a look at the finer operand's low bits.
  using Al = aligned_pair<W1, S1, F1, W2, S2, F2>;
  if constexpr (Al::fits) {
    const typename Al::type x = Al::first(rx), y = Al::second(ry);
    return int(y < x) - int(x < y);
  }
  using C = comp_t<W1, S1, W2, S2>;
  const C x = to_c<C>(rx), y = to_c<C>(ry);
  if constexpr (F1 == F2) {
    return x < y ? -1 : (y < x ? 1 : 0);
  } else if constexpr (F1 > F2) {
    const C xh = sar(x, F1 - F2);
    return xh < y ? -1 : (y < xh ? 1 : (lownz(x, F1 - F2) ? 1 : 0));
  } else {
    const C yh = sar(y, F2 - F1);
    return x < yh ? -1 : (yh < x ? 1 : (lownz(y, F2 - F1) ? -1 : 0));
  }
}

// The vendor's comparisons (its simulation integer type) follow C's rules for mixed signedness: when a
// signed and an unsigned operand are compared and the unsigned one is at least as wide (and not both
// are narrower than 32 bits), the comparison is unsigned, so a negative value compares greater than any
// unsigned value; equality compares bit patterns in max(W1, W2, 32) bits. Fixed-point operands are first
// aligned to the finer LSB (the coarser one widened; the left one by an extra integer bit). Reproduced
// here on top of the exact comparison; same-signedness comparisons are exact.
template <int W1, bool S1, int F1, int W2, bool S2, int F2>
struct vcmp_traits {
  static constexpr int Wa = F1 >= F2 ? W1 : imax(W1 + F2 - F1 + 1, 1);
  static constexpr int Wb = F1 <= F2 ? W2 : imax(W2 + F1 - F2, 1);
  static constexpr bool mixed = S1 != S2;
  static constexpr bool unsigned_rel = mixed && !(Wa < 32 && Wb < 32) && (S1 ? Wb >= Wa : Wa >= Wb);
  static constexpr int M = Wa == Wb ? Wa : imax(imax(Wa, Wb), 32);
  // bit-pattern equality can differ from value equality only if the unsigned operand spans all M bits
  static constexpr bool pattern_eq =
      mixed && (Wa == Wb ? Wa >= 64 : true) && (S1 ? Wb == M : Wa == M) && M <= 250;
};
template <int W1, bool S1, int F1, int W2, bool S2, int F2, class T1, class T2>
constexpr int rel_fixed(T1 x, T2 y) {  // for < <= > >=
  using Tr = vcmp_traits<W1, S1, F1, W2, S2, F2>;
  if constexpr (Tr::unsigned_rel) {
    if constexpr (S1) {
      if (x < 0) return 1;
    } else {
      if (y < 0) return -1;
    }
  }
  return cmp_fixed<W1, S1, F1, W2, S2, F2>(x, y);
}
template <int W1, bool S1, int F1, int W2, bool S2, int F2, class T1, class T2>
constexpr bool eq_fixed(T1 x, T2 y) {  // for == !=
  using Tr = vcmp_traits<W1, S1, F1, W2, S2, F2>;
  if constexpr (Tr::pattern_eq) {
    constexpr int F = imax(F1, F2);
    const s256 xa = shl(to_c<s256>(x), F - F1), ya = shl(to_c<s256>(y), F - F2);
    if constexpr (S1) {
      if (x < 0) return ya == xa + shl(s256(1), Tr::M);
    } else {
      if (y < 0) return xa == ya + shl(s256(1), Tr::M);
    }
  }
  return cmp_fixed<W1, S1, F1, W2, S2, F2>(x, y) == 0;
}

// W-bit pattern helpers for bit and range access.
template <int W>
using bits_t = std::conditional_t<(W <= 64), uint64_t, u128>;
template <int W>
constexpr bits_t<W> bits_mask() {
  if constexpr (W == 64 || W == 128)
    return ~bits_t<W>(0);
  else
    return (bits_t<W>(1) << W) - 1;
}
template <int W>
constexpr bits_t<W> range_get(bits_t<W> pat, int hi, int lo) {
  if (hi < lo) {  // reversed bit order, as the vendor
    bits_t<W> r = 0;
    for (int k = hi; k <= lo; ++k) r = (r << 1) | ((pat >> k) & 1);
    return r;
  }
  const int n = hi - lo + 1;
  const bits_t<W> m = n >= nbits_v<bits_t<W>> ? ~bits_t<W>(0) : ((bits_t<W>(1) << n) - 1);
  return (pat >> lo) & m;
}
template <int W>
constexpr bits_t<W> range_set(bits_t<W> pat, int hi, int lo, bits_t<W> val) {
  if (hi < lo) {
    for (int k = lo; k >= hi; --k, val >>= 1)
      pat = (val & 1) ? (pat | (bits_t<W>(1) << k)) : (pat & ~(bits_t<W>(1) << k));
    return pat;
  }
  const int n = hi - lo + 1;
  const bits_t<W> m = n >= nbits_v<bits_t<W>> ? ~bits_t<W>(0) : ((bits_t<W>(1) << n) - 1);
  return (pat & ~(m << lo)) | ((val & m) << lo);
}

// Decimal text of a 128-bit integer (for printing wide ap_[u]int).
inline std::string u128_str(u128 v) {
  char buf[48];
  int p = 47;
  buf[p] = 0;
  do {
    buf[--p] = char('0' + int(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(buf + p);
}

}  // namespace kml_ap

// ---- bit and range references ------------------------------------------------------------------------
// x[i] on a non-const ap_[u]int / ap_[u]fixed: reads and writes bit i of the raw W-bit pattern.
template <class Owner>
struct kml_ap_bit_ref {
  Owner* p;
  int idx;
  constexpr kml_ap_bit_ref(Owner* o, int i) : p(o), idx(i) {}
  constexpr operator bool() const { return p->get_bit_raw(idx); }
  constexpr bool to_bool() const { return p->get_bit_raw(idx); }
  constexpr kml_ap_bit_ref& operator=(bool b) {
    p->set_bit_raw(idx, b);
    return *this;
  }
  constexpr kml_ap_bit_ref& operator=(const kml_ap_bit_ref& o) { return *this = bool(o); }
  constexpr bool operator~() const { return !p->get_bit_raw(idx); }
  constexpr bool operator!() const { return !p->get_bit_raw(idx); }
};

// x.range(hi, lo) on a non-const object: an ap_uint<W> holding the selected bits (lo at bit 0) that also
// writes assignments back into x. (A const object returns a plain ap_uint<W>.)
template <class Owner>
struct kml_ap_range_ref : ap_uint<Owner::width> {
  using value_type = ap_uint<Owner::width>;
  Owner* p;
  int hi, lo;
  constexpr kml_ap_range_ref(Owner* o, int h, int l)
      : value_type(kml_ap::raw_tag{}, typename value_type::raw_type(o->get_range_raw(h, l))),
        p(o),
        hi(h),
        lo(l) {}
  constexpr kml_ap_range_ref(const kml_ap_range_ref&) = default;
  constexpr kml_ap_range_ref& operator=(const kml_ap_range_ref& o) { return assign_(o.V); }
  template <int W2, bool S2>
  constexpr kml_ap_range_ref& operator=(const ap_int_base<W2, S2>& v) {
    return assign_(kml_ap::u128(v.V));
  }
  template <class T, kml_ap::if_int_t<T> = 0>
  constexpr kml_ap_range_ref& operator=(T v) {
    return assign_(kml_ap::u128(v));
  }
  constexpr kml_ap_range_ref& assign_(kml_ap::u128 v) {
    p->set_range_raw(hi, lo, v);
    this->V = typename value_type::raw_type(p->get_range_raw(hi, lo));
    return *this;
  }
};

// Bit-level access on the raw W-bit pattern, the same for both class templates (SELF: the class's name).
#define KML_AP_BIT_MEMBERS(SELF)                                                                           \
  constexpr kml_ap::bits_t<W> bits_raw() const { return kml_ap::bits_t<W>(V) & kml_ap::bits_mask<W>(); } \
  constexpr bool get_bit_raw(int i) const { return ((bits_raw() >> i) & 1) != 0; }                         \
  constexpr void set_bit_raw(int i, bool b) {                                                              \
    const kml_ap::bits_t<W> one = 1;                                                                       \
    V = kml_ap::wrap_store<W, S>(b ? (bits_raw() | (one << i)) : (bits_raw() & ~(one << i)));              \
  }                                                                                                        \
  constexpr kml_ap::bits_t<W> get_range_raw(int hi, int lo) const {                                        \
    return kml_ap::range_get<W>(bits_raw(), hi, lo);                                                       \
  }                                                                                                        \
  constexpr void set_range_raw(int hi, int lo, kml_ap::u128 v) {                                           \
    V = kml_ap::wrap_store<W, S>(kml_ap::range_set<W>(bits_raw(), hi, lo, kml_ap::bits_t<W>(v)));          \
  }                                                                                                        \
  constexpr kml_ap_bit_ref<SELF> operator[](int i) { return kml_ap_bit_ref<SELF>(this, i); }               \
  constexpr bool operator[](int i) const { return get_bit_raw(i); }                                        \
  template <int W2, bool S2>                                                                               \
  constexpr kml_ap_bit_ref<SELF> operator[](const ap_int_base<W2, S2>& i) {                                \
    return kml_ap_bit_ref<SELF>(this, i.to_int());                                                         \
  }                                                                                                        \
  template <int W2, bool S2>                                                                               \
  constexpr bool operator[](const ap_int_base<W2, S2>& i) const {                                          \
    return get_bit_raw(i.to_int());                                                                        \
  }                                                                                                        \
  constexpr kml_ap_bit_ref<SELF> bit(int i) { return kml_ap_bit_ref<SELF>(this, i); }                      \
  constexpr bool bit(int i) const { return get_bit_raw(i); }                                               \
  constexpr kml_ap_range_ref<SELF> range(int hi, int lo) { return kml_ap_range_ref<SELF>(this, hi, lo); }  \
  constexpr ap_uint<W> range(int hi, int lo) const {                                                       \
    return ap_uint<W>(kml_ap::raw_tag{}, typename ap_uint<W>::raw_type(get_range_raw(hi, lo)));            \
  }                                                                                                        \
  constexpr kml_ap_range_ref<SELF> range() { return range(W - 1, 0); }                                     \
  constexpr ap_uint<W> range() const { return range(W - 1, 0); }                                           \
  constexpr kml_ap_range_ref<SELF> operator()(int hi, int lo) { return range(hi, lo); }                    \
  constexpr ap_uint<W> operator()(int hi, int lo) const { return range(hi, lo); }                          \
  constexpr bool and_reduce() const { return bits_raw() == kml_ap::bits_mask<W>(); }                       \
  constexpr bool nand_reduce() const { return !and_reduce(); }                                             \
  constexpr bool or_reduce() const { return V != 0; }                                                      \
  constexpr bool nor_reduce() const { return V == 0; }                                                     \
  constexpr bool xor_reduce() const {                                                                      \
    bool r = false;                                                                                        \
    for (kml_ap::bits_t<W> p = bits_raw(); p != 0; p &= p - 1) r = !r;                                     \
    return r;                                                                                              \
  }                                                                                                        \
  constexpr bool xnor_reduce() const { return !xor_reduce(); }                                             \
  constexpr int countLeadingZeros() const {                                                                \
    const kml_ap::bits_t<W> pat = bits_raw();                                                              \
    int n = 0;                                                                                             \
    for (int k = W - 1; k >= 0 && !((pat >> k) & 1); --k) ++n;                                             \
    return n;                                                                                              \
  }

// ======================================================================================================
// ap_fixed_base<W, I, S, Q, O, N>: value = V * 2^(I-W), V a W-bit two's complement (S) or unsigned integer.
// ======================================================================================================
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base {
  static_assert(N >= 0, "ap_[u]fixed: the saturation bit count N must not be negative");
  // ap_ufixed with AP_WRAP_SM saturates here (the vendor's simulation aborts on it at run time).

  using raw_type = kml_ap::store_t<W, S>;
  static constexpr int width = W;
  static constexpr int iwidth = I;
  static constexpr ap_q_mode qmode = Q;
  static constexpr ap_o_mode omode = O;
  static constexpr bool sign_flag = S;
  template <int W2, int I2, bool S2>
  struct RType : kml_ap::fx_rtype<W, I, S, W2, I2, S2> {};

  raw_type V;  // the raw value, always normalized to W bits

  // ---- construction (every conversion quantizes with this type's Q and O) ----
  ap_fixed_base() = default;  // uninitialized, like the vendor's
  constexpr ap_fixed_base(kml_ap::raw_tag, raw_type raw) : V(raw) {}
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  constexpr ap_fixed_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& x)
      : V(kml_ap::cvt_fixed<W, I, S, Q, O, N, W2, I2, S2>(x.V)) {}
  template <int W2, bool S2>
  constexpr ap_fixed_base(const ap_int_base<W2, S2>& x)
      : V(kml_ap::cvt_fixed<W, I, S, Q, O, N, W2, W2, S2>(x.V)) {}
  template <class T, kml_ap::if_int_t<T> = 0>
  constexpr ap_fixed_base(T x)
      : V(kml_ap::cvt_fixed<W, I, S, Q, O, N, kml_ap::cbits_v<T>, kml_ap::cbits_v<T>, kml_ap::csgn_v<T>>(
            kml_ap::store_t<kml_ap::cbits_v<T>, kml_ap::csgn_v<T>>(x))) {}
  KML_AP_FP_CONSTEXPR ap_fixed_base(double d) : V(kml_ap::cvt_double<W, I, S, Q, O, N>(d)) {}  // (float too)

  static constexpr ap_fixed_base from_raw(raw_type raw) { return ap_fixed_base(kml_ap::raw_tag{}, raw); }
  constexpr ap_fixed_base& setBits(unsigned long long bv) {
    V = kml_ap::wrap_store<W, S>(bv);
    return *this;
  }
  static constexpr ap_fixed_base bitsToFixed(unsigned long long bv) { return ap_fixed_base().setBits(bv); }

  // ---- queries ----
  constexpr bool is_neg() const {
    if constexpr (S)
      return V < 0;
    else
      return false;
  }
  constexpr bool is_zero() const { return V == 0; }
  constexpr int length() const { return W; }
  constexpr int wl() const { return W; }
  constexpr int iwl() const { return I; }
  constexpr ap_q_mode q_mode() const { return Q; }
  constexpr ap_o_mode o_mode() const { return O; }
  constexpr int n_bits() const { return N; }

  // ---- conversion to C types ----
  constexpr double to_double() const {
    constexpr int F = W - I;
    if constexpr (F >= -1000 && F <= 1000) {
      constexpr double scale = kml_ap::exp2i(-F);
      return double(V) * scale;
    } else {
      constexpr double s1 = kml_ap::exp2i(-F / 2), s2 = kml_ap::exp2i(-F + F / 2);
      return double(V) * s1 * s2;
    }
  }
  constexpr float to_float() const {
    constexpr int F = W - I;
    if constexpr (W <= 53) {
      return float(to_double());  // to_double() is exact here: a single rounding
    } else if constexpr (F >= -120 && F <= 120) {
      constexpr float scale = kml_ap::exp2f_i(-F);
      return float(V) * scale;
    } else {
      constexpr double scale = kml_ap::exp2i(-F);
      return float(double(float(V)) * scale);
    }
  }
  // Integer part truncated toward zero (C semantics), as a two's complement pattern of type U
  // (the vendor's to_ap_int_base(); like the vendor's, a negative value with I == 0 gives -1).
  template <class U>
  constexpr U int_bits_() const {
    constexpr int F = W - I;
    if constexpr (I < 0) {
      return U(0);  // |value| < 1/2 (the vendor leaves this undefined)
    } else if constexpr (I == 0) {
      return is_neg() ? ~U(0) : U(0);
    } else if constexpr (F <= 0) {
      return -F >= kml_ap::nbits_v<U> ? U(0) : U(U(V) << (-F));
    } else {
      using A = kml_ap::arith_t<W, S>;
      const A v = A(V);
      A q = A(v >> F);
      if constexpr (S) {
        if (v < 0 && kml_ap::lownz(v, F)) q = q + 1;
      }
      return U(q);
    }
  }
  constexpr ap_int_base<(I > 1 ? I : 1), S> to_ap_int_base(bool = true) const {
    using R = ap_int_base<(I > 1 ? I : 1), S>;
    return R(kml_ap::raw_tag{}, kml_ap::wrap_store<(I > 1 ? I : 1), S>(int_bits_<kml_ap::u128>()));
  }
  constexpr int to_int() const { return int(uint32_t(int_bits_<uint64_t>())); }
  constexpr unsigned to_uint() const { return unsigned(int_bits_<uint64_t>()); }
  constexpr long to_long() const { return long(int_bits_<uint64_t>()); }
  constexpr unsigned long to_ulong() const { return (unsigned long)(int_bits_<uint64_t>()); }
  constexpr long long to_int64() const { return (long long)(int_bits_<uint64_t>()); }
  constexpr unsigned long long to_uint64() const { return int_bits_<uint64_t>(); }
  constexpr char to_char() const { return char(to_int()); }
  constexpr bool to_bool() const { return V != 0; }

  // Implicit conversions, as the vendor's (so arithmetic with double is ambiguous there and here: write
  // x.to_double() or convert the double to a fixed-point type).
  constexpr operator long double() const { return (long double)to_double(); }
  constexpr operator double() const { return to_double(); }
  constexpr operator float() const { return to_float(); }
  constexpr operator bool() const { return V != 0; }
  constexpr operator char() const { return char(to_int()); }
  constexpr operator signed char() const { return (signed char)to_int(); }
  constexpr operator unsigned char() const { return (unsigned char)to_uint(); }
  constexpr operator short() const { return short(to_int()); }
  constexpr operator unsigned short() const { return (unsigned short)to_uint(); }
  constexpr operator int() const { return to_int(); }
  constexpr operator unsigned() const { return to_uint(); }
  constexpr operator long() const { return to_long(); }
  constexpr operator unsigned long() const { return to_ulong(); }
  constexpr operator long long() const { return to_int64(); }
  constexpr operator unsigned long long() const { return to_uint64(); }

  // ---- compound assignment: full-precision result, then quantized back with this type's Q and O ----
#define KML_AF_ASSIGN(OP)                                                                     \
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>                      \
  constexpr ap_fixed_base& operator OP##=(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& y) {   \
    return *this = ap_fixed_base(*this OP y);                                                 \
  }                                                                                           \
  template <int W2, bool S2>                                                                  \
  constexpr ap_fixed_base& operator OP##=(const ap_int_base<W2, S2>& y) {                     \
    return *this = ap_fixed_base(*this OP ap_fixed_base<W2, W2, S2>(kml_ap::raw_tag{}, y.V)); \
  }                                                                                           \
  template <class T, kml_ap::if_int_t<T> = 0>                                                 \
  constexpr ap_fixed_base& operator OP##=(T y) {                                              \
    return *this OP## = ap_int_base<kml_ap::cbits_v<T>, kml_ap::csgn_v<T>>(y);                \
  }
  KML_AF_ASSIGN(+)
  KML_AF_ASSIGN(-)
  KML_AF_ASSIGN(*)
  KML_AF_ASSIGN(/)
  KML_AF_ASSIGN(&)
  KML_AF_ASSIGN(|)
  KML_AF_ASSIGN(^)
#undef KML_AF_ASSIGN

  // One LSB-aligned unit 1 (ap_ufixed<max(F,0)+1, 1>), added by ++ and subtracted by --.
  using one_type_ = ap_fixed_base<(W - I > 0 ? W - I : 0) + 1, 1, false>;
  static constexpr one_type_ one_() {
    return one_type_(kml_ap::raw_tag{}, typename one_type_::raw_type(typename one_type_::raw_type(1)
                                                                     << (W - I > 0 ? W - I : 0)));
  }
  constexpr ap_fixed_base& operator++() { return *this = ap_fixed_base(*this + one_()); }
  constexpr ap_fixed_base& operator--() { return *this = ap_fixed_base(*this - one_()); }
  constexpr ap_fixed_base operator++(int) {
    const ap_fixed_base r = *this;
    ++*this;
    return r;
  }
  constexpr ap_fixed_base operator--(int) {
    const ap_fixed_base r = *this;
    --*this;
    return r;
  }

  // ---- unary ----
  constexpr ap_fixed_base operator+() const { return *this; }
  constexpr ap_fixed<W + 1, I + 1> operator-() const {
    using A = kml_ap::arith_t<W + 1, true>;
    return ap_fixed<W + 1, I + 1>(kml_ap::raw_tag{}, kml_ap::store_t<W + 1, true>(-A(V)));
  }
  constexpr bool operator!() const { return V == 0; }
  constexpr ap_fixed_base<W, I, S> operator~() const {
    return ap_fixed_base<W, I, S>(kml_ap::raw_tag{}, kml_ap::wrap_store<W, S>(~V));
  }

  // ---- shifts: the value moves within this type (bits shifted out are lost, no quantization) ----
  constexpr ap_fixed_base shl_(unsigned sh) const {
    using A = kml_ap::arith_t<W, S>;
    return from_raw(sh >= unsigned(W) ? raw_type(0) : kml_ap::wrap_store<W, S>(kml_ap::ashl(A(V), int(sh))));
  }
  constexpr ap_fixed_base shr_(unsigned sh) const {
    using A = kml_ap::arith_t<W, S>;
    return from_raw(raw_type(kml_ap::sar(A(V), sh >= unsigned(W) ? W : int(sh))));
  }
  constexpr ap_fixed_base shl_s_(int sh) const {
    return sh < 0 ? shr_(0u - unsigned(sh)) : shl_(unsigned(sh));
  }
  constexpr ap_fixed_base shr_s_(int sh) const {
    return sh < 0 ? shl_(0u - unsigned(sh)) : shr_(unsigned(sh));
  }
  template <class T, kml_ap::if_int_t<T> = 0>
  constexpr ap_fixed_base operator<<(T sh) const {
    if constexpr (kml_ap::csgn_v<T>)
      return shl_s_(int(sh));
    else
      return shl_(unsigned(sh));
  }
  template <class T, kml_ap::if_int_t<T> = 0>
  constexpr ap_fixed_base operator>>(T sh) const {
    if constexpr (kml_ap::csgn_v<T>)
      return shr_s_(int(sh));
    else
      return shr_(unsigned(sh));
  }
  template <int W2, bool S2>
  constexpr ap_fixed_base operator<<(const ap_int_base<W2, S2>& sh) const {
    if constexpr (S2)
      return shl_s_(sh.to_int());
    else
      return shl_(sh.to_uint());
  }
  template <int W2, bool S2>
  constexpr ap_fixed_base operator>>(const ap_int_base<W2, S2>& sh) const {
    if constexpr (S2)
      return shr_s_(sh.to_int());
    else
      return shr_(sh.to_uint());
  }
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  constexpr ap_fixed_base operator<<(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& sh) const {
    if constexpr (S2)
      return shl_s_(sh.to_int());
    else
      return shl_(sh.to_uint());
  }
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  constexpr ap_fixed_base operator>>(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& sh) const {
    if constexpr (S2)
      return shr_s_(sh.to_int());
    else
      return shr_(sh.to_uint());
  }
  template <class T>
  constexpr ap_fixed_base& operator<<=(const T& sh) {
    return *this = *this << sh;
  }
  template <class T>
  constexpr ap_fixed_base& operator>>=(const T& sh) {
    return *this = *this >> sh;
  }

  // ---- bit access on the raw W-bit pattern ----
  KML_AP_BIT_MEMBERS(ap_fixed_base)
  constexpr bool get_bit(int index) const { return get_bit_raw(index + W - I); }  // relative to the binary point
};

// ======================================================================================================
// ap_int_base<W, S>: a W-bit two's complement (S) or unsigned integer; assignments wrap.
// ======================================================================================================
template <int W, bool S>
struct ap_int_base {
  using raw_type = kml_ap::store_t<W, S>;
  static constexpr int width = W;
  static constexpr bool sign_flag = S;
  template <int W2, bool S2>
  struct RType : kml_ap::ai_rtype<W, S, W2, S2> {};
  using RetType = std::conditional_t<S, long long, unsigned long long>;

  raw_type V;

  ap_int_base() = default;  // uninitialized, like the vendor's
  constexpr ap_int_base(kml_ap::raw_tag, raw_type raw) : V(raw) {}
  template <int W2, bool S2>
  constexpr ap_int_base(const ap_int_base<W2, S2>& x) : V(kml_ap::wrap_store<W, S>(x.V)) {}
  template <class T, kml_ap::if_int_t<T> = 0>
  constexpr ap_int_base(T x) : V(kml_ap::wrap_store<W, S>(x)) {}
  KML_AP_FP_CONSTEXPR ap_int_base(double d) : V(kml_ap::int_from_double<W, S>(d)) {}  // (float too)
  // From fixed point: the integer part truncated toward zero, then wrapped.
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  constexpr ap_int_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& x)
      : V(kml_ap::wrap_store<W, S>(x.template int_bits_<kml_ap::bits_t<W>>())) {}

  // ---- conversions ----
  constexpr operator RetType() const { return RetType(V); }
  constexpr bool to_bool() const { return V != 0; }
  constexpr char to_char() const { return char(V); }
  constexpr signed char to_schar() const { return (signed char)V; }
  constexpr unsigned char to_uchar() const { return (unsigned char)V; }
  constexpr short to_short() const { return short(V); }
  constexpr unsigned short to_ushort() const { return (unsigned short)V; }
  constexpr int to_int() const { return int(V); }
  constexpr unsigned to_uint() const { return unsigned(V); }
  constexpr long to_long() const { return long(V); }
  constexpr unsigned long to_ulong() const { return (unsigned long)V; }
  constexpr long long to_int64() const { return (long long)V; }
  constexpr unsigned long long to_uint64() const { return (unsigned long long)V; }
  constexpr double to_double() const { return double(V); }
  constexpr float to_float() const { return float(V); }

  // ---- queries and bit operations ----
  constexpr int length() const { return W; }
  constexpr bool iszero() const { return V == 0; }
  constexpr bool is_zero() const { return V == 0; }
  constexpr bool sign() const {
    if constexpr (S)
      return V < 0;
    else
      return false;
  }
  KML_AP_BIT_MEMBERS(ap_int_base)
  constexpr bool test(int i) const { return get_bit_raw(i); }
  constexpr bool get_bit(int i) const { return get_bit_raw(i); }
  constexpr void set(int i) { set_bit_raw(i, true); }
  constexpr void set(int i, bool v) { set_bit_raw(i, v); }
  constexpr void set_bit(int i, bool v) { set_bit_raw(i, v); }
  constexpr void clear(int i) { set_bit_raw(i, false); }
  constexpr void invert(int i) { set_bit_raw(i, !get_bit_raw(i)); }
  constexpr void b_not() { V = kml_ap::wrap_store<W, S>(~V); }

  // ---- compound assignment (result wrapped to W bits) ----
#define KML_AI_ASSIGN(OP)                                                                       \
  template <int W2, bool S2>                                                                    \
  constexpr ap_int_base& operator OP##=(const ap_int_base<W2, S2>& y) {                         \
    return *this = ap_int_base(*this OP y);                                                     \
  }                                                                                             \
  template <class T, kml_ap::if_int_t<T> = 0>                                                   \
  constexpr ap_int_base& operator OP##=(T y) {                                                  \
    return *this = ap_int_base(*this OP ap_int_base<kml_ap::cbits_v<T>, kml_ap::csgn_v<T>>(y)); \
  }
  KML_AI_ASSIGN(+)
  KML_AI_ASSIGN(-)
  KML_AI_ASSIGN(*)
  KML_AI_ASSIGN(/)
  KML_AI_ASSIGN(%)
  KML_AI_ASSIGN(&)
  KML_AI_ASSIGN(|)
  KML_AI_ASSIGN(^)
#undef KML_AI_ASSIGN
  template <class T>
  constexpr ap_int_base& operator<<=(const T& sh) {
    return *this = *this << sh;
  }
  template <class T>
  constexpr ap_int_base& operator>>=(const T& sh) {
    return *this = *this >> sh;
  }

  constexpr ap_int_base& operator++() {
    V = kml_ap::wrap_store<W, S>(kml_ap::arith_t<W + 1, S>(V) + 1);
    return *this;
  }
  constexpr ap_int_base& operator--() {
    V = kml_ap::wrap_store<W, S>(kml_ap::arith_t<W + 1, true>(V) - 1);
    return *this;
  }
  constexpr kml_ap::ai_type<W, S> operator++(int) {
    const kml_ap::ai_type<W, S> r(kml_ap::raw_tag{}, V);
    ++*this;
    return r;
  }
  constexpr kml_ap::ai_type<W, S> operator--(int) {
    const kml_ap::ai_type<W, S> r(kml_ap::raw_tag{}, V);
    --*this;
    return r;
  }

  // ---- unary ----
  constexpr kml_ap::ai_type<W, S> operator+() const { return kml_ap::ai_type<W, S>(kml_ap::raw_tag{}, V); }
  constexpr typename kml_ap::ai_rtype<1, false, W, S>::minus operator-() const {
    using R = typename kml_ap::ai_rtype<1, false, W, S>::minus;
    using A = kml_ap::arith_t<R::width, true>;
    return kml_ap::mk<R>(-A(V));
  }
  constexpr bool operator!() const { return V == 0; }
  constexpr kml_ap::ai_type<W, S> operator~() const {
    return kml_ap::ai_type<W, S>(kml_ap::raw_tag{}, kml_ap::wrap_store<W, S>(~V));
  }

  // ---- shifts (result has this type; bits shifted out are lost) ----
  constexpr kml_ap::ai_type<W, S> shl_(unsigned sh) const {
    using A = kml_ap::arith_t<W, S>;
    return kml_ap::ai_type<W, S>(
        kml_ap::raw_tag{},
        sh >= unsigned(W) ? raw_type(0) : kml_ap::wrap_store<W, S>(kml_ap::ashl(A(V), int(sh))));
  }
  constexpr kml_ap::ai_type<W, S> shr_(unsigned sh) const {
    using A = kml_ap::arith_t<W, S>;
    return kml_ap::ai_type<W, S>(kml_ap::raw_tag{},
                                 raw_type(kml_ap::sar(A(V), sh >= unsigned(W) ? W : int(sh))));
  }
  constexpr kml_ap::ai_type<W, S> shl_s_(int sh) const {
    return sh < 0 ? shr_(0u - unsigned(sh)) : shl_(unsigned(sh));
  }
  constexpr kml_ap::ai_type<W, S> shr_s_(int sh) const {
    return sh < 0 ? shl_(0u - unsigned(sh)) : shr_(unsigned(sh));
  }
  template <class T, kml_ap::if_int_t<T> = 0>
  constexpr kml_ap::ai_type<W, S> operator<<(T sh) const {
    if constexpr (kml_ap::csgn_v<T>)
      return shl_s_(int(sh));
    else
      return shl_(unsigned(sh));
  }
  template <class T, kml_ap::if_int_t<T> = 0>
  constexpr kml_ap::ai_type<W, S> operator>>(T sh) const {
    if constexpr (kml_ap::csgn_v<T>)
      return shr_s_(int(sh));
    else
      return shr_(unsigned(sh));
  }
  template <int W2, bool S2>
  constexpr kml_ap::ai_type<W, S> operator<<(const ap_int_base<W2, S2>& sh) const {
    if constexpr (S2)
      return shl_s_(sh.to_int());
    else
      return shl_(sh.to_uint());
  }
  template <int W2, bool S2>
  constexpr kml_ap::ai_type<W, S> operator>>(const ap_int_base<W2, S2>& sh) const {
    if constexpr (S2)
      return shr_s_(sh.to_int());
    else
      return shr_(sh.to_uint());
  }
};

// ======================================================================================================
// Binary operators
// ======================================================================================================
#define KML_FXP(n) int W##n, int I##n, bool S##n, ap_q_mode Q##n, ap_o_mode O##n, int N##n
#define KML_FXT(n) ap_fixed_base<W##n, I##n, S##n, Q##n, O##n, N##n>
#define KML_FXRT kml_ap::fx_rtype<W1, I1, S1, W2, I2, S2>
#define KML_AIRT kml_ap::ai_rtype<W1, S1, W2, S2>

namespace kml_ap {
// An integer seen as the fixed-point type ap_fixed_base<W, W, S> (no conversion of the raw value).
template <int W, bool S>
constexpr ap_fixed_base<W, W, S> as_fx(const ap_int_base<W, S>& x) {
  return ap_fixed_base<W, W, S>(raw_tag{}, x.V);
}
template <class T>
constexpr ap_fixed_base<cbits_v<T>, cbits_v<T>, csgn_v<T>> as_fx(T x) {
  return ap_fixed_base<cbits_v<T>, cbits_v<T>, csgn_v<T>>(raw_tag{}, store_t<cbits_v<T>, csgn_v<T>>(x));
}
template <class T>
constexpr ap_int_base<cbits_v<T>, csgn_v<T>> as_ai(T x) {
  return ap_int_base<cbits_v<T>, csgn_v<T>>(raw_tag{}, store_t<cbits_v<T>, csgn_v<T>>(x));
}
}  // namespace kml_ap

// ---- fixed op fixed ----
template <KML_FXP(1), KML_FXP(2)>
constexpr typename KML_FXRT::mult operator*(const KML_FXT(1) & a, const KML_FXT(2) & b) {
  using R = typename KML_FXRT::mult;
  using A = kml_ap::arith_t<R::width, R::sign_flag>;
  return kml_ap::mk<R>(A(a.V) * A(b.V));
}
template <KML_FXP(1), KML_FXP(2)>
constexpr typename KML_FXRT::plus operator+(const KML_FXT(1) & a, const KML_FXT(2) & b) {
  using RT = KML_FXRT;
  using R = typename RT::plus;
  using A = kml_ap::arith_t<R::width, R::sign_flag>;
  return kml_ap::mk<R>(kml_ap::ashl(A(a.V), RT::Fm - RT::F1) + kml_ap::ashl(A(b.V), RT::Fm - RT::F2));
}
template <KML_FXP(1), KML_FXP(2)>
constexpr typename KML_FXRT::minus operator-(const KML_FXT(1) & a, const KML_FXT(2) & b) {
  using RT = KML_FXRT;
  using R = typename RT::minus;
  using A = kml_ap::arith_t<R::width, true>;
  return kml_ap::mk<R>(kml_ap::ashl(A(a.V), RT::Fm - RT::F1) - kml_ap::ashl(A(b.V), RT::Fm - RT::F2));
}
// Division as the vendor's: the dividend is scaled by 2^max(F2,0), divided as integers (truncation toward
// zero) in max(W1 + max(F2,0) + (S2 && !S1), W2 + (S1 && !S2)) bits; the quotient is wrapped into the
// result type. Division by zero gives 0.
template <KML_FXP(1), KML_FXP(2)>
constexpr typename KML_FXRT::div operator/(const KML_FXT(1) & a, const KML_FXT(2) & b) {
  using RT = KML_FXRT;
  using R = typename RT::div;
  constexpr int sh = kml_ap::imax(RT::F2, 0);
  constexpr int Wd = kml_ap::imax(W1 + sh + int(S2 && !S1), W2 + int(S1 && !S2));
  constexpr bool SD = S1 || S2;
  static_assert(Wd <= 128, "kml runtime: ap_[u]fixed division needs more than 128 bits");
  using D = kml_ap::arith_t<Wd, SD>;
  const D num = kml_ap::ashl(D(a.V), sh), den = D(b.V);
  if (den == 0) return kml_ap::mk<R>(0);
  D q = 0;
  if constexpr (SD) {
    q = den == D(-1) ? D(kml_ap::uns_t<D>(0) - kml_ap::uns_t<D>(num)) : D(num / den);
    if constexpr (Wd < kml_ap::nbits_v<D>) q = kml_ap::wrap_to<Wd, true>(q);
  } else {
    q = num / den;
  }
  return R(kml_ap::raw_tag{}, kml_ap::wrap_store<R::width, R::sign_flag>(q));
}
#define KML_AF_LOGIC(OP)                                                                                 \
  template <KML_FXP(1), KML_FXP(2)>                                                                      \
  constexpr typename KML_FXRT::logic operator OP(const KML_FXT(1) & a, const KML_FXT(2) & b) {           \
    using RT = KML_FXRT;                                                                                 \
    using R = typename RT::logic;                                                                        \
    using A = kml_ap::arith_t<R::width, R::sign_flag>;                                                   \
    return R(kml_ap::raw_tag{}, kml_ap::wrap_store<R::width, R::sign_flag>(kml_ap::ashl(                 \
                                    A(a.V), RT::Fm - RT::F1) OP kml_ap::ashl(A(b.V), RT::Fm - RT::F2))); \
  }
KML_AF_LOGIC(&)
KML_AF_LOGIC(|)
KML_AF_LOGIC(^)
#undef KML_AF_LOGIC

// ---- fixed op ap_int / C integer (the integer is ap_fixed_base<Wi, Wi, Si>: int is 32 bits signed) ----
#define KML_AF_MIXED(OP)                                                           \
  template <KML_FXP(1), int W2, bool S2>                                           \
  constexpr auto operator OP(const KML_FXT(1) & a, const ap_int_base<W2, S2>& b) { \
    return a OP kml_ap::as_fx(b);                                                  \
  }                                                                                \
  template <KML_FXP(1), int W2, bool S2>                                           \
  constexpr auto operator OP(const ap_int_base<W2, S2>& a, const KML_FXT(1) & b) { \
    return kml_ap::as_fx(a) OP b;                                                  \
  }                                                                                \
  template <KML_FXP(1), class T, kml_ap::if_int_t<T> = 0>                          \
  constexpr auto operator OP(const KML_FXT(1) & a, T b) {                          \
    return a OP kml_ap::as_fx(b);                                                  \
  }                                                                                \
  template <KML_FXP(1), class T, kml_ap::if_int_t<T> = 0>                          \
  constexpr auto operator OP(T a, const KML_FXT(1) & b) {                          \
    return kml_ap::as_fx(a) OP b;                                                  \
  }
KML_AF_MIXED(*)
KML_AF_MIXED(+)
KML_AF_MIXED(-)
KML_AF_MIXED(/)
KML_AF_MIXED(&)
KML_AF_MIXED(|)
KML_AF_MIXED(^)
#undef KML_AF_MIXED

namespace kml_ap {
template <int W1, bool S1, int F1, int W2, bool S2, int F2, class T1, class T2>
constexpr bool cmp_eq(T1 x, T2 y) {
  return eq_fixed<W1, S1, F1, W2, S2, F2>(x, y);
}
template <int W1, bool S1, int F1, int W2, bool S2, int F2, class T1, class T2>
constexpr bool cmp_ne(T1 x, T2 y) {
  return !eq_fixed<W1, S1, F1, W2, S2, F2>(x, y);
}
// < <= > >=: one compare of the aligned values when they fit and C's mixed-signedness rule (vcmp_traits) does not
// apply; otherwise through rel_fixed.
#define KML_AP_REL(NAME, OP)                                                                             \
  template <int W1, bool S1, int F1, int W2, bool S2, int F2, class T1, class T2>                      \
  constexpr bool NAME(T1 x, T2 y) {                                                                      \
    using Al = aligned_pair<W1, S1, F1, W2, S2, F2>;                                                     \
    if constexpr (Al::fits && !vcmp_traits<W1, S1, F1, W2, S2, F2>::unsigned_rel)                        \
      return Al::first(x) OP Al::second(y);                                                              \
    else                                                                                                 \
      return rel_fixed<W1, S1, F1, W2, S2, F2>(x, y) OP 0;                                               \
  }
KML_AP_REL(cmp_lt, <)
KML_AP_REL(cmp_le, <=)
KML_AP_REL(cmp_gt, >)
KML_AP_REL(cmp_ge, >=)
#undef KML_AP_REL
}  // namespace kml_ap

// ---- fixed comparisons (the vendor's, see kml_ap::vcmp_traits) ----
#define KML_AF_CMP(OP, FN)                                                                \
  template <KML_FXP(1), KML_FXP(2)>                                                       \
  constexpr bool operator OP(const KML_FXT(1) & a, const KML_FXT(2) & b) {                \
    return kml_ap::FN<W1, S1, W1 - I1, W2, S2, W2 - I2>(a.V, b.V);                        \
  }                                                                                       \
  template <KML_FXP(1), int W2, bool S2>                                                  \
  constexpr bool operator OP(const KML_FXT(1) & a, const ap_int_base<W2, S2>& b) {        \
    return kml_ap::FN<W1, S1, W1 - I1, W2, S2, 0>(a.V, b.V);                              \
  }                                                                                       \
  template <KML_FXP(1), int W2, bool S2>                                                  \
  constexpr bool operator OP(const ap_int_base<W2, S2>& a, const KML_FXT(1) & b) {        \
    return kml_ap::FN<W2, S2, 0, W1, S1, W1 - I1>(a.V, b.V);                              \
  }                                                                                       \
  template <KML_FXP(1), class T, kml_ap::if_int_t<T> = 0>                                 \
  constexpr bool operator OP(const KML_FXT(1) & a, T b) {                                 \
    return kml_ap::FN<W1, S1, W1 - I1, kml_ap::cbits_v<T>, kml_ap::csgn_v<T>, 0>(a.V, b); \
  }                                                                                       \
  template <KML_FXP(1), class T, kml_ap::if_int_t<T> = 0>                                 \
  constexpr bool operator OP(T a, const KML_FXT(1) & b) {                                 \
    return kml_ap::FN<kml_ap::cbits_v<T>, kml_ap::csgn_v<T>, 0, W1, S1, W1 - I1>(a, b.V); \
  }                                                                                       \
  template <KML_FXP(1)>                                                                   \
  constexpr bool operator OP(const KML_FXT(1) & a, double b) {                            \
    return a.to_double() OP b;                                                            \
  }                                                                                       \
  template <KML_FXP(1)>                                                                   \
  constexpr bool operator OP(double a, const KML_FXT(1) & b) {                            \
    return a OP b.to_double();                                                            \
  }                                                                                       \
  template <KML_FXP(1)>                                                                   \
  constexpr bool operator OP(const KML_FXT(1) & a, float b) {                             \
    return a.to_double() OP double(b);                                                    \
  }                                                                                       \
  template <KML_FXP(1)>                                                                   \
  constexpr bool operator OP(float a, const KML_FXT(1) & b) {                             \
    return double(a) OP b.to_double();                                                    \
  }
KML_AF_CMP(==, cmp_eq)
KML_AF_CMP(!=, cmp_ne)
KML_AF_CMP(<, cmp_lt)
KML_AF_CMP(<=, cmp_le)
KML_AF_CMP(>, cmp_gt)
KML_AF_CMP(>=, cmp_ge)
#undef KML_AF_CMP

// ---- ap_int op ap_int ----
#define KML_AI_ARITH(OP, RTY, SIGNED_A)                                                                      \
  template <int W1, bool S1, int W2, bool S2>                                                                \
  constexpr typename KML_AIRT::RTY operator OP(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) { \
    using R = typename KML_AIRT::RTY;                                                                        \
    using A = kml_ap::arith_t<R::width, SIGNED_A>;                                                           \
    return R(kml_ap::raw_tag{}, kml_ap::wrap_store<R::width, R::sign_flag>(A(a.V) OP A(b.V)));               \
  }
KML_AI_ARITH(*, mult, R::sign_flag)
KML_AI_ARITH(+, plus, R::sign_flag)
KML_AI_ARITH(-, minus, true)
KML_AI_ARITH(&, logic, R::sign_flag)
KML_AI_ARITH(|, logic, R::sign_flag)
KML_AI_ARITH(^, logic, R::sign_flag)
#undef KML_AI_ARITH

namespace kml_ap {
// The vendor's integer division and remainder: both operands are first brought to
// max(W1, W2) + (S1 || S2) bits with the signedness of the wider operand (S1 || S2 if equally wide).
template <int W1, bool S1, int W2, bool S2>
struct ai_divmod {
  static constexpr int Wc = imax(W1, W2) + int(S1 || S2);
  static constexpr bool Sc = W1 > W2 ? S1 : (W2 > W1 ? S2 : (S1 || S2));
  static_assert(Wc <= 127,
                "kml runtime: ap_[u]int division of operands wider than 126 bits is not supported");
  using C = std::conditional_t<(Wc <= 63), int64_t, i128>;
  template <class T>
  static constexpr C conv(T raw) {
    return C(wrap_store<Wc, Sc>(raw));
  }
};
}  // namespace kml_ap

template <int W1, bool S1, int W2, bool S2>
constexpr typename KML_AIRT::div operator/(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {
  using R = typename KML_AIRT::div;
  using DM = kml_ap::ai_divmod<W1, S1, W2, S2>;
  const typename DM::C x = DM::conv(a.V), y = DM::conv(b.V);
  if (y == 0) return kml_ap::mk<R>(0);
  return R(kml_ap::raw_tag{}, kml_ap::wrap_store<R::width, R::sign_flag>(x / y));
}
template <int W1, bool S1, int W2, bool S2>
constexpr typename KML_AIRT::mod operator%(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {
  using R = typename KML_AIRT::mod;
  using DM = kml_ap::ai_divmod<W1, S1, W2, S2>;
  const typename DM::C x = DM::conv(a.V), y = DM::conv(b.V);
  if (y == 0) return kml_ap::mk<R>(0);
  typename DM::C r = 0;
  if (!S1 && y < 0)
    r = x;  // unsigned dividend, "negative" divisor: the vendor's unsigned remainder
  else
    r = x % y;
  return R(kml_ap::raw_tag{}, kml_ap::wrap_store<R::width, R::sign_flag>(r));
}

// ---- ap_int op C integer (the C integer is ap_int_base<bits, signed>) ----
#define KML_AI_MIXED(OP)                                          \
  template <int W1, bool S1, class T, kml_ap::if_int_t<T> = 0>    \
  constexpr auto operator OP(const ap_int_base<W1, S1>& a, T b) { \
    return a OP kml_ap::as_ai(b);                                 \
  }                                                               \
  template <int W1, bool S1, class T, kml_ap::if_int_t<T> = 0>    \
  constexpr auto operator OP(T a, const ap_int_base<W1, S1>& b) { \
    return kml_ap::as_ai(a) OP b;                                 \
  }
KML_AI_MIXED(*)
KML_AI_MIXED(+)
KML_AI_MIXED(-)
KML_AI_MIXED(/)
KML_AI_MIXED(%)
KML_AI_MIXED(&)
KML_AI_MIXED(|)
KML_AI_MIXED(^)
#undef KML_AI_MIXED

// ---- ap_int op float/double: C arithmetic on the integer value (as the vendor's) ----
#define KML_AI_FLOAT(OP, FT)                                     \
  template <int W1, bool S1>                                     \
  constexpr FT operator OP(const ap_int_base<W1, S1>& a, FT b) { \
    return FT(typename ap_int_base<W1, S1>::RetType(a.V)) OP b;  \
  }                                                              \
  template <int W1, bool S1>                                     \
  constexpr FT operator OP(FT a, const ap_int_base<W1, S1>& b) { \
    return a OP FT(typename ap_int_base<W1, S1>::RetType(b.V));  \
  }
KML_AI_FLOAT(*, double)
KML_AI_FLOAT(/, double)
KML_AI_FLOAT(+, double)
KML_AI_FLOAT(-, double)
KML_AI_FLOAT(*, float)
KML_AI_FLOAT(/, float)
KML_AI_FLOAT(+, float)
KML_AI_FLOAT(-, float)
#undef KML_AI_FLOAT

// ---- ap_int comparisons (the vendor's, see kml_ap::vcmp_traits) ----
#define KML_AI_CMP(OP, FN)                                                                 \
  template <int W1, bool S1, int W2, bool S2>                                              \
  constexpr bool operator OP(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) { \
    return kml_ap::FN<W1, S1, 0, W2, S2, 0>(a.V, b.V);                                     \
  }                                                                                        \
  template <int W1, bool S1, class T, kml_ap::if_int_t<T> = 0>                             \
  constexpr bool operator OP(const ap_int_base<W1, S1>& a, T b) {                          \
    return kml_ap::FN<W1, S1, 0, kml_ap::cbits_v<T>, kml_ap::csgn_v<T>, 0>(a.V, b);        \
  }                                                                                        \
  template <int W1, bool S1, class T, kml_ap::if_int_t<T> = 0>                             \
  constexpr bool operator OP(T a, const ap_int_base<W1, S1>& b) {                          \
    return kml_ap::FN<kml_ap::cbits_v<T>, kml_ap::csgn_v<T>, 0, W1, S1, 0>(a, b.V);        \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  constexpr bool operator OP(const ap_int_base<W1, S1>& a, double b) {                     \
    return a.to_double() OP b;                                                             \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  constexpr bool operator OP(double a, const ap_int_base<W1, S1>& b) {                     \
    return a OP b.to_double();                                                             \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  constexpr bool operator OP(const ap_int_base<W1, S1>& a, float b) {                      \
    return a.to_double() OP double(b);                                                     \
  }                                                                                        \
  template <int W1, bool S1>                                                               \
  constexpr bool operator OP(float a, const ap_int_base<W1, S1>& b) {                      \
    return double(a) OP b.to_double();                                                     \
  }
KML_AI_CMP(==, cmp_eq)
KML_AI_CMP(!=, cmp_ne)
KML_AI_CMP(<, cmp_lt)
KML_AI_CMP(<=, cmp_le)
KML_AI_CMP(>, cmp_gt)
KML_AI_CMP(>=, cmp_ge)
#undef KML_AI_CMP

#undef KML_FXP
#undef KML_FXT
#undef KML_FXRT
#undef KML_AIRT
#undef KML_AP_BIT_MEMBERS

// ---- streams ----
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline std::ostream& operator<<(std::ostream& os, const ap_fixed_base<W, I, S, Q, O, N>& x) {
  return os << x.to_double();
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline std::istream& operator>>(std::istream& is, ap_fixed_base<W, I, S, Q, O, N>& x) {
  double d = 0;
  if (is >> d) x = ap_fixed_base<W, I, S, Q, O, N>(d);
  return is;
}
template <int W, bool S>
inline std::ostream& operator<<(std::ostream& os, const ap_int_base<W, S>& x) {
  if constexpr (W <= 64) {
    return os << typename ap_int_base<W, S>::RetType(x.V);
  } else {
    if (x.sign()) return os << '-' << kml_ap::u128_str(kml_ap::u128(0) - kml_ap::u128(x.V));
    return os << kml_ap::u128_str(kml_ap::u128(x.V));
  }
}
template <int W, bool S>
inline std::istream& operator>>(std::istream& is, ap_int_base<W, S>& x) {
  typename ap_int_base<W, S>::RetType v = 0;
  if (is >> v) x = ap_int_base<W, S>(v);
  return is;
}

#endif  // KML_AP_COMMON_H
