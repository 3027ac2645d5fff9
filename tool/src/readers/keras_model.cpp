#include "readers/keras_model.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include "io/hdf5.h"
#include "io/zip.h"
#include "readers/layers.h"
#include "readers/weights.h"
#include "util/error.h"
#include "util/json_depth.h"

namespace kml::readers {
namespace {

using nlohmann::json;

// Python's json module writes Infinity, -Infinity and NaN (HGQ2 configs hold i_decay_speed: Infinity); JSON
// has no such literals. Outside strings they become 1e308, -1e308 and null.
std::string python_json_literals(const std::string& text) {
  if (text.find("Infinity") == std::string::npos && text.find("NaN") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  bool in_str = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_str) {
      out += ch;
      if (ch == '\\' && i + 1 < text.size()) out += text[++i];
      else if (ch == '"') in_str = false;
      continue;
    }
    if (ch == '"') in_str = true;
    if (text.compare(i, 8, "Infinity") == 0) {
      out += "1e308";
      i += 7;
    } else if (text.compare(i, 3, "NaN") == 0) {
      out += "null";
      i += 2;
    } else {
      out += ch;
    }
  }
  return out;
}

json parse_json(const std::string& text, const std::string& label) {
  check_json_depth(text, label);
  try {
    return json::parse(python_json_literals(text));
  } catch (const json::exception& e) {  // parse_error, or out_of_range: a number past double's range
    throw file_error(label, std::string("invalid JSON: ") + e.what());
  }
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string json_what(const json::exception& e) {
  std::string w = e.what();
  if (w.rfind("[json.exception.", 0) == 0 && w.find("] ") != std::string::npos) w = w.substr(w.find("] ") + 2);
  return w;
}

// The model's layer list, checked before anything walks it: every entry an object with a class name, a
// config and a non-empty name, no two layers with the same name (Keras refuses them; the weights are found by
// name, so the second layer would silently get the first one's). Errors name the file and the layer.
void check_layers(const json& model, const std::string& file) {
  if (!model.is_object()) throw file_error(file, "the model config is not a JSON object");
  if (!model.contains("class_name") || !model["class_name"].is_string())
    throw file_error(file, "model config has no 'class_name'");
  if (!model.contains("config")) return;
  const json& cfg = model["config"];
  const json* layers = cfg.is_array() ? &cfg : cfg.is_object() && cfg.contains("layers") ? &cfg["layers"] : nullptr;
  if (!layers) return;
  if (!layers->is_array()) throw file_error(file, "the model's 'layers' is not a list");
  std::set<std::string> names;
  for (std::size_t i = 0; i < layers->size(); ++i) {
    const json& l = (*layers)[i];
    std::string where = "layer #" + std::to_string(i + 1);
    if (!l.is_object()) throw file_error(file, where + " is not a JSON object (" + std::string(l.type_name()) + ")");
    if (!l.contains("class_name") || !l["class_name"].is_string())
      throw file_error(file, where + " has no 'class_name' string");
    where += " (" + l["class_name"].get<std::string>() + ")";
    if (!l.contains("config") || !l["config"].is_object()) throw file_error(file, where + " has no 'config' object");
    const json& c = l["config"];
    if (!c.contains("name") || !c["name"].is_string()) throw file_error(file, where + " has no 'name' string");
    const std::string name = c["name"].get<std::string>();
    if (name.empty()) throw file_error(file, where + " has an empty name");
    if (!names.insert(name).second)
      throw file_error(file, "two layers are named '" + name + "' (Keras refuses duplicate layer names)");
  }
}

// Input shape (without batch) from an InputLayer or a first layer's config.
// Each dimension and the whole size are bounded before anything is sized from them.
std::optional<ir::Shape> declared_input_shape(const json& cfg, const std::string& file, const std::string& layer) {
  constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 28;
  for (const char* key : {"batch_shape", "batch_input_shape"}) {
    auto it = cfg.find(key);
    if (it != cfg.end() && it->is_array() && !it->empty()) {
      ir::Shape s;
      std::uint64_t total = 1;
      for (std::size_t i = 1; i < it->size(); ++i) {
        const json& d = (*it)[i];
        if (d.is_null()) return std::nullopt;
        const bool positive = d.is_number_integer() && (d.is_number_unsigned() || d.get<std::int64_t>() > 0);
        if (!positive || d.get<std::uint64_t>() == 0 || d.get<std::uint64_t>() > kMaxElements ||
            (total *= d.get<std::uint64_t>()) > kMaxElements)
          throw file_error(file, "layer '" + layer + "': '" + key + "' = " + it->dump().substr(0, 80) +
                                     " is not an input shape (positive sizes, at most 2^28 values in all)");
        s.push_back(static_cast<std::size_t>(d.get<std::uint64_t>()));
      }
      return s;
    }
  }
  return std::nullopt;
}

struct Layer {
  std::string cls, name;
  const json* cfg;
  const json* whole;
};

class GraphBuilder {
 public:
  GraphBuilder(const std::string& file, WeightStore& w, int keras_major)
      : file_(file), weights_(w), keras_major_(keras_major) {}

  ir::Graph build(const json& model) {
    if (!model.is_object() || !model.contains("class_name"))
      throw file_error(file_, "model config has no 'class_name'");
    std::string cls = model["class_name"].get<std::string>();
    const json& cfg = model.contains("config") ? model["config"] : json::object();
    if (cfg.is_object() && cfg.contains("name")) g_.name = cfg["name"].get<std::string>();
    if (cls == "Sequential") sequential(cfg);
    else if (cls == "Functional" || cls == "Model") functional(cfg);
    else throw file_error(file_, "unsupported model class '" + cls + "' (expected Sequential, Functional or Model)");
    g_.sort();
    return std::move(g_);
  }

 private:
  static Layer layer_of(const json& l) {
    return {l.at("class_name").get<std::string>(), l.at("config").value("name", std::string()), &l.at("config"), &l};
  }

  ir::Node& add_input(const std::string& name, const ir::Shape& shape, const std::string& dtype) {
    ir::Node n;
    n.name = name;
    n.op = "input";
    n.shape = shape;
    n.keras_class = "InputLayer";
    n.keras_name = name;
    n.keras_output = true;
    n.attr["dtype"] = dtype;
    g_.inputs.push_back(name);
    return g_.add(std::move(n));
  }

  void sequential(const json& cfg) {
    const json& layers = cfg.is_array() ? cfg : cfg.at("layers");
    std::string prev;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      Layer l = layer_of(layers[i]);
      try {
        if (l.cls == "InputLayer") {
          auto shape = declared_input_shape(*l.cfg, file_, l.name);
          if (!shape) throw file_error(file_, "InputLayer '" + l.name + "' has no fully known input shape");
          prev = add_input(l.name, *shape, l.cfg->value("dtype", "float32")).name;
          continue;
        }
        if (prev.empty()) {
          auto shape = declared_input_shape(*l.cfg, file_, l.name);
          if (!shape && layers[i].contains("build_config")) {
            const json& bc = layers[i]["build_config"];
            if (bc.contains("input_shape")) shape = declared_input_shape(json{{"batch_shape", bc["input_shape"]}}, file_, l.name);
          }
          if (!shape) throw file_error(file_, "cannot tell the model's input shape (no InputLayer, no batch_input_shape)");
          prev = add_input(g_.unique_name(g_.name.empty() ? "input" : g_.name + "_input"), *shape, "float32").name;
        }
        prev = call(l, {prev});
      } catch (const json::exception& e) {
        throw file_error(file_, "layer '" + l.name + "' (" + l.cls + "): malformed config: " + json_what(e));
      }
    }
    if (prev.empty()) throw file_error(file_, "the model has no layers");
    g_.outputs.push_back(prev);
  }

  // Collect the Keras tensors a Keras 3 node references, in argument order.
  static void collect_tensors(const json& j, std::vector<std::pair<std::string, int>>& out) {
    if (j.is_array()) {
      for (const auto& e : j) collect_tensors(e, out);
    } else if (j.is_object()) {
      if (j.value("class_name", "") == "__keras_tensor__") {
        const json& h = j.at("config").at("keras_history");
        out.emplace_back(h.at(0).get<std::string>(), h.at(2).get<int>());
      }
    }
  }

  std::vector<std::pair<std::string, int>> inbound(const Layer& l) {
    const json& nodes = l.whole->contains("inbound_nodes") ? (*l.whole)["inbound_nodes"] : json::array();
    std::vector<std::pair<std::string, int>> out;
    if (nodes.empty()) return out;
    if (nodes.size() > 1)
      throw file_error(file_, "layer '" + l.name + "' (" + l.cls + ") is called " + std::to_string(nodes.size()) +
                                  " times (shared layers are not supported)");
    const json& node = nodes[0];
    if (node.is_object()) {  // Keras 3: {"args": [...], "kwargs": {...}}
      collect_tensors(node.value("args", json::array()), out);
      if (out.empty()) collect_tensors(node.value("kwargs", json::object()), out);
    } else {  // Keras 2: [["name", node_index, tensor_index, {}], ...]
      for (const auto& t : node) out.emplace_back(t.at(0).get<std::string>(), t.at(2).get<int>());
    }
    return out;
  }

  static std::vector<std::string> endpoint_names(const json& list) {
    std::vector<std::string> names;
    if (list.is_array() && !list.empty() && list[0].is_string()) {
      names.push_back(list[0].get<std::string>());  // a single unwrapped [name, node, tensor]
    } else if (list.is_array()) {
      for (const auto& e : list) names.push_back(e.at(0).get<std::string>());
    }
    return names;
  }

  void functional(const json& cfg) {
    const json& layers = cfg.at("layers");
    for (const auto& lj : layers) {
      Layer l = layer_of(lj);
      try {
        if (l.cls == "InputLayer") {
          auto shape = declared_input_shape(*l.cfg, file_, l.name);
          if (!shape) throw file_error(file_, "InputLayer '" + l.name + "' has no fully known input shape");
          add_input(l.name, *shape, l.cfg->value("dtype", "float32"));
          produced_[l.name] = l.name;
          continue;
        }
        std::vector<std::pair<std::string, int>> sources;
        try {
          sources = inbound(l);
        } catch (const json::exception& e) {
          throw file_error(file_, "layer '" + l.name + "' (" + l.cls + "): malformed inbound_nodes: " + json_what(e));
        }
        std::vector<std::string> ins;
        for (const auto& [src, tensor] : sources) {
          if (tensor != 0)
            throw file_error(file_, "layer '" + l.name + "' reads output " + std::to_string(tensor) + " of layer '" +
                                        src + "' (layers with several outputs are not supported)");
          auto it = produced_.find(src);
          if (it == produced_.end())
            throw file_error(file_, "layer '" + l.name + "' reads layer '" + src + "' which is not defined before it");
          ins.push_back(it->second);
        }
        if (ins.empty()) throw file_error(file_, "layer '" + l.name + "' (" + l.cls + ") has no inputs");
        produced_[l.name] = call(l, ins);
      } catch (const json::exception& e) {
        throw file_error(file_, "layer '" + l.name + "' (" + l.cls + "): malformed config: " + json_what(e));
      }
    }
    // Keep the model's declared input order.
    std::vector<std::string> order = endpoint_names(cfg.value("input_layers", json::array()));
    if (!order.empty()) {
      for (const auto& n : order)
        if (!g_.find(n)) throw file_error(file_, "model input '" + n + "' is not an InputLayer of the model");
      g_.inputs = order;
    }
    for (const auto& n : endpoint_names(cfg.value("output_layers", json::array()))) {
      auto it = produced_.find(n);
      if (it == produced_.end()) throw file_error(file_, "model output '" + n + "' is not a layer of the model");
      g_.outputs.push_back(it->second);
    }
    if (g_.outputs.empty()) throw file_error(file_, "the model declares no outputs");
  }

  std::string call(const Layer& l, const std::vector<std::string>& ins) {
    // Keras 3 serialises raw keras.ops calls of a functional model as operations of module keras.src.ops.*
    // (their class names, e.g. "Add", may coincide with layer classes): refuse them before the registry lookup.
    std::string module = l.whole->contains("module") && (*l.whole)["module"].is_string() ? (*l.whole)["module"].get<std::string>() : "";
    if (module.rfind("keras.src.ops", 0) == 0 || module.rfind("keras.ops", 0) == 0)
      throw file_error(file_, "layer '" + l.name + "' is a raw keras.ops operation (" + module + "." + l.cls +
                                  "), not a layer, and cannot be converted; use the corresponding Keras layer "
                                  "(e.g. keras.layers.Add for ops.add), or register a custom layer through kml's extension API");
    const LayerHandler* h = LayerRegistry::instance().find(l.cls);
    if (!h) {
      if (l.cls == "Lambda" || l.cls == "TFOpLambda" || l.cls == "SlicingOpLambda")
        throw file_error(file_, "layer '" + l.name + "' is a " + l.cls +
                                    (l.cfg->contains("function") && (*l.cfg)["function"].is_string()
                                         ? " layer (" + (*l.cfg)["function"].get<std::string>() + ")"
                                         : std::string(" layer")) +
                                    ", which holds arbitrary Python code and cannot be converted; "
                                    "use the corresponding Keras layer, or register a custom layer through kml's extension API");
      throw file_error(file_, "layer '" + l.name + "' has unsupported class '" + l.cls +
                                  "'; register it through kml's extension API or replace it");
    }
    LayerCtx ctx;
    ctx.file = file_;
    ctx.cls = l.cls;
    ctx.name = l.name;
    ctx.cfg = l.cfg;
    ctx.inputs = ins;
    for (const auto& i : ins) ctx.in_shapes.push_back(g_.at(i).shape);
    ctx.weights = weights_.layer(l.name, l.cls);
    // NaN and infinities have no fixed-point value and no exact C++ literal: refused here, once for every layer.
    for (const auto& w : ctx.weights)
      for (std::size_t k = 0; k < w.tensor.data.size(); ++k)
        if (!std::isfinite(w.tensor.data[k]))
          throw file_error(file_, "layer '" + l.name + "' (" + l.cls + "): weight '" + w.name + "' holds " +
                                      (std::isnan(w.tensor.data[k]) ? "NaN" : "an infinity") + " (element " +
                                      std::to_string(k) + " of " + ir::shape_str(w.tensor.shape) +
                                      "); weights must be finite numbers");
    ctx.keras_major = keras_major_;
    ctx.graph = &g_;
    (*h)(ctx);
    if (ctx.output.empty()) throw ctx.error("internal: the handler produced no output");
    ir::Node& out = g_.at(ctx.output);
    out.keras_output = true;
    out.keras_name = l.name;
    return ctx.output;
  }

  std::string file_;
  WeightStore& weights_;
  int keras_major_;
  ir::Graph g_;
  std::map<std::string, std::string> produced_;  // Keras layer name -> IR node producing its output
};

int major_of(const std::string& version) {
  if (version.empty()) return 0;
  try {
    return std::stoi(version);
  } catch (...) {
    return 0;
  }
}

// Keras 3 configs carry "module"/"registered_name" and InputLayer "batch_shape"; Keras 2 does not.
int guess_major(const json& model) {
  std::string dump = model.dump();
  if (dump.find("\"batch_shape\"") != std::string::npos || dump.find("\"__keras_tensor__\"") != std::string::npos)
    return 3;
  return 2;
}

}  // namespace

