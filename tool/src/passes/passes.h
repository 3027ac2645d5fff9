// Graph passes, run in this order by run_passes().
#pragma once
#include "config/config.h"
#include "ir/graph.h"

namespace kml::passes {

struct Options {
  bool fuse_batchnorm = true;
};

// The names a node answers to in [layer.<name>], first match wins: its own, its Keras layer's (a split
// activation answers to its layer's name), a BatchNormalization folded into it.
std::vector<std::string> config_names(const ir::Node& n);

// A layer's `activation=` argument becomes its own "activation" node.
void split_activations(ir::Graph& g);
// Dropout and friends ("identity" nodes) disappear; linear activations too.
void remove_identities(ir::Graph& g);
// data_format='channels_first' layers (attr channels_first) become channels_last between transposes; transposes
// that undo each other are removed (passes/channels_last.cpp).
void channels_last(ir::Graph& g);
// Dense, Conv or ConvTranspose followed by BatchNormalization: scale and shift folded into the Dense weights,
// as the config's `fuse_batchnorm` says (README: Configuration reference).
void fuse_batchnorm(ir::Graph& g, const Config& cfg);
// Precisions, reuse factors, strategy and other settings from the config onto every node.
void apply_config(ir::Graph& g, const Config& cfg);

void run_passes(ir::Graph& g, const Config& cfg, const Options& opt = {});

}  // namespace kml::passes
