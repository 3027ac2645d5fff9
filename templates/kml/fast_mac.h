// Host-only fast path of the fixed-point Dense / Conv multiply-accumulate (kml's own ap_ types, never for
// synthesis nor with the vendor's headers: dense.h and conv.h include this file only when KML_AP_RUNTIME is
// defined and __SYNTHESIS__ is not).
//
// The generic kernels compute acc = bias; acc += accum_t(x * w) for each product, in accum_t. This file computes
// the same bits with the raw integers in 16-bit SIMD lanes when that is provably identical:
//   * data, weight and accumulator raw values fit 16 bits (ap_[u]fixed, accum width <= 16);
//   * the per-product cast to accum_t is exact or a shift: with s = frac(x) + frac(w) - frac(accum), s <= 0 is a
//     left shift, s > 0 needs AP_TRN (floor, an arithmetic shift right). With the 32-bit product p = hi * 2^16
//     + lo (hi = pmulhw, lo = pmullw unsigned), floor(p / 2^s) = hi * 2^(16-s) + (lo >> s) for 0 < s <= 16 and
//     floor(hi / 2^(s-16)) for s >= 16; the sums of both parts are kept modulo 2^16 and combined once per output;
//   * the product cast and the accumulation either wrap (AP_WRAP, no saturation bits: everything is exact modulo
//     2^16, hence modulo 2^W of accum_t), or cannot overflow: the product cast by its ranges at compile time, the
//     accumulation by bounding every partial sum from the actual weights, once, when they are laid out.
// The bias cast (bias_t -> accum_t) and the result cast (accum_t -> res_T) use the real types, once per output.
// Anything else (float, wider types, rounding product casts, saturation that could trigger) keeps the generic
// path. Weights are laid out once per layer at first use (thread-safe static), in tiles of output columns.
#ifndef KML_FAST_MAC_H_
#define KML_FAST_MAC_H_

#include <cstdint>
#include <cstring>

#include "ap_fixed.h"
#include "kml/common.h"