ReadResult read_model(const std::string& model, const std::string& weights) {
  ReadResult r;
  r.files.push_back(model);
  if (ends_with(model, ".keras")) {
    if (!weights.empty()) throw file_error(weights, "--weights is only for a JSON architecture file");
    zip::Archive ar(model);
    auto cfg = ar.read("config.json");
    if (!cfg) throw file_error(model, "not a Keras 3 archive: it has no config.json");
    json config = parse_json(std::string(cfg->begin(), cfg->end()), model + ":config.json");
    check_layers(config, model);
    auto wimg = ar.read("model.weights.h5");
    if (!wimg) throw file_error(model, "not a Keras 3 archive: it has no model.weights.h5");
    std::vector<std::pair<std::string, std::string>> layers;
    const json& lc = config.contains("config") && config["config"].is_object() ? config["config"] : json::object();
    for (const auto& l : lc.value("layers", json::array()))
      layers.emplace_back(l.at("config").value("name", std::string()), l.at("class_name").get<std::string>());
    auto store = keras3_weights(h5::File::open_image(std::move(*wimg), model + ":model.weights.h5"), layers);
    r.keras_major = 3;
    r.format = "keras3-archive";
    GraphBuilder b(model, *store, 3);
    try {
      r.graph = b.build(config);
    } catch (const json::exception& e) {
      throw file_error(model, std::string("malformed config.json: ") + json_what(e));
    }
    return r;
  }
  if (ends_with(model, ".json")) {
    if (weights.empty()) throw file_error(model, "a JSON architecture needs its weights file (--weights FILE.h5)");
    r.files.push_back(weights);
    json config = parse_json(read_text(model), model);
    check_layers(config, model);
    auto store = keras2_weights(h5::File::open(weights));
    r.keras_major = major_of(config.value("keras_version", std::string()));
    if (r.keras_major == 0) r.keras_major = guess_major(config);
    r.format = "keras2-json";
    GraphBuilder b(model, *store, r.keras_major);
    try {
      r.graph = b.build(config);
    } catch (const json::exception& e) {
      throw file_error(model, std::string("malformed model JSON: ") + json_what(e));
    }
    return r;
  }
  // Full-model HDF5 (Keras 2, or Keras 3 legacy .h5).
  h5::File f = h5::File::open(model);
  auto cfg_text = f.attr_string("/", "model_config");
  if (!cfg_text) throw file_error(model, "no 'model_config' attribute: not a full Keras model file (weights only? pass the JSON architecture with --weights)");
  json config = parse_json(*cfg_text, model + ":model_config");
  check_layers(config, model);
  std::string version = f.attr_string("/", "keras_version").value_or("");
  r.keras_major = major_of(version);
  if (r.keras_major == 0) r.keras_major = guess_major(config);
  r.format = r.keras_major >= 3 ? "keras3-h5" : "keras2-h5";
  if (!weights.empty()) {
    r.files.push_back(weights);
    f = h5::File::open(weights);
  }
  auto store = keras2_weights(std::move(f));
  GraphBuilder b(model, *store, r.keras_major);
  try {
    r.graph = b.build(config);
  } catch (const json::exception& e) {
    throw file_error(model, std::string("malformed model_config: ") + json_what(e));
  }
  return r;
}

}  // namespace kml::readers
