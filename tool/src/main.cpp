// kml-convert: Keras models -> HLS C++ projects, plus the test-vector helpers the CMake targets use.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "convert.h"
#include "results.h"
#include "plugin/plugin.h"
#include "project/project.h"
#include "util/error.h"
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
  bool no_fuse = false;
  conv->add_flag("--no-fuse-batchnorm", no_fuse, "Keep BatchNormalization layers separate");
  std::vector<std::string> plugins;
  conv->add_option("--plugin", plugins, "Load a custom-layer plugin (shared library; repeatable, docs/extensions.md)");
  conv->add_flag("--timings", co.timings, "Print the time spent reading, transforming and writing");
  kml::project::Options po;  // --set, --standalone (tool/src/project)
  kml::project::add_convert_options(conv, po);
  co.project = &po;

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
      co.fuse_batchnorm = !no_fuse;
      for (const auto& p : plugins) kml::plugin::load(p);
      kml::convert(co);
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
    std::cerr << "kml-convert: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "kml-convert: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
