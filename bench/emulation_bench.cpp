// Emulation benchmark of one model built for one CPU (bench/CMakeLists.txt makes one executable per model and
// KML_BENCH_ARCHS entry): inferences per second of the compiled bit-accurate model in fixed point and float,
// single-threaded and through predict_batch on all hardware threads, the fixed/float ratio (> 1: fixed point
// is faster), and giga multiply-accumulates per second of the Dense/Conv layers.
//   kml_bench_emulation_<model>_<arch> [SAMPLES] [--no-header | --header-only]
// Each figure is the best of 3 measurements, each repeating predict_batch(SAMPLES) for at least 0.3 s.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_models.h"

namespace {

double rate(const BenchModel& m, const std::vector<float>& in, std::vector<float>& out, std::size_t n, unsigned threads) {
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    std::size_t done = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double dt = 0;
    do {
      m.predict_batch(in.data(), out.data(), n, threads);
      done += n;
      dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (dt < 0.3);
    best = std::max(best, done / dt);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 20000;
  bool header = true, rows = true;
  for (int a = 1; a < argc; a++) {
    if (!std::strcmp(argv[a], "--no-header"))
      header = false;
    else if (!std::strcmp(argv[a], "--header-only"))
      rows = false;
    else
      n = std::strtoul(argv[a], nullptr, 10);
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (header) {
    std::printf("\n== emulation: inferences/s, 1 thread and predict_batch on %u hardware threads (best of 3 runs "
                "of >= 0.3 s); ratio = fixed / float (1 thread); GMAC/s = Dense/Conv MACs, 1 thread\n",
                cores);
    std::printf("%-36s %-8s %12s %12s %7s %12s %12s %7s %7s %7s\n", "model", "arch", "fixed 1t", "float 1t",
                "ratio", "fixed batch", "float batch", "scale", "GMAC/s", "GMAC/s");
    std::printf("%-36s %-8s %12s %12s %7s %12s %12s %7s %7s %7s\n", "", "", "", "", "", "", "", "fixed", "fixed",
                "float");
  }
  if (!rows) return 0;
  std::mt19937 rng(12345);
  std::normal_distribution<float> normal(0.f, 1.f);
  double r1[2] = {0, 0}, rn[2] = {0, 0};
  const char* name = "";
  for (const BenchModel& m : kBenchModels) {
    std::vector<float> in(n * m.in_size), out(n * m.out_size);
    for (auto& x : in) x = normal(rng);
    const int k = std::string(m.precision) == "fixed" ? 0 : 1;
    r1[k] = rate(m, in, out, n, 1);
    rn[k] = rate(m, in, out, n, cores);
    name = m.name;
  }
  std::printf("%-36s %-8s %12.0f %12.0f %6.2fx %12.0f %12.0f %6.2fx %7.2f %7.2f\n", name, kBenchArch, r1[0], r1[1],
              r1[0] / r1[1], rn[0], rn[1], rn[0] / r1[0], r1[0] * kBenchMacs * 1e-9, r1[1] * kBenchMacs * 1e-9);
  std::fflush(stdout);
  return 0;
}
