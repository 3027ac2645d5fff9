// kml-convert: Keras models -> HLS C++ projects, plus the test-vector helpers the CMake targets use.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "config/hls4ml.h"
#include "config_skeleton.h"
#include "convert.h"
#include "results.h"
#include "plugin/plugin.h"
#include "project/project.h"
#include "util/error.h"
#include "util/names.h"
#include "version.h"

int main(int argc, char** argv) {
  CLI::App app{"kml-convert " KML_VERSION ": convert Keras models (Keras 2/3, .keras/.h5/.json) to HLS C++"};
  app.set_version_flag("--version", KML_VERSION);
  app.require_subcommand(1);

  kml::ConvertOptions co;
  auto* conv = app.add_subcommand("convert", "Convert a model into a generated HLS project directory");
  conv->add_option("model", co.model, "Model file: .keras, full-model .h5, or .json architecture")->required();
  conv->add_option("-o,--output", co.out_dir, "Output directory (replaced atomically)")->required();
  conv->add_option("-c,--config", co.config, "TOML configuration");
  conv->add_option("-n,--name", co.name, "Project name (default: the model file's stem)");
  conv->add_option("-w,--weights", co.weights, "Weights .h5 for a .json architecture");
  conv->add_option("--depfile", co.depfile, "Write a Ninja depfile listing every input read");
  conv->add_option("--backend", co.backend, "Code generator (default hls: HLS C++; docs/architecture.md)");
  conv->add_option("--skip-pass", co.skip_passes, "Do not run this graph pass (repeatable; docs/architecture.md)");
  bool no_fuse = false;
  conv->add_flag("--no-fuse-batchnorm", no_fuse, "Keep BatchNormalization layers separate (--skip-pass fuse_batchnorm)");
  conv->add_option("--dump-ir-after", co.dump_ir_after,
                   "Print the graph IR as JSON after this pass (repeatable; 'read': as read)");
  std::vector<std::string> plugins;
  conv->add_option("--plugin", plugins, "Load a custom-layer plugin (shared library; repeatable, docs/extensions.md)");
  conv->add_flag("--timings", co.timings, "Print the time spent reading, transforming and writing");
  kml::project::Options po;  // --set, --standalone (tool/src/project)
  kml::project::add_convert_options(conv, po);
  co.project = &po;

  kml::SkeletonOptions so;
  std::string from_hls4ml, config_out;
  bool config_no_fuse = false;
  auto* cf = app.add_subcommand("config", "Print a model's complete configuration as TOML, or translate an hls4ml one");
  cf->add_option("model", so.model, "Model file (as for convert): print every node with its resolved settings");
  cf->add_option("-w,--weights", so.weights, "Weights .h5 for a .json architecture");
  cf->add_option("-c,--config", so.config, "A TOML configuration to resolve in (default: kml's defaults)");
  cf->add_option("--granularity", so.granularity, "model | type | name (default name: one table per node)")
      ->check(CLI::IsMember({"model", "type", "name"}));
  cf->add_flag("--no-fuse-batchnorm", config_no_fuse, "Keep BatchNormalization layers separate (as convert)");
  cf->add_option("--from-hls4ml", from_hls4ml, "Translate an hls4ml configuration (.yml/.yaml or .json) instead");
  cf->add_option("-o,--output", config_out, "Write the TOML to this file (default: standard output)");

  std::string io, manifest, out, results, reference, trace_dir;
  auto* td = app.add_subcommand("testdata", "Write a reference .io.h5's inputs as testbench input lines");
  td->add_option("io_h5", io, "Reference file with x0, x1, ... datasets")->required();
  td->add_option("--manifest", manifest, "kml_manifest.json of the generated project")->required();
  td->add_option("-o,--output", out, "Output .dat file")->required();

  auto* rs = app.add_subcommand("results", "Turn testbench output into csim_results.h5 and compare with a reference");
  rs->add_option("--manifest", manifest, "kml_manifest.json of the generated project")->required();
  rs->add_option("--results", results, "Testbench output .dat")->required();
  rs->add_option("--reference", reference, "Reference .io.h5 with y0, y1, ...");
  rs->add_option("--trace-dir", trace_dir, "Directory of per-layer trace files written by the testbench");
  rs->add_option("-o,--output", out, "Output .h5")->required();
  double tolerance = -1, min_argmax = -1;
  bool exact = false;
  rs->add_option("--tolerance", tolerance, "Fail unless every |y - ref| <= T * max(1, |ref|)");
  rs->add_option("--min-argmax", min_argmax, "Fail unless the argmax of output 0 agrees on at least this fraction");
  rs->add_flag("--exact", exact, "Fail unless every output equals the reference (after float32 rounding)");
  std::string summary;
  rs->add_option("--summary", summary, "Also write the figures (samples, errors, argmax agreement) as JSON here");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*conv) {
      if (no_fuse) co.skip_passes.push_back("fuse_batchnorm");
      for (const auto& p : plugins) kml::plugin::load(p);
      kml::convert(co);
    } else if (*cf) {
      std::string text;
      if (!from_hls4ml.empty()) {
        if (!so.model.empty()) throw kml::Error("config: give a MODEL or --from-hls4ml, not both");
        kml::Hls4mlImport imp = kml::import_hls4ml(from_hls4ml);
        for (const auto& u : imp.unmapped) std::cerr << "kml-convert: warning: " << from_hls4ml << ": " << u << "\n";
        text = imp.toml;
      } else {
        if (so.model.empty()) throw kml::Error("config: give a MODEL file or --from-hls4ml CONFIG");
        so.fuse_batchnorm = !config_no_fuse;
        text = kml::config_skeleton(so);
      }
      if (config_out.empty()) {
        std::cout << text;
      } else {
        kml::write_config_file(config_out, text);
      }
    } else if (*td) {
      kml::write_testdata(io, manifest, out);
    } else if (*rs) {
      kml::ResultsSummary s = kml::write_results(manifest, results, reference, trace_dir, out);
      if (!summary.empty()) kml::project::write_summary(s, reference, summary);
      std::cout << "kml csim: " << s.samples << " samples -> " << out << "\n";
      if (s.max_abs_error >= 0) {
        std::printf("kml csim: max abs error %.6g, mean abs error %.6g vs %s\n", s.max_abs_error, s.mean_abs_error,
                    reference.c_str());
        if (s.argmax_agreement >= 0) std::printf("kml csim: argmax agreement %.2f%%\n", 100.0 * s.argmax_agreement);
        std::printf("kml csim: %zu of %zu elements differ from the reference\n", s.mismatches, s.elements);
      }
      bool checks = tolerance >= 0 || min_argmax >= 0 || exact;
      if (checks && s.max_abs_error < 0) throw kml::Error("--tolerance/--min-argmax/--exact need --reference");
      int failed = 0;
      if (tolerance >= 0 && s.max_scaled_error > tolerance) {
        std::fprintf(stderr, "kml csim: FAILED: max |y - ref| / max(1, |ref|) = %.3g exceeds %.3g\n", s.max_scaled_error, tolerance);
        failed = 1;
      }
      if (min_argmax >= 0 && s.argmax_agreement < min_argmax) {
        std::fprintf(stderr, "kml csim: FAILED: argmax agreement %.4f below %.4f\n", s.argmax_agreement, min_argmax);
        failed = 1;
      }
      if (exact && s.mismatches) {
        std::fprintf(stderr, "kml csim: FAILED: %zu elements are not bit-exact\n", s.mismatches);
        failed = 1;
      }
      if (failed) return 2;
    }
  } catch (const kml::Error& e) {
    std::cerr << "kml-convert: error: " << kml::names::shown(e.what()) << "\n";
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    // One line: the path and the reason, not the library's "filesystem error: cannot ...: ... [a] [b]".
    std::cerr << "kml-convert: error: "
              << kml::names::shown((e.path1().empty() ? std::string() : e.path1().string() + ": ") + e.code().message())
              << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "kml-convert: error: " << kml::names::shown(e.what()) << "\n";
    return 1;
  }
  return 0;
}
