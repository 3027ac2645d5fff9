// A conversion whose output is unchanged leaves the project's files alone (time stamps included), so that a
// build recompiles only what really changed; the manifest, the conversion's stamp, is always renewed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <chrono>
#include <map>
#include <set>

#include "convert.h"

namespace fs = std::filesystem;

namespace {

fs::path tmp(const std::string& name) {
  fs::path p = fs::path(KML_TEST_TMP) / "incremental" / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream o(p, std::ios::binary);
  o << text;
}

// Every file's time stamp, after setting them all to an hour ago (so that a rewrite is seen).
std::map<std::string, fs::file_time_type> age(const fs::path& dir) {
  std::map<std::string, fs::file_time_type> t;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) {
      auto old = fs::file_time_type::clock::now() - std::chrono::hours(1);
      fs::last_write_time(e.path(), old);
      t[fs::relative(e.path(), dir).string()] = old;
    }
  return t;
}

std::set<std::string> rewritten(const fs::path& dir, const std::map<std::string, fs::file_time_type>& before) {
  std::set<std::string> r;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) {
      std::string rel = fs::relative(e.path(), dir).string();
      auto it = before.find(rel);
      if (it == before.end() || fs::last_write_time(e.path()) != it->second) r.insert(rel);
    }
  return r;
}

}  // namespace

TEST_CASE("reconverting writes only the files whose content changed", "[convert][incremental]") {
  fs::path d = tmp("jet");
  kml::ConvertOptions o;
  o.model = std::string(KML_TEST_DATA) + "/dense_jet.keras";
  o.out_dir = (d / "prj").string();
  o.name = "jet";
  o.config = (d / "jet.toml").string();
  write(o.config, "[model]\nreuse_factor = 1\n");
  kml::convert(o);
  REQUIRE(fs::exists(d / "prj/include/jet.h"));

  // A comment and a touch: only the manifest (it records the config's hash) is written.
  auto before = age(d / "prj");
  write(o.config, "# a comment\n[model]\nreuse_factor = 1\n");
  kml::convert(o);
  CHECK(rewritten(d / "prj", before) == std::set<std::string>{"kml_manifest.json"});

  // A real change: the layer configs change, the API header, the weights and the testbench do not.
  before = age(d / "prj");
  write(o.config, "[model]\nreuse_factor = 2\n");
  kml::convert(o);
  auto changed = rewritten(d / "prj", before);
  CHECK(changed.count("firmware/parameters.h"));
  CHECK(changed.count("kml_manifest.json"));
  CHECK_FALSE(changed.count("include/jet.h"));
  CHECK_FALSE(changed.count("tb/testbench.cpp"));
  CHECK_FALSE(changed.count("firmware/weights/w2.h"));

  // Files the converter no longer writes go; no staging directory is left behind.
  write(d / "prj/firmware/stale.h", "// not generated\n");
  fs::create_directories(d / "prj/old_dir");
  write(d / "prj/old_dir/x.h", "x");
  kml::convert(o);
  CHECK_FALSE(fs::exists(d / "prj/firmware/stale.h"));
  CHECK_FALSE(fs::exists(d / "prj/old_dir"));
  for (const auto& e : fs::directory_iterator(d)) CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);

  // A file where the project directory should be is not replaced (it may be anything of the user's), nor is a
  // directory holding files that is not a kml project.
  fs::path f = d / "file_prj";
  write(f, "not a directory");
  o.out_dir = f.string();
  CHECK_THROWS_WITH(kml::convert(o), f.string() + ": exists and is not a directory (not replaced)");
  CHECK(fs::is_regular_file(f));
  fs::create_directories(d / "notes");
  write(d / "notes/todo.txt", "mine");
  o.out_dir = (d / "notes").string();
  CHECK_THROWS_WITH(kml::convert(o), Catch::Contains("is not a kml project (no kml_manifest.json): not replaced"));
  CHECK(fs::is_regular_file(d / "notes/todo.txt"));
}
