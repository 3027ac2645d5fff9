// data_format='channels_first': readers describe such a layer's computation in channels_last terms (its attributes)
// but keep Keras' channels_first shapes on its input and output, marking the node with attr channels_first. This
// pass makes the node channels_last and puts "transpose" nodes around it (channels_first -> channels_last on its
// input, back on its output), then cancels transposes that undo each other, so a chain of channels_first layers
// runs channels_last throughout. The model's inputs and outputs keep Keras' layout: the generated top function
// and API take channels_first inputs exactly as Keras does.
#include <numeric>

#include "passes/passes.h"
#include "ir/op.h"
#include "util/error.h"

namespace kml::passes {
namespace {

using Perm = std::vector<std::size_t>;

ir::Shape permuted(const ir::Shape& s, const Perm& p) {
  ir::Shape r;
  for (std::size_t a : p) r.push_back(s[a]);
  return r;
}

// (C, d1, ..., dk) -> (d1, ..., dk, C) and back.
Perm to_last(std::size_t r) {
  Perm p(r);
  std::iota(p.begin(), p.end() - 1, 1);
  p.back() = 0;
  return p;
}
Perm to_first(std::size_t r) {
  Perm p(r);
  p[0] = r - 1;
  std::iota(p.begin() + 1, p.end(), 0);
  return p;
}

ir::Node transpose_node(ir::Graph& g, const std::string& name, const std::string& input, const ir::Shape& in_shape,
                        const Perm& p, const ir::Node& origin) {
  ir::Node t;
  t.name = g.unique_name(name);
  t.op = "transpose";
  t.inputs = {input};
  t.attr["perm"] = p;
  t.attr["synthetic"] = true;  // keeps its input's type (apply_config)
  t.shape = permuted(in_shape, p);
  t.keras_class = "Permute";
  t.keras_name = origin.keras_name;
  return t;
}

bool is_output(const ir::Graph& g, const std::string& name) {
  for (const auto& o : g.outputs)
    if (o == name) return true;
  return false;
}

}  // namespace

void channels_last(ir::Graph& g) {
  std::vector<std::string> marked;
  for (auto& n : g.nodes())
    if (n->attr.value("channels_first", false)) marked.push_back(n->name);
  if (marked.empty()) return;

  for (const auto& name : marked) {
    ir::Node& n = g.at(name);
    n.attr.erase("channels_first");
    if (n.inputs.empty()) throw Error("internal: channels_first node '" + name + "' has no input");
    const ir::Shape in_shape = g.at(n.inputs[0]).shape;
    if (in_shape.size() >= 2) {
      ir::Node t = transpose_node(g, name + "_to_cl", n.inputs[0], in_shape, to_last(in_shape.size()), n);
      g.at(name).inputs[0] = t.name;
      g.add(std::move(t));
    }
    ir::Node& m = g.at(name);
    if (m.shape.size() >= 2) {
      ir::Shape cl = permuted(m.shape, to_last(m.shape.size()));
      ir::Node t = transpose_node(g, name + "_to_cf", name, cl, to_first(cl.size()), m);
      // The transpose now produces the Keras layer's (channels_first) output.
      t.keras_output = m.keras_output;
      m.keras_output = false;
      m.shape = cl;
      std::string tn = t.name;
      g.replace_uses(name, tn);
      g.add(std::move(t));
      g.at(tn).inputs = {name};
    }
  }
  g.sort();

  // Move a transpose below an element-wise activation (layout does not matter to it), so that it can meet the
  // next layer's transpose: conv -> to_cf -> relu -> to_cl -> conv becomes conv -> relu -> to_cf -> to_cl -> conv.
  for (auto& np : g.nodes()) {
    ir::Node& a = *np;
    if (!ir::is_elementwise(a) || a.inputs.size() != 1 || !a.weights.empty()) continue;
    ir::Node& t = g.at(a.inputs[0]);
    if (t.op != "transpose" || !t.attr.value("synthetic", false) || is_output(g, t.name) ||
        g.consumers(t.name).size() != 1)
      continue;
    std::string a_name = a.name, t_name = t.name;
    a.inputs = t.inputs;
    a.shape = g.at(t.inputs[0]).shape;
    // The transpose now produces the activation layer's output (the transposed layer's own output is gone).
    t.keras_output = a.keras_output;
    t.keras_name = a.keras_name;
    a.keras_output = false;
    g.replace_uses(a_name, t_name);
    g.at(t_name).inputs = {a_name};
  }
  g.sort();

  // Fold chains of transposes; drop the ones that compose to the identity.
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto& np : g.nodes()) {
      ir::Node& t = *np;
      if (t.op != "transpose") continue;
      ir::Node& s = g.at(t.inputs[0]);
      if (s.op != "transpose") continue;
      Perm pt = t.attr["perm"].get<Perm>(), ps = s.attr["perm"].get<Perm>();
      Perm comp;
      for (std::size_t a : pt) comp.push_back(ps[a]);
      bool identity = true;
      for (std::size_t i = 0; i < comp.size(); ++i) identity &= comp[i] == i;
      std::string s_name = s.name, t_name = t.name, src = s.inputs[0];
      if (identity && !t.keras_output) {
        g.replace_uses(t_name, src);
        g.remove(t_name);
      } else {
        t.inputs = {src};
        t.attr["perm"] = comp;
      }
      if (g.consumers(s_name).empty() && !is_output(g, s_name)) g.remove(s_name);
      changed = true;
      break;
    }
  }
  g.sort();
}

}  // namespace kml::passes
