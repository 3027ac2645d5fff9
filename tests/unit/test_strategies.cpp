// Implementation strategies (issue 5): hls4ml's reuse-factor rules, Resource dense against Latency dense,
// io_stream line-buffer templates against the io_parallel templates, precision = "auto" against an exhaustive
// overflow check, the config keys, and the lookup-table activations' error against exact math.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <vector>

#include "config/config.h"
#include "emit/hls/stream.h"
#include "ir/graph.h"
#include "kml/activation.h"
#include "kml/conv.h"
#include "kml/dense.h"
#include "kml/pooling.h"
#include "kml/stream.h"
#include "stream_test_util.h"
#include "passes/passes.h"
#include "passes/precision_inference.h"
#include "passes/reuse.h"
#include "util/error.h"

using kml::passes::closest_reuse_factor;
using kml::passes::reuse_factor_valid;
using kml::passes::valid_reuse_factors;
using V = std::vector<std::size_t>;

namespace {

using kml_test::pull;
using kml_test::push;

kml::ir::Node node(const std::string& name, const std::string& op, nlohmann::json attr) {
  kml::ir::Node n;
  n.name = name;
  n.op = op;
  n.keras_name = name;
  n.attr = std::move(attr);
  return n;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Reuse factors. Expected lists worked out by hand from the rules: (n_in*n_out) % RF == 0; RF % n_in == 0 or
// RF < n_in; ceil(n_in*n_out / min(n_in, RF)) % n_out == 0 or RF >= n_in.

TEST_CASE("reuse factors: valid values for Dense, Conv, LSTM and GRU shapes", "[strategies][reuse]") {
  CHECK(valid_reuse_factors(4, 3) == V{1, 2, 4, 12});
  CHECK(valid_reuse_factors(12, 10) == V{1, 2, 3, 4, 6, 12, 24, 60, 120});
  CHECK(valid_reuse_factors(16, 64) == V{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  CHECK(valid_reuse_factors(32, 5) == V{1, 2, 4, 8, 16, 32, 160});

  // The matrix each layer kind's reuse factor applies to.
  auto dims = [](const kml::ir::Node& n) {
    auto d = kml::passes::reuse_dims(n);
    REQUIRE(d);
    return V{d->n_in, d->n_out};
  };
  CHECK(dims(node("d", "dense", {{"n_in", 4u}, {"n_out", 3u}})) == V{4, 3});
  // Conv1D, kernel 3, 2 channels, 4 filters: n_in = channels x kernel = 6.
  auto conv = node("c", "conv", {{"filt_h", 1u}, {"filt_w", 3u}, {"n_chan", 2u}, {"n_filt", 4u}, {"groups", 1u}});
  CHECK(dims(conv) == V{6, 4});
  CHECK(valid_reuse_factors(6, 4) == V{1, 2, 3, 6, 12, 24});
  // Depthwise 3x3 over 8 channels: one input channel per group.
  CHECK(dims(node("dw", "conv", {{"filt_h", 3u}, {"filt_w", 3u}, {"n_chan", 8u}, {"n_filt", 8u}, {"groups", 8u}})) ==
        V{9, 8});
  // LSTM, 5 features, 2 units: n_out = 4 units.
  CHECK(dims(node("l", "rnn", {{"cell", "lstm"}, {"n_in", 5u}, {"units", 2u}})) == V{5, 8});
  CHECK(valid_reuse_factors(5, 8) == V{1, 5, 10, 20, 40});
  // GRU, 4 features, 2 units: n_out = 3 units.
  CHECK(dims(node("g", "rnn", {{"cell", "gru"}, {"n_in", 4u}, {"units", 2u}})) == V{4, 6});
  CHECK(valid_reuse_factors(4, 6) == V{1, 2, 4, 8, 12, 24});
  // An op without a matrix has no reuse-factor dimensions unless its reader declares them.
  CHECK_FALSE(kml::passes::reuse_dims(node("a", "activation", {{"fn", "relu"}})));
  CHECK(dims(node("e", "einsum_dense", {{"reuse_n_in", 7u}, {"reuse_n_out", 2u}})) == V{7, 2});

  for (std::size_t rf = 1; rf <= 24; ++rf) CHECK(reuse_factor_valid(4, 6, rf) == (rf == 1 || rf == 2 || rf == 4 || rf == 8 || rf == 12 || rf == 24));
  CHECK_FALSE(reuse_factor_valid(4, 6, 0));
  CHECK_FALSE(reuse_factor_valid(4, 6, 48));
}

TEST_CASE("reuse factors: an invalid value becomes the closest valid one", "[strategies][reuse]") {
  CHECK(closest_reuse_factor(4, 3, 3) == 2);  // 2 and 4 are as close: the smaller
  CHECK(closest_reuse_factor(4, 3, 7) == 4);
  CHECK(closest_reuse_factor(4, 3, 100) == 12);
  CHECK(closest_reuse_factor(4, 3, 12) == 12);
  CHECK(closest_reuse_factor(4, 6, 10) == 8);
  CHECK(closest_reuse_factor(5, 8, 3) == 1);  // 1 and 5 are as close
  CHECK(closest_reuse_factor(5, 8, 4) == 5);
  CHECK(closest_reuse_factor(32, 5, 50) == 32);

  kml::ir::Graph g;
  auto in = node("x", "input", nlohmann::json::object());
  in.shape = {4};
  g.add(in);
  auto d = node("dense_a", "dense", {{"n_in", 4u}, {"n_out", 3u}});
  d.keras_class = "Dense";
  d.inputs = {"x"};
  d.shape = {3};
  d.reuse_factor = 3;
  g.add(d);
  auto c = node("conv_a", "conv", {{"filt_h", 1u}, {"filt_w", 3u}, {"n_chan", 2u}, {"n_filt", 4u}, {"groups", 1u}});
  c.keras_class = "Conv1D";
  c.reuse_factor = 5;
  c.inputs = {"x"};
  g.add(c);
  auto a = node("act", "activation", {{"fn", "relu"}});
  a.reuse_factor = 7;
  a.inputs = {"dense_a"};
  g.add(a);
  std::ostringstream warn;
  kml::passes::validate_reuse_factors(g, warn);
  CHECK(g.at("dense_a").reuse_factor == 2);
  CHECK(g.at("conv_a").reuse_factor == 6);
  CHECK(g.at("act").reuse_factor == 7);
  const std::string w = warn.str();
  CHECK(w.find("layer 'dense_a' (Dense, 4 x 3): reuse_factor 3 is not valid; using 2 (valid: 1, 2, 4, 12)") !=
        std::string::npos);
  CHECK(w.find("layer 'conv_a' (Conv1D, 6 x 4): reuse_factor 5 is not valid; using 6 (valid: 1, 2, 3, 6, 12, 24)") !=
        std::string::npos);
  CHECK(w.find("'act'") == std::string::npos);
}

// ---------------------------------------------------------------------------------------------------
// Resource dense: bit-identical to Latency for every valid reuse factor, even with a narrow saturating
// accumulator (where the order of the additions matters).

namespace {

typedef ap_fixed<16, 6> d_t;
typedef ap_fixed<10, 3, AP_RND, AP_SAT> acc_sat_t;
typedef ap_fixed<8, 2> w_t;

template <unsigned NI, unsigned NO, unsigned R, bool RES, class A>
struct DenseCfg : kml::dense_config {
  static const unsigned n_in = NI, n_out = NO, n_rows = 2, reuse_factor = R;
  static const bool resource = RES;
  typedef A accum_t;
  typedef w_t weight_t;
  typedef w_t bias_t;
};

template <unsigned R, class A>
void check_resource_dense(std::mt19937& rng) {
  const unsigned NI = 12, NO = 10;
  std::normal_distribution<double> nd(0, 1.5);
  w_t w[NI * NO], b[NO];
  for (auto& v : w) v = nd(rng) * 0.5;
  for (auto& v : b) v = nd(rng) * 0.3;
  for (int trial = 0; trial < 20; ++trial) {
    d_t x[2 * NI];
    for (auto& v : x) v = nd(rng);
    d_t y_lat[2 * NO], y_res[2 * NO];
    kml::dense<d_t, d_t, DenseCfg<NI, NO, R, false, A>>(x, y_lat, w, b);
    kml::dense<d_t, d_t, DenseCfg<NI, NO, R, true, A>>(x, y_res, w, b);
    for (unsigned j = 0; j < 2 * NO; ++j) REQUIRE(y_res[j].to_double() == y_lat[j].to_double());
  }
}

}  // namespace

TEST_CASE("Resource dense equals Latency dense bit for bit", "[strategies][resource]") {
  std::mt19937 rng(5);
  CHECK(valid_reuse_factors(12, 10) == V{1, 2, 3, 4, 6, 12, 24, 60, 120});  // the factors exercised below
  check_resource_dense<2, acc_sat_t>(rng);
  check_resource_dense<3, acc_sat_t>(rng);
  check_resource_dense<4, acc_sat_t>(rng);
  check_resource_dense<6, acc_sat_t>(rng);
  check_resource_dense<12, acc_sat_t>(rng);
  check_resource_dense<24, acc_sat_t>(rng);
  check_resource_dense<60, acc_sat_t>(rng);
  check_resource_dense<120, acc_sat_t>(rng);
  check_resource_dense<4, ap_fixed<24, 8>>(rng);
  check_resource_dense<60, ap_fixed<24, 8>>(rng);
}

// ---------------------------------------------------------------------------------------------------
// io_stream line buffers: conv2d_stream / pool2d_stream / global_pool2d_stream against conv2d / pool2d /
// global_pool2d, bit for bit (saturating narrow accumulators make the order of additions observable).

namespace {

typedef ap_fixed<10, 3> px_t;
typedef ap_fixed<8, 1> cw_t;
typedef ap_fixed<12, 4, AP_RND, AP_SAT> cacc_t;
typedef ap_fixed<12, 4> cres_t;

template <unsigned IH, unsigned IW, unsigned C, unsigned OH, unsigned OW, unsigned F, unsigned KH, unsigned KW,
          unsigned SH, unsigned SW, unsigned DH, unsigned DW, unsigned PT, unsigned PL, unsigned G>
struct SConv : kml::conv_config {
  static const unsigned in_h = IH, in_w = IW, n_chan = C, out_h = OH, out_w = OW, n_filt = F;
  static const unsigned filt_h = KH, filt_w = KW, stride_h = SH, stride_w = SW, dilation_h = DH, dilation_w = DW;
  static const unsigned pad_top = PT, pad_left = PL, groups = G;
  typedef cacc_t accum_t;
  typedef cw_t weight_t;
  typedef cw_t bias_t;
};

template <class CFG>
void check_conv_stream(std::mt19937& rng) {
  const unsigned NX = CFG::in_h * CFG::in_w * CFG::n_chan, NY = CFG::out_h * CFG::out_w * CFG::n_filt;
  const unsigned NW = CFG::filt_h * CFG::filt_w * (CFG::n_chan / CFG::groups) * CFG::n_filt;
  std::normal_distribution<double> nd(0, 1.2);
  std::vector<px_t> x(NX);
  std::vector<cw_t> w(NW), b(CFG::n_filt);
  for (auto& v : x) v = nd(rng);
  for (auto& v : w) v = nd(rng) * 0.4;
  for (auto& v : b) v = nd(rng) * 0.2;
  std::vector<cres_t> y(NY);
  kml::conv2d<px_t, cres_t, CFG>(x.data(), y.data(), w.data(), b.data());
  typedef kml::vec<px_t, CFG::n_chan> VI;
  typedef kml::vec<cres_t, CFG::n_filt> VO;
  hls::stream<VI> in;
  hls::stream<VO> out;
  push(in, x.data(), CFG::in_h * CFG::in_w);
  kml::conv2d_stream<VI, VO, CFG>(in, out, w.data(), b.data());
  CHECK(in.empty());
  auto ys = pull(out);
  REQUIRE(ys.size() == NY);
  for (unsigned i = 0; i < NY; ++i) REQUIRE(ys[i] == y[i].to_double());
}

template <unsigned IH, unsigned IW, unsigned C, unsigned OH, unsigned OW, unsigned PH, unsigned PW, unsigned SH,
          unsigned SW, unsigned PT, unsigned PL, bool AVG>
struct SPool : kml::pool_config {
  static const unsigned in_h = IH, in_w = IW, n_chan = C, out_h = OH, out_w = OW, pool_h = PH, pool_w = PW;
  static const unsigned stride_h = SH, stride_w = SW, pad_top = PT, pad_left = PL;
  static const bool average = AVG;
  typedef cacc_t accum_t;
  typedef ap_ufixed<16, 1> scale_t;
};

template <class CFG>
void check_pool_stream(std::mt19937& rng) {
  const unsigned NX = CFG::in_h * CFG::in_w * CFG::n_chan, NY = CFG::out_h * CFG::out_w * CFG::n_chan;
  std::normal_distribution<double> nd(0, 1.2);
  std::vector<px_t> x(NX);
  for (auto& v : x) v = nd(rng);
  std::vector<typename CFG::scale_t> inv(CFG::out_h * CFG::out_w);
  for (unsigned k = 0; k < inv.size(); ++k) inv[k] = 1.0 / (1 + k % 4);
  std::vector<cres_t> y(NY);
  kml::pool2d<px_t, cres_t, CFG>(x.data(), y.data(), inv.data());
  typedef kml::vec<px_t, CFG::n_chan> VI;
  typedef kml::vec<cres_t, CFG::n_chan> VO;
  hls::stream<VI> in;
  hls::stream<VO> out;
  push(in, x.data(), CFG::in_h * CFG::in_w);
  kml::pool2d_stream<VI, VO, CFG>(in, out, inv.data());
  CHECK(in.empty());
  auto ys = pull(out);
  REQUIRE(ys.size() == NY);
  for (unsigned i = 0; i < NY; ++i) REQUIRE(ys[i] == y[i].to_double());
}

template <bool AVG>
struct SGlobal : kml::global_pool_config {
  static const unsigned n_pix = 13, n_chan = 3;
  static const bool average = AVG;
  typedef cacc_t accum_t;
  typedef ap_ufixed<16, 1> scale_t;
};

template <class CFG>
void check_global_stream(std::mt19937& rng) {
  std::normal_distribution<double> nd(0, 1.2);
  std::vector<px_t> x(CFG::n_pix * CFG::n_chan);
  for (auto& v : x) v = nd(rng);
  typename CFG::scale_t inv[1] = {1.0 / 13};
  std::vector<cres_t> y(CFG::n_chan);
  kml::global_pool2d<px_t, cres_t, CFG>(x.data(), y.data(), inv);
  typedef kml::vec<px_t, CFG::n_chan> VI;
  typedef kml::vec<cres_t, CFG::n_chan> VO;
  hls::stream<VI> in;
  hls::stream<VO> out;
  push(in, x.data(), CFG::n_pix);
  kml::global_pool2d_stream<VI, VO, CFG>(in, out, inv);
  auto ys = pull(out);
  const unsigned nc = CFG::n_chan;
  REQUIRE(ys.size() == nc);
  for (unsigned i = 0; i < nc; ++i) REQUIRE(ys[i] == y[i].to_double());
}

}  // namespace

TEST_CASE("io_stream convolution and pooling equal the io_parallel templates bit for bit", "[strategies][stream]") {
  std::mt19937 rng(11);
  for (int rep = 0; rep < 3; ++rep) {
    // same padding 3x3; strided, dilated, grouped with top padding; 1D strided; depthwise; 1x1.
    check_conv_stream<SConv<7, 6, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1>>(rng);
    check_conv_stream<SConv<9, 8, 4, 5, 3, 6, 3, 2, 2, 3, 2, 1, 2, 0, 2>>(rng);
    check_conv_stream<SConv<1, 10, 2, 1, 5, 3, 1, 4, 1, 2, 1, 1, 0, 1, 1>>(rng);
    check_conv_stream<SConv<5, 5, 3, 5, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3>>(rng);
    check_conv_stream<SConv<4, 3, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1>>(rng);
    // valid 2x2/2 (odd sizes drop the last row/column), same 2x2/2, 3x3/1 same, 1D.
    check_pool_stream<SPool<7, 5, 2, 3, 2, 2, 2, 2, 2, 0, 0, false>>(rng);
    check_pool_stream<SPool<7, 5, 2, 4, 3, 2, 2, 2, 2, 0, 0, true>>(rng);
    check_pool_stream<SPool<7, 5, 2, 7, 5, 3, 3, 1, 1, 1, 1, true>>(rng);
    check_pool_stream<SPool<7, 5, 2, 7, 5, 3, 3, 1, 1, 1, 1, false>>(rng);
    check_pool_stream<SPool<1, 9, 3, 1, 3, 1, 3, 1, 3, 0, 0, true>>(rng);
    check_global_stream<SGlobal<true>>(rng);
    check_global_stream<SGlobal<false>>(rng);
  }
}

TEST_CASE("io_stream plumbing: repack and array adapters keep values and order", "[strategies][stream]") {
  typedef kml::vec<px_t, 4> V4;
  typedef kml::vec<px_t, 6> V6;
  px_t a[24], b[24];
  for (unsigned i = 0; i < 24; ++i) a[i] = (int(i) - 12) / 8.0;
  hls::stream<V4> s4;
  hls::stream<V6> s6;
  kml::array_to_stream<V4, 6>(a, s4);
  kml::repack_stream<V4, V6, 24>(s4, s6);
  CHECK(s4.empty());
  CHECK(s6.size() == 4);
  kml::stream_to_array<V6, 4>(s6, b);
  for (unsigned i = 0; i < 24; ++i) CHECK(b[i].to_double() == a[i].to_double());

  CHECK(kml::emit::replace_identifier("kml::f<in_t, config5, config55>(layer5_out, xlayer5_out, layer5_out_b);",
                                      "config5", "X") == "kml::f<in_t, X, config55>(layer5_out, xlayer5_out, layer5_out_b);");
  CHECK(kml::emit::replace_identifier("y = layer5_out[0] + layer5_out;", "layer5_out", "y_row.data") ==
        "y = y_row.data[0] + y_row.data;");
}

// ---------------------------------------------------------------------------------------------------
// precision = "auto"

namespace {

// in (2) -> dense d (2) -> relu r, sigmoid s.
kml::ir::Graph small_graph() {
  kml::ir::Graph g;
  auto in = node("in", "input", nlohmann::json::object());
  in.keras_class = "InputLayer";
  in.shape = {2};
  g.add(in);
  auto d = node("d", "dense", {{"n_in", 2u}, {"n_out", 2u}});
  d.keras_class = "Dense";
  d.inputs = {"in"};
  d.shape = {2};
  d.weights["kernel"] = {{2, 2}, {0.5, -0.25, 1.0, 0.75}};
  d.weights["bias"] = {{2}, {0.5, 0.0}};
  g.add(d);
  auto r = node("r", "activation", {{"fn", "relu"}});
  r.keras_class = "ReLU";
  r.inputs = {"d"};
  r.shape = {2};
  g.add(r);
  auto s = node("s", "activation", {{"fn", "sigmoid"}});
  s.keras_class = "Activation";
  s.inputs = {"d"};
  s.shape = {2};
  g.add(s);
  g.outputs = {"r", "s"};
  g.inputs = {"in"};
  return g;
}

std::string infer(kml::ir::Graph& g, const std::string& toml) {
  kml::Config cfg = kml::Config::parse(toml, "test.toml");
  kml::passes::apply_config(g, cfg);
  std::ostringstream log;
  kml::passes::infer_precisions(g, cfg, log);
  return log.str();
}

}  // namespace

TEST_CASE("precision auto: accumulator and result widths cannot overflow", "[strategies][auto]") {
  kml::ir::Graph g = small_graph();
  std::string log = infer(g, "[layer.in]\nprecision = \"ap_fixed<8,4>\"\n"
                             "[layer.d]\nprecision.accum = \"auto\"\nprecision.result = \"auto\"\n"
                             "[layer.r]\nprecision = \"auto\"\n[layer.s]\nprecision = \"auto\"\n");
  const auto& d = g.at("d");
  // |x| <= 8; weights ap_fixed<16,6> (lsb 2^-10): max_j |b_j| + sum_i |w_ij| * 8 = 0.5 + 1.5 * 8 (+ lsbs) = 12.5+
  // -> 5 integer bits; products need 4 + 10 fractional bits.
  CHECK(d.type("accum").cpp() == "ap_fixed<19,5>");
  CHECK(d.type("result").cpp() == "ap_fixed<19,5>");
  CHECK(g.at("r").type("result").cpp() == "ap_fixed<19,5>");  // max(x, 0) fits the input's type
  CHECK(g.at("s").type("result").cpp() == "ap_fixed<12,2>");  // [0, 1] with the table's 10 fractional bits
  CHECK(log.find("layer 'd' (d): auto precision accum=ap_fixed<19,5> result=ap_fixed<19,5>") != std::string::npos);

  // Exhaustive: every partial sum for every input pair, with the weights as the weight type holds them.
  const kml::Precision acc = d.type("accum");
  const double hi = std::ldexp(1.0, acc.integer - 1) - std::ldexp(1.0, -acc.fractional()), lo = -std::ldexp(1.0, acc.integer - 1);
  auto q = [](double v) { return std::floor(v * 1024) / 1024; };  // ap_fixed<16,6>, AP_TRN
  const auto& k = d.weights.at("kernel").data;
  const auto& b = d.weights.at("bias").data;
  double worst = 0;
  for (int a0 = -128; a0 < 128; ++a0)
    for (int a1 = -128; a1 < 128; ++a1) {
      const double x[2] = {a0 / 16.0, a1 / 16.0};
      for (int j = 0; j < 2; ++j) {
        double s = q(b[j]);
        for (int i = 0; i < 2; ++i) {
          s += x[i] * q(k[i * 2 + j]);
          REQUIRE(s <= hi);
          REQUIRE(s >= lo);
          worst = std::max(worst, std::fabs(s));
        }
      }
    }
  CHECK(worst > hi / 2);  // and not wastefully wide: one integer bit fewer would overflow
}

TEST_CASE("precision auto: weights from their values, caps and fallbacks", "[strategies][auto]") {
  kml::ir::Graph g = small_graph();
  std::string log = infer(g, "[model]\nprecision = \"auto\"\n[layer.d]\nmax_precision = \"ap_fixed<12,4>\"\n");
  const auto& d = g.at("d");
  // 0.5, -0.25, 1.0, 0.75 need 2 integer bits (1.0 with the sign) and 2 fractional bits to be exact.
  CHECK(d.type("weight").cpp() == "ap_fixed<4,2>");
  CHECK(d.type("bias").cpp() == "ap_fixed<2,1>");
  CHECK(g.at("in").type("result").cpp() == "ap_fixed<16,6>");  // inputs: the default
  // |x| <= 32: 0.5 + 1.5 * 32 = 48.5 needs 7 integer bits, the cap allows 4: warned, capped.
  CHECK(d.type("accum").cpp() == "ap_fixed<12,4>");
  CHECK(log.find("layer 'd': precision.accum = \"auto\" needs 7 integer bits, more than max_precision ap_fixed<12,4> "
                 "allows: it may overflow") != std::string::npos);
  CHECK(g.at("s").type("table").cpp() == "ap_fixed<18,8>");  // tables keep their default

  kml::ir::Graph f = small_graph();
  infer(f, "[model]\nprecision = \"float\"\n[layer.d]\nprecision.accum = \"auto\"\n");
  CHECK(f.at("d").type("accum").is_float());
}

TEST_CASE("config: fifo_depth and max_precision", "[strategies][config]") {
  kml::Config c = kml::Config::parse("[model]\nio_type = \"io_stream\"\nfifo_depth = 4\nmax_precision = \"ap_fixed<24,12>\"\n"
                                     "[layer.dense]\nfifo_depth = 64\n",
                                     "c.toml");
  CHECK(c.io_type == "io_stream");
  CHECK(c.setting(&kml::LayerSettings::fifo_depth, {"dense"}, {"Dense"}, 0) == 64);
  CHECK(c.setting(&kml::LayerSettings::fifo_depth, {"other"}, {"Dense"}, 0) == 4);
  CHECK(c.setting(&kml::LayerSettings::max_precision, {"x"}, {}, kml::Precision::float32()).cpp() == "ap_fixed<24,12>");
  auto err = [](const std::string& t) {
    try {
      kml::Config::parse(t, "e.toml");
    } catch (const kml::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(err("[model]\nfifo_depth = 0\n") == "e.toml:2: 'model.fifo_depth' must be a positive integer");
  CHECK(err("[layer.a]\nmax_precision = \"float\"\n") ==
        "e.toml:2: 'layer.a.max_precision' must be a fixed-point type (ap_fixed<W,I>)");
}

// ---------------------------------------------------------------------------------------------------
// Lookup-table activations at the default table (1024 entries of ap_fixed<18,8>): the error against exact
// math over every ap_fixed<16,6> input, printed, and bounded by max|f'| * step / 2 + one table LSB inside the
// table's range.

namespace {

struct LutCfg : kml::activ_config {
  static const unsigned n_in = 1;
};

struct LutError {
  double in_range = 0, overall = 0;
};

template <class F>
LutError lut_error() {
  typedef ap_fixed<16, 6> x_t;
  typedef ap_fixed<18, 8> y_t;
  LutError e;
  for (int k = -32768; k < 32768; ++k) {
    x_t x[1];
    x[0] = k / 1024.0;
    y_t y[1];
    kml::unary<x_t, y_t, LutCfg, F>(x, y);
    const double xv = x[0].to_double(), err = std::fabs(y[0].to_double() - F::f(xv, LutCfg::alpha));
    e.overall = std::max(e.overall, err);
    if (xv >= F::lo() && xv < F::hi()) e.in_range = std::max(e.in_range, err);
  }
  return e;
}

template <class F>
void report(const char* name, double lipschitz, bool check = true) {
  LutError e = lut_error<F>();
  const double step = (F::hi() - F::lo()) / LutCfg::table_size;
  std::printf("LUT %-12s table [%g, %g): max |error| %.3g inside the table range, %.3g over ap_fixed<16,6>\n", name,
              F::lo(), F::hi(), e.in_range, e.overall);
  if (check) CHECK(e.in_range <= lipschitz * step / 2 + std::ldexp(1.0, -10) + 1e-9);
  // Float types compute the exact function.
  float xf[1] = {0.37f}, yf[1];
  kml::unary<float, float, LutCfg, F>(xf, yf);
  CHECK(yf[0] == static_cast<float>(F::f(0.37f, LutCfg::alpha)));
}

}  // namespace

TEST_CASE("LUT activations: error against exact math at the default table", "[strategies][lut]") {
  report<kml::fn::sigmoid>("sigmoid", 0.25);
  report<kml::fn::tanh_>("tanh", 1.0);
  report<kml::fn::softplus>("softplus", 1.0);
  report<kml::fn::softsign>("softsign", 1.0, false);  // computed with a division, not a table
  report<kml::fn::elu>("elu", 1.0);
  report<kml::fn::selu>("selu", 1.7581);
  report<kml::fn::silu>("silu", 1.1);
  report<kml::fn::gelu>("gelu", 1.13);
  report<kml::fn::hard_silu>("hard_silu", 1.5);
  report<kml::fn::mish>("mish", 1.1);
  report<kml::fn::exponential>("exponential", std::exp(8.0), false);  // saturates at the table type's 128
}

namespace {
struct Stable : kml::softmax_config {
  static const unsigned n_in = 5, n_rows = 1;
  static const int implementation = 0;
  typedef ap_fixed<21, 11> sum_t;
  static constexpr double sum_range = 5.0;
};
struct Latency : Stable {
  static const int implementation = 1;
  static constexpr double sum_range = 64.0;
};
struct Argmax : Stable {
  static const int implementation = 2;
};
}  // namespace

TEST_CASE("Softmax tables: error against exact softmax", "[strategies][lut]") {
  typedef ap_fixed<16, 6> x_t;
  typedef ap_fixed<18, 8> y_t;
  std::mt19937 rng(3);
  std::normal_distribution<double> nd(0, 1);
  double e_stable = 0, e_latency = 0;
  for (int t = 0; t < 2000; ++t) {
    x_t x[5];
    double ex[5], s = 0;
    for (auto& v : x) v = nd(rng);
    for (int i = 0; i < 5; ++i) s += ex[i] = std::exp(x[i].to_double());
    y_t ys[5], yl[5], ya[5];
    kml::softmax<x_t, y_t, Stable>(x, ys);
    kml::softmax<x_t, y_t, Latency>(x, yl);
    kml::softmax<x_t, y_t, Argmax>(x, ya);
    int best = 0;
    for (int i = 1; i < 5; ++i)
      if (x[i] > x[best]) best = i;
    for (int i = 0; i < 5; ++i) {
      e_stable = std::max(e_stable, std::fabs(ys[i].to_double() - ex[i] / s));
      e_latency = std::max(e_latency, std::fabs(yl[i].to_double() - ex[i] / s));
      CHECK(ya[i].to_double() == (i == best ? 1.0 : 0.0));
    }
  }
  std::printf("softmax (5 inputs ~ N(0, 1)): max |error| stable %.3g, latency %.3g\n", e_stable, e_latency);
  CHECK(e_stable < 0.02);
  CHECK(e_latency < 0.1);
}
