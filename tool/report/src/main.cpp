// kml-report: vendor reports -> stable JSON + a readable table.
//
//   kml-report [--csynth <csynth.xml|hls work dir>] [--cosim rpt] [--vivado-utilization rpt]
//              [--vivado-timing rpt] [--search DIR]... [--csim csim_results.json] [--steps logs/]
//              [--manifest kml_manifest.json] [--name N] [--tool key=value]... [--optional]
//              [-o report.json] [--quiet]
//   kml-report --summary a.json b.json ... [-o summary.json]
//   kml-report --scan scan_points.json [-o scan.json] [--html scan.html]
//
// --search looks for every kind of report below the given directories (reports copied back from a
// machine or cluster node that ran the vendor tools, an unpacked portable project): csynth.xml in any
// HLS layout, <top>_cosim.rpt, Vivado's utilization/timing reports; an explicit option wins.
// With --optional, a report that does not exist (or, for co-simulation and Vivado, is older than the
// synthesis report, i.e. left over from an earlier synthesis) is recorded as null instead of failing.
#include "parsers.h"
#include "scan.h"
#include "table.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <regex>
#include <algorithm>
#include <string>
#include <vector>

#ifndef KML_REPORT_VERSION
#define KML_REPORT_VERSION "unknown"
#endif

namespace fs = std::filesystem;
using kml::report::json;
using kml::report::ReportError;

namespace {

constexpr int kSchemaVersion = 1;

// Sets doc[a][b]... from a dotted key ("hls.flow" -> doc["hls"]["flow"]).
void set_dotted(json& doc, const std::string& key, const std::string& value) {
  json* cur = &doc;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = key.find('.', start);
    const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) throw ReportError("--tool " + key + "=...: empty key component");
    if (dot == std::string::npos) {
      (*cur)[part] = value;
      return;
    }
    json& next = (*cur)[part];
    if (!next.is_object()) next = json::object();
    cur = &next;
    start = dot + 1;
  }
}

// An optional report is used only when it exists and is not older than the synthesis report it
// belongs with.
bool usable(const std::string& file, const fs::path& csynth, bool optional, const char* what) {
  if (file.empty()) return false;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (optional) return false;
    throw ReportError(file + ": " + what + " report not found");
  }
  if (optional && !csynth.empty()) {
    const auto t_report = fs::last_write_time(file, ec);
    const auto t_csynth = fs::last_write_time(csynth, ec);
    if (!ec && t_report < t_csynth) {
      std::cerr << "kml-report: note: ignoring " << file << " (older than the synthesis report; rerun the " << what
                << " step)\n";
      return false;
    }
  }
  return true;
}

struct ModelInputs {
  std::string csynth, cosim, util, timing, csim, steps, manifest, name, out;
  std::vector<std::string> search, tools;
  bool optional = false;
  bool quiet = false;
};

