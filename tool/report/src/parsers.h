// Parsers for the vendor reports kml-report understands.  Every parser returns a JSON object with a
// fixed set of keys; a value the report does not carry (or carries as "undef"/"NA") becomes null, so
// the shape of the document never depends on the tool version that wrote it.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace kml::report {

using json = nlohmann::ordered_json;

// Thrown for unreadable or malformed input; the message names the file.
struct ReportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Locates csynth.xml below an HLS work directory: the file itself, <dir>/syn/report/csynth.xml,
// the unified layout <work_dir>/hls/syn/report/csynth.xml, or the classic layout
// <dir>/<project>/<solution>/syn/report/csynth.xml (also <project>/<solution> given directly).
// Throws ReportError naming every place it looked when nothing is found (or when the classic
// layout holds several solutions, which would make the choice ambiguous).
std::filesystem::path find_csynth_xml(const std::filesystem::path& where);

// Vitis HLS / Vivado HLS synthesis report (csynth.xml).
json parse_csynth_xml(const std::filesystem::path& file);

// C/RTL co-simulation report (<top>_cosim.rpt): status, latency and interval of the RTL run.
json parse_cosim_rpt(const std::filesystem::path& file);

// Vivado `report_utilization` text report: LUT, FF, DSP, BRAM (as 18K blocks) and URAM.
json parse_vivado_utilization(const std::filesystem::path& file);

// Vivado `report_timing_summary` text report: WNS/TNS of the design.
json parse_vivado_timing(const std::filesystem::path& file);

// Subset of kml_manifest.json that identifies what was built.
json summarize_manifest(const std::filesystem::path& file);

// Tool version embedded in a Vivado text report header ("Tool Version : Vivado v.2023.1 ...").
std::string vivado_report_version(const std::filesystem::path& file);

// JSON files: read (errors name the file), and written under a temporary name then renamed into place.
json read_json(const std::filesystem::path& file);
void write_json_atomically(const std::filesystem::path& out, const json& doc);

}  // namespace kml::report
