// Scratch folders of the unit tests, under the build tree's tests/unit/tmp.
#pragma once
#include <filesystem>
#include <string>

namespace kml_test {

// KML_TEST_TMP/name, emptied and created anew.
inline std::filesystem::path fresh_dir(const std::string& name) {
  std::filesystem::path p = std::filesystem::path(KML_TEST_TMP) / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

}  // namespace kml_test
