// Multiplier-free dense (kml/dense_po2.h) and the softmax shift (kml/max_sub.h): hand-checked values, and
// bit-identity of dense_po2 with the generic kml::dense on random power-of-two weights, including narrow
// accumulators that truncate and wrap.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "kml/dense.h"
#include "kml/dense_po2.h"
#include "kml/max_sub.h"

namespace {

template <unsigned NI, unsigned NO, unsigned NR, class A, class W, int EMIN, int EMAX>
struct Po2Cfg : kml::dense_po2_config {
  static const unsigned n_in = NI, n_out = NO, n_rows = NR;
  static const int e_min = EMIN, e_max = EMAX;
  typedef A accum_t;
  typedef W weight_t;
  typedef W bias_t;
};

void codes(const std::vector<double>& w, std::vector<signed char>& s, std::vector<signed char>& e) {
  for (double v : w) {
    s.push_back(v == 0 ? 0 : (v > 0 ? 1 : -1));
    e.push_back(v == 0 ? 0 : static_cast<signed char>(std::lround(std::log2(std::fabs(v)))));
  }
}

struct MaxSubCfg : kml::max_sub_config {
  static const unsigned n_rows = 2, n_in = 3;
};

}  // namespace

TEST_CASE("dense_po2: hand-checked shifts and signs", "[dense_po2]") {
  typedef ap_fixed<8, 4> T;
  typedef Po2Cfg<3, 2, 1, ap_fixed<16, 8>, ap_fixed<8, 4>, -2, 2> C;
  // kernel[i][j]: [[1, -0.5], [0, 4], [-2, 0.25]]
  const std::vector<double> k = {1, -0.5, 0, 4, -2, 0.25};
  std::vector<signed char> s, e;
  codes(k, s, e);
  T w[6], b[2] = {T(0.5), T(1.0)}, x[3] = {T(1.5), T(-0.75), T(2.25)};
  for (int i = 0; i < 6; i++) w[i] = k[i];
  ap_fixed<16, 8> y[2];
  kml::dense_po2<T, ap_fixed<16, 8>, C>(x, y, w, s.data(), e.data(), b);
  // y0 = 0.5 + 1.5 - 4.5; y1 = 1 - 0.75 - 3 + 0.5625
  CHECK(y[0].to_double() == -2.5);
  CHECK(y[1].to_double() == -2.1875);
}

TEST_CASE("dense_po2: float emulation", "[dense_po2]") {
  typedef Po2Cfg<2, 1, 2, float, float, -1, 3> C;
  const std::vector<double> k = {8, -0.5};
  std::vector<signed char> s, e;
  codes(k, s, e);
  float w[2] = {8, -0.5f}, b[1] = {0.25f}, x[4] = {1, 2, -3, 0.5f}, y[2];
  kml::dense_po2<float, float, C>(x, y, w, s.data(), e.data(), b);
  CHECK(y[0] == 0.25f + 8 - 1);      // row 0: 1*8 + 2*(-0.5)
  CHECK(y[1] == 0.25f - 24 - 0.25f); // row 1: -3*8 + 0.5*(-0.5)
}

TEST_CASE("dense_po2 is bit-identical to dense (binary, ternary, po2; truncating and wrapping accumulators)", "[dense_po2]") {
  std::mt19937 rng(7);
  typedef ap_fixed<10, 3, AP_RND, AP_SAT> D;
  typedef ap_fixed<8, 5> W;  // holds 2^-3 .. 2^3
  typedef ap_fixed<9, 4> A;  // narrow: drops fractional bits (AP_TRN) and wraps
  typedef ap_fixed<7, 5> R;
  typedef Po2Cfg<12, 5, 3, A, W, -3, 3> C;
  std::uniform_real_distribution<double> ux(-4.5, 4.5);
  for (int kind = 0; kind < 3; kind++) {
    for (int trial = 0; trial < 50; trial++) {
      std::vector<double> k(12 * 5);
      for (auto& v : k) {
        int r = static_cast<int>(rng() % 14);
        if (kind == 0) v = (r & 1) ? 1.0 : -1.0;                       // binary
        else if (kind == 1) v = static_cast<double>(r % 3) - 1.0;      // ternary
        else v = r == 0 ? 0.0 : ((r & 1) ? 1 : -1) * std::ldexp(1.0, static_cast<int>(rng() % 7) - 3);  // po2
      }
      std::vector<signed char> s, e;
      codes(k, s, e);
      W w[60], b[5];
      for (int i = 0; i < 60; i++) w[i] = k[i];
      for (int j = 0; j < 5; j++) b[j] = ux(rng) / 2;
      D x[36];
      for (auto& v : x) v = ux(rng);
      R y1[15], y2[15];
      kml::dense<D, R, C>(x, y1, w, b);
      kml::dense_po2<D, R, C>(x, y2, w, s.data(), e.data(), b);
      for (int o = 0; o < 15; o++) REQUIRE(y1[o].to_double() == y2[o].to_double());
    }
  }
}

TEST_CASE("max_sub: row maximum minus each element", "[max_sub]") {
  typedef ap_fixed<8, 4> T;
  typedef ap_ufixed<9, 5> U;
  T x[6] = {T(1), T(3), T(2), T(-1.5), T(-0.25), T(-4)};
  U y[6];
  kml::max_sub<T, U, MaxSubCfg>(x, y);
  const double want[6] = {2, 0, 1, 1.25, 0, 3.75};
  for (int i = 0; i < 6; i++) CHECK(y[i].to_double() == want[i]);
}
