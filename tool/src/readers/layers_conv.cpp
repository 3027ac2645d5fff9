// Convolution and pooling layers: Conv1D/2D, DepthwiseConv1D/2D, SeparableConv1D/2D, Conv1D/2DTranspose,
// Max/AveragePooling1D/2D, GlobalMax/GlobalAveragePooling1D/2D.
//
// IR ops (all on channels_last tensors, a 1D layer being a 2D layer of height 1):
//   "conv"            attrs in_h in_w n_chan out_h out_w n_filt filt_h filt_w stride_h stride_w dilation_h
//                     dilation_w pad_top pad_left groups; weights kernel (filt_h, filt_w, n_chan/groups, n_filt),
//                     bias (n_filt). Depthwise convolutions are grouped convolutions with groups = n_chan (the
//                     Keras depthwise kernel (kh, kw, C, dm) has exactly the grouped kernel's layout); a
//                     separable convolution is a depthwise "conv" node followed by a 1x1 "conv" node.
//   "conv_transpose"  same attrs (groups = 1); kernel (filt_h, filt_w, n_filt, n_chan) as Keras stores it.
//   "pool"            attrs in_h in_w n_chan out_h out_w pool_h pool_w stride_h stride_w pad_top pad_left average.
//   "global_pool"     attrs n_pix n_chan average.
// A layer with data_format='channels_first' gets attr channels_first = true: its attributes describe the
// channels_last computation while its input and output shapes stay Keras' channels_first ones; the
// channels_last pass puts transposes around it.
#include <algorithm>

#include "readers/layers.h"
#include "readers/spatial.h"

