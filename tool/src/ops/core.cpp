// The core ops: input, identity, dense, batchnorm, activation (readers/layers_core.cpp builds them,
// emit/hls/ops_core.cpp emits them, templates/kml/{dense,batchnorm,activation}.h implement them).
#include "ops/common.h"

namespace kml::ir {

void register_core_ops(OpRegistry& r) {
  using ops::op;
  OpInfo input = op("input");
  input.source = true;
  input.range = RangeRule::Input;
  r.add(input);

  r.add(op("identity"));  // removed by the remove_identities pass

  OpInfo dense = op("dense", {"result", "accum", "weight", "bias"});
  dense.reuse = [](const Node& n) { return std::optional<ReuseDims>(ReuseDims{ops::uattr(n, "n_in", 1), ops::uattr(n, "n_out", 1)}); };
  dense.mac = true;
  dense.kernel = KernelLayout::OutputLast;
  dense.auto_rule = AutoRule::Linear;
  dense.range = RangeRule::Dense;
  dense.stream = [](const Node&, std::size_t) { return StreamForm::ReusedRows; };
  r.add(dense);

  OpInfo bn = op("batchnorm", {"result", "scale", "bias"});
  bn.auto_rule = AutoRule::Scale;
  bn.range = RangeRule::BatchNorm;
  bn.stream = [](const Node&, std::size_t) { return StreamForm::Rows; };
  r.add(bn);

  OpInfo act = op("activation");
  act.roles = [](const Node& n) -> std::vector<std::string> {
    std::string fn = n.attr.value("fn", "");
    if (fn == "softmax" || fn == "log_softmax") return {"result", "exp_table", "inv_table", "accum"};
    return {"result", "table", "param"};
  };
  act.elementwise = [](const Node& n) {
    std::string fn = n.attr.value("fn", "");
    return fn != "softmax" && fn != "log_softmax" && fn != "prelu";
  };
  act.auto_rule = AutoRule::Activation;
  act.range = RangeRule::Activation;
  act.stream = [](const Node& n, std::size_t rows) {
    return n.attr.value("fn", "") != "prelu" || rows == 1 ? StreamForm::Rows : StreamForm::Process;
  };
  r.add(act);
}

}  // namespace kml::ir
