// Helpers shared by the spatial layer handlers (convolution, pooling, padding, ...): the 1D/2D geometry of a
// layer's input seen as (h, w, channels) with h = 1 for 1D, whatever the data_format.
#pragma once
#include <string>
#include <vector>

#include "readers/layers.h"

namespace kml::readers::spatial {

struct Geom {
  int rank = 2;                // spatial rank: 1 or 2
  bool channels_first = false;  // the Keras tensors are (C, ...) rather than (..., C)
  std::size_t h = 1, w = 1, c = 1;
};

// The layer's data_format ("channels_last" when absent).
inline bool channels_first(const LayerCtx& ctx) {
  std::string f = ctx.get<std::string>("data_format", "channels_last");
  if (f != "channels_last" && f != "channels_first") throw ctx.error("unsupported data_format '" + f + "'");
  return f == "channels_first";
}

// The input of a rank-`rank` spatial layer.
inline Geom input_geom(const LayerCtx& ctx, int rank, bool cf) {
  const ir::Shape& in = ctx.in_shape();
  if (in.size() != std::size_t(rank) + 1)
    throw ctx.error("expected an input of rank " + std::to_string(rank + 1) + " (without the batch), got " +
                    ir::shape_str(in));
  Geom g;
  g.rank = rank;
  g.channels_first = cf;
  std::vector<std::size_t> sp(in.begin() + (cf ? 1 : 0), in.end() - (cf ? 0 : 1));
  g.c = cf ? in.front() : in.back();
  if (rank == 1) {
    g.w = sp[0];
  } else {
    g.h = sp[0];
    g.w = sp[1];
  }
  return g;
}

// The Keras shape (without batch) of a tensor of the given geometry.
inline ir::Shape keras_shape(int rank, bool cf, std::size_t h, std::size_t w, std::size_t c) {
  ir::Shape s;
  if (cf) s.push_back(c);
  if (rank == 2) s.push_back(h);
  s.push_back(w);
  if (!cf) s.push_back(c);
  return s;
}

// A tuple argument (kernel_size, strides, ...): an integer or a list of `rank` integers -> (h, w) with h = 1
// for 1D (or `fill_h` when given).
inline std::vector<std::size_t> pair(const LayerCtx& ctx, const char* key, int rank, const nlohmann::json& fallback,
                                     std::size_t fill_h = 1) {
  nlohmann::json v = ctx.config().value(key, nlohmann::json());
  if (v.is_null()) v = fallback;
  std::vector<long long> vals;
  if (v.is_number_integer()) {
    vals.assign(rank, v.get<long long>());
  } else if (v.is_array() && v.size() == std::size_t(rank)) {
    for (const auto& x : v) {
      if (!x.is_number_integer()) throw ctx.error(std::string("'") + key + "' = " + v.dump() + " is not a list of integers");
      vals.push_back(x.get<long long>());
    }
  } else {
    throw ctx.error(std::string("'") + key + "' = " + v.dump() + " is not an integer or a list of " +
                    std::to_string(rank));
  }
  for (long long x : vals)
    if (x < 1) throw ctx.error(std::string("'") + key + "' = " + v.dump() + " must be positive");
  if (rank == 1) return {fill_h, std::size_t(vals[0])};
  return {std::size_t(vals[0]), std::size_t(vals[1])};
}

// One spatial dimension of a sliding window (convolution or pooling).
struct Dim {
  std::size_t out = 0, pad_before = 0;
};

inline Dim window(const LayerCtx& ctx, const std::string& padding, std::size_t in, std::size_t k_eff,
                  std::size_t stride) {
  Dim d;
  if (padding == "valid") {
    if (in < k_eff)
      throw ctx.error("window of " + std::to_string(k_eff) + " is larger than the input (" + std::to_string(in) + ")");
    d.out = (in - k_eff) / stride + 1;
  } else if (padding == "same") {
    d.out = (in + stride - 1) / stride;
    std::size_t need = (d.out - 1) * stride + k_eff;
    d.pad_before = need > in ? (need - in) / 2 : 0;
  } else if (padding == "causal") {
    d.pad_before = k_eff - 1;
    d.out = (in - 1) / stride + 1;
  } else {
    throw ctx.error("unsupported padding '" + padding + "'");
  }
  return d;
}

}  // namespace kml::readers::spatial
