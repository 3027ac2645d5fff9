// io_stream: the top function with hls::stream ports of channel vectors, one DATAFLOW process per layer and
// FIFOs between them (templates/kml/stream.h). project.cpp calls write_stream_top() when io_type = "io_stream".
//
// Each layer becomes a function of streams:
//   - row-wise layers (dense, activations, batchnorm, softmax) run their io_parallel template on one stream
//     element (one last-axis vector) at a time, with the config narrowed to one row (kml::row_of, kml::one_row);
//   - conv2d / pool2d / global_pool2d calls become their line-buffer streaming forms (kml::<fn>_stream);
//   - every other layer is adapted: stream -> array -> its io_parallel call -> stream.
// A tensor read by several layers (or also a model output) is cloned into one FIFO per reader. FIFO depth
// defaults to the tensor's element count (never deadlocks); `fifo_depth` (model, layer type or layer) sets it.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "emit/hls/emitter.h"
#include "ir/graph.h"

namespace kml::emit {

struct StreamPort {
  std::string var;   // x0, y0, ...
  std::string type;  // element type: input0_t, result0_t
  ir::Shape shape;
  std::string node;  // graph node (input node, or the node producing the output)
};

struct StreamModel {
  const ir::Graph* graph = nullptr;
  const Config* cfg = nullptr;
  std::string top;  // top function name
  std::vector<StreamPort> ins, outs;
  std::vector<const NodeNames*> nodes;  // emitted nodes in order (project.cpp's plan)
  std::vector<const NodeCode*> code;    // their code
  std::map<std::string, std::string> var, type;  // node name -> array variable / element type (plan)
};

struct StreamCode {
  std::string signature;  // "void <top>(hls::stream<input0_vec_t>& x0, ...)"
  std::string header;     // model.h: includes, port vector typedefs, declarations (top and array entry point)
  std::string source;     // model.cpp after its includes: layer processes, top, host array entry point
  std::string array_entry;  // name of the host-only entry point with io_parallel's array signature
};

StreamCode write_stream_top(const StreamModel& m);

// Replace whole-identifier occurrences of `from` in C++ text.
std::string replace_identifier(const std::string& text, const std::string& from, const std::string& to);

}  // namespace kml::emit
