#include "quant/qkeras.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>

#include "util/error.h"

namespace kml::quant {

using nlohmann::json;

namespace {

// Constructor argument order and defaults of the supported quantizers (QKeras' signatures).
struct ClassInfo {
  std::vector<std::string> args;
  json defaults;
};

const std::map<std::string, ClassInfo>& classes() {
  static const std::map<std::string, ClassInfo> c = {
      {"quantized_bits",
       {{"bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding", "scale_axis",
         "qnoise_factor"},
        {{"bits", 8}, {"integer", 0}, {"symmetric", 0}, {"keep_negative", true}, {"alpha", nullptr},
         {"qnoise_factor", 1.0}}}},
      {"quantized_relu",
       {{"bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding", "relu_upper_bound",
         "is_quantized_clip", "qnoise_factor"},
        {{"bits", 8}, {"integer", 0}, {"use_sigmoid", 0}, {"negative_slope", 0.0}, {"relu_upper_bound", nullptr},
         {"is_quantized_clip", true}, {"qnoise_factor", 1.0}}}},
      {"binary", {{"use_01", "alpha", "use_stochastic_rounding"}, {{"use_01", false}, {"alpha", nullptr}}}},
      {"ternary",
       {{"alpha", "threshold", "use_stochastic_rounding", "number_of_unrolls"},
        {{"alpha", nullptr}, {"threshold", nullptr}, {"number_of_unrolls", 5}}}},
      {"quantized_po2",
       {{"bits", "max_value", "use_stochastic_rounding", "quadratic_approximation", "log2_rounding", "qnoise_factor"},
        {{"bits", 8}, {"max_value", nullptr}, {"quadratic_approximation", false}, {"log2_rounding", "rnd"},
         {"qnoise_factor", 1.0}}}},
      {"quantized_tanh",
       {{"bits", "use_stochastic_rounding", "symmetric", "use_real_tanh"},
        {{"bits", 8}, {"symmetric", false}, {"use_real_tanh", false}}}},
      {"quantized_sigmoid",
       {{"bits", "symmetric", "use_real_sigmoid", "use_stochastic_rounding"},
        {{"bits", 8}, {"symmetric", false}, {"use_real_sigmoid", false}}}},
  };
  return c;
}

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// A Python literal in a quantizer string: number, True/False, None, 'string'.
json literal(const std::string& text, const std::string& whole) {
  std::string t = trim(text);
  if (t == "True") return true;
  if (t == "False") return false;
  if (t == "None") return nullptr;
  if (t.size() >= 2 && (t[0] == '\'' || t[0] == '"') && t.back() == t[0]) return t.substr(1, t.size() - 2);
  try {
    std::size_t pos = 0;
    if (t.find_first_of(".eE") == std::string::npos) {
      long v = std::stol(t, &pos);
      if (pos == t.size()) return v;
    }
    double d = std::stod(t, &pos);
    if (pos == t.size()) return d;
  } catch (...) {
  }
  throw Error("quantizer '" + whole + "': cannot read argument '" + t + "'");
}

bool truthy(const json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  return true;
}

// An integer argument of a quantizer (bits, integer, exponents): bounded before it becomes an int, so that the
// arithmetic on it (bits - integer, shifts, exponent ranges) cannot overflow.
constexpr double kMaxQuantizerInt = 1 << 16;
int as_int(const json& v, const std::string& what, const std::string& q) {
  if (v.is_number() && !v.is_boolean()) {
    const double d = v.is_number_unsigned() ? static_cast<double>(v.get<std::uint64_t>())
                     : v.is_number_integer() ? static_cast<double>(v.get<std::int64_t>())
                                             : v.get<double>();
    if (std::floor(d) == d) {
      if (!(std::fabs(d) <= kMaxQuantizerInt))
        throw Error(q + ": " + what + " = " + v.dump() + " is out of range (at most 65536 in magnitude)");
      return static_cast<int>(d);
    }
  }
  if (v.is_array() && v.size() == 1) return as_int(v[0], what, q);
  throw Error(q + ": " + what + " = " + v.dump() + " is not an integer");
}

double as_double(const json& v, const std::string& what, const std::string& q) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  throw Error(q + ": " + what + " = " + v.dump() + " is not a number");
}

const float kEps = 1e-7f;  // K.epsilon()

// tf.math.round: half to even.
float round_even(float x) { return static_cast<float>(round_scaled(x, Round::RND_CONV)); }
float po2_of(float s) {
  // K.pow(2, round(log(s + eps) / log(2))) in float32.
  float l = std::log(s + kEps) / static_cast<float>(std::log(2.0));
  return std::ldexp(1.0f, static_cast<int>(round_even(l)));
}
float sign_of(float x) { return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f); }

