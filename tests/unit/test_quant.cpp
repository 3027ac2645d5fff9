// Quantizer math: QKeras quantizers and HGQ2 fixed-point rounding / overflow modes. Every expected value is
// worked out by hand from the published formulas (comments show the arithmetic).
#include <catch2/catch.hpp>

#include "quant/fixed.h"
#include "quant/qkeras.h"
#include "util/error.h"

using kml::quant::fixed_quantize;
using kml::quant::Overflow;
using kml::quant::QKerasQuantizer;
using kml::quant::Round;
using nlohmann::json;

namespace {
double act(const char* q, double x) { return QKerasQuantizer::parse(json(q)).apply(x); }
std::vector<double> weights(const json& q, std::vector<std::size_t> shape, std::vector<double> v) {
  kml::ir::Tensor t;
  t.shape = std::move(shape);
  t.data = std::move(v);
  return QKerasQuantizer::parse(q).quantize_weights(t).values;
}
}  // namespace

TEST_CASE("QKeras quantized_bits: round half to even, saturation, symmetric", "[quant]") {
  // bits=4, integer=0, keep_negative: m = 2^3, xq = clip(round(8x), -8, 7) / 8
  const char* q = "quantized_bits(4,0)";
  CHECK(act(q, 0.3) == 0.25);      // 2.4 -> 2
  CHECK(act(q, 0.1875) == 0.25);   // 1.5 -> 2 (even)
  CHECK(act(q, 0.3125) == 0.25);   // 2.5 -> 2 (even)
  CHECK(act(q, -0.0625) == 0.0);   // -0.5 -> 0 (even)
  CHECK(act(q, 1.0) == 0.875);     // 8 -> 7
  CHECK(act(q, -2.0) == -1.0);     // -16 -> -8
  CHECK(act("quantized_bits(4,0,1)", -2.0) == -0.875);  // symmetric: lower bound -7
  // Weights use the same math.
  auto w = weights(json("quantized_bits(4,0)"), {4}, {0.3, 0.1875, 1.0, -2.0});
  CHECK(w == std::vector<double>{0.25, 0.25, 0.875, -1.0});
}

TEST_CASE("QKeras quantized_bits keep_negative=False and fixed alpha", "[quant]") {
  // bits=4, integer=2, unsigned: m = 16, m_i = 4, xq = clip(round(4x), 0, 15) / 4
  json q = {{"class_name", "quantized_bits"},
            {"config", {{"bits", 4}, {"integer", 2}, {"symmetric", 0}, {"keep_negative", false}, {"alpha", 1}}}};
  auto w = weights(q, {4}, {1.375, 1.125, -1.0, 5.0});
  CHECK(w == std::vector<double>{1.5, 1.0, 0.0, 3.75});  // 5.5 -> 6, 4.5 -> 4, clip 0, clip 15
  auto a = weights(json("quantized_bits(4,0,alpha=0.5)"), {1}, {0.3});
  CHECK(a[0] == 0.125);  // 0.5 * 0.25
}

TEST_CASE("QKeras quantized_bits alpha=auto_po2: per-channel power-of-two scales", "[quant]") {
  // Kernel (2, 2), channels on the last axis. bits=4: levels = 14, z in [-7, 7].
  // ch0 = {0.5, -0.25}: scale 0.5*2/14 -> 2^round(log2 0.0714) = 2^-4; z = {min(8,7), -4} = {7, -4};
  //   least squares 2.25 / 32.5 -> 2^-4 again: {0.4375, -0.25}.
  // ch1 = {0.05, 0.02}: 0.05/7 -> 2^-7; z = {floor(6.9), floor(3.06)} = {6, 3}; 0.18/22.5 -> 2^-7: {6, 3} * 2^-7.
  json q = {{"class_name", "quantized_bits"}, {"config", {{"bits", 4}, {"integer", 0}, {"alpha", "auto_po2"}}}};
  auto w = weights(q, {2, 2}, {0.5, 0.05, -0.25, 0.02});
  CHECK(w == std::vector<double>{0.4375, 0.046875, -0.25, 0.0234375});
}

TEST_CASE("QKeras quantized_relu, quantized_tanh, quantized_sigmoid", "[quant]") {
  // quantized_relu(3,1): m = 8, m_i = 2: 2 * clip(round(4x) / 8, 0, 7/8) -> grid 0.25, max 1.75
  CHECK(act("quantized_relu(3,1)", 0.375) == 0.5);  // 1.5 -> 2
  CHECK(act("quantized_relu(3,1)", 0.625) == 0.5);  // 2.5 -> 2
  CHECK(act("quantized_relu(3,1)", 3.0) == 1.75);
  CHECK(act("quantized_relu(3,1)", -1.0) == 0.0);
  // quantized_tanh(3): m = 4: clip(round(4 clip(x, -1, 1)) / 4, -1, 0.75)
  CHECK(act("quantized_tanh(3)", 0.375) == 0.5);
  CHECK(act("quantized_tanh(3)", 2.0) == 0.75);
  CHECK(act("quantized_tanh(3)", -2.0) == -1.0);
  CHECK(act("quantized_tanh(3,symmetric=True)", -2.0) == -0.75);
  // quantized_sigmoid(3): m = 8 on clip(0.5x + 0.5, 0, 1)
  CHECK(act("quantized_sigmoid(3)", 0.125) == 0.5);  // 0.5625 * 8 = 4.5 -> 4
  CHECK(act("quantized_sigmoid(3)", 10.0) == 0.875);
}

