#include "parsers.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace fs = std::filesystem;

namespace kml::report {
namespace {

std::string trim(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw ReportError(file.string() + ": cannot open the report");
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// A number at the start of `text` ("4.313", "45.000 ns", "1,234"); null for "undef", "NA", "-" or
// anything else without a leading number.
json number_or_null(const std::string& raw) {
  std::string text;
  for (char c : trim(raw))
    if (c != ',') text += c;
  if (text.empty()) return nullptr;
  const char* begin = text.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin) return nullptr;
  const std::string number(begin, static_cast<std::size_t>(end - begin));
  if (number.find_first_of(".eE") == std::string::npos) {
    // Integers stay integers in the JSON output.
    return static_cast<long long>(std::strtoll(number.c_str(), nullptr, 10));
  }
  return v;
}

// "45.000 ns", "1.2 us", "3 ms" -> nanoseconds (null when not a time).
json time_ns_or_null(const std::string& raw) {
  json v = number_or_null(raw);
  if (v.is_null()) return v;
  const std::string t = lower(trim(raw));
  double scale = 1.0;
  if (t.size() >= 2) {
    const std::string unit = t.substr(t.find_last_of("0123456789.") + 1);
    const std::string u = trim(unit);
    if (u == "us") scale = 1e3;
    else if (u == "ms") scale = 1e6;
    else if (u == "s" || u == "sec") scale = 1e9;
    else if (u == "ps") scale = 1e-3;
  }
  return v.get<double>() * scale;
}

std::string child_text(const pugi::xml_node& node, const char* path) {
  const pugi::xpath_node found = node.select_node(path);
  if (!found) return {};
  return trim(found.node().child_value());
}

json resource_entry(const pugi::xml_node& used, const pugi::xml_node& available, const char* name) {
  json entry = json::object();
  entry["used"] = used ? number_or_null(used.child(name).child_value()) : json(nullptr);
  entry["available"] = available ? number_or_null(available.child(name).child_value()) : json(nullptr);
  return entry;
}

// The first element among `names` that exists under `parent` (resource names differ between
// Vivado HLS and Vitis HLS: DSP48E vs DSP).
const char* first_present(const pugi::xml_node& parent, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (parent && parent.child(n)) return n;
  return *names.begin();
}

std::vector<std::string> split_table_row(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, '|')) cells.push_back(trim(cell));
  // A row "| a | b |" splits into "", "a", "b" (getline drops the empty tail).
  if (!cells.empty() && cells.front().empty()) cells.erase(cells.begin());
  return cells;
}

}  // namespace

