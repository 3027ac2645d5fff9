// Differential test of the host fast path of Dense / Conv (kml/fast_mac.h: 16-bit SIMD lanes) against the
// generic kernels (dense_row, conv2d_pixel_latency), bit for bit, at the boundary widths and modes: 15/16-bit
// signed and unsigned inputs, weights and accumulators (17 bits: generic), product casts that are exact, a left
// shift, a floor shift below, at and past 16 bits, wrapping and saturating accumulators (saturation provably
// unreachable: fast; reachable: generic), raw extremes (-2^15) included.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "kml/conv.h"
#include "kml/dense.h"

namespace {

template <class X, class WT, class A, class R, unsigned NI, unsigned NO, unsigned ROWS = 1>
struct DenseCfg : kml::dense_config {
  static const unsigned n_in = NI, n_out = NO, n_rows = ROWS;
  typedef A accum_t;
  typedef WT weight_t;
  typedef WT bias_t;
};

// A value of T from random raw bits; one in 8 is an extreme (min, max) and one in 4 a zero.
template <class T>
T random_fx(std::mt19937& rng, bool small = false) {
  typedef kml::fast::fx<T> F;
  const unsigned k = rng() % 8;
  int64_t raw;
  if (k == 0)
    raw = F::rmin;
  else if (k == 1)
    raw = F::rmax;
  else if (k == 2 || k == 3)
    raw = 0;
  else
    raw = F::rmin + int64_t(rng() % uint64_t(F::rmax - F::rmin + 1));
  if (small) raw /= 64;
  return T::bitsToFixed((unsigned long long)raw);
}

template <class CFG, class X, class R>
void check_dense(bool expect_fast, bool small_weights = false, int reps = 20) {
  typedef typename CFG::weight_t WT;
  REQUIRE(kml::fast::plan<X, WT, typename CFG::accum_t>::value == expect_fast);
  std::mt19937 rng(CFG::n_in * 131 + CFG::n_out);
  std::vector<WT> w(CFG::n_in * CFG::n_out), b(CFG::n_out);
  for (auto& v : w) v = random_fx<WT>(rng, small_weights);
  for (auto& v : b) v = random_fx<WT>(rng, small_weights);
  if (expect_fast) {
    kml::fast::layout<X, WT, WT, typename CFG::accum_t, CFG::n_in, CFG::n_out> lay(w.data(), b.data());
    CHECK(lay.ok == (kml::fast::fx<typename CFG::accum_t>::wrap || small_weights));
  }
  for (int rep = 0; rep < reps; rep++) {
    std::vector<X> x(CFG::n_rows * CFG::n_in);
    for (auto& v : x) v = random_fx<X>(rng);
    std::vector<R> fast(CFG::n_rows * CFG::n_out), ref(CFG::n_rows * CFG::n_out);
    kml::dense<X, R, CFG>(x.data(), fast.data(), w.data(), b.data());
    for (unsigned r = 0; r < CFG::n_rows; r++)
      kml::dense_row<X, R, CFG>(&x[r * CFG::n_in], &ref[r * CFG::n_out], w.data(), b.data());
    for (unsigned j = 0; j < fast.size(); j++) REQUIRE(fast[j].V == ref[j].V);
  }
}

}  // namespace

