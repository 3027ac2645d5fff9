#include "profile.h"
#include "ir/op.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/precision.h"
#include "util/error.h"
#include "util/html.h"
#include "util/names.h"

namespace kml {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Percentiles reported (and drawn: 25/50/75 make the box).
constexpr double kPercentiles[] = {1, 5, 25, 50, 75, 95, 99};

struct Stats {
  std::size_t count = 0, zeros = 0;
  double min = 0, max = 0;
  std::vector<double> pct;  // of the values, at kPercentiles
  // Of |v| over the non-zero values (the log2 box plot): min, 25 %, 50 %, 75 %, max.
  std::size_t nonzero = 0;
  double amin = 0, a25 = 0, a50 = 0, a75 = 0, amax = 0;
};

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank.
  std::size_t k = static_cast<std::size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::min(sorted.size() - 1, k ? k - 1 : 0)];
}

Stats stats_of(std::vector<double> v) {
  Stats s;
  s.count = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  for (double p : kPercentiles) s.pct.push_back(percentile(v, p));
  std::vector<double> a;
  for (double x : v) {
    if (x == 0) ++s.zeros;
    else a.push_back(std::fabs(x));
  }
  std::sort(a.begin(), a.end());
  s.nonzero = a.size();
  if (!a.empty()) {
    s.amin = a.front();
    s.amax = a.back();
    s.a25 = percentile(a, 25);
    s.a50 = percentile(a, 50);
    s.a75 = percentile(a, 75);
  }
  return s;
}

struct TypeRange {
  bool fixed = false;
  double lo = 0, hi = 0, lsb = 0;
  bool saturates = false;
};

TypeRange range_of(const Precision& p) {
  TypeRange r;
  if (p.kind != Precision::Kind::Fixed) return r;
  r.fixed = true;
  r.lsb = std::ldexp(1.0, -p.fractional());
  if (p.is_signed) {
    r.lo = -std::ldexp(1.0, p.integer - 1);
    r.hi = std::ldexp(1.0, p.integer - 1) - r.lsb;
  } else {
    r.lo = 0;
    r.hi = std::ldexp(1.0, p.integer) - r.lsb;
  }
  if (p.overflow == "AP_SAT_SYM" && p.is_signed) r.lo = -r.hi;
  r.saturates = p.overflow.rfind("AP_SAT", 0) == 0;
  return r;
}

// The smallest ap_fixed (ap_ufixed when the type is unsigned and no value is negative) that holds [min, max] at
// the type's LSB, with its rounding and overflow modes.
std::string suggest(const Precision& p, double min, double max) {
  if (p.kind != Precision::Kind::Fixed) return "";
  const int f = p.fractional();
  const double lsb = std::ldexp(1.0, -f);
  const bool is_signed = p.is_signed || min < 0;
  int i = 1 - f;  // W = I + F >= 1
  for (; i < 128; ++i) {
    const double lo = is_signed ? -std::ldexp(1.0, i - 1) : 0;
    const double hi = (is_signed ? std::ldexp(1.0, i - 1) : std::ldexp(1.0, i)) - lsb;
    if (min >= lo && max <= hi) break;
  }
  Precision q = p;
  q.is_signed = is_signed;
  q.integer = i;
  q.width = i + f;
  return q.cpp();
}

// The role of a weight tensor, by its name (kernel, bias, ...), among the node's precision roles.
std::string weight_role(const ir::Node& n, const std::string& key) {
  std::string role;
  if (n.types.count(key)) role = key;
  else if (key.find("recurrent_kernel") != std::string::npos) role = "recurrent_weight";
  else if (key.find("kernel") != std::string::npos || key == "embeddings") role = "weight";
  else if (key.find("bias") != std::string::npos || key == "beta") role = "bias";
  else if (key == "gamma") role = "scale";
  return n.types.count(role) ? role : "";
}

