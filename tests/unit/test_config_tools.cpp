// Configuration as an hls4ml user meets it: table defaults that a string precision does not move, the refused
// `backend` key, `fuse_batchnorm`, `kml-convert config MODEL` (the resolved configuration, which converts to the
// same project) and `kml-convert config --from-hls4ml`.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/config.h"
#include "config/hls4ml.h"
#include "config_skeleton.h"
#include "convert.h"
#include "util/error.h"

namespace fs = std::filesystem;
using kml::Config;
using kml::Precision;

namespace {

fs::path tmp(const std::string& name) {
  fs::path p = fs::path(KML_TEST_TMP) / "config_tools" / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string fixture(const std::string& f) { return std::string(KML_TEST_DATA) + "/" + f; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream o(p, std::ios::binary);
  o << text;
}

// Every file of a generated project; the manifest without its provenance (which names the config file).
std::map<std::string, std::string> project_files(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), dir).string();
    std::string text = slurp(e.path());
    if (rel == "kml_manifest.json") {
      auto m = nlohmann::json::parse(text);
      m.erase("provenance");
      text = m.dump(1);
    }
    files[rel] = text;
  }
  return files;
}

nlohmann::json manifest(const fs::path& dir) { return nlohmann::json::parse(slurp(dir / "kml_manifest.json")); }

fs::path convert(const std::string& model, const fs::path& out, const std::string& config_text = "",
                 bool with_config = false) {
  kml::ConvertOptions o;
  o.model = model;
  o.out_dir = out.string();
  o.name = "model";
  if (with_config || !config_text.empty()) {
    fs::path c = out.string() + ".toml";
    write(c, config_text);
    o.config = c.string();
  }
  kml::convert(o);
  return out;
}

std::vector<std::string> ops(const nlohmann::json& m) {
  std::vector<std::string> v;
  for (const auto& l : m.at("layers")) v.push_back(l.at("op").get<std::string>());
  return v;
}

bool has_op(const nlohmann::json& m, const std::string& op) {
  auto v = ops(m);
  return std::find(v.begin(), v.end(), op) != v.end();
}

}  // namespace

TEST_CASE("a string precision sets the data roles; tables keep their defaults", "[config][tables]") {
  Config c = Config::parse("[model]\nprecision = \"ap_fixed<12,4>\"\n[layer.sm]\nprecision.table = \"ap_fixed<10,2>\"\n"
                           "[layer.act]\nprecision = \"ap_fixed<9,3>\"\n",
                           "c.toml");
  Precision def = Precision::fixed(18, 8);
  CHECK(c.precision("result", {"x"}, {"Dense"}, Precision::fixed(16, 6)).cpp() == "ap_fixed<12,4>");
  CHECK(c.precision("accum", {"x"}, {"Dense"}, Precision::fixed(16, 6)).cpp() == "ap_fixed<12,4>");
  CHECK(c.precision("table", {"x"}, {"Activation"}, def).cpp() == "ap_fixed<18,8>");
  CHECK(c.precision(std::vector<std::string>{"exp_table", "table"}, {"x"}, {"Activation"}, def).cpp() == "ap_fixed<18,8>");
  CHECK(c.precision(std::vector<std::string>{"exp_table", "table"}, {"sm"}, {"Activation"}, def).cpp() == "ap_fixed<10,2>");
  CHECK(c.precision("table", {"act"}, {"Activation"}, def).cpp() == "ap_fixed<18,8>");
  CHECK(c.precision("result", {"act"}, {"Activation"}, def).cpp() == "ap_fixed<9,3>");
  CHECK_FALSE(kml::catch_all_covers("inv_table"));
  CHECK(kml::catch_all_covers("weight"));

  // Writing the documented default changes nothing: the same project as no config at all.
  fs::path d = tmp("tables");
  auto none = project_files(convert(fixture("dense_jet.keras"), d / "none", "", true));
  auto p16 = project_files(convert(fixture("dense_jet.keras"), d / "p16", "[model]\nprecision = \"ap_fixed<16,6>\"\n"));
  CHECK(none == p16);
  std::string defines = none.at("firmware/defines.h");
  CHECK(defines.find("typedef ap_fixed<18,8,AP_RND,AP_SAT> exp_table") != std::string::npos);
  CHECK(defines.find("typedef ap_fixed<18,8,AP_RND,AP_SAT> inv_table") != std::string::npos);
  CHECK(defines.find("typedef ap_fixed<16,6> exp_table") == std::string::npos);
  // precision.table sets both softmax tables; a model-wide string still does not.
  auto t = project_files(convert(fixture("dense_jet.keras"), d / "table",
                                 "[model]\nprecision = \"ap_fixed<14,5>\"\n"
                                 "[layer_type.Activation]\nprecision.table = \"ap_fixed<12,4>\"\n"));
  defines = t.at("firmware/defines.h");
  CHECK(defines.find("typedef ap_fixed<12,4> exp_table") != std::string::npos);
  CHECK(defines.find("typedef ap_fixed<12,4> inv_table") != std::string::npos);
  CHECK(defines.find("typedef ap_fixed<14,5> layer") != std::string::npos);
  // Activation tables (sigmoid, tanh, ...) keep ap_fixed<18,8>.
  auto z = project_files(convert(fixture("act_zoo.h5"), d / "zoo", "[model]\nprecision = \"ap_fixed<12,4>\"\n"));
  defines = z.at("firmware/defines.h");
  CHECK(defines.find("typedef ap_fixed<18,8> table") != std::string::npos);
  CHECK(defines.find("typedef ap_fixed<12,4> table") == std::string::npos);
}

