// kml-convert convert --standalone: a generated project completed into a directory that builds anywhere,
// with no kml installation and no path of the machine it was made on:
//   firmware/, tb/ (as generated), firmware/kml/... (the kml HLS headers the sources include, found by
//   following their #include lines), runtime/ (kml's ap_fixed.h etc., for a host build without a vendor
//   tool), tb_data/ (test vectors), build_prj.tcl (vitis_hls -f / vivado_hls -f), hls_config.cfg (unified
//   Vitis), vivado_synth.tcl, README.md, and kml_manifest.json with file names instead of absolute paths.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "config/config.h"
#include "project/project.h"
#include "results.h"
#include "util/error.h"
#include "util/names.h"

namespace kml::project {

namespace fs = std::filesystem;

void add_convert_options(CLI::App* c, Options& o) {
  c->add_option("--set", o.set,
                "Override a configuration setting, KEY=VALUE (repeatable): a [model] key (reuse_factor=4, "
                "precision=ap_fixed<8,3>), or model.K, layer.NAME.K, layer_type.CLASS.K");
  c->add_flag("--standalone", o.standalone,
              "Write a self-contained HLS project (kml headers, test vectors, build_prj.tcl, hls_config.cfg, "
              "vivado_synth.tcl, README.md; relative paths only)");
  c->add_option("--test-data", o.test_data,
                 "--standalone: .io.h5 (or one .npy per model input, repeated) whose inputs become tb_data/inputs.dat");
  c->add_option("--csim-outputs", o.csim_outputs,
                "--standalone: C simulation outputs to compare co-simulation with (tb_data/csim_outputs.dat)");
  c->add_option("--part", o.part, "--standalone: FPGA part for the vendor scripts (default: the config's)");
  c->add_option("--clock-period", o.clock_period, "--standalone: clock period in ns (default: the config's)");
  c->add_option("--hls-cflags", o.hls_cflags, "--standalone: compiler flags for the HLS tool (default -std=c++14)");
  c->add_option("--template-dir", o.template_dirs, "--standalone: extra HLS template directory to copy from (repeatable)");
  c->add_option("--kml-templates", o.kml_templates, "--standalone: kml's templates directory (default: found next to kml-convert)");
  c->add_option("--kml-runtime", o.kml_runtime, "--standalone: kml's runtime include directory (default: found next to kml-convert)");
}

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw file_error(p.string(), "cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw file_error(p.string(), "cannot write");
}

// kml's own directories: given, else next to the executable (installed layout <prefix>/bin,
// <prefix>/share/kml/templates, <prefix>/include/kml/runtime), else the source tree it was built from.
fs::path kml_dir(const std::string& given, const char* installed, const char* source, const char* probe,
                 const char* option) {
  if (!given.empty()) {
    if (!fs::exists(fs::path(given) / probe)) throw file_error(given, std::string("no ") + probe + " here (" + option + ")");
    return given;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path p = (exe.parent_path() / ".." / installed).lexically_normal();
    if (fs::exists(p / probe)) return p;
  }
  if (fs::exists(fs::path(source) / probe)) return source;
  throw Error(std::string("cannot find kml's ") + installed + " next to kml-convert; give " + option);
}

struct Library {
  fs::path src;   // where the headers are
  fs::path dest;  // where they go in the project (relative)
};

// Copies every header the project's sources include, transitively, from the libraries (first match
// wins, as an include path would); returns the copied files relative to the project.
std::vector<std::string> copy_included_headers(const fs::path& dir, const std::vector<Library>& libs) {
  static const std::regex include_re(R"(^\s*#\s*include\s*(["<])([^">]+)[">])");
  struct Item {
    fs::path file;     // absolute, to read
    int lib;           // -1: a file of the project
    fs::path rel;      // relative to the library (or the project)
  };
  std::deque<Item> queue;
  std::set<std::string> seen;
  for (const char* sub : {"firmware", "tb"}) {
    if (!fs::is_directory(dir / sub)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir / sub))
      if (e.is_regular_file()) queue.push_back({e.path(), -1, fs::relative(e.path(), dir)});
  }
  std::vector<std::string> copied;
  while (!queue.empty()) {
    Item it = queue.front();
    queue.pop_front();
    std::istringstream text(read_text(it.file));
    std::string line;
    while (std::getline(text, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include_re)) continue;
      const fs::path inc = m[2].str();
      int lib = -2;
      fs::path rel;
      if (m[1] == "\"") {
        // Next to the including file first.
        if (it.lib == -1 && fs::exists(it.file.parent_path() / inc)) continue;  // part of the project
        if (it.lib >= 0 && fs::exists(libs[it.lib].src / it.rel.parent_path() / inc)) {
          lib = it.lib;
          rel = (it.rel.parent_path() / inc).lexically_normal();
        }
      }
      for (std::size_t i = 0; lib == -2 && i < libs.size(); ++i)
        if (fs::exists(libs[i].src / inc)) {
          lib = static_cast<int>(i);
          rel = inc.lexically_normal();
        }
      if (lib == -2) continue;  // a system or vendor header
      const fs::path from = libs[lib].src / rel;
      if (!seen.insert(fs::weakly_canonical(from).string()).second) continue;
      const fs::path to_rel = libs[lib].dest / rel;
      fs::create_directories((dir / to_rel).parent_path());
      fs::copy_file(from, dir / to_rel, fs::copy_options::overwrite_existing);
      copied.push_back(to_rel.generic_string());
      queue.push_back({from, lib, rel});
    }
  }
  std::sort(copied.begin(), copied.end());
  return copied;
}

