#include "convert.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "config/config.h"
#include "emit/backend.h"
#include "emit/hls/emitter.h"
#include "passes/passes.h"
#include "project/output_dir.h"
#include "project/project.h"
#include "readers/keras_model.h"
#include "readers/layers.h"
#include "util/error.h"
#include "util/names.h"
#include "version.h"

namespace kml {

namespace fs = std::filesystem;

namespace {

std::string fnv1a_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::uint64_t h = 1469598103934665603ull;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ull;
    }
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::string depfile_escape(const std::string& p) {
  std::string r;
  for (char c : p) {
    if (c == ' ' || c == '#' || c == '\\') r += '\\';
    if (c == '$') r += '$';
    r += c;
  }
  return r;
}

}  // namespace

static bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xe ? 2 : (c >> 3) == 0x1e ? 3 : -1;
    if (n < 0) return false;
    for (int k = 1; k <= n; ++k)
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

// A [layer_type.<Class>] must name a layer class (one kml converts, or one of the model): a misspelt class would
// otherwise match nothing and its settings would be dropped without a word. A known class the model does not
// use is fine (one TOML may serve several models).
static void check_layer_types(const Config& cfg, const ir::Graph& g) {
  for (const auto& [type, s] : cfg.by_type) {
    if (type == "InputLayer" || readers::LayerRegistry::instance().find(type)) continue;
    bool used = false;
    for (const auto& n : g.nodes()) used = used || n->keras_class == type;
    if (!used)
      throw Error((cfg.file.empty() ? std::string("--set") : cfg.file) + ": [layer_type." + type +
                  "] is not a Keras layer class kml knows, and no layer of the model has that class");
  }
}

LoadedModel load_model(const ConvertOptions& o) {
  if (!fs::exists(o.model)) throw file_error(o.model, "no such file");
  if (!o.weights.empty() && !fs::exists(o.weights)) throw file_error(o.weights, "no such file");
  passes::Options popt;
  popt.skip.insert(o.skip_passes.begin(), o.skip_passes.end());
  popt.dump_after.insert(o.dump_ir_after.begin(), o.dump_ir_after.end());
  popt.dump = &std::cout;
  passes::check_options(popt);
  if (!o.config.empty() && !fs::exists(o.config)) throw file_error(o.config, "no such file");
  LoadedModel m{project::load_config(o.config, o.project), {}, {}};
  // The part is written into the vendor tool's Tcl and .cfg files.
  names::check_tool_word(m.cfg.part, "[model] part", o.config.empty() ? std::string("--set") : o.config);
  m.read = readers::read_model(o.model, o.weights);
  check_layer_types(m.cfg, m.read.graph);
  m.read_done = std::chrono::steady_clock::now();
  try {
    passes::run_passes(m.read.graph, m.cfg, popt);
  } catch (const Error& e) {
    std::string msg = e.what();
    // Errors from passes that do not name a file name the model.
    if (msg.find(": ") == std::string::npos || msg.rfind("internal", 0) == 0) throw file_error(o.model, msg);
    throw;
  }
  return m;
}

