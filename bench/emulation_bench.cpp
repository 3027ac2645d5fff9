// Emulation benchmark: inferences per second of each compiled bit-accurate model, fixed point vs float,
// single-threaded and through the multi-threaded batch API.   kml_bench_emulation [SAMPLES [MODEL]]
// (MODEL: run only the model of that name, e.g. to profile it.)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_models.h"

namespace {

double rate(const BenchModel& m, const std::vector<float>& in, std::vector<float>& out, std::size_t n, unsigned threads) {
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    m.predict_batch(in.data(), out.data(), n, threads);
    auto t1 = std::chrono::steady_clock::now();
    best = std::max(best, n / std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
  const std::string only = argc > 2 ? argv[2] : "";
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::mt19937 rng(12345);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::printf("\n== emulation (%zu samples per run, best of 3; %u hardware threads)\n", n, cores);
  std::printf("%-12s %-6s %14s %14s %9s\n", "model", "prec", "1 thread inf/s", "batch inf/s", "scaling");
  struct Row {
    std::string model;
    double fixed1 = 0, float1 = 0;
  };
  std::vector<Row> rows;
  for (const BenchModel& m : kBenchModels) {
    if (!only.empty() && only != m.name) continue;
    std::vector<float> in(n * m.in_size), out(n * m.out_size);
    for (auto& x : in) x = normal(rng);
    double r1 = rate(m, in, out, n, 1);
    double rn = rate(m, in, out, n, cores);
    std::printf("%-12s %-6s %14.0f %14.0f %8.2fx\n", m.name, m.precision, r1, rn, rn / r1);
    if (rows.empty() || rows.back().model != m.name) rows.push_back({m.name});
    (std::string(m.precision) == "fixed" ? rows.back().fixed1 : rows.back().float1) = r1;
  }
  std::printf("\n%-12s %26s\n", "model", "fixed-point cost vs float");
  for (const auto& r : rows)
    if (r.fixed1 > 0 && r.float1 > 0) std::printf("%-12s %25.2fx\n", r.model.c_str(), r.float1 / r.fixed1);
  return 0;
}
