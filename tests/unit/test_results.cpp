// The C simulation's test vectors and results (tool/src/results.cpp): kml-convert testdata / results.
#include "test_dirs.h"
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
#include "util/error.h"

namespace fs = std::filesystem;

namespace {

fs::path tmpdir(const std::string& name) { return kml_test::fresh_dir(name); }

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
  kml::write_testdata({(dir / "grid.io.h5").string()}, manifest, (dir / "inputs.dat").string());
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

namespace {

// A .npy file: header dict + raw bytes.
void write_npy(const fs::path& p, const std::string& dict, const std::string& data, int major = 1) {
  std::string header = dict;
  const std::size_t pre = 6 + 2 + (major == 1 ? 2 : 4);
  while ((pre + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += char(major);
  out += char(0);
  const std::size_t n = header.size();
  out += char(n & 0xff);
  out += char((n >> 8) & 0xff);
  if (major != 1) out += std::string(2, '\0');
  out += header + data;
  std::ofstream(p, std::ios::binary) << out;
}

template <class T>
std::string bytes(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

std::string testdata_error(const std::vector<std::string>& files, const std::string& manifest, const fs::path& out) {
  try {
    kml::write_testdata(files, manifest, out.string());
  } catch (const kml::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("testdata: .npy inputs, one file per model input", "[results]") {
  fs::path dir = tmpdir("testdata_npy");
  const std::string manifest = write_manifest(dir, 3);
  // float32, 2 samples of 3 values; the same as float64 (format 2.0), int32 and big-endian float64.
  write_npy(dir / "f4.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
            bytes(std::vector<float>{1.5f, -2.25f, 2.189453125f, 0.1f, 7.0f, -0.0f}));
  write_npy(dir / "f8.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
            bytes(std::vector<double>{1.5, -2.25, 2.189453125, double(0.1f), 7.0, -0.0}), 2);
  kml::write_testdata({(dir / "f4.npy").string()}, manifest, (dir / "a.dat").string());
  kml::write_testdata({(dir / "f8.npy").string()}, manifest, (dir / "b.dat").string());
  std::vector<double> a = read_as_testbench((dir / "a.dat").string()), b = read_as_testbench((dir / "b.dat").string());
  REQUIRE(a.size() == 6);
  CHECK(a == b);
  CHECK(a[2] == 2.189453125);
  CHECK(a[3] == double(0.1f));
  write_npy(dir / "i4.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 3), }",
            bytes(std::vector<std::int32_t>{-3, 0, 70000}));
  kml::write_testdata({(dir / "i4.npy").string()}, manifest, (dir / "c.dat").string());
  CHECK(read_as_testbench((dir / "c.dat").string()) == std::vector<double>{-3, 0, 70000});

  // Bad input: one message naming the file and the problem.
  write_npy(dir / "fortran.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", std::string(24, '\0'));
  CHECK_THAT(testdata_error({(dir / "fortran.npy").string()}, manifest, dir / "x.dat"),
             Catch::Contains("fortran.npy") && Catch::Contains("Fortran-order"));
  write_npy(dir / "short.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", std::string(20, '\0'));
  CHECK_THAT(testdata_error({(dir / "short.npy").string()}, manifest, dir / "x.dat"),
             Catch::Contains("short.npy") && Catch::Contains("20 data bytes") && Catch::Contains("24"));
  write_npy(dir / "wide.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", std::string(32, '\0'));
  CHECK_THAT(testdata_error({(dir / "wide.npy").string()}, manifest, dir / "x.dat"),
             Catch::Contains("wide.npy") && Catch::Contains("samples of 3 values"));
  write_npy(dir / "half.npy", "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }", std::string(12, '\0'));
  CHECK_THAT(testdata_error({(dir / "half.npy").string()}, manifest, dir / "x.dat"),
             Catch::Contains("half.npy") && Catch::Contains("unsupported dtype '<f2'"));
  std::ofstream(dir / "text.npy") << "not numpy";
  CHECK_THAT(testdata_error({(dir / "text.npy").string()}, manifest, dir / "x.dat"),
             Catch::Contains("text.npy") && Catch::Contains("not a .npy file"));
  CHECK_THAT(testdata_error({(dir / "f4.npy").string(), (dir / "f8.npy").string()}, manifest, dir / "x.dat"),
             Catch::Contains("1 inputs, 2 .npy files"));
  CHECK_FALSE(fs::exists(dir / "x.dat"));
}
