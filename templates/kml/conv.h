// Convolutions in io_parallel form, on row-major channels_last tensors. A 1D layer is a 2D layer of height 1.
//   conv2d:           Conv1D/Conv2D (strides, dilation, zero padding, groups); DepthwiseConv (groups = channels,
//                     the depthwise kernel (kh, kw, C, dm) is exactly a grouped kernel (kh, kw, 1, C*dm));
//                     the pointwise half of SeparableConv. Latency, or Resource with a reuse factor > 1
//                     (strategy = "resource": per output pixel, im2col window x kernel on dense_resource.h's
//                     kernel); conv2d_pixel is also the per-pixel step of io_stream's conv2d_stream.
//   conv2d_transpose: Conv1DTranspose/Conv2DTranspose, Latency only (the converter warns when a transposed
//                     convolution is given strategy = "resource" with a reuse factor > 1, and uses Latency).
// Arithmetic is dense.h's: each product is cast to accum_t and accumulated in accum_t (starting from the bias);
// the sum is then cast to the result type.
#ifndef KML_CONV_H_
#define KML_CONV_H_

#include "kml/common.h"
#include "kml/dense_resource.h"
#if defined(KML_AP_RUNTIME) && !defined(__SYNTHESIS__)
#include "kml/fast_mac.h"
#endif

