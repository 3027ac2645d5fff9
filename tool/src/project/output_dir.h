// The output directory of `kml-convert convert -o DIR`: checked before anything is read or written, built in a
// sibling staging directory and moved into place only when complete.
//
//  * DIR must not be, lie inside, or contain a file the conversion reads (model, weights, config, test data):
//    `-o m.keras` would otherwise replace the model by the project.  An existing DIR is replaced only when it is
//    a kml project (it holds kml_manifest.json) or holds no files at all: `-o .` or `-o ~` never wipes a directory.
//  * `-o DIR/` names DIR.
//  * The staging directory .<DIR>.tmp.<pid> is removed on every failure: by the destructor for errors, by a
//    signal handler for SIGINT/SIGTERM/SIGHUP/SIGQUIT (and the crash signals), and, for a process killed outright
//    (SIGKILL, a sanitizer's exit), by the next conversion into DIR, which removes .<DIR>.tmp.<pid> siblings whose
//    process is gone.
//  * Filesystem failures become one line naming the path and the reason.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace kml::project {

// The output directory named by `out` ("DIR/" is DIR), absolute and normalized.  Throws kml::Error (naming `out`)
// when it is unusable: empty, the file system root, equal to / inside / containing one of `inputs`, an existing
// non-directory, or an existing directory that is neither empty nor a kml project.
std::filesystem::path checked_output_dir(const std::string& out, const std::vector<std::string>& inputs);

class StagingDir {
 public:
  // Creates the staging directory beside `target` (creating target's missing parents, removed again on failure).
  // `shown` is how the user named the directory, for messages.
  StagingDir(const std::filesystem::path& target, const std::string& shown);
  ~StagingDir();
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  const std::filesystem::path& path() const { return tmp_; }
  // Into place (see output_dir.cpp).  Afterwards nothing is removed on failure.
  void commit();

 private:
  std::filesystem::path target_, tmp_;
  std::string shown_;
  std::vector<std::filesystem::path> created_parents_;  // outermost first
  bool committed_ = false;
};

}  // namespace kml::project