// The values of a trace file (<dir>/<node stem>.dat), empty when there is none.
std::vector<double> read_trace(const std::string& dir, const ir::Node& n) {
  std::vector<double> v;
  if (dir.empty()) return v;
  const fs::path p = fs::path(dir) / (names::file_stem(n.name) + ".dat");
  std::ifstream in(p);
  if (!in) return v;
  double x;
  while (in >> x) v.push_back(x);
  if (!in.eof()) throw file_error(p.string(), "not a trace file (numbers, one line per sample)");
  const std::size_t size = ir::shape_size(n.shape);
  if (size && v.size() % size) throw file_error(p.string(), "holds " + std::to_string(v.size()) + " values, not samples of " +
                                                               std::to_string(size));
  return v;
}

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

struct Entry {
  std::string role, source, type;
  Stats s;
  TypeRange t;
  std::size_t overflows = 0, underflows = 0;
  std::string suggested;
  bool has_fixed = false;
  Stats fixed;
  double fixed_error_lsb = -1;  // max |fixed - float| in LSBs
};

struct Layer {
  const ir::Node* node;
  std::vector<Entry> entries;
  bool overflow() const {
    for (const auto& e : entries)
      if (e.overflows) return true;
    return false;
  }
};

Entry make_entry(const std::string& role, const std::string& source, const Precision& p, const std::vector<double>& v) {
  Entry e;
  e.role = role;
  e.source = source;
  e.type = p.cpp();
  e.s = stats_of(v);
  e.t = range_of(p);
  if (e.t.fixed) {
    for (double x : v) {
      if (x < e.t.lo || x > e.t.hi) ++e.overflows;
      else if (x != 0 && std::fabs(x) < e.t.lsb) ++e.underflows;
    }
    if (!v.empty()) e.suggested = suggest(p, e.s.min, e.s.max);
  }
  return e;
}

json stats_json(const Stats& s) {
  json j = {{"count", s.count}, {"zeros", s.zeros}, {"min", s.min}, {"max", s.max}};
  json p = json::object();
  for (std::size_t k = 0; k < s.pct.size(); ++k) p["p" + fmt(kPercentiles[k])] = s.pct[k];
  j["percentiles"] = p;
  j["abs_nonzero"] = {{"count", s.nonzero}, {"min", s.amin}, {"p25", s.a25}, {"p50", s.a50}, {"p75", s.a75}, {"max", s.amax}};
  return j;
}

std::string text_table(const std::vector<Layer>& layers) {
  std::vector<std::vector<std::string>> rows = {
      {"layer", "role", "type", "min", "max", "|v| p50", "type range", "LSB", "overflow", "< LSB", "suggested", "fixed err"}};
  for (const auto& l : layers)
    for (const auto& e : l.entries) {
      std::string range = e.t.fixed ? "[" + fmt(e.t.lo) + ", " + fmt(e.t.hi) + "]" : "float";
      std::string over = e.t.fixed ? std::to_string(e.overflows) + (e.overflows ? (e.t.saturates ? " sat" : " wrap") : "") : "-";
      rows.push_back({l.node->name, e.role, e.type, fmt(e.s.min), fmt(e.s.max), fmt(e.s.a50), range,
                      e.t.fixed ? fmt(e.t.lsb) : "-", over, e.t.fixed ? std::to_string(e.underflows) : "-",
                      e.suggested.empty() ? "-" : e.suggested,
                      e.fixed_error_lsb >= 0 ? fmt(e.fixed_error_lsb) + " LSB" : "-"});
    }
  std::vector<std::size_t> w(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], r[c].size());
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      std::string cell = r[c];
      cell.resize(w[c], ' ');
      line += (c ? "  " : "") + cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// ---- the HTML page: one SVG per layer, one box per role on a common log2 axis of |value|.
