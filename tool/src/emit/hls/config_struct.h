// The text of a layer's config struct in parameters.h, written by the op emitters:
//
//   ConfigStruct(nn.config(), "kml::dense_config").u("n_in", 16).b("resource", false).type("accum_t", "accum3_t").str()
//
//   struct config3 : kml::dense_config {
//     static const unsigned n_in = 16u;
//     static const bool resource = false;
//     typedef accum3_t accum_t;
//   };
#pragma once
#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>

#include "emit/hls/emitter.h"

namespace kml::emit {

class ConfigStruct {
 public:
  // "struct <name> : <base> {" ("struct <name> {" for an empty base) with an optional "  // <comment>".
  ConfigStruct(const std::string& name, const std::string& base, const std::string& comment = "")
      : s_(head(name, base, comment)) {}

  static std::string head(const std::string& name, const std::string& base, const std::string& comment = "") {
    return "struct " + name + (base.empty() ? "" : " : " + base) + " {" + (comment.empty() ? "" : "  // " + comment) +
           "\n";
  }

  // "static const unsigned <name> = <v>u;"; several names share one declaration: "n = 1u, m = 2u;".
  ConfigStruct& u(const std::string& name, std::size_t v) { return u({{name, v}}); }
  ConfigStruct& u(std::initializer_list<std::pair<std::string, std::size_t>> vs) {
    s_ += "  static const unsigned ";
    const char* sep = "";
    for (const auto& [name, v] : vs) {
      s_ += sep + name + " = " + unsigned_literal(v);
      sep = ", ";
    }
    s_ += ";\n";
    return *this;
  }

  // "static const bool <name> = true;"
  ConfigStruct& b(const std::string& name, bool v) {
    s_ += "  static const bool " + name + " = " + (v ? "true" : "false") + ";\n";
    return *this;
  }

  // "static const int <name> = <v>;" with an optional "  // <comment>".
  ConfigStruct& i(const std::string& name, long long v, const std::string& comment = "") {
    s_ += "  static const int " + name + " = " + std::to_string(v) + ";" + (comment.empty() ? "" : "  // " + comment) +
          "\n";
    return *this;
  }

  // "static constexpr double <name> = <v>;" (exact, append_literal); several names share one declaration.
  ConfigStruct& d(const std::string& name, double v, Spelling how = Spelling::Double) { return d({{name, v}}, how); }
  ConfigStruct& d(std::initializer_list<std::pair<std::string, double>> vs, Spelling how = Spelling::Double) {
    s_ += "  static constexpr double ";
    const char* sep = "";
    for (const auto& [name, v] : vs) {
      s_ += sep + name + " = ";
      append_literal(s_, v, how);
      sep = ", ";
    }
    s_ += ";\n";
    return *this;
  }

  // "typedef <type> <name>;"
  ConfigStruct& type(const std::string& name, const std::string& type) {
    s_ += "  typedef " + type + " " + name + ";\n";
    return *this;
  }

  // Member lines as they are (each ending in a newline), e.g. another config's members().
  ConfigStruct& raw(const std::string& lines) {
    s_ += lines;
    return *this;
  }

  // The whole struct, closed.
  std::string str() const { return s_ + "};\n"; }

  // The member lines of `text` when it is a struct as str() writes it with this name and base (and no comment).
  static bool members(const std::string& text, const std::string& name, const std::string& base, std::string& lines) {
    const std::string h = head(name, base), tail = "};\n";
    if (text.size() < h.size() + tail.size() || text.compare(0, h.size(), h) != 0 ||
        text.compare(text.size() - tail.size(), tail.size(), tail) != 0)
      return false;
    lines = text.substr(h.size(), text.size() - h.size() - tail.size());
    return true;
  }

 private:
  std::string s_;
};

// Dense and the convolutions: a kernel and a bias, accumulated in accum_t, under a reuse factor and strategy.
// `dims` is the layer's config with its dimensions; the rest of the config, the accum/weight/bias typedefs, the
// arrays w<k> (kernel) and b<k> (bias), and the call kml::<fn>(in, out, w<k>, b<k>) are the same for all of them.
inline NodeCode kernel_bias_layer(const NodeNames& nn, ConfigStruct dims, const std::string& include,
                                  const std::string& fn) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {include};
  for (const char* r : {"accum", "weight", "bias"}) c.typedefs.push_back({nn.type(r), n.type(r)});
  c.config = dims.u("reuse_factor", n.reuse_factor)
                 .b("resource", n.strategy == "resource")
                 .type("accum_t", nn.type("accum"))
                 .type("weight_t", nn.type("weight"))
                 .type("bias_t", nn.type("bias"))
                 .str();
  const std::string w = nn.add_array(c, "w", nn.type("weight"), "kernel", "kernel");
  const std::string b = nn.add_array(c, "b", nn.type("bias"), "bias", "bias");
  c.call = nn.call(fn, {w, b});
  return c;
}

}  // namespace kml::emit
