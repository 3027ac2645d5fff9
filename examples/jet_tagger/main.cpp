// Runs the bit-accurate emulation of the jet tagger on a few made-up jets and prints the class scores.
#include <cstddef>
#include <cstdio>
#include <vector>

#include "jet.h"

int main() {
  const std::size_t n_jets = 4;
  std::vector<float> in(n_jets * jet::total_input_size);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = 0.25f * static_cast<float>(static_cast<int>(i % 9) - 4);
  std::vector<float> out(n_jets * jet::total_output_size);
  jet::predict_batch(in.data(), out.data(), n_jets);

  int status = 0;
  for (std::size_t s = 0; s < n_jets; ++s) {
    const float* scores = &out[s * jet::total_output_size];
    std::size_t best = 0;
    float sum = 0.0f;
    std::printf("jet %zu:", s);
    for (std::size_t j = 0; j < jet::total_output_size; ++j) {
      std::printf(" %.4f", scores[j]);
      sum += scores[j];
      if (scores[j] > scores[best]) best = j;
    }
    std::printf("  -> class %zu\n", best);
    // The scores come out of a softmax: they must add up to about 1 (fixed-point rounding aside).
    if (sum < 0.9f || sum > 1.1f) status = 1;
  }
  return status;
}