TEST_CASE("backend is not a model setting: refused with where the flow is chosen", "[config]") {
  CHECK_THROWS_WITH(Config::parse("[model]\nbackend = \"vivado\"\n", "b.toml"),
                    Catch::Contains("b.toml:2") && Catch::Contains("KML_HLS_TOOL"));
  fs::path d = tmp("backend");
  auto m = manifest(convert(fixture("dense_jet.keras"), d / "p", "", true));
  CHECK_FALSE(m.contains("backend"));
}

TEST_CASE("fuse_batchnorm: a config key at every level, with hls4ml's default rule", "[config][batchnorm]") {
  CHECK_THROWS_WITH(Config::parse("[model]\nfuse_batchnorm = 1\n", "f.toml"), Catch::Contains("true or false"));
  fs::path d = tmp("fuse");
  const std::string m = fixture("conv2d.h5");  // conv2d_1 -> batch_normalization_3
  CHECK_FALSE(has_op(manifest(convert(m, d / "default", "", true)), "batchnorm"));
  CHECK(has_op(manifest(convert(m, d / "model_off", "[model]\nfuse_batchnorm = false\n")), "batchnorm"));
  CHECK(has_op(manifest(convert(m, d / "bn_off", "[layer.batch_normalization_3]\nfuse_batchnorm = false\n")), "batchnorm"));
  CHECK(has_op(manifest(convert(m, d / "type_off", "[layer_type.BatchNormalization]\nfuse_batchnorm = false\n")),
               "batchnorm"));
  // The layer's own off beats the model's on.
  CHECK(has_op(manifest(convert(m, d / "conv_off", "[model]\nfuse_batchnorm = true\n[layer.conv2d_1]\nfuse_batchnorm = false\n")),
               "batchnorm"));
  // Unset: a conv whose output type the user gave keeps its BatchNormalization (hls4ml's rule) ...
  CHECK(has_op(manifest(convert(m, d / "typed", "[layer.conv2d_1]\nprecision.result = \"ap_fixed<18,8>\"\n")),
               "batchnorm"));
  // ... unless fuse_batchnorm says otherwise; a model-wide precision is not the layer's own.
  CHECK_FALSE(has_op(manifest(convert(m, d / "typed_on",
                                      "[layer.conv2d_1]\nprecision.result = \"ap_fixed<18,8>\"\nfuse_batchnorm = true\n")),
                     "batchnorm"));
  CHECK_FALSE(has_op(manifest(convert(m, d / "model_typed", "[model]\nprecision = \"ap_fixed<18,8>\"\n")), "batchnorm"));
}