// Channels: the last axis of a tensor of rank > 1; every element of a 1-D tensor.
struct Channels {
  std::size_t n_ch = 1;
  bool rank1 = false;
  explicit Channels(const ir::Tensor& t) {
    rank1 = t.shape.size() <= 1;
    n_ch = rank1 ? t.size() : t.shape.back();
    if (n_ch == 0) n_ch = 1;
  }
  std::size_t of(std::size_t e) const { return e % n_ch; }
};

// QKeras' _get_least_squares_scale(alpha, x, q) per channel (per element for 1-D tensors).
std::vector<float> least_squares(const std::string& alpha, const std::vector<float>& x, const std::vector<float>& q,
                                 const Channels& ch) {
  std::vector<double> qx(ch.n_ch, 0), qq(ch.n_ch, 0);
  std::vector<std::size_t> cnt(ch.n_ch, 0);
  for (std::size_t e = 0; e < x.size(); ++e) {
    std::size_t c = ch.of(e);
    qx[c] += double(x[e]) * q[e];
    qq[c] += double(q[e]) * q[e];
    ++cnt[c];
  }
  std::vector<float> s(ch.n_ch);
  for (std::size_t c = 0; c < ch.n_ch; ++c) {
    float mx = static_cast<float>(qx[c] / std::max<std::size_t>(1, cnt[c]));
    float mq = static_cast<float>(qq[c] / std::max<std::size_t>(1, cnt[c]));
    float v = mx / (mq + kEps);
    s[c] = alpha == "auto_po2" ? po2_of(v) : v;
  }
  return s;
}

std::vector<float> channel_absmax(const std::vector<float>& x, const Channels& ch) {
  // For 1-D tensors QKeras reduces over the whole tensor (axis 0).
  std::size_t n = ch.rank1 ? 1 : ch.n_ch;
  std::vector<float> m(n, 0.0f);
  for (std::size_t e = 0; e < x.size(); ++e) {
    std::size_t c = ch.rank1 ? 0 : ch.of(e);
    m[c] = std::max(m[c], std::fabs(x[e]));
  }
  return m;
}

}  // namespace

double qkeras_quantized_bits(double x, int bits, int integer, bool symmetric, bool keep_negative, double alpha) {
  const int ub = bits - (keep_negative ? 1 : 0);
  if (ub <= 0) {
    double s = x >= 0 ? 1.0 : -1.0;
    if (!keep_negative) s = (s + 1.0) / 2.0;
    return alpha * s;
  }
  const double m = std::ldexp(1.0, ub), mi = std::ldexp(1.0, integer);
  double p = round_scaled(x * m / mi, Round::RND_CONV);
  double lo = keep_negative ? (-m + (symmetric ? 1 : 0)) : 0.0;
  p = std::min(std::max(p, lo), m - 1);
  return alpha * mi * p / m;
}

