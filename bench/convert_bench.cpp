// Conversion benchmark: runs kml-convert on each model several times as a child process and reports the
// median wall time and its peak resident memory (from wait4's rusage). With --cxx, it then compiles each
// generated firmware (model.cpp, the csim/emulation build's largest file) once and reports the compiler's wall
// time and peak memory.
//   kml_bench_convert KML_CONVERT OUT_DIR [--cxx CXX TEMPLATES_DIR RUNTIME_DIR] MODEL[:WEIGHTS]...
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

struct Run {
  double wall_ms;
  long max_rss_kb;
};

Run run(const std::vector<std::string>& args, const std::string& what) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  auto t1 = std::chrono::steady_clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "kml_bench_convert: %s failed\n", what.c_str());
    return {-1, -1};
  }
  return {std::chrono::duration<double, std::milli>(t1 - t0).count(), ru.ru_maxrss};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  std::string cxx, templates, runtime;
  if (a.size() >= 6 && a[2] == "--cxx") {
    cxx = a[3], templates = a[4], runtime = a[5];
    a.erase(a.begin() + 2, a.begin() + 6);
  }
  if (a.size() < 3) {
    std::fprintf(stderr, "usage: kml_bench_convert KML_CONVERT OUT_DIR [--cxx CXX TEMPLATES_DIR RUNTIME_DIR] MODEL[:WEIGHTS]...\n");
    return 2;
  }
  const std::string tool = a[0], out = a[1];
  const int reps = 7;
  std::printf("\n== conversion (kml-convert, file -> generated project on disk; median of %d runs)\n", reps);
  std::printf("%-44s %10s %10s %12s\n", "model", "wall ms", "min ms", "peak RSS MB");
  int failures = 0;
  std::vector<std::pair<std::string, std::string>> converted;  // (name, project dir)
  for (std::size_t i = 2; i < a.size(); ++i) {
    std::string spec = a[i], model = spec, weights;
    auto colon = spec.find(':');
    if (colon != std::string::npos) {
      model = spec.substr(0, colon);
      weights = spec.substr(colon + 1);
    }
    const std::string dir = out + "/m" + std::to_string(i);
    std::vector<std::string> args = {tool, "convert", model, "-o", dir, "-n", "bench"};
    if (!weights.empty()) {
      args.push_back("--weights");
      args.push_back(weights);
    }
    std::vector<double> walls;
    long rss = 0;
    for (int r = 0; r < reps; ++r) {
      Run x = run(args, "kml-convert on " + model);
      if (x.wall_ms < 0) break;
      walls.push_back(x.wall_ms);
      rss = std::max(rss, x.max_rss_kb);
    }
    if (walls.empty()) {
      ++failures;
      continue;
    }
    std::sort(walls.begin(), walls.end());
    std::string name = model.substr(model.find_last_of('/') + 1);
    std::printf("%-44s %10.1f %10.1f %12.1f\n", name.c_str(), walls[walls.size() / 2], walls.front(), rss / 1024.0);
    converted.push_back({name, dir});
  }
  if (!cxx.empty()) {
    std::printf("\n== firmware compile (%s -O2, generated model.cpp with the host runtime; one run)\n", cxx.c_str());
    std::printf("%-44s %10s %12s\n", "model", "wall s", "peak RSS MB");
    for (const auto& [name, dir] : converted) {
      Run x = run({cxx, "-O2", "-std=c++17", "-I" + dir + "/firmware", "-I" + dir + "/include", "-I" + templates,
                   "-I" + runtime, "-c", dir + "/firmware/model.cpp", "-o", dir + "/model.o"},
                  "compiling " + dir + "/firmware/model.cpp");
      if (x.wall_ms < 0) {
        ++failures;
        continue;
      }
      std::printf("%-44s %10.2f %12.1f\n", name.c_str(), x.wall_ms / 1000.0, x.max_rss_kb / 1024.0);
    }
  }
  return failures ? 1 : 0;
}
