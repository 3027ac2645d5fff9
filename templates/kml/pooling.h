// Pooling in io_parallel form on row-major channels_last tensors (a 1D layer is a 2D layer of height 1).
//   pool2d:        Max/AveragePooling1D/2D, padding valid or same. Padded positions are ignored: the maximum is
//                  over the window's valid elements and the average divides by their count (Keras' semantics).
//   global_pool2d: GlobalMax/GlobalAveragePooling1D/2D.
// The average sums in accum_t and multiplies by the reciprocal of the element count, taken from a table of
// scale_t constants (one per output position) that the converter writes; the product is cast to the result type.
#ifndef KML_POOLING_H_
#define KML_POOLING_H_

#include "kml/common.h"

namespace kml {

struct pool_config {
  static const unsigned in_h = 1;
  static const unsigned in_w = 1;
  static const unsigned n_chan = 1;
  static const unsigned out_h = 1;
  static const unsigned out_w = 1;
  static const unsigned pool_h = 1;
  static const unsigned pool_w = 1;
  static const unsigned stride_h = 1;
  static const unsigned stride_w = 1;
  static const unsigned pad_top = 0;
  static const unsigned pad_left = 0;
  static const bool average = false;  // false: maximum
  static const unsigned reuse_factor = 1;
  typedef float accum_t;
  typedef float scale_t;
};

// One output pixel (oh, ow) of pool2d: the window clipped to the input, per channel. `src` holds ROWS input rows
// (see kept_row, kml/common.h) of in_w pixels of n_chan values: the whole input (pool2d) or an io_stream line
// buffer.
template <class data_T, class res_T, typename CONFIG_T, unsigned ROWS>
void pool2d_pixel(const data_T src[ROWS * CONFIG_T::in_w * CONFIG_T::n_chan], unsigned oh, unsigned ow,
                  res_T out[CONFIG_T::n_chan],
                  const typename CONFIG_T::scale_t inv_count[CONFIG_T::out_h * CONFIG_T::out_w]) {
#pragma HLS INLINE
  int h0 = int(oh * CONFIG_T::stride_h) - int(CONFIG_T::pad_top);
  int w0 = int(ow * CONFIG_T::stride_w) - int(CONFIG_T::pad_left);
  int h1 = h0 + int(CONFIG_T::pool_h), w1 = w0 + int(CONFIG_T::pool_w);
  if (h0 < 0) h0 = 0;
  if (w0 < 0) w0 = 0;
  if (h1 > int(CONFIG_T::in_h)) h1 = int(CONFIG_T::in_h);
  if (w1 > int(CONFIG_T::in_w)) w1 = int(CONFIG_T::in_w);
Channels:
  for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
    if (CONFIG_T::average) {
      typename CONFIG_T::accum_t sum = 0;
      for (int ih = h0; ih < h1; ih++)
        for (int iw = w0; iw < w1; iw++)
          sum += src[kept_pixel<ROWS, CONFIG_T>(unsigned(ih), unsigned(iw)) + c];
      out[c] = sum * inv_count[oh * CONFIG_T::out_w + ow];
    } else {
      data_T m = src[kept_pixel<ROWS, CONFIG_T>(unsigned(h0), unsigned(w0)) + c];
      for (int ih = h0; ih < h1; ih++)
        for (int iw = w0; iw < w1; iw++) {
          const data_T v = src[kept_pixel<ROWS, CONFIG_T>(unsigned(ih), unsigned(iw)) + c];
          if (v > m) m = v;
        }
      out[c] = m;
    }
  }
}

template <class data_T, class res_T, typename CONFIG_T>
void pool2d(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
            res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan],
            const typename CONFIG_T::scale_t inv_count[CONFIG_T::out_h * CONFIG_T::out_w]) {
#pragma HLS INLINE
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++)
      pool2d_pixel<data_T, res_T, CONFIG_T, CONFIG_T::in_h>(
          data, oh, ow, &res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan], inv_count);
  }
}

struct global_pool_config {
  static const unsigned n_pix = 1;  // spatial positions (h * w)
  static const unsigned n_chan = 1;
  static const bool average = false;
  static const unsigned reuse_factor = 1;
  typedef float accum_t;
  typedef float scale_t;
};

template <class data_T, class res_T, typename CONFIG_T>
void global_pool2d(const data_T data[CONFIG_T::n_pix * CONFIG_T::n_chan], res_T res[CONFIG_T::n_chan],
                   const typename CONFIG_T::scale_t inv_count[1]) {
#pragma HLS INLINE
Channels:
  for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
    if (CONFIG_T::average) {
      typename CONFIG_T::accum_t sum = 0;
      for (unsigned p = 0; p < CONFIG_T::n_pix; p++) sum += data[p * CONFIG_T::n_chan + c];
      res[c] = sum * inv_count[0];
    } else {
      data_T m = data[c];
      for (unsigned p = 1; p < CONFIG_T::n_pix; p++) {
        const data_T v = data[p * CONFIG_T::n_chan + c];
        if (v > m) m = v;
      }
      res[c] = m;
    }
  }
}

}  // namespace kml

#endif