QKerasQuantizer QKerasQuantizer::parse(const json& j) {
  QKerasQuantizer q;
  json given = json::object();
  std::vector<json> positional;
  if (j.is_string()) {
    std::string s = trim(j.get<std::string>());
    std::size_t open = s.find('(');
    q.cls = trim(s.substr(0, open));
    if (open != std::string::npos) {
      std::size_t close = s.rfind(')');
      if (close == std::string::npos || close < open) throw Error("quantizer '" + s + "': unbalanced parentheses");
      std::string inner = s.substr(open + 1, close - open - 1);
      std::size_t start = 0;
      int depth = 0;
      std::vector<std::string> parts;
      for (std::size_t k = 0; k <= inner.size(); ++k) {
        char c = k < inner.size() ? inner[k] : ',';
        if (c == '(' || c == '[') ++depth;
        if (c == ')' || c == ']') --depth;
        if (c == ',' && depth == 0) {
          parts.push_back(inner.substr(start, k - start));
          start = k + 1;
        }
      }
      for (const auto& p : parts) {
        if (trim(p).empty()) continue;
        std::size_t eq = p.find('=');
        if (eq != std::string::npos) given[trim(p.substr(0, eq))] = literal(p.substr(eq + 1), s);
        else positional.push_back(literal(p, s));
      }
    }
  } else if (j.is_object() && j.contains("class_name")) {
    q.cls = j["class_name"].get<std::string>();
    if (j.contains("config") && j["config"].is_object()) given = j["config"];
  } else {
    throw Error("cannot read quantizer " + j.dump());
  }
  auto it = classes().find(q.cls);
  if (it == classes().end())
    throw Error("quantizer '" + q.cls +
                "' is not supported (supported: quantized_bits, quantized_relu, binary, ternary, quantized_po2, "
                "quantized_tanh, quantized_sigmoid)");
  const ClassInfo& info = it->second;
  if (positional.size() > info.args.size())
    throw Error("quantizer '" + q.str() + "': too many arguments");
  q.params = info.defaults;
  for (std::size_t k = 0; k < positional.size(); ++k) q.params[info.args[k]] = positional[k];
  for (auto& [k, v] : given.items()) q.params[k] = v;
  const std::string me = "quantizer " + q.str();
  if (q.params.contains("qnoise_factor") && !q.params["qnoise_factor"].is_null() &&
      as_double(q.params["qnoise_factor"], "qnoise_factor", me) != 1.0)
    throw Error(me + ": qnoise_factor = " + q.params["qnoise_factor"].dump() +
                " is not supported (the output is not quantized unless it is 1)");
  if (q.params.contains("post_training_scale") && !q.params["post_training_scale"].is_null())
    throw Error(me + ": post_training_scale is not supported");
  for (const char* k : {"elements_per_scale", "min_po2_exponent", "max_po2_exponent", "scale_axis"})
    if (q.params.contains(k) && !q.params[k].is_null()) throw Error(me + ": " + k + " is not supported");
  return q;
}

std::string QKerasQuantizer::str() const {
  std::string s = cls + "(";
  bool first = true;
  for (auto& [k, v] : params.items()) {
    if (v.is_null()) continue;
    s += (first ? "" : ", ") + k + "=" + v.dump();
    first = false;
  }
  return s + ")";
}

