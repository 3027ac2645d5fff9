// GarNet (hls4ml's contrib/garnet.py; simplified=True, linear output, input_format 'xn'): one sublayer over the
// V vertices of an event, of which the first n are real (n: the vertex count input, clamped to [0, V]).
//
//   d[v,a]  = dist_b[a] + sum_i x[v,i] dist_w[i,a]              (distance_t)
//   e[v,a]  = exp(-d[v,a]^2) for v < n, else 0                   (edge_weight_t; a table over distance_t's values)
//   E[a]    = sum_v e[v,a],  X[a,i] = sum_v e[v,a] x[v,i]        (edge_weight_aggr_t, aggr_t)
//   B[a,o]  = norm * (E[a] in_b[a,o] + sum_i X[a,i] in_w[a,i,o]) (aggr_t; norm = 1/V, or 1/n with mean_by_nvert)
//   y[v,o]  = out_b[o] + sum_a e[v,a] B[a,o] for v < n, else 0   (accumulated in aggr_t)
// in_w / in_b are the input transform FLR contracted with the output transform's kernel (the converter does it),
// so that FLR's outputs are never formed (as in hls4ml's nnet_garnet.h). The sums are normalized once, after the
// aggregation, which keeps their fractional bits.
// collapse: 0 = y for every vertex (V x n_out), 1 = mean over the vertices (sum_{v<n} y[v] * norm), 2 = sum over
// the real vertices, 3 = max over all V vertices (the masked ones count as 0, as Keras' K.max over the masked
// output). The mean and the sum need no per-vertex output: sum_{v<n} y[v,o] = n out_b[o] + sum_a E[a] B[a,o].
#ifndef KML_GARNET_H_
#define KML_GARNET_H_

#include <cmath>

#include "kml/activation.h"
#include "kml/common.h"

