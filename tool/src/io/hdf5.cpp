#include "io/hdf5.h"

#include <cstring>

#include "util/error.h"

namespace kml::h5 {
namespace {

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

// Does every component of `path` exist as a link? (H5Lexists needs each parent to exist.)
bool link_exists(hid_t file, const std::string& path) {
  if (path.empty() || path == "/") return true;
  std::string cur;
  std::size_t start = path[0] == '/' ? 1 : 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty()) {
      cur += "/" + part;
      if (H5Lexists(file, cur.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

std::string join(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
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
  quiet();
  File f;
  f.label_ = path;
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    FILE* probe = std::fopen(path.c_str(), "rb");
    if (!probe) throw file_error(path, "cannot open file (" + std::string(std::strerror(errno)) + ")");
    std::fclose(probe);
    throw file_error(path, "not a readable HDF5 file (truncated or corrupt?)");
  }
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw file_error(path, "not a readable HDF5 file (truncated or corrupt?)");
  f.file_ = Handle(id, close_file);
  return f;
}

File File::open_image(std::vector<char> image, const std::string& label) {
  quiet();
  File f;
  f.label_ = label;
  f.image_ = std::move(image);
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), close_plist);
  H5Pset_fapl_core(fapl.id(), 1 << 20, 0);
  if (f.image_.empty() || H5Pset_file_image(fapl.id(), f.image_.data(), f.image_.size()) < 0)
    throw file_error(label, "empty or unreadable HDF5 image");
  hid_t id = H5Fopen(label.c_str(), H5F_ACC_RDONLY, fapl.id());
  if (id < 0) throw file_error(label, "not a readable HDF5 file (truncated or corrupt?)");
  f.file_ = Handle(id, close_file);
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

bool File::exists(const std::string& path) const { return link_exists(file_.id(), path); }

namespace {
H5I_type_t object_type(hid_t file, const std::string& path) {
  Handle o(H5Oopen(file, path.c_str(), H5P_DEFAULT), close_obj);
  if (!o.valid()) return H5I_BADID;
  return H5Iget_type(o.id());
}
}  // namespace

bool File::is_group(const std::string& path) const {
  return exists(path) && object_type(file_.id(), path) == H5I_GROUP;
}

bool File::is_dataset(const std::string& path) const {
  return exists(path) && object_type(file_.id(), path) == H5I_DATASET;
}

std::vector<std::string> File::children(const std::string& group) const {
  std::vector<std::string> names;
  if (!is_group(group)) return names;
  auto cb = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  if (H5Literate_by_name(file_.id(), group.c_str(), H5_INDEX_NAME, H5_ITER_INC, nullptr, cb, &names,
                          H5P_DEFAULT) < 0)
    throw file_error(label_, "cannot list group '" + group + "' (corrupt file?)");
  return names;
}

bool File::has_attr(const std::string& path, const std::string& attr) const {
  if (!exists(path)) return false;
  return H5Aexists_by_name(file_.id(), path.c_str(), attr.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> File::attr_strings(const std::string& path, const std::string& attr) const {
  std::vector<std::string> out;
  const std::string where = "attribute '" + attr + "' of '" + path + "'";
  Handle a(H5Aopen_by_name(file_.id(), path.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT), close_attr);
  if (!a.valid()) throw file_error(label_, "cannot read " + where);
  Handle type(H5Aget_type(a.id()), close_type);
  Handle space(H5Aget_space(a.id()), close_space);
  hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n < 0) throw file_error(label_, "cannot read " + where);
  if (n == 0) return out;  // Keras writes an empty float array for "no weights"
  if (H5Tget_class(type.id()) != H5T_STRING) throw file_error(label_, where + " is not a string");
  if (H5Tis_variable_str(type.id()) > 0) {
    std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
    Handle mem(H5Tcopy(H5T_C_S1), close_type);
    H5Tset_size(mem.id(), H5T_VARIABLE);
    H5Tset_cset(mem.id(), H5Tget_cset(type.id()));
    if (n > 0 && H5Aread(a.id(), mem.id(), ptrs.data()) < 0) throw file_error(label_, "cannot read " + where);
    for (auto* p : ptrs) out.emplace_back(p ? p : "");
    if (n > 0) H5Dvlen_reclaim(mem.id(), space.id(), H5P_DEFAULT, ptrs.data());
  } else {
    std::size_t len = H5Tget_size(type.id());
    std::vector<char> buf(len * static_cast<std::size_t>(n) + 1, '\0');
    if (n > 0 && H5Aread(a.id(), type.id(), buf.data()) < 0) throw file_error(label_, "cannot read " + where);
    for (hssize_t i = 0; i < n; ++i) {
      const char* s = buf.data() + static_cast<std::size_t>(i) * len;
      out.emplace_back(s, strnlen(s, len));
    }
  }
  return out;
}

std::optional<std::string> File::attr_string(const std::string& path, const std::string& attr) const {
  if (!has_attr(path, attr)) return std::nullopt;
  auto v = attr_strings(path, attr);
  std::string s;
  for (auto& p : v) s += p;
  return s;
}

std::vector<std::size_t> File::dataset_shape(const std::string& path) const {
  Handle d(H5Dopen2(file_.id(), path.c_str(), H5P_DEFAULT), close_dset);
  if (!d.valid()) throw file_error(label_, "missing dataset '" + path + "'");
  Handle space(H5Dget_space(d.id()), close_space);
  int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) throw file_error(label_, "cannot read the shape of dataset '" + path + "'");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  return std::vector<std::size_t>(dims.begin(), dims.end());
}

Array File::read(const std::string& path) const {
  Handle d(H5Dopen2(file_.id(), path.c_str(), H5P_DEFAULT), close_dset);
  if (!d.valid()) throw file_error(label_, "missing dataset '" + path + "'");
  Array a;
  a.shape = dataset_shape(path);
  std::size_t n = 1;
  for (auto s : a.shape) n *= s;
  Handle type(H5Dget_type(d.id()), close_type);
  H5T_class_t cls = H5Tget_class(type.id());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    throw file_error(label_, "dataset '" + path + "' is not numeric");
  a.data.resize(n);
  if (n > 0 && H5Dread(d.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.data.data()) < 0)
    throw file_error(label_, "cannot read dataset '" + path + "' of shape " + join(a.shape) +
                                 " (truncated or corrupt file?)");
  return a;
}

void File::write(const std::string& path, const std::vector<std::size_t>& shape, const std::vector<float>& data) {
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

}  // namespace kml::h5