QKerasQuantizer::Weights QKerasQuantizer::quantize_weights(const ir::Tensor& t) const {
  const std::string me = "quantizer " + str();
  Weights w;
  const std::size_t n = t.size();
  std::vector<float> x(n);
  for (std::size_t e = 0; e < n; ++e) x[e] = static_cast<float>(t.data[e]);
  Channels ch(t);
  const json alpha = params.value("alpha", json());
  const bool alpha_str = alpha.is_string();
  std::string a = alpha_str ? alpha.get<std::string>() : "";
  if (alpha_str && a != "auto" && a != "auto_po2") throw Error(me + ": alpha = '" + a + "' is not supported");
  const double alpha_num = alpha.is_null() || alpha_str ? 1.0 : as_double(alpha, "alpha", me);

  // Finish: per-channel scales `s` (float) times levels `z`; power-of-two scales are folded in.
  auto finish = [&](const std::vector<float>& z, const std::vector<float>& s, double mult) {
    bool po2 = a == "auto_po2" || !alpha_str;
    w.values.resize(n);
    if (po2 || ch.rank1) {
      for (std::size_t e = 0; e < n; ++e) w.values[e] = mult * double(z[e]) * (s.size() == 1 ? s[0] : s[ch.of(e)]);
    } else {
      for (std::size_t e = 0; e < n; ++e) w.values[e] = mult * double(z[e]);
      w.scale.assign(s.begin(), s.end());
    }
  };

  if (cls == "quantized_bits") {
    int bits = as_int(params["bits"], "bits", me), integer = as_int(params["integer"], "integer", me);
    bool kn = truthy(params["keep_negative"]);
    bool sym = truthy(params["symmetric"]);
    if (!alpha_str) {
      w.values.resize(n);
      for (std::size_t e = 0; e < n; ++e) w.values[e] = qkeras_quantized_bits(x[e], bits, integer, sym, kn, alpha_num);
      return w;
    }
    // alpha auto / auto_po2: symmetric, per-channel scale (QKeras forces symmetric=True).
    const float mi = std::ldexp(1.0f, integer);
    const float levels = static_cast<float>((std::ldexp(1.0, bits - 1) - 1) * 2);
    std::vector<float> xs(n);
    for (std::size_t e = 0; e < n; ++e) xs[e] = x[e] / mi;
    std::vector<float> s = channel_absmax(xs, ch);
    for (auto& v : s) v = v * 2.0f / levels;
    auto levels_of = [&](const std::vector<float>& sc) {
      std::vector<float> z(n);
      for (std::size_t e = 0; e < n; ++e) {
        float scv = sc.size() == 1 ? sc[0] : sc[ch.of(e)];
        float v = std::floor(std::fabs(xs[e]) / scv + 0.5f);
        z[e] = sign_of(xs[e]) * (v < levels / 2 ? v : levels / 2);
      }
      return z;
    };
    if (a == "auto_po2") {
      for (auto& v : s) v = po2_of(v);
      for (int it = 0; it < 5; ++it) s = least_squares(a, xs, levels_of(s), ch);
    }
    finish(levels_of(s), s, mi);
    return w;
  }
  if (cls == "binary") {
    bool use01 = truthy(params["use_01"]);
    std::vector<float> z(n);
    for (std::size_t e = 0; e < n; ++e) {
      float k = sign_of(x[e]);
      k += 1.0f - std::fabs(k);
      z[e] = use01 ? (k + 1.0f) / 2.0f : k;
    }
    if (!alpha_str) {
      w.values.resize(n);
      for (std::size_t e = 0; e < n; ++e) w.values[e] = alpha_num * z[e];
      return w;
    }
    finish(z, least_squares(a, x, z, ch), 1.0);
    return w;
  }
  if (cls == "ternary") {
    if (!alpha_str) {
      double thr = params["threshold"].is_null() ? 0.33 : as_double(params["threshold"], "threshold", me);
      float thr_f = static_cast<float>(thr);
      w.values.resize(n);
      for (std::size_t e = 0; e < n; ++e) w.values[e] = alpha_num * (std::fabs(x[e]) >= thr_f ? sign_of(x[e]) : 0.0f);
      return w;
    }
    if (!params["threshold"].is_null()) throw Error(me + ": a threshold with alpha = '" + a + "' is not supported");
    int unrolls = as_int(params["number_of_unrolls"], "number_of_unrolls", me);
    std::vector<float> s = channel_absmax(x, ch);
    for (auto& v : s) {
      v = 2.0f * v / 3.0f;
      if (a == "auto_po2") v = po2_of(v);
    }
    std::vector<float> q(n, 0.0f);
    for (int it = 0; it < unrolls; ++it) {
      for (std::size_t e = 0; e < n; ++e) {
        float sc = s.size() == 1 ? s[0] : s[ch.of(e)];
        float thres = sc / 2.0f;
        float v = sc * round_even(x[e] / sc);
        q[e] = (std::fabs(v) >= thres ? 1.0f : 0.0f) * sign_of(x[e]);
      }
      s = least_squares(a, x, q, ch);
    }
    finish(q, s, 1.0);
    return w;
  }
  if (cls == "quantized_po2") {
    if (truthy(params["quadratic_approximation"])) throw Error(me + ": quadratic_approximation is not supported");
    std::string lr = params.value("log2_rounding", std::string("rnd"));
    if (lr != "rnd" && lr != "floor") throw Error(me + ": log2_rounding = '" + lr + "' is not supported");
    int bits = as_int(params["bits"], "bits", me);
    const json mv = params["max_value"];
    bool need_sign = mv.is_null() || as_double(mv, "max_value", me) > 1;
    int eff = bits - 1 - (need_sign ? 1 : 0);
    int min_exp = -(1 << std::max(0, eff)), max_exp = (1 << std::max(0, eff)) - 1;
    w.values.resize(n);
    for (std::size_t e = 0; e < n; ++e) {
      float s = sign_of(x[e]);
      s += 1.0f - std::fabs(s);
      float ax = std::fabs(x[e]);
      float ex;
      if (ax < kEps) {
        ex = static_cast<float>(min_exp);
      } else {
        float xf = ax;
        if (!mv.is_null() && xf >= static_cast<float>(mv.get<double>())) xf = static_cast<float>(mv.get<double>());
        float l = std::log(xf) / static_cast<float>(std::log(2.0));
        ex = lr == "floor" ? std::floor(l) : round_even(l);
        ex = std::min(std::max(ex, float(min_exp)), float(max_exp));
      }
      w.values[e] = s * std::ldexp(1.0, static_cast<int>(ex));
    }
    return w;
  }
  // Activation-style quantizers applied to weights: elementwise.
  w.values.resize(n);
  for (std::size_t e = 0; e < n; ++e) w.values[e] = apply(x[e]);
  return w;
}

