// Emitter text helpers: the number spellings of append_literal(), the ConfigStruct builder, NodeNames::call and
// kernel_bias_layer.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"

using kml::emit::append_literal;
using kml::emit::ConfigStruct;
using kml::emit::Spelling;

namespace {

std::string spell(double v, Spelling how) {
  std::string s = "x";  // appends: what is there stays
  append_literal(s, v, how);
  return s.substr(1);
}

}  // namespace

TEST_CASE("append_literal spellings", "[emit]") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  SECTION("Double: shortest round trip") {
    CHECK(spell(0.1, Spelling::Double) == "0.1");
    CHECK(spell(64, Spelling::Double) == "64");
    CHECK(spell(1e-5, Spelling::Double) == "1e-05");
    CHECK(spell(-0.0, Spelling::Double) == "-0");
    CHECK(spell(1.0 / 3, Spelling::Double) == "0.3333333333333333");
    CHECK(spell(nan, Spelling::Double) == "0");
    CHECK(kml::emit::literal(0.1, false) == "0.1");
  }
  SECTION("Float: the value rounded to float, no suffix") {
    CHECK(spell(0.1, Spelling::Float) == "0.1");
    CHECK(spell(1.0 / 3, Spelling::Float) == "0.33333334");
    CHECK(spell(nan, Spelling::Float) == "0");
    CHECK(kml::emit::literal(1.0 / 3, true) == "0.33333334");
  }
  SECTION("DoubleLiteral: whole numbers get a decimal point") {
    CHECK(spell(1, Spelling::DoubleLiteral) == "1.0");
    CHECK(spell(-1, Spelling::DoubleLiteral) == "-1.0");
    CHECK(spell(0.25, Spelling::DoubleLiteral) == "0.25");
    CHECK(spell(1e22, Spelling::DoubleLiteral) == "1e+22");
    CHECK(spell(inf, Spelling::DoubleLiteral) == "inf");
    CHECK(spell(nan, Spelling::DoubleLiteral) == "0.0");
  }
  SECTION("Initializer: integers, float32 values with f, other values as double") {
    CHECK(spell(3, Spelling::Initializer) == "3");
    CHECK(spell(-0.0, Spelling::Initializer) == "0");
    CHECK(spell(1e15, Spelling::Initializer) == "1000000000000000");
    CHECK(spell(9007199254740992.0, Spelling::Initializer) == "9.007199e+15f");  // 2^53: a float
    CHECK(spell(static_cast<float>(0.1), Spelling::Initializer) == "0.1f");
    CHECK(spell(0.5, Spelling::Initializer) == "0.5f");
    CHECK(spell(0.1, Spelling::Initializer) == "0.1");
    CHECK(spell(1.0 / 3, Spelling::Initializer) == "0.3333333333333333");
    CHECK(spell(nan, Spelling::Initializer) == "0");
  }
  SECTION("every spelling reads back as the value") {
    for (double v : {0.1, 1.0 / 3, 1e-300, 123456.789, -2.5e-7, 5e-324}) {
      CHECK(std::strtod(spell(v, Spelling::Double).c_str(), nullptr) == v);
      CHECK(std::strtod(spell(v, Spelling::DoubleLiteral).c_str(), nullptr) == v);
      CHECK(std::strtod(spell(v, Spelling::Initializer).c_str(), nullptr) == v);
      CHECK(std::strtof(spell(v, Spelling::Float).c_str(), nullptr) == static_cast<float>(v));
    }
  }
}

TEST_CASE("ConfigStruct writes the config struct text", "[emit]") {
  CHECK(ConfigStruct("config3", "kml::dense_config")
            .u("n_in", 16)
            .b("resource", false)
            .i("op", 2, "multiply")
            .i("implementation", -1)
            .d("scale", 0.5)
            .d("pre_scale", 1, Spelling::DoubleLiteral)
            .type("accum_t", "accum3_t")
            .str() ==
        "struct config3 : kml::dense_config {\n"
        "  static const unsigned n_in = 16u;\n"
        "  static const bool resource = false;\n"
        "  static const int op = 2;  // multiply\n"
        "  static const int implementation = -1;\n"
        "  static constexpr double scale = 0.5;\n"
        "  static constexpr double pre_scale = 1.0;\n"
        "  typedef accum3_t accum_t;\n"
        "};\n");
  // Several names in one declaration; a comment after the brace.
  CHECK(ConfigStruct("config7", "kml::rnn_config", "lstm")
            .u({{"d0", 1}, {"d1", 2}})
            .d({{"act_slope", 0.2}, {"act_offset", 0.5}})
            .str() ==
        "struct config7 : kml::rnn_config {  // lstm\n"
        "  static const unsigned d0 = 1u, d1 = 2u;\n"
        "  static constexpr double act_slope = 0.2, act_offset = 0.5;\n"
        "};\n");
  CHECK(ConfigStruct("config1", "kml::concat_config").str() == "struct config1 : kml::concat_config {\n};\n");
}

