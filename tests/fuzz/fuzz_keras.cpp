// libFuzzer target: the bytes as a Keras 3 `.keras` archive, converted.
//
// Structure-aware: the custom mutator opens the input as a zip archive, mutates one member (config.json,
// metadata.json or model.weights.h5) with libFuzzer's own mutator and writes the archive again, so that the
// mutations reach the JSON and HDF5 readers instead of dying at the zip CRC check. Inputs that are not an
// archive (or one mutation in eight) are mutated as raw bytes, which exercises the zip reader itself.
#include <zip.h>

#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_common.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace {

using Member = std::pair<std::string, std::vector<uint8_t>>;

bool unzip(const uint8_t* data, size_t size, std::vector<Member>& out) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(data, size, 0, &err);
  if (!src) return false;
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!za) {
    zip_source_free(src);
    return false;
  }
  bool ok = true;
  const zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; ok && i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > (64u << 20)) {
      ok = false;
      break;
    }
    zip_file_t* f = zip_fopen_index(za, i, 0);
    if (!f) {
      ok = false;
      break;
    }
    std::vector<uint8_t> bytes(st.size);
    ok = zip_fread(f, bytes.data(), st.size) == static_cast<zip_int64_t>(st.size);
    zip_fclose(f);
    out.emplace_back(st.name, std::move(bytes));
  }
  zip_discard(za);  // also frees src
  return ok && !out.empty();
}

// Writes the members as a stored (uncompressed) archive into `out`; false when it does not fit max_size.
size_t rezip(const std::vector<Member>& members, uint8_t* out, size_t max_size) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!buf) return 0;
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  if (!za) {
    zip_source_free(buf);
    return 0;
  }
  for (const auto& [name, bytes] : members) {
    zip_source_t* s = zip_source_buffer(za, bytes.data(), bytes.size(), 0);
    zip_int64_t idx = s ? zip_file_add(za, name.c_str(), s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (s) zip_source_free(s);
      zip_discard(za);
      zip_source_free(buf);
      return 0;
    }
    zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
  }
  if (zip_close(za) != 0) {
    zip_discard(za);
    zip_source_free(buf);
    return 0;
  }
  size_t written = 0;
  zip_stat_t st;
  if (zip_source_stat(buf, &st) == 0 && st.size <= max_size && zip_source_open(buf) == 0) {
    zip_int64_t r = zip_source_read(buf, out, st.size);
    if (r == static_cast<zip_int64_t>(st.size)) written = static_cast<size_t>(r);
    zip_source_close(buf);
  }
  zip_source_free(buf);
  return written;
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  std::minstd_rand rng(seed);
  std::vector<Member> members;
  if (rng() % 8 == 0 || !unzip(data, size, members)) return LLVMFuzzerMutate(data, size, max_size);
  Member& m = members[rng() % members.size()];
  std::vector<uint8_t>& b = m.second;
  const size_t used = b.size(), cap = used + used / 4 + 64;
  b.resize(cap);
  const size_t len = LLVMFuzzerMutate(b.data(), used, cap);
  b.resize(len);
  const size_t n = rezip(members, data, max_size);
  return n ? n : LLVMFuzzerMutate(data, size, max_size);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kml::fuzz::convert_model_bytes("model.keras", data, size);
  return 0;
}
