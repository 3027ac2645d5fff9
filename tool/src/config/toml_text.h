// Writing kml's TOML configuration as text: bare or quoted keys, basic strings (TOML 1.0).
#pragma once
#include <string>

namespace kml::toml_text {

// A key as TOML wants it: bare when it is only A-Za-z0-9_-, else a quoted basic string.
std::string key(const std::string& k);
// A basic string literal with its quotes: "..." with ", \ and control characters escaped.
std::string string(const std::string& s);

}  // namespace kml::toml_text
