// io_stream: tensors travel between layers as hls::stream of channel vectors (hls4ml style). A tensor of shape
// (..., C) is a stream of size / C elements of kml::vec<T, C> in row-major order (pixels of a feature map,
// time steps of a sequence, or a single element for a flat vector).
//
// Implementations here are the streaming forms of the io_parallel layers; each computes exactly what its array
// form computes, in the same order, so io_stream and io_parallel give bit-identical results:
//   - row-wise layers (Dense on the last axis, activations, BatchNormalization, Softmax) are applied per stream
//     element by the generated code, with the layer's config narrowed to one row (row_of / one_row below);
//   - conv2d_stream, pool2d_stream: line buffers of the last rows of the input; each output pixel is computed
//     as soon as the last input pixel of its window has arrived (conv2d_stream by conv.h's conv2d_pixel, so
//     Latency and Resource convolutions stream too);
//   - global_pool2d_stream: running per-channel accumulation;
//   - everything else goes through an adapter (stream -> array -> io_parallel layer -> stream) that the
//     converter writes; repack_stream changes the vector width (Flatten, Reshape).
#ifndef KML_STREAM_H_
#define KML_STREAM_H_

#include "hls_stream.h"
#include "kml/common.h"
#include "kml/conv.h"
#include "kml/pooling.h"

namespace kml {

// One stream element: the C values of one position.
template <class T, unsigned N>
struct vec {
  typedef T value_type;
  static const unsigned size = N;
  T data[N];
  T& operator[](unsigned i) { return data[i]; }
  const T& operator[](unsigned i) const { return data[i]; }
};

// A layer config narrowed to one row of n values (activations, batchnorm, softmax) ...
template <class C, unsigned N>
struct row_of : C {
  static const unsigned n_in = N;
  static const unsigned n_rows = 1;
};
// ... or to one row of its own width (dense).
template <class C>
struct one_row : C {
  static const unsigned n_rows = 1;
};

// ---------------------------------------------------------------------------------------------------
// Adapters and plumbing.

// n_elem stream elements -> array of n_elem * V::size values.
template <class V, unsigned n_elem>
void stream_to_array(hls::stream<V>& in, typename V::value_type out[n_elem * V::size]) {
StreamToArray:
  for (unsigned e = 0; e < n_elem; e++) {
#pragma HLS PIPELINE
    V v = in.read();
    for (unsigned c = 0; c < V::size; c++) {
#pragma HLS UNROLL
      out[e * V::size + c] = v[c];
    }
  }
}

template <class V, unsigned n_elem>
void array_to_stream(const typename V::value_type in[n_elem * V::size], hls::stream<V>& out) {
ArrayToStream:
  for (unsigned e = 0; e < n_elem; e++) {
#pragma HLS PIPELINE
    V v;
#pragma HLS ARRAY_PARTITION variable = v.data complete
    for (unsigned c = 0; c < V::size; c++) {
#pragma HLS UNROLL
      v[c] = in[e * V::size + c];
    }
    out.write(v);
  }
}

// Same values, different vector width (n_total values in all): Flatten, Reshape.
template <class Vin, class Vout, unsigned n_total>
void repack_stream(hls::stream<Vin>& in, hls::stream<Vout>& out) {
  Vout o;
#pragma HLS ARRAY_PARTITION variable = o.data complete
  unsigned k = 0;
Repack:
  for (unsigned e = 0; e < n_total / Vin::size; e++) {
#pragma HLS PIPELINE
    Vin v = in.read();
    for (unsigned c = 0; c < Vin::size; c++) {
      o[k] = v[c];
      if (++k == Vout::size) {
        out.write(o);
        k = 0;
      }
    }
  }
}

template <class V, unsigned n_elem>
void copy_stream(hls::stream<V>& in, hls::stream<V>& out) {
Copy:
  for (unsigned e = 0; e < n_elem; e++) {
#pragma HLS PIPELINE
    out.write(in.read());
  }
}

#ifndef __SYNTHESIS__
// Host only (csim tracing): move n_elem elements from `in` to `out`, recording them as layer `name`.
template <class V, unsigned n_elem, class Recorder>
void tee_stream(hls::stream<V>& in, hls::stream<V>& out, Recorder record) {
  typename V::value_type buf[n_elem * V::size];
  for (unsigned e = 0; e < n_elem; e++) {
    V v = in.read();
    for (unsigned c = 0; c < V::size; c++) buf[e * V::size + c] = v[c];
    out.write(v);
  }
  record(buf, n_elem * V::size);
}
#endif

// ---------------------------------------------------------------------------------------------------
// Line-buffer windows (convolution, pooling) over an input streamed in raster order.
//
// The buffer keeps the last `span` input rows (span = the window's height including dilation), indexed by
// row % span. Output pixel (oh, ow) is computed once input pixel (last_row(oh), last_col(ow)) has arrived; its
// window's first row is then still in the buffer (span rows back at most).

template <typename CONFIG_T>
struct window_geometry {
  static const unsigned span_h = (CONFIG_T::filt_h - 1) * CONFIG_T::dilation_h + 1;
  static const unsigned span_w = (CONFIG_T::filt_w - 1) * CONFIG_T::dilation_w + 1;
};

// Last input row/column a window starting at output position o reaches, clipped to [0, n).
inline unsigned window_last(unsigned o, unsigned stride, unsigned span, unsigned pad, unsigned n) {
  int last = int(o * stride + span - 1) - int(pad);
  if (last < 0) return 0;
  if (last >= int(n)) return n - 1;
  return unsigned(last);
}

// Input pixel (ih, iw) into the line buffer (`span` rows of in_w pixels of n_chan values).
template <class Vin, typename CONFIG_T, unsigned SPAN>
void line_buffer_store(typename Vin::value_type buf[SPAN * CONFIG_T::in_w * CONFIG_T::n_chan], unsigned ih,
                       unsigned iw, const Vin& x) {
#pragma HLS INLINE
  for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    buf[((ih % SPAN) * CONFIG_T::in_w + iw) * CONFIG_T::n_chan + c] = x[c];
  }
}