TEST_CASE("QKeras binary, ternary, quantized_po2", "[quant]") {
  CHECK(act("binary", 0.0) == 1.0);  // sign(0) -> +1
  CHECK(act("binary", -0.1) == -1.0);
  CHECK(act("binary(use_01=True)", -0.1) == 0.0);
  CHECK(act("ternary", 0.33) == 1.0);  // default threshold 0.33, inclusive
  CHECK(act("ternary", 0.2) == 0.0);
  CHECK(act("ternary", -0.5) == -1.0);
  // quantized_po2(4, max_value=1): exponent bits 3, no exponent sign bit: exponents in [-8, 7]
  auto w = weights(json("quantized_po2(4,1)"), {4}, {0.3, -0.75, 5.0, 0.0});
  CHECK(w == std::vector<double>{0.25, -1.0, 1.0, 0.00390625});  // 2^round(-1.74), -2^round(-0.41), clip 1, 2^-8
}

TEST_CASE("QKeras quantizer strings and unsupported settings", "[quant]") {
  QKerasQuantizer q = QKerasQuantizer::parse(json("quantized_relu(3,1)"));
  CHECK(q.cls == "quantized_relu");
  CHECK(q.params["bits"] == 3);
  CHECK(q.params["integer"] == 1);
  CHECK_THROWS_WITH(QKerasQuantizer::parse(json("quantized_ulaw(8)")), Catch::Contains("quantized_ulaw"));
  CHECK_THROWS_WITH(QKerasQuantizer::parse(json("quantized_relu(3,1,negative_slope=0.25)")).activation(),
                    Catch::Contains("negative_slope"));
  CHECK_THROWS_WITH(QKerasQuantizer::parse(json("quantized_bits(4,0,qnoise_factor=0.5)")), Catch::Contains("qnoise_factor"));
}

TEST_CASE("HGQ2 rounding modes", "[quant]") {
  // k=1, i=1, f=2: grid 0.25; values scaled by 4.
  auto q = [](double x, Round r) { return fixed_quantize(x, 1, 1, 2, r, Overflow::SAT); };
  CHECK(q(0.3125, Round::RND) == 0.25);        // floor(1.25 + 0.5) = 1
  CHECK(q(0.375, Round::RND) == 0.5);          // 1.5 -> 2 (ties up)
  CHECK(q(-0.375, Round::RND) == -0.25);       // -1.5 -> -1 (ties up)
  CHECK(q(0.625, Round::RND_CONV) == 0.5);     // 2.5 -> 2 (even)
  CHECK(q(-0.375, Round::RND_CONV) == -0.5);   // -1.5 -> -2 (even)
  CHECK(q(-0.3, Round::TRN) == -0.5);          // floor(-1.2) = -2
  CHECK(q(0.3, Round::TRN) == 0.25);
  CHECK(q(-0.3, Round::TRN_ZERO) == -0.25);    // toward zero
  CHECK(q(-0.375, Round::RND_ZERO) == -0.25);  // tie toward zero
  CHECK(q(0.375, Round::RND_ZERO) == 0.25);
  CHECK(q(0.375, Round::RND_MIN_INF) == 0.25); // tie toward -inf
  CHECK(q(-0.375, Round::RND_MIN_INF) == -0.5);
  CHECK(q(0.375, Round::RND_INF) == 0.5);      // tie away from zero
  CHECK(q(-0.375, Round::RND_INF) == -0.5);
}

TEST_CASE("HGQ2 overflow modes", "[quant]") {
  // k=1, i=1, f=2: range [-2, 1.75]
  CHECK(fixed_quantize(3.0, 1, 1, 2, Round::RND, Overflow::SAT) == 1.75);
  CHECK(fixed_quantize(-3.0, 1, 1, 2, Round::RND, Overflow::SAT) == -2.0);
  CHECK(fixed_quantize(-3.0, 1, 1, 2, Round::RND, Overflow::SAT_SYM) == -1.75);
  CHECK(fixed_quantize(2.0, 1, 1, 2, Round::RND, Overflow::WRAP) == -2.0);     // (2 + 2) mod 4 - 2
  CHECK(fixed_quantize(-2.25, 1, 1, 2, Round::RND, Overflow::WRAP) == 1.75);   // (-0.25 mod 4) - 2
  CHECK(fixed_quantize(1.75, 1, 1, 2, Round::RND, Overflow::WRAP) == 1.75);
  // Unsigned (k=0), i=1, f=2: modulo 2.
  CHECK(fixed_quantize(2.5, 0, 1, 2, Round::RND, Overflow::WRAP) == 0.5);
  CHECK(fixed_quantize(-0.25, 0, 1, 2, Round::RND, Overflow::WRAP) == 1.75);
  // k + i + f <= 0: constantly zero.
  CHECK(fixed_quantize(1.0, 0, 0, 0, Round::RND, Overflow::SAT) == 0.0);
  // Weights in WRAP mode are only rounded.
  CHECK(fixed_quantize(5.3, 1, 1, 2, Round::RND, Overflow::NONE) == 5.25);
  CHECK_THROWS_WITH(kml::quant::parse_round("S_RND"), Catch::Contains("stochastic"));
  CHECK_THROWS_WITH(kml::quant::parse_overflow("WRAP_SM"), Catch::Contains("WRAP_SM"));
}

TEST_CASE("Smallest exact fixed-point types", "[quant]") {
  CHECK(kml::quant::precision_for(-2, 1.75, 2).cpp() == "ap_fixed<4,2>");
  CHECK(kml::quant::precision_for(0, 1.75, 2).cpp() == "ap_ufixed<3,1>");
  CHECK(kml::quant::precision_for_values({0.5, -0.25}).cpp() == "ap_fixed<3,1>");
}