// Every file below `dirs` whose path (relative to its directory) matches `pattern`.
std::vector<fs::path> find_below(const std::vector<std::string>& dirs, const std::regex& pattern) {
  std::vector<fs::path> found;
  for (const std::string& d : dirs) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(d, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file(ec)) continue;
      const std::string rel = fs::relative(it->path(), d, ec).generic_string();
      if (std::regex_match(rel, pattern)) found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

// The one report of a kind below the --search directories ("" when there is none).
std::string search_one(const std::vector<std::string>& dirs, const char* pattern, const char* what,
                       const char* option) {
  const std::vector<fs::path> found = find_below(dirs, std::regex(pattern));
  if (found.empty()) return "";
  if (found.size() > 1) {
    std::string list;
    for (const auto& f : found) list += "\n  " + f.string();
    throw ReportError(std::string("several ") + what + " reports found below the --search directories:" + list +
                      "\n  keep one, or name it with " + option);
  }
  return found.front().string();
}

void check_dirs(const std::vector<std::string>& dirs) {
  for (const std::string& d : dirs) {
    std::error_code ec;
    if (!fs::is_directory(d, ec)) throw ReportError(d + ": --search: no such directory");
  }
}

// <logs>/<step>.json records of the vendor steps (queue and run times), under "steps".
json read_steps(const std::string& dir) {
  json steps = json::object();
  for (const char* step : {"synth", "cosim", "export", "vsynth"}) {
    const fs::path f = fs::path(dir) / (std::string(step) + ".json");
    std::error_code ec;
    if (fs::exists(f, ec)) steps[step] = kml::report::read_json(f);
  }
  return steps;
}

int run_model(ModelInputs in) {
  json doc = json::object();
  doc["kml_report_schema"] = kSchemaVersion;
  doc["name"] = nullptr;
  doc["model"] = nullptr;
  doc["tools"] = json::object();
  doc["csim"] = nullptr;
  doc["csynth"] = nullptr;
  doc["cosim"] = nullptr;
  doc["vivado"] = nullptr;
  doc["steps"] = nullptr;

  json& t = doc["tools"];
  t["kml_report"] = KML_REPORT_VERSION;
  t["hls"] = json{{"flow", nullptr}, {"path", nullptr}, {"version", nullptr}};
  for (const std::string& kv : in.tools) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw ReportError("--tool expects key=value, got '" + kv + "'");
    set_dotted(t, kv.substr(0, eq), kv.substr(eq + 1));
  }

  if (!in.manifest.empty()) {
    doc["model"] = kml::report::summarize_manifest(in.manifest);
    if (in.name.empty() && doc["model"]["name"].is_string()) in.name = doc["model"]["name"].get<std::string>();
  }

  if (!in.optional) check_dirs(in.search);  // with --optional, a directory not made yet holds nothing
  if (!in.search.empty()) {
    if (in.csynth.empty()) in.csynth = search_one(in.search, "(.*/)?csynth\\.xml", "synthesis (csynth.xml)", "--csynth");
    if (in.cosim.empty()) in.cosim = search_one(in.search, "(.*/)?[^/]*cosim\\.rpt", "co-simulation (*_cosim.rpt)", "--cosim");
    if (in.util.empty())
      in.util = search_one(in.search, "(.*/)?(vivado_)?utilization\\.rpt", "Vivado utilization", "--vivado-utilization");
    if (in.timing.empty())
      in.timing = search_one(in.search, "(.*/)?(vivado_)?timing\\.rpt", "Vivado timing", "--vivado-timing");
  }

  fs::path csynth_file;
  std::error_code ec;
  const bool csynth_missing = !in.csynth.empty() && !fs::exists(in.csynth, ec);
  if (!in.csynth.empty() && !(in.optional && csynth_missing)) {
    csynth_file = kml::report::find_csynth_xml(in.csynth);
    doc["csynth"] = kml::report::parse_csynth_xml(csynth_file);
    t["hls"]["version"] = doc["csynth"]["tool_version"];
    if (in.name.empty()) in.name = doc["csynth"]["top"].get<std::string>();
  }

  if (usable(in.cosim, csynth_file, in.optional, "co-simulation")) doc["cosim"] = kml::report::parse_cosim_rpt(in.cosim);

  const bool have_util = usable(in.util, csynth_file, in.optional, "Vivado synthesis");
  const bool have_timing = usable(in.timing, csynth_file, in.optional, "Vivado synthesis");
  if (have_util || have_timing) {
    json v = json::object();
    v["resources"] = nullptr;
    v["timing"] = nullptr;
    if (have_util) {
      v["resources"] = kml::report::parse_vivado_utilization(in.util)["resources"];
      const std::string version = kml::report::vivado_report_version(in.util);
      if (!t.contains("vivado") || !t["vivado"].is_object()) t["vivado"] = json::object();
      t["vivado"]["version"] = version.empty() ? json(nullptr) : json(version);
    }
    if (have_timing) v["timing"] = kml::report::parse_vivado_timing(in.timing);
    doc["vivado"] = v;
  }

  if (!in.csim.empty() && (!in.optional || fs::exists(in.csim, ec))) doc["csim"] = kml::report::read_json(in.csim);
  if (!in.steps.empty()) {
    json steps = read_steps(in.steps);
    if (!steps.empty()) doc["steps"] = steps;
  }

  if (doc["csynth"].is_null() && doc["cosim"].is_null() && doc["vivado"].is_null() && doc["csim"].is_null()) {
    if (!in.search.empty()) {
      std::string dirs;
      for (const auto& d : in.search) dirs += "\n  " + d;
      throw ReportError("no report found below the --search directories (csynth.xml, *_cosim.rpt, Vivado's "
                        "utilization/timing reports):" + dirs +
                        "\n  run the vendor steps (or copy their reports back into one of these directories)");
    }
    throw ReportError("nothing to report: give --csynth, --cosim, --vivado-utilization, --csim or --search");
  }

  doc["name"] = in.name.empty() ? json(nullptr) : json(in.name);
  if (!in.out.empty()) kml::report::write_json_atomically(in.out, doc);
  if (!in.quiet) kml::report::print_model(std::cout, doc);
  return 0;
}

