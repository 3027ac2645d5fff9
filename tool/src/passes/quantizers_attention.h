// Exact value ranges of the einsum-family ops for the quantizers pass (quantizers.cpp): einsum (two data
// tensors), einsum_dense (constant kernel and bias) and max_sub (row maximum minus each element). Sets the
// ops' internal types (accum, weight, bias) so that every step is exact.
#pragma once
#include <functional>
#include <string>

#include "config/precision.h"
#include "ir/graph.h"
#include "quant/fixed.h"

namespace kml::passes {

struct RangeHooks {
  // The known exact range of a node's output (Range::known is false when it is not known).
  std::function<const quant::Range&(const std::string&)> range;
  // Set a role's type unless the user configured it.
  std::function<void(ir::Node&, const std::string&, const Precision&)> set_type;
};

// Handles n when it is one of the ops above: stores its output range in `out` (unknown when an input range is
// unknown or the model is emulated in float) and returns true; false for any other op.
bool einsum_range(ir::Node& n, const RangeHooks& h, quant::Range& out);

}  // namespace kml::passes
