// kml's extension API: a plugin is a shared library that kml-convert loads with `--plugin FILE` and that
// registers layer handlers (Keras class -> IR nodes) and op emitters (IR op -> generated C++) for custom layers.
//
// A plugin includes this header and defines its entry point with KML_PLUGIN:
//
//   #include "plugin/plugin.h"   // from the kml::plugin_api CMake target
//   static void setup(kml::readers::LayerRegistry& layers, kml::emit::EmitterRegistry& emitters) {
//     layers.add("ScaledTanh", [](kml::readers::LayerCtx& c) { ... c.emit(node); });
//     emitters.add("scaled_tanh", [](const kml::emit::NodeNames& nn, const kml::Config&) { ... });
//   }
//   KML_PLUGIN(setup)
//
// The plugin must be built against the headers of the kml it is loaded into, with the same C++ compiler and
// standard library (the registries exchange std::function, std::string and nlohmann::json across the boundary).
// docs/extensions.md describes the whole API.
#pragma once
#include <string>

#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "readers/layers.h"

// Bumped whenever a type the plugin API exposes changes incompatibly.
#define KML_PLUGIN_API_VERSION 1

// The two C symbols kml-convert looks up in a plugin.
#define KML_PLUGIN_VERSION_SYMBOL "kml_plugin_api_version"
#define KML_PLUGIN_REGISTER_SYMBOL "kml_register_plugin"

#define KML_PLUGIN(setup_function)                                                                       \
  extern "C" __attribute__((visibility("default"))) int kml_plugin_api_version() {                     \
    return KML_PLUGIN_API_VERSION;                                                                       \
  }                                                                                                      \
  extern "C" __attribute__((visibility("default"))) void kml_register_plugin(                          \
      kml::readers::LayerRegistry& layers, kml::emit::EmitterRegistry& emitters) {                       \
    setup_function(layers, emitters);                                                                    \
  }

namespace kml::plugin {

// Load a plugin into the running converter: check its API version, call its registration function with the
// global registries. Throws kml::Error naming the file on any failure.
void load(const std::string& path);

}  // namespace kml::plugin
