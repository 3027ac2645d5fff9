#include "config/hls4ml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/config.h"
#include "config/precision.h"
#include "config/toml_text.h"
#include "util/json_depth.h"
#include "util/error.h"
#include "util/names.h"

namespace kml {

namespace {

using json = nlohmann::ordered_json;

// YAML scalars as YAML 1.2's core schema reads them (quoted scalars stay strings).
json yaml_scalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;
  if (s == "~" || s == "null" || s == "Null" || s == "NULL" || s.empty()) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  long long i = 0;
  auto ri = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ri.ec == std::errc() && ri.ptr == s.data() + s.size()) return i;
  try {
    std::size_t used = 0;
    double d = std::stod(s, &used);
    if (used == s.size() && std::isfinite(d)) return d;
  } catch (const std::exception&) {
  }
  return s;
}

json yaml_to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& v : n) a.push_back(yaml_to_json(v));
      return a;
    }
    case YAML::NodeType::Scalar:
      return yaml_scalar(n);
    default:
      return nullptr;
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// hls4ml precision variable names (Precision: {<var>: ...} and <var>_t keys) -> kml roles.
const char* role_of(const std::string& var) {
  static const char* roles[][2] = {{"result", "result"},       {"accum", "accum"},   {"weight", "weight"},
                                   {"bias", "bias"},           {"scale", "scale"},   {"table", "table"},
                                   {"exp_table", "exp_table"}, {"inv_table", "inv_table"},
                                   {"state", "state"},         {"recurrent_weight", "recurrent_weight"},
                                   {"param", "param"},         {"edge_weight", "edge_weight"},
                                   {"edge_weight_aggr", "edge_weight_aggr"}, {"aggr", "aggr"},
                                   {"norm", "norm"}};
  for (const auto& r : roles)
    if (var == r[0]) return r[1];
  return nullptr;
}

struct Translator {
  std::string label;
  std::vector<std::string> unmapped;

  void skip(const std::string& where, const std::string& why) { unmapped.push_back(where + ": " + why); }

