// Convolution, pooling and data-movement templates (kml/conv.h, kml/pooling.h, kml/reshape.h) against naive
// computations written here independently (explicitly padded buffers, scatter-form transposed convolution,
// integer arithmetic for the fixed-point semantics), and the channels_last pass on graphs built in C++.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "ir/graph.h"
#include "kml/conv.h"
#include "kml/pooling.h"
#include "kml/reshape.h"
#include "passes/passes.h"

namespace {

template <unsigned IH, unsigned IW, unsigned C, unsigned OH, unsigned OW, unsigned F, unsigned KH, unsigned KW,
          unsigned SH, unsigned SW, unsigned DH, unsigned DW, unsigned PT, unsigned PL, unsigned G, class A = float,
          class WT = float>
struct ConvCfg : kml::conv_config {
  static const unsigned in_h = IH, in_w = IW, n_chan = C, out_h = OH, out_w = OW, n_filt = F;
  static const unsigned filt_h = KH, filt_w = KW, stride_h = SH, stride_w = SW, dilation_h = DH, dilation_w = DW;
  static const unsigned pad_top = PT, pad_left = PL, groups = G;
  typedef A accum_t;
  typedef WT weight_t;
  typedef WT bias_t;
};

std::vector<float> random_vec(std::size_t n, std::mt19937& rng, float lo = -1.f, float hi = 1.f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// Naive convolution: copy the input into an explicitly zero-padded buffer, then slide the window over it.
template <class CFG>
std::vector<double> naive_conv(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b) {
  const unsigned PH = (CFG::out_h - 1) * CFG::stride_h + (CFG::filt_h - 1) * CFG::dilation_h + 1;
  const unsigned PW = (CFG::out_w - 1) * CFG::stride_w + (CFG::filt_w - 1) * CFG::dilation_w + 1;
  const unsigned C = CFG::n_chan, F = CFG::n_filt, cpg = C / CFG::groups, fpg = F / CFG::groups;
  std::vector<double> padded(std::size_t(PH) * PW * C, 0.0);
  for (unsigned h = 0; h < CFG::in_h; ++h)
    for (unsigned ww = 0; ww < CFG::in_w; ++ww)
      for (unsigned c = 0; c < C; ++c) {
        unsigned ph = h + CFG::pad_top, pw = ww + CFG::pad_left;
        if (ph < PH && pw < PW) padded[(ph * PW + pw) * C + c] = x[(h * CFG::in_w + ww) * C + c];
      }
  std::vector<double> y(std::size_t(CFG::out_h) * CFG::out_w * F);
  for (unsigned oh = 0; oh < CFG::out_h; ++oh)
    for (unsigned ow = 0; ow < CFG::out_w; ++ow)
      for (unsigned f = 0; f < F; ++f) {
        unsigned g = f / fpg;
        double s = b[f];
        for (unsigned kh = 0; kh < CFG::filt_h; ++kh)
          for (unsigned kw = 0; kw < CFG::filt_w; ++kw)
            for (unsigned cc = 0; cc < cpg; ++cc) {
              unsigned ph = oh * CFG::stride_h + kh * CFG::dilation_h, pw = ow * CFG::stride_w + kw * CFG::dilation_w;
              s += padded[(ph * PW + pw) * C + g * cpg + cc] * w[((kh * CFG::filt_w + kw) * cpg + cc) * F + f];
            }
        y[(oh * CFG::out_w + ow) * F + f] = s;
      }
  return y;
}

template <class CFG>
void check_conv_float(std::mt19937& rng) {
  const unsigned n_in = CFG::in_h * CFG::in_w * CFG::n_chan, n_out = CFG::out_h * CFG::out_w * CFG::n_filt;
  auto x = random_vec(n_in, rng);
  auto w = random_vec(CFG::filt_h * CFG::filt_w * (CFG::n_chan / CFG::groups) * CFG::n_filt, rng);
  auto b = random_vec(CFG::n_filt, rng);
  std::vector<float> y(n_out);
  kml::conv2d<float, float, CFG>(x.data(), y.data(), w.data(), b.data());
  auto ref = naive_conv<CFG>(x, w, b);
  for (unsigned i = 0; i < n_out; ++i) REQUIRE(y[i] == Approx(ref[i]).margin(1e-5));
}

}  // namespace

TEST_CASE("conv2d matches a naive padded convolution", "[conv]") {
  std::mt19937 rng(7);
  // Conv2D 3x3 'same' stride 1: 6x5x3 -> 6x5x4, pad 1/1.
  check_conv_float<ConvCfg<6, 5, 3, 6, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1>>(rng);
  // 'same' with stride 2 on an even size: 8 -> 4, total padding 1, before 0 (Keras/TF put the extra zero after).
  check_conv_float<ConvCfg<8, 8, 2, 4, 4, 3, 3, 3, 2, 2, 1, 1, 0, 0, 1>>(rng);
  // 'valid' with strides (2, 3) and a rectangular kernel.
  check_conv_float<ConvCfg<9, 10, 2, 4, 3, 5, 2, 3, 2, 3, 1, 1, 0, 0, 1>>(rng);
  // Dilation 2, 'same': 7x7, kernel 3 -> effective 5, pad 2.
  check_conv_float<ConvCfg<7, 7, 2, 7, 7, 2, 3, 3, 1, 1, 2, 2, 2, 2, 1>>(rng);
  // Groups: 4 channels, 6 filters in 2 groups.
  check_conv_float<ConvCfg<5, 5, 4, 3, 3, 6, 3, 3, 1, 1, 1, 1, 0, 0, 2>>(rng);
  // Depthwise (groups = channels) with depth multiplier 2, 1D (height 1), 'same'.
  check_conv_float<ConvCfg<1, 9, 3, 1, 9, 6, 1, 3, 1, 1, 1, 1, 0, 1, 3>>(rng);
}

TEST_CASE("conv2d in fixed point: product cast to accum_t, accumulated in accum_t", "[conv]") {
  // ap_fixed<16,6> data and weights, accum ap_fixed<16,6> (AP_TRN, AP_WRAP): with inputs up to 8 and weights up
  // to 4, products and sums overflow, so the test sees truncation and wrap-around exactly as the vendor types do.
  typedef ap_fixed<16, 6> T;
  typedef ConvCfg<4, 4, 3, 4, 4, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, T, T> CFG;
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> dx(-8 * 1024, 8 * 1024 - 1), dw(-4 * 1024, 4 * 1024 - 1);
  const unsigned n_in = 4 * 4 * 3, n_w = 3 * 3 * 3 * 2, n_out = 4 * 4 * 2;
  std::vector<int> xi(n_in), wi(n_w), bi(2);
  std::vector<T> x(n_in), w(n_w), b(2), y(n_out);
  for (unsigned i = 0; i < n_in; ++i) x[i] = (xi[i] = dx(rng)) / 1024.0;
  for (unsigned i = 0; i < n_w; ++i) w[i] = (wi[i] = dw(rng)) / 1024.0;
  for (unsigned i = 0; i < 2; ++i) b[i] = (bi[i] = dx(rng)) / 1024.0;
  kml::conv2d<T, T, CFG>(x.data(), y.data(), w.data(), b.data());

  // Integers in units of 2^-10; wrap to 16 bits signed; the product (units 2^-20) floors to 2^-10.
  auto wrap16 = [](std::int64_t v) {
    std::int64_t m = ((v % 65536) + 65536) % 65536;
    return m >= 32768 ? m - 65536 : m;
  };
  auto floor_div = [](std::int64_t a, std::int64_t d) { return a >= 0 ? a / d : -((-a + d - 1) / d); };
  int wraps = 0;
  for (int oh = 0; oh < 4; ++oh)
    for (int ow = 0; ow < 4; ++ow)
      for (int f = 0; f < 2; ++f) {
        std::int64_t acc = bi[f];
        for (int kh = 0; kh < 3; ++kh)
          for (int kw = 0; kw < 3; ++kw) {
            int ih = oh + kh - 1, iw = ow + kw - 1;
            if (ih < 0 || ih >= 4 || iw < 0 || iw >= 4) continue;
            for (int c = 0; c < 3; ++c) {
              std::int64_t full = std::int64_t(xi[(ih * 4 + iw) * 3 + c]) * wi[((kh * 3 + kw) * 3 + c) * 2 + f];
              std::int64_t p = wrap16(floor_div(full, 1024));
              wraps += p != floor_div(full, 1024);
              std::int64_t sum = acc + p;
              wraps += wrap16(sum) != sum;
              acc = wrap16(sum);
            }
          }
        REQUIRE(y[(oh * 4 + ow) * 2 + f].to_double() == double(acc) / 1024.0);
      }
  CHECK(wraps > 0);  // the case exercised overflow
}

TEST_CASE("conv2d_transpose matches a naive scatter", "[conv]") {
  // Conv2DTranspose 3x3, strides 2, 'same' on 4x3x2 -> 8x6x3 (pad before 0); and 'valid' with dilation.
  std::mt19937 rng(3);
  auto run = [&](auto cfg_tag, unsigned IH, unsigned IW, unsigned C, unsigned OH, unsigned OW, unsigned F,
                 unsigned K, unsigned S, unsigned D, unsigned P) {
    typedef decltype(cfg_tag) CFG;
    auto x = random_vec(IH * IW * C, rng), w = random_vec(K * K * F * C, rng), b = random_vec(F, rng);
    std::vector<float> y(OH * OW * F);
    kml::conv2d_transpose<float, float, CFG>(x.data(), y.data(), w.data(), b.data());
    // Scatter: every input pixel adds kernel * value at (i * stride + k * dilation - pad).
    std::vector<double> ref(OH * OW * F);
    for (unsigned o = 0; o < OH * OW; ++o)
      for (unsigned f = 0; f < F; ++f) ref[o * F + f] = b[f];
    for (unsigned ih = 0; ih < IH; ++ih)
      for (unsigned iw = 0; iw < IW; ++iw)
        for (unsigned kh = 0; kh < K; ++kh)
          for (unsigned kw = 0; kw < K; ++kw) {
            int oh = int(ih * S + kh * D) - int(P), ow = int(iw * S + kw * D) - int(P);
            if (oh < 0 || ow < 0 || oh >= int(OH) || ow >= int(OW)) continue;
            for (unsigned f = 0; f < F; ++f)
              for (unsigned c = 0; c < C; ++c)
                ref[(oh * OW + ow) * F + f] += double(x[(ih * IW + iw) * C + c]) * w[((kh * K + kw) * F + f) * C + c];
          }
    for (unsigned i = 0; i < OH * OW * F; ++i) REQUIRE(y[i] == Approx(ref[i]).margin(1e-5));
  };
  run(ConvCfg<4, 3, 2, 8, 6, 3, 3, 3, 2, 2, 1, 1, 0, 0, 1>(), 4, 3, 2, 8, 6, 3, 3, 2, 1, 0);
  // 'valid', k 3 dilation 2 (effective 5), stride 2: 3 -> 3*2 + (5-2) = 9.
  run(ConvCfg<3, 3, 1, 9, 9, 2, 3, 3, 2, 2, 2, 2, 0, 0, 1>(), 3, 3, 1, 9, 9, 2, 3, 2, 2, 0);
  // 'same' k 4 stride 2: pad before (4-2)/2 = 1.
  run(ConvCfg<3, 3, 2, 6, 6, 2, 4, 4, 2, 2, 1, 1, 1, 1, 1>(), 3, 3, 2, 6, 6, 2, 4, 2, 1, 1);
}

namespace {
template <unsigned IH, unsigned IW, unsigned C, unsigned OH, unsigned OW, unsigned P, unsigned S, unsigned PT,
          bool AVG>
struct PoolCfg : kml::pool_config {
  static const unsigned in_h = IH, in_w = IW, n_chan = C, out_h = OH, out_w = OW, pool_h = P, pool_w = P;
  static const unsigned stride_h = S, stride_w = S, pad_top = PT, pad_left = PT;
  static const bool average = AVG;
};
}  // namespace

TEST_CASE("pool2d: 'same' padding ignores padded positions", "[pool]") {
  // 5x5x2, pool 3, stride 2, 'same': out 3x3, total padding 2 -> 1 before. Windows at the corners hold 4 valid
  // elements, at the edges 6, in the middle 9.
  std::mt19937 rng(5);
  auto x = random_vec(5 * 5 * 2, rng, -2.f, 2.f);
  std::vector<float> inv(9);
  const unsigned counts[3] = {2, 3, 2};  // valid rows/columns per window: [-1,1] -> 2, [1,3] -> 3, [3,5] -> 2
  for (unsigned i = 0; i < 3; ++i)
    for (unsigned j = 0; j < 3; ++j) inv[i * 3 + j] = 1.f / float(counts[i] * counts[j]);
  std::vector<float> ymax(18), yavg(18);
  kml::pool2d<float, float, PoolCfg<5, 5, 2, 3, 3, 3, 2, 1, false>>(x.data(), ymax.data(), inv.data());
  kml::pool2d<float, float, PoolCfg<5, 5, 2, 3, 3, 3, 2, 1, true>>(x.data(), yavg.data(), inv.data());
  for (unsigned oh = 0; oh < 3; ++oh)
    for (unsigned ow = 0; ow < 3; ++ow)
      for (unsigned c = 0; c < 2; ++c) {
        double m = -1e30, s = 0;
        int n = 0;
        for (int h = int(oh) * 2 - 1; h <= int(oh) * 2 + 1; ++h)
          for (int w = int(ow) * 2 - 1; w <= int(ow) * 2 + 1; ++w) {
            if (h < 0 || w < 0 || h >= 5 || w >= 5) continue;
            double v = x[(h * 5 + w) * 2 + c];
            m = std::max(m, v);
            s += v;
            ++n;
          }
        REQUIRE(n == int(counts[oh] * counts[ow]));
        REQUIRE(ymax[(oh * 3 + ow) * 2 + c] == float(m));
        REQUIRE(yavg[(oh * 3 + ow) * 2 + c] == Approx(s / n).margin(1e-6));
      }
}

namespace {
struct GapCfg : kml::global_pool_config {
  static const unsigned n_pix = 6, n_chan = 3;
  static const bool average = true;
};
struct GmpCfg : GapCfg {
  static const bool average = false;
};
}  // namespace

TEST_CASE("global pooling", "[pool]") {
  std::mt19937 rng(9);
  auto x = random_vec(18, rng);
  float inv[1] = {1.f / 6.f};
  float avg[3], mx[3];
  kml::global_pool2d<float, float, GapCfg>(x.data(), avg, inv);
  kml::global_pool2d<float, float, GmpCfg>(x.data(), mx, inv);
  for (unsigned c = 0; c < 3; ++c) {
    double s = 0, m = -1e30;
    for (unsigned p = 0; p < 6; ++p) s += x[p * 3 + c], m = std::max(m, double(x[p * 3 + c]));
    REQUIRE(avg[c] == Approx(s / 6).margin(1e-6));
    REQUIRE(mx[c] == float(m));
  }
}

namespace {
// Permute (2, 3, 4) by (2, 0, 1): output (4, 2, 3); output axis i reads input axis perm[i]; input strides 12, 4, 1.
struct TrCfg : kml::transpose_config {
  static const unsigned d0 = 1, d1 = 4, d2 = 2, d3 = 3;
  static const unsigned s0 = 0, s1 = 1, s2 = 12, s3 = 4;
  static const unsigned n_in = 24;
};
struct PadCfg : kml::resize_config {
  static const unsigned in_h = 2, in_w = 3, n_chan = 2, out_h = 5, out_w = 4, top = 1, left = 0;
};
struct CropCfg : kml::resize_config {
  static const unsigned in_h = 5, in_w = 4, n_chan = 2, out_h = 2, out_w = 3, top = 1, left = 0;
};
struct UpCfg : kml::resize_config {
  static const unsigned in_h = 2, in_w = 3, n_chan = 2, out_h = 4, out_w = 9, size_h = 2, size_w = 3;
};
struct RepCfg : kml::repeat_config {
  static const unsigned n_in = 3, n = 4;
};
}  // namespace

TEST_CASE("data movement: transpose, zero padding, cropping, upsampling, repeat", "[reshape]") {
  float x[24];
  for (int i = 0; i < 24; ++i) x[i] = float(i + 1);
  float t[24];
  kml::transpose<float, float, TrCfg>(x, t);
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 4; ++c) REQUIRE(t[(c * 2 + a) * 3 + b] == x[(a * 3 + b) * 4 + c]);