namespace kml {

struct conv_config {
  // Input (in_h, in_w, n_chan), output (out_h, out_w, n_filt).
  static const unsigned in_h = 1;
  static const unsigned in_w = 1;
  static const unsigned n_chan = 1;
  static const unsigned out_h = 1;
  static const unsigned out_w = 1;
  static const unsigned n_filt = 1;
  static const unsigned filt_h = 1;
  static const unsigned filt_w = 1;
  static const unsigned stride_h = 1;
  static const unsigned stride_w = 1;
  static const unsigned dilation_h = 1;
  static const unsigned dilation_w = 1;
  // Zeros added before the first row / column (the padding after follows from the output size).
  static const unsigned pad_top = 0;
  static const unsigned pad_left = 0;
  // Channels and filters split into `groups` independent groups (n_chan / groups inputs each).
  static const unsigned groups = 1;
  static const unsigned reuse_factor = 1;
  static const bool resource = false;
  typedef float accum_t;
  typedef float weight_t;
  typedef float bias_t;
};

// The kernel as a matrix: K = filt_h * filt_w * n_chan / groups rows (the im2col window of one group), n_filt
// columns; weights (filt_h, filt_w, n_chan / groups, n_filt) row-major are exactly this (K, n_filt) matrix.
template <typename CONFIG_T>
struct conv_kernel {
  static const unsigned n_in = CONFIG_T::filt_h * CONFIG_T::filt_w * (CONFIG_T::n_chan / CONFIG_T::groups);
  static const unsigned size = n_in * CONFIG_T::n_filt;
};

// One output pixel (oh, ow) of conv2d, Latency form: every product of the window in parallel, each
// accumulator adding in ascending (kh, kw, c) from the bias; positions in the zero padding are skipped. `src`
// holds ROWS input rows (see kept_row, kml/common.h) of in_w pixels of n_chan values.
template <class data_T, class res_T, typename CONFIG_T, unsigned ROWS>
void conv2d_pixel_latency(const data_T src[ROWS * CONFIG_T::in_w * CONFIG_T::n_chan], unsigned oh,
                          unsigned ow, res_T out[CONFIG_T::n_filt],
                          const typename CONFIG_T::weight_t weights[conv_kernel<CONFIG_T>::size],
                          const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
#pragma HLS INLINE
  const unsigned cpg = CONFIG_T::n_chan / CONFIG_T::groups;  // input channels per group
  const unsigned fpg = CONFIG_T::n_filt / CONFIG_T::groups;  // filters per group
  typename CONFIG_T::accum_t acc[CONFIG_T::n_filt];
#pragma HLS ARRAY_PARTITION variable = acc complete
ResetAccum:
  for (unsigned f = 0; f < CONFIG_T::n_filt; f++) acc[f] = biases[f];
KernelRows:
  for (unsigned kh = 0; kh < CONFIG_T::filt_h; kh++) {
    const int ih = int(oh * CONFIG_T::stride_h + kh * CONFIG_T::dilation_h) - int(CONFIG_T::pad_top);
    if (ih < 0 || ih >= int(CONFIG_T::in_h)) continue;  // zero padding
  KernelCols:
    for (unsigned kw = 0; kw < CONFIG_T::filt_w; kw++) {
      const int iw = int(ow * CONFIG_T::stride_w + kw * CONFIG_T::dilation_w) - int(CONFIG_T::pad_left);
      if (iw < 0 || iw >= int(CONFIG_T::in_w)) continue;
      const data_T* x = &src[kept_pixel<ROWS, CONFIG_T>(unsigned(ih), unsigned(iw))];
      const typename CONFIG_T::weight_t* w = &weights[(kh * CONFIG_T::filt_w + kw) * cpg * CONFIG_T::n_filt];
    Groups:
      for (unsigned g = 0; g < CONFIG_T::groups; g++) {
      Channels:
        for (unsigned cc = 0; cc < cpg; cc++) {
          const data_T xv = x[g * cpg + cc];
          const typename CONFIG_T::weight_t* wr = &w[cc * CONFIG_T::n_filt + g * fpg];
        Filters:
          for (unsigned ff = 0; ff < fpg; ff++) {
            typename CONFIG_T::accum_t prod = xv * wr[ff];
            acc[g * fpg + ff] += prod;
          }
        }
      }
    }
  }
Result:
  for (unsigned f = 0; f < CONFIG_T::n_filt; f++) out[f] = acc[f];
}

// One output pixel, Resource form (hls4ml's im2col + dense_resource): the window (filt_h * filt_w positions
// of n_chan values, zeros in the padding) times the (K, n_filt) kernel, K = filt_h * filt_w * n_chan /
// groups, on K * n_filt / reuse_factor multipliers over reuse_factor pipelined cycles (dense_resource.h's
// matvec_resource). Each accumulator still adds in ascending (kh, kw, c) from the bias: bit-identical to the
// Latency form.
template <class data_T, class res_T, typename CONFIG_T, unsigned ROWS>
void conv2d_pixel_resource(const data_T src[ROWS * CONFIG_T::in_w * CONFIG_T::n_chan], unsigned oh,
                           unsigned ow, res_T out[CONFIG_T::n_filt],
                           const typename CONFIG_T::weight_t weights[conv_kernel<CONFIG_T>::size],
                           const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
#pragma HLS INLINE
  static const unsigned n_pos = CONFIG_T::filt_h * CONFIG_T::filt_w;
  static const unsigned cpg = CONFIG_T::n_chan / CONFIG_T::groups;
  data_T win[n_pos * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = win complete
  bool valid[n_pos];
#pragma HLS ARRAY_PARTITION variable = valid complete
Im2colRows:
  for (unsigned kh = 0; kh < CONFIG_T::filt_h; kh++) {
#pragma HLS UNROLL
    const int ih = int(oh * CONFIG_T::stride_h + kh * CONFIG_T::dilation_h) - int(CONFIG_T::pad_top);
  Im2colCols:
    for (unsigned kw = 0; kw < CONFIG_T::filt_w; kw++) {
#pragma HLS UNROLL
      const int iw = int(ow * CONFIG_T::stride_w + kw * CONFIG_T::dilation_w) - int(CONFIG_T::pad_left);
      const bool inside = ih >= 0 && ih < int(CONFIG_T::in_h) && iw >= 0 && iw < int(CONFIG_T::in_w);
      const unsigned p = kh * CONFIG_T::filt_w + kw;
      const unsigned base = inside ? kept_pixel<ROWS, CONFIG_T>(unsigned(ih), unsigned(iw)) : 0;
      valid[p] = inside;
    Im2colChannels:
      for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
        win[p * CONFIG_T::n_chan + c] = inside ? src[base + c] : data_T(0);
      }
    }
  }
  matvec_resource<data_T, res_T, CONFIG_T, conv_kernel<CONFIG_T>::n_in, CONFIG_T::n_filt, CONFIG_T::groups,
                  cpg>(win, valid, out, weights, biases);
}

// Latency (fully parallel) or Resource (reuse factor > 1) per output pixel: bit-identical results.
template <class data_T, class res_T, typename CONFIG_T, unsigned ROWS, bool resource>
struct conv2d_pixel_impl {
  static void run(const data_T* src, unsigned oh, unsigned ow, res_T* out,
                  const typename CONFIG_T::weight_t* weights, const typename CONFIG_T::bias_t* biases) {
#pragma HLS INLINE
    conv2d_pixel_latency<data_T, res_T, CONFIG_T, ROWS>(src, oh, ow, out, weights, biases);
  }
};
template <class data_T, class res_T, typename CONFIG_T, unsigned ROWS>
struct conv2d_pixel_impl<data_T, res_T, CONFIG_T, ROWS, true> {
  static void run(const data_T* src, unsigned oh, unsigned ow, res_T* out,
                  const typename CONFIG_T::weight_t* weights, const typename CONFIG_T::bias_t* biases) {
#pragma HLS INLINE
    conv2d_pixel_resource<data_T, res_T, CONFIG_T, ROWS>(src, oh, ow, out, weights, biases);
  }
};

// Output pixel (oh, ow) from ROWS kept input rows, in the node's strategy: the one home of the convolution
// arithmetic, shared by conv2d (io_parallel, ROWS = in_h) and conv2d_stream (stream.h, a line buffer).
template <class data_T, class res_T, typename CONFIG_T, unsigned ROWS>
void conv2d_pixel(const data_T src[ROWS * CONFIG_T::in_w * CONFIG_T::n_chan], unsigned oh, unsigned ow,
                  res_T out[CONFIG_T::n_filt],
                  const typename CONFIG_T::weight_t weights[conv_kernel<CONFIG_T>::size],
                  const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
#pragma HLS INLINE
#if defined(KML_AP_RUNTIME) && !defined(__SYNTHESIS__)
  // Host emulation: 16-bit SIMD lanes when provably bit-identical (kml/fast_mac.h).
  if constexpr (CONFIG_T::groups == 1 &&
                fast::plan<data_T, typename CONFIG_T::weight_t, typename CONFIG_T::accum_t>::value) {
    if (fast::conv_pixel<data_T, res_T, CONFIG_T, ROWS, conv_kernel<CONFIG_T>::n_in>(src, oh, ow, out, weights,
                                                                                    biases))
      return;
  }
#endif
  conv2d_pixel_impl<data_T, res_T, CONFIG_T, ROWS, (CONFIG_T::resource && (CONFIG_T::reuse_factor > 1))>::run(
      src, oh, ow, out, weights, biases);
}

// weights: (filt_h, filt_w, n_chan / groups, n_filt) row-major; biases: n_filt.
template <class data_T, class res_T, typename CONFIG_T>
void conv2d(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
            res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_filt],
            const typename CONFIG_T::weight_t weights[conv_kernel<CONFIG_T>::size],
            const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
#pragma HLS INLINE
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
      conv2d_pixel<data_T, res_T, CONFIG_T, CONFIG_T::in_h>(
          data, oh, ow, &res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_filt], weights, biases);
    }
  }
}

