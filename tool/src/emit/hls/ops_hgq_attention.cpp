// Op emitters for the HGQ2 attention group: max_sub (kml/max_sub.h).
#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
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
  c.call = nn.call("max_sub");
  return c;
}

}  // namespace

void register_hgq_attention_emitters(EmitterRegistry& r) { r.add("max_sub", max_sub); }

}  // namespace kml::emit
