#include "io/zip.h"

#include <zip.h>

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
  ::zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(idx), 0);
  if (!f) throw file_error(path_, "cannot open archive member '" + member + "': " + zip_strerror(z));
  std::vector<char> data(static_cast<std::size_t>(st.size));
  zip_int64_t got = data.empty() ? 0 : zip_fread(f, data.data(), data.size());
  std::string ferr = got < 0 ? zip_file_strerror(f) : "";
  zip_fclose(f);
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
    throw file_error(path_, "archive member '" + member + "' is truncated or corrupt" + (ferr.empty() ? "" : ": " + ferr));
  return data;
}

}  // namespace kml::zip
