// --set KEY=VALUE: configuration overrides, applied to the parsed TOML document before it is interpreted,
// so every override goes through the same validation as the file.
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "config/config.h"
#include "project/project.h"
#include "util/error.h"

namespace kml::project {
namespace {

// Sets t[name] to the value as TOML would read it (4, 5.0, true, "x"), or else to the text itself as a
// string (ap_fixed<8,3>, latency).
void assign(toml::table& t, const std::string& name, const std::string& text) {
  try {
    toml::table parsed = toml::parse("v = " + text);
    if (toml::node* n = parsed.get("v")) {
      n->visit([&](auto& v) { t.insert_or_assign(name, std::move(v)); });
      return;
    }
  } catch (const toml::parse_error&) {
  }
  t.insert_or_assign(name, text);
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

void apply(toml::table& doc, const std::string& assignment) {
  const std::size_t eq = assignment.find('=');
  const std::string what = "--set " + assignment;
  if (eq == std::string::npos || eq == 0) throw Error(what + ": expected KEY=VALUE (e.g. reuse_factor=4)");
  const std::string key = assignment.substr(0, eq);
  std::vector<std::string> path = split_key(key);
  for (const auto& p : path)
    if (p.empty()) throw Error(what + ": empty component in the key '" + key + "'");
  // A bare key is a [model] setting; layer.<name>.<key> and layer_type.<class>.<key> name the other levels.
  if (path[0] != "model" && path[0] != "layer" && path[0] != "layer_type") path.insert(path.begin(), "model");
  if (path[0] == "model" ? path.size() < 2 : path.size() < 3)
    throw Error(what + ": the key names a table, not a setting");
  toml::table* t = &doc;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    toml::node* n = t->get(path[i]);
    if (!n) {
      t->insert(path[i], toml::table{});
      n = t->get(path[i]);
    } else if (!n->is_table()) {
      // precision = "..." replaced by one role (precision.result = ...): the role table replaces it.
      t->insert_or_assign(path[i], toml::table{});
      n = t->get(path[i]);
    }
    t = n->as_table();
  }
  assign(*t, path.back(), assignment.substr(eq + 1));
}

}  // namespace

Config load_config(const std::string& path, const Options* o) {
  const bool overrides = o && !o->set.empty();
  if (!overrides) return path.empty() ? Config{} : Config::load(path);
  std::string text;
  if (!path.empty()) {
    Config::load(path);  // errors of the file itself, with its own line numbers
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  toml::table doc = toml::parse(text, path.empty() ? std::string("(no config)") : path);
  std::string label = path.empty() ? std::string("the default configuration") : path;
  label += " with";
  for (const auto& s : o->set) {
    apply(doc, s);
    label += " --set " + s;
  }
  std::ostringstream out;
  out << toml::toml_formatter(doc);
  Config c = Config::parse(out.str(), label);
  c.file = path;
  return c;
}

}  // namespace kml::project
