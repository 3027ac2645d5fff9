// Host-side tracing of per-layer outputs (csim and emulation only; compiled out for synthesis).
// The testbench names a directory; each traced layer then appends one line per sample to <dir>/<layer>.dat.
#ifndef KML_TRACE_H_
#define KML_TRACE_H_

#ifndef __SYNTHESIS__
#include <cstdio>
#include <map>
#include <string>

#include "kml/common.h"

namespace kml {
namespace trace {

struct State {
  std::string dir;
  std::map<std::string, std::FILE*> files;
  ~State() {
    for (auto& f : files) std::fclose(f.second);
  }
};

inline State& state() {
  static State s;
  return s;
}

inline void set_directory(const char* dir) { state().dir = dir ? dir : ""; }
inline void begin_sample(std::size_t) {}

template <class T>
void record(const char* name, const T* data, unsigned n) {
  State& s = state();
  if (s.dir.empty()) return;
  std::FILE*& f = s.files[name];
  if (!f) {
    f = std::fopen((s.dir + "/" + name + ".dat").c_str(), "w");
    if (!f) return;
  }
  for (unsigned i = 0; i < n; i++) std::fprintf(f, i ? " %.17g" : "%.17g", kml::to_double(data[i]));
  std::fputc('\n', f);
}

}  // namespace trace
}  // namespace kml
#endif

#endif
