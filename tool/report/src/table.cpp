#include "table.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace kml::report {

std::string fmt(const json& v, int decimals) {
  if (v.is_null()) return "-";
  if (v.is_number_integer() || v.is_number_unsigned()) return std::to_string(v.get<long long>());
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
    return buf;
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.dump();
}

std::string percent(const json& used, const json& available) {
  if (!used.is_number() || !available.is_number() || available.get<double>() <= 0.0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * used.get<double>() / available.get<double>());
  return buf;
}

const json& at(const json& j, std::initializer_list<const char*> path) {
  static const json null_value = nullptr;
  const json* cur = &j;
  for (const char* key : path) {
    if (!cur->is_object() || !cur->contains(key)) return null_value;
    cur = &(*cur)[key];
  }
  return *cur;
}

namespace {

std::string range(const json& lo, const json& hi) {
  if (lo == hi) return fmt(lo);
  return fmt(lo) + " .. " + fmt(hi);
}

}  // namespace

void print_rows(std::ostream& os, const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    os << line << '\n';
  }
}

void print_model(std::ostream& os, const json& r) {
  const json& cs = at(r, {"csynth"});
  os << "kml report: " << fmt(at(r, {"name"}));
  if (!cs.is_null()) os << " (top " << fmt(at(cs, {"top"})) << ", part " << fmt(at(cs, {"part"})) << ")";
  os << '\n';

  std::vector<std::vector<std::string>> info;
  std::string hls;
  for (const char* key : {"flow", "version"}) {
    const json& v = at(r, {"tools", "hls", key});
    if (v.is_null() || (v.is_string() && v.get<std::string>().empty())) continue;
    hls += (hls.empty() ? "" : " ") + fmt(v);
  }
  if (hls.empty()) hls = "-";
  info.push_back({"HLS tool", hls});
  if (!cs.is_null()) {
    info.push_back({"clock", fmt(at(cs, {"clock", "target_ns"})) + " ns target, " +
                                 fmt(at(cs, {"clock", "estimated_ns"})) + " ns estimated, " +
                                 fmt(at(cs, {"clock", "uncertainty_ns"})) + " ns uncertainty"});
    info.push_back({"latency", range(at(cs, {"latency", "best"}), at(cs, {"latency", "worst"})) + " cycles (" +
                                   range(at(cs, {"latency", "best_ns"}), at(cs, {"latency", "worst_ns"})) + " ns)"});
    info.push_back({"interval (II)", range(at(cs, {"interval", "min"}), at(cs, {"interval", "max"}))});
  }
  const json& co = at(r, {"cosim"});
  if (co.is_null()) {
    info.push_back({"co-simulation", "not run"});
  } else {
    info.push_back({"co-simulation", fmt(at(co, {"status"})) + " (" + fmt(at(co, {"rtl"})) + "), latency " +
                                         fmt(at(co, {"latency", "min"})) + "/" + fmt(at(co, {"latency", "average"})) +
                                         "/" + fmt(at(co, {"latency", "max"})) + ", interval " +
                                         fmt(at(co, {"interval", "min"})) + "/" +
                                         fmt(at(co, {"interval", "average"})) + "/" +
                                         fmt(at(co, {"interval", "max"}))});
  }
  const json& sim = at(r, {"csim"});
  if (!sim.is_null()) {
    std::string text = fmt(at(sim, {"samples"})) + " samples";
    const json& agree = at(sim, {"argmax_agreement"});
    if (agree.is_number()) text += ", argmax agreement " + percent(agree, json(1.0));
    const json& err = at(sim, {"max_abs_error"});
    if (err.is_number()) text += ", max abs error " + fmt(err, 6);
    info.push_back({"C simulation", text});
  }
  const json& steps = at(r, {"steps"});
  if (steps.is_object())
    for (const auto& [step, rec] : steps.items()) {
      std::string text = fmt(at(rec, {"tool"}));
      if (!at(rec, {"launcher"}).is_null()) text += " via " + fmt(at(rec, {"launcher"}));
      text += ": queued " + fmt(at(rec, {"queued_s"})) + " s, ran " + fmt(at(rec, {"ran_s"})) + " s";
      if (at(rec, {"exit_code"}) != json(0)) text += ", FAILED (" + fmt(at(rec, {"exit_code"})) + ")";
      info.push_back({"step " + step, text});
    }
  const json& vt = at(r, {"vivado", "timing"});
  if (!vt.is_null())
    info.push_back({"Vivado timing", "WNS " + fmt(at(vt, {"wns_ns"})) + " ns, TNS " + fmt(at(vt, {"tns_ns"})) +
                                         " ns" + (at(vt, {"met"}) == json(true) ? " (met)" : " (NOT met)")});
  print_rows(os, info, "  ");

  const json& vr = at(r, {"vivado", "resources"});
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head = {"resource", "HLS estimate", "available", "util"};
  if (!vr.is_null()) head.insert(head.end(), {"Vivado synth", "available", "util"});
  table.push_back(head);
  for (const char* res : kResources) {
    const json& h = at(cs, {"resources", res});
    std::vector<std::string> row = {res, fmt(at(h, {"used"})), fmt(at(h, {"available"})),
                                    percent(at(h, {"used"}), at(h, {"available"}))};
    if (!vr.is_null()) {
      const json& v = at(vr, {res});
      row.insert(row.end(), {fmt(at(v, {"used"})), fmt(at(v, {"available"})),
                             percent(at(v, {"used"}), at(v, {"available"}))});
    }
    table.push_back(row);
  }
  print_rows(os, table, "  ");
}

void print_summary(std::ostream& os, const std::vector<json>& reports) {
  std::vector<std::vector<std::string>> table;
  table.push_back({"model", "part", "clock(ns)", "est.(ns)", "latency", "II", "LUT", "FF", "DSP", "BRAM_18K", "URAM",
                   "source", "cosim"});
  for (const json& r : reports) {
    const json& cs = at(r, {"csynth"});
    const json& vr = at(r, {"vivado", "resources"});
    const bool use_vivado = !vr.is_null();
    std::vector<std::string> row = {fmt(at(r, {"name"})),
                                    fmt(at(cs, {"part"})),
                                    fmt(at(cs, {"clock", "target_ns"})),
                                    fmt(at(cs, {"clock", "estimated_ns"})),
                                    fmt(at(cs, {"latency", "worst"})),
                                    fmt(at(cs, {"interval", "max"}))};
    for (const char* res : kResources) {
      const json& e = use_vivado ? at(vr, {res}) : at(cs, {"resources", res});
      const std::string pct = percent(at(e, {"used"}), at(e, {"available"}));
      row.push_back(fmt(at(e, {"used"})) + (pct == "-" ? "" : " (" + pct + ")"));
    }
    row.push_back(use_vivado ? "vivado" : "hls");
    const json& co = at(r, {"cosim"});
    row.push_back(co.is_null() ? "-" : fmt(at(co, {"status"})));
    table.push_back(row);
  }
  print_rows(os, table, "");
}

}  // namespace kml::report
