#include "ir/graph.h"

#include <algorithm>
#include <set>

#include "util/error.h"

namespace kml::ir {

std::size_t shape_size(const Shape& s) {
  std::size_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

std::string shape_str(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + ")";
}

const Precision& Node::type(const std::string& role) const {
  auto it = types.find(role);
  if (it == types.end()) throw Error("internal: node '" + name + "' has no '" + role + "' precision");
  return it->second;
}

Node& Graph::add(Node n) {
  if (index_.count(n.name)) throw Error("internal: duplicate node name '" + n.name + "'");
  nodes_.push_back(std::make_unique<Node>(std::move(n)));
  Node* p = nodes_.back().get();
  index_[p->name] = p;
  return *p;
}

Node* Graph::find(const std::string& name) {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : it->second;
}
const Node* Graph::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : it->second;
}
Node& Graph::at(const std::string& name) {
  Node* n = find(name);
  if (!n) throw Error("internal: no node '" + name + "'");
  return *n;
}
const Node& Graph::at(const std::string& name) const {
  const Node* n = find(name);
  if (!n) throw Error("internal: no node '" + name + "'");
  return *n;
}

std::vector<Node*> Graph::consumers(const std::string& name) {
  std::vector<Node*> r;
  for (auto& n : nodes_)
    if (std::find(n->inputs.begin(), n->inputs.end(), name) != n->inputs.end()) r.push_back(n.get());
  return r;
}

void Graph::replace_uses(const std::string& from, const std::string& to) {
  for (auto& n : nodes_)
    for (auto& in : n->inputs)
      if (in == from) in = to;
  for (auto& o : outputs)
    if (o == from) o = to;
}

void Graph::bypass(const std::string& name) {
  Node& n = at(name);
  if (n.inputs.size() != 1) throw Error("internal: cannot bypass node '" + name + "' with several inputs");
  std::string src = n.inputs[0];
  // The Keras layer whose output this node was now ends at its input.
  if (n.keras_output) {
    Node& s = at(src);
    if (!s.keras_output) {
      s.keras_output = true;
      s.keras_name = n.keras_name;
    }
  }
  replace_uses(name, src);
  remove(name);
}

void Graph::remove(const std::string& name) {
  index_.erase(name);
  nodes_.erase(std::remove_if(nodes_.begin(), nodes_.end(), [&](const auto& p) { return p->name == name; }),
               nodes_.end());
}

void Graph::sort() {
  std::vector<std::unique_ptr<Node>> out;
  std::set<std::string> done;
  std::vector<bool> taken(nodes_.size(), false);
  while (out.size() < nodes_.size()) {
    bool progress = false;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (taken[i]) continue;
      bool ready = true;
      for (auto& in : nodes_[i]->inputs) {
        if (!index_.count(in)) throw Error("layer '" + nodes_[i]->keras_name + "' reads unknown tensor '" + in + "'");
        if (!done.count(in)) ready = false;
      }
      if (!ready) continue;
      taken[i] = true;
      done.insert(nodes_[i]->name);
      out.push_back(std::move(nodes_[i]));
      progress = true;
    }
    if (!progress) throw Error("the model graph has a cycle");
  }
  nodes_ = std::move(out);
}

std::string Graph::unique_name(const std::string& base) const {
  if (!index_.count(base)) return base;
  for (int i = 1;; ++i) {
    std::string n = base + "_" + std::to_string(i);
    if (!index_.count(n)) return n;
  }
}

nlohmann::json to_json(const Graph& g) {
  using nlohmann::json;
  json nodes = json::array();
  for (const auto& np : g.nodes()) {
    const Node& n = *np;
    json w = json::object();
    for (const auto& [key, t] : n.weights) w[key] = {{"shape", t.shape}, {"size", t.size()}};
    json types = json::object();
    for (const auto& [role, p] : n.types) types[role] = p.cpp();
    nodes.push_back({{"name", n.name},
                     {"op", n.op},
                     {"inputs", n.inputs},
                     {"shape", n.shape},
                     {"attr", n.attr},
                     {"weights", w},
                     {"keras_class", n.keras_class},
                     {"keras_name", n.keras_name},
                     {"keras_output", n.keras_output},
                     {"types", types},
                     {"reuse_factor", n.reuse_factor},
                     {"strategy", n.strategy},
                     {"settings", n.settings}});
  }
  return {{"name", g.name}, {"inputs", g.inputs}, {"outputs", g.outputs}, {"nodes", nodes}};
}

}  // namespace kml::ir
