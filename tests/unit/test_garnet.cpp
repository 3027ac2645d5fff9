// GarNet / GarNetStack (hls4ml's contrib/garnet.py): the reader's IR, its refusals, the layer's precision roles.
// The models are tests/models/make_models.py's (Keras 2 JSON + HDF5, as example-models ships garnet_1layer).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "config/config.h"
#include "config/hls4ml.h"
#include "io/hdf5.h"
#include "passes/passes.h"
#include "readers/keras_model.h"
#include "util/error.h"

namespace {

std::string model_file(const std::string& f) { return std::string(KML_TEST_MODELS) + "/" + f; }

kml::readers::ReadResult read(const std::string& name) {
  return kml::readers::read_model(model_file(name + ".json"), model_file(name + "_weights.h5"));
}

std::string read_error(const std::string& name) {
  try {
    read(name);
  } catch (const kml::Error& e) {
    return e.what();
  }
  return "";
}

const kml::ir::Node& garnet_node(const kml::ir::Graph& g) {
  for (const auto& n : g.nodes())
    if (n->op == "garnet") return *n;
  FAIL("no garnet node");
  throw 0;
}

}  // namespace

TEST_CASE("GarNet reads into one garnet node with the input transform contracted", "[models][garnet]") {
  auto r = read("garnet_mean");
  const auto& n = garnet_node(r.graph);
  CHECK(n.keras_class == "GarNet");
  CHECK(n.keras_name == "gar_1");
  REQUIRE(n.inputs == std::vector<std::string>{"input_1", "input_2"});
  CHECK(r.graph.inputs == std::vector<std::string>{"input_1", "input_2"});
  CHECK(n.shape == kml::ir::Shape{6});  // collapse mean: n_filters
  CHECK(n.attr["n_vertices"] == 16);
  CHECK(n.attr["collapse"] == "mean");
  CHECK(n.attr["mean_by_nvert"] == false);
  REQUIRE(n.attr["sublayers"].size() == 1);
  const auto& s = n.attr["sublayers"][0];
  CHECK(s["n_in"] == 4);
  CHECK(s["n_propagate"] == 5);
  CHECK(s["n_aggregators"] == 3);
  CHECK(s["n_out"] == 6);

  // in_kernel[a,f,o] = sum_p FLR_kernel[f,p] Fout_kernel[a*P+p,o], from the file's own datasets.
  auto f = kml::h5::File::open(model_file("garnet_mean_weights.h5"));
  const std::string g = "/model_weights/gar_1/gar_1/";
  auto flr_k = f.read(g + "FLR_kernel:0"), flr_b = f.read(g + "FLR_bias:0"), out_k = f.read(g + "Fout_kernel:0");
  auto s_k = f.read(g + "S_kernel:0"), out_b = f.read(g + "Fout_bias:0");
  const std::size_t F = 4, P = 5, A = 3, O = 6;
  const auto& ik = n.weights.at("in_kernel0");
  const auto& ib = n.weights.at("in_bias0");
  REQUIRE(ik.shape == kml::ir::Shape{A, F, O});
  REQUIRE(ib.shape == kml::ir::Shape{A, O});
  for (std::size_t a = 0; a < A; ++a)
    for (std::size_t o = 0; o < O; ++o) {
      double sb = 0;
      for (std::size_t p = 0; p < P; ++p) sb += flr_b.data[p] * out_k.data[(a * P + p) * O + o];
      CHECK(ib.data[a * O + o] == Approx(sb).margin(1e-12));
      for (std::size_t i = 0; i < F; ++i) {
        double sk = 0;
        for (std::size_t p = 0; p < P; ++p) sk += flr_k.data[i * P + p] * out_k.data[(a * P + p) * O + o];
        CHECK(ik.data[(a * F + i) * O + o] == Approx(sk).margin(1e-12));
      }
    }
  CHECK(n.weights.at("dist_kernel0").data == s_k.data);
  CHECK(n.weights.at("out_bias0").data == out_b.data);
}

TEST_CASE("GarNetStack: one garnet node, sublayers chained, ternary transforms with quantize_transforms",
          "[models][garnet]") {
  auto r = read("garnet_stack");
  const auto& n = garnet_node(r.graph);
  CHECK(n.keras_class == "GarNetStack");
  REQUIRE(n.attr["sublayers"].size() == 3);
  CHECK(n.attr["sublayers"][0]["n_in"] == 4);
  CHECK(n.attr["sublayers"][1]["n_in"] == 5);
  CHECK(n.attr["sublayers"][2]["n_in"] == 4);
  CHECK(n.shape == kml::ir::Shape{3});
  for (int k = 0; k < 3; ++k) CHECK(n.weights.count("in_kernel" + std::to_string(k)));

  // quantize_transforms: FLR and Fout kernels ternary (hls4ml's reading), so the contracted weights are integers.
  auto q = read("garnet_stack_q");
  const auto& nq = garnet_node(q.graph);
  CHECK(nq.attr["quantize_transforms"] == true);
  for (int k = 0; k < 3; ++k)
    for (const char* w : {"in_kernel", "in_bias"})
      for (double v : nq.weights.at(w + std::to_string(k)).data) CHECK(v == std::round(v));

  // Per-vertex output without collapse.
  auto v = read("garnet_vertices");
  CHECK(garnet_node(v.graph).shape == kml::ir::Shape{8, 5});
  CHECK(garnet_node(v.graph).attr["collapse"] == "none");
}