int run_summary(const std::vector<std::string>& files, const std::string& out) {
  std::vector<json> reports;
  for (const std::string& f : files) reports.push_back(kml::report::read_json(f));
  kml::report::print_summary(std::cout, reports);
  if (!out.empty()) {
    json doc = json::object();
    doc["kml_report_schema"] = kSchemaVersion;
    doc["models"] = reports;
    kml::report::write_json_atomically(out, doc);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kml-report: parse Vitis HLS / Vivado HLS / Vivado reports into JSON and print a table"};
  app.set_version_flag("--version", std::string("kml-report ") + KML_REPORT_VERSION);

  ModelInputs in;
  std::vector<std::string> summary;
  std::string scan, html;
  app.add_option("--csynth", in.csynth, "csynth.xml, or an HLS work directory to search (classic or unified layout)");
  app.add_option("--cosim", in.cosim, "C/RTL co-simulation report (<top>_cosim.rpt)");
  app.add_option("--vivado-utilization", in.util, "Vivado report_utilization output");
  app.add_option("--vivado-timing", in.timing, "Vivado report_timing_summary output");
  app.add_option("--search", in.search,
                 "find the reports below this directory (repeatable): reports copied back from elsewhere, an "
                 "unpacked portable project");
  app.add_option("--csim", in.csim, "C simulation figures (csim_results.json from kml-convert results --summary)");
  app.add_option("--steps", in.steps, "directory of the vendor steps' records (<work>/logs: synth.json, ...)");
  app.add_option("--manifest", in.manifest, "kml_manifest.json of the generated project");
  app.add_option("--name", in.name, "model name (default: the manifest's name, else the top function)");
  app.add_option("--tool", in.tools, "record tool information, key=value (dotted keys nest: hls.flow=vitis_hls)");
  app.add_flag("--optional", in.optional, "missing (or outdated co-simulation/Vivado) reports are recorded as null");
  app.add_option("--summary", summary, "print one summary row per model report JSON")->expected(1, -1);
  app.add_option("--scan", scan, "design-space scan: the points file written by kml_add_fpga_scan()");
  app.add_option("--html", html, "--scan: also write a self-contained HTML page with the trade-off plots");
  app.add_option("-o,--output", in.out, "write the JSON document here (atomically)");
  app.add_flag("-q,--quiet", in.quiet, "do not print the table");
  CLI11_PARSE(app, argc, argv);

  try {
    if (!scan.empty()) return kml::report::run_scan(scan, in.out, html, in.quiet);
    if (!summary.empty()) return run_summary(summary, in.out);
    return run_model(in);
  } catch (const ReportError& e) {
    std::cerr << "kml-report: error: " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "kml-report: error: " << e.what() << '\n';
  }
  return 1;
}
