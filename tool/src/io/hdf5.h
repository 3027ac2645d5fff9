// HDF5 files for kml: reading goes through a contained snapshot, writing through a small RAII layer over the
// HDF5 C library. Errors name the file and the object.
//
// Reading a file (File::open, File::open_image) does not touch the HDF5 library in kml's own process: a forked
// child opens the file, walks every group (cycles and absurd depths are refused), checks every dataset's
// declared size against the file's real size before sizing a buffer, reads the numbers and hands the whole
// tree back through a pipe, within a time limit. A corrupt file that crashes or hangs the library itself (its
// bugs on fuzzed files) thus becomes one "corrupt HDF5 file" error naming the file, not kml's crash. The
// accessors below answer from that snapshot.
#pragma once
#include <hdf5.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kml::h5 {

class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

struct Array {
  std::vector<std::size_t> shape;
  std::vector<double> data;
};

struct Object;  // one group or dataset of a snapshot (hdf5.cpp)

class File {
 public:
  // Open a file on disk read-only; throws kml::Error naming `path` if it is missing, not HDF5, or corrupt.
  static File open(const std::string& path);
  // Open an in-memory HDF5 image; `label` names it in errors (e.g. "model.keras:model.weights.h5").
  static File open_image(std::vector<char> image, const std::string& label);
  // Create (truncate) a file for writing.
  static File create(const std::string& path);

  const std::string& label() const { return label_; }
  bool exists(const std::string& path) const;           // a link (group or dataset) at `path`
  bool is_group(const std::string& path) const;
  bool is_dataset(const std::string& path) const;
  std::vector<std::string> children(const std::string& group) const;  // in name order
  bool has_attr(const std::string& path, const std::string& attr) const;
  // A string attribute (scalar or 1-D, fixed or variable length); 1-D values are returned one per entry.
  std::vector<std::string> attr_strings(const std::string& path, const std::string& attr) const;
  std::optional<std::string> attr_string(const std::string& path, const std::string& attr) const;
  Array read(const std::string& dataset) const;
  std::vector<std::size_t> dataset_shape(const std::string& dataset) const;
  void write(const std::string& dataset, const std::vector<std::size_t>& shape, const std::vector<float>& data);
  // A 1-D attribute of variable-length UTF-8 strings on an existing group or dataset.
  void write_attr(const std::string& path, const std::string& attr, const std::vector<std::string>& values);

 private:
  const Object* find(const std::string& path) const;

  Handle file_;                          // files created for writing
  std::shared_ptr<const Object> root_;   // files opened for reading: the snapshot
  std::string label_;
};

}  // namespace kml::h5
