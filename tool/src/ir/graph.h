// The graph IR: what readers produce, passes transform and emitters consume.
// It knows nothing of HDF5 or Keras file layouts, and nothing of HLS.
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/precision.h"

namespace kml::ir {

using Shape = std::vector<std::size_t>;  // without the batch dimension

std::size_t shape_size(const Shape& s);
std::string shape_str(const Shape& s);

struct Tensor {
  Shape shape;
  std::vector<double> data;  // row-major
  std::size_t size() const { return data.size(); }
};

struct Node {
  std::string name;     // unique in the graph
  std::string op;       // IR operation: "input", "dense", "activation", "batchnorm", "reshape", ...
  std::vector<std::string> inputs;  // names of the producing nodes
  Shape shape;          // output shape
  nlohmann::json attr = nlohmann::json::object();  // op-specific attributes
  std::map<std::string, Tensor> weights;

  // Origin, for config lookups, error messages and tracing.
  std::string keras_class;  // e.g. "Dense"
  std::string keras_name;   // the Keras layer this node came from
  bool keras_output = false;  // this node's output is the Keras layer's output

  // Implementation settings, filled in by the config pass.
  std::map<std::string, Precision> types;  // role -> precision ("result", "accum", "weight", ...)
  int reuse_factor = 1;
  std::string strategy = "latency";
  nlohmann::json settings = nlohmann::json::object();  // other per-node settings (table_size, ...)

  const Precision& type(const std::string& role) const;
};

class Graph {
 public:
  std::string name;
  std::vector<std::string> inputs;   // input node names, model order
  std::vector<std::string> outputs;  // output node names, model order

  Node& add(Node n);
  Node* find(const std::string& name);
  const Node* find(const std::string& name) const;
  Node& at(const std::string& name);
  const Node& at(const std::string& name) const;
  std::vector<std::unique_ptr<Node>>& nodes() { return nodes_; }
  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }

  // Nodes that read `name`.
  std::vector<Node*> consumers(const std::string& name);
  // Replace every use of `from` (as a node input or graph output) by `to`.
  void replace_uses(const std::string& from, const std::string& to);
  // Remove a node with one input, rewiring its consumers to that input.
  void bypass(const std::string& name);
  void remove(const std::string& name);
  // Reorder nodes topologically (stable); throws on cycles or dangling inputs.
  void sort();
  std::string unique_name(const std::string& base) const;

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, Node*> index_;
};

// The graph as JSON (kml-convert --dump-ir-after): inputs, outputs and every node with its attributes, weight
// shapes, precisions and settings (weight values left out).
nlohmann::json to_json(const Graph& g);

}  // namespace kml::ir
