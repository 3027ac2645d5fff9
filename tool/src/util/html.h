// Text into HTML (and SVG) pages: shared by kml-report's scan page and kml-convert's profile page.
#pragma once
#include <string>

namespace kml {

// `s` as HTML text or an attribute value between double quotes.
inline std::string html_escape(const std::string& s) {
  std::string r;
  r.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': r += "&amp;"; break;
      case '<': r += "&lt;"; break;
      case '>': r += "&gt;"; break;
      case '"': r += "&quot;"; break;
      default: r += c;
    }
  }
  return r;
}

}  // namespace kml