#if defined(__AVX2__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kml {
namespace fast {
// Everything here has internal linkage: each model's translation unit keeps its own per-layer weight layouts
// (the layer configs of two models linked into one program may share a name), and libraries built for
// different CPUs (KML_EMULATION_ARCH) never share an instantiation.
namespace {

template <class T>
struct fx {
  static constexpr bool ok = false;
  static constexpr int W = 0, F = 0;
  static constexpr bool S = false, lane16 = false, wrap = false;
  static constexpr ap_q_mode Q = AP_TRN;
  static constexpr int64_t rmin = 0, rmax = 0;
};
template <int W_, int I_, bool S_, ap_q_mode Q_, ap_o_mode O_, int N_>
struct fx<ap_fixed_base<W_, I_, S_, Q_, O_, N_>> {
  static constexpr bool ok = true;
  static constexpr int W = W_, F = W_ - I_;
  static constexpr bool S = S_;
  static constexpr ap_q_mode Q = Q_;
  static constexpr bool lane16 = S_ ? W_ <= 16 : W_ <= 15;
  static constexpr bool wrap = O_ == AP_WRAP && N_ == 0;
  // Raw range (only used for W <= 16, kept finite for any W).
  static constexpr int Wr = W_ < 32 ? W_ : 32;
  static constexpr int64_t rmin = S_ ? -(int64_t(1) << (Wr - 1)) : 0;
  static constexpr int64_t rmax = S_ ? (int64_t(1) << (Wr - 1)) - 1 : (int64_t(1) << Wr) - 1;
};

constexpr int64_t fmin2(int64_t a, int64_t b) { return a < b ? a : b; }
constexpr int64_t fmax2(int64_t a, int64_t b) { return a > b ? a : b; }
// floor(p / 2^s) for s > 0, p * 2^-s for s <= 0 (exact integers, |p| < 2^31, -s < 32).
constexpr int64_t cast_shift(int64_t p, int s) {
  return s > 0 ? (s >= 62 ? (p < 0 ? -1 : 0) : (p >= 0 ? p >> s : -((-p + (int64_t(1) << s) - 1) >> s)))
               : p * (int64_t(1) << (-s));
}

// Compile-time plan of one layer's arithmetic.
template <class data_T, class weight_t, class accum_t>
struct plan {
  using X = fx<data_T>;
  using Wt = fx<weight_t>;
  using A = fx<accum_t>;
  static constexpr bool types = X::ok && Wt::ok && A::ok && X::lane16 && Wt::lane16 && A::W <= 16;
  static constexpr int s = X::F + Wt::F - A::F;
  static constexpr bool quant = s <= 0 ? (-s < 16) : A::Q == AP_TRN;
  // Range of one product after the cast (corners of the raw ranges), and whether it always fits accum_t.
  static constexpr int64_t c0 = cast_shift(X::rmin * Wt::rmin, s), c1 = cast_shift(X::rmin * Wt::rmax, s);
  static constexpr int64_t c2 = cast_shift(X::rmax * Wt::rmin, s), c3 = cast_shift(X::rmax * Wt::rmax, s);
  static constexpr int64_t pmin = fmin2(fmin2(c0, c1), fmin2(c2, c3)), pmax = fmax2(fmax2(c0, c1), fmax2(c2, c3));
  static constexpr bool prod_fits = types && pmin >= A::rmin && pmax <= A::rmax;
  // Eligible at compile time; a saturating accumulation still needs the check on the weights (layout::ok).
  static constexpr bool value = types && quant && (A::wrap || prod_fits);
  static constexpr int mode = s <= 0 ? 0 : (s < 16 ? 1 : 2);
};

#if defined(__AVX2__)
struct vec {
  typedef __m256i v;
  static constexpr unsigned lanes = 16;
  static v zero() { return _mm256_setzero_si256(); }
  static v set1(int16_t x) { return _mm256_set1_epi16(x); }
  static v load(const int16_t* p) { return _mm256_load_si256(reinterpret_cast<const __m256i*>(p)); }
  static void store(int16_t* p, v a) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), a); }
  static v add(v a, v b) { return _mm256_add_epi16(a, b); }
  static v mullo(v a, v b) { return _mm256_mullo_epi16(a, b); }
  static v mulhi(v a, v b) { return _mm256_mulhi_epi16(a, b); }
  static v srl(v a, int n) { return _mm256_srl_epi16(a, _mm_cvtsi32_si128(n)); }
  static v sra(v a, int n) { return _mm256_sra_epi16(a, _mm_cvtsi32_si128(n)); }
};
#elif defined(__SSE2__)
struct vec {
  typedef __m128i v;
  static constexpr unsigned lanes = 8;
  static v zero() { return _mm_setzero_si128(); }
  static v set1(int16_t x) { return _mm_set1_epi16(x); }
  static v load(const int16_t* p) { return _mm_load_si128(reinterpret_cast<const __m128i*>(p)); }
  static void store(int16_t* p, v a) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), a); }
  static v add(v a, v b) { return _mm_add_epi16(a, b); }
  static v mullo(v a, v b) { return _mm_mullo_epi16(a, b); }
  static v mulhi(v a, v b) { return _mm_mulhi_epi16(a, b); }
  static v srl(v a, int n) { return _mm_srl_epi16(a, _mm_cvtsi32_si128(n)); }
  static v sra(v a, int n) { return _mm_sra_epi16(a, _mm_cvtsi32_si128(n)); }
};
#else
struct vec {  // portable scalar fallback, 8 lanes
  struct v {
    int16_t e[8];
  };
  static constexpr unsigned lanes = 8;
  static v zero() { return v{}; }
  static v set1(int16_t x) {
    v r;
    for (int k = 0; k < 8; k++) r.e[k] = x;
    return r;
  }
  static v load(const int16_t* p) {
    v r;
    std::memcpy(r.e, p, sizeof r.e);
    return r;
  }
  static void store(int16_t* p, v a) { std::memcpy(p, a.e, sizeof a.e); }
  static v add(v a, v b) {
    for (int k = 0; k < 8; k++) a.e[k] = int16_t(uint16_t(a.e[k]) + uint16_t(b.e[k]));
    return a;
  }
  static v mullo(v a, v b) {
    for (int k = 0; k < 8; k++) a.e[k] = int16_t(uint16_t(int32_t(a.e[k]) * b.e[k]));
    return a;
  }
  static v mulhi(v a, v b) {
    for (int k = 0; k < 8; k++) a.e[k] = int16_t((int32_t(a.e[k]) * b.e[k]) >> 16);
    return a;
  }
  static v srl(v a, int n) {
    for (int k = 0; k < 8; k++) a.e[k] = int16_t(uint16_t(a.e[k]) >> n);
    return a;
  }
  static v sra(v a, int n) {
    for (int k = 0; k < 8; k++) a.e[k] = int16_t(a.e[k] >> n);
    return a;
  }
};
#endif

