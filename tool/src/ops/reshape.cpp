// The layout ops: reshape, transpose, repeat, zero_pad, crop, upsample (readers/layers_reshape.cpp,
// emit/hls/ops_reshape.cpp, templates/kml/reshape.h).
#include "ops/common.h"

namespace kml::ir {

void register_reshape_ops(OpRegistry& r) {
  using ops::op;
  OpInfo reshape = op("reshape");
  reshape.view = true;
  reshape.range = RangeRule::Permuted;
  r.add(reshape);

  OpInfo transpose = op("transpose");
  // The transposes the channels_last pass adds are layout changes, not layers of the model.
  transpose.takes_input_type = [](const Node& n) { return n.attr.value("synthetic", false); };
  transpose.range = RangeRule::Permuted;
  r.add(transpose);

  OpInfo repeat = op("repeat");
  repeat.range = RangeRule::Permuted;
  r.add(repeat);

  // Their output values are the input's (or zeros), but no range rule follows them yet (RangeRule::Union would).
  r.add(op("zero_pad"));
  r.add(op("crop"));
  r.add(op("upsample"));
}

}  // namespace kml::ir
