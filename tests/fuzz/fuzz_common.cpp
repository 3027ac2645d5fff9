#include "fuzz_common.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "util/error.h"

namespace fs = std::filesystem;

namespace kml::fuzz {

namespace {
struct Scratch {
  std::string dir;
  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    dir = (fs::path(tmp && *tmp ? tmp : "/tmp") / ("kml-fuzz." + std::to_string(getpid()))).string();
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "kml fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}
}  // namespace

const std::string& scratch() {
  static Scratch s;
  return s.dir;
}

std::string write_input(const std::string& name, const uint8_t* data, size_t size) {
  std::string path = (fs::path(scratch()) / name).string();
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!f) finding("cannot write the input file " + path);
  return path;
}

std::string env_file(const char* var) {
  const char* v = std::getenv(var);
  if (!v || !*v) finding(std::string("environment variable ") + var + " is not set (the fuzz CTest sets it)");
  return v;
}

bool convert_clean(ConvertOptions o) {
  const fs::path work = fs::path(scratch()) / "out";
  fs::remove_all(work);
  fs::create_directories(work);
  o.out_dir = (work / "prj").string();
  bool ok = false;
  try {
    convert(o);
    ok = true;
  } catch (const kml::Error& e) {
    // The expected outcome of bad input; the message must be one line.
    std::string msg = e.what();
    if (msg.empty()) finding("a kml::Error with an empty message");
  } catch (const std::exception& e) {
    finding(std::string("an exception other than kml::Error escaped the converter: ") + e.what());
  } catch (...) {
    finding("a non-std exception escaped the converter");
  }
  if (!ok) {
    // Nothing half-written: after a failure the work folder holds nothing (no project, no staging sibling).
    for (const auto& entry : fs::directory_iterator(work))
      finding("a failed conversion left " + entry.path().filename().string() + " behind");
  }
  fs::remove_all(work);
  return ok;
}

void convert_model_bytes(const std::string& file_name, const uint8_t* data, size_t size) {
  ConvertOptions o;
  o.model = write_input(file_name, data, size);
  o.name = "fuzzed";
  convert_clean(o);
}

}  // namespace kml::fuzz
