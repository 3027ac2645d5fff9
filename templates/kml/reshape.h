// Data-movement layers in io_parallel form (pure wiring in hardware; each element is converted to the result
// type on the way): transpose (Permute, channels_first <-> channels_last), repeat (RepeatVector), zero_pad2d
// (ZeroPadding1D/2D), crop2d (Cropping1D/2D), upsample2d (UpSampling1D/2D, nearest). 1D layers are 2D layers of
// height 1. Reshape and Flatten need no code (a view of the same array).
#ifndef KML_RESHAPE_H_
#define KML_RESHAPE_H_

#include "kml/common.h"

namespace kml {

// Output dimensions d0..d3 (rank < 4: leading 1s) and, for each output axis, the input stride of the input axis
// it comes from.
struct transpose_config {
  static const unsigned d0 = 1, d1 = 1, d2 = 1, d3 = 1;
  static const unsigned s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  static const unsigned n_in = 1;
};

template <class data_T, class res_T, typename CONFIG_T>
void transpose(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
#pragma HLS INLINE
  unsigned o = 0;
  for (unsigned a0 = 0; a0 < CONFIG_T::d0; a0++)
    for (unsigned a1 = 0; a1 < CONFIG_T::d1; a1++)
      for (unsigned a2 = 0; a2 < CONFIG_T::d2; a2++)
        for (unsigned a3 = 0; a3 < CONFIG_T::d3; a3++) {
#pragma HLS UNROLL
          res[o++] = data[a0 * CONFIG_T::s0 + a1 * CONFIG_T::s1 + a2 * CONFIG_T::s2 + a3 * CONFIG_T::s3];
        }
}

struct repeat_config {
  static const unsigned n_in = 1;  // the vector
  static const unsigned n = 1;     // copies
};

template <class data_T, class res_T, typename CONFIG_T>
void repeat(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n * CONFIG_T::n_in]) {
#pragma HLS INLINE
  for (unsigned r = 0; r < CONFIG_T::n; r++)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
#pragma HLS UNROLL
      res[r * CONFIG_T::n_in + i] = data[i];
    }
}

// Zero padding, cropping and nearest-neighbour upsampling share one configuration.
struct resize_config {
  static const unsigned in_h = 1, in_w = 1, n_chan = 1;
  static const unsigned out_h = 1, out_w = 1;
  static const unsigned top = 0, left = 0;  // zero_pad2d: rows/columns added before; crop2d: removed before
  static const unsigned size_h = 1, size_w = 1;  // upsample2d factors
};

// Each output pixel (oh, ow) is input pixel (MAP::row(oh), MAP::col(ow)), or 0 where that lies outside the input.
template <class data_T, class res_T, typename CONFIG_T, class MAP>
void resize2d(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
              res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++)
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
      const int ih = MAP::row(oh), iw = MAP::col(ow);
      const bool inside = ih >= 0 && ih < int(CONFIG_T::in_h) && iw >= 0 && iw < int(CONFIG_T::in_w);
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        if (inside)
          res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan + c] =
              data[(unsigned(ih) * CONFIG_T::in_w + unsigned(iw)) * CONFIG_T::n_chan + c];
        else
          res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan + c] = 0;
      }
    }
}

template <typename CONFIG_T>
struct zero_pad_map {  // `top` rows and `left` columns of zeros added before
  static int row(unsigned oh) { return int(oh) - int(CONFIG_T::top); }
  static int col(unsigned ow) { return int(ow) - int(CONFIG_T::left); }
};
template <typename CONFIG_T>
struct crop_map {  // `top` rows and `left` columns removed before
  static int row(unsigned oh) { return int(oh + CONFIG_T::top); }
  static int col(unsigned ow) { return int(ow + CONFIG_T::left); }
};
template <typename CONFIG_T>
struct upsample_map {  // nearest neighbour, factors size_h x size_w
  static int row(unsigned oh) { return int(oh / CONFIG_T::size_h); }
  static int col(unsigned ow) { return int(ow / CONFIG_T::size_w); }
};

template <class data_T, class res_T, typename CONFIG_T>
void zero_pad2d(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
  resize2d<data_T, res_T, CONFIG_T, zero_pad_map<CONFIG_T> >(data, res);
}

template <class data_T, class res_T, typename CONFIG_T>
void crop2d(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
            res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
  resize2d<data_T, res_T, CONFIG_T, crop_map<CONFIG_T> >(data, res);
}

template <class data_T, class res_T, typename CONFIG_T>
void upsample2d(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
#pragma HLS INLINE
  resize2d<data_T, res_T, CONFIG_T, upsample_map<CONFIG_T> >(data, res);
}

}  // namespace kml

#endif