TEST_CASE("fast Dense path is bit-identical to the generic kernel at boundary widths", "[fast_mac]") {
  typedef ap_fixed<16, 6> f16;
  // hls4ml's default: floor shift by 10 of the exact product, wrap to 16 bits; several tiles, padded columns.
  check_dense<DenseCfg<f16, f16, f16, f16, 37, 70, 3>, f16, f16>(true);
  check_dense<DenseCfg<f16, f16, f16, f16, 200, 200>, f16, f16>(true, false, 4);
  check_dense<DenseCfg<f16, f16, f16, f16, 5, 1>, f16, f16>(true);
  // unsigned 15-bit inputs, 8-bit weights, result narrower than the accumulator
  check_dense<DenseCfg<ap_ufixed<15, 5>, ap_fixed<8, 2>, ap_fixed<16, 8>, ap_fixed<8, 3>, 29, 17>, ap_ufixed<15, 5>,
              ap_fixed<8, 3>>(true);
  // unsigned 16-bit inputs do not fit signed 16-bit lanes: generic
  check_dense<DenseCfg<ap_ufixed<16, 6>, f16, f16, f16, 9, 9>, ap_ufixed<16, 6>, f16>(false);
  // unsigned accumulator of 16 bits, wrapping
  check_dense<DenseCfg<ap_ufixed<12, 4>, ap_ufixed<12, 2>, ap_ufixed<16, 6>, ap_ufixed<16, 6>, 19, 23>,
              ap_ufixed<12, 4>, ap_ufixed<16, 6>>(true);
  // 17-bit accumulator: generic
  check_dense<DenseCfg<f16, f16, ap_fixed<17, 7>, f16, 9, 9>, f16, f16>(false);
  // shift exactly 16 (weights of 16 fraction bits), and past it (20)
  check_dense<DenseCfg<f16, ap_fixed<16, 0>, f16, f16, 33, 12>, f16, f16>(true);
  check_dense<DenseCfg<f16, ap_fixed<16, -4>, f16, f16, 33, 12>, f16, f16>(true);
  // shift 15 and 1
  check_dense<DenseCfg<f16, ap_fixed<16, 1>, f16, f16, 33, 12>, f16, f16>(true);
  check_dense<DenseCfg<ap_fixed<8, 4>, ap_fixed<8, 3>, ap_fixed<16, 7>, f16, 33, 12>, ap_fixed<8, 4>, f16>(true);
  // exact products (shift 0) and a left shift of 2, 16-bit wrapping accumulators
  check_dense<DenseCfg<ap_fixed<8, 4>, ap_fixed<8, 4>, ap_fixed<16, 8>, f16, 40, 9>, ap_fixed<8, 4>, f16>(true);
  check_dense<DenseCfg<ap_fixed<8, 4>, ap_fixed<8, 2>, ap_fixed<16, 4>, f16, 40, 9>, ap_fixed<8, 4>, f16>(true);
  // rounding product cast: generic
  check_dense<DenseCfg<f16, f16, ap_fixed<16, 6, AP_RND>, f16, 9, 9>, f16, f16>(false);
  // saturating accumulator: products always fit; fast only when the weights bound every partial sum
  typedef ap_fixed<16, 6, AP_TRN, AP_SAT> f16s;
  check_dense<DenseCfg<ap_fixed<8, 4>, ap_fixed<8, 2>, f16s, f16, 40, 9>, ap_fixed<8, 4>, f16>(true, true);
  check_dense<DenseCfg<ap_fixed<8, 4>, ap_fixed<8, 2>, f16s, f16, 400, 9>, ap_fixed<8, 4>, f16>(true, false);
  // saturating product cast that can overflow: generic
  check_dense<DenseCfg<f16, f16, f16s, f16, 9, 9>, f16, f16>(false);
  // wrapping with saturation bits: generic
  check_dense<DenseCfg<f16, f16, ap_fixed<16, 6, AP_TRN, AP_WRAP, 2>, f16, 9, 9>, f16, f16>(false);
}

namespace {
template <unsigned IH, unsigned IW, unsigned C, unsigned OH, unsigned OW, unsigned F, unsigned KH, unsigned KW,
          unsigned S, unsigned PT, unsigned PL, class A>
struct FConvCfg : kml::conv_config {
  static const unsigned in_h = IH, in_w = IW, n_chan = C, out_h = OH, out_w = OW, n_filt = F;
  static const unsigned filt_h = KH, filt_w = KW, stride_h = S, stride_w = S;
  static const unsigned pad_top = PT, pad_left = PL;
  typedef A accum_t;
  typedef ap_fixed<16, 6> weight_t;
  typedef ap_fixed<16, 6> bias_t;
};

template <class CFG>
void check_conv() {
  typedef ap_fixed<16, 6> T;
  std::mt19937 rng(7);
  std::vector<T> x(CFG::in_h * CFG::in_w * CFG::n_chan), w(kml::conv_kernel<CFG>::size), b(CFG::n_filt);
  for (auto& v : w) v = random_fx<T>(rng);
  for (auto& v : b) v = random_fx<T>(rng);
  for (int rep = 0; rep < 5; rep++) {
    for (auto& v : x) v = random_fx<T>(rng);
    std::vector<T> fast(CFG::out_h * CFG::out_w * CFG::n_filt), ref(fast.size());
    kml::conv2d<T, T, CFG>(x.data(), fast.data(), w.data(), b.data());
    for (unsigned oh = 0; oh < CFG::out_h; oh++)
      for (unsigned ow = 0; ow < CFG::out_w; ow++)
        kml::conv2d_pixel_latency<T, T, CFG, CFG::in_h>(x.data(), oh, ow, &ref[(oh * CFG::out_w + ow) * CFG::n_filt],
                                                        w.data(), b.data());
    for (unsigned j = 0; j < fast.size(); j++) REQUIRE(fast[j].V == ref[j].V);
  }
}
}  // namespace

TEST_CASE("fast Conv2D path is bit-identical to the generic kernel, padding included", "[fast_mac]") {
  typedef ap_fixed<16, 6> f16;
  STATIC_REQUIRE(kml::fast::plan<f16, f16, f16>::value);
  check_conv<FConvCfg<6, 7, 3, 6, 7, 5, 3, 3, 1, 1, 1, f16>>();      // 'same' padding, 5 filters
  check_conv<FConvCfg<9, 8, 4, 4, 3, 33, 3, 3, 2, 0, 0, f16>>();     // strided, 33 filters (two tiles)
  check_conv<FConvCfg<5, 5, 2, 5, 5, 8, 3, 3, 1, 1, 1, ap_fixed<17, 7>>>();  // generic accumulator
}
