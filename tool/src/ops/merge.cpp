// The merge ops: merge (Add, Subtract, Multiply, Average, Maximum, Minimum, Dot), concatenate
// (readers/layers_merge.cpp, emit/hls/ops_merge.cpp, templates/kml/merge.h).
#include "ops/common.h"

namespace kml::ir {

void register_merge_ops(OpRegistry& r) {
  using ops::op;
  OpInfo merge = op("merge", {"result", "accum"});
  merge.range = RangeRule::Merge;
  r.add(merge);

  OpInfo concat = op("concatenate");
  concat.range = RangeRule::Union;
  r.add(concat);
}

}  // namespace kml::ir
