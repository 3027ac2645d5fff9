#include "io/hdf5.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "util/error.h"

namespace kml::h5 {

// ---------------------------------------------------------------------------------------------------------
// The snapshot: what the child read, as the parent holds it.

struct Attribute {
  char kind = 'Z';  // 'S' strings, 'Z' empty (no values), 'N' not a string, 'X' unreadable
  std::vector<std::string> values;
  std::string error;
};

struct Object {
  char kind = 'G';  // 'G' group, 'D' dataset, 'L' a link whose target kml does not read (external, dangling)
  std::map<std::string, Attribute> attrs;
  std::map<std::string, std::unique_ptr<Object>> children;  // groups; std::map: byte order, as HDF5's name index
  std::vector<std::size_t> shape;                            // datasets
  std::vector<double> data;
  std::string error;  // datasets: why the data cannot be read (too large, not numeric, read error)
};

namespace {

constexpr int kMaxDepth = 64;                      // nesting of groups
constexpr std::size_t kMaxObjects = 1u << 20;      // groups, datasets and links in one file
constexpr int kMaxRank = 32;                       // HDF5's own limit
constexpr std::uint64_t kMaxDeflateRatio = 1032;   // deflate cannot expand more than ~1032:1

struct Quiet {
  Quiet() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
void quiet() { static Quiet q; }

herr_t close_type(hid_t id) { return H5Tclose(id); }
herr_t close_space(hid_t id) { return H5Sclose(id); }
herr_t close_attr(hid_t id) { return H5Aclose(id); }
herr_t close_dset(hid_t id) { return H5Dclose(id); }
herr_t close_obj(hid_t id) { return H5Oclose(id); }
herr_t close_file(hid_t id) { return H5Fclose(id); }
herr_t close_plist(hid_t id) { return H5Pclose(id); }

std::string join(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

// ---- Serialization (child -> parent). Both ends are this program; the reader still checks every length.
class Writer {
 public:
  std::string buf;
  void u8(char c) { buf += c; }
  void u64(std::uint64_t v) { buf.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    buf += s;
  }
  void doubles(const std::vector<double>& d) {
    u64(d.size());
    buf.append(reinterpret_cast<const char*>(d.data()), d.size() * sizeof(double));
  }
};

struct Truncated {};

class Reader {
 public:
  explicit Reader(const std::string& b) : buf_(b) {}
  char u8() {
    need(1);
    return buf_[pos_++];
  }
  std::uint64_t u64() {
    need(8);
    std::uint64_t v;
    std::memcpy(&v, buf_.data() + pos_, 8);
    pos_ += 8;
    return v;
  }
  std::string str() {
    std::uint64_t n = u64();
    need(n);
    std::string s = buf_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::vector<double> doubles() {
    std::uint64_t n = u64();
    if (n > (buf_.size() - pos_) / sizeof(double)) throw Truncated{};
    std::vector<double> d(n);
    if (n) std::memcpy(d.data(), buf_.data() + pos_, n * sizeof(double));  // d.data() may be null when n == 0
    pos_ += n * sizeof(double);
    return d;
  }
  bool at_end() const { return pos_ == buf_.size(); }

 private:
  void need(std::uint64_t n) {
    if (n > buf_.size() - pos_) throw Truncated{};
  }
  const std::string& buf_;
  std::size_t pos_ = 0;
};

// ---- The child: walk the file with the HDF5 library.
struct Corrupt {
  std::string what;
};

std::string object_key(hid_t obj) {
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info;
  if (H5Oget_info3(obj, &info, H5O_INFO_BASIC) < 0) return {};
  return std::to_string(info.fileno) + ":" + std::string(reinterpret_cast<const char*>(&info.token), sizeof info.token);
#else
  H5O_info_t info;
  if (H5Oget_info2(obj, &info, H5O_INFO_BASIC) < 0) return {};
  return std::to_string(info.fileno) + ":" + std::to_string(info.addr);
#endif
}

class Walker {
 public:
  Walker(std::uint64_t file_size, Writer& w) : file_size_(file_size), w_(w) {}

  void root(hid_t file) {
    Handle g(H5Oopen(file, "/", H5P_DEFAULT), close_obj);
    if (!g.valid()) throw Corrupt{"cannot open the root group"};
    ancestors_.push_back(object_key(g.id()));
    group(g.id(), "", 0);
  }

 private:
  void count() {
    if (++objects_ > kMaxObjects)
      throw Corrupt{"more than " + std::to_string(kMaxObjects) + " objects (a link structure that repeats itself?)"};
  }

  void attributes(hid_t obj) {
    std::vector<std::string> names;
    auto cb = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
      static_cast<std::vector<std::string>*>(data)->emplace_back(name);
      return 0;
    };
    hsize_t idx = 0;
    if (H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, cb, &names) < 0) names.clear();
    w_.u64(names.size());
    for (const auto& n : names) {
      count();
      w_.str(n);
      attribute(obj, n);
    }
  }

  void attribute(hid_t obj, const std::string& name) {
    Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), close_attr);
    Handle type(a.valid() ? H5Aget_type(a.id()) : -1, close_type);
    Handle space(a.valid() ? H5Aget_space(a.id()) : -1, close_space);
    hssize_t n = space.valid() ? H5Sget_simple_extent_npoints(space.id()) : -1;
    if (!a.valid() || !type.valid() || n < 0) return unreadable("cannot be opened");
    if (n == 0) return w_.u8('Z');  // Keras writes an empty float array for "no weights"
    if (H5Tget_class(type.id()) != H5T_STRING) return w_.u8('N');
    if (static_cast<std::uint64_t>(n) > file_size_) return unreadable("declares more values than the file holds");
    std::vector<std::string> out;
    if (H5Tis_variable_str(type.id()) > 0) {
      std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
      Handle mem(H5Tcopy(H5T_C_S1), close_type);
      H5Tset_size(mem.id(), H5T_VARIABLE);
      H5Tset_cset(mem.id(), H5Tget_cset(type.id()));
      if (H5Aread(a.id(), mem.id(), ptrs.data()) < 0) return unreadable("cannot be read");
      for (auto* p : ptrs) out.emplace_back(p ? p : "");
      H5Dvlen_reclaim(mem.id(), space.id(), H5P_DEFAULT, ptrs.data());
    } else {
      std::size_t len = H5Tget_size(type.id());
      if (len == 0 || len > file_size_ || static_cast<std::uint64_t>(n) > file_size_ / len)
        return unreadable("declares more characters than the file holds");
      std::vector<char> buf(len * static_cast<std::size_t>(n) + 1, '\0');
      if (H5Aread(a.id(), type.id(), buf.data()) < 0) return unreadable("cannot be read");
      for (hssize_t i = 0; i < n; ++i) {
        const char* s = buf.data() + static_cast<std::size_t>(i) * len;
        out.emplace_back(s, strnlen(s, len));
      }
    }
    w_.u8('S');
    w_.u64(out.size());
    for (const auto& s : out) w_.str(s);
  }
  void unreadable(const std::string& why) {
    w_.u8('X');
    w_.str(why);
  }

