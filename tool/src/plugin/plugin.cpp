#include "plugin/plugin.h"

#include <dlfcn.h>

#include "util/error.h"

namespace kml::plugin {

void load(const std::string& path) {
  // RTLD_NOW: unresolved symbols are reported here, not at the first call; RTLD_LOCAL: plugins do not see
  // each other's symbols. The plugin is never unloaded (its handlers live in the registries).
  void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = ::dlerror();
    throw file_error(path, std::string("cannot load plugin: ") + (e ? e : "unknown error"));
  }
  using version_fn = int (*)();
  using register_fn = void (*)(readers::LayerRegistry&, emit::EmitterRegistry&);
  auto version = reinterpret_cast<version_fn>(::dlsym(h, KML_PLUGIN_VERSION_SYMBOL));
  auto reg = reinterpret_cast<register_fn>(::dlsym(h, KML_PLUGIN_REGISTER_SYMBOL));
  if (!version || !reg)
    throw file_error(path, "not a kml plugin: it does not define " KML_PLUGIN_VERSION_SYMBOL "() and "
                           KML_PLUGIN_REGISTER_SYMBOL "() (use the KML_PLUGIN macro of plugin/plugin.h)");
  int v = version();
  if (v != KML_PLUGIN_API_VERSION)
    throw file_error(path, "plugin built for kml plugin API version " + std::to_string(v) + ", this kml-convert has version " +
                               std::to_string(KML_PLUGIN_API_VERSION) + ": rebuild the plugin against this kml");
  try {
    reg(readers::LayerRegistry::instance(), emit::hls_backend().emitters());
  } catch (const Error& e) {
    throw file_error(path, std::string("plugin registration failed: ") + e.what());
  } catch (const std::exception& e) {
    throw file_error(path, std::string("plugin registration failed: ") + e.what());
  }
}

}  // namespace kml::plugin
