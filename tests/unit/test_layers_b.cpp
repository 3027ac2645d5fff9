// Unit tests for the merging / recurrent / normalization / attention / embedding templates (templates/kml), each on
// a small hand-made case checked against a naive computation written here; the einsum planner; and the refusal
// of Lambda layers and raw keras.ops nodes.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "kml/einsum.h"
#include "kml/embedding.h"
#include "kml/layernorm.h"
#include "kml/merge.h"
#include "kml/recurrent.h"
#include "readers/einsum.h"
#include "readers/keras_model.h"
#include "util/error.h"

namespace {

double pseudo(int i) { return std::sin(1.7 * i + 0.3) * 1.5; }  // deterministic test values

// ---- merge / concatenate
struct avg_cfg : kml::merge_config {
  static const unsigned n_elem = 6;
  static const int op = kml::merge_op::average;
  static constexpr double scale = 1.0 / 3.0;
  typedef float accum_t;
};
struct max_cfg : avg_cfg {
  static const int op = kml::merge_op::maximum;
};
struct cat_cfg : kml::concat_config {
  static const unsigned n_outer = 2, n_a = 3, n_b = 2;
};

TEST_CASE("merge: average of a partial sum and maximum, element-wise", "[layers_b]") {
  float a[6], b[6], r[6];
  for (int i = 0; i < 6; i++) a[i] = pseudo(i), b[i] = pseudo(i + 10);
  kml::merge<float, float, float, avg_cfg>(a, b, r);
  for (int i = 0; i < 6; i++) CHECK(r[i] == Approx((a[i] + b[i]) / 3.0));
  kml::merge<float, float, float, max_cfg>(a, b, r);
  for (int i = 0; i < 6; i++) CHECK(r[i] == std::max(a[i], b[i]));
}

TEST_CASE("concatenate: rows of a then rows of b", "[layers_b]") {
  float a[6] = {1, 2, 3, 4, 5, 6}, b[4] = {7, 8, 9, 10}, r[10];
  kml::concatenate<float, float, float, cat_cfg>(a, b, r);
  const float expect[10] = {1, 2, 3, 7, 8, 4, 5, 6, 9, 10};
  for (int i = 0; i < 10; i++) CHECK(r[i] == expect[i]);
}

struct es_cfg : kml::einsum_config {
  static const unsigned n_s = 2, n_l = 3, n_c = 4, n_r = 2;
  typedef double accum_t;
};

struct ed_cfg : kml::einsum_config {
  static const unsigned n_s = 1, n_l = 3, n_c = 4, n_r = 4;
  typedef double accum_t;
};

// ---- einsum: plan + template against a naive loop over the equation "hts,shv->thv"
TEST_CASE("einsum plan and template match a naive contraction", "[layers_b]") {
  const std::size_t H = 2, T = 3, S = 4, V = 2;
  auto p = kml::readers::plan_einsum("hts", {H, T, S}, "shv", {S, H, V}, "thv");
  REQUIRE(p.n_s == H);
  REQUIRE(p.n_l == T);
  REQUIRE(p.n_c == S);
  REQUIRE(p.n_r == V);
  REQUIRE(p.out_shape == kml::ir::Shape{T, H, V});
  std::vector<float> a(H * T * S), b(S * H * V), r(T * H * V);
  for (std::size_t i = 0; i < a.size(); i++) a[i] = pseudo(int(i));
  for (std::size_t i = 0; i < b.size(); i++) b[i] = pseudo(int(i) + 100);
  std::vector<unsigned> ai(p.a_index.begin(), p.a_index.end()), bi(p.b_index.begin(), p.b_index.end()),
      oi(p.o_index.begin(), p.o_index.end());
  kml::einsum<float, float, float, es_cfg>(a.data(), b.data(), r.data(), ai.data(), bi.data(), oi.data());
  for (std::size_t t = 0; t < T; t++)
    for (std::size_t h = 0; h < H; h++)
      for (std::size_t v = 0; v < V; v++) {
        double s = 0;
        for (std::size_t k = 0; k < S; k++) s += a[(h * T + t) * S + k] * b[(k * H + h) * V + v];
        CHECK(r[(t * H + h) * V + v] == Approx(s).margin(1e-6));
      }
  CHECK_THROWS_AS(kml::readers::plan_einsum("ab", {2, 3}, "bc", {4, 5}, "ac"), kml::Error);  // size mismatch
  CHECK_THROWS_AS(kml::readers::plan_einsum("aa", {2, 2}, "ab", {2, 3}, "b"), kml::Error);   // diagonal
}

TEST_CASE("einsum_dense: kernel in canonical order plus broadcast bias", "[layers_b]") {
  // "tc,chk->thk": x (3, 4), kernel (4, 2, 2), bias (2, 2)
  const std::size_t T = 3, C = 4, H = 2, K = 2;
  auto p = kml::readers::plan_einsum("tc", {T, C}, "chk", {C, H, K}, "thk");
  std::vector<float> x(T * C), k(C * H * K), bias(H * K), kc, bc, r(T * H * K);
  for (std::size_t i = 0; i < x.size(); i++) x[i] = pseudo(int(i));
  for (std::size_t i = 0; i < k.size(); i++) k[i] = pseudo(int(i) + 50);
  for (std::size_t i = 0; i < bias.size(); i++) bias[i] = pseudo(int(i) + 80);
  for (auto i : p.b_index) kc.push_back(k[i]);
  for (auto o : p.o_index) bc.push_back(bias[o % (H * K)]);
  std::vector<unsigned> ai(p.a_index.begin(), p.a_index.end()), oi(p.o_index.begin(), p.o_index.end());
  kml::einsum_dense<float, float, ed_cfg>(x.data(), r.data(), kc.data(), bc.data(), ai.data(), oi.data());
  for (std::size_t t = 0; t < T; t++)
    for (std::size_t j = 0; j < H * K; j++) {
      double s = bias[j];
      for (std::size_t c = 0; c < C; c++) s += x[t * C + c] * k[c * H * K + j];
      CHECK(r[t * H * K + j] == Approx(s).margin(1e-6));
    }
}

// ---- layer normalization (float exact; fixed within the table's accuracy)
struct ln_cfg : kml::layernorm_config {
  static const unsigned n_in = 5, n_rows = 2, table_size = 1024;
  static constexpr double epsilon = 1e-3;
  typedef float scale_t;
  typedef float bias_t;
  typedef float table_t;
};
struct ln_fx_cfg : ln_cfg {
  typedef ap_fixed<16, 6> scale_t;
  typedef ap_fixed<16, 6> bias_t;
  typedef ap_fixed<18, 2> table_t;
};

TEST_CASE("layernorm: float exact, fixed point close", "[layers_b]") {
  float x[10], g[5], be[5], r[10];
  for (int i = 0; i < 10; i++) x[i] = pseudo(i) * 3;
  for (int i = 0; i < 5; i++) g[i] = 1 + 0.1 * i, be[i] = 0.05 * i;
  kml::layernorm<float, float, ln_cfg>(x, r, g, be);
  ap_fixed<16, 6> xf[10], rf[10], gf[5], bf[5];
  for (int i = 0; i < 10; i++) xf[i] = x[i];
  for (int i = 0; i < 5; i++) gf[i] = g[i], bf[i] = be[i];
  kml::layernorm<ap_fixed<16, 6>, ap_fixed<16, 6>, ln_fx_cfg>(xf, rf, gf, bf);
  for (int row = 0; row < 2; row++) {
    double m = 0, v = 0;
    for (int i = 0; i < 5; i++) m += x[row * 5 + i];
    m /= 5;
    for (int i = 0; i < 5; i++) v += (x[row * 5 + i] - m) * (x[row * 5 + i] - m);
    v /= 5;
    for (int i = 0; i < 5; i++) {
      double y = (x[row * 5 + i] - m) / std::sqrt(v + 1e-3) * g[i] + be[i];
      CHECK(r[row * 5 + i] == Approx(y).margin(1e-5));
      CHECK(rf[row * 5 + i].to_double() == Approx(y).margin(0.01));
    }
  }
}

struct l2_cfg : ln_cfg {
  static constexpr double epsilon = 1e-12;
};

TEST_CASE("l2_normalize: unit norm rows", "[layers_b]") {
  float x[10], r[10];
  for (int i = 0; i < 10; i++) x[i] = pseudo(i);
  kml::l2_normalize<float, float, l2_cfg>(x, r);
  for (int row = 0; row < 2; row++) {
    double s = 0;
    for (int i = 0; i < 5; i++) s += x[row * 5 + i] * x[row * 5 + i];
    for (int i = 0; i < 5; i++) CHECK(r[row * 5 + i] == Approx(x[row * 5 + i] / std::sqrt(s)));
  }
}

// ---- embedding
struct emb_cfg : kml::embedding_config {
  static const unsigned n_in = 3, n_vocab = 4, n_out = 2;
  typedef float weight_t;
};

TEST_CASE("embedding: table rows by index, out-of-range indices clamped", "[layers_b]") {
  const float table[8] = {0, 1, 10, 11, 20, 21, 30, 31};
  ap_uint<3> idx[3] = {2, 0, 7};
  float r[6];
  kml::embedding<ap_uint<3>, float, emb_cfg>(idx, r, table);
  const float expect[6] = {20, 21, 0, 1, 30, 31};
  for (int i = 0; i < 6; i++) CHECK(r[i] == expect[i]);
}

// ---- recurrent cells against a naive Keras-equation implementation
double sig(double x) { return 1 / (1 + std::exp(-x)); }

struct rnn_base : kml::rnn_config {
  static const unsigned n_in = 2, n_units = 3, n_steps = 4;
  typedef double accum_t;
  typedef double state_t;
  typedef double weight_t;
  typedef double recurrent_weight_t;
  typedef double bias_t;
  typedef double table_t;
};
template <bool SEQ, bool BACK, bool RESET_AFTER>
struct rnn_cfg : rnn_base {
  static const bool return_sequences = SEQ, go_backwards = BACK, reset_after = RESET_AFTER;
};

std::vector<double> values(std::size_t n, int seed) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; i++) v[i] = 0.4 * pseudo(int(i) + seed);
  return v;
}

