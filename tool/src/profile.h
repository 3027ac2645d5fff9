// kml-convert profile: numerical profiling of a model against its configured types (hls4ml's "numerical" plots).
// Per layer and role it compares the values a layer really holds, weights and biases from the model, results
// and accumulators from the traces of the float emulation over the test inputs, with the range and LSB of the
// configured type, and adds the fixed-point emulation's own trace (its values and its distance from float).
// Writes profile.json, profile.txt (the table) and profile.html (self-contained: inline SVG and CSS).
#pragma once
#include <string>

#include "convert.h"

namespace kml {

struct ProfileOptions {
  ConvertOptions model;     // model, weights, config, --set: the configuration whose types are profiled
  std::string float_trace;  // trace directory of the float emulation (precision = float, trace = true)
  std::string fixed_trace;  // trace directory of the fixed-point emulation (the configuration, trace = true)
  std::string out_dir;      // profile.json, profile.txt, profile.html
  std::string title;        // the page's title (default: the model file's name)
};

// Returns the text table (also written to profile.txt).
std::string profile(const ProfileOptions& o);

}  // namespace kml