QKerasQuantizer::Activation QKerasQuantizer::activation() const {
  const std::string me = "quantizer " + str();
  Activation a;
  const json alpha = params.value("alpha", json());
  if (cls == "quantized_bits") {
    if (alpha.is_string() || (!alpha.is_null() && as_double(alpha, "alpha", me) != 1.0))
      throw Error(me + ": alpha = " + alpha.dump() + " is not supported on activations");
    int bits = as_int(params["bits"], "bits", me), integer = as_int(params["integer"], "integer", me);
    bool kn = truthy(params["keep_negative"]);
    if (bits - (kn ? 1 : 0) <= 0) {
      a.kind = Kind::Step;
      a.pos_t = 0;
      a.v_pos = 1;
      a.v_mid = kn ? -1 : 0;
      return a;
    }
    a.k = kn ? 1 : 0;
    a.i = integer;
    a.f = bits - (kn ? 1 : 0) - integer;
    a.round = Round::RND_CONV;
    a.overflow = kn && truthy(params["symmetric"]) ? Overflow::SAT_SYM : Overflow::SAT;
    return a;
  }
  if (cls == "quantized_relu") {
    if (truthy(params["use_sigmoid"])) throw Error(me + ": use_sigmoid is not supported");
    if (as_double(params["negative_slope"], "negative_slope", me) != 0.0)
      throw Error(me + ": negative_slope = " + params["negative_slope"].dump() + " is not supported");
    if (!truthy(params["is_quantized_clip"]) && !params["relu_upper_bound"].is_null())
      throw Error(me + ": relu_upper_bound without is_quantized_clip is not supported");
    int bits = as_int(params["bits"], "bits", me), integer = as_int(params["integer"], "integer", me);
    a.k = 0;
    a.i = integer;
    a.f = bits - integer;
    a.round = Round::RND_CONV;
    a.overflow = Overflow::SAT;
    return a;
  }
  if (cls == "quantized_tanh") {
    if (truthy(params["use_real_tanh"])) throw Error(me + ": use_real_tanh is not supported");
    int bits = as_int(params["bits"], "bits", me);
    a.k = 1;
    a.i = 0;
    a.f = bits - 1;
    a.round = Round::RND_CONV;
    a.overflow = truthy(params["symmetric"]) ? Overflow::SAT_SYM : Overflow::SAT;
    return a;
  }
  if (cls == "quantized_sigmoid") {
    if (truthy(params["use_real_sigmoid"])) throw Error(me + ": use_real_sigmoid is not supported");
    if (truthy(params["symmetric"])) throw Error(me + ": symmetric = True is not supported");
    int bits = as_int(params["bits"], "bits", me);
    a.k = 0;
    a.i = 0;
    a.f = bits;
    a.round = Round::RND_CONV;
    a.overflow = Overflow::SAT;
    a.pre_scale = 0.5;  // QKeras' hard sigmoid: clip(0.5 x + 0.5, 0, 1)
    a.pre_offset = 0.5;
    return a;
  }
  if (cls == "binary") {
    if (alpha.is_string() || (!alpha.is_null() && as_double(alpha, "alpha", me) != 1.0))
      throw Error(me + ": alpha = " + alpha.dump() + " is not supported on activations");
    a.kind = Kind::Step;
    a.pos_t = 0;  // sign(x), 0 -> +1
    a.v_pos = 1;
    a.v_mid = truthy(params["use_01"]) ? 0 : -1;
    return a;
  }
  if (cls == "ternary") {
    if (alpha.is_string()) throw Error(me + ": alpha = '" + alpha.get<std::string>() + "' is not supported on activations");
    double sc = alpha.is_null() ? 1.0 : as_double(alpha, "alpha", me);
    double thr = params["threshold"].is_null() ? 0.33 : as_double(params["threshold"], "threshold", me);
    thr = static_cast<float>(thr);
    a.kind = Kind::Step;
    a.pos_t = thr;
    a.v_pos = sc;
    a.v_mid = 0;
    a.has_neg = true;
    a.neg_t = -thr;
    a.v_neg = -sc;
    return a;
  }
  throw Error(me + " is not supported as an activation quantizer");
}

double QKerasQuantizer::apply(double x) const {
  Activation a = activation();
  if (a.kind == Kind::Step) {
    x = static_cast<float>(x);  // QKeras compares in float32
    if (a.pos_strict ? x > a.pos_t : x >= a.pos_t) return a.v_pos;
    if (a.has_neg && (a.neg_strict ? x < a.neg_t : x <= a.neg_t)) return a.v_neg;
    return a.v_mid;
  }
  return fixed_quantize(a.pre_scale * x + a.pre_offset, a.k, a.i, a.f, a.round, a.overflow);
}

}  // namespace kml::quant
