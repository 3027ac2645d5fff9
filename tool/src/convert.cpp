#include "convert.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "config/config.h"
#include "emit/emitter.h"
#include "passes/passes.h"
#include "project/project.h"
#include "readers/keras_model.h"
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
  void commit() {
    fs::path old = target_.parent_path() / ("." + target_.filename().string() + ".old." + std::to_string(::getpid()));
    std::error_code ec;
    bool had = fs::exists(target_);
    if (had) fs::rename(target_, old);
    fs::rename(tmp_, target_);
    committed_ = true;
    if (had) fs::remove_all(old, ec);
  }

 private:
  fs::path target_, tmp_;
  bool committed_ = false;
};

}  // namespace

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
  if (!o.config.empty() && !fs::exists(o.config)) throw file_error(o.config, "no such file");
  Config cfg = project::load_config(o.config, o.project);
  readers::ReadResult r = readers::read_model(o.model, o.weights);
  auto t_read = clock::now();
  try {
    passes::Options popt;
    popt.fuse_batchnorm = o.fuse_batchnorm;
    passes::run_passes(r.graph, cfg, popt);
  } catch (const Error& e) {
    std::string msg = e.what();
    // Errors from passes that do not name a file name the model.
    if (msg.find(": ") == std::string::npos || msg.rfind("internal", 0) == 0) throw file_error(o.model, msg);
    throw;
  }

  emit::ProjectInfo info;
  info.name = o.name.empty() ? fs::path(o.model).stem().string() : o.name;
  if (info.name.empty() || info.name.find_first_of("/\\") != std::string::npos)
    throw Error("bad model name '" + info.name + "' (it names files: no slashes)");
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
  emit::write_project(r.graph, cfg, info, stage.path());
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
