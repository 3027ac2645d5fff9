// Every model of tests/cmake/projects/names through its API header and namespace: all give jet's outputs
// (the same weights) bit for bit.  <cfloat> still works with float.h (the API header of "float") on the path.
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "3layer.h"
#include "defines.h"
#include "float.h"
#include "int.h"
#include "jet.h"
#include "jet.v1.h"
#include "kml.h"
#include "main.h"
#include "model.h"
#include "parameters.h"
#include "std.h"
#include "time.h"

int main() {
  static_assert(FLT_MAX > 1e38f, "the real <float.h>");
  float in[jet::total_input_size];
  for (std::size_t i = 0; i < jet::total_input_size; i++) in[i] = 0.25f * std::sin(1.0f + static_cast<float>(i));
  float ref[jet::total_output_size];
  jet::predict(in, ref);
  typedef void (*predict_fn)(const float*, float*);
  const struct {
    const char* name;
    predict_fn fn;
  } models[] = {{"model", model::predict},    {"main", main_::predict},     {"float", float_::predict},
                {"int", int_::predict},        {"std", std_::predict},       {"kml", kml_::predict},
                {"parameters", parameters::predict}, {"defines", defines::predict}, {"3layer", m_3layer::predict},
                {"time", time_::predict},      {"jet.v1", jet_v1::predict}};
  int bad = 0;
  for (const auto& m : models) {
    float out[jet::total_output_size];
    m.fn(in, out);
    for (std::size_t j = 0; j < jet::total_output_size; j++)
      if (!(out[j] == ref[j])) {
        std::printf("%s: output %zu is %.9g, jet's is %.9g\n", m.name, j, out[j], ref[j]);
        ++bad;
      }
  }
  double sum = 0;
  for (float v : ref) sum += v;
  std::printf("names_app: %zu models agree with jet (softmax sum %.6f)\n", sizeof models / sizeof models[0], sum);
  return bad || std::fabs(sum - 1.0) > 0.05 ? 1 : 0;
}
