// Op emitters for the HGQ2 attention group: max_sub (kml/max_sub.h).
#include "emit/config_struct.h"
#include "emit/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

NodeCode max_sub(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/max_sub.h"};
  const std::size_t n_in = n.attr.at("n_in").get<std::size_t>();
  c.config = ConfigStruct(nn.config(), "kml::max_sub_config")
                 .u("n_rows", ir::shape_size(n.shape) / n_in)
                 .u("n_in", n_in)
                 .str();
  c.call = "kml::max_sub<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" + nn.in_vars[0] + ", " +
           nn.out_var + ");";
  return c;
}

}  // namespace

void register_hgq_attention_emitters(EmitterRegistry& r) { r.add("max_sub", max_sub); }

}  // namespace kml::emit