// Weights of one layer, (N_IN, N_OUT) row-major, as raw int16 in tiles of TILE output columns: tile t holds
// rows i = 0..N_IN-1 of columns [t * TILE, t * TILE + TILE) (zeros past N_OUT), so that the kernel streams them.
template <class data_T, class weight_t, class bias_t, class accum_t, unsigned N_IN, unsigned N_OUT>
struct layout {
  typedef plan<data_T, weight_t, accum_t> P;
  static constexpr unsigned VL = vec::lanes;
  static constexpr unsigned NV = (N_OUT + VL - 1) / VL < 4 ? (N_OUT + VL - 1) / VL : 4;  // vectors per tile
  static constexpr unsigned TILE = NV * VL;
  static constexpr unsigned n_tiles = (N_OUT + TILE - 1) / TILE;
  const weight_t* wsrc;
  const bias_t* bsrc;
  bool ok;
  alignas(64) int16_t w[n_tiles * N_IN * TILE];  // the layout object is a static: no stack, no heap
  int16_t bias_raw[N_OUT];  // accum_t(bias) raw, modulo 2^16

  layout(const weight_t* weights, const bias_t* biases) : wsrc(weights), bsrc(biases), ok(true) {
    for (unsigned t = 0; t < n_tiles; t++)
      for (unsigned i = 0; i < N_IN; i++)
        for (unsigned l = 0; l < TILE; l++) {
          const unsigned j = t * TILE + l;
          w[(std::size_t(t) * N_IN + i) * TILE + l] = j < N_OUT ? int16_t(weights[i * N_OUT + j].V) : int16_t(0);
        }
    for (unsigned j = 0; j < N_OUT; j++) bias_raw[j] = int16_t(uint16_t(accum_t(biases[j]).V));
    if (!P::A::wrap) {
      // Saturating accumulator: fast only if no partial sum can leave accum_t's range.
      typedef typename P::X X;
      for (unsigned j = 0; j < N_OUT && ok; j++) {
        const int64_t b = int64_t(accum_t(biases[j]).V);
        int64_t lo = b, hi = b;
        for (unsigned i = 0; i < N_IN; i++) {
          const int64_t wr = int64_t(weights[i * N_OUT + j].V);
          const int64_t p0 = cast_shift(X::rmin * wr, P::s), p1 = cast_shift(X::rmax * wr, P::s);
          lo += fmin2(0, fmin2(p0, p1));
          hi += fmax2(0, fmax2(p0, p1));
        }
        ok = lo >= P::A::rmin && hi <= P::A::rmax;
      }
    }
  }
  bool usable(const weight_t* weights, const bias_t* biases) const {
    return ok && weights == wsrc && biases == bsrc;
  }

