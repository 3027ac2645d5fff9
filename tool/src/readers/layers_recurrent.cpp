// Recurrent layers: SimpleRNN, LSTM, GRU (one IR node each, op "rnn"), Bidirectional (two "rnn" nodes and a
// merge), TimeDistributed (the wrapped layer applied to every step: row-wise layers only).
#include <string>

#include "readers/layers.h"

namespace kml::readers {
namespace {

using nlohmann::json;

// The three weights of a recurrent cell, from `w` (in order kernel, recurrent_kernel, bias).
struct CellWeights {
  const ir::Tensor* kernel = nullptr;
  const ir::Tensor* recurrent = nullptr;
  const ir::Tensor* bias = nullptr;
};

// Build one "rnn" node for a cell of class `cls` with config `cfg`.
std::string rnn_node(LayerCtx& c, const std::string& cls, const json& cfg, const CellWeights& w,
                     const std::string& input, const std::string& suffix, bool reverse_output) {
  const ir::Shape& in = c.graph->at(input).shape;
  if (in.size() != 2) throw c.error("expects input of shape (steps, features), got " + ir::shape_str(in));
  std::string cell = cls == "LSTM" ? "lstm" : cls == "GRU" ? "gru" : cls == "SimpleRNN" ? "simple_rnn" : "";
  if (cell.empty()) throw c.error("unsupported recurrent layer class '" + cls + "'");
  auto get_bool = [&](const char* k, bool d) { return cfg.contains(k) && cfg[k].is_boolean() ? cfg[k].get<bool>() : d; };
  if (get_bool("return_state", false)) throw c.error("return_state=True is not supported");
  if (get_bool("stateful", false)) throw c.error("stateful=True is not supported");
  std::size_t units = cfg.at("units").get<std::size_t>();
  std::size_t gates = cell == "lstm" ? 4 : cell == "gru" ? 3 : 1;
  std::size_t n_in = in[1], steps = in[0];
  bool use_bias = get_bool("use_bias", true);
  bool reset_after = cell == "gru" && get_bool("reset_after", c.keras_major >= 3);
  if (!w.kernel || !w.recurrent) throw c.error("missing kernel/recurrent_kernel weights");
  if (w.kernel->shape != ir::Shape{n_in, gates * units})
    throw c.error("kernel has shape " + ir::shape_str(w.kernel->shape) + ", expected (" + std::to_string(n_in) + ", " +
                  std::to_string(gates * units) + ")");
  if (w.recurrent->shape != ir::Shape{units, gates * units})
    throw c.error("recurrent_kernel has shape " + ir::shape_str(w.recurrent->shape));

  ir::Node n = c.node("rnn", suffix);
  n.inputs = {input};
  n.attr["cell"] = cell;
  n.attr["n_in"] = n_in;
  n.attr["units"] = units;
  n.attr["steps"] = steps;
  n.attr["return_sequences"] = get_bool("return_sequences", false);
  n.attr["go_backwards"] = get_bool("go_backwards", false);
  n.attr["reverse_output"] = reverse_output;
  n.attr["reset_after"] = reset_after;
  n.attr["cell_activation"] = activation_attr(c, cfg.value("activation", json("tanh")));
  // Keras 2 defaulted recurrent_activation to hard_sigmoid, Keras 3 to sigmoid: always read the config.
  n.attr["cell_recurrent_activation"] =
      activation_attr(c, cfg.value("recurrent_activation", json(c.keras_major >= 3 ? "sigmoid" : "hard_sigmoid")));
  for (const char* key : {"cell_activation", "cell_recurrent_activation"}) {
    std::string fn = n.attr[key].value("fn", "");
    if (fn != "tanh" && fn != "sigmoid" && fn != "hard_sigmoid" && fn != "relu" && fn != "linear")
      throw c.error(std::string(key) + " '" + fn + "' is not supported in a recurrent cell");
    if (fn == "relu" && n.attr[key].contains("max_value")) throw c.error(std::string(key) + " relu6 is not supported in a recurrent cell");
  }
  n.shape = n.attr["return_sequences"].get<bool>() ? ir::Shape{steps, units} : ir::Shape{units};
  n.weights["kernel"] = *w.kernel;
  n.weights["recurrent_kernel"] = *w.recurrent;
  ir::Tensor b, rb;
  b.shape = rb.shape = {gates * units};
  b.data.assign(gates * units, 0.0);
  rb.data.assign(gates * units, 0.0);
  if (use_bias) {
    if (!w.bias) throw c.error("missing bias weights");
    if (reset_after) {
      if (w.bias->size() != 2 * gates * units) throw c.error("bias has shape " + ir::shape_str(w.bias->shape) + ", expected (2, 3*units)");
      b.data.assign(w.bias->data.begin(), w.bias->data.begin() + gates * units);
      rb.data.assign(w.bias->data.begin() + gates * units, w.bias->data.end());
    } else {
      if (w.bias->size() != gates * units) throw c.error("bias has shape " + ir::shape_str(w.bias->shape));
      b.data = w.bias->data;
    }
  }
  n.weights["bias"] = std::move(b);
  n.weights["recurrent_bias"] = std::move(rb);
  return c.emit(std::move(n)).name;
}

CellWeights by_index(const LayerCtx& c, std::size_t first, bool use_bias) {
  CellWeights w;
  w.kernel = &c.weight(first, "kernel");
  w.recurrent = &c.weight(first + 1, "recurrent_kernel");
  if (use_bias) w.bias = &c.weight(first + 2, "bias");
  return w;
}

void recurrent(LayerCtx& c) {
  // QKeras' QSimpleRNN / QLSTM / QGRU come here through their plain class with quantized weights.
  const std::string cls = c.cls.size() > 1 && c.cls[0] == 'Q' ? c.cls.substr(1) : c.cls;
  rnn_node(c, cls, c.config(), by_index(c, 0, c.get<bool>("use_bias", true)), c.inputs[0], "", false);
}

// Keras 3: "forward_layer/cell/vars/0"; Keras 2 layout: "<name>/forward_lstm/lstm_cell/kernel".
CellWeights direction(const LayerCtx& c, const std::string& dir, bool use_bias) {
  std::vector<const ir::Tensor*> ts;
  for (const auto& w : c.weights) {
    std::string rest = w.name;
    if (rest.compare(0, c.name.size() + 1, c.name + "/") == 0) rest = rest.substr(c.name.size() + 1);
    if (rest.compare(0, dir.size() + 1, dir + "_") == 0) ts.push_back(&w.tensor);
  }
  if (ts.size() < (use_bias ? 3u : 2u))
    throw c.error("missing the weights of its " + dir + " layer (found " + std::to_string(ts.size()) + ")");
  CellWeights cw;
  cw.kernel = ts[0];
  cw.recurrent = ts[1];
  if (use_bias) cw.bias = ts[2];
  return cw;
}

void bidirectional(LayerCtx& c) {
  const json& fwd = c.config().at("layer");
  const json& fcfg = fwd.at("config");
  std::string cls = fwd.at("class_name").get<std::string>();
  json bcfg_whole = c.config().contains("backward_layer") && c.config()["backward_layer"].is_object()
                        ? c.config()["backward_layer"]
                        : json();
  json bcfg = bcfg_whole.is_null() ? fcfg : bcfg_whole.at("config");
  if (bcfg_whole.is_null()) bcfg["go_backwards"] = !fcfg.value("go_backwards", false);
  std::string bcls = bcfg_whole.is_null() ? cls : bcfg_whole.at("class_name").get<std::string>();
  json mode = c.config().value("merge_mode", json("concat"));
  if (!mode.is_string()) throw c.error("merge_mode None (a list of outputs) is not supported");
  std::string m = mode.get<std::string>();
  bool seq = fcfg.value("return_sequences", false);
  std::string f = rnn_node(c, cls, fcfg, direction(c, "forward", fcfg.value("use_bias", true)), c.inputs[0], "forward", false);
  // Keras re-reverses the backward sequence so that step t of both directions line up.
  std::string b = rnn_node(c, bcls, bcfg, direction(c, "backward", bcfg.value("use_bias", true)), c.inputs[0], "backward", seq);
  ir::Node n;
  if (m == "concat") {
    n = c.node("concatenate");
    n.shape = c.graph->at(f).shape;
    n.attr["n_a"] = n.shape.back();
    n.shape.back() += c.graph->at(b).shape.back();
    n.attr["axis"] = n.shape.size() - 1;
  } else if (m == "sum" || m == "mul" || m == "ave") {
    n = c.node("merge");
    n.shape = c.graph->at(f).shape;
    n.attr["mode"] = m == "sum" ? "add" : m == "mul" ? "multiply" : "average";
    n.attr["scale"] = m == "ave" ? 0.5 : 1.0;
  } else {
    throw c.error("merge_mode '" + m + "' is not supported");
  }
  n.inputs = {f, b};
  c.emit(std::move(n));
}

void time_distributed(LayerCtx& c) {
  const json& inner = c.config().at("layer");
  std::string cls = inner.at("class_name").get<std::string>();
  const ir::Shape& in = c.in_shape();
  if (in.size() < 2) throw c.error("expects an input with a time axis");
  if (cls == "Flatten") {
    ir::Node n = c.node("reshape");
    n.shape = {in[0], ir::shape_size(in) / in[0]};
    c.emit(std::move(n));
    return;
  }
  // Layers that act on the last axis only give the same result on the whole (steps, ...) tensor.
  static const char* row_wise[] = {"Dense",   "Activation", "ReLU",    "LeakyReLU",  "ELU",        "Softmax",
                                   "ThresholdedReLU", "BatchNormalization", "LayerNormalization", "Dropout",
                                   "Embedding"};
  bool ok = false;
  for (const char* r : row_wise) ok |= cls == r;
  if (!ok) throw c.error("TimeDistributed(" + cls + ") is not supported (row-wise layers and Flatten only)");
  const LayerHandler* h = LayerRegistry::instance().find(cls);
  if (!h) throw c.error("wraps unsupported class '" + cls + "'");
  LayerCtx sub = c;
  sub.cls = cls;
  sub.cfg = &inner.at("config");
  (*h)(sub);
  c.output = sub.output;
}

}  // namespace

void register_recurrent_layers(LayerRegistry& r) {
  for (const char* cls : {"SimpleRNN", "LSTM", "GRU"}) r.add(cls, recurrent);
  r.add("Bidirectional", bidirectional);
  r.add("TimeDistributed", time_distributed);
}

}  // namespace kml::readers
