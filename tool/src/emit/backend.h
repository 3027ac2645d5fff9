// Backends: what turns the graph IR, after the passes, into a generated project.
//
// A backend is an object with
//   - a name, by which kml-convert selects it (`kml-convert convert --backend NAME`; the default is "hls");
//   - per-op emitters: a table IR op -> the backend's own emitter type (OpEmitters<E>), to which kml registers
//     the built-in ops and plugins add theirs, per backend (docs/extensions.md); emits(op) looks an op up;
//   - check(): called after the passes and before anything is written, it may refuse the graph with one
//     kml::Error naming the layer (e.g. a layer kind the backend does not implement);
//   - write_project(): writes the whole project into a fresh directory, which convert() renames into place.
//
// kml's HLS C++ backend ("hls", emit/hls/) is one; the RTL backend ("rtl", tool/src/rtl/) sits beside it. Both
// share the readers, the IR, the op registry and the passes. docs/architecture.md says how a backend plugs in.
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "ir/graph.h"

namespace kml::emit {

// What a backend is told about the project besides the graph and the config.
struct ProjectInfo {
  std::string name;   // as the user gave it (file names)
  std::string ident;  // C identifier made from it: API namespace; the HLS top function is ident + "_top"
  nlohmann::json provenance = nlohmann::json::object();  // input files, hashes, versions
};

// A backend's emitters, one per IR op. Registering an op again replaces its emitter (a plugin may override a
// built-in one).
template <class Emitter>
class OpEmitters {
 public:
  void add(const std::string& op, Emitter e) { table_[op] = std::move(e); }
  const Emitter* find(const std::string& op) const {
    auto it = table_.find(op);
    return it == table_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> ops() const {
    std::vector<std::string> r;
    for (const auto& entry : table_) r.push_back(entry.first);
    return r;
  }

 private:
  std::map<std::string, Emitter> table_;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // Has this backend an emitter for IR op `op`?
  virtual bool emits(const std::string& op) const = 0;
  // Refuse the graph before anything is written: throw kml::Error naming the layer. The default refuses a node
  // of an op this backend has no emitter for (model inputs and views, which have no code, need none).
  virtual void check(const ir::Graph& g, const Config& cfg) const;
  // Write the project into `dir` (it exists and is empty).
  virtual void write_project(const ir::Graph& g, const Config& cfg, const ProjectInfo& info,
                             const std::filesystem::path& dir) const = 0;
};

class BackendRegistry {
 public:
  // The registry with kml's backends.
  static BackendRegistry& instance();
  // Register a backend (replacing one of the same name). The registry does not own it: a backend is a static
  // object of the code that defines it.
  void add(Backend& b) { backends_[b.name()] = &b; }
  Backend* find(const std::string& name) const;
  // The backend of that name; throws kml::Error listing the known ones.
  Backend& get(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, Backend*> backends_;
};

}  // namespace kml::emit
