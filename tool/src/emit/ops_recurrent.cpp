// Op emitter for the recurrent layers (op "rnn": cell simple_rnn / lstm / gru; template kml/recurrent.h).
#include <sstream>

#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

std::string u(std::size_t v) { return std::to_string(v) + "u"; }

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
  auto b = [](bool v) { return v ? "true" : "false"; };
  std::ostringstream o;
  o << "struct " << nn.config() << " : kml::rnn_config {  // " << cell << "\n"
    << "  static const unsigned n_in = " << u(n.attr.at("n_in").get<std::size_t>()) << ";\n"
    << "  static const unsigned n_units = " << u(n.attr.at("units").get<std::size_t>()) << ";\n"
    << "  static const unsigned n_steps = " << u(n.attr.at("steps").get<std::size_t>()) << ";\n"
    << "  static const bool return_sequences = " << b(n.attr.at("return_sequences").get<bool>()) << ";\n"
    << "  static const bool go_backwards = " << b(n.attr.at("go_backwards").get<bool>()) << ";\n"
    << "  static const bool reverse_output = " << b(n.attr.at("reverse_output").get<bool>()) << ";\n"
    << "  static const bool reset_after = " << b(n.attr.value("reset_after", false)) << ";\n"
    << "  static const int activation = " << a << ";\n"
    << "  static const int recurrent_activation = " << ra << ";\n"
    << "  static constexpr double act_slope = " << literal(as, false) << ", act_offset = " << literal(ao, false) << ";\n"
    << "  static constexpr double rec_slope = " << literal(rs, false) << ", rec_offset = " << literal(ro, false) << ";\n"
    << "  static const unsigned table_size = " << n.settings.value("table_size", 1024) << "u;\n"
    << "  static const unsigned reuse_factor = " << n.reuse_factor << "u;\n";
  for (const char* r : {"accum", "state", "weight", "recurrent_weight", "bias", "table"})
    o << "  typedef " << nn.type(r) << " " << r << "_t;\n";
  o << "};\n";
  c.config = o.str();
  std::string k = "w" + std::to_string(nn.index), rk = "wr" + std::to_string(nn.index),
              bi = "b" + std::to_string(nn.index), rb = "br" + std::to_string(nn.index);
  c.weights.push_back({k, nn.type("weight"), &n.weights.at("kernel"), n.keras_name + " kernel"});
  c.weights.push_back({rk, nn.type("recurrent_weight"), &n.weights.at("recurrent_kernel"), n.keras_name + " recurrent kernel"});
  c.weights.push_back({bi, nn.type("bias"), &n.weights.at("bias"), n.keras_name + " bias"});
  c.weights.push_back({rb, nn.type("bias"), &n.weights.at("recurrent_bias"), n.keras_name + " recurrent bias"});
  c.call = "kml::" + cell + "<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] +
           ", " + nn.out_var + ", " + k + ", " + rk + ", " + bi + ", " + rb + ");";
  return c;
}

}  // namespace

void register_recurrent_emitters(EmitterRegistry& r) { r.add("rnn", rnn); }

}  // namespace kml::emit
