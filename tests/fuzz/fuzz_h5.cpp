// libFuzzer target: the bytes as a whole-model HDF5 file (Keras 3 `.h5`, Keras 2 `.h5` with its JSON in the
// model_config attribute), converted.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kml::fuzz::convert_model_bytes("model.h5", data, size);
  return 0;
}
