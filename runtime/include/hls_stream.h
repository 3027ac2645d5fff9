// kml runtime: hls::stream for host builds (C simulation), API-compatible with the vendor's
// <hls_stream.h>: an unbounded FIFO backed by std::deque.
#ifndef KML_HLS_STREAM_H
#define KML_HLS_STREAM_H

#include <cstddef>
#include <deque>
#include <iostream>
#include <string>
#include <utility>

namespace hls {

template <typename T, int DEPTH = 0>
class stream {
 public:
  stream() : name_("hls::stream") {}
  explicit stream(const char* name) : name_(name ? name : "hls::stream") {}
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;
  ~stream() {
    if (!data_.empty())
      std::cerr << "WARNING: Hls::stream '" << name_
                << "' contains leftover data, which may result in RTL simulation hanging." << std::endl;
  }

  bool empty() const { return data_.empty(); }
  bool full() const { return false; }  // unbounded in C simulation
  std::size_t size() const { return data_.size(); }
  std::size_t capacity() const { return DEPTH > 0 ? std::size_t(DEPTH) : std::size_t(-1); }
  const char* name() const { return name_.c_str(); }

  // Blocking read: reading an empty stream warns once and yields a value-initialized T.
  void read(T& dout) { dout = read(); }
  T read() {
    if (data_.empty()) {
      if (!warned_)
        std::cerr << "WARNING: Hls::stream '" << name_
                  << "' is read while empty, which may result in RTL simulation hanging." << std::endl;
      warned_ = true;
      return T{};
    }
    T v = std::move(data_.front());
    data_.pop_front();
    return v;
  }
  bool read_nb(T& dout) {
    if (data_.empty()) return false;
    dout = std::move(data_.front());
    data_.pop_front();
    return true;
  }
  void write(const T& din) { data_.push_back(din); }
  bool write_nb(const T& din) {
    data_.push_back(din);
    return true;
  }

  void operator>>(T& dout) { read(dout); }
  void operator<<(const T& din) { write(din); }

 private:
  std::deque<T> data_;
  std::string name_;
  bool warned_ = false;
};

}  // namespace hls

#endif  // KML_HLS_STREAM_H