void convert(const ConvertOptions& o) {
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  auto ms = [](clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  if (o.model.empty()) throw Error("no model file given");
  if (o.out_dir.empty()) throw Error("no output directory given (-o DIR)");
  if (!fs::exists(o.model)) throw file_error(o.model, "no such file");
  if (!o.weights.empty() && !fs::exists(o.weights)) throw file_error(o.weights, "no such file");
  // Before anything is read or written: -o must not be, hold or lie in an input (project/output_dir.h).
  std::vector<std::string> inputs = {o.model, o.weights, o.config};
  inputs.insert(inputs.end(), o.other_inputs.begin(), o.other_inputs.end());
  if (o.project) {
    inputs.insert(inputs.end(), o.project->test_data.begin(), o.project->test_data.end());
    inputs.push_back(o.project->csim_outputs);
    inputs.insert(inputs.end(), o.project->template_dirs.begin(), o.project->template_dirs.end());
  }
  const fs::path out_dir = project::checked_output_dir(o.out_dir, inputs);
  if (!o.name.empty() && !valid_utf8(o.name))
    throw Error("bad model name given with -n: not valid UTF-8 (it goes into the generated files)");
  if (!o.name.empty() && !names::is_project_name(o.name))
    throw Error("-n \"" + names::shown(o.name) + "\": not usable as a model name (it names the API header "
                "include/<name>.h and the vendor projects): use letters, digits, _ . + - or non-ASCII letters, "
                "not starting with . or -");
  if (!o.depfile.empty() && fs::absolute(o.depfile).lexically_normal().string().rfind(out_dir.string() + "/", 0) == 0)
    throw file_error(o.depfile, "the depfile cannot lie inside the output directory " + o.out_dir);
  const emit::Backend& backend = emit::BackendRegistry::instance().get(o.backend);
  LoadedModel loaded = load_model(o);
  Config& cfg = loaded.cfg;
  readers::ReadResult& r = loaded.read;
  auto t_read = loaded.read_done;
  try {
    backend.check(r.graph, cfg);
  } catch (const Error& e) {
    throw file_error(o.model, e.what());  // the backend refuses the graph: its messages name the layer
  }

  emit::ProjectInfo info;
  // The name names files (include/<name>.h) and Tcl words; its C++ namespace is a sanitized identifier
  // (util/names.h).  A name from -n (the CMake target) must fit (checked above); the model file's stem is made
  // to, once it is valid UTF-8.
  if (o.name.empty() && !valid_utf8(fs::path(o.model).stem().string()))
    throw file_error(o.model, "the model name taken from the file name is not valid UTF-8 (it goes into "
                              "the generated files); rename the file or give -n NAME");
  info.name = o.name.empty() ? names::project_name_from_stem(fs::path(o.model).stem().string()) : o.name;
  info.ident = names::project_ident(info.name);
  nlohmann::json prov;
  prov["model"] = {{"path", fs::absolute(o.model).string()}, {"fnv1a64", fnv1a_file(o.model)}, {"format", r.format}};
  if (!o.weights.empty()) prov["weights"] = {{"path", fs::absolute(o.weights).string()}, {"fnv1a64", fnv1a_file(o.weights)}};
  if (!o.config.empty()) prov["config"] = {{"path", fs::absolute(o.config).string()}, {"fnv1a64", fnv1a_file(o.config)}};
  prov["keras_major"] = r.keras_major;
  prov["kml_version"] = KML_VERSION;
  info.provenance = prov;

  auto t_passes = clock::now();
  project::StagingDir stage(out_dir, o.out_dir);
  backend.write_project(r.graph, cfg, info, stage.path());
  if (o.project && o.project->standalone) project::write_standalone(stage.path(), *o.project);
  auto t_emit = clock::now();

  // The depfile goes first: when it cannot be written, the project is not replaced either.
  if (!o.depfile.empty()) {
    std::vector<std::string> files = r.files;
    if (!o.config.empty()) files.push_back(o.config);
    std::ostringstream d;
    std::string shown_out = o.out_dir;  // as given ("DIR/" is DIR): the build tool's name of the output
    while (shown_out.size() > 1 && shown_out.back() == '/') shown_out.pop_back();
    d << depfile_escape((fs::path(shown_out) / "kml_manifest.json").string()) << ":";
    for (const auto& f : files) d << " " << depfile_escape(fs::absolute(f).string());
    d << "\n";
    const std::string tmp = o.depfile + ".tmp." + std::to_string(::getpid());
    {
      std::ofstream out(tmp);
      out << d.str();
      out.close();
      if (!out) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw file_error(o.depfile, std::string("cannot write depfile: ") + std::strerror(errno));
      }
    }
    std::error_code ec;
    fs::rename(tmp, o.depfile, ec);
    if (ec) {
      std::error_code ec2;
      fs::remove(tmp, ec2);
      throw file_error(o.depfile, "cannot write depfile: " + ec.message());
    }
  }
  stage.commit();
  if (o.timings)
    std::fprintf(stderr, "kml-convert: timings: read %.2f ms, passes %.2f ms, emit+write %.2f ms, commit %.2f ms\n",
                 ms(t0, t_read), ms(t_read, t_passes), ms(t_passes, t_emit), ms(t_emit, clock::now()));
}

}  // namespace kml
