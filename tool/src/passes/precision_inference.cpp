#include "passes/precision_inference.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "ir/op.h"
#include "util/error.h"

namespace kml::passes {
namespace {

const double kInf = std::numeric_limits<double>::infinity();
const int kDefaultWidth = 16;  // weights/biases chosen by "auto" keep hls4ml's default width

bool is_bounded01(const std::string& fn) { return fn == "sigmoid" || fn == "hard_sigmoid" || fn == "softmax"; }
bool is_bounded11(const std::string& fn) { return fn == "tanh" || fn == "softsign" || fn == "hard_tanh"; }
bool is_relu_like(const std::string& fn) {
  return fn == "relu" || fn == "leaky_relu" || fn == "thresholded_relu" || fn == "prelu" || fn == "linear";
}

// Largest magnitude a type can hold (its range is [-bound, bound) or [0, bound)).
double type_bound(const Precision& p) {
  if (p.kind != Precision::Kind::Fixed) return kInf;
  return std::ldexp(1.0, p.is_signed ? p.integer - 1 : p.integer);
}

// Smallest signed integer-bit count I (sign included) with [-bound - lsb, bound + lsb] inside the type's range.
int int_bits_for(double bound, int frac) {
  const double lsb = std::ldexp(1.0, -std::min(frac, 60));
  int i = 1;
  while (std::ldexp(1.0, i - 1) < bound + lsb && i < 1024) ++i;
  return i;
}

// Fewest fractional bits (at most `max_frac`) representing every value exactly; max_frac if none does.
int exact_frac_bits(const std::vector<double>& v, int max_frac) {
  for (int f = 0; f < max_frac; ++f) {
    bool ok = true;
    for (double x : v) {
      double s = std::ldexp(x, f);
      if (s != std::floor(s)) {
        ok = false;
        break;
      }
    }
    if (ok) return f;
  }
  return max_frac;
}

// Upper bound of |w| once stored in type p: |w| if p holds it exactly, else |w| plus one LSB (any rounding).
double stored_magnitude(double w, const Precision& p) {
  if (p.kind != Precision::Kind::Fixed) return std::fabs(w);
  double s = std::ldexp(w, p.fractional());
  if (s == std::floor(s)) return std::fabs(w);
  return std::fabs(w) + std::ldexp(1.0, -p.fractional());
}

struct Tensor {
  Precision type;
  double bound = kInf;  // max |value|
};

class Inference {
 public:
  Inference(ir::Graph& g, const Config& cfg, std::ostream& log) : g_(g), cfg_(cfg), log_(log) {}

  void run() {
    for (auto& np : g_.nodes()) node(*np);
  }

 private:
  ir::Graph& g_;
  const Config& cfg_;
  std::ostream& log_;
  std::map<std::string, Tensor> t_;

  Precision cap_of(const ir::Node& n) const {
    std::vector<std::string> names = {n.name};
    if (n.keras_name != n.name) names.push_back(n.keras_name);
    if (n.attr.contains("fused_batchnorm")) names.push_back(n.attr["fused_batchnorm"].get<std::string>());
    return cfg_.setting(&LayerSettings::max_precision, names, {n.keras_class}, default_max_precision());
  }

  // A signed type with integer bits i and fractional bits f, capped.
  Precision make(const ir::Node& n, const std::string& role, int i, int f) const {
    const Precision cap = cap_of(n);
    if (i > cap.integer) {
      log_ << "kml-convert: warning: layer '" << n.keras_name << "': precision." << role << " = \"auto\" needs " << i
           << " integer bits, more than max_precision " << cap.cpp() << " allows: it may overflow\n";
      i = cap.integer;
    }
    if (i + f > cap.width) f = cap.width - i;
    Precision p = Precision::fixed(std::max(1, i + f), i);
    return p;
  }

  // Weight-like arrays: integer bits for the values, as few fractional bits as represent them exactly.
  Precision from_values(const ir::Node& n, const std::string& role, const std::vector<double>& v) const {
    double m = 0;
    for (double x : v) m = std::max(m, std::fabs(x));
    int i = std::max(1, int_bits_for(m, kDefaultWidth));
    int f = exact_frac_bits(v, std::max(0, kDefaultWidth - i));
    return make(n, role, i, f);
  }