std::string html_page(const std::string& title, std::size_t samples, const std::vector<Layer>& layers,
                      const std::string& table) {
  // The axis: every non-zero |value| and every fixed type's range, in whole powers of two.
  double lo = 0, hi = 0;
  bool any = false;
  auto take = [&](double a) {
    if (!(a > 0) || !std::isfinite(a)) return;
    const double e = std::log2(a);
    lo = any ? std::min(lo, e) : e;
    hi = any ? std::max(hi, e) : e;
    any = true;
  };
  for (const auto& l : layers)
    for (const auto& e : l.entries) {
      take(e.s.amin);
      take(e.s.amax);
      if (e.t.fixed) {
        take(e.t.lsb);
        take(std::max(std::fabs(e.t.lo), e.t.hi));
      }
    }
  if (!any) lo = -1, hi = 1;
  lo = std::floor(lo) - 1;
  hi = std::ceil(hi) + 1;
  lo = std::max(lo, -64.0);
  hi = std::min(hi, 64.0);
  const double W = 900, left = 210, right = 20, row = 26, top = 10;
  auto X = [&](double a) {
    const double e = a > 0 ? std::clamp(std::log2(a), lo, hi) : lo;
    return left + (e - lo) / (hi - lo) * (W - left - right);
  };
  std::ostringstream h;
  std::size_t n_over = 0;
  for (const auto& l : layers) n_over += l.overflow();
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << html_escape(title)
    << " - numerical profile</title>\n<style>\n"
    << "body { font-family: sans-serif; margin: 1.5em; color: #222; }\n"
    << "section.layer { border: 1px solid #ccc; border-radius: 4px; margin: 0.6em 0; padding: 0.3em 0.6em; }\n"
    << "section.layer.overflow { border-color: #d62728; background: #fff0f0; }\n"
    << "section.layer h2 { font-size: 1em; margin: 0.2em 0; }\n"
    << "section.layer.overflow h2::after { content: \"  overflow\"; color: #d62728; }\n"
    << "svg.plot { display: block; }\n"
    << "svg text { font-size: 11px; }\n"
    << ".range { fill: #2ca02c; fill-opacity: 0.18; stroke: #2ca02c; stroke-width: 1; }\n"
    << ".whisker { stroke: #1f77b4; stroke-width: 1.5; }\n"
    << ".iqr { fill: #1f77b4; fill-opacity: 0.55; stroke: #1f77b4; }\n"
    << ".median { stroke: #000; stroke-width: 2; }\n"
    << "g.box.overflow .iqr { fill: #d62728; stroke: #d62728; }\n"
    << "g.box.overflow .whisker { stroke: #d62728; }\n"
    << ".tick { stroke: #ddd; }\n"
    << "table { border-collapse: collapse; font-size: 12px; }\n"
    << "pre { font-size: 11px; background: #f6f6f6; padding: 0.5em; overflow-x: auto; }\n"
    << "#errors { color: #d62728; }\n#errors:empty { display: none; }\n"
    << "</style>\n</head>\n<body>\n"
    << "<h1>" << html_escape(title) << ": numerical profile</h1>\n"
    << "<p>" << layers.size() << " layers, " << samples << " samples of the test data. Per layer and role: |value| in "
    << "log2 scale (whiskers: smallest and largest non-zero |value|, box: 25 % to 75 %, black: median) over the "
    << "range of its configured type (green: from its LSB to its largest magnitude). Weights and biases are the "
    << "model's; results and accumulators are the float emulation's. Layers with values outside their type's range "
    << "are red (" << n_over << " here).</p>\n"
    << "<p id=\"status\">static page</p>\n<pre id=\"errors\"></pre>\n";
  std::size_t k = 0;
  for (const auto& l : layers) {
    const ir::Node& n = *l.node;
    const double H = top + row * l.entries.size() + 24;
    h << "<section class=\"layer" << (l.overflow() ? " overflow" : "") << "\" id=\"layer-" << k++ << "\">\n<h2>"
      << html_escape(n.name) << " <small>(" << html_escape(n.keras_class) << " '" << html_escape(n.keras_name)
      << "')</small></h2>\n"
      << "<svg class=\"plot\" data-layer=\"" << html_escape(n.name) << "\" width=\"" << W << "\" height=\"" << H
      << "\" viewBox=\"0 0 " << W << ' ' << H << "\" role=\"img\" aria-label=\"" << html_escape(n.name) << "\">\n";
    const double axis_y = top + row * l.entries.size() + 4;
    for (int e = static_cast<int>(lo); e <= static_cast<int>(hi); ++e) {
      const double x = X(std::ldexp(1.0, e));
      h << "<line class=\"tick\" x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << axis_y << "\"/>";
      if (e % 4 == 0)
        h << "<text x=\"" << x << "\" y=\"" << axis_y + 14 << "\" text-anchor=\"middle\">2^" << e << "</text>";
    }
    h << "\n";
    for (std::size_t r = 0; r < l.entries.size(); ++r) {
      const Entry& e = l.entries[r];
      const double y = top + row * r, mid = y + row / 2;
      std::string tip = e.role + " (" + e.source + "), " + e.type + ": min " + fmt(e.s.min) + ", max " + fmt(e.s.max);
      if (e.t.fixed)
        tip += "; range [" + fmt(e.t.lo) + ", " + fmt(e.t.hi) + "], LSB " + fmt(e.t.lsb) + "; " +
               std::to_string(e.overflows) + " overflow, " + std::to_string(e.underflows) + " below the LSB; suggested " +
               e.suggested;
      h << "<g class=\"box" << (e.overflows ? " overflow" : "") << "\" data-role=\"" << html_escape(e.role) << "\"><title>"
        << html_escape(tip) << "</title>";
      h << "<text x=\"4\" y=\"" << mid + 4 << "\">" << html_escape(e.role + "  " + e.type) << "</text>";
      if (e.t.fixed)
        h << "<rect class=\"range\" x=\"" << X(e.t.lsb) << "\" y=\"" << y + 3 << "\" width=\""
          << std::max(1.0, X(std::max(std::fabs(e.t.lo), e.t.hi)) - X(e.t.lsb)) << "\" height=\"" << row - 6 << "\"/>";
      if (e.s.nonzero) {
        h << "<line class=\"whisker\" x1=\"" << X(e.s.amin) << "\" y1=\"" << mid << "\" x2=\"" << X(e.s.amax) << "\" y2=\""
          << mid << "\"/>";
        h << "<rect class=\"iqr\" x=\"" << X(e.s.a25) << "\" y=\"" << y + 7 << "\" width=\""
          << std::max(1.0, X(e.s.a75) - X(e.s.a25)) << "\" height=\"" << row - 14 << "\"/>";
        h << "<line class=\"median\" x1=\"" << X(e.s.a50) << "\" y1=\"" << y + 6 << "\" x2=\"" << X(e.s.a50) << "\" y2=\""
          << y + row - 6 << "\"/>";
      } else {
        h << "<text x=\"" << left << "\" y=\"" << mid + 4 << "\">all values zero</text>";
      }
      h << "</g>\n";
    }
    h << "</svg>\n</section>\n";
  }
  h << "<h2>Table</h2>\n<pre>" << html_escape(table) << "</pre>\n"
    << "<script>\n"
    << "window.addEventListener('error', function (e) {\n"
    << "  document.getElementById('errors').textContent += 'script error: ' + e.message + '\\n';\n});\n"
    << "(function () {\n"
    << "  var plots = document.querySelectorAll('svg.plot').length, boxes = document.querySelectorAll('g.box').length;\n"
    << "  var over = document.querySelectorAll('section.layer.overflow').length;\n"
    << "  var s = document.getElementById('status');\n"
    << "  s.dataset.plots = plots; s.dataset.boxes = boxes; s.dataset.overflow = over;\n"
    << "  s.textContent = 'rendered ' + plots + ' layer plots, ' + boxes + ' boxes, ' + over + ' layers overflow';\n"
    << "})();\n</script>\n</body>\n</html>\n";
  return h.str();
}

