// libFuzzer target: the bytes as a Keras 2 JSON architecture, converted with a fixed weights file
// (KML_FUZZ_WEIGHTS, the weights of the seed architecture, so that mutations reach the layer readers).
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string weights = kml::fuzz::env_file("KML_FUZZ_WEIGHTS");
  kml::ConvertOptions o;
  o.model = kml::fuzz::write_input("model.json", data, size);
  o.weights = weights;
  o.name = "fuzzed";
  kml::fuzz::convert_clean(o);
  return 0;
}
