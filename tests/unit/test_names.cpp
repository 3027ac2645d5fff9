// Names on their way into generated text (util/names.h) and the output directory's safety checks
// (project/output_dir.h).  The end-to-end checks (reproducers converted and compiled, a CMake project with a
// target per awkward name) are in tests/robustness and tests/cmake/names.sh.
#include "test_dirs.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include <toml++/toml.h>

#include "config_skeleton.h"
#include "convert.h"
#include "project/project.h"
#include "project/output_dir.h"
#include "util/error.h"
#include "util/names.h"

namespace fs = std::filesystem;
namespace names = kml::names;

TEST_CASE("names: comments cannot end early or splice the next line", "[names]") {
  CHECK(names::cpp_comment("dense_1") == "dense_1");
  CHECK(names::cpp_comment("dense\nint x = ;") == "dense\\x0aint x = ;");
  CHECK(names::cpp_comment("a\\") == "a\\x5c");  // a trailing backslash would continue the // comment
  CHECK(names::cpp_comment("a??/") == "a?\\x3f/");  // ??/ is a backslash under -std=c++14 (trigraphs)
  CHECK(names::cpp_comment("r\xc3\xa9seau") == "r\xc3\xa9seau");  // UTF-8 stays
  CHECK(names::cpp_comment("bad\xff") == "bad\\xff");           // not UTF-8: escaped
  CHECK(names::cpp_comment("\xe0\x80\x80") == "\\xe0\\x80\\x80");  // overlong form
}

TEST_CASE("names: string literals escape quotes, backslashes, trigraphs and every other byte", "[names]") {
  CHECK(names::cpp_string("dense") == "\"dense\"");
  CHECK(names::cpp_string("dense\"x") == "\"dense\\\"x\"");
  CHECK(names::cpp_string("a\\b") == "\"a\\\\b\"");
  CHECK(names::cpp_string("??/") == "\"\\?\\?/\"");
  CHECK(names::cpp_string("\n\xc3\xa9" "1") == "\"\\012\\303\\2511\"");  // octal: "1" after it stays a digit
}

TEST_CASE("names: a project's namespace is a usable identifier, whatever the name", "[names]") {
  CHECK(names::project_ident("jet") == "jet");
  CHECK(names::project_ident("model") == "model");
  CHECK(names::project_ident("parameters") == "parameters");
  CHECK(names::project_ident("defines") == "defines");
  CHECK(names::project_ident("float") == "float_");
  CHECK(names::project_ident("int") == "int_");
  CHECK(names::project_ident("main") == "main_");
  CHECK(names::project_ident("std") == "std_");
  CHECK(names::project_ident("kml") == "kml_");
  CHECK(names::project_ident("linux") == "linux_");  // a macro in GNU modes
  CHECK(names::project_ident("time") == "time_");    // ::time from <ctime>
  CHECK(names::project_ident("input_t") == "input_t_");
  CHECK(names::project_ident("ap_fixed") == "ap_fixed_");
  CHECK(names::project_ident("3layer") == "m_3layer");
  CHECK(names::project_ident("_x") == "m_x");
  CHECK(names::project_ident("a..b") == "a_b");  // no "__" (reserved everywhere)
  CHECK(names::project_ident("mod\xc3\xa8le") == "mod_le");
  CHECK(names::project_ident("jet-v1.2") == "jet_v1_2");
}

TEST_CASE("names: project names, stems, file stems and tool words", "[names]") {
  CHECK(names::is_project_name("jet"));
  CHECK(names::is_project_name("3layer"));
  CHECK(names::is_project_name("mod\xc3\xa8le"));
  CHECK(names::is_project_name("jet-v1.2+x"));
  CHECK_FALSE(names::is_project_name("a\"b"));
  CHECK_FALSE(names::is_project_name("a b"));
  CHECK_FALSE(names::is_project_name("a/b"));
  CHECK_FALSE(names::is_project_name(".."));
  CHECK_FALSE(names::is_project_name("-x"));
  CHECK_FALSE(names::is_project_name("bad\xff"));
  CHECK(names::project_name_from_stem("my model \"v2\"") == "my_model__v2_");
  CHECK(names::project_name_from_stem(".hidden") == "_hidden");
  CHECK(names::shadows_system_header("float"));
  CHECK(names::shadows_system_header("ap_fixed"));
  CHECK_FALSE(names::shadows_system_header("model"));
  CHECK(names::file_stem("dense_1") == "dense_1");
  CHECK(names::file_stem("../../etc/x") == "%2E.%2F..%2Fetc%2Fx");
  CHECK(names::file_stem("a%b") == "a%25b");
  CHECK_NOTHROW(names::check_tool_word("xcvu13p-flga2577-2-e", "[model] part", "c.toml"));
  CHECK_NOTHROW(names::check_tool_word("", "[model] part", "c.toml"));
  for (const char* bad : {"xc\nexit 1", "xc[exec rm]", "xc$x", "xc;exit", "xc}", "xc yz", "-xc"}) {
    INFO(bad);
    CHECK_THROWS_WITH(names::check_tool_word(bad, "[model] part", "c.toml"),
                      Catch::StartsWith("c.toml: [model] part = \"") && Catch::Contains("not a plain word"));
  }
}

namespace {
fs::path fresh(const std::string& name) { return kml_test::fresh_dir(name); }
void touch(const fs::path& p, const std::string& text = "x") { std::ofstream(p) << text; }
}  // namespace