namespace kml::readers {
namespace {

using nlohmann::json;
using spatial::Dim;
using spatial::Geom;

std::string padding_of(const LayerCtx& c) {
  std::string p = c.get<std::string>("padding", "valid");
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return p;
}

void check_shape(const LayerCtx& c, const char* what, const ir::Tensor& t, const ir::Shape& expected) {
  if (t.shape != expected || t.size() != ir::shape_size(expected))
    throw c.error(std::string(what) + " has shape " + ir::shape_str(t.shape) + ", expected " + ir::shape_str(expected));
}

// Keras' kernel shape for a spatial rank: (k_w, ...) for 1D, (k_h, k_w, ...) for 2D.
ir::Shape kshape(int rank, const std::vector<std::size_t>& k, std::size_t a, std::size_t b) {
  if (rank == 1) return {k[1], a, b};
  return {k[0], k[1], a, b};
}

struct Window {
  std::vector<std::size_t> k, s, d;
  Dim dh, dw;
};

Window conv_window(const LayerCtx& c, int rank, const Geom& g) {
  Window w;
  w.k = spatial::pair(c, "kernel_size", rank, json());
  w.s = spatial::pair(c, "strides", rank, json(1));
  w.d = spatial::pair(c, "dilation_rate", rank, json(1));
  std::string padding = padding_of(c);
  if (padding == "causal" && rank != 1) throw c.error("padding 'causal' is only valid for 1D convolutions");
  w.dh = spatial::window(c, padding == "causal" ? "valid" : padding, g.h, (w.k[0] - 1) * w.d[0] + 1, w.s[0]);
  w.dw = spatial::window(c, padding, g.w, (w.k[1] - 1) * w.d[1] + 1, w.s[1]);
  return w;
}

void set_geometry(ir::Node& n, const Geom& g, const Window& w, std::size_t out_h, std::size_t out_w,
                  std::size_t n_filt) {
  n.attr["rank"] = g.rank;
  n.attr["in_h"] = g.h;
  n.attr["in_w"] = g.w;
  n.attr["n_chan"] = g.c;
  n.attr["out_h"] = out_h;
  n.attr["out_w"] = out_w;
  n.attr["n_filt"] = n_filt;
  n.attr["filt_h"] = w.k[0];
  n.attr["filt_w"] = w.k[1];
  n.attr["stride_h"] = w.s[0];
  n.attr["stride_w"] = w.s[1];
  n.attr["dilation_h"] = w.d[0];
  n.attr["dilation_w"] = w.d[1];
  n.attr["pad_top"] = w.dh.pad_before;
  n.attr["pad_left"] = w.dw.pad_before;
  if (g.channels_first) n.attr["channels_first"] = true;
  n.shape = spatial::keras_shape(g.rank, g.channels_first, out_h, out_w, n_filt);
}

ir::Tensor bias_or_zero(const LayerCtx& c, std::size_t index, std::size_t n) {
  ir::Tensor b;
  b.shape = {n};
  if (!c.get<bool>("use_bias", true)) {
    b.data.assign(n, 0.0);
    return b;
  }
  const ir::Tensor& t = c.weight(index, "bias");
  if (t.size() != n) throw c.error("bias has " + std::to_string(t.size()) + " values, expected " + std::to_string(n));
  b.data = t.data;
  return b;
}

void conv(LayerCtx& c, int rank) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  std::size_t filters = c.get<std::size_t>("filters", 0);
  std::size_t groups = c.get<std::size_t>("groups", 1);
  if (filters == 0) throw c.error("'filters' is missing");
  if (groups == 0 || g.c % groups || filters % groups)
    throw c.error("groups = " + std::to_string(groups) + " does not divide the " + std::to_string(g.c) +
                  " channels and " + std::to_string(filters) + " filters");
  Window w = conv_window(c, rank, g);
  const ir::Tensor& k = c.weight(0, "kernel");
  check_shape(c, "kernel", k, kshape(rank, w.k, g.c / groups, filters));
  ir::Node n = c.node("conv");
  set_geometry(n, g, w, w.dh.out, w.dw.out, filters);
  n.attr["groups"] = groups;
  n.attr["activation"] = activation_attr(c, c.config().value("activation", json("linear")));
  n.weights["kernel"] = k;
  n.weights["kernel"].shape = {w.k[0], w.k[1], g.c / groups, filters};
  n.weights["bias"] = bias_or_zero(c, 1, filters);
  c.emit(std::move(n));
}

// The depthwise half of DepthwiseConv and SeparableConv: a grouped convolution with groups = channels.
ir::Node depthwise_node(LayerCtx& c, int rank, const Geom& g, const Window& w, const ir::Tensor& k,
                        const std::string& suffix) {
  std::size_t dm = c.get<std::size_t>("depth_multiplier", 1);
  if (dm == 0) throw c.error("depth_multiplier must be positive");
  check_shape(c, "depthwise kernel", k, kshape(rank, w.k, g.c, dm));
  ir::Node n = c.node("conv", suffix);
  set_geometry(n, g, w, w.dh.out, w.dw.out, g.c * dm);
  n.attr["groups"] = g.c;
  n.weights["kernel"] = k;
  n.weights["kernel"].shape = {w.k[0], w.k[1], 1, g.c * dm};
  return n;
}

void depthwise(LayerCtx& c, int rank) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  Window w = conv_window(c, rank, g);
  ir::Node n = depthwise_node(c, rank, g, w, c.weight(0, "depthwise kernel"), "");
  std::size_t n_out = n.attr["n_filt"];
  n.attr["activation"] = activation_attr(c, c.config().value("activation", json("linear")));
  n.weights["bias"] = bias_or_zero(c, 1, n_out);
  c.emit(std::move(n));
}

void separable(LayerCtx& c, int rank) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  Window w = conv_window(c, rank, g);
  std::size_t filters = c.get<std::size_t>("filters", 0);
  if (filters == 0) throw c.error("'filters' is missing");
  ir::Node dw = depthwise_node(c, rank, g, w, c.weight(0, "depthwise kernel"), "depthwise");
  std::size_t mid = dw.attr["n_filt"];
  ir::Tensor zero;
  zero.shape = {mid};
  zero.data.assign(mid, 0.0);
  dw.weights["bias"] = std::move(zero);
  std::string dw_name = c.emit(std::move(dw)).name;

  // Pointwise: a 1x1 convolution over the depthwise output (channels_last, or channels_first like the layer).
  const ir::Tensor& pk = c.weight(1, "pointwise kernel");
  ir::Shape pshape = rank == 1 ? ir::Shape{1, mid, filters} : ir::Shape{1, 1, mid, filters};
  check_shape(c, "pointwise kernel", pk, pshape);
  Geom pg = g;
  pg.h = w.dh.out;
  pg.w = w.dw.out;
  pg.c = mid;
  Window pw;
  pw.k = pw.s = pw.d = {1, 1};
  pw.dh.out = pg.h;
  pw.dw.out = pg.w;
  ir::Node n = c.node("conv");
  n.inputs = {dw_name};
  set_geometry(n, pg, pw, pg.h, pg.w, filters);
  n.attr["groups"] = 1;
  n.attr["activation"] = activation_attr(c, c.config().value("activation", json("linear")));
  n.weights["kernel"] = pk;
  n.weights["kernel"].shape = {1, 1, mid, filters};
  n.weights["bias"] = bias_or_zero(c, 2, filters);
  c.emit(std::move(n));
}

