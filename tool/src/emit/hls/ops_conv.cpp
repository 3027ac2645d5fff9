// Op emitters for convolutions and pooling: conv, conv_transpose, pool, global_pool (templates kml/conv.h,
// kml/pooling.h).
#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

// A config struct whose first members are the node's geometry attributes (unsigned), in the given order.
ConfigStruct geometry_config(const NodeNames& nn, const char* base, std::initializer_list<const char*> keys) {
  const ir::Node& n = *nn.node;
  ConfigStruct s(nn.config(), base);
  for (const char* k : keys) s.u(k, n.attr.at(k).get<std::size_t>());
  return s;
}

NodeCode conv_like(const NodeNames& nn, const char* fn) {
  return kernel_bias_layer(nn,
                           geometry_config(nn, "kml::conv_config",
                                           {"in_h", "in_w", "n_chan", "out_h", "out_w", "n_filt", "filt_h", "filt_w",
                                            "stride_h", "stride_w", "dilation_h", "dilation_w", "pad_top", "pad_left",
                                            "groups"}),
                           "kml/conv.h", fn);
}

// The reciprocal-count table of an average: exact in float emulation; 23 fractional bits, rounded, in fixed point.
Precision scale_precision(const ir::Node& n) {
  Precision r = n.type("result");
  if (r.is_float()) return r;
  Precision p = Precision::fixed(24, 1, false);
  p.rounding = "AP_RND";
  return p;
}

// pool2d and global_pool2d: the geometry, then the same members, and a table of 1/count (one entry per output
// position, or one in all).
NodeCode pool_like(const NodeNames& nn, const char* fn, const char* base, std::initializer_list<const char*> keys,
                   const char* inv_comment) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/pooling.h"};
  c.typedefs.push_back({nn.type("accum"), n.type("accum")});
  c.typedefs.push_back({nn.type("scale"), scale_precision(n)});
  c.config = geometry_config(nn, base, keys)
                 .b("average", n.attr.value("average", false))
                 .u("reuse_factor", n.reuse_factor)
                 .type("accum_t", nn.type("accum"))
                 .type("scale_t", nn.type("scale"))
                 .str();
  const std::string inv = nn.add_array(c, "inv", nn.type("scale"), "inv_count", inv_comment);
  c.call = nn.call(fn, {inv});
  return c;
}

NodeCode pool(const NodeNames& nn, const Config&) {
  return pool_like(nn, "pool2d", "kml::pool_config",
                   {"in_h", "in_w", "n_chan", "out_h", "out_w", "pool_h", "pool_w", "stride_h", "stride_w", "pad_top",
                    "pad_left"},
                   "1/count per position");
}

NodeCode global_pool(const NodeNames& nn, const Config&) {
  return pool_like(nn, "global_pool2d", "kml::global_pool_config", {"n_pix", "n_chan"}, "1/count");
}

}  // namespace

void register_conv_emitters(EmitterRegistry& r) {
  r.add("conv", [](const NodeNames& nn, const Config&) { return conv_like(nn, "conv2d"); });
  r.add("conv_transpose", [](const NodeNames& nn, const Config&) { return conv_like(nn, "conv2d_transpose"); });
  r.add("pool", pool);
  r.add("global_pool", global_pool);
}

}  // namespace kml::emit
