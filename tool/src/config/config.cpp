#include "config/config.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "util/error.h"

namespace kml {
namespace {

constexpr int64_t kMaxReuseFactor = int64_t{1} << 30;
constexpr int64_t kMaxTableSize = int64_t{1} << 20;  // entries of one lookup table in the firmware
constexpr int64_t kMaxFifoDepth = int64_t{1} << 24;

const std::set<std::string>& roles() {
  static const std::set<std::string> r(precision_roles().begin(), precision_roles().end());
  return r;
}

struct Parser {
  std::string label;

  Error err(const toml::node& n, const std::string& msg) const {
    return Error(label + ":" + std::to_string(n.source().begin.line) + ": " + msg);
  }

  std::string str(const toml::node& n, const std::string& key) const {
    if (auto v = n.value<std::string>()) return *v;
    throw err(n, "'" + key + "' must be a string");
  }

  Precision prec(const toml::node& n, const std::string& key) const {
    std::string s = str(n, key);
    try {
      return parse_precision(s);
    } catch (const Error& e) {
      throw err(n, "'" + key + "': " + e.what());
    }
  }

  // A positive integer up to `max` (every count kml emits is an int in the generated C++; the caps are far
  // beyond any real design and keep the arithmetic on them from overflowing).
  int positive_int(const toml::node& n, const std::string& key, int64_t max) const {
    auto v = n.value<int64_t>();
    if (!v || !n.is_integer() || *v < 1) throw err(n, "'" + key + "' must be a positive integer");
    if (*v > max) throw err(n, "'" + key + "' = " + std::to_string(*v) + " is too large (at most " + std::to_string(max) + ")");
    return static_cast<int>(*v);
  }