TEST_CASE("ConfigStruct::members takes another struct's members", "[emit]") {
  const std::string dense = ConfigStruct("config2", "kml::dense_config").u("n_in", 4).b("resource", true).str();
  std::string members;
  REQUIRE(ConfigStruct::members(dense, "config2", "kml::dense_config", members));
  CHECK(members == "  static const unsigned n_in = 4u;\n  static const bool resource = true;\n");
  CHECK(ConfigStruct("config2", "kml::dense_po2_config").i("e_min", -3).raw(members).str() ==
        "struct config2 : kml::dense_po2_config {\n"
        "  static const int e_min = -3;\n"
        "  static const unsigned n_in = 4u;\n"
        "  static const bool resource = true;\n"
        "};\n");
  CHECK_FALSE(ConfigStruct::members(dense, "config3", "kml::dense_config", members));
  CHECK_FALSE(ConfigStruct::members(dense, "config2", "kml::conv_config", members));
  CHECK_FALSE(ConfigStruct::members("struct config2 : kml::dense_config {\n", "config2", "kml::dense_config", members));
}

TEST_CASE("NodeNames::call writes the usual layer template call", "[emit]") {
  kml::emit::NodeNames nn;
  nn.index = 3;
  nn.in_vars = {"x0", "layer2_out"};
  nn.in_types = {"input0_t", "layer2_t"};
  nn.out_var = "layer3_out";
  nn.out_type = "layer3_t";
  CHECK(nn.call("dense", {"w3", "b3"}) == "kml::dense<input0_t, layer3_t, config3>(x0, layer3_out, w3, b3);");
  CHECK(nn.call("relu") == "kml::relu<input0_t, layer3_t, config3>(x0, layer3_out);");
  CHECK(nn.call("merge", {}, 2) == "kml::merge<input0_t, layer2_t, layer3_t, config3>(x0, layer2_out, layer3_out);");
}

TEST_CASE("unsigned_literal", "[emit]") {
  CHECK(kml::emit::unsigned_literal(0) == "0u");
  CHECK(kml::emit::unsigned_literal(16) == "16u");
  CHECK(kml::emit::unsigned_literal(4294967295u) == "4294967295u");
}

TEST_CASE("kernel_bias_layer: the shared part of dense and the convolutions", "[emit]") {
  kml::ir::Node n;
  n.keras_name = "conv_1";
  n.reuse_factor = 4;
  n.strategy = "resource";
  for (const char* r : {"accum", "weight", "bias"}) n.types[r] = kml::Precision::fixed(16, 6);
  n.weights["kernel"] = {{2}, {0.5, -1}};
  n.weights["bias"] = {{1}, {0.25}};
  kml::emit::NodeNames nn;
  nn.node = &n;
  nn.index = 2;
  nn.in_vars = {"x0"};
  nn.in_types = {"input0_t"};
  nn.out_var = "layer2_out";
  nn.out_type = "layer2_t";
  const kml::emit::NodeCode c = kml::emit::kernel_bias_layer(
      nn, ConfigStruct("config2", "kml::conv_config").u("n_chan", 2), "kml/conv.h", "conv2d");
  CHECK(c.includes == std::vector<std::string>{"kml/conv.h"});
  REQUIRE(c.typedefs.size() == 3);
  CHECK(c.typedefs[0].first == "accum2_t");
  CHECK(c.typedefs[2].first == "bias2_t");
  CHECK(c.config ==
        "struct config2 : kml::conv_config {\n"
        "  static const unsigned n_chan = 2u;\n"
        "  static const unsigned reuse_factor = 4u;\n"
        "  static const bool resource = true;\n"
        "  typedef accum2_t accum_t;\n"
        "  typedef weight2_t weight_t;\n"
        "  typedef bias2_t bias_t;\n"
        "};\n");
  REQUIRE(c.weights.size() == 2);
  CHECK(c.weights[0].var == "w2");
  CHECK(c.weights[0].tensor == &n.weights.at("kernel"));
  CHECK(c.weights[0].comment == "conv_1 kernel");
  CHECK(c.weights[1].var == "b2");
  CHECK(c.weights[1].comment == "conv_1 bias");
  CHECK(c.call == "kml::conv2d<input0_t, layer2_t, config2>(x0, layer2_out, w2, b2);");
}
