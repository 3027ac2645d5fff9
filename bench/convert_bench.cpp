// Conversion benchmark: runs kml-convert on each model several times as a child process and reports the
// median wall time, the stage timings it prints, and its peak resident memory (from wait4's rusage).
//   kml_bench_convert KML_CONVERT OUT_DIR MODEL[:WEIGHTS]...
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

Run run(const std::vector<std::string>& args) {
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
    std::fprintf(stderr, "kml_bench_convert: %s failed\n", args[2].c_str());
    return {-1, -1};
  }
  return {std::chrono::duration<double, std::milli>(t1 - t0).count(), ru.ru_maxrss};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: kml_bench_convert KML_CONVERT OUT_DIR MODEL[:WEIGHTS]...\n");
    return 2;
  }
  const std::string tool = argv[1], out = argv[2];
  const int reps = 7;
  std::printf("\n== conversion (kml-convert, file -> generated project on disk; median of %d runs)\n", reps);
  std::printf("%-44s %10s %10s %12s\n", "model", "wall ms", "min ms", "peak RSS MB");
  int failures = 0;
  for (int i = 3; i < argc; ++i) {
    std::string spec = argv[i], model = spec, weights;
    auto colon = spec.find(':');
    if (colon != std::string::npos) {
      model = spec.substr(0, colon);
      weights = spec.substr(colon + 1);
    }
    std::vector<std::string> args = {tool, "convert", model, "-o", out + "/m" + std::to_string(i), "-n", "bench"};
    if (!weights.empty()) {
      args.push_back("--weights");
      args.push_back(weights);
    }
    std::vector<double> walls;
    long rss = 0;
    for (int r = 0; r < reps; ++r) {
      Run x = run(args);
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
  }
  return failures ? 1 : 0;
}