  // A precision string, checked and without spaces; empty when it does not parse (and named).
  std::string precision(const json& v, const std::string& where) {
    if (!v.is_string()) {
      skip(where, "a precision must be a string, got " + v.dump());
      return "";
    }
    std::string s = v.get<std::string>();
    s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }), s.end());
    try {
      parse_precision(s);
    } catch (const Error& e) {
      skip(where, e.what());
      return "";
    }
    return s;
  }

  // One level: Model, LayerType.<X> or LayerName.<X>. `out` gets TOML key = value lines.
  void level(const json& cfg, const std::string& where, std::vector<std::pair<std::string, std::string>>& out,
             bool model_level) {
    if (!cfg.is_object()) {
      skip(where, "expected a mapping, got " + cfg.dump());
      return;
    }
    auto add = [&](const std::string& k, const std::string& v) {
      for (auto& [ok, ov] : out)
        if (ok == k) {
          ov = v;
          return;
        }
      out.emplace_back(k, v);
    };
    std::string catch_all;  // Precision: default (or a string): written last, see below
    for (const auto& [key, v] : cfg.items()) {
      const std::string w = where + "." + key;
      const std::string lk = lower(key);
      if (lk == "precision") {
        if (v.is_object()) {
          for (const auto& [var, pv] : v.items()) {
            std::string p = precision(pv, w + "." + var);
            if (p.empty()) continue;
            if (var == "default") catch_all = p;
            else if (const char* role = role_of(var)) add("precision." + std::string(role), toml_text::string(p));
            else skip(w + "." + var, "no kml precision role of that name");
          }
        } else {
          std::string p = precision(v, w);
          if (!p.empty()) catch_all = p;
        }
      } else if (lk.size() > 2 && lk.compare(lk.size() - 2, 2, "_t") == 0) {  // exp_table_t, accum_t, ...
        std::string var = lk.substr(0, lk.size() - 2);
        const char* role = role_of(var);
        if (!role) {
          skip(w, "no kml precision role '" + var + "'");
          continue;
        }
        std::string p = precision(v, w);
        if (!p.empty()) add("precision." + std::string(role), toml_text::string(p));
      } else if (lk == "reusefactor" || lk == "reuse_factor") {
        if (v.is_number_integer() && v.get<long long>() >= 1) add("reuse_factor", std::to_string(v.get<long long>()));
        else skip(w, "a reuse factor must be a positive integer, got " + v.dump());
      } else if (lk == "strategy" || lk == "implementation") {
        std::string s = lower(scalar_text(v));
        if (lk == "strategy" && (s == "latency" || s == "resource")) add("strategy", toml_text::string(s));
        else if (s == "stable" || s == "argmax" || (lk == "implementation" && s == "latency"))
          add("implementation", toml_text::string(s));  // softmax: hls4ml's Strategy: Stable
        else skip(w, "'" + scalar_text(v) + "' has no kml equivalent (strategy: latency, resource; softmax "
                     "implementation: stable, latency, argmax)");
      } else if (lk == "table_size" || lk == "tablesize") {
        if (v.is_number_integer() && v.get<long long>() >= 1) add("table_size", std::to_string(v.get<long long>()));
        else skip(w, "a table size must be a positive integer, got " + v.dump());
      } else if (lk == "trace" || (model_level && lk == "traceoutput")) {
        if (v.is_boolean()) add("trace", v.get<bool>() ? "true" : "false");
        else skip(w, "must be true or false, got " + v.dump());
      } else {
        skip(w, "no kml equivalent");
      }
    }
    if (catch_all.empty()) return;
    // TOML cannot hold `precision = "..."` beside `precision.<role>`: with roles given, the default goes to every
    // data role they leave open (what the catch-all would cover: not the tables).
    bool roles = false;
    for (const auto& kv : out) roles |= kv.first.rfind("precision.", 0) == 0;
    if (!roles) {
      out.insert(out.begin(), {"precision", toml_text::string(catch_all)});
      return;
    }
    std::vector<std::pair<std::string, std::string>> expanded;
    for (const auto& role : precision_roles()) {
      bool given = false;
      for (const auto& kv : out) given |= kv.first == "precision." + role;
      if (!given && catch_all_covers(role)) expanded.emplace_back("precision." + role, toml_text::string(catch_all));
    }
    out.insert(out.begin(), expanded.begin(), expanded.end());
  }

  std::string run(const json& root) {
    if (!root.is_object()) throw file_error(label, "not an hls4ml configuration (expected a mapping at the top)");
    const json* hls = nullptr;
    std::vector<std::pair<std::string, std::string>> project;  // [model] keys outside HLSConfig
    std::string model_file, weights_file, out_dir, name;
    const bool dict_form = !root.contains("HLSConfig") &&
                           (root.contains("Model") || root.contains("LayerName") || root.contains("LayerType"));
    if (dict_form) hls = &root;
    for (const auto& [key, v] : root.items()) {
      if (dict_form && (key == "Model" || key == "LayerName" || key == "LayerType")) continue;
      const std::string lk = lower(key);
      if (key == "HLSConfig") {
        hls = &v;
      } else if (lk == "part" || lk == "xilinxpart") {
        project.emplace_back("part", toml_text::string(scalar_text(v)));
      } else if (lk == "clockperiod" || lk == "clockuncertainty") {
        std::string s = scalar_text(v);
        if (!s.empty() && s.back() == '%') s.pop_back();
        double d = 0;
        std::size_t used = 0;
        try {
          d = std::stod(s, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != s.size() || !(d > 0)) {
          skip(key, "must be a positive number, got " + v.dump());
          continue;
        }
        std::ostringstream num;
        num << d;
        std::string t = num.str();
        if (t.find_first_of(".e") == std::string::npos) t += ".0";
        project.emplace_back(lk == "clockperiod" ? "clock_period" : "clock_uncertainty", t);
      } else if (lk == "iotype") {
        std::string s = lower(scalar_text(v));
        if (s == "io_parallel" || s == "io_stream") project.emplace_back("io_type", toml_text::string(s));
        else skip(key, "'" + scalar_text(v) + "' has no kml equivalent (io_parallel, io_stream)");
      } else if (lk == "backend") {
        std::string s = lower(scalar_text(v));
        std::string tool = s == "vivado" ? "vivado_hls" : s == "vitis" ? "vitis_hls (or vitis for 2024.2+)" : "";
        skip(key, "the HLS flow is chosen for the whole build, not in the model config: " +
                      (tool.empty() ? std::string("kml drives Vitis HLS and Vivado HLS only")
                                    : "configure with -DKML_HLS_TOOL=" + tool));
      } else if (key == "KerasJson" || key == "KerasModel") {
        model_file = scalar_text(v);
      } else if (key == "KerasH5") {
        weights_file = scalar_text(v);
      } else if (key == "OutputDir") {
        out_dir = scalar_text(v);
      } else if (key == "ProjectName") {
        name = scalar_text(v);
      } else if (key == "InputData" || key == "OutputPredictions") {
        skip(key, "kml reads test vectors from one .io.h5 file (x0, x1, ... and y0, ...): kml_add_fpga_model's TEST_DATA");
      } else {
        skip(key, "no kml equivalent");
      }
    }
    if (!hls) throw file_error(label, "not an hls4ml configuration (no HLSConfig, Model, LayerType or LayerName)");
    if (!hls->is_object()) throw file_error(label, "HLSConfig must be a mapping");

    std::vector<std::pair<std::string, std::string>> model;
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> types, names;
    const std::string base = dict_form ? "" : "HLSConfig.";
    for (const auto& [key, v] : hls->items()) {
      if (key == "Model") {
        level(v, base + "Model", model, true);
      } else if (key == "LayerType" || key == "LayerName") {
        if (!v.is_object()) {
          skip(base + key, "expected a mapping, got " + v.dump());
          continue;
        }
        auto& dest = key == "LayerType" ? types : names;
        for (const auto& [lname, lv] : v.items()) {
          dest.emplace_back(lname, std::vector<std::pair<std::string, std::string>>{});
          level(lv, base + key + "." + lname, dest.back().second, false);
        }
      } else if (!dict_form) {
        skip(base + key, "no kml equivalent");
      }
    }

    std::ostringstream out;
    // Names from the file go into TOML comments: one line each (names::shown escapes line breaks).
    out << "# kml configuration translated from the hls4ml configuration " << names::shown(label) << "\n";
    if (!model_file.empty()) {
      out << "#   kml-convert convert " << names::shown(model_file);
      if (!weights_file.empty()) out << " --weights " << names::shown(weights_file);
      out << " -c <this file>";
      if (!name.empty()) out << " -n " << names::shown(name);
      if (!out_dir.empty()) out << " -o " << names::shown(out_dir);
      out << "\n";
    }
    for (const auto& u : unmapped) out << "# not translated: " << names::shown(u) << "\n";
    out << "[model]\n";
    for (const auto& [k, v] : project) out << k << " = " << v << "\n";
    for (const auto& [k, v] : model) out << k << " = " << v << "\n";
    for (const auto& [t, kv] : types) {
      out << "\n[layer_type." << toml_text::key(t) << "]\n";
      for (const auto& [k, v] : kv) out << k << " = " << v << "\n";
    }
    for (const auto& [n, kv] : names) {
      out << "\n[layer." << toml_text::key(n) << "]\n";
      for (const auto& [k, v] : kv) out << k << " = " << v << "\n";
    }
    return out.str();
  }
};

}  // namespace

Hls4mlImport import_hls4ml_text(const std::string& text, const std::string& label, bool is_json) {
  json root;
  if (is_json) {
    check_json_depth(text, label);
    try {
      root = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range: a number past double's range
      throw file_error(label, std::string("invalid JSON: ") + e.what());
    }
  } else {
    try {
      root = yaml_to_json(YAML::Load(text));
    } catch (const YAML::Exception& e) {
      throw file_error(label, "invalid YAML: line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
  }
  Translator t{label, {}};
  Hls4mlImport r;
  r.toml = t.run(root);
  r.unmapped = t.unmapped;
  return r;
}

Hls4mlImport import_hls4ml(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open hls4ml configuration");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string ext = path.size() >= 5 ? lower(path.substr(path.size() - 5)) : "";
  return import_hls4ml_text(ss.str(), path, ext == ".json");
}

}  // namespace kml