TEST_CASE("kml-convert config MODEL: the resolved configuration converts to the same project", "[config][skeleton]") {
  struct Case {
    const char* model;
    const char* base;  // a user config resolved in first
  };
  const Case cases[] = {
      {"dense_jet.keras", ""},
      {"dense_jet.h5", "[model]\nprecision = \"ap_fixed<14,5>\"\n[layer_type.Dense]\nreuse_factor = 4\nstrategy = \"resource\"\n"
                       "[layer.dense_3_softmax]\nimplementation = \"latency\"\ntable_size = 512\n"},
      {"conv2d.h5", ""},
      {"conv2d.h5", "[layer.batch_normalization_3]\nfuse_batchnorm = false\n"},
      {"act_zoo.h5", "[model]\nprecision = \"float\"\n"},
      {"rnn_lstm.keras", ""},
      {"mha.keras", ""},
      {"embedding.keras", ""},
      {"hgq_dense_kbi_trn.keras", ""},
      {"conv2d_misc_cf.keras", "[model]\nio_type = \"io_stream\"\n"},
  };
  int k = 0;
  for (const auto& c : cases) {
    fs::path d = tmp("skeleton" + std::to_string(k++));
    bool has_base = *c.base != 0;
    if (has_base) write(d / "base.toml", c.base);
    auto reference = project_files(convert(fixture(c.model), d / "ref", c.base, has_base));
    for (const char* gran : {"name", "type", "model"}) {
      INFO(c.model << " with " << (has_base ? "a base config" : "the defaults") << ", granularity " << gran);
      kml::SkeletonOptions so;
      so.model = fixture(c.model);
      if (has_base) so.config = (d / "base.toml").string();
      so.granularity = gran;
      std::string text = kml::config_skeleton(so);
      Config parsed = Config::parse(text, "skeleton.toml");  // valid TOML and a valid kml config
      auto again = project_files(convert(fixture(c.model), d / gran, text));
      CHECK(again == reference);
      if (std::string(gran) != "type") CHECK(parsed.by_type.empty());
      if (std::string(gran) == "name") {
        // One table per configurable node, each with its result type.
        const auto ref_manifest = manifest(d / "ref");  // kept alive: the loop walks a part of it
        for (const auto& l : ref_manifest.at("layers")) {
          std::string op = l.at("op").get<std::string>();
          if (op == "reshape" || op == "transpose") continue;
          std::string name = l.at("name").get<std::string>();
          INFO("node " << name);
          CHECK(parsed.by_name.count(name));
          // Its result type: a key, or a comment where the quantizers fix it (HGQ), so that the file still
          // converts to the same project.
          const std::string head = "[layer." + name + "]\n";
          const auto at = text.find(head);
          REQUIRE(at != std::string::npos);
          const std::string table = text.substr(at, text.find("\n[", at + head.size()) - at);
          if (parsed.by_name.count(name) && !parsed.by_name.at(name).precision.count("result"))
            CHECK(table.find("# precision.result = ") != std::string::npos);
        }
      }
    }
  }

  kml::SkeletonOptions bad;
  bad.model = fixture("dense_jet.keras");
  bad.granularity = "layer";
  CHECK_THROWS_WITH(kml::config_skeleton(bad), Catch::Contains("model, type or name"));
  bad.granularity = "name";
  bad.model = fixture("no_such_model.keras");
  CHECK_THROWS_WITH(kml::config_skeleton(bad), Catch::Contains("no_such_model.keras: no such file"));
}

TEST_CASE("kml-convert config MODEL shows the types a layer resolves", "[config][skeleton]") {
  kml::SkeletonOptions so;
  so.model = fixture("dense_jet.keras");
  Config c = Config::parse(kml::config_skeleton(so), "s.toml");
  CHECK(c.io_type == "io_parallel");
  CHECK(c.part == "xcvu13p-flga2577-2-e");
  const auto& sm = c.by_name.at("dense_3_softmax");
  CHECK(sm.precision.at("exp_table").cpp() == "ap_fixed<18,8,AP_RND,AP_SAT>");
  CHECK(sm.precision.at("inv_table").cpp() == "ap_fixed<18,8,AP_RND,AP_SAT>");
  CHECK(sm.implementation == std::optional<std::string>("stable"));
  CHECK(sm.table_size == std::optional<int>(1024));
  const auto& d = c.by_name.at("dense");
  CHECK(d.precision.at("weight").cpp() == "ap_fixed<16,6>");
  CHECK(d.precision.at("accum").cpp() == "ap_fixed<16,6>");
  CHECK(d.reuse_factor == std::optional<int>(1));
  CHECK(d.strategy == std::optional<std::string>("latency"));
}