TEST_CASE("GarNet options kml does not implement are refused naming the option", "[models][garnet]") {
  std::string e = read_error("garnet_bad_simplified");
  CHECK_THAT(e, Catch::Contains("garnet_bad_simplified.json") && Catch::Contains("gar_1") &&
                    Catch::Contains("simplified=False"));
  CHECK_THAT(read_error("garnet_bad_activation"), Catch::Contains("output_activation \"tanh\""));
  CHECK_THAT(read_error("garnet_bad_format"), Catch::Contains("input_format 'x'"));
}

TEST_CASE("GarNet precision roles: hls4ml-style defaults, [layer_type.GarNet] overrides, catch-all leaves internals",
          "[models][garnet][config]") {
  auto types = [](const std::string& toml) {
    auto r = read("garnet_mean");
    kml::passes::run_passes(r.graph, kml::Config::parse(toml, "t.toml"));
    std::map<std::string, std::string> t;
    for (const auto& [role, p] : garnet_node(r.graph).types) t[role] = p.cpp();
    t["count"] = r.graph.at("input_2").type("result").cpp();
    return t;
  };
  auto d = types("");
  CHECK(d["edge_weight"] == "ap_ufixed<10,0,AP_RND,AP_SAT>");
  CHECK(d["distance"] == "ap_fixed<12,4,AP_RND,AP_SAT>");
  CHECK(d["edge_weight_aggr"] == "ap_ufixed<15,5>");  // sums of up to 16 edge weights
  CHECK(d["norm"] == "ap_ufixed<16,1,AP_RND>");
  CHECK(d["aggr"] == "ap_fixed<21,11>");  // 5 bits for 16 vertices + the input's 6 integer bits
  CHECK(d["count"] == "ap_ufixed<5,5>");   // the vertex count input: an unsigned integer holding 0..16
  // A catch-all precision sets the data roles only.
  auto c = types("[model]\nprecision = \"ap_fixed<18,8>\"\n");
  CHECK(c["result"] == "ap_fixed<18,8>");
  CHECK(c["weight"] == "ap_fixed<18,8>");
  CHECK(c["edge_weight"] == d["edge_weight"]);
  CHECK(c["aggr"] == "ap_fixed<23,13>");  // follows the input's 8 integer bits
  auto o = types("[layer_type.GarNet]\nprecision.edge_weight = \"ap_ufixed<14,0,AP_RND,AP_SAT>\"\n"
                 "precision.norm = \"ap_ufixed<20,1>\"\n[layer.input_2]\nprecision = \"ap_uint<8>\"\n");
  CHECK(o["edge_weight"] == "ap_ufixed<14,0,AP_RND,AP_SAT>");
  CHECK(o["norm"] == "ap_ufixed<20,1>");
  CHECK(o["count"] == "ap_ufixed<8,8>");  // ap_uint<8>, as kml spells it
  auto f = types("[model]\nprecision = \"float\"\n");
  CHECK(f["edge_weight"] == "float");
  CHECK(f["count"] == "float");
}

TEST_CASE("GarNet: hls4ml's per-variable precisions come through --from-hls4ml and set the layer's roles",
          "[models][garnet][config][hls4ml]") {
  // The keys hls4ml's GarNet template reads (LayerName or LayerType Precision dict: edge_weight, edge_weight_aggr,
  // aggr, norm) beside the usual default / result.
  const std::string yml = R"(HLSConfig:
  Model:
    Precision: ap_fixed<16, 6>
  LayerType:
    GarNet:
      ReuseFactor: 16
      Precision:
        default: ap_fixed<16, 6, AP_RND, AP_SAT>
        result: ap_fixed<16, 6>
        edge_weight: ap_ufixed<12, 0, AP_RND, AP_SAT>
        edge_weight_aggr: ap_ufixed<16, 6>
        aggr: ap_fixed<24, 12>
        norm: ap_ufixed<20, 1>
  LayerName:
    input_2:
      Precision:
        result: ap_uint<8>
)";
  auto imp = kml::import_hls4ml_text(yml, "garnet.yml", false);
  INFO(imp.toml);
  for (const auto& u : imp.unmapped) CHECK_THAT(u, !Catch::Contains("edge_weight") && !Catch::Contains("norm"));
  auto r = read("garnet_mean");
  kml::passes::run_passes(r.graph, kml::Config::parse(imp.toml, "garnet.toml"));
  const auto& n = garnet_node(r.graph);
  CHECK(n.type("edge_weight").cpp() == "ap_ufixed<12,0,AP_RND,AP_SAT>");
  CHECK(n.type("edge_weight_aggr").cpp() == "ap_ufixed<16,6>");
  CHECK(n.type("aggr").cpp() == "ap_fixed<24,12>");
  CHECK(n.type("norm").cpp() == "ap_ufixed<20,1>");
  CHECK(n.type("weight").cpp() == "ap_fixed<16,6,AP_RND,AP_SAT>");  // hls4ml's default: the layer's weights
  CHECK(n.type("distance").cpp() == "ap_fixed<12,4,AP_RND,AP_SAT>");  // not an hls4ml variable: kml's default
  CHECK(n.reuse_factor == 16);
  CHECK(r.graph.at("input_2").type("result").cpp() == "ap_ufixed<8,8>");
}

TEST_CASE("GarNet saved by Keras 3: the transforms' variables found under GarNet's attribute names",
          "[models][garnet]") {
  auto r = kml::readers::read_model(model_file("garnet_k3.keras"));
  const auto& n = garnet_node(r.graph);
  CHECK(n.shape == kml::ir::Shape{5});
  CHECK(n.weights.at("dist_kernel0").shape == kml::ir::Shape{4, 3});
  CHECK(n.weights.at("in_kernel0").shape == kml::ir::Shape{3, 4, 5});
}