TEST_CASE("lstm: gates i, f, c, o; go_backwards; return_sequences", "[layers_b]") {
  const unsigned I = 2, U = 3, T = 4;
  auto x = values(T * I, 1), W = values(I * 4 * U, 2), R = values(U * 4 * U, 3), b = values(4 * U, 4);
  std::vector<double> rb(4 * U, 0.0), seq(T * U), last(U);
  kml::lstm<double, double, rnn_cfg<true, true, true>>(x.data(), seq.data(), W.data(), R.data(), b.data(), rb.data());
  kml::lstm<double, double, rnn_cfg<false, true, true>>(x.data(), last.data(), W.data(), R.data(), b.data(), rb.data());
  std::vector<double> h(U, 0), c(U, 0);
  for (unsigned t = 0; t < T; t++) {
    const double* xt = &x[(T - 1 - t) * I];
    std::vector<double> z(4 * U);
    for (unsigned j = 0; j < 4 * U; j++) {
      z[j] = b[j];
      for (unsigned i = 0; i < I; i++) z[j] += xt[i] * W[i * 4 * U + j];
      for (unsigned k = 0; k < U; k++) z[j] += h[k] * R[k * 4 * U + j];
    }
    for (unsigned j = 0; j < U; j++) {
      c[j] = sig(z[U + j]) * c[j] + sig(z[j]) * std::tanh(z[2 * U + j]);
      h[j] = sig(z[3 * U + j]) * std::tanh(c[j]);
      CHECK(seq[t * U + j] == Approx(h[j]).margin(1e-12));
    }
  }
  for (unsigned j = 0; j < U; j++) CHECK(last[j] == Approx(h[j]).margin(1e-12));
}