  const Tensor& input(const ir::Node& n, std::size_t k = 0) { return t_.at(n.inputs.at(k)); }

  void set_result(ir::Node& n, double bound) {
    Precision r = n.types.at("result");
    t_[n.name] = {r, r.is_auto() ? bound : std::min(bound, type_bound(r))};
  }

  void note(const ir::Node& n, const std::set<std::string>& roles) {
    if (roles.empty()) return;
    log_ << "kml-convert: note: layer '" << n.keras_name << "' (" << n.name << "): auto precision";
    for (const auto& r : roles) log_ << " " << r << "=" << n.types.at(r).cpp();
    log_ << "\n";
  }

  void node(ir::Node& n) {
    std::set<std::string> autos;
    for (const auto& [role, p] : n.types)
      if (p.is_auto()) autos.insert(role);
    const ir::AutoRule rule = ir::auto_rule(n);
    if (ir::is_source(n) || n.inputs.empty()) {
      if (autos.count("result")) n.types["result"] = Precision::fixed(16, 6);
      t_[n.name] = {n.types.at("result"), type_bound(n.types.at("result"))};
      return;
    }
    if (rule == ir::AutoRule::TypeBound) {  // no "auto" roles; its output is bounded by its result type only
      t_[n.name] = {n.types.at("result"), type_bound(n.types.at("result"))};
      return;
    }
    const Tensor in = input(n);
    // Float emulation: "auto" means float throughout.
    if (in.type.is_float()) {
      for (const auto& r : autos) n.types[r] = in.type;
      t_[n.name] = {n.types.at("result"), kInf};
      return;
    }
    const int f_in = in.type.fractional();
    if (rule == ir::AutoRule::Linear) {
      const bool out_inner = ir::kernel_layout(n) == ir::KernelLayout::ConvTranspose;
      const auto& k = n.weights.at("kernel").data;
      const auto& b = n.weights.at("bias").data;
      if (autos.count("weight")) n.types["weight"] = from_values(n, "weight", k);
      if (autos.count("bias")) n.types["bias"] = from_values(n, "bias", b);
      const Precision& pw = n.types.at("weight");
      const Precision& pb = n.types.at("bias");
      const std::size_t n_out = b.size();
      const std::size_t n_chan = n.attr.value("n_chan", std::size_t(1));
      std::vector<double> sum(n_out, 0.0);
      for (std::size_t i = 0; i < k.size(); ++i) {
        std::size_t j = out_inner ? (i / n_chan) % n_out : i % n_out;
        sum[j] += stored_magnitude(k[i], pw);
      }
      double bound = 0;
      for (std::size_t j = 0; j < n_out; ++j) bound = std::max(bound, stored_magnitude(b[j], pb) + sum[j] * in.bound);
      const int f_prod = pw.is_float() ? 0 : f_in + pw.fractional();
      const int f_acc = std::max(f_prod, pb.is_float() ? 0 : pb.fractional());
      if (autos.count("accum")) n.types["accum"] = make(n, "accum", int_bits_for(bound, f_acc), f_acc);
      if (autos.count("result")) {
        const Precision& acc = n.types.at("accum");
        int f = acc.is_float() ? f_acc : acc.fractional();
        n.types["result"] = make(n, "result", int_bits_for(bound, f), f);
      }
      set_result(n, bound);
    } else if (rule == ir::AutoRule::Scale) {
      const auto& s = n.weights.at("scale").data;
      const auto& b = n.weights.at("bias").data;
      if (autos.count("scale")) n.types["scale"] = from_values(n, "scale", s);
      if (autos.count("bias")) n.types["bias"] = from_values(n, "bias", b);
      const Precision& ps = n.types.at("scale");
      const Precision& pb = n.types.at("bias");
      double bound = 0;
      for (std::size_t c = 0; c < s.size(); ++c)
        bound = std::max(bound, stored_magnitude(s[c], ps) * in.bound + stored_magnitude(b[c], pb));
      const int f = std::max(f_in + ps.fractional(), pb.fractional());
      if (autos.count("result")) n.types["result"] = make(n, "result", int_bits_for(bound, f), f);
      set_result(n, bound);
    } else if (rule == ir::AutoRule::Activation) {
      const std::string fn = n.attr.value("fn", "");
      double bound = in.bound;
      if (autos.count("result")) {
        if (is_bounded01(fn) || is_bounded11(fn)) {
          int f;
          if (fn == "softmax") f = n.types.at("exp_table").fractional() + n.types.at("inv_table").fractional();
          else if (fn == "hard_sigmoid") f = n.types.at("param").fractional();
          else if (fn == "hard_tanh") f = f_in;
          else f = n.types.at("table").fractional();
          n.types["result"] = make(n, "result", 2, f);
          bound = 1;
        } else if (fn == "relu" && !n.attr.contains("max_value") && !n.attr.contains("threshold")) {
          n.types["result"] = in.type;  // max(x, 0) fits the input's type
        } else if (fn == "leaky_relu" && std::fabs(n.attr.value("alpha", 0.3)) <= 1) {
          n.types["result"] = in.type;  // |alpha * x| <= |x|: only fractional bits are lost
        } else {  // ReLU family: |y| <= max(1, |slope|) * (|x| + |threshold|)
          double slope = 1;
          for (const char* key : {"alpha", "negative_slope"}) {
            auto it = n.attr.find(key);
            if (it != n.attr.end() && it->is_number()) slope = std::max(slope, std::fabs(it->get<double>()));
          }
          if (fn == "prelu")
            for (double a : n.weights.at("alpha").data) slope = std::max(slope, std::fabs(a));
          double thr = 0;
          auto it = n.attr.find("threshold");
          if (it != n.attr.end() && it->is_number()) thr = std::fabs(it->get<double>());
          it = n.attr.find("max_value");
          bound = slope * (in.bound + thr);
          if (it != n.attr.end() && it->is_number()) bound = std::max(bound, std::fabs(it->get<double>()));
          int f = f_in;
          if (slope != 1 || fn == "prelu") f += n.types.at("param").fractional();
          n.types["result"] = make(n, "result", int_bits_for(bound, f), f);
        }
      }
      set_result(n, bound);
    } else if (rule == ir::AutoRule::Pool || rule == ir::AutoRule::GlobalPool) {
      std::size_t count = rule == ir::AutoRule::Pool ? n.attr.value("pool_h", std::size_t(1)) * n.attr.value("pool_w", std::size_t(1))
                                         : n.attr.value("n_pix", std::size_t(1));
      int extra = 0;
      while ((std::size_t(1) << extra) < count) ++extra;
      if (autos.count("accum")) n.types["accum"] = make(n, "accum", in.type.integer + (in.type.is_signed ? 0 : 1) + extra, f_in);
      if (autos.count("result")) n.types["result"] = make(n, "result", int_bits_for(in.bound, f_in), f_in);
      set_result(n, in.bound);
    } else {
      // Views and layout changes copied their input's type before it was known.
      if (autos.count("result")) n.types["result"] = in.type;
      for (const auto& r : autos)
        if (n.types.at(r).is_auto())
          throw Error("layer '" + n.keras_name + "': precision '" + r + "' = \"auto\" is not supported for " + n.op +
                      " layers");
      t_[n.name] = {n.types.at("result"), std::min(in.bound, type_bound(n.types.at("result")))};
      return;
    }
    note(n, autos);
  }
};

}  // namespace

Precision default_max_precision() { return Precision::fixed(40, 40); }

bool auto_precision_supported(const ir::Node& n, const std::string& role) {
  switch (ir::auto_rule(n)) {
    case ir::AutoRule::Linear: return role == "result" || role == "accum" || role == "weight" || role == "bias";
    case ir::AutoRule::Scale: return role == "result" || role == "scale" || role == "bias";
    case ir::AutoRule::Pool:
    case ir::AutoRule::GlobalPool: return role == "result" || role == "accum";
    case ir::AutoRule::Activation: {
      if (role != "result") return false;
      std::string fn = n.attr.value("fn", "");
      return is_bounded01(fn) || is_bounded11(fn) || is_relu_like(fn);
    }
    default: return false;
  }
}

void infer_precisions(ir::Graph& g, const Config& cfg, std::ostream& log) {
  bool any = false;
  for (const auto& np : g.nodes())
    for (const auto& [role, p] : np->types) any |= p.is_auto();
  if (!any) return;
  Inference(g, cfg, log).run();
}

}  // namespace kml::passes