void write_file(const fs::path& p, const std::string& text) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream o(tmp, std::ios::binary);
    o << text;
    if (!o) throw file_error(p.string(), "cannot write");
  }
  fs::rename(tmp, p);
}

}  // namespace

std::string profile(const ProfileOptions& o) {
  if (o.out_dir.empty()) throw Error("profile: no output directory given (-o DIR)");
  if (o.float_trace.empty() || !fs::is_directory(o.float_trace))
    throw file_error(o.float_trace.empty() ? "--float-trace" : o.float_trace,
                     "no trace directory of the float emulation (run the testbench of a project converted with "
                     "precision = \"float\" and trace = true)");
  if (!o.fixed_trace.empty() && !fs::is_directory(o.fixed_trace)) throw file_error(o.fixed_trace, "no such trace directory");
  LoadedModel m = load_model(o.model);
  const ir::Graph& g = m.read.graph;

  std::vector<Layer> layers;
  std::size_t samples = 0;
  std::size_t traced = 0;
  for (const auto& np : g.nodes()) {
    const ir::Node& n = *np;
    if (!ir::has_code(n)) continue;
    Layer l{&n, {}};
    std::map<std::string, std::vector<double>> by_role;
    for (const auto& [key, t] : n.weights) {
      const std::string role = weight_role(n, key);
      if (role.empty()) continue;
      auto& v = by_role[role];
      v.insert(v.end(), t.data.begin(), t.data.end());
    }
    for (const auto& [role, v] : by_role) l.entries.push_back(make_entry(role, "model weights", n.types.at(role), v));
    const std::vector<double> fv = read_trace(o.float_trace, n);
    if (!fv.empty()) {
      ++traced;
      const std::size_t size = ir::shape_size(n.shape);
      if (size) samples = std::max(samples, fv.size() / size);
      if (n.types.count("result")) {
        Entry e = make_entry("result", "float emulation", n.types.at("result"), fv);
        const std::vector<double> xv = read_trace(o.fixed_trace, n);
        if (!xv.empty() && xv.size() == fv.size()) {
          e.has_fixed = true;
          e.fixed = stats_of(xv);
          if (e.t.fixed) {
            double m = 0;
            for (std::size_t i = 0; i < xv.size(); ++i) m = std::max(m, std::fabs(xv[i] - fv[i]));
            e.fixed_error_lsb = m / e.t.lsb;
          }
        }
        l.entries.push_back(std::move(e));
      }
      // The float result of a Dense/Conv is its accumulator's value (the sum before the cast to the result type).
      if (ir::is_mac(n) && n.types.count("accum"))
        l.entries.push_back(make_entry("accum", "float emulation", n.types.at("accum"), fv));
    }
    if (!l.entries.empty()) layers.push_back(std::move(l));
  }
  if (!traced)
    throw file_error(o.float_trace, "holds no trace of this model's nodes (<node>.dat): was the float project "
                                    "converted from the same model with trace = true?");

  const std::string title = o.title.empty() ? fs::path(o.model.model).filename().string() : o.title;
  json j;
  j["model"] = fs::path(o.model.model).filename().string();
  j["samples"] = samples;
  json jl = json::array();
  for (const auto& l : layers) {
    json x = {{"layer", l.node->name}, {"keras_name", l.node->keras_name}, {"class", l.node->keras_class},
              {"op", l.node->op}, {"overflow", l.overflow()}};
    json roles = json::array();
    for (const auto& e : l.entries) {
      json r = {{"role", e.role}, {"source", e.source}, {"type", e.type}, {"values", stats_json(e.s)}};
      if (e.t.fixed) {
        r["type_min"] = e.t.lo;
        r["type_max"] = e.t.hi;
        r["lsb"] = e.t.lsb;
        r["overflow_mode"] = e.t.saturates ? "saturate" : "wrap";
        r["overflows"] = e.overflows;
        r["underflows"] = e.underflows;
        r["suggested"] = e.suggested;
      }
      if (e.has_fixed) {
        r["fixed"] = {{"values", stats_json(e.fixed)},
                      {"max_error_lsb", e.fixed_error_lsb >= 0 ? json(e.fixed_error_lsb) : json(nullptr)}};
      }
      roles.push_back(r);
    }
    x["roles"] = roles;
    jl.push_back(x);
  }
  j["layers"] = jl;
  const std::string table = text_table(layers);
  fs::create_directories(o.out_dir);
  write_file(fs::path(o.out_dir) / "profile.json", j.dump(2) + "\n");
  write_file(fs::path(o.out_dir) / "profile.txt", table);
  write_file(fs::path(o.out_dir) / "profile.html", html_page(title, samples, layers, table));
  return table;
}

}  // namespace kml
