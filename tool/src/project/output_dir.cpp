#include "project/output_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "util/error.h"

namespace kml::project {

namespace fs = std::filesystem;

namespace {

// ---- removal from a signal handler: system calls only (no allocation, no locks).

char g_stage[4096];                    // absolute path of the staging directory, "" when none
volatile sig_atomic_t g_armed = 0;     // g_stage is complete and to be removed on a signal

void remove_tree_at(int parent, const char* name, int depth) {
  if (depth > 64) return;
  if (::unlinkat(parent, name, 0) == 0) return;  // not a directory
  const int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  alignas(8) char buf[2048];
  // Entries removed while the directory is read may shift the rest: read it again until a pass finds nothing.
  for (int pass = 0; pass < 64; ++pass) {
    bool found = false;
    ::lseek(fd, 0, SEEK_SET);
    for (;;) {
      const ssize_t n = ::getdents64(fd, buf, sizeof buf);
      if (n <= 0) break;
      for (ssize_t off = 0; off < n;) {
        const auto* d = reinterpret_cast<const struct dirent64*>(buf + off);
        off += d->d_reclen;
        if (std::strcmp(d->d_name, ".") == 0 || std::strcmp(d->d_name, "..") == 0) continue;
        found = true;
        remove_tree_at(fd, d->d_name, depth + 1);
      }
    }
    if (!found) break;
  }
  ::close(fd);
  ::unlinkat(parent, name, AT_REMOVEDIR);
}

extern "C" void remove_stage_on_signal(int sig) {
  if (g_armed) {
    g_armed = 0;
    remove_tree_at(AT_FDCWD, g_stage, 0);
  }
  // Die of the signal, as without the handler (exit status, core dump).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
  ::raise(sig);
}

// For every signal still at its default action: a signal the process ignores (nohup's SIGHUP) stays ignored,
// and a handler someone else installed (a sanitizer's SIGSEGV handler) is left alone.
void install_signal_handlers() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0) continue;
    if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
    struct sigaction sa {};
    sa.sa_handler = remove_stage_on_signal;
    ::sigemptyset(&sa.sa_mask);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaddset(&sa.sa_mask, s);
    ::sigaction(sig, &sa, nullptr);
  }
}

void arm(const fs::path& p) {
  const std::string s = p.string();
  if (s.size() >= sizeof g_stage) return;  // not removable from the handler; the reaper gets it next time
  g_armed = 0;
  std::memcpy(g_stage, s.c_str(), s.size() + 1);
  g_armed = 1;
}

void disarm() { g_armed = 0; }

// "Not a directory (f)": the reason of a filesystem_error and the path it names, without the library's
// "filesystem error: cannot ...:" prefix.
std::string reason(const fs::filesystem_error& e) {
  std::string r = e.code().message();
  if (!e.path1().empty()) r += " (" + e.path1().string() + ")";
  return r;
}

bool inside(const fs::path& p, const fs::path& dir) {  // p == dir or below it; both absolute and normal
  auto [a, b] = std::mismatch(dir.begin(), dir.end(), p.begin(), p.end());
  return a == dir.end() || (std::next(a) == dir.end() && a->empty());
}

fs::path canonical_or_normal(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? fs::absolute(p).lexically_normal() : c;
}

// .<name>.tmp.<pid> siblings of `target` left by conversions that did not end normally (SIGKILL, a sanitizer's
// exit): removed when their process no longer exists.
void reap_stale_stages(const fs::path& parent, const std::string& name) {
  const std::string prefix = "." + name + ".tmp.";
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string f = it->path().filename().string();
    if (f.size() <= prefix.size() || f.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = f.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to judge)
    std::error_code rec;
    fs::remove_all(it->path(), rec);
  }
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

}  // namespace

fs::path checked_output_dir(const std::string& out, const std::vector<std::string>& inputs) {
  if (out.empty()) throw Error("no output directory given (-o DIR)");
  fs::path p = fs::absolute(out).lexically_normal();
  while (!p.has_filename() && p != p.root_path()) p = p.parent_path();  // "DIR/" and "." name a directory
  if (p == p.root_path()) throw file_error(out, "the output directory cannot be the file system root");
  const fs::path real = canonical_or_normal(p);
  for (const auto& in : inputs) {
    if (in.empty()) continue;
    const fs::path f = canonical_or_normal(in);
    if (f == real)
      throw file_error(out, "the output directory is the input file " + in + " (it would be replaced by the project)");
    if (inside(f, real))
      throw file_error(out, "the output directory contains the input file " + in +
                                " (replacing the directory would delete it); choose another -o");
    if (inside(real, f)) throw file_error(out, "the output directory lies inside the input file " + in);
  }
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) throw file_error(out, "exists and is not a directory (not replaced)");
    if (!fs::exists(p / "kml_manifest.json", ec)) {
      const auto opts = fs::directory_options::skip_permission_denied;
      for (fs::recursive_directory_iterator it(p, opts, ec), end; !ec && it != end; it.increment(ec))
        if (!it->is_directory(ec))
          throw file_error(out, "exists and is not a kml project (no kml_manifest.json): not replaced; "
                                "remove it or choose another -o");
    }
  }
  return p;
}

StagingDir::StagingDir(const fs::path& target, const std::string& shown) : target_(target), shown_(shown) {
  try {
    const fs::path parent = target.parent_path();
    for (fs::path q = parent; !q.empty() && !fs::exists(fs::symlink_status(q)); q = q.parent_path()) {
      created_parents_.insert(created_parents_.begin(), q);
      if (q == q.root_path()) break;
    }
    fs::create_directories(parent);
    reap_stale_stages(parent, target.filename().string());
    tmp_ = parent / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
    fs::remove_all(tmp_);
    install_signal_handlers();
    arm(tmp_);
    fs::create_directories(tmp_);
  } catch (const fs::filesystem_error& e) {
    disarm();
    std::error_code ec;
    if (!tmp_.empty()) fs::remove_all(tmp_, ec);
    if (!created_parents_.empty()) fs::remove_all(created_parents_.front(), ec);
    throw file_error(shown, "cannot create the output directory: " + reason(e));
  }
}

StagingDir::~StagingDir() {
  if (committed_) return;
  disarm();
  std::error_code ec;
  fs::remove_all(tmp_, ec);
  if (!created_parents_.empty()) fs::remove_all(created_parents_.front(), ec);
}

// An existing project keeps every file whose content is unchanged, time stamp included, so that a build
// recompiles only what really changed (a comment in a TOML shared by many models rebuilds nothing); changed and
// new files are renamed in one by one, files no longer generated are removed, and the manifest, the build's
// stamp of the conversion, is always renewed and goes last.
void StagingDir::commit() {
  try {
    if (!fs::is_directory(target_)) {
      fs::rename(tmp_, target_);
      committed_ = true;
      disarm();
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
  } catch (const fs::filesystem_error& e) {
    throw file_error(shown_, "cannot move the project into place: " + reason(e));
  }
  committed_ = true;
  disarm();
  std::error_code ec;
  fs::remove_all(tmp_, ec);
}

}  // namespace kml::project