template <bool RESET_AFTER>
void check_gru() {
  const unsigned I = 2, U = 3, T = 4;
  auto x = values(T * I, 5), W = values(I * 3 * U, 6), R = values(U * 3 * U, 7), b = values(3 * U, 8);
  std::vector<double> rb = RESET_AFTER ? values(3 * U, 9) : std::vector<double>(3 * U, 0.0), last(U);
  kml::gru<double, double, rnn_cfg<false, false, RESET_AFTER>>(x.data(), last.data(), W.data(), R.data(), b.data(), rb.data());
  std::vector<double> h(U, 0);
  for (unsigned t = 0; t < T; t++) {
    std::vector<double> xz(3 * U), hz(3 * U);
    for (unsigned j = 0; j < 3 * U; j++) {
      xz[j] = b[j];
      hz[j] = rb[j];
      for (unsigned i = 0; i < I; i++) xz[j] += x[t * I + i] * W[i * 3 * U + j];
      for (unsigned k = 0; k < U; k++) hz[j] += h[k] * R[k * 3 * U + j];
    }
    std::vector<double> hn(U);
    for (unsigned j = 0; j < U; j++) {
      double z = sig(xz[j] + hz[j]), r = sig(xz[U + j] + hz[U + j]);
      double cand;
      if (RESET_AFTER) {
        cand = std::tanh(xz[2 * U + j] + r * hz[2 * U + j]);
      } else {
        double s = xz[2 * U + j];
        for (unsigned k = 0; k < U; k++) s += sig(xz[U + k] + hz[U + k]) * h[k] * R[k * 3 * U + 2 * U + j];
        cand = std::tanh(s);
      }
      hn[j] = z * h[j] + (1 - z) * cand;
    }
    h = hn;
  }
  for (unsigned j = 0; j < U; j++) CHECK(last[j] == Approx(h[j]).margin(1e-12));
}

TEST_CASE("gru: reset_after true and false", "[layers_b]") {
  check_gru<true>();
  check_gru<false>();
}

