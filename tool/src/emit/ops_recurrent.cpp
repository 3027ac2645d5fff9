// Op emitter for the recurrent layers (op "rnn": cell simple_rnn / lstm / gru; template kml/recurrent.h).
#include "emit/config_struct.h"
#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

// Activation attribute -> template code and hard_sigmoid parameters.
int act_code(const ir::Node& n, const char* key, double& slope, double& offset) {
  const nlohmann::json& a = n.attr.at(key);
  std::string fn = a.value("fn", "linear");
  slope = a.value("slope", 0.2);
  offset = a.value("offset", 0.5);
  if (fn == "linear") return 0;
  if (fn == "relu") return 1;
  if (fn == "tanh") return 2;
  if (fn == "sigmoid") return 3;
  if (fn == "hard_sigmoid") return 4;
  throw Error("internal: recurrent activation '" + fn + "' (layer '" + n.keras_name + "')");
}

NodeCode rnn(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/recurrent.h"};
  for (const char* r : {"accum", "state", "weight", "recurrent_weight", "bias", "table"})
    c.typedefs.push_back({nn.type(r), n.type(r)});
  std::string cell = n.attr.at("cell").get<std::string>();
  double as, ao, rs, ro;
  int a = act_code(n, "cell_activation", as, ao), ra = act_code(n, "cell_recurrent_activation", rs, ro);
  ConfigStruct s(nn.config(), "kml::rnn_config", cell);
  s.u("n_in", n.attr.at("n_in").get<std::size_t>())
      .u("n_units", n.attr.at("units").get<std::size_t>())
      .u("n_steps", n.attr.at("steps").get<std::size_t>())
      .b("return_sequences", n.attr.at("return_sequences").get<bool>())
      .b("go_backwards", n.attr.at("go_backwards").get<bool>())
      .b("reverse_output", n.attr.at("reverse_output").get<bool>())
      .b("reset_after", n.attr.value("reset_after", false))
      .i("activation", a)
      .i("recurrent_activation", ra)
      .d({{"act_slope", as}, {"act_offset", ao}})
      .d({{"rec_slope", rs}, {"rec_offset", ro}})
      .u("table_size", n.settings.value("table_size", 1024))
      .u("reuse_factor", n.reuse_factor);
  for (const char* r : {"accum", "state", "weight", "recurrent_weight", "bias", "table"})
    s.type(std::string(r) + "_t", nn.type(r));
  c.config = s.str();
  std::string k = "w" + std::to_string(nn.index), rk = "wr" + std::to_string(nn.index),
              bi = "b" + std::to_string(nn.index), rb = "br" + std::to_string(nn.index);
  c.weights.push_back({k, nn.type("weight"), &n.weights.at("kernel"), n.keras_name + " kernel"});
  c.weights.push_back({rk, nn.type("recurrent_weight"), &n.weights.at("recurrent_kernel"), n.keras_name + " recurrent kernel"});
  c.weights.push_back({bi, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " bias"});
  c.weights.push_back({rb, nn.type("bias"), &n.weights.at("recurrent_bias"), n.keras_name + " recurrent bias"});
  c.call = nn.call(cell, {k, rk, bi, rb});
  return c;
}

}  // namespace

void register_recurrent_emitters(EmitterRegistry& r) { r.add("rnn", rnn); }

}  // namespace kml::emit
