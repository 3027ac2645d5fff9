// The TOML configuration, with hls4ml's model: [model] < [layer_type.<KerasClass>] < [layer.<name>].
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/precision.h"

namespace kml {

// Settings that may appear at every level.
struct LayerSettings {
  std::optional<Precision> precision_all;      // precision = "..."
  std::map<std::string, Precision> precision;  // precision.<role> = "..."
  std::optional<int> reuse_factor;
  std::optional<std::string> strategy;  // "latency" | "resource"
  std::optional<int> table_size;
  std::optional<bool> trace;
  std::optional<std::string> implementation;  // softmax: "stable" | "latency" | "argmax"
  std::optional<int> fifo_depth;              // io_stream: depth of the layer's output FIFO
  std::optional<Precision> max_precision;     // precision = "auto": the widest type it may choose
  std::optional<bool> fuse_batchnorm;         // fold a BatchNormalization into the Dense/Conv before it
};

// The precision roles a config may name (precision.<role>), in the order kml-convert config prints them.
const std::vector<std::string>& precision_roles();

// Does a level's catch-all `precision = "..."` cover this role? It sets the data roles only: the lookup
// tables (table, exp_table, inv_table) keep their own defaults unless a `precision.<table role>` is given,
// as in hls4ml, so writing the documented default precision changes nothing.
bool catch_all_covers(const std::string& role);

struct Config {
  std::string file;  // "" for the built-in defaults
  LayerSettings model;
  std::map<std::string, LayerSettings> by_type;
  std::map<std::string, LayerSettings> by_name;
  std::string io_type = "io_parallel";
  std::string part = "xcvu13p-flga2577-2-e";
  double clock_period = 5.0;
  double clock_uncertainty = 12.5;  // percent, as Vitis HLS

  // Parse a TOML file; errors name the file, the key and the line.
  static Config load(const std::string& path);
  static Config parse(const std::string& text, const std::string& label);

  // Resolution for one node: name beats type beats model beats the built-in default.
  Precision precision(const std::string& role, const std::vector<std::string>& names,
                      const std::vector<std::string>& types, const Precision& fallback) const;
  // Several role names tried in order at each level (e.g. {"exp_table", "table"}) before the level's
  // catch-all `precision = "..."`.
  Precision precision(const std::vector<std::string>& roles, const std::vector<std::string>& names,
                      const std::vector<std::string>& types, const Precision& fallback) const;
  template <class T>
  T setting(std::optional<T> LayerSettings::*field, const std::vector<std::string>& names,
            const std::vector<std::string>& types, T fallback) const {
    return lookup(field, names, types).value_or(fallback);
  }
  // The same, empty when no level sets it.
  template <class T>
  std::optional<T> lookup(std::optional<T> LayerSettings::*field, const std::vector<std::string>& names,
                          const std::vector<std::string>& types) const {
    for (const auto& n : names) {
      auto it = by_name.find(n);
      if (it != by_name.end() && (it->second.*field)) return it->second.*field;
    }
    for (const auto& t : types) {
      auto it = by_type.find(t);
      if (it != by_type.end() && (it->second.*field)) return it->second.*field;
    }
    return model.*field;
  }
};

}  // namespace kml