// Output length and leading crop of a transposed convolution (Keras/TF deconv_output_length semantics).
Dim transpose_dim(const LayerCtx& c, const std::string& padding, std::size_t in, std::size_t k_eff, std::size_t s,
                  long long output_padding) {
  Dim d;
  if (padding != "valid" && padding != "same") throw c.error("unsupported padding '" + padding + "'");
  if (output_padding < 0) {
    if (padding == "valid") {
      d.out = in * s + (k_eff > s ? k_eff - s : 0);
    } else {
      d.out = in * s;
      d.pad_before = (k_eff > s ? k_eff - s : 0) / 2;
    }
  } else {
    std::size_t pad = padding == "same" ? k_eff / 2 : 0;
    long long len = (long long)((in - 1) * s + k_eff) - 2 * (long long)pad + output_padding;
    if (len <= 0) throw c.error("output_padding gives an empty output");
    d.out = std::size_t(len);
    d.pad_before = pad;
  }
  return d;
}

void conv_transpose(LayerCtx& c, int rank) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  std::size_t filters = c.get<std::size_t>("filters", 0);
  if (filters == 0) throw c.error("'filters' is missing");
  Window w;
  w.k = spatial::pair(c, "kernel_size", rank, json());
  w.s = spatial::pair(c, "strides", rank, json(1));
  w.d = spatial::pair(c, "dilation_rate", rank, json(1));
  std::vector<long long> op = {-1, -1};
  json opj = c.config().value("output_padding", json());
  if (!opj.is_null()) {
    std::vector<long long> v;
    if (opj.is_number_integer()) v.assign(rank, opj.get<long long>());
    else if (opj.is_array() && opj.size() == std::size_t(rank))
      for (const auto& x : opj) v.push_back(x.get<long long>());
    else throw c.error("'output_padding' = " + opj.dump() + " is not understood");
    op = rank == 1 ? std::vector<long long>{0, v[0]} : v;
  }
  std::string padding = padding_of(c);
  w.dh = transpose_dim(c, padding, g.h, (w.k[0] - 1) * w.d[0] + 1, w.s[0], rank == 1 ? -1 : op[0]);
  w.dw = transpose_dim(c, padding, g.w, (w.k[1] - 1) * w.d[1] + 1, w.s[1], op[1]);
  const ir::Tensor& k = c.weight(0, "kernel");
  check_shape(c, "kernel", k, kshape(rank, w.k, filters, g.c));
  ir::Node n = c.node("conv_transpose");
  set_geometry(n, g, w, w.dh.out, w.dw.out, filters);
  n.attr["groups"] = 1;
  n.attr["activation"] = activation_attr(c, c.config().value("activation", json("linear")));
  n.weights["kernel"] = k;
  n.weights["kernel"].shape = {w.k[0], w.k[1], filters, g.c};
  n.weights["bias"] = bias_or_zero(c, 1, filters);
  c.emit(std::move(n));
}

