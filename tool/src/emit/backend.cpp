#include "emit/backend.h"

#include "emit/hls/emitter.h"
#include "ir/op.h"
#include "util/error.h"

namespace kml::emit {

void Backend::check(const ir::Graph& g, const Config&) const {
  for (const auto& np : g.nodes()) {
    const ir::Node& n = *np;
    if (!ir::has_code(n)) continue;  // model inputs and views have no code of their own
    if (!emits(n.op))
      throw Error("layer '" + n.keras_name + "' (" + n.keras_class + "): the " + name() +
                  " backend has no emitter for IR op '" + n.op + "' (a plugin adds one per backend: docs/extensions.md)");
  }
}

BackendRegistry& BackendRegistry::instance() {
  static BackendRegistry r = [] {
    BackendRegistry reg;
    reg.add(hls_backend());
    return reg;
  }();
  return r;
}

Backend* BackendRegistry::find(const std::string& name) const {
  auto it = backends_.find(name);
  return it == backends_.end() ? nullptr : it->second;
}

Backend& BackendRegistry::get(const std::string& name) const {
  if (Backend* b = find(name)) return *b;
  std::string known;
  for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown backend '" + name + "' (known: " + known + ")");
}

std::vector<std::string> BackendRegistry::names() const {
  std::vector<std::string> r;
  for (const auto& entry : backends_) r.push_back(entry.first);
  return r;
}

}  // namespace kml::emit