struct srnn_cfg : rnn_cfg<true, false, true> {
  static const int activation = kml::rnn_act::tanh;
};
struct srnn_fx : srnn_cfg {
  typedef ap_fixed<24, 8> accum_t;
  typedef ap_fixed<18, 4> state_t;
  typedef ap_fixed<18, 4> weight_t;
  typedef ap_fixed<18, 4> recurrent_weight_t;
  typedef ap_fixed<18, 4> bias_t;
  typedef ap_fixed<18, 4> table_t;
};

TEST_CASE("simple_rnn: float exact, fixed point close", "[layers_b]") {
  const unsigned I = 2, U = 3, T = 4;
  auto x = values(T * I, 11), W = values(I * U, 12), R = values(U * U, 13), b = values(U, 14);
  std::vector<double> rb(U, 0.0), seq(T * U);
  kml::simple_rnn<double, double, srnn_cfg>(x.data(), seq.data(), W.data(), R.data(), b.data(), rb.data());
  ap_fixed<18, 4> xf[T * I], Wf[I * U], Rf[U * U], bf[U], rbf[U], rf[T * U];
  for (unsigned i = 0; i < T * I; i++) xf[i] = x[i];
  for (unsigned i = 0; i < I * U; i++) Wf[i] = W[i];
  for (unsigned i = 0; i < U * U; i++) Rf[i] = R[i];
  for (unsigned i = 0; i < U; i++) bf[i] = b[i], rbf[i] = 0;
  kml::simple_rnn<ap_fixed<18, 4>, ap_fixed<18, 4>, srnn_fx>(xf, rf, Wf, Rf, bf, rbf);
  std::vector<double> h(U, 0);
  for (unsigned t = 0; t < T; t++) {
    std::vector<double> hn(U);
    for (unsigned j = 0; j < U; j++) {
      double s = b[j];
      for (unsigned i = 0; i < I; i++) s += x[t * I + i] * W[i * U + j];
      for (unsigned k = 0; k < U; k++) s += h[k] * R[k * U + j];
      hn[j] = std::tanh(s);
      CHECK(seq[t * U + j] == Approx(hn[j]).margin(1e-12));
      CHECK(rf[t * U + j].to_double() == Approx(hn[j]).margin(0.02));
    }
    h = hn;
  }
}

// ---- Lambda layers and raw keras.ops nodes are refused, naming the layer
std::string write_model(const std::string& name, const std::string& layer_json) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(KML_TEST_TMP) / "layers_b";
  fs::create_directories(dir);
  fs::path p = dir / (name + ".json");
  std::ofstream(p) << R"({"module": "keras", "class_name": "Functional", "config": {"name": "m", "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "name": "inp",
     "config": {"batch_shape": [null, 12], "dtype": "float32", "name": "inp"}, "inbound_nodes": []},
    )" << layer_json << R"(],
    "input_layers": [["inp", 0, 0]], "output_layers": [["odd", 0, 0]]}})";
  return p.string();
}
std::string inbound() {
  return R"("inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 12],
            "dtype": "float32", "keras_history": ["inp", 0, 0]}}], "kwargs": {}}])";
}

TEST_CASE("Lambda, TFOpLambda and keras.ops nodes give an error naming the layer", "[layers_b]") {
  const std::string weights = std::string(KML_TEST_DATA) + "/act_zoo.h5";
  struct Case {
    const char* file;
    std::string layer;
    const char* expect;
  } cases[] = {
      {"ops_node", R"({"module": "keras.src.ops.numpy", "class_name": "Add", "registered_name": "Add", "name": "odd",
                     "config": {"name": "odd"}, )" + inbound() + "}",
       "layer 'odd' is a raw keras.ops operation (keras.src.ops.numpy.Add)"},
      {"lambda", R"({"module": "keras.layers", "class_name": "Lambda", "name": "odd",
                   "config": {"name": "odd", "function": {"class_name": "__lambda__"}}, )" + inbound() + "}",
       "layer 'odd' is a Lambda layer"},
      {"tfoplambda", R"({"class_name": "TFOpLambda", "name": "odd",
                       "config": {"name": "odd", "function": "math.multiply"}, )" + inbound() + "}",
       "layer 'odd' is a TFOpLambda layer (math.multiply)"},
  };
  for (const auto& c : cases) {
    std::string path = write_model(c.file, c.layer);
    try {
      kml::readers::read_model(path, weights);
      FAIL("no error for " << c.file);
    } catch (const kml::Error& e) {
      std::string msg = e.what();
      INFO(msg);
      CHECK(msg.find(c.expect) != std::string::npos);
      CHECK(msg.find("extension API") != std::string::npos);
    }
  }
}

}  // namespace
