// A bound on JSON nesting, checked on the text before parsing: nlohmann::json's dump(), copies and kml's own
// walks of a config recurse once per level, so a hostile file nested a million levels deep would overflow the
// stack. Real Keras and hls4ml configs nest about 10 to 20 levels.
#pragma once
#include <string>

#include "util/error.h"

namespace kml {

constexpr int kMaxJsonDepth = 256;

// Throws file_error(label, ...) when `text` nests arrays/objects deeper than kMaxJsonDepth.
inline void check_json_depth(const std::string& text, const std::string& label) {
  int depth = 0;
  bool in_str = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_str) {
      if (c == '\\') ++i;
      else if (c == '"') in_str = false;
    } else if (c == '"') {
      in_str = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        throw file_error(label, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

}  // namespace kml
