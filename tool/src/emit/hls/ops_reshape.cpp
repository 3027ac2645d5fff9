// Op emitters for the data-movement ops: transpose, repeat, zero_pad, crop, upsample (template kml/reshape.h).
#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

NodeCode transpose(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  std::vector<std::size_t> perm = n.attr.at("perm").get<std::vector<std::size_t>>();
  const ir::Shape& out = n.shape;
  std::size_t r = out.size();
  if (perm.size() != r || r > 4)
    throw Error("internal: transpose of rank " + std::to_string(r) + " (layer '" + n.keras_name + "') is not supported");
  ir::Shape in(r);
  for (std::size_t i = 0; i < r; ++i) in[perm[i]] = out[i];
  std::vector<std::size_t> in_stride(r, 1);
  for (std::size_t i = r; i-- > 1;) in_stride[i - 1] = in_stride[i] * in[i];
  // Output axis i reads input axis perm[i]; pad to rank 4 with leading size-1 axes.
  std::size_t d[4] = {1, 1, 1, 1}, s[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < r; ++i) {
    d[4 - r + i] = out[i];
    s[4 - r + i] = in_stride[perm[i]];
  }
  NodeCode c;
  c.includes = {"kml/reshape.h"};
  c.config = ConfigStruct(nn.config(), "kml::transpose_config")
                 .u({{"d0", d[0]}, {"d1", d[1]}, {"d2", d[2]}, {"d3", d[3]}})
                 .u({{"s0", s[0]}, {"s1", s[1]}, {"s2", s[2]}, {"s3", s[3]}})
                 .u("n_in", ir::shape_size(out))
                 .str();
  c.call = nn.call("transpose");
  return c;
}

NodeCode repeat(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/reshape.h"};
  c.config = ConfigStruct(nn.config(), "kml::repeat_config")
                 .u("n_in", n.attr.at("n_in").get<std::size_t>())
                 .u("n", n.attr.at("n").get<std::size_t>())
                 .str();
  c.call = nn.call("repeat");
  return c;
}

OpEmitter resize(const char* fn) {
  return [fn](const NodeNames& nn, const Config&) {
    const ir::Node& n = *nn.node;
    NodeCode c;
    c.includes = {"kml/reshape.h"};
    ConfigStruct s(nn.config(), "kml::resize_config");
    for (const char* k : {"in_h", "in_w", "n_chan", "out_h", "out_w", "top", "left", "size_h", "size_w"})
      if (n.attr.contains(k)) s.u(k, n.attr.at(k).get<std::size_t>());
    c.config = s.str();
    c.call = nn.call(fn);
    return c;
  };
}

}  // namespace

void register_reshape_emitters(EmitterRegistry& r) {
  r.add("transpose", transpose);
  r.add("repeat", repeat);
  r.add("zero_pad", resize("zero_pad2d"));
  r.add("crop", resize("crop2d"));
  r.add("upsample", resize("upsample2d"));
}

}  // namespace kml::emit
