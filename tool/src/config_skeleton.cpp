#include "config_skeleton.h"
#include "ir/op.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "config/config.h"
#include "config/toml_text.h"
#include "passes/passes.h"
#include "passes/quantizers.h"
#include "passes/reuse.h"
#include "readers/keras_model.h"
#include "util/error.h"
#include "util/names.h"

namespace kml {

namespace fs = std::filesystem;

namespace {

using Table = std::vector<std::pair<std::string, std::string>>;  // key -> TOML value text, in print order

void put(Table& t, const std::string& k, const std::string& v) {
  for (auto& [tk, tv] : t)
    if (tk == k) {
      tv = v;
      return;
    }
  t.emplace_back(k, v);
}

const std::string* get(const Table& t, const std::string& k) {
  for (const auto& [tk, tv] : t)
    if (tk == k) return &tv;
  return nullptr;
}

// One node of the converted graph as the config sees it.
struct Entry {
  const ir::Node* node;
  std::vector<std::string> names;  // config lookup names, as apply_config uses them
  std::string type;                // [layer_type.<type>]
  Table values;                    // every resolved setting, factored over the levels below
  Table hidden;                    // settings the node does not use that must still resolve the same
  Table derived;                   // types the quantizers give (setting them would fix them): comments only
  Table fixed;                     // settings written on the node's own table whatever the granularity
  std::string comment;
};

bool is_softmax(const ir::Node& n) {
  std::string fn = n.attr.value("fn", "");
  return n.op == "activation" && (fn == "softmax" || fn == "log_softmax");
}

std::string describe(const ir::Node& n) {
  std::string s = n.keras_class + " '" + n.keras_name + "'";
  if (n.op == "activation" && n.keras_class == "Activation" && n.name != n.keras_name)
    s = "activation " + n.attr.value("fn", std::string("?")) + " of layer '" + n.keras_name + "'";
  s += ", output " + ir::shape_str(n.shape);
  if (n.attr.contains("fused_batchnorm"))
    s += ", BatchNormalization '" + n.attr["fused_batchnorm"].get<std::string>() + "' folded in";
  return s;
}

// `derive`: the quantizers give this graph's types, except those the user set by name or type.
Entry entry_of(const ir::Node& n, const Config& cfg, bool derive) {
  Entry e;
  e.node = &n;
  e.names = passes::config_names(n);
  e.type = n.keras_class;
  e.comment = describe(n);
  for (const auto& role : precision_roles())
    if (n.types.count(role))
      put(derive && !passes::user_set(cfg, n, role) ? e.derived : e.values, "precision." + role,
          toml_text::string(n.types.at(role).cpp()));
  const bool reuse = passes::reuse_dims(n).has_value();
  const bool tables = n.types.count("table") || n.types.count("exp_table");
  put(reuse ? e.values : e.hidden, "reuse_factor", std::to_string(n.reuse_factor));
  put(reuse ? e.values : e.hidden, "strategy", toml_text::string(n.strategy));
  put(tables ? e.values : e.hidden, "table_size", std::to_string(n.settings.value("table_size", 1024)));
  put(is_softmax(n) ? e.values : e.hidden, "implementation",
      toml_text::string(n.settings.value("implementation", "stable")));
  put(e.values, "trace", n.settings.value("trace", false) ? "true" : "false");
  if (n.attr.contains("fused_batchnorm")) put(e.fixed, "fuse_batchnorm", "true");
  return e;
}

// What the config built from these tables resolves for one key of one entry, in the same text form.
std::string resolved(const Config& c, const Entry& e, const std::string& key) {
  const std::vector<std::string> types = {e.type};
  if (key.rfind("precision.", 0) == 0) {
    std::string role = key.substr(10);
    std::vector<std::string> lookup = {role};
    if (role == "exp_table" || role == "inv_table") lookup.push_back("table");
    Precision none;
    none.kind = Precision::Kind::Auto;
    Precision p = c.precision(lookup, e.names, types, none);
    return p.is_auto() ? "" : toml_text::string(p.cpp());
  }
  // The built-in defaults, as apply_config has them.
  if (key == "reuse_factor") return std::to_string(c.setting(&LayerSettings::reuse_factor, e.names, types, 1));
  if (key == "table_size") return std::to_string(c.setting(&LayerSettings::table_size, e.names, types, 1024));
  if (key == "strategy")
    return toml_text::string(c.setting(&LayerSettings::strategy, e.names, types, std::string("latency")));
  if (key == "implementation")
    return toml_text::string(c.setting(&LayerSettings::implementation, e.names, types, std::string("stable")));
  if (key == "trace") return c.setting(&LayerSettings::trace, e.names, types, false) ? "true" : "false";
  throw Error("internal: config key '" + key + "' has no resolver");
}

// The most frequent value of each key over the entries (first seen wins a tie), in first-seen key order.
Table most_common(const std::vector<const Entry*>& entries) {
  std::vector<std::string> keys;
  std::map<std::string, std::vector<std::pair<std::string, int>>> counts;
  for (const Entry* e : entries)
    for (const auto& kv : e->values) {
      // Not a structured binding: clang 14 (the fuzz/asan build) cannot capture one in the lambda below.
      const std::string& k = kv.first;
      const std::string& v = kv.second;
      auto& c = counts[k];
      if (c.empty()) keys.push_back(k);
      auto it = std::find_if(c.begin(), c.end(), [&](const auto& p) { return p.first == v; });
      if (it == c.end()) c.emplace_back(v, 1);
      else ++it->second;
    }
  // Print order: the precision roles as precision_roles() lists them, then the other settings.
  auto rank = [](const std::string& k) {
    const auto& roles = precision_roles();
    for (std::size_t i = 0; i < roles.size(); ++i)
      if (k == "precision." + roles[i]) return i;
    static const std::vector<std::string> rest = {"reuse_factor", "strategy", "table_size", "implementation", "trace"};
    auto it = std::find(rest.begin(), rest.end(), k);
    return roles.size() + static_cast<std::size_t>(it - rest.begin());
  };
  std::stable_sort(keys.begin(), keys.end(), [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  Table t;
  for (const auto& k : keys) {
    const auto& c = counts[k];
    auto best = c.begin();
    for (auto it = c.begin(); it != c.end(); ++it)
      if (it->second > best->second) best = it;
    t.emplace_back(k, best->first);
  }
  return t;
}

struct Layout {
  std::string header;  // comments and [model]'s project keys
  Table model;
  std::vector<std::pair<std::string, Table>> types;  // [layer_type.X], model order of first use
  std::vector<std::pair<std::string, Table>> names;  // [layer.X], model order
  std::map<std::string, std::string> name_comments;
  std::map<std::string, Table> name_derived;  // printed as comments
};

void write_table(std::ostringstream& out, const std::string& head, const Table& t) {
  if (!head.empty()) out << head << "\n";
  for (const auto& [k, v] : t) out << k << " = " << v << "\n";
}

std::string render(const Layout& l) {
  std::ostringstream out;
  out << l.header;
  write_table(out, "", l.model);
  for (const auto& [type, t] : l.types)
    if (!t.empty()) write_table(out, "\n[layer_type." + toml_text::key(type) + "]", t);
  for (const auto& [name, t] : l.names) {
    auto d = l.name_derived.find(name);
    if (t.empty() && (d == l.name_derived.end() || d->second.empty())) continue;
    out << "\n";
    auto c = l.name_comments.find(name);
    if (c != l.name_comments.end()) out << "# " << names::shown(c->second) << "\n";  // one comment line
    write_table(out, "[layer." + toml_text::key(name) + "]", t);
    if (d != l.name_derived.end())
      for (const auto& [k, v] : d->second) out << "# " << names::shown(k) << " = " << names::shown(v) << "   (from the quantizers)\n";
  }
  return out.str();
}

Table* table_for(std::vector<std::pair<std::string, Table>>& v, const std::string& name) {
  for (auto& [n, t] : v)
    if (n == name) return &t;
  v.emplace_back(name, Table{});
  return &v.back().second;
}

}  // namespace

std::string config_skeleton(const SkeletonOptions& o) {
  const std::string& gran = o.granularity;
  if (gran != "model" && gran != "type" && gran != "name")
    throw Error("--granularity must be model, type or name (got '" + gran + "')");
  if (!fs::exists(o.model)) throw file_error(o.model, "no such file");
  Config cfg;
  if (!o.config.empty()) {
    if (!fs::exists(o.config)) throw file_error(o.config, "no such file");
    cfg = Config::load(o.config);
  }
  readers::ReadResult r = readers::read_model(o.model, o.weights);
  passes::Options popt;
  if (!o.fuse_batchnorm) popt.skip.insert("fuse_batchnorm");
  try {
    passes::run_passes(r.graph, cfg, popt);
  } catch (const Error& e) {
    std::string msg = e.what();
    if (msg.find(": ") == std::string::npos) throw file_error(o.model, msg);
    throw;
  }

  // In a quantized model the quantizers give the types the user did not set by name or type; writing them
  // would fix them (and change what is derived from them), so they are shown as comments.
  const bool derive = passes::derives_types(r.graph, cfg);
  std::vector<Entry> entries;
  for (const auto& np : r.graph.nodes()) {
    const ir::Node& n = *np;
    // Views and layout changes take their input's type; nothing of theirs is configurable.
    if (ir::takes_input_type(n)) continue;
    entries.push_back(entry_of(n, cfg, derive));
  }
  // A BatchNormalization left separate after a Dense/Conv says so, else the default rule could fold it.
  for (auto& e : entries)
    if (e.node->op == "batchnorm") {
      const ir::Node& src = r.graph.at(e.node->inputs.at(0));
      if (ir::kernel_layout(src) != ir::KernelLayout::None) put(e.fixed, "fuse_batchnorm", "false");
    }

  Layout l;
  std::ostringstream h;
  h << "# kml configuration of " << names::shown(fs::path(o.model).filename().string()) << " (kml-convert config --granularity "
    << gran << ")\n"
    << "# Every setting kml resolved for this model; converting with this file gives the same project.\n"
    << "# [layer.<name>] beats [layer_type.<KerasClass>] beats [model]; keys: README, Configuration reference.\n"
    << "[model]\n"
    << "io_type = " << toml_text::string(cfg.io_type) << "\n"
    << "part = " << toml_text::string(cfg.part) << "\n";
  char num[64];
  std::snprintf(num, sizeof num, "%.17g", cfg.clock_period);
  std::string cp = num;
  if (cp.find_first_of(".e") == std::string::npos) cp += ".0";
  std::snprintf(num, sizeof num, "%.17g", cfg.clock_uncertainty);
  std::string cu = num;
  if (cu.find_first_of(".e") == std::string::npos) cu += ".0";
  h << "clock_period = " << cp << "\n"
    << "clock_uncertainty = " << cu << "\n";
  l.header = h.str();

  std::vector<const Entry*> all;
  for (const auto& e : entries) all.push_back(&e);
  l.model = most_common(all);
  if (derive) {  // the model level as the user had it: it gives the types the quantizers do not touch
    Table kept;
    for (const auto& kv : l.model)
      if (kv.first.rfind("precision.", 0) != 0) kept.push_back(kv);
    l.model.clear();
    if (cfg.model.precision_all) put(l.model, "precision", toml_text::string(cfg.model.precision_all->cpp()));
    for (const auto& role : precision_roles())
      if (cfg.model.precision.count(role))
        put(l.model, "precision." + role, toml_text::string(cfg.model.precision.at(role).cpp()));
    for (const auto& kv : kept) l.model.push_back(kv);
  }
  // trace = false is the default; keep the model table to what was set.
  if (const std::string* t = get(l.model, "trace"))
    if (*t == "false") l.model.erase(std::find_if(l.model.begin(), l.model.end(), [](auto& p) { return p.first == "trace"; }));

  if (gran == "type") {
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Entry*>> by_type;
    for (const auto& e : entries) {
      if (!by_type.count(e.type)) order.push_back(e.type);
      by_type[e.type].push_back(&e);
    }
    for (const auto& type : order) {
      Table t;
      for (const auto& [k, v] : most_common(by_type[type])) {
        bool all_agree = true;
        for (const Entry* e : by_type[type]) {
          const std::string* ev = get(e->values, k);
          all_agree = all_agree && (!ev || *ev == v) && !get(e->derived, k);
        }
        const std::string* mv = get(l.model, k);
        if (k == "trace" && v == "false" && !mv) continue;  // the default
        if (all_agree && (!mv || *mv != v)) put(t, k, v);
      }
      l.types.emplace_back(type, t);
    }
  }
  for (const auto& e : entries) {
    Table& t = *table_for(l.names, e.node->name);
    l.name_comments[e.node->name] = e.comment;
    if (gran == "name") l.name_derived[e.node->name] = e.derived;
    if (gran == "name")
      for (const auto& [k, v] : e.values)
        if (k != "trace" || v == "true") put(t, k, v);
    for (const auto& [k, v] : e.fixed) put(t, k, v);
  }
  std::size_t rounds = 0;
  // Whatever the levels above do not resolve to the node's own value goes into its own table, which its own
  // name reaches first. Another node may answer to that name too (a split activation answers to its layer's
  // name), so repeat until every node resolves to its values.
  for (bool changed = true; changed;) {
    changed = false;
    if (++rounds > entries.size() + 2) throw Error("internal: kml-convert config does not reach a fixed point");
    Config c = Config::parse(render(l), "<kml-convert config>");
    for (const auto& e : entries)
      for (const Table* t : {&e.values, &e.hidden})
        for (const auto& [k, v] : *t)
          if (resolved(c, e, k) != v) {
            put(*table_for(l.names, e.node->name), k, v);
            changed = true;
          }
  }
  return render(l);
}

void write_config_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw file_error(path, "cannot write");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw file_error(path, "cannot write: " + ec.message());
  }
}

}  // namespace kml