std::string number_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v.get<double>());
  return buf;
}

struct Settings {
  std::string name, top, part, clock, uncertainty, cflags;
  std::vector<std::string> firmware;  // relative sources
  std::string testbench;
  bool csim_reference = false;
};

std::string header(const Settings& s, const char* file) {
  return std::string("# Generated by kml-convert --standalone for model ") + s.name + " (" + file +
         "); paths are relative to this directory.\n";
}

std::string build_prj_tcl(const Settings& s) {
  std::ostringstream t;
  t << header(s, "build_prj.tcl")
    << "# Classic Tcl flow, run from anywhere:\n"
    << "#   vitis_hls -f build_prj.tcl                 C synthesis (Vitis HLS <= 2024.1; vivado_hls -f for Vivado HLS)\n"
    << "#   vitis_hls -f build_prj.tcl \"csim=1 synth=1 cosim=1 export=1\"\n"
    << "# csim: C simulation -> tb_data/csim_results.dat;  synth: -> " << s.name
    << "_prj/solution1/syn/report/csynth.xml;\n"
    << "# cosim: RTL co-simulation -> tb_data/cosim_outputs.dat";
  if (s.csim_reference) t << ", which must equal tb_data/csim_outputs.dat";
  t << ";\n# export: IP catalog -> " << s.name << "_prj/solution1/impl/ip.\n"
    << "array set opt {csim 0 synth 1 cosim 0 export 0}\n"
    << "foreach arg $::argv {\n"
    << "  foreach word [split $arg] {\n"
    << "    if {$word eq \"\"} continue\n"
    << "    if {![regexp {^(csim|synth|cosim|export)=([01])$} $word -> key value]} {\n"
    << "      puts \"build_prj.tcl: unknown option '$word' (csim|synth|cosim|export=0|1)\"\n"
    << "      exit 1\n"
    << "    }\n"
    << "    set opt($key) $value\n"
    << "  }\n"
    << "}\n"
    << "set here [file dirname [file normalize [info script]]]\n"
    << "cd $here\n"
    << "set cflags \"" << s.cflags << " -I$here/firmware\"\n"
    << "if {$opt(synth)} {\n"
    << "  open_project -reset " << s.name << "_prj\n"
    << "} else {\n"
    << "  open_project " << s.name << "_prj\n"
    << "}\n"
    << "set_top " << s.top << "\n";
  for (const auto& f : s.firmware) t << "add_files " << f << " -cflags $cflags\n";
  t << "add_files -tb " << s.testbench << " -cflags $cflags\n"
    << "add_files -tb tb_data\n"
    << "if {$opt(synth)} {\n"
    << "  # Vivado HLS has no -flow_target\n"
    << "  if {[catch {open_solution -reset solution1 -flow_target vivado}]} {\n"
    << "    open_solution -reset solution1\n"
    << "  }\n"
    << "  set_part {" << s.part << "}\n"
    << "  create_clock -period " << s.clock << " -name default\n";
  if (!s.uncertainty.empty()) t << "  set_clock_uncertainty " << s.uncertainty << "%\n";
  t << "} else {\n"
    << "  open_solution solution1\n"
    << "}\n"
    << "# The testbench runs in the tool's simulation directory, which holds a copy of tb_data.\n"
    << "proc kml_fetch {pattern to} {\n"
    << "  set found [glob -nocomplain $pattern]\n"
    << "  if {[llength $found] == 0} {\n"
    << "    puts \"build_prj.tcl: no $pattern\"\n"
    << "    exit 1\n"
    << "  }\n"
    << "  file copy -force [lindex $found 0] $to\n"
    << "}\n"
    << "if {$opt(csim)} {\n"
    << "  csim_design -argv {tb_data/inputs.dat tb_data/csim_results.dat}\n"
    << "  kml_fetch " << s.name << "_prj/solution1/csim/build/tb_data/csim_results.dat tb_data/csim_results.dat\n"
    << "}\n"
    << "if {$opt(synth)} {\n"
    << "  csynth_design\n"
    << "}\n"
    << "if {$opt(cosim)} {\n"
    << "  cosim_design -rtl verilog -argv {tb_data/inputs.dat tb_data/cosim_outputs.dat}\n"
    << "  kml_fetch " << s.name << "_prj/solution1/sim/*/tb_data/cosim_outputs.dat tb_data/cosim_outputs.dat\n";
  if (s.csim_reference)
    t << "  set a [open tb_data/csim_outputs.dat]\n"
      << "  set b [open tb_data/cosim_outputs.dat]\n"
      << "  set same [expr {[read $a] eq [read $b]}]\n"
      << "  close $a\n"
      << "  close $b\n"
      << "  if {!$same} {\n"
      << "    puts \"kml: " << s.name << ": RTL co-simulation differs from C simulation (tb_data/cosim_outputs.dat vs tb_data/csim_outputs.dat)\"\n"
      << "    exit 1\n"
      << "  }\n"
      << "  puts \"kml: " << s.name << ": RTL co-simulation matches C simulation\"\n";
  t << "}\n"
    << "if {$opt(export)} {\n"
    << "  export_design -format ip_catalog\n"
    << "}\n"
    << "exit\n";
  return t.str();
}