void pool(LayerCtx& c, int rank, bool average) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  std::vector<std::size_t> p = spatial::pair(c, "pool_size", rank, json(2));
  json sj = c.config().value("strides", json());
  std::vector<std::size_t> s = sj.is_null() ? p : spatial::pair(c, "strides", rank, json());
  std::string padding = padding_of(c);
  Dim dh = spatial::window(c, padding, g.h, p[0], s[0]);
  Dim dw = spatial::window(c, padding, g.w, p[1], s[1]);
  ir::Node n = c.node("pool");
  n.attr["rank"] = rank;
  n.attr["in_h"] = g.h;
  n.attr["in_w"] = g.w;
  n.attr["n_chan"] = g.c;
  n.attr["out_h"] = dh.out;
  n.attr["out_w"] = dw.out;
  n.attr["pool_h"] = p[0];
  n.attr["pool_w"] = p[1];
  n.attr["stride_h"] = s[0];
  n.attr["stride_w"] = s[1];
  n.attr["pad_top"] = dh.pad_before;
  n.attr["pad_left"] = dw.pad_before;
  n.attr["average"] = average;
  if (g.channels_first) n.attr["channels_first"] = true;
  n.shape = spatial::keras_shape(rank, g.channels_first, dh.out, dw.out, g.c);
  // 1 / (number of valid input elements in the window), per output position, for the average.
  ir::Tensor inv;
  inv.shape = {dh.out, dw.out};
  auto valid = [](std::size_t o, std::size_t stride, std::size_t pad, std::size_t size, std::size_t in) {
    long long lo = (long long)(o * stride) - (long long)pad, hi = lo + (long long)size;
    return std::size_t(std::min<long long>(hi, (long long)in) - std::max<long long>(lo, 0));
  };
  for (std::size_t oh = 0; oh < dh.out; ++oh)
    for (std::size_t ow = 0; ow < dw.out; ++ow)
      inv.data.push_back(1.0 / double(valid(oh, s[0], dh.pad_before, p[0], g.h) * valid(ow, s[1], dw.pad_before, p[1], g.w)));
  n.weights["inv_count"] = std::move(inv);
  c.emit(std::move(n));
}

void global_pool(LayerCtx& c, int rank, bool average) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  ir::Node n = c.node("global_pool");
  n.attr["n_pix"] = g.h * g.w;
  n.attr["n_chan"] = g.c;
  n.attr["average"] = average;
  n.shape = c.get<bool>("keepdims", false) ? spatial::keras_shape(rank, g.channels_first, 1, 1, g.c) : ir::Shape{g.c};
  if (g.channels_first) n.attr["channels_first"] = true;
  ir::Tensor inv;
  inv.shape = {1};
  inv.data = {1.0 / double(g.h * g.w)};
  n.weights["inv_count"] = std::move(inv);
  c.emit(std::move(n));
}

}  // namespace

void register_conv_layers(LayerRegistry& r) {
  for (int rank : {1, 2}) {
    std::string d = std::to_string(rank) + "D";
    r.add("Conv" + d, [rank](LayerCtx& c) { conv(c, rank); });
    r.add("DepthwiseConv" + d, [rank](LayerCtx& c) { depthwise(c, rank); });
    r.add("SeparableConv" + d, [rank](LayerCtx& c) { separable(c, rank); });
    r.add("Conv" + d + "Transpose", [rank](LayerCtx& c) { conv_transpose(c, rank); });
    r.add("MaxPooling" + d, [rank](LayerCtx& c) { pool(c, rank, false); });
    r.add("AveragePooling" + d, [rank](LayerCtx& c) { pool(c, rank, true); });
    r.add("GlobalMaxPooling" + d, [rank](LayerCtx& c) { global_pool(c, rank, false); });
    r.add("GlobalAveragePooling" + d, [rank](LayerCtx& c) { global_pool(c, rank, true); });
  }
  // Keras 2 aliases.
  r.add("Convolution1D", [](LayerCtx& c) { conv(c, 1); });
  r.add("Convolution2D", [](LayerCtx& c) { conv(c, 2); });
  r.add("MaxPool1D", [](LayerCtx& c) { pool(c, 1, false); });
  r.add("MaxPool2D", [](LayerCtx& c) { pool(c, 2, false); });
  r.add("AvgPool1D", [](LayerCtx& c) { pool(c, 1, true); });
  r.add("AvgPool2D", [](LayerCtx& c) { pool(c, 2, true); });
  r.add("GlobalMaxPool1D", [](LayerCtx& c) { global_pool(c, 1, false); });
  r.add("GlobalMaxPool2D", [](LayerCtx& c) { global_pool(c, 2, false); });
  r.add("GlobalAvgPool1D", [](LayerCtx& c) { global_pool(c, 1, true); });
  r.add("GlobalAvgPool2D", [](LayerCtx& c) { global_pool(c, 2, true); });
}

}  // namespace kml::readers
