// The converter's architecture (docs/architecture.md): the named pass list (--skip-pass, --dump-ir-after) and the
// backends behind emit::Backend.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <sstream>

#include "config/config.h"
#include "convert.h"
#include "emit/backend.h"
#include "emit/hls/emitter.h"
#include "ir/graph.h"
#include "passes/passes.h"
#include "readers/keras_model.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace {

std::string data(const std::string& f) { return std::string(KML_TEST_DATA) + "/" + f; }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kml::Error& e) {
    return e.what();
  }
  return "";
}

// Every JSON document of a --dump-ir-after stream.
std::vector<nlohmann::json> documents(const std::string& text) {
  std::vector<nlohmann::json> r;
  std::istringstream in(text);
  // operator>> reads one document and stops after it; json::parse(istream) insists on the end of the input.
  while (in >> std::ws && in.peek() != EOF) {
    nlohmann::json j;
    in >> j;
    r.push_back(std::move(j));
  }
  return r;
}

std::vector<std::string> ops_of(const nlohmann::json& graph) {
  std::vector<std::string> r;
  for (const auto& n : graph.at("nodes")) r.push_back(n.at("op").get<std::string>());
  return r;
}

}  // namespace

TEST_CASE("passes: a named, ordered list", "[architecture][passes]") {
  std::vector<std::string> names;
  for (const auto& p : kml::passes::pipeline()) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{"remove_identities", "channels_last", "split_activations", "fuse_batchnorm",
                                          "apply_config", "quantizer_precisions", "infer_precisions",
                                          "validate_reuse_factors"});
  REQUIRE(kml::passes::find_pass("fuse_batchnorm"));
  CHECK(kml::passes::find_pass("fuse_batchnorm")->needed.empty());
  CHECK_FALSE(kml::passes::find_pass("apply_config")->needed.empty());
  CHECK_FALSE(kml::passes::find_pass("fuse"));

  kml::passes::Options o;
  o.skip = {"fuse"};
  CHECK(error_of([&] { kml::passes::check_options(o); }) ==
        "--skip-pass: unknown pass 'fuse' (the passes, in order: remove_identities, channels_last, split_activations, "
        "fuse_batchnorm, apply_config, quantizer_precisions, infer_precisions, validate_reuse_factors)");
  o.skip = {"apply_config"};
  CHECK(error_of([&] { kml::passes::check_options(o); }) ==
        "--skip-pass: pass 'apply_config' cannot be skipped: every later stage needs the nodes' precisions and settings");
  o.skip = {"fuse_batchnorm"};
  o.dump_after = {"read", "nope"};
  std::ostringstream sink;
  o.dump = &sink;
  CHECK(error_of([&] { kml::passes::check_options(o); }).rfind("--dump-ir-after: unknown pass 'nope'", 0) == 0);
}

TEST_CASE("passes: --dump-ir-after prints the graph; --skip-pass fuse_batchnorm keeps BatchNormalization",
          "[architecture][passes]") {
  // conv2d.h5: Conv2D -> BatchNormalization -> ... (the fused form folds the BatchNormalization away).
  for (bool skip : {false, true}) {
    kml::readers::ReadResult r = kml::readers::read_model(data("conv2d.h5"), "");
    kml::passes::Options o;
    if (skip) o.skip = {"fuse_batchnorm"};
    o.dump_after = {"read", "fuse_batchnorm", "validate_reuse_factors"};
    std::ostringstream dump;
    o.dump = &dump;
    kml::passes::run_passes(r.graph, kml::Config{}, o);
    const auto docs = documents(dump.str());
    REQUIRE(docs.size() == 3);
    CHECK(docs[0].at("after") == "read");
    CHECK(docs[1].at("after") == "fuse_batchnorm");
    CHECK(docs[2].at("after") == "validate_reuse_factors");
    const auto read_ops = ops_of(docs[0].at("graph")), fused_ops = ops_of(docs[1].at("graph"));
    CHECK(std::count(read_ops.begin(), read_ops.end(), "batchnorm") == 1);
    CHECK(std::count(fused_ops.begin(), fused_ops.end(), "batchnorm") == (skip ? 1 : 0));
    // Before apply_config no precisions; the last dump has the graph as the backend gets it.
    const nlohmann::json& last = docs[2].at("graph");
    CHECK(docs[0].at("graph").at("nodes").at(1).at("types").empty());
    CHECK(last.at("nodes").at(1).at("types").contains("result"));
    CHECK(last.at("nodes").size() == r.graph.nodes().size());
    CHECK(last.at("inputs") == nlohmann::json(r.graph.inputs));
    for (const auto& n : last.at("nodes"))
      for (const auto& [key, w] : n.at("weights").items()) CHECK(w.contains("shape"));
  }
}

TEST_CASE("backends: the registry, and a graph refused before anything is written", "[architecture][backend]") {
  auto& reg = kml::emit::BackendRegistry::instance();
  CHECK(&reg.get("hls") == &kml::emit::hls_backend());
  CHECK(reg.get("hls").emits("dense"));
  CHECK_FALSE(reg.get("hls").emits("mystery"));
  CHECK(error_of([&] { reg.get("verilog"); }).rfind("unknown backend 'verilog' (known: hls", 0) == 0);

  kml::ir::Graph g;
  kml::ir::Node in;
  in.name = in.keras_name = "x";
  in.op = "input";
  in.shape = {4};
  g.add(in);
  kml::ir::Node m;
  m.name = m.keras_name = "m";
  m.keras_class = "Mystery";
  m.op = "mystery";
  m.inputs = {"x"};
  m.shape = {4};
  g.add(m);
  CHECK(error_of([&] { reg.get("hls").check(g, kml::Config{}); }) ==
        "layer 'm' (Mystery): the hls backend has no emitter for IR op 'mystery' (a plugin adds one per backend: "
        "docs/extensions.md)");

  // convert(): an unknown backend is refused before anything is read or written.
  kml::ConvertOptions o;
  o.model = data("dense_jet.keras");
  o.out_dir = (fs::path(KML_TEST_TMP) / "backend_unknown" / "prj").string();
  o.backend = "verilog";
  CHECK(error_of([&] { kml::convert(o); }).rfind("unknown backend 'verilog'", 0) == 0);
  CHECK_FALSE(fs::exists(o.out_dir));
}
