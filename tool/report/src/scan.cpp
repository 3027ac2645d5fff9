#include "scan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "table.h"
#include "util/html.h"

namespace fs = std::filesystem;

namespace kml::report {

std::vector<bool> pareto_front(const std::vector<XY>& p) {
  std::vector<bool> optimal(p.size(), false);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!p[i].valid) continue;
    bool dominated = false;
    for (std::size_t j = 0; j < p.size() && !dominated; ++j) {
      if (j == i || !p[j].valid) continue;
      const bool as_good = p[j].x <= p[i].x && p[j].y >= p[i].y;
      const bool better = p[j].x < p[i].x || p[j].y > p[i].y;
      dominated = as_good && better;
    }
    optimal[i] = !dominated;
  }
  return optimal;
}

namespace {

using kml::html_escape;  // util/html.h, shared with kml-convert profile

std::string num(double v, int decimals = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

bool number(const json& v, double& out) {
  if (!v.is_number()) return false;
  out = v.get<double>();
  return std::isfinite(out);
}

// A resource figure as the reports give it: {"used": N, ...} or a plain number.
json used_of(const json& v) {
  if (v.is_number()) return v;
  if (v.is_object() && v.contains("used")) return v["used"];
  return nullptr;
}

// The results of one point, from its report.json (null members where a report is missing).
json point_results(const json& r) {
  json res = json::object();
  const json& sim = at(r, {"csim"});
  res["csim"] = sim.is_object() ? json{{"samples", at(sim, {"samples"})},
                                       {"argmax_agreement", at(sim, {"argmax_agreement"})},
                                       {"max_abs_error", at(sim, {"max_abs_error"})},
                                       {"mean_abs_error", at(sim, {"mean_abs_error"})}}
                                : json(nullptr);
  const json& cs = at(r, {"csynth"});
  res["latency"] = cs.is_object() ? json{{"best", at(cs, {"latency", "best"})},
                                         {"worst", at(cs, {"latency", "worst"})},
                                         {"worst_ns", at(cs, {"latency", "worst_ns"})},
                                         {"interval", at(cs, {"interval", "max"})}}
                                  : json(nullptr);
  // Resources: Vivado's post-synthesis numbers, else the HLS estimate, else an RTL report's.
  json resources = nullptr;
  const json& vr = at(r, {"vivado", "resources"});
  const json& hr = at(cs, {"resources"});
  const json& rr = at(r, {"rtl", "resources"});
  const char* source = nullptr;
  const json* from = nullptr;
  if (vr.is_object()) from = &vr, source = "vivado";
  else if (hr.is_object()) from = &hr, source = "hls";
  else if (rr.is_object()) from = &rr, source = "rtl";
  if (from) {
    resources = json::object();
    for (const char* k : kResources) resources[k] = from->contains(k) ? used_of((*from)[k]) : json(nullptr);
    resources["source"] = source;
  }
  res["resources"] = resources;
  res["rtl"] = at(r, {"rtl"});
  return res;
}

struct Axis {
  std::string title;
  double lo = 0, hi = 1;
  double min = -1e300, max = 1e300;  // the axis never extends past these (a percentage stays in 0..100)
};

// Round tick steps (1, 2, 5 x 10^k) covering [lo, hi], and the axis widened to them.
std::vector<double> ticks(Axis& a) {
  // A margin around the points, so that none sits on the frame.
  const double pad = a.hi - a.lo < 1e-12 ? std::max(std::fabs(a.lo) * 0.1, 1e-3) : 0.06 * (a.hi - a.lo);
  a.lo = std::max(a.lo - pad, a.min);
  a.hi = std::min(a.hi + pad, a.max);
  const double raw = (a.hi - a.lo) / 5;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  a.lo = std::max(std::floor(a.lo / step) * step, a.min);
  a.hi = std::min(std::ceil(a.hi / step) * step, a.max);
  std::vector<double> t;
  for (double v = a.lo; v <= a.hi + step * 1e-9; v += step) t.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return t;
}

struct PlotPoint {
  std::string name, label, tip;
  XY xy;
  bool optimal = false;
};

// One scatter plot as an inline SVG.  Pareto-optimal points are filled red (#d62728), the others blue
// (#1f77b4); a grey dashed line joins the front.
std::string svg_plot(const std::string& id, const std::string& caption, Axis xa, Axis ya,
                     const std::vector<PlotPoint>& pts) {
  const int W = 640, H = 400, L = 80, R = 24, T = 36, B = 56;
  std::ostringstream s;
  s << "<svg id=\"" << id << "\" class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
    << "\" viewBox=\"0 0 " << W << ' ' << H << "\" role=\"img\" aria-label=\"" << html_escape(caption) << "\">\n"
    << "<rect x=\"0\" y=\"0\" width=\"" << W << "\" height=\"" << H << "\" fill=\"#ffffff\"/>\n"
    << "<text x=\"" << W / 2 << "\" y=\"22\" text-anchor=\"middle\" class=\"caption\">" << html_escape(caption) << "</text>\n";
  std::vector<const PlotPoint*> valid;
  for (const auto& p : pts)
    if (p.xy.valid) valid.push_back(&p);
  if (valid.empty()) {
    s << "<text x=\"" << W / 2 << "\" y=\"" << H / 2 << "\" text-anchor=\"middle\" class=\"empty\">no point has both "
      << html_escape(xa.title) << " and " << html_escape(ya.title) << " yet</text>\n</svg>\n";
    return s.str();
  }
  xa.lo = xa.hi = valid.front()->xy.x;
  ya.lo = ya.hi = valid.front()->xy.y;
  for (const auto* p : valid) {
    xa.lo = std::min(xa.lo, p->xy.x), xa.hi = std::max(xa.hi, p->xy.x);
    ya.lo = std::min(ya.lo, p->xy.y), ya.hi = std::max(ya.hi, p->xy.y);
  }
  const std::vector<double> xt = ticks(xa), yt = ticks(ya);
  auto px = [&](double x) { return L + (x - xa.lo) / (xa.hi - xa.lo) * (W - L - R); };
  auto py = [&](double y) { return H - B - (y - ya.lo) / (ya.hi - ya.lo) * (H - T - B); };
  s << "<g class=\"grid\" stroke=\"#e6e6e6\" shape-rendering=\"crispEdges\">\n";
  for (double v : xt) s << "<line x1=\"" << num(px(v)) << "\" y1=\"" << T << "\" x2=\"" << num(px(v)) << "\" y2=\"" << H - B << "\"/>\n";
  for (double v : yt) s << "<line x1=\"" << L << "\" y1=\"" << num(py(v)) << "\" x2=\"" << W - R << "\" y2=\"" << num(py(v)) << "\"/>\n";
  s << "</g>\n<g class=\"axes\" stroke=\"#333333\" shape-rendering=\"crispEdges\">\n"
    << "<line x1=\"" << L << "\" y1=\"" << H - B << "\" x2=\"" << W - R << "\" y2=\"" << H - B << "\"/>\n"
    << "<line x1=\"" << L << "\" y1=\"" << T << "\" x2=\"" << L << "\" y2=\"" << H - B << "\"/>\n</g>\n"
    << "<g class=\"ticks\" font-size=\"11\" fill=\"#333333\">\n";
  for (double v : xt)
    s << "<text x=\"" << num(px(v)) << "\" y=\"" << H - B + 16 << "\" text-anchor=\"middle\">" << num(v, 4) << "</text>\n";
  for (double v : yt)
    s << "<text x=\"" << L - 6 << "\" y=\"" << num(py(v) + 4) << "\" text-anchor=\"end\">" << num(v, 4) << "</text>\n";
  s << "</g>\n"
    << "<text x=\"" << (L + W - R) / 2 << "\" y=\"" << H - 14 << "\" text-anchor=\"middle\" class=\"axis-title\">"
    << html_escape(xa.title) << "</text>\n"
    << "<text transform=\"translate(18," << (T + H - B) / 2 << ") rotate(-90)\" text-anchor=\"middle\" class=\"axis-title\">"
    << html_escape(ya.title) << "</text>\n";
  // The front, ordered by x.
  std::vector<const PlotPoint*> front;
  for (const auto* p : valid)
    if (p->optimal) front.push_back(p);
  std::sort(front.begin(), front.end(), [](const PlotPoint* a, const PlotPoint* b) { return a->xy.x < b->xy.x; });
  if (front.size() > 1) {
    s << "<polyline class=\"front\" fill=\"none\" stroke=\"#999999\" stroke-width=\"1.5\" stroke-dasharray=\"5,4\" points=\"";
    for (const auto* p : front) s << num(px(p->xy.x)) << ',' << num(py(p->xy.y)) << ' ';
    s << "\"/>\n";
  }
  for (const auto* p : valid) {
    s << "<g class=\"point" << (p->optimal ? " pareto" : "") << "\" data-name=\"" << html_escape(p->name) << "\">"
      << "<circle cx=\"" << num(px(p->xy.x)) << "\" cy=\"" << num(py(p->xy.y)) << "\" r=\"7\" fill=\""
      << (p->optimal ? "#d62728" : "#1f77b4") << "\"><title>" << html_escape(p->tip) << "</title></circle>"
      << "<text x=\"" << num(px(p->xy.x) + 9) << "\" y=\"" << num(py(p->xy.y) - 8) << "\" font-size=\"11\" fill=\"#333333\">"
      << html_escape(p->label) << "</text></g>\n";
  }
  s << "</svg>\n";
  return s.str();
}

std::string settings_text(const json& settings) {
  std::string t;
  for (const auto& [k, v] : settings.items()) t += (t.empty() ? "" : " ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
  return t;
}

}  // namespace

int run_scan(const std::string& points_file, const std::string& out, const std::string& html, bool quiet) {
  json scan = read_json(points_file);
  if (!scan.contains("points") || !scan["points"].is_array())
    throw ReportError(points_file + ": not a kml scan points file (no \"points\" array)");
  json& points = scan["points"];
  const std::size_t n = points.size();

  // Per point: its results, from its report.json when there is one.
  for (json& p : points) {
    json report = nullptr;
    const std::string rf = p.value("report", "");
    std::error_code ec;
    if (!rf.empty() && fs::exists(rf, ec)) report = read_json(rf);
    p["results"] = report.is_null() ? json(nullptr) : point_results(report);
  }

  // Accuracy: argmax agreement with the reference when every simulated point has it, else the max error.
  bool all_argmax = true, any_sim = false;
  for (const json& p : points) {
    const json& a = at(p, {"results", "csim", "argmax_agreement"});
    if (at(p, {"results", "csim"}).is_object()) any_sim = true;
    if (at(p, {"results", "csim"}).is_object() && !a.is_number()) all_argmax = false;
  }
  const bool use_argmax = any_sim && all_argmax;
  const std::string acc_key = use_argmax ? "argmax_agreement" : "max_abs_error";
  const std::string acc_title = use_argmax ? "argmax agreement with the reference (%)"
                                           : "max abs error vs the reference (lower is better)";
  auto accuracy = [&](const json& p, double& y) {
    if (!number(at(p, {"results", "csim", acc_key.c_str()}), y)) return false;
    y = use_argmax ? 100.0 * y : -y;  // maximized
    return true;
  };

  std::vector<XY> by_res(n), by_lat(n);
  for (std::size_t i = 0; i < n; ++i) {
    double y, x;
    if (accuracy(points[i], y)) {
      if (number(at(points[i], {"results", "resources", "LUT"}), x)) by_res[i] = {true, x, y};
      if (number(at(points[i], {"results", "latency", "worst"}), x)) by_lat[i] = {true, x, y};
    }
  }
  const std::vector<bool> opt_res = pareto_front(by_res), opt_lat = pareto_front(by_lat);
  for (std::size_t i = 0; i < n; ++i)
    points[i]["pareto"] = {{"resources", by_res[i].valid ? json(bool(opt_res[i])) : json(nullptr)},
                           {"latency", by_lat[i].valid ? json(bool(opt_lat[i])) : json(nullptr)}};
  scan["kml_report_schema"] = 1;
  scan["metrics"] = {{"accuracy", acc_key}, {"resources", "LUT"}, {"latency", "csynth worst-case cycles"}};
  if (!out.empty()) write_json_atomically(out, scan);

  // Table.
  std::vector<std::string> vary;
  for (const json& v : scan.value("vary", json::array())) vary.push_back(v.value("key", ""));
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"point"};
  head.insert(head.end(), vary.begin(), vary.end());
  head.insert(head.end(), {"argmax", "max err", "latency", "II", "LUT", "FF", "DSP", "BRAM_18K", "from", "pareto"});
  rows.push_back(head);
  for (std::size_t i = 0; i < n; ++i) {
    const json& p = points[i];
    std::vector<std::string> row = {p.value("name", "")};
    for (const auto& k : vary) {
      const json& v = at(p, {"settings", k.c_str()});
      row.push_back(v.is_string() ? v.get<std::string>() : fmt(v));
    }
    const json& r = at(p, {"results"});
    row.push_back(percent(at(r, {"csim", "argmax_agreement"}), json(1.0)));
    row.push_back(fmt(at(r, {"csim", "max_abs_error"}), 5));
    row.push_back(fmt(at(r, {"latency", "worst"})));
    row.push_back(fmt(at(r, {"latency", "interval"})));
    for (const char* k : {"LUT", "FF", "DSP", "BRAM_18K"}) row.push_back(fmt(at(r, {"resources", k})));
    row.push_back(fmt(at(r, {"resources", "source"})));
    std::string mark;
    if (at(p, {"pareto", "resources"}) == json(true)) mark += "R";
    if (at(p, {"pareto", "latency"}) == json(true)) mark += "L";
    row.push_back(mark.empty() ? "-" : mark);
    rows.push_back(row);
  }
  if (!quiet) {
    std::cout << "kml scan: " << scan.value("name", "") << " (" << n << " points; pareto: R = accuracy vs LUT, "
              << "L = accuracy vs latency)\n";
    print_rows(std::cout, rows, "  ");
  }

  if (!html.empty()) {
    std::vector<PlotPoint> res_pts(n), lat_pts(n);
    for (std::size_t i = 0; i < n; ++i) {
      const json& p = points[i];
      const std::string name = p.value("name", "");
      std::string label = name;
      const std::string prefix = scan.value("name", "") + "_";
      if (label.rfind(prefix, 0) == 0) label = label.substr(prefix.size());
      const std::string tip = name + ": " + settings_text(p.value("settings", json::object()));
      res_pts[i] = {name, label, tip, by_res[i], bool(opt_res[i])};
      lat_pts[i] = {name, label, tip, by_lat[i], bool(opt_lat[i])};
    }
    const Axis y_axis = use_argmax ? Axis{"argmax agreement (%)", 0, 1, 0, 100} : Axis{"-(max abs error)", 0, 1, -1e300, 0};
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>kml scan "
      << html_escape(scan.value("name", "")) << "</title>\n<style>\n"
      << "body { font-family: sans-serif; margin: 24px; color: #222; }\n"
      << "table { border-collapse: collapse; margin-top: 16px; }\n"
      << "th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }\n"
      << "th { background: #f3f3f3; } td.name { text-align: left; }\n"
      << "tr.pareto td { font-weight: bold; }\n"
      << "figure { display: inline-block; margin: 8px 16px 8px 0; }\n"
      << ".caption { font-size: 14px; font-weight: bold; } .axis-title { font-size: 12px; }\n"
      << "</style>\n</head>\n<body>\n<h1>kml design-space scan: " << html_escape(scan.value("name", "")) << "</h1>\n"
      << "<p>Model <code>" << html_escape(scan.value("model", "")) << "</code>, configuration <code>"
      << html_escape(scan.value("config", "")) << "</code>, " << n << " points. Accuracy: "
      << html_escape(acc_title) << ", from the C simulation of the test data. Resources: Vivado's post-synthesis "
      << "numbers where they exist, else the HLS estimate, else the RTL report. Red: Pareto-optimal (no other "
      << "point is at least as accurate and at least as small or fast); blue: dominated.</p>\n"
      << "<figure>\n" << svg_plot("plot-resources", "accuracy vs resources (LUT)", {"LUT", 0, 1, 0}, y_axis, res_pts)
      << "</figure>\n<figure>\n"
      << svg_plot("plot-latency", "accuracy vs latency", {"latency (cycles, worst case)", 0, 1, 0}, y_axis, lat_pts)
      << "</figure>\n<table id=\"points\">\n<tr>";
    for (const auto& c : rows.front()) h << "<th>" << html_escape(c) << "</th>";
    h << "</tr>\n";
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const bool optimal = rows[i].back() != "-";
      h << "<tr" << (optimal ? " class=\"pareto\"" : "") << ">";
      for (std::size_t c = 0; c < rows[i].size(); ++c)
        h << "<td" << (c == 0 ? " class=\"name\"" : "") << ">" << html_escape(rows[i][c]) << "</td>";
      h << "</tr>\n";
    }
    h << "</table>\n</body>\n</html>\n";
    const fs::path tmp = fs::path(html).string() + ".tmp";
    if (fs::path(html).has_parent_path()) fs::create_directories(fs::path(html).parent_path());
    {
      std::ofstream os(tmp, std::ios::binary | std::ios::trunc);
      os << h.str();
      if (!os.flush()) throw ReportError(tmp.string() + ": cannot write");
    }
    fs::rename(tmp, html);
    if (!quiet) std::cout << "kml scan: page " << html << "\n";
  }
  return 0;
}

}  // namespace kml::report
