// Resource-strategy convolution (kml/conv.h conv2d_pixel_resource on dense_resource.h's matvec_resource): for
// every reuse factor dividing K * n_filt, conv2d (io_parallel) and conv2d_stream (io_stream) with strategy
// Resource must equal the Latency conv2d bit for bit, in fixed point (a narrow saturating accumulator makes
// the order of the additions observable) and in float (compared bit pattern by bit pattern, signed zeros
// included). Small hand-made geometries: 'same' padding, strides, dilation, groups, depthwise with a depth
// multiplier, 1D, 1x1.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <type_traits>
#include <vector>

#include "ir/graph.h"
#include "kml/conv.h"
#include "kml/stream.h"
#include "stream_test_util.h"
#include "passes/reuse.h"

namespace {

using kml_test::push;

typedef ap_fixed<10, 3> x_t;
typedef ap_fixed<8, 1> w_t;
typedef ap_fixed<12, 4, AP_RND, AP_SAT> acc_t;  // narrow and saturating: the order of additions matters
typedef ap_fixed<12, 4> y_t;

// Geometry of a test convolution.
template <unsigned IH, unsigned IW, unsigned C, unsigned OH, unsigned OW, unsigned F, unsigned KH,
          unsigned KW, unsigned SH, unsigned SW, unsigned DH, unsigned DW, unsigned PT, unsigned PL,
          unsigned G>
struct Geom : kml::conv_config {
  static constexpr unsigned in_h = IH, in_w = IW, n_chan = C, out_h = OH, out_w = OW, n_filt = F;
  static constexpr unsigned filt_h = KH, filt_w = KW, stride_h = SH, stride_w = SW, dilation_h = DH,
                        dilation_w = DW;
  static constexpr unsigned pad_top = PT, pad_left = PL, groups = G;
  static constexpr unsigned n_total = KH * KW * (C / G) * F;  // K * n_filt
};

template <class GEOM, unsigned RF, bool RES, class A, class W>
struct Cfg : GEOM {
  static constexpr unsigned reuse_factor = RF;
  static constexpr bool resource = RES;
  typedef A accum_t;
  typedef W weight_t;
  typedef W bias_t;
};

// Same value (fixed point), same bit pattern (float: -0.0 and +0.0 differ).
template <class T>
typename std::enable_if<!kml::is_float<T>::value, bool>::type same_bits(const T& a, const T& b) {
  return a == b;
}
template <class T>
typename std::enable_if<kml::is_float<T>::value, bool>::type same_bits(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// One model: input, weights, biases and its Latency output.
template <class GEOM, class D, class W, class A, class Y>
struct Case {
  static const unsigned NX = GEOM::in_h * GEOM::in_w * GEOM::n_chan;
  static const unsigned NY = GEOM::out_h * GEOM::out_w * GEOM::n_filt;
  std::vector<D> x;
  std::vector<W> w, b;
  std::vector<Y> y_lat;
  Case(std::mt19937& rng) : x(NX), w(GEOM::n_total), b(GEOM::n_filt), y_lat(NY) {
    std::normal_distribution<double> nd(0, 1.2);
    for (auto& v : x) v = D(nd(rng));
    for (auto& v : w) v = W(nd(rng) * 0.4);
    for (auto& v : b) v = W(nd(rng) * 0.2);
    run_latency();
  }
  void run_latency() {
    kml::conv2d<D, Y, Cfg<GEOM, 1, false, A, W>>(x.data(), y_lat.data(), w.data(), b.data());
  }
};

// Resource at reuse factor RF against Latency: conv2d, conv2d_stream, and the Resource pixel step itself (so
// that a dispatch silently falling back to Latency would not pass unnoticed).
template <class GEOM, unsigned RF, class D, class W, class A, class Y>
void check_rf(const Case<GEOM, D, W, A, Y>& k) {
  typedef Cfg<GEOM, RF, true, A, W> R;
  const unsigned NY = Case<GEOM, D, W, A, Y>::NY;
  INFO("reuse factor " << RF << ", K x n_filt = " << GEOM::n_total);
  std::vector<Y> y(NY);
  kml::conv2d<D, Y, R>(k.x.data(), y.data(), k.w.data(), k.b.data());
  for (unsigned i = 0; i < NY; ++i) REQUIRE(same_bits(y[i], k.y_lat[i]));

  std::vector<Y> yp(NY);
  for (unsigned oh = 0; oh < GEOM::out_h; ++oh)
    for (unsigned ow = 0; ow < GEOM::out_w; ++ow)
      kml::conv2d_pixel_resource<D, Y, R, GEOM::in_h>(
          k.x.data(), oh, ow, &yp[(oh * GEOM::out_w + ow) * GEOM::n_filt], k.w.data(), k.b.data());
  for (unsigned i = 0; i < NY; ++i) REQUIRE(same_bits(yp[i], k.y_lat[i]));

  typedef kml::vec<D, GEOM::n_chan> VI;
  typedef kml::vec<Y, GEOM::n_filt> VO;
  hls::stream<VI> in;
  hls::stream<VO> out;
  push(in, k.x.data(), GEOM::in_h * GEOM::in_w);
  kml::conv2d_stream<VI, VO, R>(in, out, k.w.data(), k.b.data());
  CHECK(in.empty());
  for (unsigned p = 0; p < GEOM::out_h * GEOM::out_w; ++p) {
    REQUIRE_FALSE(out.empty());
    VO v = out.read();
    for (unsigned f = 0; f < GEOM::n_filt; ++f) REQUIRE(same_bits(v[f], k.y_lat[p * GEOM::n_filt + f]));
  }
  CHECK(out.empty());
}

// Every reuse factor RF..N_TOTAL that divides N_TOTAL (hls4ml's valid ones among them).
template <class GEOM, unsigned RF, unsigned N_TOTAL, bool DIVIDES = (N_TOTAL % RF == 0)>
struct EachRf {
  template <class K>
  static void run(const K& k, unsigned& n) {
    check_rf<GEOM, RF>(k);
    ++n;
    EachRf<GEOM, RF + 1, N_TOTAL>::run(k, n);
  }
};
template <class GEOM, unsigned RF, unsigned N_TOTAL>
struct EachRf<GEOM, RF, N_TOTAL, false> {
  template <class K>
  static void run(const K& k, unsigned& n) {
    EachRf<GEOM, RF + 1, N_TOTAL>::run(k, n);
  }
};
template <class GEOM, unsigned N_TOTAL>
struct EachRf<GEOM, N_TOTAL, N_TOTAL, true> {
  template <class K>
  static void run(const K& k, unsigned& n) {
    check_rf<GEOM, N_TOTAL>(k);
    ++n;
  }
};

template <class GEOM>
void check_geometry(std::mt19937& rng) {
  unsigned n = 0;
  for (int rep = 0; rep < 3; ++rep) {
    Case<GEOM, x_t, w_t, acc_t, y_t> fixed(rng);
    EachRf<GEOM, 2, GEOM::n_total>::run(fixed, n);
    Case<GEOM, float, float, float, float> flt(rng);
    EachRf<GEOM, 2, GEOM::n_total>::run(flt, n);
  }
  CHECK(n > 0);
}

// 'same' 3x3 over 5x4x3, 4 filters (padding on every side).
typedef Geom<5, 4, 3, 5, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1> Same3x3;
// Strided, dilated, 2 groups, top/left padding: 9x8x4 -> 5x3x6, kernel 3x2, stride (2, 3), dilation (1, 2).
typedef Geom<9, 8, 4, 5, 3, 6, 3, 2, 2, 3, 1, 2, 1, 1, 2> StridedGrouped;
// Depthwise 3x3, depth multiplier 2 ('same'): groups = channels = 3, 6 filters.
typedef Geom<4, 5, 3, 4, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3> Depthwise;
// Conv1D, kernel 4, stride 2, 'same'-like padding of 1: 1x10x2 -> 1x5x3.
typedef Geom<1, 10, 2, 1, 5, 3, 1, 4, 1, 2, 1, 1, 0, 1, 1> Conv1dStrided;
// Pointwise (the 1x1 half of SeparableConv).
typedef Geom<3, 3, 4, 3, 3, 4, 1, 1, 1, 1, 1, 1, 0, 0, 1> Pointwise;

}  // namespace

TEST_CASE("Resource conv2d equals Latency conv2d bit for bit at every reuse factor",
          "[conv][strategies][resource]") {
  std::mt19937 rng(23);
  // The hls4ml-valid factors (passes/reuse.h) are among those exercised, e.g. for 'same' 3x3 (K = 27, 4
  // filters):
  CHECK(kml::passes::valid_reuse_factors(27, 4) == std::vector<std::size_t>{1, 3, 9, 27, 54, 108});
  SECTION("'same' 3x3") { check_geometry<Same3x3>(rng); }
  SECTION("strided, dilated, grouped, padded") { check_geometry<StridedGrouped>(rng); }
  SECTION("depthwise with depth multiplier 2") { check_geometry<Depthwise>(rng); }
  SECTION("Conv1D strided, padded") { check_geometry<Conv1dStrided>(rng); }
  SECTION("pointwise 1x1") { check_geometry<Pointwise>(rng); }
}

TEST_CASE("Resource conv2d in float keeps signed zeros at padded pixels", "[conv][strategies][resource]") {
  // Latency skips padded positions: a -0.0 bias plus -0.0 products stays -0.0. Resource multiplies a window
  // with zeros in the padding; adding those +0.0 products would give +0.0: they must be skipped in float.
  typedef Cfg<Same3x3, 9, true, float, float> R;
  typedef Cfg<Same3x3, 1, false, float, float> L;
  std::vector<float> x(Same3x3::in_h * Same3x3::in_w * Same3x3::n_chan, -0.0f);
  std::vector<float> w(Same3x3::n_total, 0.5f), b(Same3x3::n_filt, -0.0f);
  const unsigned NY = Same3x3::out_h * Same3x3::out_w * Same3x3::n_filt;
  std::vector<float> y_lat(NY), y_res(NY);
  kml::conv2d<float, float, L>(x.data(), y_lat.data(), w.data(), b.data());
  kml::conv2d<float, float, R>(x.data(), y_res.data(), w.data(), b.data());
  for (unsigned i = 0; i < NY; ++i) {
    REQUIRE(std::signbit(y_lat[i]));
    REQUIRE(std::signbit(y_res[i]));
  }
}

TEST_CASE("Transposed convolutions have no Resource form: a warning, and Latency",
          "[conv][strategies][reuse]") {
  kml::ir::Graph g;
  kml::ir::Node in;
  in.name = in.keras_name = "x";
  in.op = "input";
  in.shape = {4, 4, 2};
  g.add(in);
  auto conv = [](const std::string& name, const std::string& op, const std::string& cls) {
    kml::ir::Node n;
    n.name = n.keras_name = name;
    n.op = op;
    n.keras_class = cls;
    n.inputs = {"x"};
    n.attr = {{"filt_h", 3u}, {"filt_w", 3u}, {"n_chan", 2u}, {"n_filt", 4u}, {"groups", 1u}};
    n.strategy = "resource";
    n.reuse_factor = 6;
    return n;
  };
  g.add(conv("ct", "conv_transpose", "Conv2DTranspose"));
  g.add(conv("c", "conv", "Conv2D"));
  std::ostringstream warn;
  kml::passes::validate_reuse_factors(g, warn);
  CHECK(g.at("ct").strategy == "latency");
  CHECK(g.at("c").strategy == "resource");
  CHECK(g.at("c").reuse_factor == 6);
  CHECK(warn.str() ==
        "kml-convert: warning: layer 'ct' (Conv2DTranspose): strategy \"resource\" is not implemented for "
        "transposed "
        "convolutions; using the Latency form (reuse_factor 6 not applied)\n");
}
