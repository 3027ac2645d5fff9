// Op emitter for the recurrent layers (op "rnn": cell simple_rnn / lstm / gru; template kml/recurrent.h).
#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
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
  const std::string k = nn.add_array(c, "w", nn.type("weight"), "kernel", "kernel");
  const std::string rk = nn.add_array(c, "wr", nn.type("recurrent_weight"), "recurrent_kernel", "recurrent kernel");
  const std::string bi = nn.add_array(c, "b", nn.type("bias"), "bias", "bias");
  const std::string rb = nn.add_array(c, "br", nn.type("bias"), "recurrent_bias", "recurrent bias");
  c.call = nn.call(cell, {k, rk, bi, rb});
  return c;
}

}  // namespace

void register_recurrent_emitters(EmitterRegistry& r) { r.add("rnn", rnn); }

}  // namespace kml::emit
