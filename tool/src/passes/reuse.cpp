#include "passes/reuse.h"

#include <cstdlib>
#include <ostream>
#include <sstream>

namespace kml::passes {

bool reuse_factor_valid(std::size_t n_in, std::size_t n_out, std::size_t rf) {
  if (rf == 0 || n_in == 0 || n_out == 0) return false;
  const std::size_t total = n_in * n_out;
  if (rf > total || total % rf != 0) return false;
  if (!(rf % n_in == 0 || rf < n_in)) return false;
  const std::size_t mult = rf < n_in ? rf : n_in;
  const std::size_t limit = (total + mult - 1) / mult;
  return limit % n_out == 0 || rf >= n_in;
}

std::vector<std::size_t> valid_reuse_factors(std::size_t n_in, std::size_t n_out) {
  std::vector<std::size_t> v;
  const std::size_t total = n_in * n_out;
  for (std::size_t rf = 1; rf <= total; ++rf)
    if (total % rf == 0 && reuse_factor_valid(n_in, n_out, rf)) v.push_back(rf);
  return v;
}

std::size_t closest_reuse_factor(std::size_t n_in, std::size_t n_out, std::size_t rf) {
  std::size_t best = 1, best_d = static_cast<std::size_t>(-1);
  for (std::size_t v : valid_reuse_factors(n_in, n_out)) {
    std::size_t d = v > rf ? v - rf : rf - v;
    if (d < best_d) best = v, best_d = d;
  }
  return best;
}

std::optional<ReuseDims> reuse_dims(const ir::Node& n) { return ir::reuse_dims(n); }

void validate_reuse_factors(ir::Graph& g, std::ostream& warn) {
  for (auto& np : g.nodes()) {
    ir::Node& n = *np;
    if (n.reuse_factor <= 1) continue;
    if (!ir::has_resource_form(n) && n.strategy == "resource") {
      // No Resource form: say so, and record what is generated (manifest, emitted config).
      warn << "kml-convert: warning: layer '" << n.keras_name << "' (" << n.keras_class
           << "): strategy \"resource\" is not implemented for transposed convolutions; using the Latency form"
              " (reuse_factor "
           << n.reuse_factor << " not applied)\n";
      n.strategy = "latency";
      continue;  // not applied: no second warning about its validity
    }
    auto dims = ir::reuse_dims(n);
    if (!dims) continue;
    const std::size_t rf = static_cast<std::size_t>(n.reuse_factor);
    if (reuse_factor_valid(dims->n_in, dims->n_out, rf)) continue;
    const std::size_t best = closest_reuse_factor(dims->n_in, dims->n_out, rf);
    std::ostringstream list;
    const auto valid = valid_reuse_factors(dims->n_in, dims->n_out);
    for (std::size_t i = 0; i < valid.size(); ++i) list << (i ? ", " : "") << valid[i];
    warn << "kml-convert: warning: layer '" << n.keras_name << "' (" << n.keras_class << ", " << dims->n_in << " x "
         << dims->n_out << "): reuse_factor " << rf << " is not valid; using " << best << " (valid: " << list.str()
         << ")\n";
    n.reuse_factor = static_cast<int>(best);
  }
}

}  // namespace kml::passes
