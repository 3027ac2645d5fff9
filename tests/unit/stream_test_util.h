// Unit-test helpers for kml's io_stream templates: a flat array into a stream of packed vectors, and back.
#pragma once

#include <hls_stream.h>

#include <vector>

namespace kml_test {

// a[0 .. n_elem * V::size) as n_elem vectors of V::size values.
template <class V>
void push(hls::stream<V>& s, const typename V::value_type* a, unsigned n_elem) {
  for (unsigned e = 0; e < n_elem; ++e) {
    V v;
    for (unsigned c = 0; c < V::size; ++c) v[c] = a[e * V::size + c];
    s.write(v);
  }
}

// Everything left in the stream, flattened, as doubles.
template <class V>
std::vector<double> pull(hls::stream<V>& s) {
  std::vector<double> r;
  while (!s.empty()) {
    V v = s.read();
    for (unsigned c = 0; c < V::size; ++c) r.push_back(v[c].to_double());
  }
  return r;
}

}  // namespace kml_test
