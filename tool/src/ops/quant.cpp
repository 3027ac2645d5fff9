// The quantizer ops: quantize, step, lut (readers/layers_hgq.cpp, layers_qkeras.cpp; emit/hls/ops_quant.cpp,
// templates/kml/quantize.h).
#include "ops/common.h"

namespace kml::ir {

void register_quant_ops(OpRegistry& r) {
  using ops::op;
  OpInfo q = op("quantize");
  q.range = RangeRule::Quantize;
  r.add(q);
  OpInfo step = op("step");
  step.range = RangeRule::Step;
  r.add(step);
  OpInfo lut = op("lut");
  lut.range = RangeRule::Lut;
  r.add(lut);
}

}  // namespace kml::ir
