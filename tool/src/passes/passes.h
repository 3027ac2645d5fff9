// Graph passes: a named, ordered list (pipeline()), run by run_passes(). docs/architecture.md lists them.
#pragma once
#include <functional>
#include <iosfwd>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "ir/graph.h"

namespace kml::passes {

struct Pass {
  std::string name;
  std::string what;    // one line: what it does
  std::string needed;  // why it cannot be skipped; empty: it may be (--skip-pass)
  std::function<void(ir::Graph&, const Config&)> run;
};

// The passes in the order run_passes() applies them.
const std::vector<Pass>& pipeline();
const Pass* find_pass(const std::string& name);

struct Options {
  std::set<std::string> skip;        // passes not to run (only those whose `needed` is empty)
  std::set<std::string> dump_after;  // print the graph as JSON after these passes ("read": before the first)
  std::ostream* dump = nullptr;      // where (required when dump_after is not empty)
};

// Throws kml::Error for an unknown pass name or a pass that cannot be skipped.
void check_options(const Options& opt);

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

// check_options(), then every pass of pipeline() not skipped, in order.
void run_passes(ir::Graph& g, const Config& cfg, const Options& opt = {});

}  // namespace kml::passes
