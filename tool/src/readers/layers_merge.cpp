// Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.
// Element-wise merges of more than two inputs become chains of two-input "merge" nodes; Concatenate of more
// than two inputs a chain of "concatenate" nodes; Dot an "einsum" node (after "l2_normalize" when normalize).
#include <string>

#include "readers/einsum.h"
#include "readers/layers.h"

namespace kml::readers {
namespace {

using nlohmann::json;

// Keras axis (counting the batch dimension, may be negative) -> IR axis.
std::size_t ir_axis(const LayerCtx& c, int axis, std::size_t rank) {
  int r = static_cast<int>(rank) + 1;
  int a = axis < 0 ? axis + r : axis;
  if (a < 1 || a >= r) throw c.error("axis " + std::to_string(axis) + " is out of range for inputs of rank " + std::to_string(rank));
  return static_cast<std::size_t>(a - 1);
}

void elementwise(LayerCtx& c, const std::string& mode) {
  if (c.inputs.size() < 2) throw c.error("needs at least two inputs, got " + std::to_string(c.inputs.size()));
  if (mode == "subtract" && c.inputs.size() != 2) throw c.error("Subtract takes exactly two inputs");
  for (std::size_t i = 1; i < c.inputs.size(); ++i)
    if (c.in_shape(i) != c.in_shape(0))
      throw c.error("inputs have shapes " + ir::shape_str(c.in_shape(0)) + " and " + ir::shape_str(c.in_shape(i)) +
                    " (broadcasting merges are not supported)");
  std::string acc = c.inputs[0];
  const std::size_t n = c.inputs.size();
  for (std::size_t i = 1; i < n; ++i) {
    bool last = i + 1 == n;
    std::string m = mode;
    // Average of n inputs: a chain of additions, the last one scaled by 1/n.
    if (mode == "average" && !last) m = "add";
    ir::Node node = c.node("merge", last ? "" : "part" + std::to_string(i));
    node.inputs = {acc, c.inputs[i]};
    node.shape = c.in_shape(0);
    node.attr["mode"] = m;
    node.attr["scale"] = mode == "average" ? 1.0 / static_cast<double>(n) : 1.0;
    acc = c.emit(std::move(node)).name;
  }
}

void concatenate(LayerCtx& c) {
  if (c.inputs.size() < 2) throw c.error("needs at least two inputs");
  const std::size_t rank = c.in_shape(0).size();
  std::size_t axis = ir_axis(c, c.get<int>("axis", -1), rank);
  for (std::size_t i = 1; i < c.inputs.size(); ++i) {
    const ir::Shape& s = c.in_shape(i);
    bool ok = s.size() == rank;
    for (std::size_t d = 0; ok && d < rank; ++d) ok = d == axis || s[d] == c.in_shape(0)[d];
    if (!ok)
      throw c.error("cannot concatenate shapes " + ir::shape_str(c.in_shape(0)) + " and " + ir::shape_str(s) +
                    " on axis " + std::to_string(axis + 1));
  }
  std::string acc = c.inputs[0];
  for (std::size_t i = 1; i < c.inputs.size(); ++i) {
    bool last = i + 1 == c.inputs.size();
    ir::Node n = c.node("concatenate", last ? "" : "part" + std::to_string(i));
    n.inputs = {acc, c.inputs[i]};
    n.shape = c.graph->at(acc).shape;
    n.attr["n_a"] = n.shape[axis];  // the first input's extent on the axis
    n.shape[axis] += c.in_shape(i)[axis];
    n.attr["axis"] = axis;
    acc = c.emit(std::move(n)).name;
  }
}

std::string l2_normalize(LayerCtx& c, const std::string& in, std::size_t axis, const std::string& suffix) {
  const ir::Shape& s = c.graph->at(in).shape;
  if (axis + 1 != s.size())
    throw c.error("normalize=True over axis " + std::to_string(axis + 1) + " other than the last is not supported");
  ir::Node n = c.node("l2_normalize", suffix);
  n.inputs = {in};
  n.shape = s;
  n.attr["n_in"] = s.back();
  n.attr["epsilon"] = 1e-12;
  return c.emit(std::move(n)).name;
}

void dot(LayerCtx& c) {
  if (c.inputs.size() != 2) throw c.error("Dot takes exactly two inputs");
  const ir::Shape &sa = c.in_shape(0), &sb = c.in_shape(1);
  json axes = c.config().value("axes", json(-1));
  int a0, a1;
  if (axes.is_array()) {
    if (axes.size() != 2) throw c.error("axes " + axes.dump() + " must be one integer or a pair");
    a0 = axes[0].get<int>();
    a1 = axes[1].get<int>();
  } else {
    a0 = a1 = axes.get<int>();
  }
  std::size_t x0 = ir_axis(c, a0, sa.size()), x1 = ir_axis(c, a1, sb.size());
  if (sa[x0] != sb[x1])
    throw c.error("contracted axes have sizes " + std::to_string(sa[x0]) + " and " + std::to_string(sb[x1]));
  std::string ina = c.inputs[0], inb = c.inputs[1];
  if (c.get<bool>("normalize", false)) {
    ina = l2_normalize(c, ina, x0, "norm0");
    inb = l2_normalize(c, inb, x1, "norm1");
  }
  // Letters: A uses a.., B continues; the contracted axis shares one letter. Output: A's free axes then B's.
  std::string ta, tb, to;
  char next = 'a';
  const char contracted = 'z';
  for (std::size_t i = 0; i < sa.size(); ++i) ta += i == x0 ? contracted : next++;
  for (std::size_t i = 0; i < sb.size(); ++i) tb += i == x1 ? contracted : next++;
  for (char ch : ta)
    if (ch != contracted) to += ch;
  for (char ch : tb)
    if (ch != contracted) to += ch;
  emit_einsum(c, ina, inb, ta, tb, to, "");
}

}  // namespace

void register_merge_layers(LayerRegistry& r) {
  for (const char* m : {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}) {
    std::string mode = m;
    for (auto& ch : mode) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.add(m, [mode](LayerCtx& c) { elementwise(c, mode); });
  }
  r.add("Concatenate", concatenate);
  r.add("Dot", dot);
}

}  // namespace kml::readers
