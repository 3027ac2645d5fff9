// Reuse-factor validation with hls4ml's rules. A layer multiplies an n_in x n_out matrix (Dense: n_in x n_out;
// Conv: n_in = kernel positions x input channels per group, n_out = filters; LSTM n_out = 4 units, GRU 3 units).
// A reuse factor RF is valid when
//   (n_in * n_out) % RF == 0,
//   RF % n_in == 0 or RF < n_in,
//   ceil(n_in * n_out / min(n_in, RF)) % n_out == 0 or RF >= n_in.
// An invalid RF is replaced by the closest valid one (the smaller on a tie) with a warning listing the valid ones.
#pragma once
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ir/op.h"

namespace kml::passes {

using ReuseDims = ir::ReuseDims;

bool reuse_factor_valid(std::size_t n_in, std::size_t n_out, std::size_t rf);
// All valid reuse factors, ascending (1 .. n_in * n_out).
std::vector<std::size_t> valid_reuse_factors(std::size_t n_in, std::size_t n_out);
// The valid reuse factor closest to rf (the smaller one on a tie).
std::size_t closest_reuse_factor(std::size_t n_in, std::size_t n_out, std::size_t rf);

// The matrix a node's reuse factor applies to, or nothing for ops without one: ir::reuse_dims() (the op
// registry's rule; an op may instead set attr "reuse_n_in" and "reuse_n_out" in its reader).
std::optional<ReuseDims> reuse_dims(const ir::Node& n);

// Replace every node's invalid reuse factor by the closest valid one, writing one warning per layer to `warn`.
// A transposed convolution with strategy "resource" and a reuse factor > 1 has no Resource form: it is set back to
// "latency" with a warning.
void validate_reuse_factors(ir::Graph& g, std::ostream& warn);

}  // namespace kml::passes