  void group(hid_t g, const std::string& path, int depth) {
    if (depth > kMaxDepth)
      throw Corrupt{"groups nested deeper than " + std::to_string(kMaxDepth) + " levels at '" + path + "'"};
    attributes(g);
    std::vector<std::string> names;
    auto cb = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
      static_cast<std::vector<std::string>*>(data)->emplace_back(name);
      return 0;
    };
    if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, nullptr, cb, &names) < 0)
      throw Corrupt{"cannot list group '" + (path.empty() ? std::string("/") : path) + "' (truncated or corrupt file?)"};
    w_.u64(names.size());
    for (const auto& name : names) {
      count();
      w_.str(name);
      std::string child = path + "/" + name;
      H5L_info_t li;
      bool followable = H5Lget_info(g, name.c_str(), &li, H5P_DEFAULT) >= 0 &&
                        (li.type == H5L_TYPE_HARD || li.type == H5L_TYPE_SOFT);  // never external files
      Handle o(followable ? H5Oopen(g, name.c_str(), H5P_DEFAULT) : -1, close_obj);
      H5I_type_t t = o.valid() ? H5Iget_type(o.id()) : H5I_BADID;
      if (t == H5I_GROUP) {
        std::string key = object_key(o.id());
        for (const auto& a : ancestors_)
          if (!key.empty() && a == key) throw Corrupt{"group '" + child + "' links back to a group containing it (a cycle)"};
        w_.u8('G');
        ancestors_.push_back(key);
        // Keras 2 full-model files keep the optimizer's state next to the model's weights: kml never reads it.
        if (path.empty() && name == "optimizer_weights") {
          w_.u64(0);
          w_.u64(0);
        } else {
          group(o.id(), child, depth + 1);
        }
        ancestors_.pop_back();
      } else if (t == H5I_DATASET) {
        w_.u8('D');
        attributes(o.id());
        dataset(o.id(), child);
      } else {
        w_.u8('L');
      }
    }
  }

  void dataset(hid_t d, const std::string& path) {
    Handle space(H5Dget_space(d), close_space);
    int rank = space.valid() ? H5Sget_simple_extent_ndims(space.id()) : -1;
    if (rank < 0 || rank > kMaxRank) {
      w_.u64(0);
      return data_error("cannot read the shape of dataset '" + path + "'");
    }
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0) H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
    std::vector<std::size_t> shape(dims.begin(), dims.end());
    w_.u64(shape.size());
    for (auto s : shape) w_.u64(s);
    Handle type(H5Dget_type(d), close_type);
    H5T_class_t cls = type.valid() ? H5Tget_class(type.id()) : H5T_NO_CLASS;
    if (cls != H5T_FLOAT && cls != H5T_INTEGER) return data_error("dataset '" + path + "' is not numeric");
    // The declared size, checked against the file before any buffer is sized: a few kilobytes of file must
    // not ask for gigabytes (a corrupt or hostile shape).
    std::uint64_t n = 1;
    bool overflow = false;
    for (auto s : shape) overflow = overflow || __builtin_mul_overflow(n, static_cast<std::uint64_t>(s), &n);
    std::uint64_t esize = H5Tget_size(type.id()), bytes = 0;
    overflow = overflow || esize == 0 || __builtin_mul_overflow(n, esize, &bytes) ||
               n > std::uint64_t(PTRDIFF_MAX) / sizeof(double);
    Handle dcpl(H5Dget_create_plist(d), close_plist);
    int filters = dcpl.valid() ? H5Pget_nfilters(dcpl.id()) : 0;
    std::uint64_t cap = filters > 0 ? file_size_ * kMaxDeflateRatio : file_size_;
    if (overflow || bytes > cap)
      return data_error("dataset '" + path + "' declares shape " + join(shape) + " (" +
                        (overflow ? std::string("more than 2^64") : std::to_string(bytes)) +
                        " bytes), more than the whole file (" + std::to_string(file_size_) + " bytes) can hold");
    if (filters <= 0 && bytes > 0 && H5Dget_storage_size(d) < bytes)
      return data_error("dataset '" + path + "' of shape " + join(shape) + " was never (fully) written");
    std::vector<double> data(static_cast<std::size_t>(n));
    if (n > 0 && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
      return data_error("cannot read dataset '" + path + "' of shape " + join(shape) + " (truncated or corrupt file?)");
    w_.u8('A');
    w_.doubles(data);
  }
  void data_error(const std::string& why) {
    w_.u8('X');
    w_.str(why);
  }

  std::uint64_t file_size_;
  Writer& w_;
  std::vector<std::string> ancestors_;
  std::size_t objects_ = 0;
};