namespace kml {

struct garnet_config {
  static const unsigned n_vertices = 1;
  static const unsigned n_in = 1;
  static const unsigned n_aggregators = 1;
  static const unsigned n_out = 1;
  static const unsigned collapse = 0;  // 0 none, 1 mean, 2 sum, 3 max
  static const bool mean_by_nvert = false;
  static const unsigned distance_width = 12;  // bits of distance_t (the edge weight table has 2^width entries)
  static const unsigned reuse_factor = 1;
  typedef float weight_t;
  typedef float bias_t;
  typedef float distance_t;
  typedef float edge_weight_t;
  typedef float edge_weight_aggr_t;
  typedef float aggr_t;
  typedef float norm_t;
};

namespace garnet_detail {

template <class T>
inline long count_value(const T& x) {
  return x.to_int();
}
inline long count_value(float x) { return static_cast<long>(x); }
inline long count_value(double x) { return static_cast<long>(x); }

// exp(-d^2): exact for a float distance_t, else a table with one entry per value of distance_t (indexed by its
// bits), each entry exp(-d^2) of that value converted to edge_weight_t and saturated to its range (1 -> 1 - lsb
// for hls4ml's ap_ufixed<10,0>).
template <class CONFIG_T, bool FLOAT = is_float<typename CONFIG_T::distance_t>::value>
struct edge_weight {
  typedef typename CONFIG_T::edge_weight_t ew_t;
  static ew_t of(typename CONFIG_T::distance_t d) {
    const double v = double(d);
    return ew_t(std::exp(-v * v));
  }
};

template <class CONFIG_T>
struct edge_weight<CONFIG_T, false> {
  typedef typename CONFIG_T::edge_weight_t ew_t;
  typedef typename CONFIG_T::distance_t distance_t;
  static const unsigned W = CONFIG_T::distance_width;
  static const unsigned N = 1u << W;
  static void fill(ew_t table[N]) {
    const double tmax = type_max<ew_t>();
    for (unsigned k = 0; k < N; k++) {
      distance_t d;
      d.range(W - 1, 0) = k;
      const double v = to_double(d);
      const double e = std::exp(-v * v);
      table[k] = e > tmax ? tmax : e;
    }
  }
  static ew_t of(const distance_t& d) {
#pragma HLS INLINE
    KML_TABLE_STORAGE ew_t table[N];
    KML_TABLE_STORAGE bool initialized = false;
    if (!initialized) {
      fill(table);
      initialized = true;
    }
    return table[d.range(W - 1, 0).to_uint()];
  }
};

// norm_t's 1/V, or 1/n (mean_by_nvert; 0 for n = 0) from a table of V + 1 entries.
template <class CONFIG_T, bool FLOAT = is_float<typename CONFIG_T::norm_t>::value>
struct norm {
  typedef typename CONFIG_T::norm_t norm_t;
  static norm_t of(unsigned n) {
    if (!CONFIG_T::mean_by_nvert) return norm_t(1.0 / CONFIG_T::n_vertices);
    return n ? norm_t(1.0 / n) : norm_t(0);
  }
};

template <class CONFIG_T>
struct norm<CONFIG_T, false> {
  typedef typename CONFIG_T::norm_t norm_t;
  static norm_t of(unsigned n) {
#pragma HLS INLINE
    if (!CONFIG_T::mean_by_nvert) return norm_t(1.0 / CONFIG_T::n_vertices);
    KML_TABLE_STORAGE norm_t table[CONFIG_T::n_vertices + 1];
    KML_TABLE_STORAGE bool initialized = false;
    if (!initialized) {
      table[0] = 0;
      for (unsigned k = 1; k <= CONFIG_T::n_vertices; k++) table[k] = 1.0 / k;
      initialized = true;
    }
    return table[n];
  }
};

}  // namespace garnet_detail

template <class data_T, class nvtx_T, class res_T, typename CONFIG_T>
void garnet(const data_T data[CONFIG_T::n_vertices * CONFIG_T::n_in], const nvtx_T nvtx[1],
            res_T res[CONFIG_T::collapse == 0 ? CONFIG_T::n_vertices * CONFIG_T::n_out : CONFIG_T::n_out],
            const typename CONFIG_T::weight_t dist_w[CONFIG_T::n_in * CONFIG_T::n_aggregators],
            const typename CONFIG_T::bias_t dist_b[CONFIG_T::n_aggregators],
            const typename CONFIG_T::weight_t in_w[CONFIG_T::n_aggregators * CONFIG_T::n_in * CONFIG_T::n_out],
            const typename CONFIG_T::bias_t in_b[CONFIG_T::n_aggregators * CONFIG_T::n_out],
            const typename CONFIG_T::bias_t out_b[CONFIG_T::n_out]) {
#pragma HLS INLINE
  typedef typename CONFIG_T::distance_t distance_t;
  typedef typename CONFIG_T::edge_weight_t edge_weight_t;
  typedef typename CONFIG_T::edge_weight_aggr_t edge_weight_aggr_t;
  typedef typename CONFIG_T::aggr_t aggr_t;
  typedef typename CONFIG_T::norm_t norm_t;
  const unsigned V = CONFIG_T::n_vertices, I = CONFIG_T::n_in, A = CONFIG_T::n_aggregators, O = CONFIG_T::n_out;
  // reuse_factor shares the multipliers as kml's Dense in Latency does: per vertex A*I for the distances, A*I for
  // the weighted features and A*O for the output, and A*O*(I+1) for the aggregators, over reuse_factor.
#pragma HLS ALLOCATION operation instances = mul limit = \
    (CONFIG_T::n_vertices * CONFIG_T::n_aggregators * (2 * CONFIG_T::n_in + CONFIG_T::n_out) + \
     CONFIG_T::n_aggregators * CONFIG_T::n_out * (CONFIG_T::n_in + 1)) / CONFIG_T::reuse_factor

  const long count = garnet_detail::count_value(nvtx[0]);
  const unsigned n = count < 0 ? 0u : (count > long(V) ? V : unsigned(count));

  // Vertices -> aggregators.
  edge_weight_t ew[V * A];
#pragma HLS ARRAY_PARTITION variable = ew complete dim = 0
  edge_weight_aggr_t ew_sum[A];
#pragma HLS ARRAY_PARTITION variable = ew_sum complete dim = 0
  aggr_t wf_sum[A * I];
#pragma HLS ARRAY_PARTITION variable = wf_sum complete dim = 0
  for (unsigned a = 0; a < A; a++) {
#pragma HLS UNROLL
    ew_sum[a] = 0;
    for (unsigned i = 0; i < I; i++) wf_sum[a * I + i] = 0;
  }
  for (unsigned v = 0; v < V; v++) {
#pragma HLS UNROLL
    for (unsigned a = 0; a < A; a++) {
      aggr_t acc = dist_b[a];
      for (unsigned i = 0; i < I; i++) acc += data[v * I + i] * dist_w[i * A + a];
      const distance_t d = acc;
      edge_weight_t w = 0;
      if (v < n) w = garnet_detail::edge_weight<CONFIG_T>::of(d);
      ew[v * A + a] = w;
      ew_sum[a] += w;
      for (unsigned i = 0; i < I; i++) wf_sum[a * I + i] += w * data[v * I + i];
    }
  }

  // Aggregators: the contracted input transform on the normalized sums.
  const norm_t scale = garnet_detail::norm<CONFIG_T>::of(n);
  aggr_t base[A * O];
#pragma HLS ARRAY_PARTITION variable = base complete dim = 0
  for (unsigned a = 0; a < A; a++) {
#pragma HLS UNROLL
    for (unsigned o = 0; o < O; o++) {
      aggr_t acc = ew_sum[a] * in_b[a * O + o];
      for (unsigned i = 0; i < I; i++) acc += wf_sum[a * I + i] * in_w[(a * I + i) * O + o];
      base[a * O + o] = acc * scale;
    }
  }

  if (CONFIG_T::collapse == 1 || CONFIG_T::collapse == 2) {
    // sum_{v<n} y[v,o] = n out_b[o] + sum_a E[a] B[a,o]; the mean scales it by norm.
    for (unsigned o = 0; o < O; o++) {
#pragma HLS UNROLL
      aggr_t acc = out_b[o] * aggr_t(n);
      for (unsigned a = 0; a < A; a++) acc += ew_sum[a] * base[a * O + o];
      if (CONFIG_T::collapse == 1) acc = acc * scale;
      res[o] = acc;
    }
    return;
  }

  // Aggregators -> vertices.
  aggr_t top[O];
#pragma HLS ARRAY_PARTITION variable = top complete dim = 0
  for (unsigned o = 0; o < O; o++) top[o] = 0;
  for (unsigned v = 0; v < V; v++) {
#pragma HLS UNROLL
    for (unsigned o = 0; o < O; o++) {
      aggr_t acc = out_b[o];
      for (unsigned a = 0; a < A; a++) acc += ew[v * A + a] * base[a * O + o];
      if (CONFIG_T::collapse == 3) {
        if (v < n && (v == 0 || acc > top[o])) top[o] = acc;
      } else if (CONFIG_T::collapse == 0) {
        res[v * O + o] = v < n ? res_T(acc) : res_T(0);
      }
    }
  }
  if (CONFIG_T::collapse == 3)
    for (unsigned o = 0; o < O; o++) {
#pragma HLS UNROLL
      // The masked vertices' outputs are 0 and take part in the maximum.
      if (n < V && top[o] < 0) top[o] = 0;
      res[o] = top[o];
    }
}

}  // namespace kml

#endif
