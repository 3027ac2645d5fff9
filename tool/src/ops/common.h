// Helpers of the op families' registrations (tool/src/ops/*.cpp).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "ir/op.h"

namespace kml::ops {

// An unsigned attribute, or `fallback` when it is missing or not an unsigned number.
inline std::size_t uattr(const ir::Node& n, const char* key, std::size_t fallback) {
  auto it = n.attr.find(key);
  if (it == n.attr.end() || !it->is_number_unsigned()) return fallback;
  return it->get<std::size_t>();
}

// A roles function returning always the same list.
inline std::function<std::vector<std::string>(const ir::Node&)> roles(std::vector<std::string> r) {
  return [r](const ir::Node&) { return r; };
}

// An OpInfo named `name` with the given roles.
inline ir::OpInfo op(const std::string& name, std::vector<std::string> r = {"result"}) {
  ir::OpInfo i;
  i.name = name;
  i.roles = roles(std::move(r));
  return i;
}

}  // namespace kml::ops
