// Converter front end: precision strings, TOML config resolution, readers' handling of bad input, atomic output.
#include "test_dirs.h"
#include <hdf5.h>
#include <zip.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "config/precision.h"
#include "convert.h"
#include "io/zip.h"
#include "readers/keras_model.h"
#include "util/error.h"

namespace fs = std::filesystem;
using kml::Config;
using kml::Error;
using kml::parse_precision;
using kml::Precision;

namespace {

fs::path tmpdir(const std::string& name) { return kml_test::fresh_dir(name); }

std::string data(const std::string& f) { return std::string(KML_TEST_DATA) + "/" + f; }

void write(const fs::path& p, const std::string& text) {
  std::ofstream o(p, std::ios::binary);
  o << text;
}

// Run a conversion expected to fail; return the message.
std::string convert_error(const kml::ConvertOptions& o) {
  try {
    kml::convert(o);
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("conversion unexpectedly succeeded");
  return "";
}

}  // namespace

TEST_CASE("precision strings", "[precision]") {
  Precision p = parse_precision("ap_fixed<16,6>");
  CHECK(p.is_signed);
  CHECK(p.width == 16);
  CHECK(p.integer == 6);
  CHECK(p.rounding == "AP_TRN");
  CHECK(p.overflow == "AP_WRAP");
  CHECK(p.cpp() == "ap_fixed<16,6>");

  p = parse_precision(" ap_ufixed<8, 0, AP_RND_CONV, AP_SAT> ");
  CHECK_FALSE(p.is_signed);
  CHECK(p.cpp() == "ap_ufixed<8,0,AP_RND_CONV,AP_SAT>");
  CHECK(parse_precision("fixed<10,4,RND,SAT_SYM>").cpp() == "ap_fixed<10,4,AP_RND,AP_SAT_SYM>");
  CHECK(parse_precision("ap_fixed<12,4,AP_TRN,AP_WRAP,2>").cpp() == "ap_fixed<12,4,AP_TRN,AP_WRAP,2>");
  CHECK(parse_precision("ap_int<8>").cpp() == "ap_fixed<8,8>");
  CHECK(parse_precision("ap_uint<3>").cpp() == "ap_ufixed<3,3>");
  CHECK(parse_precision("ap_fixed<8,-2>").integer == -2);
  CHECK(parse_precision("ap_fixed<4,9>").integer == 9);
  CHECK(parse_precision("float").kind == Precision::Kind::Float);
  CHECK(parse_precision("double").kind == Precision::Kind::Double);
  CHECK(parse_precision("auto").is_auto());

  CHECK_THROWS_WITH(parse_precision("ap_fixed<16,6"), Catch::Contains("expected ap_fixed<W,I>"));
  CHECK_THROWS_WITH(parse_precision("ap_fixed<16>"), Catch::Contains("2 to 5 parameters"));
  CHECK_THROWS_WITH(parse_precision("ap_fixed<x,6>"), Catch::Contains("width 'x' is not an integer"));
  CHECK_THROWS_WITH(parse_precision("ap_fixed<16,6,AP_ROUND>"), Catch::Contains("unknown rounding mode 'AP_ROUND'"));
  CHECK_THROWS_WITH(parse_precision("ap_fixed<16,6,AP_RND,AP_CLIP>"), Catch::Contains("unknown overflow mode"));
  CHECK_THROWS_WITH(parse_precision("ap_fixed<0,0>"), Catch::Contains("outside 1..64"));
  CHECK_THROWS_WITH(parse_precision("bfloat16"), Catch::Contains("bad precision 'bfloat16'"));
  CHECK_THROWS_WITH(parse_precision("ap_fixd<16,6>"), Catch::Contains("unknown type 'ap_fixd'"));
}

TEST_CASE("config resolution: layer name beats layer type beats model beats default", "[config]") {
  Config c = Config::parse(R"(
[model]
precision = "ap_fixed<12,4>"
reuse_factor = 2
io_type = "io_parallel"
part = "xc7z020clg400-1"
clock_period = 4

[layer_type.Dense]
precision.weight = "ap_fixed<8,2>"
strategy = "resource"

[layer.fc2]
precision = "float"
reuse_factor = 8
)", "cfg.toml");
  Precision def = Precision::fixed(16, 6);
  CHECK(c.part == "xc7z020clg400-1");
  CHECK(c.clock_period == 4.0);
  CHECK(c.precision("weight", {"fc1"}, {"Dense"}, def).cpp() == "ap_fixed<8,2>");
  CHECK(c.precision("result", {"fc1"}, {"Dense"}, def).cpp() == "ap_fixed<12,4>");
  CHECK(c.precision("weight", {"fc2"}, {"Dense"}, def).cpp() == "float");
  CHECK(c.precision("result", {"act"}, {"Activation"}, def).cpp() == "ap_fixed<12,4>");
  CHECK(c.setting(&kml::LayerSettings::reuse_factor, {"fc2"}, {"Dense"}, 1) == 8);
  CHECK(c.setting(&kml::LayerSettings::reuse_factor, {"fc1"}, {"Dense"}, 1) == 2);
  CHECK(c.setting(&kml::LayerSettings::strategy, {"fc1"}, {"Dense"}, std::string("latency")) == "resource");
  CHECK(c.setting(&kml::LayerSettings::strategy, {"x"}, {"Activation"}, std::string("latency")) == "latency");

  Config d = Config::parse("", "empty.toml");
  CHECK(d.io_type == "io_parallel");
  CHECK(d.part == "xcvu13p-flga2577-2-e");
  CHECK(d.clock_period == 5.0);
  CHECK(d.precision("result", {"a"}, {"Dense"}, def).cpp() == "ap_fixed<16,6>");
}

TEST_CASE("config errors name the file, the line and the key", "[config]") {
  CHECK_THROWS_WITH(Config::parse("[model]\nreuse_factr = 2\n", "c.toml"),
                    Catch::Contains("c.toml:2") && Catch::Contains("unknown key 'model.reuse_factr'"));
  CHECK_THROWS_WITH(Config::parse("[model]\n\nprecision = \"ap_fixed<16,6\"\n", "c.toml"),
                    Catch::Contains("c.toml:3") && Catch::Contains("'model.precision'"));
  CHECK_THROWS_WITH(Config::parse("[layer.fc1]\nprecision.reslt = \"ap_fixed<8,3>\"\n", "c.toml"),
                    Catch::Contains("c.toml:2") && Catch::Contains("unknown precision role 'layer.fc1.precision.reslt'"));
  CHECK_THROWS_WITH(Config::parse("[model]\nreuse_factor = 0\n", "c.toml"), Catch::Contains("positive integer"));
  CHECK_THROWS_WITH(Config::parse("[model]\nio_type = \"io_serial\"\n", "c.toml"), Catch::Contains("io_type"));
  CHECK_THROWS_WITH(Config::parse("[model\nprecision = 1\n", "c.toml"), Catch::Contains("c.toml:1") && Catch::Contains("invalid TOML"));
  CHECK_THROWS_WITH(Config::parse("[modle]\n", "c.toml"), Catch::Contains("unknown key 'modle'"));
}

TEST_CASE("all four file forms read into the same graph", "[readers]") {
  auto a = kml::readers::read_model(data("dense_jet.keras"));
  auto b = kml::readers::read_model(data("dense_jet.h5"));
  CHECK(a.format == "keras3-archive");
  CHECK(b.format == "keras3-h5");
  REQUIRE(a.graph.nodes().size() == b.graph.nodes().size());
  for (std::size_t i = 0; i < a.graph.nodes().size(); ++i) {
    const auto& x = *a.graph.nodes()[i];
    const auto& y = *b.graph.nodes()[i];
    CHECK(x.op == y.op);
    CHECK(x.shape == y.shape);
    REQUIRE(x.weights.size() == y.weights.size());
    for (const auto& [k, t] : x.weights) CHECK(t.data == y.weights.at(k).data);
  }
  // The .h5 weights with a Keras-2 style JSON architecture (--weights).
  fs::path dir = tmpdir("json_form");
  write(dir / "arch.json", R"({"class_name": "Sequential", "keras_version": "2.4.0", "config": {"name": "dense_jet", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 16], "name": "input_layer"}},
    {"class_name": "Dense", "config": {"name": "dense", "units": 64, "activation": "relu"}},
    {"class_name": "Dense", "config": {"name": "dense_1", "units": 32, "activation": "relu"}},
    {"class_name": "Dense", "config": {"name": "dense_2", "units": 32, "activation": "relu"}},
    {"class_name": "Dense", "config": {"name": "dense_3", "units": 5, "activation": "softmax"}}]}})");
  auto c = kml::readers::read_model((dir / "arch.json").string(), data("dense_jet.h5"));
  CHECK(c.format == "keras2-json");
  REQUIRE(c.graph.nodes().size() == a.graph.nodes().size());
  CHECK(c.graph.nodes()[1]->weights.at("kernel").data == a.graph.nodes()[1]->weights.at("kernel").data);
}

