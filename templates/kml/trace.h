// Host-side tracing of per-layer outputs (csim and emulation only; compiled out for synthesis).
// The testbench names a directory (created if missing); each traced node then appends one line per sample to
// <dir>/<node>.dat. A directory that cannot be created or a file that cannot be written is reported once, by
// name, and ends the program with exit code 1 (no half-traced run that looks complete).
// A host program may take the values itself instead (the Python module's trace()): a Sink installed on a thread
// receives every record of that thread, and no file is written.
#ifndef KML_TRACE_H_
#define KML_TRACE_H_

#ifndef __SYNTHESIS__
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <sys/stat.h>
#ifdef _WIN32
#include <direct.h>
#endif

#include "kml/common.h"

namespace kml {
namespace trace {

struct State {
  std::string dir;
  std::map<std::string, std::FILE*> files;
  ~State() {
    for (auto& f : files)
      if (f.second) std::fclose(f.second);
  }
};

inline State& state() {
  static State s;
  return s;
}

// Receives the traced values of the thread it is installed on (set_sink); `name` is the node's file stem.
class Sink {
 public:
  virtual void record(const char* name, const double* values, unsigned n) = 0;

 protected:
  ~Sink() = default;
};

inline Sink*& thread_sink() {
  static thread_local Sink* s = nullptr;
  return s;
}
// Installs `s` on the calling thread (nullptr: back to the trace directory); returns the previous one.
inline Sink* set_sink(Sink* s) {
  Sink* old = thread_sink();
  thread_sink() = s;
  return old;
}

inline int make_dir(const std::string& d) {
#ifdef _WIN32
  return ::_mkdir(d.c_str());
#else
  return ::mkdir(d.c_str(), 0777);
#endif
}

// Creates `dir` and its missing parents. Returns false (and prints why) when that is impossible.
inline bool create_directory(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (st.st_mode & S_IFDIR) return true;
    std::fprintf(stderr, "kml trace: %s exists and is not a directory\n", dir.c_str());
    return false;
  }
  for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos < dir.size() && dir[pos] != '/' && dir[pos] != '\\') continue;
    std::string part = dir.substr(0, pos);
    if (::stat(part.c_str(), &st) == 0) continue;
    if (make_dir(part) != 0 && errno != EEXIST) {
      std::fprintf(stderr, "kml trace: cannot create the trace directory %s: %s\n", dir.c_str(), std::strerror(errno));
      return false;
    }
  }
  return true;
}

// Sets (and creates) the trace directory; false when it cannot be created (the message is printed).
inline bool set_directory(const char* dir) {
  state().dir = dir ? dir : "";
  return state().dir.empty() || create_directory(state().dir);
}
inline void begin_sample(std::size_t) {}

template <class T>
void record(const char* name, const T* data, unsigned n) {
  if (Sink* sink = thread_sink()) {
    std::vector<double> values(n);
    for (unsigned i = 0; i < n; i++) values[i] = kml::to_double(data[i]);
    sink->record(name, values.data(), n);
    return;
  }
  State& s = state();
  if (s.dir.empty()) return;
  std::FILE*& f = s.files[name];
  if (!f) {
    const std::string path = s.dir + "/" + name + ".dat";
    f = std::fopen(path.c_str(), "w");
    if (!f) {
      std::fprintf(stderr, "kml trace: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
      std::exit(1);
    }
  }
  for (unsigned i = 0; i < n; i++) std::fprintf(f, i ? " %.17g" : "%.17g", kml::to_double(data[i]));
  std::fputc('\n', f);
}

}  // namespace trace
}  // namespace kml
#endif

#endif