TEST_CASE("config --from-hls4ml: hls4ml's YAML becomes kml's TOML, unmappable keys named", "[config][hls4ml]") {
  // The shape of hls4ml's command-line configuration (as example-models ships them).
  const std::string yml = R"(KerasJson: keras/my_model.json
KerasH5:   keras/my_model_weights.h5
Backend: Vivado
OutputDir: my_prj
ProjectName: myproject
Part: xcvu9p-flga2577-2-e
ClockPeriod: 5
IOType: io_parallel

HLSConfig:
  Model:
    Precision: ap_fixed<16, 6>
    ReuseFactor: 1
    Strategy: Resource
    BramFactor: 1000000000
  LayerType:
    Dense:
      Precision:
        accum: ap_fixed<18, 8>
        result: ap_fixed<16, 6, AP_RND, AP_SAT>
      Strategy: Latency
  LayerName:
    fc1:
      Precision:
        bias: ap_fixed<6,1>
        weight: ap_fixed<6,1>
      ReuseFactor: 2
      Trace: true
    relu1:
      Precision:
        result: ap_fixed<7,1,AP_RND_CONV,AP_SAT>
    softmax:
      Precision: ap_fixed<16,6>
      Strategy: Stable
      exp_table_t: ap_fixed<18,8,AP_RND,AP_SAT>
      inv_table_t: ap_fixed<18,4>
      table_size: 2048
      Compression: True
    "odd.name":
      Precision:
        default: ap_ufixed<8,0>
        pointwise: ap_fixed<8,2>
)";
  kml::Hls4mlImport r = kml::import_hls4ml_text(yml, "cfg.yml", false);
  INFO(r.toml);
  Config c = Config::parse(r.toml, "translated.toml");
  CHECK(c.part == "xcvu9p-flga2577-2-e");
  CHECK(c.clock_period == 5.0);
  CHECK(c.io_type == "io_parallel");
  CHECK(c.model.precision_all->cpp() == "ap_fixed<16,6>");
  CHECK(c.model.reuse_factor == std::optional<int>(1));
  CHECK(c.model.strategy == std::optional<std::string>("resource"));
  const auto& dense = c.by_type.at("Dense");
  CHECK(dense.precision.at("accum").cpp() == "ap_fixed<18,8>");
  CHECK(dense.precision.at("result").cpp() == "ap_fixed<16,6,AP_RND,AP_SAT>");
  CHECK(dense.strategy == std::optional<std::string>("latency"));
  const auto& fc1 = c.by_name.at("fc1");
  CHECK(fc1.precision.at("weight").cpp() == "ap_fixed<6,1>");
  CHECK(fc1.precision.at("bias").cpp() == "ap_fixed<6,1>");
  CHECK(fc1.reuse_factor == std::optional<int>(2));
  CHECK(fc1.trace == std::optional<bool>(true));
  CHECK(c.by_name.at("relu1").precision.at("result").cpp() == "ap_fixed<7,1,AP_RND_CONV,AP_SAT>");
  const auto& sm = c.by_name.at("softmax");
  // Precision: <string> beside *_table_t: TOML cannot hold both, so the string goes to every data role.
  CHECK_FALSE(sm.precision_all);
  CHECK(sm.precision.at("result").cpp() == "ap_fixed<16,6>");
  CHECK(sm.precision.at("accum").cpp() == "ap_fixed<16,6>");
  CHECK_FALSE(sm.precision.count("table"));
  CHECK(sm.implementation == std::optional<std::string>("stable"));
  CHECK(sm.precision.at("exp_table").cpp() == "ap_fixed<18,8,AP_RND,AP_SAT>");
  CHECK(sm.precision.at("inv_table").cpp() == "ap_fixed<18,4>");
  CHECK(sm.table_size == std::optional<int>(2048));
  CHECK(c.by_name.at("odd.name").precision_all->cpp() == "ap_ufixed<8,0>");
  // The project keys become the command line in the header.
  CHECK(r.toml.find("kml-convert convert keras/my_model.json --weights keras/my_model_weights.h5") != std::string::npos);
  CHECK(r.toml.find("-n myproject -o my_prj") != std::string::npos);
  // Every key that has no kml meaning is named, with why.
  auto named = [&](const std::string& key) {
    for (const auto& u : r.unmapped)
      if (u.rfind(key + ":", 0) == 0) return true;
    return false;
  };
  CHECK(named("Backend"));
  CHECK(named("HLSConfig.Model.BramFactor"));
  CHECK(named("HLSConfig.LayerName.softmax.Compression"));
  CHECK(named("HLSConfig.LayerName.odd.name.Precision.pointwise"));
  CHECK(r.unmapped.size() == 4);
  CHECK(r.toml.find("# not translated: Backend: ") != std::string::npos);
  bool says_tool = false;
  for (const auto& u : r.unmapped) says_tool |= u.find("KML_HLS_TOOL=vivado_hls") != std::string::npos;
  CHECK(says_tool);
}

