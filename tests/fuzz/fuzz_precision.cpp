// libFuzzer target: precision strings (`precision = "..."` in a config, hls4ml's Precision values).
// A parsed precision must print back to a string that parses to the same precision.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/precision.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  kml::Precision p;
  try {
    p = kml::parse_precision(text);
  } catch (const kml::Error&) {
    return 0;
  }
  const std::string printed = p.str();
  kml::Precision again;
  try {
    again = kml::parse_precision(printed);
  } catch (const kml::Error& e) {
    std::fprintf(stderr, "'%s' parses but its printed form '%s' does not: %s\n", text.c_str(), printed.c_str(), e.what());
    std::abort();
  }
  if (again != p) {
    std::fprintf(stderr, "'%s' -> '%s' does not round-trip\n", text.c_str(), printed.c_str());
    std::abort();
  }
  return 0;
}
