// Reading members of a zip archive (Keras 3 `.keras` files) with libzip.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kml::zip {

class Archive {
 public:
  explicit Archive(const std::string& path);  // throws kml::Error naming the file
  ~Archive();
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;
  bool has(const std::string& member) const;
  std::optional<std::vector<char>> read(const std::string& member) const;  // nullopt when absent

 private:
  std::string path_;
  void* zip_ = nullptr;
  std::uint64_t archive_size_ = 0;  // bytes of the archive file: no member can declare more
};

}  // namespace kml::zip
