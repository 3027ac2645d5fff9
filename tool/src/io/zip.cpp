#include "io/zip.h"

#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "util/error.h"

namespace kml::zip {

Archive::Archive(const std::string& path) : path_(path) {
  int err = 0;
  ::zip_t* z = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!z) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string msg = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    throw file_error(path, "not a readable .keras (zip) archive: " + msg);
  }
  zip_ = z;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  archive_size_ = ec ? 0 : static_cast<std::uint64_t>(size);
}

Archive::~Archive() {
  if (zip_) zip_discard(static_cast<::zip_t*>(zip_));
}

bool Archive::has(const std::string& member) const {
  return zip_name_locate(static_cast<::zip_t*>(zip_), member.c_str(), 0) >= 0;
}

std::optional<std::vector<char>> Archive::read(const std::string& member) const {
  auto* z = static_cast<::zip_t*>(zip_);
  zip_int64_t idx = zip_name_locate(z, member.c_str(), 0);
  if (idx < 0) return std::nullopt;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(z, static_cast<zip_uint64_t>(idx), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    throw file_error(path_, "cannot stat archive member '" + member + "'");
  // The declared size is not trusted with memory: a stored member cannot be larger than its compressed form,
  // a deflated one not more than ~1032 times larger, and neither larger than the archive allows. The data is
  // read in pieces and must end exactly at the declared size (libzip checks the CRC at the end).
  const std::uint64_t archive = archive_size_;
  std::uint64_t cap = archive;
  if (st.valid & ZIP_STAT_COMP_SIZE) {
    if (st.comp_size > archive)
      throw file_error(path_, "archive member '" + member + "' declares " + std::to_string(st.comp_size) +
                                  " compressed bytes, more than the whole archive (" + std::to_string(archive) + ")");
    bool stored = (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_STORE;
    cap = stored ? st.comp_size : st.comp_size * 1032 + 1024;
  }
  if (st.size > cap)
    throw file_error(path_, "archive member '" + member + "' declares " + std::to_string(st.size) +
                                " bytes, more than its " + std::to_string(st.valid & ZIP_STAT_COMP_SIZE ? st.comp_size : archive) +
                                " compressed bytes can hold (corrupt archive)");
  ::zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(idx), 0);
  if (!f) throw file_error(path_, "cannot open archive member '" + member + "': " + zip_strerror(z));
  std::vector<char> data;
  data.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(st.size, std::uint64_t{64} << 20)));
  std::vector<char> chunk(1 << 20);
  std::string ferr;
  bool bad = false;
  for (;;) {
    zip_int64_t got = zip_fread(f, chunk.data(), chunk.size());
    if (got < 0) {
      ferr = zip_file_strerror(f);
      bad = true;
      break;
    }
    if (got == 0) break;
    if (data.size() + static_cast<std::uint64_t>(got) > st.size) {
      bad = true;
      break;
    }
    data.insert(data.end(), chunk.data(), chunk.data() + got);
  }
  zip_fclose(f);
  if (bad || data.size() != st.size)
    throw file_error(path_, "archive member '" + member + "' is truncated or corrupt" + (ferr.empty() ? "" : ": " + ferr));
  return data;
}

}  // namespace kml::zip