  float img[12];
  for (int i = 0; i < 12; ++i) img[i] = float(i + 1);
  float padded[40], cropped[12];
  kml::zero_pad2d<float, float, PadCfg>(img, padded);
  for (int h = 0; h < 5; ++h)
    for (int w = 0; w < 4; ++w)
      for (int c = 0; c < 2; ++c) {
        bool inside = h >= 1 && h < 3 && w < 3;
        REQUIRE(padded[(h * 4 + w) * 2 + c] == (inside ? img[((h - 1) * 3 + w) * 2 + c] : 0.f));
      }
  kml::crop2d<float, float, CropCfg>(padded, cropped);  // undoes the padding
  for (int i = 0; i < 12; ++i) REQUIRE(cropped[i] == img[i]);

  float up[72];
  kml::upsample2d<float, float, UpCfg>(img, up);
  for (int h = 0; h < 4; ++h)
    for (int w = 0; w < 9; ++w)
      for (int c = 0; c < 2; ++c) REQUIRE(up[(h * 9 + w) * 2 + c] == img[((h / 2) * 3 + w / 3) * 2 + c]);

  float rep[12];
  kml::repeat<float, float, RepCfg>(img, rep);
  for (int r = 0; r < 4; ++r)
    for (int i = 0; i < 3; ++i) REQUIRE(rep[r * 3 + i] == img[i]);
}