TEST_CASE("bad input: one clear error naming the file, no output left behind", "[readers][errors]") {
  fs::path dir = tmpdir("bad_input");
  kml::ConvertOptions o;
  o.out_dir = (dir / "out").string();

  SECTION("truncated .h5") {
    fs::copy_file(data("dense_jet.h5"), dir / "trunc.h5");
    fs::permissions(dir / "trunc.h5", fs::perms::owner_write, fs::perm_options::add);
    fs::resize_file(dir / "trunc.h5", fs::file_size(dir / "trunc.h5") / 2);
    o.model = (dir / "trunc.h5").string();
    std::string msg = convert_error(o);
    CHECK_THAT(msg, Catch::StartsWith(o.model));
    CHECK_THAT(msg, Catch::Contains("truncated or corrupt"));
  }
  SECTION("truncated .keras") {
    fs::copy_file(data("dense_jet.keras"), dir / "trunc.keras");
    fs::permissions(dir / "trunc.keras", fs::perms::owner_write, fs::perm_options::add);
    fs::resize_file(dir / "trunc.keras", fs::file_size(dir / "trunc.keras") - 100);
    o.model = (dir / "trunc.keras").string();
    CHECK_THAT(convert_error(o), Catch::StartsWith(o.model));
  }
  SECTION(".keras without config.json") {
    kml::zip::Archive src(data("dense_jet.keras"));
    auto weights = *src.read("model.weights.h5");
    int err = 0;
    std::string path = (dir / "noconfig.keras").string();
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    REQUIRE(z);
    zip_source_t* s = zip_source_buffer(z, weights.data(), weights.size(), 0);
    REQUIRE(zip_file_add(z, "model.weights.h5", s, ZIP_FL_OVERWRITE) >= 0);
    REQUIRE(zip_close(z) == 0);
    o.model = path;
    std::string msg = convert_error(o);
    CHECK_THAT(msg, Catch::StartsWith(path) && Catch::Contains("no config.json"));
  }
  SECTION("a Lambda layer") {
    write(dir / "lambda.json", R"({"class_name": "Sequential", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 16], "name": "input_layer"}},
      {"class_name": "Dense", "config": {"name": "dense", "units": 64, "activation": "relu"}},
      {"class_name": "Lambda", "config": {"name": "my_lambda", "function": "x * 2"}}]}})");
    o.model = (dir / "lambda.json").string();
    o.weights = data("dense_jet.h5");
    std::string msg = convert_error(o);
    CHECK_THAT(msg, Catch::StartsWith(o.model) && Catch::Contains("'my_lambda'") && Catch::Contains("Lambda"));
  }
  SECTION("an unknown layer class") {
    write(dir / "unknown.json", R"({"class_name": "Sequential", "config": {"name": "m", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 16], "name": "input_layer"}},
      {"class_name": "FancyLayer", "config": {"name": "fancy"}}]}})");
    o.model = (dir / "unknown.json").string();
    o.weights = data("dense_jet.h5");
    CHECK_THAT(convert_error(o), Catch::Contains("'fancy'") && Catch::Contains("unsupported class 'FancyLayer'"));
  }
  SECTION("a missing weights dataset") {
    fs::copy_file(data("dense_jet.h5"), dir / "missing.h5");
    fs::permissions(dir / "missing.h5", fs::perms::owner_write, fs::perm_options::add);
    hid_t f = H5Fopen((dir / "missing.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(f >= 0);
    REQUIRE(H5Ldelete(f, "/model_weights/dense_1/dense_jet/dense_1/kernel", H5P_DEFAULT) >= 0);
    H5Fclose(f);
    o.model = (dir / "missing.h5").string();
    std::string msg = convert_error(o);
    CHECK_THAT(msg, Catch::StartsWith(o.model) && Catch::Contains("layer 'dense_1'") && Catch::Contains("missing weights"));
  }
  SECTION("a bad TOML config") {
    write(dir / "bad.toml", "[model]\nprecision = \"ap_fixed<16,6,AP_BOGUS>\"\n");
    o.model = data("dense_jet.keras");
    o.config = (dir / "bad.toml").string();
    std::string msg = convert_error(o);
    CHECK_THAT(msg, Catch::StartsWith(o.config + ":2") && Catch::Contains("model.precision"));
  }
  SECTION("a missing model file") {
    o.model = (dir / "nope.keras").string();
    CHECK_THAT(convert_error(o), Catch::StartsWith(o.model) && Catch::Contains("no such file"));
  }
  CHECK_FALSE(fs::exists(o.out_dir));
  // No staging directories left behind either.
  for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("a failed conversion leaves an existing project untouched", "[errors]") {
  fs::path dir = tmpdir("keep_existing");
  kml::ConvertOptions o;
  o.model = data("dense_jet.keras");
  o.out_dir = (dir / "prj").string();
  kml::convert(o);
  REQUIRE(fs::exists(dir / "prj" / "firmware" / "model.cpp"));
  auto before = fs::last_write_time(dir / "prj" / "kml_manifest.json");
  write(dir / "bad.toml", "[model]\nstrategy = \"fastest\"\n");
  o.config = (dir / "bad.toml").string();
  CHECK_THROWS_AS(kml::convert(o), Error);
  CHECK(fs::exists(dir / "prj" / "firmware" / "model.cpp"));
  CHECK(fs::last_write_time(dir / "prj" / "kml_manifest.json") == before);
}