// The child's whole answer: "KML5" then 'T' <root group> or 'E' <message>, then 'Z'.
std::string snapshot_in_child(const std::string& path, const std::vector<char>* image) {
  quiet();
  Writer w;
  w.buf = "KML5";
  try {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), close_plist);
    std::uint64_t size = 0;
    if (image) {
      H5Pset_fapl_core(fapl.id(), 1 << 20, 0);
      if (image->empty() || H5Pset_file_image(fapl.id(), const_cast<char*>(image->data()), image->size()) < 0)
        throw Corrupt{"empty or unreadable HDF5 image"};
      size = image->size();
    } else {
      struct stat st;
      if (::stat(path.c_str(), &st) != 0) throw Corrupt{"cannot open file"};
      size = static_cast<std::uint64_t>(st.st_size);
      if (H5Fis_hdf5(path.c_str()) <= 0) throw Corrupt{"not a readable HDF5 file (truncated or corrupt?)"};
    }
    Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.id()), close_file);
    if (!file.valid()) throw Corrupt{"not a readable HDF5 file (truncated or corrupt?)"};
    Writer tree;
    Walker(size, tree).root(file.id());
    w.u8('T');
    w.buf += tree.buf;
  } catch (const Corrupt& c) {
    w.u8('E');
    w.str(c.what.rfind("not a readable", 0) == 0 || c.what.rfind("empty or", 0) == 0 || c.what == "cannot open file"
              ? c.what
              : "corrupt HDF5 file: " + c.what);
  } catch (const std::bad_alloc&) {
    w.u8('E');
    w.str("corrupt HDF5 file: reading it needs more memory than there is");
  }
  w.u8('Z');
  return w.buf;
}

