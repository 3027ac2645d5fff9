// NumPy .npy files (format versions 1-3): one array, read into doubles. For test vectors given as numpy arrays
// (kml-convert testdata a.npy [b.npy], TEST_DATA a.npy [b.npy]).
#pragma once
#include <string>

#include "io/hdf5.h"  // h5::Array: shape + row-major doubles

namespace kml::npy {

// Reads a C-order array of bool, int8..int64, uint8..uint64, float16 is refused, float32 or float64 (either byte
// order). Errors name the file and what is wrong.
h5::Array read(const std::string& path);

}  // namespace kml::npy
