// kml-convert: Keras models -> HLS C++ projects, plus the test-vector helpers the CMake targets use.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "config/hls4ml.h"
#include "config_skeleton.h"
#include "convert.h"
#include "profile.h"
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

  std::string manifest, out, results, reference, trace_dir;
  std::vector<std::string> io;
  auto* td = app.add_subcommand("testdata", "Write the test inputs (an .io.h5, or .npy files) as testbench input lines");
  td->add_option("inputs", io, "An .io.h5 with x0, x1, ... datasets, or one .npy per model input (in input order)")
      ->required();
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
  double trace_tolerance = -1;
  rs->add_option("--trace-tolerance", trace_tolerance,
                 "Fail on the first traced layer whose |y - ref| > T * max(1, |ref|) vs the reference's trace/<layer> (0: bit-exact)");
  std::string summary;
  rs->add_option("--summary", summary, "Also write the figures (samples, errors, argmax agreement) as JSON here");

  kml::ProfileOptions pro;
  kml::project::Options pro_project;
  bool pro_no_fuse = false;
  auto* pf = app.add_subcommand("profile", "Numerical profile of a model's values against its configured types "
                                           "(profile.json, profile.txt, profile.html)");
  pf->add_option("model", pro.model.model, "Model file (as for convert)")->required();
  pf->add_option("-c,--config", pro.model.config, "TOML configuration whose types are profiled");
  pf->add_option("-w,--weights", pro.model.weights, "Weights .h5 for a .json architecture");
  pf->add_option("--set", pro_project.set, "Override a configuration setting, as for convert (repeatable)");
  pf->add_flag("--no-fuse-batchnorm", pro_no_fuse, "Keep BatchNormalization layers separate (as convert)");
  pf->add_option("--float-trace", pro.float_trace,
                 "Trace directory of the float emulation (testbench of the model converted with precision = \"float\", trace = true)")
      ->required();
  pf->add_option("--fixed-trace", pro.fixed_trace, "Trace directory of the fixed-point emulation (this configuration, trace = true)");
  pf->add_option("-o,--output", pro.out_dir, "Output directory")->required();
  pf->add_option("--title", pro.title, "Title of the HTML page (default: the model file's name)");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*conv) {
      if (no_fuse) co.skip_passes.push_back("fuse_batchnorm");
      for (const auto& p : plugins) kml::plugin::load(p);
      co.other_inputs = plugins;
      kml::convert(co);
    } else if (*cf) {
      std::string text;
      if (!from_hls4ml.empty()) {
        if (!so.model.empty()) throw kml::Error("config: give a MODEL or --from-hls4ml, not both");
        kml::Hls4mlImport imp = kml::import_hls4ml(from_hls4ml);
        for (const auto& u : imp.unmapped)
          std::cerr << "kml-convert: warning: " << kml::names::shown(from_hls4ml + ": " + u) << "\n";
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
    } else if (*pf) {
      if (pro_no_fuse) pro.model.skip_passes.push_back("fuse_batchnorm");
      pro.model.project = &pro_project;
      std::cout << kml::profile(pro);
      std::cout << "kml profile: " << pro.out_dir << "/profile.json, profile.txt, profile.html\n";
    } else if (*td) {
      kml::write_testdata(io, manifest, out);
    } else if (*rs) {
      kml::ResultsSummary s = kml::write_results(manifest, results, reference, trace_dir, out);
      if (!summary.empty()) kml::project::write_summary(s, reference, summary);
      std::cout << "kml csim: " << s.samples << " samples -> " << out << "\n";
      const bool checks = tolerance >= 0 || min_argmax >= 0 || exact || trace_tolerance >= 0;
      if (!reference.empty() && !s.has_reference)
        std::cout << "kml csim: " << reference << " has no reference outputs (y0, ...): nothing compared\n";
      if (reference.empty() && !checks) std::cout << "kml csim: no reference given: nothing compared\n";
      if (s.max_abs_error >= 0) {
        std::printf("kml csim: vs %s: max abs error %.6g, mean abs error %.6g", reference.c_str(), s.max_abs_error,
                    s.mean_abs_error);
        if (s.argmax_agreement >= 0) std::printf(", argmax agreement %.2f %%", 100.0 * s.argmax_agreement);
        std::printf("\n");
        if (s.mismatches == 0)
          std::printf("kml csim: outputs bit-exact with the reference (%zu values)\n", s.elements);
        else if (s.max_error_lsb >= 0)
          std::printf("kml csim: outputs %.3g LSB of their type (%s) off at most; %zu of %zu values differ\n",
                      s.max_error_lsb, s.output_type.c_str(), s.mismatches, s.elements);
        else
          std::printf("kml csim: outputs (%s) differ by max |y - ref| / max(1, |ref|) = %.3g; %zu of %zu values differ\n",
                      s.output_type.c_str(), s.max_scaled_error, s.mismatches, s.elements);
        if (tolerance >= 0 && s.max_scaled_error <= tolerance)
          std::printf("kml csim: outputs within tolerance %g (max |y - ref| / max(1, |ref|) = %.3g)\n", tolerance,
                      s.max_scaled_error);
      }
      if (!s.layers.empty()) {
        std::cout << "kml csim: layer by layer vs the reference's trace/<layer>:\n" << kml::format_compare_table(s);
        if (!s.first_past_lsb.empty()) {
          for (const auto& c : s.layers)
            if (c.layer == s.first_past_lsb)
              std::printf("kml csim: first layer whose error exceeds its result type's LSB: %s (%s, %s: %.3g LSB)\n",
                          c.layer.c_str(), c.keras_class.c_str(), c.type.c_str(), c.max_error_lsb);
        } else {
          bool any_fixed = false;
          for (const auto& c : s.layers) any_fixed |= c.max_error_lsb >= 0;
          if (any_fixed) std::printf("kml csim: every fixed-point layer within one LSB of its result type\n");
        }
      }
      if (checks && s.max_abs_error < 0) {
        if (reference.empty()) throw kml::Error("--tolerance/--min-argmax/--exact/--trace-tolerance need --reference");
        throw kml::file_error(reference, "no reference outputs (y0, ...) to check against");
      }
      int failed = 0;
      if (trace_tolerance >= 0) {
        std::size_t compared = 0;
        for (const auto& c : s.layers) {
          if (!c.note.empty()) continue;
          ++compared;
          if (c.max_scaled_error > trace_tolerance) {
            std::fprintf(stderr,
                         "kml csim: FAILED: layer '%s' (%s, %s) is the first past --trace-tolerance %g: max |y - ref| / "
                         "max(1, |ref|) = %.3g (%zu of %zu values differ)\n",
                         c.layer.c_str(), c.keras_class.c_str(), c.type.c_str(), trace_tolerance, c.max_scaled_error,
                         c.mismatches, c.elements);
            failed = 1;
            break;
          }
        }
        if (compared == 0)
          throw kml::file_error(reference, "--trace-tolerance: no layer to compare (the reference needs trace/<layer> "
                                           "datasets, the model trace = true and the testbench --trace-dir)");
        if (!failed) std::printf("kml csim: all %zu traced layers within --trace-tolerance %g\n", compared, trace_tolerance);
      }
      if (tolerance >= 0 && s.max_scaled_error > tolerance) {
        std::fprintf(stderr, "kml csim: FAILED: max |y - ref| / max(1, |ref|) = %.3g exceeds %.3g\n", s.max_scaled_error, tolerance);
        failed = 1;
      }
      if (min_argmax >= 0 && s.argmax_agreement < min_argmax) {
        std::fprintf(stderr, "kml csim: FAILED: argmax agreement %.4f below %.4f\n", s.argmax_agreement, min_argmax);
        failed = 1;
      }
      if (exact && s.mismatches) {
        std::fprintf(stderr, "kml csim: FAILED: %zu of %zu output values are not bit-exact\n", s.mismatches, s.elements);
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
