// precision = "auto": choose fixed-point types that cannot overflow.
//
// Every tensor gets a bound on its magnitude: an input or a layer with a concrete result type is bounded by its
// type's range; a layer whose result is "auto" by what its arithmetic can produce from its input's bound and
// its actual weights (Dense/Conv: max over outputs of |bias| + sum |w| * bound(input)). From that:
//   weight, bias, scale: integer bits for the largest magnitude, fractional bits as few as represent every value
//                        exactly, else what the default width leaves;
//   accum:               integer bits for the bound, fractional bits for exact products (F_in + F_weight);
//   result:              the accumulator's type (Dense, Conv, BatchNorm), the input's type (ReLU family,
//                        pooling), a [-1, 1] / [0, 1] type for bounded activations.
// Widths are capped by max_precision (setting, default ap_fixed<40,40>): fractional bits go first; if the
// integer bits alone exceed the cap a warning says the layer may overflow.
// Roles and ops not listed fall back to their built-in default type (apply_config, auto_precision_supported).
#pragma once
#include <iosfwd>
#include <string>

#include "config/config.h"
#include "ir/graph.h"

namespace kml::passes {

// Can precision inference resolve "auto" for this node's role? (Otherwise apply_config uses the default.)
bool auto_precision_supported(const ir::Node& n, const std::string& role);

// The largest type "auto" may choose when no max_precision is configured.
Precision default_max_precision();

// Resolve every remaining "auto" type (after apply_config), writing one note per layer to `log`.
void infer_precisions(ir::Graph& g, const Config& cfg, std::ostream& log);

}  // namespace kml::passes