  // res[j] = the generic kernel's result, from nz nonzero inputs (idx[k], raw value xr[k]).
  template <class res_T>
  void run(const unsigned* idx, const int16_t* xr, unsigned nz, res_T* res) const {
    alignas(64) int16_t hs[TILE], ls[TILE];
    for (unsigned t = 0; t < n_tiles; t++) {
      const int16_t* wt = w + std::size_t(t) * N_IN * TILE;
      typename vec::v ah[NV], al[NV];
      for (unsigned v = 0; v < NV; v++) ah[v] = al[v] = vec::zero();
      for (unsigned k = 0; k < nz; k++) {
        const typename vec::v xb = vec::set1(xr[k]);
        const int16_t* wr = wt + std::size_t(idx[k]) * TILE;
        for (unsigned v = 0; v < NV; v++) {
          const typename vec::v wv = vec::load(wr + v * VL);
          if (P::mode == 0) {
            al[v] = vec::add(al[v], vec::mullo(xb, wv));
          } else if (P::mode == 1) {
            ah[v] = vec::add(ah[v], vec::mulhi(xb, wv));
            al[v] = vec::add(al[v], vec::srl(vec::mullo(xb, wv), P::s));
          } else {
            ah[v] = vec::add(ah[v], vec::sra(vec::mulhi(xb, wv), P::s - 16 < 15 ? P::s - 16 : 15));
          }
        }
      }
      for (unsigned v = 0; v < NV; v++) {
        vec::store(hs + v * VL, ah[v]);
        vec::store(ls + v * VL, al[v]);
      }
      const unsigned jn = N_OUT - t * TILE < TILE ? N_OUT - t * TILE : TILE;
      for (unsigned l = 0; l < jn; l++) {
        uint32_t sum;
        if (P::mode == 0)
          sum = uint32_t(uint16_t(ls[l])) << (P::s <= 0 ? -P::s : 0);
        else if (P::mode == 1)
          sum = (uint32_t(uint16_t(hs[l])) << (P::s > 0 && P::s < 16 ? 16 - P::s : 0)) + uint16_t(ls[l]);
        else
          sum = uint16_t(hs[l]);
        const unsigned j = t * TILE + l;
        sum += uint16_t(bias_raw[j]);
        res[j] = accum_t::bitsToFixed((unsigned long long)(sum & 0xFFFFu));
      }
    }
  }
};

// One row of Dense: true when the fast path computed it.
template <class data_T, class res_T, typename CONFIG_T>
inline bool dense_rows(const data_T* data, res_T* res, const typename CONFIG_T::weight_t* weights,
                       const typename CONFIG_T::bias_t* biases, unsigned n_rows) {
  typedef layout<data_T, typename CONFIG_T::weight_t, typename CONFIG_T::bias_t, typename CONFIG_T::accum_t,
                 CONFIG_T::n_in, CONFIG_T::n_out>
      L;
  static const L lay(weights, biases);
  if (!lay.usable(weights, biases)) return false;
  unsigned idx[CONFIG_T::n_in];
  int16_t xr[CONFIG_T::n_in];
  for (unsigned r = 0; r < n_rows; r++) {
    const data_T* x = data + r * CONFIG_T::n_in;
    unsigned nz = 0;
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
      idx[nz] = i;
      xr[nz] = int16_t(x[i].V);
      nz += x[i].V != 0;
    }
    lay.run(idx, xr, nz, res + r * CONFIG_T::n_out);
  }
  return true;
}

// One output pixel of conv2d (groups = 1): its im2col window times the (K, n_filt) kernel.
template <class data_T, class res_T, typename CONFIG_T, unsigned ROWS, unsigned K>
inline bool conv_pixel(const data_T* src, unsigned oh, unsigned ow, res_T* out,
                       const typename CONFIG_T::weight_t* weights, const typename CONFIG_T::bias_t* biases) {
  typedef layout<data_T, typename CONFIG_T::weight_t, typename CONFIG_T::bias_t, typename CONFIG_T::accum_t, K,
                 CONFIG_T::n_filt>
      L;
  static const L lay(weights, biases);
  if (!lay.usable(weights, biases)) return false;
  unsigned idx[K];
  int16_t xr[K];
  unsigned nz = 0;
  for (unsigned kh = 0; kh < CONFIG_T::filt_h; kh++) {
    const int ih = int(oh * CONFIG_T::stride_h + kh * CONFIG_T::dilation_h) - int(CONFIG_T::pad_top);
    if (ih < 0 || ih >= int(CONFIG_T::in_h)) continue;
    for (unsigned kw = 0; kw < CONFIG_T::filt_w; kw++) {
      const int iw = int(ow * CONFIG_T::stride_w + kw * CONFIG_T::dilation_w) - int(CONFIG_T::pad_left);
      if (iw < 0 || iw >= int(CONFIG_T::in_w)) continue;
      const data_T* x = &src[kept_pixel<ROWS, CONFIG_T>(unsigned(ih), unsigned(iw))];
      const unsigned base = (kh * CONFIG_T::filt_w + kw) * CONFIG_T::n_chan;
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
        idx[nz] = base + c;
        xr[nz] = int16_t(x[c].V);
        nz += x[c].V != 0;
      }
    }
  }
  lay.run(idx, xr, nz, out);
  return true;
}

}  // namespace
}  // namespace fast
}  // namespace kml

#endif
