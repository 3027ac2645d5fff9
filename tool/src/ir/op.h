// The op registry: what each IR op *is*, declared once, next to the code that knows the op (tool/src/ops/<family>.cpp
// registers its family's ops). The passes and the backends ask the registry instead of matching op names:
// precision roles, whether the node has code of its own, how the reuse factor and io_stream apply, which range
// and precision rules it follows, whether it is element-wise, and its typed attributes' validation.
//
// `op` stays a string: a plugin adds ops without registering them here (they get the defaults below: roles from
// node.attr["precision_roles"], else {"result"}; code of their own; no reuse-factor check; no derived precision)
// and may register an OpInfo of its own with OpRegistry::instance().add().
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/precision.h"
#include "ir/graph.h"

namespace kml::ir {

// The matrix a reuse factor folds: n_in x n_out multiplications (passes/reuse.h checks a factor against it).
struct ReuseDims {
  std::size_t n_in = 1, n_out = 1;
};

// How the kernel of a kernel + bias layer is laid out, for rules indexing it by output channel (folding a
// following BatchNormalization, "auto" precision bounds).
enum class KernelLayout {
  None,           // no such kernel (or not foldable)
  OutputLast,     // (..., n_out): dense (n_in, n_out), conv (kh, kw, n_in / groups, n_out)
  ConvTranspose,  // (..., n_out, n_in): transposed convolution; attribute n_chan = n_in
};

// Which rule of passes/precision_inference.cpp gives the node's precision = "auto" roles.
enum class AutoRule {
  None,        // "auto" only for a result that copies its input's type (views, layout changes); else an error
  Linear,      // kernel + bias: weight/bias from the values, accum/result from the bounds of the sums
  Scale,       // per-channel scale + bias (batchnorm)
  Activation,  // by function: bounded, ReLU-like
  Pool,        // window of pool_h x pool_w inputs
  GlobalPool,  // window of n_pix inputs
  TypeBound,   // no "auto" roles; the output is bounded by its result type only (garnet)
};

// Which rule of passes/quantizers.cpp propagates exact value ranges through the node (quantized models).
enum class RangeRule {
  None,        // unknown range: the node keeps its configured types
  Input,       // a model input read by quantizers
  Quantize,
  Lut,
  Step,
  Dense,
  Conv,
  BatchNorm,
  Activation,
  Permuted,    // the input's values, rearranged (transpose, repeat; views)
  Pool,
  Merge,
  Rnn,         // weight types only
  Union,       // every output value is one of the inputs' (concatenate)
  Attention,   // einsum, einsum_dense, max_sub (passes/quantizers_attention.cpp)
};

// How the HLS io_stream top applies a node (emit/hls/stream.cpp).
enum class StreamForm {
  Process,     // the array template (or its streaming form) in a process of its own
  Rows,        // applied to each last-axis vector alone: the config narrowed to one row (kml::row_of), II = 1
  ReusedRows,  // the same, narrowed with kml::one_row, pipelined at II = reuse factor (dense)
};

struct OpInfo {
  std::string name;  // the IR op
  // kml's precision roles of a node of this op ("result" first); the config resolves each of them.
  std::function<std::vector<std::string>(const Node&)> roles;
  bool source = false;  // a model input: the top function's argument, no code, no settings of its own
  bool view = false;    // no code of its own: the output is the input's array, with its type (reshape)
  // The result type is the input's, and nothing of the node is configurable (views; layout changes the passes
  // add). Unset: `view`.
  std::function<bool(const Node&)> takes_input_type;
  // Each output element is a function of the input element at the same position alone, with no per-position
  // parameters: a layout change commutes with it (passes/channels_last.cpp moves transposes across it).
  std::function<bool(const Node&)> elementwise;
  // The reuse factor's matrix (nullopt: the factor is not checked); unset: never checked.
  std::function<std::optional<ReuseDims>(const Node&)> reuse;
  bool resource = true;  // strategy "resource" is implemented (else a reuse factor > 1 falls back to latency)
  bool mac = false;      // multiply-accumulate over weights: its accum type holds the partial sums (profile)
  KernelLayout kernel = KernelLayout::None;  // a following BatchNormalization folds into it unless None
  AutoRule auto_rule = AutoRule::None;
  RangeRule range = RangeRule::None;
  // io_stream; unset: Process. `rows` is the number of last-axis vectors of the output.
  std::function<StreamForm(const Node&, std::size_t rows)> stream;
  // kml's default precision of a role other than "result" when the config gives none (unset: the built-in
  // defaults, passes::apply_config).
  std::function<Precision(const Graph&, const Node&, const std::string& role, const Precision& result)>
      default_precision;
  // Checks the node's attributes once, when the reader builds it (throws kml::Error; the reader prefixes the
  // file and layer). Built-in ops parse their typed attribute struct here (ops/<family>.h).
  std::function<void(const Node&)> validate;
};

class OpRegistry {
 public:
  // The registry with kml's ops (tool/src/ops/*.cpp).
  static OpRegistry& instance();
  // Register an op (replacing one of the same name).
  void add(OpInfo info) {
    std::string name = info.name;
    table_[name] = std::move(info);
  }
  const OpInfo* find(const std::string& op) const {
    auto it = table_.find(op);
    return it == table_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> names() const;

 private:
  std::map<std::string, OpInfo> table_;
};

// The registry entry of a node's op, or nullptr (a plugin op).
inline const OpInfo* op_info(const Node& n) { return OpRegistry::instance().find(n.op); }

// Precision roles of the node: node.attr["precision_roles"] when set (plugin ops), else its op's, else {"result"}.
std::vector<std::string> precision_roles(const Node& n);
bool is_source(const Node& n);         // a model input
bool is_view(const Node& n);           // no code, the input's array
bool has_code(const Node& n);          // neither
bool takes_input_type(const Node& n);  // result type copied from the input; nothing configurable
bool is_elementwise(const Node& n);
bool is_mac(const Node& n);
KernelLayout kernel_layout(const Node& n);
AutoRule auto_rule(const Node& n);
RangeRule range_rule(const Node& n);
StreamForm stream_form(const Node& n, std::size_t rows);
// The reuse factor's matrix: attributes reuse_n_in and reuse_n_out when set (any op), else the op's rule.
std::optional<ReuseDims> reuse_dims(const Node& n);
bool has_resource_form(const Node& n);
// Validate the node's attributes with its op's rule (nothing for plugin ops).
void validate(const Node& n);

// Per-family registrations (tool/src/ops/).
void register_core_ops(OpRegistry& r);       // ops/core.cpp: input, identity, dense, batchnorm, activation
void register_conv_ops(OpRegistry& r);       // ops/conv.cpp: conv, conv_transpose, pool, global_pool
void register_reshape_ops(OpRegistry& r);    // ops/reshape.cpp: reshape, transpose, repeat, zero_pad, crop, upsample
void register_merge_ops(OpRegistry& r);      // ops/merge.cpp: merge, concatenate
void register_recurrent_ops(OpRegistry& r);  // ops/recurrent.cpp: rnn
void register_attention_ops(OpRegistry& r);  // ops/attention.cpp: einsum, einsum_dense, layernorm, l2_normalize,
                                             // embedding, max_sub
void register_quant_ops(OpRegistry& r);      // ops/quant.cpp: quantize, step, lut
void register_garnet_ops(OpRegistry& r);     // ops/garnet.cpp: garnet

}  // namespace kml::ir