std::string hls_config_cfg(const Settings& s) {
  std::ostringstream c;
  c << header(s, "hls_config.cfg")
    << "# Unified Vitis flow (2023.2+, the only HLS flow from 2024.2 on), from this directory:\n"
    << "#   v++ -c --mode hls --config hls_config.cfg --work_dir component                C synthesis\n"
    << "#   vitis-run --mode hls --csim|--cosim|--package --config hls_config.cfg --work_dir component\n"
    << "part=" << s.part << "\n\n[hls]\nflow_target=vivado\nclock=" << s.clock << "ns\n";
  if (!s.uncertainty.empty()) c << "clock_uncertainty=" << s.uncertainty << "%\n";
  c << "syn.top=" << s.top << "\n";
  for (const auto& f : s.firmware) c << "syn.file=" << f << "\n";
  c << "syn.cflags=" << s.cflags << " -Ifirmware\n"
    << "tb.file=" << s.testbench << "\ntb.file=tb_data\ntb.cflags=" << s.cflags << " -Ifirmware\n"
    << "csim.argv=tb_data/inputs.dat tb_data/csim_results.dat\n"
    << "cosim.argv=tb_data/inputs.dat tb_data/cosim_outputs.dat\ncosim.rtl=verilog\n"
    << "package.output.format=ip_catalog\n";
  return c.str();
}