namespace {

kml::ir::Node make(const std::string& name, const std::string& op, std::vector<std::string> inputs,
                   kml::ir::Shape shape, bool cf) {
  kml::ir::Node n;
  n.name = name;
  n.op = op;
  n.inputs = std::move(inputs);
  n.shape = std::move(shape);
  n.keras_name = name;
  n.keras_class = op;
  n.keras_output = true;
  if (cf) n.attr["channels_first"] = true;
  return n;
}

}  // namespace

TEST_CASE("channels_last pass: one transpose at the input, none between channels_first layers", "[conv][passes]") {
  // input (3, 8, 8) -> conv (CF, 4 filters) -> relu -> pool (CF) -> flatten (CF) -> dense
  kml::ir::Graph g;
  g.add(make("in", "input", {}, {3, 8, 8}, false));
  kml::ir::Node conv = make("conv", "conv", {"in"}, {4, 8, 8}, true);
  conv.attr["activation"] = {{"fn", "relu"}};
  g.add(conv);
  g.add(make("pool", "pool", {"conv"}, {4, 4, 4}, true));
  g.add(make("flat", "reshape", {"pool"}, {64}, true));
  g.add(make("dense", "dense", {"flat"}, {5}, false));
  g.inputs = {"in"};
  g.outputs = {"dense"};

  kml::passes::channels_last(g);
  kml::passes::split_activations(g);

  std::vector<std::string> order;
  for (const auto& n : g.nodes()) order.push_back(n->op);
  REQUIRE(order == std::vector<std::string>{"input", "transpose", "conv", "activation", "pool", "reshape", "dense"});
  const kml::ir::Node& t = g.at(g.at("conv").inputs[0]);
  CHECK(t.op == "transpose");
  CHECK(t.attr["perm"].get<std::vector<std::size_t>>() == std::vector<std::size_t>{1, 2, 0});
  CHECK(t.shape == kml::ir::Shape{8, 8, 3});
  CHECK(g.at("conv").shape == kml::ir::Shape{8, 8, 4});
  CHECK(g.at("pool").shape == kml::ir::Shape{4, 4, 4});
  CHECK(g.at("flat").inputs == std::vector<std::string>{"pool"});
  for (const auto& n : g.nodes()) CHECK_FALSE(n->attr.contains("channels_first"));
}

TEST_CASE("channels_last pass: a channels_first output keeps Keras' layout", "[conv][passes]") {
  // input (2, 6) -> conv1d (CF) is the model output: the result is transposed back to (filters, steps).
  kml::ir::Graph g;
  g.add(make("in", "input", {}, {2, 6}, false));
  g.add(make("conv", "conv", {"in"}, {3, 6}, true));
  g.inputs = {"in"};
  g.outputs = {"conv"};
  kml::passes::channels_last(g);
  REQUIRE(g.outputs.size() == 1);
  const kml::ir::Node& out = g.at(g.outputs[0]);
  CHECK(out.op == "transpose");
  CHECK(out.shape == kml::ir::Shape{3, 6});
  CHECK(out.keras_output);
  CHECK(out.keras_name == "conv");
  CHECK(g.at("conv").shape == kml::ir::Shape{6, 3});
  CHECK_FALSE(g.at("conv").keras_output);
}
