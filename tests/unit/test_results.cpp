// The C simulation's test vectors and results (tool/src/results.cpp): kml-convert testdata / results.
#include <ap_fixed.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/hdf5.h"
#include "results.h"

namespace fs = std::filesystem;

namespace {

fs::path tmpdir(const std::string& name) {
  fs::path p = fs::path(KML_TEST_TMP) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

// A manifest with one input of `size` values and one output of `out` values.
std::string write_manifest(const fs::path& dir, std::size_t size, std::size_t out = 1) {
  nlohmann::json m;
  m["inputs"] = {{{"name", "x"}, {"shape", {size}}, {"size", size}, {"precision", "ap_fixed<16,6>"}}};
  m["outputs"] = {{{"name", "y"}, {"shape", {out}}, {"size", out}, {"precision", "ap_fixed<16,6>"}}};
  m["layers"] = nlohmann::json::array();
  m["trace"] = nlohmann::json::array();
  std::string p = (dir / "kml_manifest.json").string();
  std::ofstream(p) << m.dump();
  return p;
}

// The values of inputs.dat as the generated testbench reads them: `double x; ss >> x`.
std::vector<double> read_as_testbench(const std::string& path) {
  std::ifstream in(path);
  std::vector<double> v;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    double x;
    while (ss >> x) v.push_back(x);
  }
  return v;
}

}  // namespace

TEST_CASE("testdata: inputs on the fixed-point grid reach the testbench exactly", "[results]") {
  // Every multiple of 2^-10 in [-32, 32) (ap_fixed<16,6>'s whole range) and, issue 13, 2.189453125 (= 2242/1024), which
  // %.9g printed as 2.18945312: read back as a double and truncated into ap_fixed<16,6> it lost one LSB.
  fs::path dir = tmpdir("testdata_grid");
  std::vector<float> xs;
  for (int k = -32768; k < 32768; ++k) xs.push_back(static_cast<float>(k) / 1024.0f);
  xs.push_back(2.189453125f);
  // And float32 values that need all 9 significant digits, and some extremes.
  std::uint32_t bits = 0x3f8ccccdu;  // 1.1f
  for (int i = 0; i < 4095; ++i) {
    float f;
    bits = bits * 1664525u + 1013904223u;
    std::uint32_t b = (bits & 0x807fffffu) | 0x3f000000u;  // |f| in [0.5, 2)
    std::memcpy(&f, &b, sizeof f);
    xs.push_back(f);
  }
  xs.push_back(1e-30f);
  xs.push_back(-3.4028235e38f);
  while (xs.size() % 4) xs.push_back(0.0f);
  const std::size_t n = xs.size() / 4;
  {
    kml::h5::File f = kml::h5::File::create((dir / "grid.io.h5").string());
    f.write("x0", {n, 4}, xs);
  }
  const std::string manifest = write_manifest(dir, 4);
  kml::write_testdata((dir / "grid.io.h5").string(), manifest, (dir / "inputs.dat").string());
  std::vector<double> got = read_as_testbench((dir / "inputs.dat").string());
  REQUIRE(got.size() == xs.size());
  std::size_t inexact = 0, lost_lsb = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    inexact += got[i] != static_cast<double>(xs[i]);
    // What the testbench does with it: ap_fixed<16,6> from the double (AP_TRN: floor).
    if (std::fabs(xs[i]) < 32) lost_lsb += ap_fixed<16, 6>(got[i]) != ap_fixed<16, 6>(static_cast<double>(xs[i]));
  }
  CHECK(inexact == 0);
  CHECK(lost_lsb == 0);
}