void read_attrs(Reader& r, Object& o) {
  for (std::uint64_t n = r.u64(); n > 0; --n) {
    std::string name = r.str();
    Attribute a;
    a.kind = r.u8();
    if (a.kind == 'S') {
      for (std::uint64_t k = r.u64(); k > 0; --k) a.values.push_back(r.str());
    } else if (a.kind == 'X') {
      a.error = r.str();
    }
    o.attrs[name] = std::move(a);
  }
}

void read_dataset(Reader& r, Object& o) {
  for (std::uint64_t n = r.u64(); n > 0; --n) o.shape.push_back(static_cast<std::size_t>(r.u64()));
  char k = r.u8();
  if (k == 'A') o.data = r.doubles();
  else o.error = r.str();
}

void read_group(Reader& r, Object& g) {
  read_attrs(r, g);
  for (std::uint64_t n = r.u64(); n > 0; --n) {
    std::string name = r.str();
    auto o = std::make_unique<Object>();
    o->kind = r.u8();
    if (o->kind == 'G') {
      read_group(r, *o);
    } else if (o->kind == 'D') {
      read_attrs(r, *o);
      read_dataset(r, *o);
    }
    g.children[name] = std::move(o);
  }
}

double time_limit(std::uint64_t size) {
  if (const char* env = std::getenv("KML_HDF5_TIMEOUT")) {
    char* end = nullptr;
    double t = std::strtod(env, &end);
    if (end != env && t > 0) return t;
  }
  return 5.0 + static_cast<double>(size / 50'000'000);  // 5 s, plus 1 s per 50 MB
}

// Sanitizer runtimes (kml's asan build, the fuzz targets) let a program register a callback run when a report
// ends the process; libFuzzer registers one that records the input as a crash. In the contained reader a death
// is the corrupt file's (the parent reports it as such), so the child drops the callback and the handlers it
// inherited for deadly signals: it just dies. Weak: absent from normal builds.
extern "C" void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));
void contain_child_death() {
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(nullptr);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
}

// Run the reader in a child and collect its answer. `label` names the file in every error.
std::shared_ptr<const Object> contained_snapshot(const std::string& path, const std::vector<char>* image,
                                                 const std::string& label, std::uint64_t size) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw file_error(label, std::string("cannot start the HDF5 reader: ") + std::strerror(errno));
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw file_error(label, std::string("cannot start the HDF5 reader: ") + std::strerror(errno));
  }
  if (pid == 0) {  // child: no output of its own (HDF5's diagnostics, a sanitizer's report of the library's bugs)
    ::close(fds[0]);
    contain_child_death();
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    std::string answer;
    try {
      answer = snapshot_in_child(path, image);
    } catch (...) {
      ::_exit(3);
    }
    const char* p = answer.data();
    std::size_t left = answer.size();
    while (left > 0) {
      ssize_t n = ::write(fds[1], p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ::_exit(4);
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  const double limit = time_limit(size);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit);
  std::string buf;
  bool timed_out = false;
  char chunk[1 << 16];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int pr = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) continue;
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  auto corrupt = [&](const std::string& why) { return file_error(label, "corrupt HDF5 file (" + why + ")"); };
  if (timed_out) {
    char t[32];
    std::snprintf(t, sizeof t, "%g", limit);
    throw corrupt(std::string("the HDF5 library did not finish reading it within ") + t + " s");
  }
  if (WIFSIGNALED(status))
    throw corrupt(std::string("the HDF5 library crashed reading it: ") + strsignal(WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || buf.size() < 6 || buf.compare(0, 4, "KML5") != 0 ||
      buf.back() != 'Z')
    throw corrupt("the HDF5 library failed reading it");
  buf.pop_back();
  Reader r(buf);
  try {
    for (int i = 0; i < 4; ++i) r.u8();
    char k = r.u8();
    if (k == 'E') throw file_error(label, r.str());
    auto root = std::make_shared<Object>();
    read_group(r, *root);
    if (!r.at_end()) throw Truncated{};
    return root;
  } catch (const Truncated&) {
    throw corrupt("the HDF5 reader's answer is incomplete");
  }
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty() && part != ".") parts.push_back(part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

}  // namespace

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0 && close_) close_(id_);
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ >= 0 && close_) close_(id_);
}

File File::open(const std::string& path) {
  File f;
  f.label_ = path;
  FILE* probe = std::fopen(path.c_str(), "rb");
  if (!probe) throw file_error(path, "cannot open file (" + std::string(std::strerror(errno)) + ")");
  std::fclose(probe);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) throw file_error(path, "not a regular file");
  f.root_ = contained_snapshot(path, nullptr, path, static_cast<std::uint64_t>(st.st_size));
  return f;
}