std::string vivado_synth_tcl(const Settings& s) {
  std::ostringstream t;
  t << header(s, "vivado_synth.tcl")
    << "# Out-of-context Vivado synthesis of the RTL from C synthesis (either flow), for post-synthesis\n"
    << "# resources and timing:  vivado -mode batch -source vivado_synth.tcl  -> vivado/utilization.rpt, vivado/timing.rpt\n"
    << "set here [file dirname [file normalize [info script]]]\n"
    << "set rtl_dir \"\"\n"
    << "foreach candidate [list [file join $here " << s.name << "_prj solution1 syn verilog] "
    << "[file join $here component hls syn verilog]] {\n"
    << "  if {[file isdirectory $candidate]} {\n"
    << "    set rtl_dir $candidate\n"
    << "    break\n"
    << "  }\n"
    << "}\n"
    << "set rtl_files [concat [glob -nocomplain -directory $rtl_dir *.v] [glob -nocomplain -directory $rtl_dir *.sv]]\n"
    << "if {$rtl_dir eq \"\" || [llength $rtl_files] == 0} {\n"
    << "  puts \"kml: no Verilog from C synthesis in " << s.name << "_prj/solution1/syn/verilog or component/hls/syn/verilog\"\n"
    << "  exit 1\n"
    << "}\n"
    << "set out_dir [file join $here vivado]\n"
    << "file mkdir $out_dir\n"
    << "create_project -in_memory -part {" << s.part << "}\n"
    << "read_verilog $rtl_files\n"
    << "foreach ip_script [glob -nocomplain -directory $rtl_dir *_ip.tcl] {\n"
    << "  source $ip_script\n"
    << "}\n"
    << "set xdc [file join $out_dir clock.xdc]\n"
    << "set fh [open $xdc w]\n"
    << "puts $fh \"create_clock -period " << s.clock << " -name ap_clk \\[get_ports ap_clk\\]\"\n"
    << "close $fh\n"
    << "read_xdc -mode out_of_context $xdc\n"
    << "synth_design -top " << s.top << " -part {" << s.part << "} -mode out_of_context\n"
    << "report_utilization -file [file join $out_dir utilization.rpt]\n"
    << "report_timing_summary -file [file join $out_dir timing.rpt]\n"
    << "exit\n";
  return t.str();
}

