// The convolution and pooling ops: conv, conv_transpose, pool, global_pool (readers/layers_conv.cpp,
// emit/hls/ops_conv.cpp, templates/kml/{conv,pooling}.h).
#include "ops/common.h"

namespace kml::ir {

void register_conv_ops(OpRegistry& r) {
  using ops::op;
  using ops::uattr;
  OpInfo conv = op("conv", {"result", "accum", "weight", "bias"});
  conv.reuse = [](const Node& n) {
    std::size_t groups = uattr(n, "groups", 1);
    if (groups == 0) groups = 1;
    return std::optional<ReuseDims>(
        ReuseDims{uattr(n, "filt_h", 1) * uattr(n, "filt_w", 1) * (uattr(n, "n_chan", 1) / groups), uattr(n, "n_filt", 1)});
  };
  conv.mac = true;
  conv.kernel = KernelLayout::OutputLast;
  conv.auto_rule = AutoRule::Linear;
  conv.range = RangeRule::Conv;
  r.add(conv);

  OpInfo convt = op("conv_transpose", {"result", "accum", "weight", "bias"});
  convt.reuse = [](const Node& n) {
    return std::optional<ReuseDims>(
        ReuseDims{uattr(n, "filt_h", 1) * uattr(n, "filt_w", 1) * uattr(n, "n_chan", 1), uattr(n, "n_filt", 1)});
  };
  convt.resource = false;
  convt.mac = true;
  convt.kernel = KernelLayout::ConvTranspose;
  convt.auto_rule = AutoRule::Linear;
  r.add(convt);

  OpInfo pool = op("pool", {"result", "accum"});
  pool.auto_rule = AutoRule::Pool;
  pool.range = RangeRule::Pool;
  r.add(pool);

  OpInfo gpool = op("global_pool", {"result", "accum"});
  gpool.auto_rule = AutoRule::GlobalPool;
  gpool.range = RangeRule::Pool;
  r.add(gpool);
}

}  // namespace kml::ir