File File::open_image(std::vector<char> image, const std::string& label) {
  if (image.empty()) throw file_error(label, "empty or unreadable HDF5 image");
  File f;
  f.label_ = label;
  f.root_ = contained_snapshot(label, &image, label, image.size());
  return f;
}

File File::create(const std::string& path) {
  quiet();
  File f;
  f.label_ = path;
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) throw file_error(path, "cannot create HDF5 file");
  f.file_ = Handle(id, close_file);
  return f;
}

const Object* File::find(const std::string& path) const {
  if (!root_) throw file_error(label_, "internal: the file was opened for writing");
  const Object* o = root_.get();
  for (const auto& part : split(path)) {
    if (o->kind != 'G') return nullptr;
    auto it = o->children.find(part);
    if (it == o->children.end()) return nullptr;
    o = it->second.get();
  }
  return o;
}

bool File::exists(const std::string& path) const { return find(path) != nullptr; }

bool File::is_group(const std::string& path) const {
  const Object* o = find(path);
  return o && o->kind == 'G';
}

bool File::is_dataset(const std::string& path) const {
  const Object* o = find(path);
  return o && o->kind == 'D';
}

std::vector<std::string> File::children(const std::string& group) const {
  std::vector<std::string> names;
  const Object* o = find(group);
  if (!o || o->kind != 'G') return names;
  for (const auto& [n, c] : o->children) names.push_back(n);
  return names;
}

bool File::has_attr(const std::string& path, const std::string& attr) const {
  const Object* o = find(path);
  return o && o->attrs.count(attr);
}

std::vector<std::string> File::attr_strings(const std::string& path, const std::string& attr) const {
  const std::string where = "attribute '" + attr + "' of '" + path + "'";
  const Object* o = find(path);
  auto it = o ? o->attrs.find(attr) : decltype(o->attrs.end()){};
  if (!o || it == o->attrs.end()) throw file_error(label_, "cannot read " + where);
  const Attribute& a = it->second;
  if (a.kind == 'X') throw file_error(label_, "cannot read " + where + " (" + a.error + ")");
  if (a.kind == 'N') throw file_error(label_, where + " is not a string");
  return a.values;
}

std::optional<std::string> File::attr_string(const std::string& path, const std::string& attr) const {
  if (!has_attr(path, attr)) return std::nullopt;
  auto v = attr_strings(path, attr);
  std::string s;
  for (auto& p : v) s += p;
  return s;
}

std::vector<std::size_t> File::dataset_shape(const std::string& path) const {
  const Object* o = find(path);
  if (!o || o->kind != 'D') throw file_error(label_, "missing dataset '" + path + "'");
  return o->shape;
}

Array File::read(const std::string& path) const {
  const Object* o = find(path);
  if (!o || o->kind != 'D') throw file_error(label_, "missing dataset '" + path + "'");
  if (!o->error.empty()) throw file_error(label_, o->error);
  return Array{o->shape, o->data};
}

void File::write(const std::string& path, const std::vector<std::size_t>& shape, const std::vector<float>& data) {
  if (!file_.valid()) throw file_error(label_, "internal: the file was opened for reading");
  // Create intermediate groups.
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), close_plist);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), close_space);
  Handle d(H5Dcreate2(file_.id(), path.c_str(), H5T_IEEE_F32LE, space.id(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT),
           close_dset);
  if (!d.valid()) throw file_error(label_, "cannot create dataset '" + path + "'");
  if (H5Dwrite(d.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()) < 0)
    throw file_error(label_, "cannot write dataset '" + path + "'");
}

void File::write_attr(const std::string& path, const std::string& attr, const std::vector<std::string>& values) {
  if (!file_.valid()) throw file_error(label_, "internal: the file was opened for reading");
  Handle type(H5Tcopy(H5T_C_S1), close_type);
  H5Tset_size(type.id(), H5T_VARIABLE);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), close_space);
  Handle a(H5Acreate_by_name(file_.id(), path.c_str(), attr.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT),
           close_attr);
  if (!a.valid()) throw file_error(label_, "cannot create attribute '" + attr + "' of '" + path + "'");
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (H5Awrite(a.id(), type.id(), ptrs.data()) < 0)
    throw file_error(label_, "cannot write attribute '" + attr + "' of '" + path + "'");
}

}  // namespace kml::h5
