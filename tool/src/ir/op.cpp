#include "ir/op.h"

namespace kml::ir {

OpRegistry& OpRegistry::instance() {
  static OpRegistry r = [] {
    OpRegistry reg;
    register_core_ops(reg);
    register_conv_ops(reg);
    register_reshape_ops(reg);
    register_merge_ops(reg);
    register_recurrent_ops(reg);
    register_attention_ops(reg);
    register_quant_ops(reg);
    register_garnet_ops(reg);
    return reg;
  }();
  return r;
}

std::vector<std::string> OpRegistry::names() const {
  std::vector<std::string> r;
  for (const auto& entry : table_) r.push_back(entry.first);
  return r;
}

std::vector<std::string> precision_roles(const Node& n) {
  // Nodes of plugin ops declare their precision roles (docs/extensions.md).
  if (n.attr.contains("precision_roles")) return n.attr["precision_roles"].get<std::vector<std::string>>();
  const OpInfo* i = op_info(n);
  if (i && i->roles) return i->roles(n);
  return {"result"};
}

bool is_source(const Node& n) {
  const OpInfo* i = op_info(n);
  return i && i->source;
}

bool is_view(const Node& n) {
  const OpInfo* i = op_info(n);
  return i && i->view;
}

bool has_code(const Node& n) { return !is_source(n) && !is_view(n); }

bool takes_input_type(const Node& n) {
  const OpInfo* i = op_info(n);
  if (!i) return false;
  return i->takes_input_type ? i->takes_input_type(n) : i->view;
}

bool is_elementwise(const Node& n) {
  const OpInfo* i = op_info(n);
  return i && i->elementwise && i->elementwise(n);
}

bool is_mac(const Node& n) {
  const OpInfo* i = op_info(n);
  return i && i->mac;
}

KernelLayout kernel_layout(const Node& n) {
  const OpInfo* i = op_info(n);
  return i ? i->kernel : KernelLayout::None;
}

AutoRule auto_rule(const Node& n) {
  const OpInfo* i = op_info(n);
  return i ? i->auto_rule : AutoRule::None;
}

RangeRule range_rule(const Node& n) {
  const OpInfo* i = op_info(n);
  return i ? i->range : RangeRule::None;
}

StreamForm stream_form(const Node& n, std::size_t rows) {
  const OpInfo* i = op_info(n);
  return i && i->stream ? i->stream(n, rows) : StreamForm::Process;
}

std::optional<ReuseDims> reuse_dims(const Node& n) {
  auto get = [&](const char* k) -> std::size_t {
    auto it = n.attr.find(k);
    if (it == n.attr.end() || !it->is_number_unsigned()) return 1;
    return it->get<std::size_t>();
  };
  if (n.attr.contains("reuse_n_in") && n.attr.contains("reuse_n_out"))
    return ReuseDims{get("reuse_n_in"), get("reuse_n_out")};
  const OpInfo* i = op_info(n);
  if (i && i->reuse) return i->reuse(n);
  return std::nullopt;
}

bool has_resource_form(const Node& n) {
  const OpInfo* i = op_info(n);
  return !i || i->resource;
}

void validate(const Node& n) {
  const OpInfo* i = op_info(n);
  if (i && i->validate) i->validate(n);
}

}  // namespace kml::ir
