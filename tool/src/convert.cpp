#include "convert.h"

#include <unistd.h>

#include <algorithm>
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
#include "project/project.h"
#include "readers/keras_model.h"
#include "readers/layers.h"
#include "util/error.h"
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

bool same_content(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::file_size(a, ec) != fs::file_size(b, ec) || ec) return false;
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  char ba[1 << 16], bb[1 << 16];
  while (fa && fb) {
    fa.read(ba, sizeof ba);
    fb.read(bb, sizeof bb);
    if (fa.gcount() != fb.gcount() || std::memcmp(ba, bb, static_cast<std::size_t>(fa.gcount())) != 0) return false;
  }
  return fa.eof() && fb.eof();
}

// A sibling temporary directory, removed unless commit() ran.
class StagingDir {
 public:
  explicit StagingDir(const fs::path& target) : target_(target) {
    fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!parent.empty()) fs::create_directories(parent);
    tmp_ = parent / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
  }
  ~StagingDir() {
    std::error_code ec;
    if (!committed_) fs::remove_all(tmp_, ec);
  }
  const fs::path& path() const { return tmp_; }
  // Into place. An existing project keeps every file whose content is unchanged, time stamp included, so that a
  // build recompiles only what really changed (a comment in a TOML shared by many models rebuilds nothing);
  // changed and new files are renamed in one by one, files no longer generated are removed, and the manifest,
  // the build's stamp of the conversion, is always renewed and goes last.
  void commit() {
    if (!fs::is_directory(target_)) {
      if (fs::exists(target_)) fs::remove_all(target_);
      fs::rename(tmp_, target_);
      committed_ = true;
      return;
    }
    std::vector<fs::path> staged;
    for (const auto& e : fs::recursive_directory_iterator(tmp_))
      if (e.is_regular_file()) staged.push_back(fs::relative(e.path(), tmp_));
    const fs::path stamp = "kml_manifest.json";
    std::stable_partition(staged.begin(), staged.end(), [&](const fs::path& p) { return p != stamp; });
    std::set<fs::path> keep(staged.begin(), staged.end());
    std::vector<fs::path> stale;
    for (const auto& e : fs::recursive_directory_iterator(target_))
      if (!e.is_directory() && !keep.count(fs::relative(e.path(), target_))) stale.push_back(e.path());
    for (const auto& p : stale) fs::remove(p);
    for (const auto& rel : staged) {
      const fs::path src = tmp_ / rel, dst = target_ / rel;
      if (rel != stamp && fs::is_regular_file(dst) && same_content(src, dst)) continue;
      if (fs::is_directory(dst)) fs::remove_all(dst);
      fs::create_directories(dst.parent_path());
      fs::rename(src, dst);
    }
    // Directories left empty by removed files.
    std::vector<fs::path> dirs;
    for (const auto& e : fs::recursive_directory_iterator(target_))
      if (e.is_directory()) dirs.push_back(e.path());
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
      if (fs::is_empty(*it)) fs::remove(*it);
    committed_ = true;
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

 private:
  fs::path target_, tmp_;
  bool committed_ = false;
};

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
  const emit::Backend& backend = emit::BackendRegistry::instance().get(o.backend);
  passes::Options popt;
  popt.skip.insert(o.skip_passes.begin(), o.skip_passes.end());
  popt.dump_after.insert(o.dump_ir_after.begin(), o.dump_ir_after.end());
  popt.dump = &std::cout;
  passes::check_options(popt);
  if (!o.config.empty() && !fs::exists(o.config)) throw file_error(o.config, "no such file");
  Config cfg = project::load_config(o.config, o.project);
  readers::ReadResult r = readers::read_model(o.model, o.weights);
  check_layer_types(cfg, r.graph);
  auto t_read = clock::now();
  try {
    passes::run_passes(r.graph, cfg, popt);
  } catch (const Error& e) {
    std::string msg = e.what();
    // Errors from passes that do not name a file name the model.
    if (msg.find(": ") == std::string::npos || msg.rfind("internal", 0) == 0) throw file_error(o.model, msg);
    throw;
  }
  try {
    backend.check(r.graph, cfg);
  } catch (const Error& e) {
    throw file_error(o.model, e.what());  // the backend refuses the graph: its messages name the layer
  }

  emit::ProjectInfo info;
  info.name = o.name.empty() ? fs::path(o.model).stem().string() : o.name;
  if (info.name.empty() || info.name.find_first_of("/\\") != std::string::npos)
    throw Error("bad model name '" + info.name + "' (it names files: no slashes)");
  if (!valid_utf8(info.name))
    throw o.name.empty() ? file_error(o.model, "the model name taken from the file name is not valid UTF-8 (it goes into "
                                               "the generated files); rename the file or give -n NAME")
                         : Error("bad model name given with -n: not valid UTF-8 (it goes into the generated files)");
  info.ident = emit::c_identifier(info.name);
  nlohmann::json prov;
  prov["model"] = {{"path", fs::absolute(o.model).string()}, {"fnv1a64", fnv1a_file(o.model)}, {"format", r.format}};
  if (!o.weights.empty()) prov["weights"] = {{"path", fs::absolute(o.weights).string()}, {"fnv1a64", fnv1a_file(o.weights)}};
  if (!o.config.empty()) prov["config"] = {{"path", fs::absolute(o.config).string()}, {"fnv1a64", fnv1a_file(o.config)}};
  prov["keras_major"] = r.keras_major;
  prov["kml_version"] = KML_VERSION;
  info.provenance = prov;

  auto t_passes = clock::now();
  StagingDir stage(o.out_dir);
  backend.write_project(r.graph, cfg, info, stage.path());
  if (o.project && o.project->standalone) project::write_standalone(stage.path(), *o.project);
  auto t_emit = clock::now();
  stage.commit();
  if (o.timings)
    std::fprintf(stderr, "kml-convert: timings: read %.2f ms, passes %.2f ms, emit+write %.2f ms, commit %.2f ms\n",
                 ms(t0, t_read), ms(t_read, t_passes), ms(t_passes, t_emit), ms(t_emit, clock::now()));

  if (!o.depfile.empty()) {
    std::vector<std::string> files = r.files;
    if (!o.config.empty()) files.push_back(o.config);
    std::ostringstream d;
    d << depfile_escape((fs::path(o.out_dir) / "kml_manifest.json").string()) << ":";
    for (const auto& f : files) d << " " << depfile_escape(fs::absolute(f).string());
    d << "\n";
    std::string tmp = o.depfile + ".tmp";
    {
      std::ofstream out(tmp);
      out << d.str();
      if (!out) throw file_error(o.depfile, "cannot write depfile");
    }
    fs::rename(tmp, o.depfile);
  }
}

}  // namespace kml
