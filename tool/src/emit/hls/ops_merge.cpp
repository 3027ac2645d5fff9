// Op emitters for the merging ops: merge (element-wise, two inputs) and concatenate (template kml/merge.h).
#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

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
  c.config = ConfigStruct(nn.config(), "kml::merge_config")
                 .u("n_elem", ir::shape_size(n.shape))
                 .i("op", it->second, mode)
                 .d("scale", n.attr.value("scale", 1.0))
                 .type("accum_t", nn.type("accum"))
                 .str();
  c.call = nn.call("merge", {}, 2);
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
  c.config =
      ConfigStruct(nn.config(), "kml::concat_config").u("n_outer", outer).u("n_a", n_a).u("n_b", row - n_a).str();
  c.call = nn.call("concatenate", {}, 2);
  return c;
}

}  // namespace

void register_merge_emitters(EmitterRegistry& r) {
  r.add("merge", merge);
  r.add("concatenate", concatenate);
}

}  // namespace kml::emit