// Transposed convolution: input (in_h, in_w, n_chan), output (out_h, out_w, n_filt), kernel
// (filt_h, filt_w, n_filt, n_chan) as Keras stores it. Input pixel (ih, iw) spreads over the output positions
// (ih * stride + k * dilation - pad); computed here as a gather per output position.
template <class data_T, class res_T, typename CONFIG_T>
void conv2d_transpose(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                      res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_filt],
                      const typename CONFIG_T::weight_t
                          weights[CONFIG_T::filt_h * CONFIG_T::filt_w * CONFIG_T::n_filt * CONFIG_T::n_chan],
                      const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
#pragma HLS INLINE
  typename CONFIG_T::accum_t acc[CONFIG_T::n_filt];
#pragma HLS ARRAY_PARTITION variable = acc complete
OutRows:
  for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
  OutCols:
    for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
    ResetAccum:
      for (unsigned f = 0; f < CONFIG_T::n_filt; f++) acc[f] = biases[f];
    KernelRows:
      for (unsigned kh = 0; kh < CONFIG_T::filt_h; kh++) {
        const int th = int(oh + CONFIG_T::pad_top) - int(kh * CONFIG_T::dilation_h);
        if (th < 0 || th % int(CONFIG_T::stride_h) != 0) continue;
        const unsigned ih = unsigned(th) / CONFIG_T::stride_h;
        if (ih >= CONFIG_T::in_h) continue;
      KernelCols:
        for (unsigned kw = 0; kw < CONFIG_T::filt_w; kw++) {
          const int tw = int(ow + CONFIG_T::pad_left) - int(kw * CONFIG_T::dilation_w);
          if (tw < 0 || tw % int(CONFIG_T::stride_w) != 0) continue;
          const unsigned iw = unsigned(tw) / CONFIG_T::stride_w;
          if (iw >= CONFIG_T::in_w) continue;
          const data_T* x = &data[(ih * CONFIG_T::in_w + iw) * CONFIG_T::n_chan];
          const typename CONFIG_T::weight_t* w =
              &weights[(kh * CONFIG_T::filt_w + kw) * CONFIG_T::n_filt * CONFIG_T::n_chan];
        Filters:
          for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
          Channels:
            for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
              typename CONFIG_T::accum_t prod = x[c] * w[f * CONFIG_T::n_chan + c];
              acc[f] += prod;
            }
          }
        }
      }
      res_T* out = &res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_filt];
    Result:
      for (unsigned f = 0; f < CONFIG_T::n_filt; f++) out[f] = acc[f];
    }
  }
}

}  // namespace kml

#endif
