#include "config/toml_text.h"

#include <cctype>
#include <cstdio>

namespace kml::toml_text {

std::string key(const std::string& k) {
  bool bare = !k.empty();
  for (unsigned char c : k) bare = bare && (std::isalnum(c) || c == '_' || c == '-') && c < 0x80;
  return bare ? k : string(k);
}

std::string string(const std::string& s) {
  std::string r = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      r += '\\';
      r += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      r += buf;
    } else {
      r += static_cast<char>(c);
    }
  }
  return r + "\"";
}

}  // namespace kml::toml_text
