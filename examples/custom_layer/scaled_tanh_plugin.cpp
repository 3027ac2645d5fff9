// Example kml plugin: a custom Keras layer "ScaledTanh" computing out_scale * tanh(in_scale * x) + offset
// (config keys in_scale, out_scale, offset; no weights). Build it as a shared library against kml::plugin_api
// and pass it to kml-convert with --plugin (see docs/extensions.md).

#include "plugin/plugin.h"

namespace {

using kml::readers::LayerCtx;

// Reader: one Keras layer -> one IR node of the plugin's own op "scaled_tanh".
void read_scaled_tanh(LayerCtx& c) {
  if (c.inputs.size() != 1) throw c.error("expects one input");
  kml::ir::Node n = c.node("scaled_tanh");
  n.shape = c.in_shape();
  n.attr["in_scale"] = c.get<double>("in_scale", 1.0);
  n.attr["out_scale"] = c.get<double>("out_scale", 1.0);
  n.attr["offset"] = c.get<double>("offset", 0.0);
  // The precision roles the config may set for this node ([layer.NAME] precision.table = "...").
  n.attr["precision_roles"] = {"result", "table"};
  c.emit(std::move(n));
}

// Emitter: the node -> a config struct, a typedef and a call into the plugin's template header.
kml::emit::NodeCode emit_scaled_tanh(const kml::emit::NodeNames& nn, const kml::Config&) {
  const kml::ir::Node& n = *nn.node;
  kml::emit::NodeCode code;
  code.includes = {"scaled_tanh.h"};  // found through the plugin's template directory
  code.typedefs.push_back({nn.type("table"), n.type("table")});
  code.config = kml::emit::ConfigStruct(nn.config(), "")
                    .u("n_in", kml::ir::shape_size(n.shape))
                    .u("table_size", n.settings.value("table_size", 1024))
                    .d("in_scale", n.attr["in_scale"].get<double>())
                    .d("out_scale", n.attr["out_scale"].get<double>())
                    .d("offset", n.attr["offset"].get<double>())
                    .type("table_t", nn.type("table"))
                    .str();
  code.call = "example::scaled_tanh<" + nn.in_types[0] + ", " + nn.out_type + ", " + nn.config() + ">(" +
              nn.in_vars[0] + ", " + nn.out_var + ");";
  return code;
}

void setup(kml::readers::LayerRegistry& layers, kml::emit::EmitterRegistry& emitters) {
  layers.add("ScaledTanh", read_scaled_tanh);
  emitters.add("scaled_tanh", emit_scaled_tanh);
}

}  // namespace

KML_PLUGIN(setup)
