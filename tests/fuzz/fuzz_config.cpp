// libFuzzer target: the TOML configuration, applied to a fixed model (KML_FUZZ_MODEL) by a full conversion.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string model = kml::fuzz::env_file("KML_FUZZ_MODEL");
  kml::ConvertOptions o;
  o.model = model;
  o.config = kml::fuzz::write_input("config.toml", data, size);
  o.name = "fuzzed";
  kml::fuzz::convert_clean(o);
  return 0;
}