// Can output pixel (oh, ow) (oh < out_h) be computed once input pixel (ih, iw) has arrived? Its window
// (SPAN_H x SPAN_W input pixels) must be complete; at the input's last pixel every remaining one is.
template <typename CONFIG_T, unsigned SPAN_H, unsigned SPAN_W>
bool window_ready(unsigned ih, unsigned iw, unsigned oh, unsigned ow) {
#pragma HLS INLINE
  const bool last_pixel = ih == CONFIG_T::in_h - 1 && iw == CONFIG_T::in_w - 1;
  const unsigned lr = window_last(oh, CONFIG_T::stride_h, SPAN_H, CONFIG_T::pad_top, CONFIG_T::in_h);
  const unsigned lc = window_last(ow, CONFIG_T::stride_w, SPAN_W, CONFIG_T::pad_left, CONFIG_T::in_w);
  return last_pixel || ih > lr || (ih == lr && iw >= lc);
}

// Raster order over the output: (oh, ow) -> the next output pixel.
template <typename CONFIG_T>
void next_output_pixel(unsigned& oh, unsigned& ow) {
#pragma HLS INLINE
  if (++ow == CONFIG_T::out_w) {
    ow = 0;
    ++oh;
  }
}

// Conv1D/Conv2D (incl. depthwise and grouped): each output pixel is conv.h's conv2d_pixel (the same
// arithmetic, order and weight layout as conv2d, in the node's strategy: Latency, or Resource on
// dense_resource.h's kernel) applied to the line buffer, which is `span` rows of in_w pixels (input row ih at
// ih % span).
template <class Vin, class Vout, typename CONFIG_T>
void conv2d_stream(hls::stream<Vin>& in, hls::stream<Vout>& out,
                   const typename CONFIG_T::weight_t weights[conv_kernel<CONFIG_T>::size],
                   const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
  typedef typename Vin::value_type data_T;
  static const unsigned span = window_geometry<CONFIG_T>::span_h;
  data_T buf[span * CONFIG_T::in_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = buf cyclic factor = CONFIG_T::n_chan
  unsigned oh = 0, ow = 0;
InRows:
  for (unsigned ih = 0; ih < CONFIG_T::in_h; ih++) {
  InCols:
    for (unsigned iw = 0; iw < CONFIG_T::in_w; iw++) {
      line_buffer_store<Vin, CONFIG_T, span>(buf, ih, iw, in.read());
    Emit:
      while (oh < CONFIG_T::out_h &&
             window_ready<CONFIG_T, span, window_geometry<CONFIG_T>::span_w>(ih, iw, oh, ow)) {
        Vout y;
#pragma HLS ARRAY_PARTITION variable = y.data complete
        conv2d_pixel<data_T, typename Vout::value_type, CONFIG_T, span>(buf, oh, ow, y.data, weights, biases);
        out.write(y);
        next_output_pixel<CONFIG_T>(oh, ow);
      }
    }
  }
}

// Max/AveragePooling1D/2D: each output pixel is pooling.h's pool2d_pixel (pool2d's arithmetic and order) on the
// line buffer, `span` = pool_h rows of in_w pixels (input row ih at ih % span).
template <class Vin, class Vout, typename CONFIG_T>
void pool2d_stream(hls::stream<Vin>& in, hls::stream<Vout>& out,
                   const typename CONFIG_T::scale_t inv_count[CONFIG_T::out_h * CONFIG_T::out_w]) {
  typedef typename Vin::value_type data_T;
  static const unsigned span = CONFIG_T::pool_h;
  data_T buf[span * CONFIG_T::in_w * CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = buf cyclic factor = CONFIG_T::n_chan
  unsigned oh = 0, ow = 0;
InRows:
  for (unsigned ih = 0; ih < CONFIG_T::in_h; ih++) {
  InCols:
    for (unsigned iw = 0; iw < CONFIG_T::in_w; iw++) {
      line_buffer_store<Vin, CONFIG_T, span>(buf, ih, iw, in.read());
    Emit:
      while (oh < CONFIG_T::out_h && window_ready<CONFIG_T, span, CONFIG_T::pool_w>(ih, iw, oh, ow)) {
        Vout y;
#pragma HLS ARRAY_PARTITION variable = y.data complete
        pool2d_pixel<data_T, typename Vout::value_type, CONFIG_T, span>(buf, oh, ow, y.data, inv_count);
        out.write(y);
        next_output_pixel<CONFIG_T>(oh, ow);
      }
    }
  }
}

// GlobalMax/GlobalAveragePooling1D/2D with pooling.h's global_pool2d arithmetic and order.
template <class Vin, class Vout, typename CONFIG_T>
void global_pool2d_stream(hls::stream<Vin>& in, hls::stream<Vout>& out,
                          const typename CONFIG_T::scale_t inv_count[1]) {
  typedef typename Vin::value_type data_T;
  typename CONFIG_T::accum_t sum[CONFIG_T::n_chan];
  data_T m[CONFIG_T::n_chan];
#pragma HLS ARRAY_PARTITION variable = sum complete
#pragma HLS ARRAY_PARTITION variable = m complete
Pixels:
  for (unsigned p = 0; p < CONFIG_T::n_pix; p++) {
#pragma HLS PIPELINE
    Vin x = in.read();
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
      if (CONFIG_T::average) {
        if (p == 0) sum[c] = 0;
        sum[c] += x[c];
      } else if (p == 0 || x[c] > m[c]) {
        m[c] = x[c];
      }
    }
  }
  Vout y;
#pragma HLS ARRAY_PARTITION variable = y.data complete
  for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
#pragma HLS UNROLL
    if (CONFIG_T::average) y[c] = sum[c] * inv_count[0];
    else y[c] = m[c];
  }
  out.write(y);
}

}  // namespace kml

#endif
