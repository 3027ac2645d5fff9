// kml-report: vendor reports -> stable JSON + a readable table.
//
//   kml-report --csynth <csynth.xml|hls work dir> [--cosim rpt] [--vivado-utilization rpt]
//              [--vivado-timing rpt] [--manifest kml_manifest.json] [--name N] [--tool key=value]...
//              [--optional] [-o report.json] [--quiet]
//   kml-report --summary a.json b.json ... [-o summary.json]
//
// With --optional, a co-simulation or Vivado report that does not exist (or is older than the
// synthesis report, i.e. left over from an earlier synthesis) is recorded as null instead of failing.
#include "parsers.h"
#include "table.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
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

void write_atomically(const fs::path& out, const json& doc) {
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

int run_model(const std::string& csynth_arg, const std::string& cosim, const std::string& util,
              const std::string& timing, const std::string& manifest, std::string name,
              const std::vector<std::string>& tools, bool optional, const std::string& out, bool quiet) {
  json doc = json::object();
  doc["kml_report_schema"] = kSchemaVersion;
  doc["name"] = nullptr;
  doc["model"] = nullptr;
  doc["tools"] = json::object();
  doc["csynth"] = nullptr;
  doc["cosim"] = nullptr;
  doc["vivado"] = nullptr;

  json& t = doc["tools"];
  t["kml_report"] = KML_REPORT_VERSION;
  t["hls"] = json{{"flow", nullptr}, {"path", nullptr}, {"version", nullptr}};
  for (const std::string& kv : tools) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw ReportError("--tool expects key=value, got '" + kv + "'");
    set_dotted(t, kv.substr(0, eq), kv.substr(eq + 1));
  }

  if (!manifest.empty()) {
    doc["model"] = kml::report::summarize_manifest(manifest);
    if (name.empty() && doc["model"]["name"].is_string()) name = doc["model"]["name"].get<std::string>();
  }

  fs::path csynth_file;
  if (!csynth_arg.empty()) {
    csynth_file = kml::report::find_csynth_xml(csynth_arg);
    doc["csynth"] = kml::report::parse_csynth_xml(csynth_file);
    t["hls"]["version"] = doc["csynth"]["tool_version"];
    if (name.empty()) name = doc["csynth"]["top"].get<std::string>();
  }

  if (usable(cosim, csynth_file, optional, "co-simulation")) doc["cosim"] = kml::report::parse_cosim_rpt(cosim);

  const bool have_util = usable(util, csynth_file, optional, "Vivado synthesis");
  const bool have_timing = usable(timing, csynth_file, optional, "Vivado synthesis");
  if (have_util || have_timing) {
    json v = json::object();
    v["resources"] = nullptr;
    v["timing"] = nullptr;
    if (have_util) {
      v["resources"] = kml::report::parse_vivado_utilization(util)["resources"];
      const std::string version = kml::report::vivado_report_version(util);
      if (!t.contains("vivado") || !t["vivado"].is_object()) t["vivado"] = json::object();
      t["vivado"]["version"] = version.empty() ? json(nullptr) : json(version);
    }
    if (have_timing) v["timing"] = kml::report::parse_vivado_timing(timing);
    doc["vivado"] = v;
  }

  if (doc["csynth"].is_null() && doc["cosim"].is_null() && doc["vivado"].is_null())
    throw ReportError("nothing to report: give --csynth, --cosim or --vivado-utilization");

  doc["name"] = name.empty() ? json(nullptr) : json(name);
  if (!out.empty()) write_atomically(out, doc);
  if (!quiet) kml::report::print_model(std::cout, doc);
  return 0;
}

int run_summary(const std::vector<std::string>& files, const std::string& out) {
  std::vector<json> reports;
  for (const std::string& f : files) reports.push_back(read_json(f));
  kml::report::print_summary(std::cout, reports);
  if (!out.empty()) {
    json doc = json::object();
    doc["kml_report_schema"] = kSchemaVersion;
    doc["models"] = reports;
    write_atomically(out, doc);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kml-report: parse Vitis HLS / Vivado HLS / Vivado reports into JSON and print a table"};
  app.set_version_flag("--version", std::string("kml-report ") + KML_REPORT_VERSION);

  std::string csynth, cosim, util, timing, manifest, name, out;
  std::vector<std::string> tools, summary;
  bool optional = false;
  bool quiet = false;
  app.add_option("--csynth", csynth, "csynth.xml, or an HLS work directory to search (classic or unified layout)");
  app.add_option("--cosim", cosim, "C/RTL co-simulation report (<top>_cosim.rpt)");
  app.add_option("--vivado-utilization", util, "Vivado report_utilization output");
  app.add_option("--vivado-timing", timing, "Vivado report_timing_summary output");
  app.add_option("--manifest", manifest, "kml_manifest.json of the generated project");
  app.add_option("--name", name, "model name (default: the manifest's name, else the top function)");
  app.add_option("--tool", tools, "record tool information, key=value (dotted keys nest: hls.flow=vitis_hls)");
  app.add_flag("--optional", optional, "missing or outdated co-simulation/Vivado reports are recorded as null");
  app.add_option("--summary", summary, "print one summary row per model report JSON")->expected(1, -1);
  app.add_option("-o,--output", out, "write the JSON document here (atomically)");
  app.add_flag("-q,--quiet", quiet, "do not print the table");
  CLI11_PARSE(app, argc, argv);

  try {
    if (!summary.empty()) return run_summary(summary, out);
    return run_model(csynth, cosim, util, timing, manifest, name, tools, optional, out, quiet);
  } catch (const ReportError& e) {
    std::cerr << "kml-report: error: " << e.what() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "kml-report: error: " << e.what() << '\n';
  }
  return 1;
}
