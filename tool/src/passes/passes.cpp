#include "passes/passes.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <ostream>
#include <set>

#include "ir/op.h"
#include "passes/precision_inference.h"
#include "passes/reuse.h"
#include "passes/quantizers.h"
#include "util/error.h"

namespace kml::passes {

void split_activations(ir::Graph& g) {
  std::vector<std::string> names;
  for (auto& n : g.nodes()) names.push_back(n->name);
  for (const auto& name : names) {
    ir::Node& n = g.at(name);
    if (n.op == "activation" || !n.attr.contains("activation")) continue;
    nlohmann::json act = n.attr["activation"];
    n.attr.erase("activation");
    if (act.value("fn", "linear") == "linear") continue;
    ir::Node a;
    a.name = g.unique_name(n.name + "_" + act["fn"].get<std::string>());
    a.op = "activation";
    a.inputs = {n.name};
    a.shape = n.shape;
    a.attr = act;
    a.keras_class = "Activation";
    a.keras_name = n.keras_name;
    a.keras_output = n.keras_output;
    n.keras_output = false;
    std::string an = a.name;
    g.replace_uses(n.name, an);
    g.add(std::move(a));
  }
  g.sort();
}

void remove_identities(ir::Graph& g) {
  std::vector<std::string> drop;
  for (auto& n : g.nodes()) {
    if (n->op == "identity" || (n->op == "activation" && n->attr.value("fn", "") == "linear")) drop.push_back(n->name);
  }
  for (const auto& d : drop) g.bypass(d);
}

std::vector<std::string> config_names(const ir::Node& n) {
  std::vector<std::string> names = {n.name};
  if (n.keras_name != n.name) names.push_back(n.keras_name);
  if (n.attr.contains("fused_batchnorm")) names.push_back(n.attr["fused_batchnorm"].get<std::string>());
  return names;
}

void fuse_batchnorm(ir::Graph& g, const Config& cfg) {
  std::vector<std::string> bns;
  for (auto& n : g.nodes())
    if (n->op == "batchnorm") bns.push_back(n->name);
  for (const auto& bn_name : bns) {
    ir::Node& bn = g.at(bn_name);
    ir::Node& src = g.at(bn.inputs[0]);
    const ir::KernelLayout layout = ir::kernel_layout(src);
    if (layout == ir::KernelLayout::None) continue;
    // `fuse_batchnorm` of the BatchNormalization layer, else of the layer it follows; unset, fuse unless the
    // user gave that layer's own output type (hls4ml's rule: fusing would put that type on the BN's output).
    std::vector<std::string> names = config_names(bn), types = {bn.keras_class, src.keras_class};
    for (const auto& nm : config_names(src)) names.push_back(nm);
    std::optional<bool> want = cfg.lookup(&LayerSettings::fuse_batchnorm, names, types);
    if (want && !*want) continue;
    if (!want && user_set(cfg, src, "result")) continue;
    if (g.consumers(src.name).size() != 1) continue;
    if (src.attr.value("quantized", false)) {  // keep quantized weights on their grid
      if (want)
        std::cerr << "kml-convert: warning: " << cfg.file << ": fuse_batchnorm = true: '" << bn.keras_name
                  << "' stays separate, the weights of '" << src.keras_name << "' are quantized\n";
      continue;
    }
    bool is_output = false;
    for (const auto& o : g.outputs) is_output |= o == src.name;
    if (is_output) continue;
    const auto& s = bn.weights.at("scale").data;
    const auto& b = bn.weights.at("bias").data;
    ir::Tensor& k = src.weights.at("kernel");
    ir::Tensor& bias = src.weights.at("bias");
    std::size_t n_out = bias.size();
    if (s.size() != n_out) continue;
    if (layout == ir::KernelLayout::ConvTranspose) {  // kernel (..., n_out, n_in)
      std::size_t n_in = src.attr["n_chan"].get<std::size_t>();
      for (std::size_t i = 0; i < k.data.size(); ++i) k.data[i] *= s[(i / n_in) % n_out];
    } else {  // dense (n_in, n_out), conv (kh, kw, n_in / groups, n_out): output channel last
      for (std::size_t i = 0; i < k.data.size(); ++i) k.data[i] *= s[i % n_out];
    }
    for (std::size_t j = 0; j < n_out; ++j) bias.data[j] = bias.data[j] * s[j] + b[j];
    // The fused node now produces the BatchNormalization layer's output: it takes the BN's name for
    // configuration lookups too (hls4ml keeps the Dense name; both are tried).
    src.attr["fused_batchnorm"] = bn.keras_name;
    g.bypass(bn_name);
  }
}

namespace {

// An input read only by Embedding layers holds integer ids: unless the layer name or type sets its precision
// (or the model is float), it gets an unsigned integer type wide enough for the largest input_dim.
void embedding_input_precision(ir::Graph& g, const Config& cfg, ir::Node& n, const std::vector<std::string>& names,
                               const std::vector<std::string>& types) {
  std::size_t vocab = 0;
  for (ir::Node* c : g.consumers(n.name)) {
    if (c->op != "embedding") return;
    vocab = std::max<std::size_t>(vocab, c->attr.value("input_dim", std::size_t(0)));
  }
  if (vocab == 0 || n.types.at("result").is_float()) return;
  int bits = 1;
  while ((std::size_t(1) << bits) < vocab) ++bits;
  Config by_layer = cfg;
  by_layer.model = LayerSettings{};
  n.types["result"] = by_layer.precision(std::vector<std::string>{"result"}, names, types, Precision::fixed(bits, bits, false));
}

// Bits of an unsigned integer holding 0 .. v.
int uint_bits(std::size_t v) {
  int b = 1;
  while (b < 62 && (std::size_t(1) << b) <= v) ++b;
  return b;
}

// An input read only as GarNet's vertex count (its second input) holds an integer 0 .. V: unless its name or type
// sets its precision (or the model is float), an unsigned integer wide enough for V (hls4ml's examples: ap_uint).
void garnet_count_precision(ir::Graph& g, const Config& cfg, ir::Node& n, const std::vector<std::string>& names,
                            const std::vector<std::string>& types) {
  std::size_t v_max = 0;
  for (ir::Node* c : g.consumers(n.name)) {
    if (c->op != "garnet" || c->inputs.size() != 2 || c->inputs[1] != n.name || c->inputs[0] == n.name) return;
    v_max = std::max<std::size_t>(v_max, c->attr.value("n_vertices", std::size_t(0)));
  }
  if (v_max == 0 || n.types.at("result").is_float()) return;
  const int bits = uint_bits(v_max);
  Config by_layer = cfg;
  by_layer.model = LayerSettings{};
  n.types["result"] = by_layer.precision(std::vector<std::string>{"result"}, names, types, Precision::fixed(bits, bits, false));
}

}  // namespace

void apply_config(ir::Graph& g, const Config& cfg) {
  const Precision def = Precision::fixed(16, 6);
  Precision table_def = Precision::fixed(18, 8);
  Precision softmax_table_def = Precision::fixed(18, 8);
  softmax_table_def.rounding = "AP_RND";
  softmax_table_def.overflow = "AP_SAT";
  std::set<std::string> used_names, used_types;
  for (auto& np : g.nodes()) {
    ir::Node& n = *np;
    std::vector<std::string> names = config_names(n);
    std::vector<std::string> types = {n.keras_class};
    for (auto& x : names) used_names.insert(x);
    used_types.insert(n.keras_class);

    n.types.clear();
    if (ir::takes_input_type(n)) {  // a view of its input, or a layout change from the channels_last pass
      n.types["result"] = g.at(n.inputs[0]).types.at("result");
      n.settings["trace"] = cfg.setting(&LayerSettings::trace, names, types, false);  // a view's: from its input's trace
      continue;
    }
    Precision result = cfg.precision("result", names, types, def);
    const ir::OpInfo* info = ir::op_info(n);
    for (const auto& role : ir::precision_roles(n)) {
      Precision fallback = def;
      if (role == "table") fallback = table_def;
      if (role == "exp_table" || role == "inv_table") fallback = softmax_table_def;
      if (info && info->default_precision && role != "result") fallback = info->default_precision(g, n, role, result);
      if (result.is_float() && role != "result") fallback = result;  // float emulation throughout
      std::vector<std::string> lookup = {role};
      if (role == "exp_table" || role == "inv_table") lookup.push_back("table");  // "table" covers both
      Precision p = cfg.precision(lookup, names, types, fallback);
      // "auto" is resolved by infer_precisions() where it can be, else it means the built-in default.
      if (p.is_auto() && !auto_precision_supported(n, role)) p = fallback;
      n.types[role] = p;
    }
    if (ir::is_source(n)) {
      embedding_input_precision(g, cfg, n, names, types);
      garnet_count_precision(g, cfg, n, names, types);
    }
    n.reuse_factor = cfg.setting(&LayerSettings::reuse_factor, names, types, 1);
    n.strategy = cfg.setting(&LayerSettings::strategy, names, types, std::string("latency"));
    n.settings["table_size"] = cfg.setting(&LayerSettings::table_size, names, types, 1024);
    n.settings["trace"] = cfg.setting(&LayerSettings::trace, names, types, false);
    n.settings["implementation"] = cfg.setting(&LayerSettings::implementation, names, types, std::string("stable"));
  }
  // A [layer.<name>] that matches nothing is a typo or a config meant for another model: refused, as hls4ml's
  // silent ignoring would build a design without the setting the user asked for.
  for (const auto& [name, s] : cfg.by_name)
    if (!used_names.count(name))
      throw Error((cfg.file.empty() ? std::string("--set") : cfg.file) + ": [layer." + name +
                  "] matches no layer of the model");
  (void)used_types;
}

const std::vector<Pass>& pipeline() {
  static const std::vector<Pass> p = {
      {"remove_identities", "Dropout and the other identity layers, and linear activations, disappear",
       "the backends have no code for identity nodes", [](ir::Graph& g, const Config&) { remove_identities(g); }},
      {"channels_last", "data_format='channels_first' layers run channels_last between transposes",
       "the backends only implement channels_last layers", [](ir::Graph& g, const Config&) { channels_last(g); }},
      {"split_activations", "a layer's activation= argument becomes an activation node after it",
       "the layer's own code does not apply its activation", [](ir::Graph& g, const Config&) { split_activations(g); }},
      {"fuse_batchnorm", "BatchNormalization after Dense, Conv or ConvTranspose is folded into its weights", "",
       [](ir::Graph& g, const Config& cfg) { fuse_batchnorm(g, cfg); }},
      {"apply_config", "precisions, reuse factors, strategy and the other settings from the config onto every node",
       "every later stage needs the nodes' precisions and settings",
       [](ir::Graph& g, const Config& cfg) {
         g.sort();
         apply_config(g, cfg);
       }},
      {"quantizer_precisions",
       "quantized models (QKeras, HGQ, HGQ2): exact types from the quantizers, where the config does not set them",
       "quantize nodes get their parameter tables there",
       [](ir::Graph& g, const Config& cfg) { quantizer_precisions(g, cfg); }},
      {"infer_precisions", "precision = \"auto\" becomes a type that cannot overflow",
       "\"auto\" has no C++ type of its own", [](ir::Graph& g, const Config& cfg) { infer_precisions(g, cfg, std::cerr); }},
      {"validate_reuse_factors", "an invalid reuse factor becomes the closest valid one (with a warning)",
       "the layer templates need a valid reuse factor",
       [](ir::Graph& g, const Config&) { validate_reuse_factors(g, std::cerr); }},
  };
  return p;
}

const Pass* find_pass(const std::string& name) {
  for (const auto& p : pipeline())
    if (p.name == name) return &p;
  return nullptr;
}

void check_options(const Options& opt) {
  auto known = [](const std::string& name, const char* what) {
    if (find_pass(name)) return;
    std::string list;
    for (const auto& p : pipeline()) list += (list.empty() ? "" : ", ") + p.name;
    throw Error(std::string(what) + ": unknown pass '" + name + "' (the passes, in order: " + list + ")");
  };
  for (const auto& name : opt.skip) {
    known(name, "--skip-pass");
    const Pass* p = find_pass(name);
    if (!p->needed.empty()) throw Error("--skip-pass: pass '" + name + "' cannot be skipped: " + p->needed);
  }
  for (const auto& name : opt.dump_after)
    if (name != "read") known(name, "--dump-ir-after");
  if (!opt.dump_after.empty() && !opt.dump) throw Error("internal: --dump-ir-after without an output stream");
}

void run_passes(ir::Graph& g, const Config& cfg, const Options& opt) {
  check_options(opt);
  auto dump = [&](const std::string& after) {
    if (!opt.dump_after.count(after)) return;
    nlohmann::json j = {{"after", after}, {"graph", ir::to_json(g)}};
    *opt.dump << j.dump(2) << "\n";
  };
  dump("read");
  for (const auto& p : pipeline()) {
    if (!opt.skip.count(p.name)) p.run(g, cfg);
    dump(p.name);
  }
}

}  // namespace kml::passes