TEST_CASE("config --from-hls4ml: the dict of config_from_keras_model, as JSON", "[config][hls4ml]") {
  const std::string js = R"({"Model": {"Precision": {"default": "fixed<16,6>", "result": "fixed<16,6>", "accum": "auto"},
    "ReuseFactor": 1, "Strategy": "Latency", "BramFactor": 1000000000, "TraceOutput": false},
    "LayerName": {"dense": {"Precision": {"weight": "fixed<8,3>", "bias": "fixed<8,3>", "result": "auto"}, "Trace": false},
                  "dense_softmax": {"Implementation": "latency", "table_t": "ufixed<18,8>", "Precision": {"table": "fixed<18,8>"}}},
    "IOType": "io_serial"})";
  kml::Hls4mlImport r = kml::import_hls4ml_text(js, "cfg.json", true);
  INFO(r.toml);
  Config c = Config::parse(r.toml, "translated.toml");
  CHECK(c.model.precision.at("weight").cpp() == "ap_fixed<16,6>");  // "default", beside roles
  CHECK(c.model.precision.at("result").cpp() == "ap_fixed<16,6>");
  CHECK(c.model.precision.at("accum").is_auto());
  CHECK_FALSE(c.model.precision.count("exp_table"));
  CHECK(c.model.trace == std::optional<bool>(false));
  CHECK(c.by_name.at("dense").precision.at("weight").cpp() == "ap_fixed<8,3>");
  CHECK(c.by_name.at("dense").precision.at("result").is_auto());
  CHECK(c.by_name.at("dense_softmax").implementation == std::optional<std::string>("latency"));
  CHECK(c.by_name.at("dense_softmax").precision.at("table").cpp() == "ap_fixed<18,8>");  // the later key wins
  CHECK(c.io_type == "io_parallel");  // io_serial has no kml form: named, not translated
  REQUIRE(r.unmapped.size() == 2);
  CHECK(r.unmapped[0].rfind("IOType: 'io_serial'", 0) == 0);
  CHECK(r.unmapped[1].rfind("Model.BramFactor:", 0) == 0);
}

TEST_CASE("config --from-hls4ml: bad files are one error naming the file", "[config][hls4ml]") {
  CHECK_THROWS_WITH(kml::import_hls4ml_text("HLSConfig:\n  Model: [1,\n", "bad.yml", false),
                    Catch::StartsWith("bad.yml: invalid YAML: line"));
  CHECK_THROWS_WITH(kml::import_hls4ml_text("{\"Model\": ", "bad.json", true), Catch::StartsWith("bad.json: invalid JSON"));
  CHECK_THROWS_WITH(kml::import_hls4ml_text("KerasJson: a.json\n", "none.yml", false),
                    Catch::Contains("none.yml: not an hls4ml configuration"));
  CHECK_THROWS_WITH(kml::import_hls4ml("/nonexistent/cfg.yml"), Catch::Contains("/nonexistent/cfg.yml: cannot open"));
  auto r = kml::import_hls4ml_text("HLSConfig:\n  Model:\n    Precision: ap_fixd<16,6>\n    ReuseFactor: 0\n", "p.yml", false);
  REQUIRE(r.unmapped.size() == 2);
  CHECK(r.unmapped[0].rfind("HLSConfig.Model.Precision: ", 0) == 0);
  CHECK(r.unmapped[0].find("unknown type 'ap_fixd'") != std::string::npos);
  CHECK(r.unmapped[1].find("HLSConfig.Model.ReuseFactor: a reuse factor must be a positive integer") == 0);
}

