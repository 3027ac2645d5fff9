// Links the emulations of three models into one program: their generated code must not clash.
#include <cstdio>

#include "jet_a.h"
#include "jet_b.h"
#include "jet_c.h"

int main() {
  float in[jet_a::total_input_size] = {};
  for (unsigned i = 0; i < jet_a::total_input_size; ++i) in[i] = 0.1f * static_cast<float>(i) - 0.5f;
  float a[jet_a::total_output_size], b[jet_b::total_output_size], c[jet_c::total_output_size];
  jet_a::predict(in, a);
  jet_b::predict(in, b);
  jet_c::predict(in, c);
  for (unsigned j = 0; j < jet_a::total_output_size; ++j) std::printf("%u: %.4f %.4f %.4f\n", j, a[j], b[j], c[j]);
  return 0;
}