TEST_CASE("output directory: never an input, never a directory that is not a project", "[names][output]") {
  const fs::path d = fresh("outdir");
  touch(d / "m.keras");
  touch(d / "c.toml");
  const std::vector<std::string> in = {(d / "m.keras").string(), (d / "c.toml").string(), ""};
  using Catch::Contains;
  CHECK_THROWS_WITH(kml::project::checked_output_dir((d / "m.keras").string(), in), Contains("is the input file"));
  CHECK_THROWS_WITH(kml::project::checked_output_dir(d.string(), in), Contains("contains the input file"));
  CHECK_THROWS_WITH(kml::project::checked_output_dir((d / "m.keras" / "out").string(), in),
                    Contains("lies inside the input file"));
  CHECK_THROWS_WITH(kml::project::checked_output_dir("/", in), Contains("file system root"));
  CHECK(kml::project::checked_output_dir((d / "out/").string(), in) == d / "out");
  CHECK(kml::project::checked_output_dir((d / "out/./").string(), in) == d / "out");
  fs::create_directories(d / "user" / "sub");
  CHECK(kml::project::checked_output_dir((d / "user").string(), in) == d / "user");  // only empty directories
  touch(d / "user" / "sub" / "notes.txt");
  CHECK_THROWS_WITH(kml::project::checked_output_dir((d / "user").string(), in), Contains("is not a kml project"));
  touch(d / "user" / "kml_manifest.json", "{}");
  CHECK_NOTHROW(kml::project::checked_output_dir((d / "user").string(), in));
  CHECK_THROWS_WITH(kml::project::checked_output_dir((d / "c.toml").string(), {}), Contains("not a directory"));
}

TEST_CASE("output directory: staging is removed on failure, stale stagings of dead processes are reaped",
          "[names][output]") {
  const fs::path d = fresh("staging");
  // A staging directory of a process that no longer exists (pid 2^22+1 is above Linux's default pid_max).
  fs::create_directories(d / ".out.tmp.4194305" / "firmware");
  touch(d / ".out.tmp.4194305" / "firmware" / "model.h");
  {
    kml::project::StagingDir s(d / "out", "out");
    touch(s.path() / "half-written");
    CHECK(fs::exists(s.path()));
  }
  CHECK_FALSE(fs::exists(d / ".out.tmp.4194305"));
  for (const auto& e : fs::directory_iterator(d)) FAIL("left behind: " << e.path());
  // Missing parents created for the output are removed again.
  { kml::project::StagingDir s(d / "a" / "b" / "out", "a/b/out"); }
  CHECK_FALSE(fs::exists(d / "a"));
  // A file in the way: one line, no "filesystem error" text.
  touch(d / "f");
  CHECK_THROWS_WITH(kml::project::StagingDir(d / "f" / "out", "f/out"),
                    "f/out: cannot create the output directory: Not a directory (" + (d / "f").string() + ")");
}

TEST_CASE("output directory: a signal during emission removes the staging directory", "[names][output]") {
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
    INFO("signal " << sig);
    const fs::path d = fresh("signal");
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // the child: a conversion half way through writing its project
      ::signal(sig, SIG_DFL);
      kml::project::StagingDir s(d / "out", "out");
      fs::create_directories(s.path() / "firmware" / "weights");
      for (int i = 0; i < 50; ++i) touch(s.path() / "firmware" / "weights" / ("w" + std::to_string(i) + ".h"));
      ::kill(::getpid(), sig);
      ::_exit(3);  // not reached
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);  // it still dies of the signal
    for (const auto& e : fs::directory_iterator(d)) FAIL("left behind: " << e.path());
  }
}

TEST_CASE("names: the config skeleton of a model with awkward layer names is valid TOML naming every layer",
          "[names]") {
  kml::SkeletonOptions o;
  o.model = std::string(KML_TEST_DATA) + "/names/layer_names.keras";
  const std::string text = kml::config_skeleton(o);
  // A layer name in a comment cannot start a line of its own (a line break in it would add TOML).
  CHECK(text.find("\nint x = ;") == std::string::npos);
  toml::table t;
  REQUIRE_NOTHROW(t = toml::parse(text));
  const auto* layers = t["layer"].as_table();
  REQUIRE(layers);
  for (const char* name : {"dense\\", "dense \"1\"\nint x = ;", "r\xc3\xa9seau/../\xc3\xbc?\?/", "out'put\"\\"})
    CHECK(layers->contains(name));
}

TEST_CASE("output directory: plugins and template directories count as inputs", "[names][output]") {
  const fs::path d = fresh("other_inputs");
  fs::create_directories(d / "plugins");
  touch(d / "plugins" / "libmy_layer.so");
  kml::ConvertOptions o;
  o.model = std::string(KML_TEST_DATA) + "/dense_jet.keras";
  o.out_dir = d.string();
  o.other_inputs = {(d / "plugins" / "libmy_layer.so").string()};
  CHECK_THROWS_WITH(kml::convert(o), Catch::Contains("the output directory contains the input file"));
  kml::project::Options po;
  po.template_dirs = {(d / "plugins").string()};
  o.other_inputs.clear();
  o.project = &po;
  o.out_dir = (d / "plugins").string();
  CHECK_THROWS_WITH(kml::convert(o), Catch::Contains("the output directory is the input file"));
  CHECK(fs::exists(d / "plugins" / "libmy_layer.so"));
}