fs::path find_csynth_xml(const fs::path& where) {
  std::error_code ec;
  if (fs::is_regular_file(where, ec)) return where;
  if (!fs::is_directory(where, ec))
    throw ReportError(where.string() + ": no such file or directory (expected csynth.xml or an HLS work directory)");

  const fs::path direct[] = {
      where / "syn" / "report" / "csynth.xml",         // a solution directory or unified hls/
      where / "hls" / "syn" / "report" / "csynth.xml",  // unified flow: <work_dir>/hls/...
  };
  for (const fs::path& p : direct)
    if (fs::is_regular_file(p, ec)) return p;

  // Classic flow: <dir>/<project>/<solution>/syn/report/csynth.xml, or <project>/<solution>/...
  std::vector<fs::path> found;
  for (const auto& level1 : fs::directory_iterator(where, ec)) {
    if (!level1.is_directory()) continue;
    const fs::path one = level1.path() / "syn" / "report" / "csynth.xml";
    if (fs::is_regular_file(one, ec)) found.push_back(one);
    for (const auto& level2 : fs::directory_iterator(level1.path(), ec)) {
      if (!level2.is_directory()) continue;
      const fs::path two = level2.path() / "syn" / "report" / "csynth.xml";
      if (fs::is_regular_file(two, ec)) found.push_back(two);
    }
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return found.front();
  if (found.size() > 1) {
    std::string msg = where.string() + ": several synthesis reports found, name one explicitly:";
    for (const auto& f : found) msg += "\n  " + f.string();
    throw ReportError(msg);
  }
  throw ReportError(where.string() +
                    ": no csynth.xml found (looked for syn/report/csynth.xml, hls/syn/report/csynth.xml and "
                    "<project>/<solution>/syn/report/csynth.xml); did synthesis finish?");
}

json parse_csynth_xml(const fs::path& file) {
  pugi::xml_document doc;
  const pugi::xml_parse_result ok = doc.load_file(file.c_str());
  if (!ok)
    throw ReportError(file.string() + ": not a readable XML file (" + ok.description() + ", offset " +
                      std::to_string(ok.offset) + ")");
  const pugi::xml_node profile = doc.child("profile");
  if (!profile) throw ReportError(file.string() + ": not a csynth.xml report (no <profile> root element)");

  const pugi::xml_node user = profile.child("UserAssignments");
  const pugi::xml_node perf = profile.child("PerformanceEstimates");
  const pugi::xml_node timing = perf.child("SummaryOfTimingAnalysis");
  const pugi::xml_node overall = perf.child("SummaryOfOverallLatency");
  const pugi::xml_node used = profile.child("AreaEstimates").child("Resources");
  const pugi::xml_node avail = profile.child("AreaEstimates").child("AvailableResources");
  if (!user || !perf)
    throw ReportError(file.string() + ": csynth.xml lacks <UserAssignments> or <PerformanceEstimates>");

  json out = json::object();
  const std::string version = child_text(profile, "ReportVersion/Version");
  out["tool_version"] = version.empty() ? json(nullptr) : json(version);
  out["top"] = child_text(user, "TopModelName");
  out["part"] = child_text(user, "Part");
  out["product_family"] = child_text(user, "ProductFamily");
  const std::string flow = child_text(user, "FlowTarget");
  out["flow_target"] = flow.empty() ? json(nullptr) : json(flow);

  json clock = json::object();
  clock["target_ns"] = number_or_null(child_text(user, "TargetClockPeriod"));
  clock["uncertainty_ns"] = number_or_null(child_text(user, "ClockUncertainty"));
  clock["estimated_ns"] = number_or_null(child_text(timing, "EstimatedClockPeriod"));
  out["clock"] = clock;

  json latency = json::object();
  latency["best"] = number_or_null(child_text(overall, "Best-caseLatency"));
  latency["average"] = number_or_null(child_text(overall, "Average-caseLatency"));
  latency["worst"] = number_or_null(child_text(overall, "Worst-caseLatency"));
  latency["best_ns"] = time_ns_or_null(child_text(overall, "Best-caseRealTimeLatency"));
  latency["worst_ns"] = time_ns_or_null(child_text(overall, "Worst-caseRealTimeLatency"));
  out["latency"] = latency;

  json interval = json::object();
  interval["min"] = number_or_null(child_text(overall, "Interval-min"));
  interval["max"] = number_or_null(child_text(overall, "Interval-max"));
  out["interval"] = interval;

  json resources = json::object();
  resources["LUT"] = resource_entry(used, avail, "LUT");
  resources["FF"] = resource_entry(used, avail, "FF");
  const char* dsp = first_present(used, {"DSP", "DSP48E", "DSP58E"});
  resources["DSP"] = resource_entry(used, avail, dsp);
  resources["BRAM_18K"] = resource_entry(used, avail, "BRAM_18K");
  resources["URAM"] = resource_entry(used, avail, "URAM");
  out["resources"] = resources;
  return out;
}

json parse_cosim_rpt(const fs::path& file) {
  const std::vector<std::string> lines = read_lines(file);
  // The result table has one row per RTL language:
  //   |   Verilog|      Pass|  9|  9|  9|  1|  1|  1|  73|
  // columns: RTL, Status, latency min/avg/max, interval min/avg/max, total execution cycles.
  for (const std::string& line : lines) {
    const std::vector<std::string> cells = split_table_row(line);
    if (cells.size() < 2) continue;
    const std::string rtl = lower(cells[0]);
    if (rtl != "verilog" && rtl != "vhdl") continue;
    if (lower(cells[1]) == "na") continue;  // the language that was not simulated
    auto cell = [&](std::size_t i) { return i < cells.size() ? number_or_null(cells[i]) : json(nullptr); };
    json out = json::object();
    out["rtl"] = cells[0];
    out["status"] = cells[1];
    out["passed"] = lower(cells[1]) == "pass";
    out["latency"] = json{{"min", cell(2)}, {"average", cell(3)}, {"max", cell(4)}};
    out["interval"] = json{{"min", cell(5)}, {"average", cell(6)}, {"max", cell(7)}};
    out["total_cycles"] = cell(8);
    return out;
  }
  throw ReportError(file.string() + ": no Verilog/VHDL result row in the co-simulation report");
}

json parse_vivado_utilization(const fs::path& file) {
  const std::vector<std::string> lines = read_lines(file);
  struct Row {
    const char* key;
    std::initializer_list<const char*> names;
    double scale;  // Block RAM tiles are 36 Kb: two 18K blocks each
  };
  const Row rows[] = {
      {"LUT", {"clb luts", "slice luts"}, 1.0},
      {"FF", {"clb registers", "slice registers", "register as flip flop"}, 1.0},
      {"DSP", {"dsps"}, 1.0},
      {"BRAM_18K", {"block ram tile"}, 2.0},
      {"URAM", {"uram"}, 1.0},
  };
  json resources = json::object();
  for (const Row& r : rows) resources[r.key] = json{{"used", nullptr}, {"available", nullptr}};

  bool any = false;
  for (const std::string& line : lines) {
    const std::vector<std::string> cells = split_table_row(line);
    // | Site Type | Used | Fixed | [Prohibited |] Available | Util% |
    if (cells.size() < 4) continue;
    std::string site = lower(cells[0]);
    while (!site.empty() && site.back() == '*') site.pop_back();
    site = trim(site);
    for (const Row& r : rows) {
      if (std::find(r.names.begin(), r.names.end(), site) == r.names.end()) continue;
      json& entry = resources[r.key];
      if (!entry["used"].is_null()) break;  // first table wins (the summary section)
      json used = number_or_null(cells[1]);
      json available = number_or_null(cells[cells.size() - 2]);
      auto scaled = [&](json v) -> json {
        if (v.is_null() || r.scale == 1.0) return v;
        const double d = v.get<double>() * r.scale;
        if (d == static_cast<double>(static_cast<long long>(d))) return static_cast<long long>(d);
        return d;
      };
      entry["used"] = scaled(used);
      entry["available"] = scaled(available);
      any = any || !entry["used"].is_null();
      break;
    }
  }
  if (!any) throw ReportError(file.string() + ": no LUT/register/DSP/BRAM rows found in the utilization report");
  json out = json::object();
  out["resources"] = resources;
  return out;
}

json parse_vivado_timing(const fs::path& file) {
  const std::vector<std::string> lines = read_lines(file);
  // Design Timing Summary:
  //     WNS(ns)      TNS(ns)  TNS Failing Endpoints  TNS Total Endpoints  ...
  //     -------      -------  ---------------------  -------------------  ...
  //       0.512        0.000                      0                  102  ...
  for (std::size_t i = 0; i + 2 < lines.size(); ++i) {
    if (lines[i].find("WNS(ns)") == std::string::npos || lines[i].find("TNS(ns)") == std::string::npos) continue;
    std::istringstream values(lines[i + 2]);
    std::string wns, tns;
    values >> wns >> tns;
    json out = json::object();
    out["wns_ns"] = number_or_null(wns);
    out["tns_ns"] = number_or_null(tns);
    out["met"] = out["wns_ns"].is_null() ? json(nullptr) : json(out["wns_ns"].get<double>() >= 0.0);
    return out;
  }
  throw ReportError(file.string() + ": no 'Design Timing Summary' (WNS/TNS) table in the timing report");
}

json summarize_manifest(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw ReportError(file.string() + ": cannot open the manifest");
  json manifest;
  try {
    manifest = json::parse(in);
  } catch (const json::exception& e) {
    throw ReportError(file.string() + ": not valid JSON (" + e.what() + ")");
  }
  if (!manifest.is_object()) throw ReportError(file.string() + ": the manifest is not a JSON object");
  json out = json::object();
  for (const char* key : {"name", "ident", "top", "part", "clock_period", "io_type", "kml_version"})
    out[key] = manifest.contains(key) ? manifest[key] : json(nullptr);
  // Input hashes: the contract names them "hashes"; the converter may nest them in "provenance".
  out["hashes"] = manifest.contains("hashes") ? manifest["hashes"] : json(nullptr);
  out["provenance"] = manifest.contains("provenance") ? manifest["provenance"] : json(nullptr);
  return out;
}

std::string vivado_report_version(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  for (int n = 0; n < 40 && std::getline(in, line); ++n) {
    const std::size_t at = line.find("Tool Version");
    if (at == std::string::npos) continue;
    const std::size_t v = line.find(" v.", at);
    if (v == std::string::npos) continue;
    std::size_t end = v + 3;
    while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) ++end;
    return line.substr(v + 3, end - v - 3);
  }
  return {};
}

void write_json_atomically(const fs::path& out, const json& doc) {
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  fs::path tmp = out;
  tmp += ".tmp";
  {
    std::ofstream os(tmp, std::ios::binary | std::ios::trunc);
    if (!os) throw ReportError(tmp.string() + ": cannot write");
    os << doc.dump(2) << '\n';
    if (!os.flush()) throw ReportError(tmp.string() + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw ReportError(out.string() + ": cannot rename the temporary report into place");
  }
}

json read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw ReportError(file.string() + ": cannot open (did its <model>_report target run?)");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw ReportError(file.string() + ": not valid JSON (" + e.what() + ")");
  }
}

}  // namespace kml::report
