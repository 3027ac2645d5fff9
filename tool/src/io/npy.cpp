// The .npy format: "\x93NUMPY", major and minor version, the header's length (2 bytes in version 1, 4 in 2 and 3),
// then a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (64, 16), } padded with spaces and
// a newline, then the data.
#include "io/npy.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>

#include "util/error.h"

namespace kml::npy {

namespace {

bool host_little_endian() {
  const std::uint16_t one = 1;
  unsigned char b;
  std::memcpy(&b, &one, 1);
  return b == 1;
}

// The value of `key` in the header dict, as written ('<f4', False, (64, 16)).
std::string field(const std::string& header, const std::string& key, const std::string& path) {
  std::smatch m;
  const std::regex re("['\"]" + key + "['\"]\\s*:\\s*('[^']*'|\"[^\"]*\"|True|False|\\([^)]*\\))");
  if (!std::regex_search(header, m, re)) throw file_error(path, "not a .npy file: its header has no '" + key + "'");
  return m[1].str();
}

}  // namespace

h5::Array read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open");
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) throw file_error(path, "not a .npy file (no \\x93NUMPY magic)");
  const int major = static_cast<unsigned char>(magic[6]);
  if (major < 1 || major > 3) throw file_error(path, ".npy format version " + std::to_string(major) + " is not supported");
  std::uint32_t hlen = 0;
  unsigned char lb[4] = {0, 0, 0, 0};
  if (!in.read(reinterpret_cast<char*>(lb), major == 1 ? 2 : 4)) throw file_error(path, "truncated .npy header");
  hlen = lb[0] | (lb[1] << 8) | (lb[2] << 16) | (std::uint32_t(lb[3]) << 24);
  if (hlen > (1u << 20)) throw file_error(path, "implausible .npy header length " + std::to_string(hlen));
  std::string header(hlen, '\0');
  if (!in.read(header.data(), hlen)) throw file_error(path, "truncated .npy header");

  std::string descr = field(header, "descr", path);
  descr = descr.substr(1, descr.size() - 2);
  if (field(header, "fortran_order", path) != "False")
    throw file_error(path, "Fortran-order arrays are not supported (save with np.ascontiguousarray)");
  h5::Array a;
  const std::string shape = field(header, "shape", path);
  std::size_t n = 1;
  {
    static const std::regex num("[0-9]+");
    for (std::sregex_iterator it(shape.begin(), shape.end(), num), end; it != end; ++it) {
      const std::size_t d = std::stoull(it->str());
      if (d && n > std::numeric_limits<std::size_t>::max() / 8 / d) throw file_error(path, "array too large");
      a.shape.push_back(d);
      n *= d;
    }
  }
  if (descr.size() < 3) throw file_error(path, "unsupported dtype '" + descr + "'");
  const char order = descr[0], kind = descr[1];
  const int size = std::atoi(descr.c_str() + 2);
  const bool ok_kind = (kind == 'f' && (size == 4 || size == 8)) || ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                       (kind == 'b' && size == 1);
  if (!ok_kind || (order != '<' && order != '>' && order != '|' && order != '='))
    throw file_error(path, "unsupported dtype '" + descr + "' (float32/64, int8..64, uint8..64 or bool)");
  const bool swap = size > 1 && (order == '>' ? host_little_endian() : order == '<' ? !host_little_endian() : false);

  // The file must hold exactly the data the header declares.
  const std::streampos data_start = in.tellg();
  in.seekg(0, std::ios::end);
  const std::uint64_t available = static_cast<std::uint64_t>(in.tellg() - data_start);
  in.seekg(data_start);
  if (available != std::uint64_t(n) * size)
    throw file_error(path, "holds " + std::to_string(available) + " data bytes, its header declares " +
                               std::to_string(std::uint64_t(n) * size));
  std::vector<unsigned char> raw(n * size);
  if (n && !in.read(reinterpret_cast<char*>(raw.data()), raw.size())) throw file_error(path, "truncated data");
  a.data.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char b[8];
    std::memcpy(b, raw.data() + i * size, size);
    if (swap)
      for (int k = 0; k < size / 2; ++k) std::swap(b[k], b[size - 1 - k]);
    double v = 0;
    if (kind == 'f' && size == 4) {
      float f;
      std::memcpy(&f, b, 4);
      v = f;
    } else if (kind == 'f') {
      std::memcpy(&v, b, 8);
    } else if (kind == 'b') {
      v = b[0] != 0;
    } else if (kind == 'u') {
      std::uint64_t u = 0;
      if (size == 1) { std::uint8_t x; std::memcpy(&x, b, 1); u = x; }
      else if (size == 2) { std::uint16_t x; std::memcpy(&x, b, 2); u = x; }
      else if (size == 4) { std::uint32_t x; std::memcpy(&x, b, 4); u = x; }
      else std::memcpy(&u, b, 8);
      v = static_cast<double>(u);
    } else {
      std::int64_t s = 0;
      if (size == 1) { std::int8_t x; std::memcpy(&x, b, 1); s = x; }
      else if (size == 2) { std::int16_t x; std::memcpy(&x, b, 2); s = x; }
      else if (size == 4) { std::int32_t x; std::memcpy(&x, b, 4); s = x; }
      else std::memcpy(&s, b, 8);
      v = static_cast<double>(s);
    }
    a.data[i] = v;
  }
  return a;
}

}  // namespace kml::npy
