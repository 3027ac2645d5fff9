// Op emitters for the merging ops: merge (element-wise, two inputs) and concatenate (template kml/merge.h).
#include <sstream>

#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

std::string u(std::size_t v) { return std::to_string(v) + "u"; }

std::string two_input_call(const NodeNames& nn, const char* fn) {
  return std::string("kml::") + fn + "<" + nn.in_types[0] + ", " + nn.in_types[1] + ", " + nn.out_type + ", " +
         nn.config() + ">(" + nn.in_vars[0] + ", " + nn.in_vars[1] + ", " + nn.out_var + ");";
}

NodeCode merge(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  static const std::map<std::string, int> ops = {{"add", 0}, {"subtract", 1}, {"multiply", 2},
                                                 {"average", 3}, {"maximum", 4}, {"minimum", 5}};
  std::string mode = n.attr.value("mode", "");
  auto it = ops.find(mode);
  if (it == ops.end()) throw Error("internal: merge mode '" + mode + "' (layer '" + n.keras_name + "')");
  NodeCode c;
  c.includes = {"kml/merge.h"};
  c.typedefs.push_back({nn.type("accum"), n.type("accum")});
  std::ostringstream o;
  o.precision(17);
  o << "struct " << nn.config() << " : kml::merge_config {\n"
    << "  static const unsigned n_elem = " << u(ir::shape_size(n.shape)) << ";\n"
    << "  static const int op = " << it->second << ";  // " << mode << "\n"
    << "  static constexpr double scale = " << literal(n.attr.value("scale", 1.0), false) << ";\n"
    << "  typedef " << nn.type("accum") << " accum_t;\n"
    << "};\n";
  c.config = o.str();
  c.call = two_input_call(nn, "merge");
  return c;
}

NodeCode concatenate(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  std::size_t axis = n.attr.at("axis").get<std::size_t>();
  std::size_t outer = 1;
  for (std::size_t d = 0; d < axis; ++d) outer *= n.shape[d];
  std::size_t total = ir::shape_size(n.shape);
  // The two inputs' sizes: the first input's size is the part of each row before the second.
  NodeCode c;
  c.includes = {"kml/merge.h"};
  std::size_t inner_rest = 1;
  for (std::size_t d = axis + 1; d < n.shape.size(); ++d) inner_rest *= n.shape[d];
  std::size_t n_a = n.attr.at("n_a").get<std::size_t>() * inner_rest;
  std::size_t row = total / outer;
  std::ostringstream o;
  o << "struct " << nn.config() << " : kml::concat_config {\n"
    << "  static const unsigned n_outer = " << u(outer) << ";\n"
    << "  static const unsigned n_a = " << u(n_a) << ";\n"
    << "  static const unsigned n_b = " << u(row - n_a) << ";\n"
    << "};\n";
  c.config = o.str();
  c.call = two_input_call(nn, "concatenate");
  return c;
}

}  // namespace

void register_merge_emitters(EmitterRegistry& r) {
  r.add("merge", merge);
  r.add("concatenate", concatenate);
}

}  // namespace kml::emit
