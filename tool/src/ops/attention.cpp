// The attention ops: einsum, einsum_dense, layernorm, l2_normalize, embedding (readers/layers_attention.cpp,
// emit/hls/ops_attention.cpp) and HGQ's max_sub (readers/layers_hgq_attention.cpp, emit/hls/ops_hgq_attention.cpp).
#include "ops/common.h"

namespace kml::ir {

void register_attention_ops(OpRegistry& r) {
  using ops::op;
  OpInfo einsum = op("einsum", {"result", "accum"});
  einsum.range = RangeRule::Attention;
  r.add(einsum);

  OpInfo ed = op("einsum_dense", {"result", "accum", "weight", "bias"});
  ed.mac = true;
  ed.range = RangeRule::Attention;
  r.add(ed);

  r.add(op("layernorm", {"result", "scale", "bias", "table"}));
  r.add(op("l2_normalize", {"result", "table"}));
  r.add(op("embedding", {"result", "weight"}));

  OpInfo max_sub = op("max_sub");
  max_sub.range = RangeRule::Attention;
  r.add(max_sub);
}

}  // namespace kml::ir