  // Parse one level's settings; `model_level` allows the model-only keys (handled by the caller).
  LayerSettings settings(const toml::table& t, const std::string& where, const std::set<std::string>& extra) const {
    LayerSettings s;
    for (const auto& [k, v] : t) {
      std::string key(k.str());
      std::string full = where + "." + key;
      if (key == "precision") {
        if (v.is_table()) {
          for (const auto& [rk, rv] : *v.as_table()) {
            std::string role(rk.str());
            if (!roles().count(role)) {
              std::string list;
              for (const auto& r : roles()) list += (list.empty() ? "" : ", ") + r;
              throw err(rv, "unknown precision role '" + full + "." + role + "' (one of " + list + ")");
            }
            s.precision[role] = prec(rv, full + "." + role);
          }
        } else {
          s.precision_all = prec(v, full);
        }
      } else if (key == "reuse_factor") {
        s.reuse_factor = positive_int(v, full, kMaxReuseFactor);
      } else if (key == "strategy") {
        std::string st = str(v, full);
        for (auto& c : st) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (st != "latency" && st != "resource") throw err(v, "'" + full + "' must be \"latency\" or \"resource\"");
        s.strategy = st;
      } else if (key == "table_size") {
        s.table_size = positive_int(v, full, kMaxTableSize);
      } else if (key == "trace") {
        if (!v.is_boolean()) throw err(v, "'" + full + "' must be true or false");
        s.trace = v.value<bool>().value();
      } else if (key == "implementation") {
        std::string im = str(v, full);
        if (im != "stable" && im != "latency" && im != "argmax")
          throw err(v, "'" + full + "' must be \"stable\", \"latency\" or \"argmax\"");
        s.implementation = im;
      } else if (key == "fifo_depth") {
        s.fifo_depth = positive_int(v, full, kMaxFifoDepth);
      } else if (key == "fuse_batchnorm") {
        if (!v.is_boolean()) throw err(v, "'" + full + "' must be true or false");
        s.fuse_batchnorm = v.value<bool>().value();
      } else if (key == "max_precision") {
        Precision mp = prec(v, full);
        if (mp.kind != Precision::Kind::Fixed) throw err(v, "'" + full + "' must be a fixed-point type (ap_fixed<W,I>)");
        s.max_precision = mp;
      } else if (!extra.count(key)) {
        throw err(v, "unknown key '" + full + "'");
      }
    }
    return s;
  }
};

}  // namespace

const std::vector<std::string>& precision_roles() {
  static const std::vector<std::string> r = {"result",     "accum",       "weight",           "bias",
                                             "scale",      "param",       "state",            "recurrent_weight",
                                             "table",      "exp_table",   "inv_table",        "distance",
                                             "edge_weight", "edge_weight_aggr", "aggr",        "norm"};
  return r;
}

bool catch_all_covers(const std::string& role) {
  // Tables, and GarNet's internal types (hls4ml's GarNet keeps its own defaults for them too, whatever the
  // layer's default precision).
  static const std::set<std::string> own = {"table", "exp_table", "inv_table", "distance",
                                            "edge_weight", "edge_weight_aggr", "aggr", "norm"};
  return !own.count(role);
}

Config Config::load(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw file_error(path, "is a directory, not a config file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open config file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw file_error(path, "cannot read config file");
  return parse(ss.str(), path);
}

Config Config::parse(const std::string& text, const std::string& label) {
  toml::table tbl;
  try {
    tbl = toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    throw Error(label + ":" + std::to_string(e.source().begin.line) + ": invalid TOML: " + std::string(e.description()));
  }
  Parser p{label};
  Config c;
  c.file = label;
  static const std::set<std::string> model_keys = {"io_type", "part", "clock_period", "clock_uncertainty", "backend"};
  for (const auto& [k, v] : tbl) {
    std::string key(k.str());
    if (key == "model") {
      if (!v.is_table()) throw p.err(v, "'model' must be a table");
      const toml::table& m = *v.as_table();
      c.model = p.settings(m, "model", model_keys);
      if (auto n = m.get("io_type")) {
        c.io_type = p.str(*n, "model.io_type");
        if (c.io_type != "io_parallel" && c.io_type != "io_stream")
          throw p.err(*n, "'model.io_type' must be \"io_parallel\" or \"io_stream\"");
      }
      if (auto n = m.get("part")) c.part = p.str(*n, "model.part");
      // The HLS flow is a property of the build, not of a model: one key that chose nothing is refused.
      if (auto n = m.get("backend"))
        throw p.err(*n, "'model.backend' is not a model setting: the HLS flow (Vitis or Vivado HLS) is chosen "
                        "for the whole build with the CMake cache variable KML_HLS_TOOL (vitis_hls, vitis, vivado_hls; "
                        "cmake/README.md)");
      for (const char* ck : {"clock_period", "clock_uncertainty"}) {
        if (auto n = m.get(ck)) {
          auto d = n->value<double>();
          if (!d || !(n->is_integer() || n->is_floating_point()) || !std::isfinite(*d) || *d <= 0)
            throw p.err(*n, std::string("'model.") + ck + "' must be a positive (finite) number");
          (std::string(ck) == "clock_period" ? c.clock_period : c.clock_uncertainty) = *d;
        }
      }
    } else if (key == "layer_type" || key == "layer") {
      if (!v.is_table()) throw p.err(v, "'" + key + "' must be a table of tables");
      for (const auto& [lk, lv] : *v.as_table()) {
        std::string name(lk.str());
        if (!lv.is_table()) throw p.err(lv, "'" + key + "." + name + "' must be a table");
        auto s = p.settings(*lv.as_table(), key + "." + name, {});
        (key == "layer" ? c.by_name : c.by_type)[name] = s;
      }
    } else {
      throw p.err(v, "unknown key '" + key + "' (expected [model], [layer_type.<Class>] or [layer.<name>])");
    }
  }
  return c;
}

Precision Config::precision(const std::string& role, const std::vector<std::string>& names,
                            const std::vector<std::string>& types, const Precision& fallback) const {
  return precision(std::vector<std::string>{role}, names, types, fallback);
}

Precision Config::precision(const std::vector<std::string>& roles, const std::vector<std::string>& names,
                            const std::vector<std::string>& types, const Precision& fallback) const {
  auto at = [&](const LayerSettings& s) -> std::optional<Precision> {
    for (const auto& role : roles) {
      auto it = s.precision.find(role);
      if (it != s.precision.end()) return it->second;
    }
    if (s.precision_all && !roles.empty() && catch_all_covers(roles.front())) return s.precision_all;
    return std::nullopt;
  };
  for (const auto& n : names) {
    auto it = by_name.find(n);
    if (it != by_name.end())
      if (auto p = at(it->second)) return *p;
  }
  for (const auto& t : types) {
    auto it = by_type.find(t);
    if (it != by_type.end())
      if (auto p = at(it->second)) return *p;
  }
  if (auto p = at(model)) return *p;
  return fallback;
}

}  // namespace kml