// ---- The first quantized layer gets its quantizer's types (tests/models/make_models.py: every QKeras layer kind
// as the first layer of a model, reading the unquantized model input; weights spanning quantized_bits(6,0)'s grid).
namespace {

// The typedefs of one node in defines.h: the block after its comment line "// <node> (<Class> '<name>')".
std::map<std::string, std::string> typedefs_of(const std::string& defines, const std::string& node) {
  std::map<std::string, std::string> t;
  std::size_t at = defines.find("// " + node + " (");
  if (at == std::string::npos) return t;
  std::size_t end = defines.find("\n\n", at);
  std::istringstream block(defines.substr(at, end == std::string::npos ? std::string::npos : end - at));
  std::string line;
  while (std::getline(block, line)) {
    if (line.rfind("typedef ", 0) != 0) continue;
    std::size_t sp = line.rfind(' ');
    std::string type = line.substr(8, sp - 8), name = line.substr(sp + 1);
    name = name.substr(0, name.size() - 1);  // ';'
    if (name.size() > 2 && name.compare(name.size() - 2, 2, "_t") == 0) name.resize(name.size() - 2);
    while (!name.empty() && std::isdigit(static_cast<unsigned char>(name.back()))) name.pop_back();  // weight2 -> weight
    t[name] = type;
  }
  return t;
}

std::string model_file(const std::string& f) { return std::string(KML_TEST_MODELS) + "/" + f; }

}  // namespace

TEST_CASE("the first quantized layer of a model gets its quantizer's types", "[models][quant][types]") {
  const std::string q6 = "ap_fixed<6,1>";  // quantized_bits(6, 0): signed, 5 fractional bits
  struct Case {
    const char* model;
    const char* node;
    std::vector<std::string> roles;
  };
  const Case cases[] = {
      {"qfirst_dense", "fc1", {"weight", "bias"}},
      {"qfirst_conv1d", "conv1", {"weight", "bias"}},
      {"qfirst_conv2d", "conv1", {"weight", "bias"}},
      {"qfirst_dwconv2d", "dw1", {"weight", "bias"}},
      {"qfirst_sepconv1d", "sep1_depthwise", {"weight"}},  // the depthwise half has no bias
      {"qfirst_sepconv1d", "sep1", {"weight", "bias"}},
      {"qfirst_sepconv2d", "sep1_depthwise", {"weight"}},
      {"qfirst_sepconv2d", "sep1", {"weight", "bias"}},
      {"qfirst_simplernn", "rnn1", {"weight", "recurrent_weight", "bias"}},
      {"qfirst_lstm", "rnn1", {"weight", "recurrent_weight", "bias"}},
      {"qfirst_gru", "rnn1", {"weight", "recurrent_weight", "bias"}},
  };
  int k = 0;
  for (const auto& c : cases) {
    INFO(c.model << ", layer " << c.node);
    kml::ConvertOptions o;
    o.model = model_file(std::string(c.model) + ".json");
    o.weights = model_file(std::string(c.model) + "_weights.h5");
    o.out_dir = tmp("qfirst" + std::to_string(k++)).string() + "/p";
    o.name = "model";
    kml::convert(o);
    auto t = typedefs_of(slurp(fs::path(o.out_dir) / "firmware/defines.h"), c.node);
    REQUIRE_FALSE(t.empty());
    for (const auto& role : c.roles) {
      INFO("role " << role);
      CHECK(t[role] == q6);
    }
    // The manifest says the same.
    const auto written = manifest(o.out_dir);  // kept alive: the loop walks a part of it
    for (const auto& l : written.at("layers"))
      if (l.at("name") == c.node)
        for (const auto& role : c.roles) CHECK(l.at("precision").at(role) == q6);
  }
  // QBatchNormalization: its scale gamma / sqrt(variance + epsilon) lies on no quantizer's grid: the configured type.
  kml::ConvertOptions o;
  o.model = model_file("qfirst_bn.json");
  o.weights = model_file("qfirst_bn_weights.h5");
  o.out_dir = tmp("qfirst_bn").string() + "/p";
  o.name = "model";
  kml::convert(o);
  CHECK(typedefs_of(slurp(fs::path(o.out_dir) / "firmware/defines.h"), "bn1")["scale"] == "ap_fixed<16,6>");
}