std::string readme(const Settings& s, bool have_inputs, const std::vector<std::string>& headers) {
  std::ostringstream r;
  r << "# " << s.name << ": portable HLS project (kml)\n\n"
    << "Made by `kml-convert convert --standalone`; everything here is relative to this directory, so it can be\n"
    << "copied or unpacked anywhere (a machine with the vendor tools, a cluster node) and built there.\n"
    << "Top function `" << s.top << "`, part `" << s.part << "`, clock " << s.clock << " ns.\n\n"
    << "| step | classic Tcl flow (Vitis HLS <= 2024.1, Vivado HLS) | unified Vitis (2023.2+) |\n"
    << "| --- | --- | --- |\n"
    << "| C simulation | `vitis_hls -f build_prj.tcl \"csim=1 synth=0\"` | "
       "`vitis-run --mode hls --csim --config hls_config.cfg --work_dir component` |\n"
    << "| C synthesis | `vitis_hls -f build_prj.tcl` | `v++ -c --mode hls --config hls_config.cfg --work_dir component` |\n"
    << "| co-simulation | `vitis_hls -f build_prj.tcl \"synth=0 cosim=1\"` | "
       "`vitis-run --mode hls --cosim --config hls_config.cfg --work_dir component` |\n"
    << "| IP export | `vitis_hls -f build_prj.tcl \"synth=0 export=1\"` | "
       "`vitis-run --mode hls --package --config hls_config.cfg --work_dir component` |\n"
    << "| Vivado synthesis | `vivado -mode batch -source vivado_synth.tcl` | the same |\n\n"
    << "Reports: `" << s.name << "_prj/solution1/syn/report/csynth.xml` (classic) or "
    << "`component/hls/syn/report/csynth.xml` (unified),\nco-simulation `.../sim/report/" << s.top
    << "_cosim.rpt`, Vivado `vivado/utilization.rpt` and `vivado/timing.rpt`.\n"
    << "Bring this directory (or just those reports) back and `kml-report --search DIR` reads them, or copy\n"
    << "them into the model's work directory and build its `<model>_report` target; neither needs a vendor tool.\n\n"
    << "Without a vendor tool, the testbench builds with kml's host types in `runtime/`:\n\n"
    << "    c++ -std=c++17 -O2 -Ifirmware -Iruntime " << s.testbench;
  for (const auto& f : s.firmware) r << " " << f;
  r << " -o testbench\n";
  if (have_inputs) r << "    ./testbench tb_data/inputs.dat tb_data/csim_results.dat\n";
  r << "\nFiles: `firmware/` (the generated model and the kml HLS headers it includes), `tb/testbench.cpp`";
  if (have_inputs)
    r << ",\n`tb_data/inputs.dat` (test inputs, one sample a line)" << (s.csim_reference ? ", `tb_data/csim_outputs.dat` (kml's bit-accurate C simulation of them, which co-simulation must reproduce)" : "");
  r << ", `runtime/` (host-only ap_fixed.h etc.; the vendor tools use their own),\n`kml_manifest.json`.\n"
    << "kml headers copied (" << headers.size() << "):";
  for (const auto& h : headers) r << " " << h;
  r << "\n";
  return r.str();
}

}  // namespace

void write_standalone(const fs::path& dir, const Options& o) {
  nlohmann::json m;
  try {
    m = nlohmann::json::parse(read_text(dir / "kml_manifest.json"));
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("--standalone: the generated manifest is not valid JSON: ") + e.what());
  }
  const fs::path templates = kml_dir(o.kml_templates, "share/kml/templates", KML_SOURCE_TEMPLATES_DIR, "kml/common.h",
                                     "--kml-templates");
  const fs::path runtime = kml_dir(o.kml_runtime, "include/kml/runtime", KML_SOURCE_RUNTIME_DIR, "ap_fixed.h",
                                   "--kml-runtime");
  std::vector<Library> libs = {{templates, "firmware"}};
  for (const auto& d : o.template_dirs) {
    if (!fs::is_directory(d)) throw file_error(d, "--template-dir: not a directory");
    libs.push_back({d, "firmware"});
  }
  libs.push_back({runtime, "runtime"});
  const std::vector<std::string> headers = copy_included_headers(dir, libs);

  Settings s;
  s.name = m.value("name", "model");
  s.top = m.value("top", s.name + "_top");
  s.part = o.part.empty() ? m.value("part", "") : o.part;
  s.clock = o.clock_period.empty() ? number_text(m.value("clock_period", nlohmann::json(5.0))) : o.clock_period;
  if (m.contains("clock_uncertainty") && m["clock_uncertainty"].is_number())
    s.uncertainty = number_text(m["clock_uncertainty"]);
  s.cflags = o.hls_cflags;
  for (const auto& f : m.at("sources").at("firmware")) s.firmware.push_back(f.get<std::string>());
  s.testbench = m.at("sources").value("testbench", "tb/testbench.cpp");
  if (s.part.empty()) throw Error("--standalone: no part (set [model] part in the config, or --part)");
  // Written into Tcl and .cfg files: plain words only (util/names.h).
  names::check_tool_word(s.part, "part", o.part.empty() ? "kml_manifest.json" : "--part");
  names::check_tool_word(s.clock, "clock period", "--clock-period");
  names::check_tool_word(s.uncertainty, "clock uncertainty", "kml_manifest.json");
  if (s.cflags.find_first_of("\"$[]{}\\;\n\r") != std::string::npos)
    throw Error("--hls-cflags " + names::cpp_string(s.cflags) +
                ": quotes, $, brackets, braces, backslashes, ; and line breaks are not allowed (Tcl)");

  const bool have_inputs = !o.test_data.empty();
  if (have_inputs) {
    fs::create_directories(dir / "tb_data");
    write_testdata(o.test_data, (dir / "kml_manifest.json").string(), (dir / "tb_data" / "inputs.dat").string());
  }
  if (!o.csim_outputs.empty()) {
    if (!have_inputs) throw Error("--csim-outputs needs --test-data (the inputs they were computed from)");
    if (!fs::exists(o.csim_outputs)) throw file_error(o.csim_outputs, "no such file (--csim-outputs)");
    fs::copy_file(o.csim_outputs, dir / "tb_data" / "csim_outputs.dat", fs::copy_options::overwrite_existing);
    s.csim_reference = true;
  }
  fs::create_directories(dir / "tb_data");

  // The manifest names the files it was made from by absolute path: keep their names only.
  if (m.contains("provenance") && m["provenance"].is_object())
    for (auto& [key, v] : m["provenance"].items())
      if (v.is_object() && v.contains("path") && v["path"].is_string())
        v["path"] = fs::path(v["path"].get<std::string>()).filename().string();
  m["standalone"] = {{"kml_headers", headers}, {"test_inputs", have_inputs}, {"csim_outputs", s.csim_reference}};
  write_text(dir / "kml_manifest.json", m.dump(2) + "\n");

  write_text(dir / "build_prj.tcl", build_prj_tcl(s));
  write_text(dir / "hls_config.cfg", hls_config_cfg(s));
  write_text(dir / "vivado_synth.tcl", vivado_synth_tcl(s));
  write_text(dir / "README.md", readme(s, have_inputs, headers));
}

