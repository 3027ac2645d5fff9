// The HLS C++ backend ("hls"): the generated HLS project (firmware, weights, testbench, host bridge, API header,
// manifest), written by per-op emitters and the project writer (project.cpp). They read the IR and the config;
// they know nothing of HDF5 or Keras files.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "emit/backend.h"
#include "ir/graph.h"

namespace kml::emit {

// A weight array to write into firmware/weights/<var>.h.
struct WeightArray {
  std::string var;
  std::string type;  // typedef name
  const ir::Tensor* tensor;
  std::string comment;
};

// What one node contributes to the generated files.
struct NodeCode {
  std::vector<std::pair<std::string, Precision>> typedefs;  // name -> precision (defines.h)
  std::string config;                                        // parameters.h
  std::vector<WeightArray> weights;
  std::string call;  // statement(s) in the top function
  std::vector<std::string> includes;  // template headers ("kml/dense.h")
};

// Names the op emitters use for a node.
struct NodeNames {
  const ir::Node* node;
  int index;                            // position (stable, 1-based)
  std::vector<std::string> in_vars;     // input array variables
  std::vector<std::string> in_types;    // their element types
  std::string out_var;                  // output array variable
  std::string out_type;                 // its element type (layer<k>_t)
  std::string type(const std::string& role) const;    // "<role><k>_t"
  std::string config() const { return "config" + std::to_string(index); }
  // The usual call of a layer template on the first n_inputs inputs, with more arguments after the output:
  // call("dense", {"w3", "b3"}) is "kml::dense<in_t, layer3_t, config3>(in, layer3_out, w3, b3);".
  std::string call(const std::string& fn, const std::vector<std::string>& args = {}, std::size_t n_inputs = 1) const;
  // Adds the node's weight tensor `key` to c as the array <prefix><k> of element type `type`, commented
  // "<Keras name> <what>"; returns the array's name: add_array(c, "w", type("weight"), "kernel", "kernel") is "w3".
  std::string add_array(NodeCode& c, const std::string& prefix, const std::string& type, const std::string& key,
                        const std::string& what) const {
    std::string name = prefix + std::to_string(index);
    c.weights.push_back({name, type, &node->weights.at(key), node->keras_name + " " + what});
    return name;
  }
};

// The HLS backend's emitter of one IR op: a node -> its code.
using OpEmitter = std::function<NodeCode(const NodeNames&, const Config&)>;
using EmitterRegistry = OpEmitters<OpEmitter>;

class HlsBackend : public Backend {
 public:
  HlsBackend();  // with kml's own emitters
  std::string name() const override { return "hls"; }
  bool emits(const std::string& op) const override { return emitters_.find(op) != nullptr; }
  void write_project(const ir::Graph& g, const Config& cfg, const ProjectInfo& info,
                     const std::filesystem::path& dir) const override;
  EmitterRegistry& emitters() { return emitters_; }
  const EmitterRegistry& emitters() const { return emitters_; }

 private:
  EmitterRegistry emitters_;
};

// The HLS backend (registered in BackendRegistry::instance()), with kml's emitters and the plugins'.
HlsBackend& hls_backend();

void register_core_emitters(EmitterRegistry& r);
void register_quant_emitters(EmitterRegistry& r);      // ops_quant.cpp
void register_conv_emitters(EmitterRegistry& r);     // ops_conv.cpp
void register_reshape_emitters(EmitterRegistry& r);  // ops_reshape.cpp
void register_merge_emitters(EmitterRegistry& r);      // ops_merge.cpp
void register_recurrent_emitters(EmitterRegistry& r);  // ops_recurrent.cpp
void register_attention_emitters(EmitterRegistry& r);  // ops_attention.cpp
void register_hgq_attention_emitters(EmitterRegistry& r);  // ops_hgq_attention.cpp
void register_dense_po2_emitters(EmitterRegistry& r);  // ops_dense_po2.cpp (wraps the core dense emitter)
void register_garnet_emitters(EmitterRegistry& r);     // ops_garnet.cpp (GarNet, GarNetStack)

// How append_literal() spells a number in generated C++: as short as possible, and reading back as exactly the
// value written (Float: the value rounded to float). NaN is written as 0.
enum class Spelling {
  Double,         // the shortest decimal of the double: 0.1, 64, 1e-05, -0
  Float,          // the same for the value rounded to float, without suffix
  DoubleLiteral,  // Double, with ".0" after a whole number, so that the literal has type double: 64.0
  Initializer,    // array initializers: whole numbers below 2^53 as integers (valid for integer arrays too),
                  // float32 values as float literals (0.1f), other values as Double
};

// Append v, spelled `how`, to out (std::to_chars: no allocation beyond out's own growth).
void append_literal(std::string& out, double v, Spelling how = Spelling::Double);

// Format a value for a C++ initializer: exact, as short as possible (Spelling::Float or Spelling::Double).
std::string literal(double v, bool as_float);

// An unsigned literal in generated C++ (config members, template arguments): 16 -> "16u".
inline std::string unsigned_literal(std::size_t v) { return std::to_string(v) + "u"; }

// Write the whole project into `dir` (which must exist and be empty) with hls_backend().
void write_project(const ir::Graph& g, const Config& cfg, const ProjectInfo& info, const std::filesystem::path& dir);

// Whether a node's output is traced in csim (trace = true on a node that is not an input).
bool traced(const ir::Node& n);
// The names a traced node's output is recorded under in csim_results.h5 (trace/<name>): the Keras layer name for
// the node that gives a Keras layer's output; every other node under its own node name, except that a node
// whose activation was split off into the layer's output node (Dense -> Dense + Activation) is
// <node>_linear, the Keras name being the activation's. A split activation that is the Keras layer's output is
// recorded under its node name and under the Keras name.
std::vector<std::string> trace_names(const ir::Graph& g, const ir::Node& n);
// The manifest describing a project (also written by write_project).
nlohmann::json manifest(const ir::Graph& g, const Config& cfg, const ProjectInfo& info);

// "dense_1/kernel" -> "dense_1_kernel"; never starts with a digit; never empty.
std::string c_identifier(const std::string& s);

}  // namespace kml::emit