void write_summary(const ResultsSummary& s, const std::string& reference, const std::string& path) {
  nlohmann::json j;
  j["samples"] = s.samples;
  j["reference"] = reference.empty() ? nlohmann::json(nullptr) : nlohmann::json(fs::path(reference).filename().string());
  auto opt = [](double v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
  j["max_abs_error"] = opt(s.max_abs_error);
  j["mean_abs_error"] = opt(s.mean_abs_error);
  j["max_scaled_error"] = opt(s.max_scaled_error);
  j["argmax_agreement"] = opt(s.argmax_agreement);
  j["mismatches"] = reference.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.mismatches);
  j["elements"] = reference.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.elements);
  j["max_error_lsb"] = opt(s.max_error_lsb);
  // Layer by layer against the reference's trace/<layer> (kml-convert results --trace-dir).
  nlohmann::json compare = nlohmann::json::array();
  for (const auto& c : s.layers) {
    nlohmann::json l = {{"layer", c.layer}, {"node", c.node}, {"class", c.keras_class}, {"type", c.type}};
    if (!c.note.empty()) {
      l["not_compared"] = c.note;
    } else {
      l["max_abs_error"] = c.max_abs_error;
      l["mean_abs_error"] = c.mean_abs_error;
      l["relative_error"] = std::isfinite(c.relative_error) ? nlohmann::json(c.relative_error) : nlohmann::json(nullptr);
      l["max_scaled_error"] = c.max_scaled_error;
      l["lsb"] = c.lsb > 0 ? nlohmann::json(c.lsb) : nlohmann::json(nullptr);
      l["max_error_lsb"] = opt(c.max_error_lsb);
      l["mismatches"] = c.mismatches;
      l["elements"] = c.elements;
    }
    compare.push_back(l);
  }
  j["compare"] = compare;
  j["first_past_lsb"] = s.first_past_lsb.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.first_past_lsb);
  const std::string tmp = path + ".tmp";
  write_text(tmp, j.dump(2) + "\n");
  fs::rename(tmp, path);
}

}  // namespace kml::project
