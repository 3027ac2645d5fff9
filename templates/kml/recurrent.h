// Recurrent layers over a whole sequence (n_steps x n_in, row-major): SimpleRNN, LSTM, GRU (Keras gate order
// and equations: LSTM i, f, c, o; GRU z, r, h with reset_after true or false).
//   LSTM: z = x W + h U + b; i = ra(z_i); f = ra(z_f); c = f c + i a(z_c); o = ra(z_o); h = o a(c)
//   GRU (reset_after): xz, xr, xh = x W + b; hz, hr, hh = h U + rb;
//        z = ra(xz + hz); r = ra(xr + hr); n = a(xh + r hh); h = z h + (1 - z) n
//   GRU (reset_before): z, r as above without rb; n = a(xh + (r h) U_h)
//   SimpleRNN: h = a(x W + h U + b)
// (a = activation, ra = recurrent_activation.) Matrix-vector products accumulate in accum_t, the states h and c
// are held in state_t, activation outputs in table_t: fixed-point types take sigmoid over [-8, 8) and tanh over
// [-4, 4) from lookup tables of table_size entries; float types compute exactly.
// go_backwards reads the sequence from the end; with return_sequences the k-th output row is the state after k
// steps, or (reverse_output, Bidirectional's backward layer) the state after the step that read input row k.
#ifndef KML_RECURRENT_H_
#define KML_RECURRENT_H_

#include <cmath>

#include "kml/activation.h"
#include "kml/common.h"

namespace kml {

namespace rnn_act {
static const int linear = 0, relu = 1, tanh = 2, sigmoid = 3, hard_sigmoid = 4;
}

struct rnn_config {
  static const unsigned n_in = 1;
  static const unsigned n_units = 1;
  static const unsigned n_steps = 1;
  static const bool return_sequences = false;
  static const bool go_backwards = false;
  static const bool reverse_output = false;
  static const bool reset_after = true;  // GRU
  static const int activation = rnn_act::tanh;
  static const int recurrent_activation = rnn_act::sigmoid;
  static constexpr double act_slope = 0.2, act_offset = 0.5;  // hard_sigmoid parameters
  static constexpr double rec_slope = 0.2, rec_offset = 0.5;
  static const unsigned table_size = 1024;
  static const unsigned reuse_factor = 1;
  typedef float accum_t;
  typedef float state_t;
  typedef float weight_t;
  typedef float recurrent_weight_t;
  typedef float bias_t;
  typedef float table_t;
};

// ---- activations -----------------------------------------------------------------------------------------
template <typename CONFIG_T, class T>
typename enable_if<is_float<typename CONFIG_T::accum_t>::value, typename CONFIG_T::table_t>::type rnn_activate(
    int code, double slope, double offset, const T& x) {
  const double v = double(x);
  switch (code) {
    case rnn_act::relu: return v > 0 ? v : 0.0;
    case rnn_act::tanh: return std::tanh(v);
    case rnn_act::sigmoid: return 1.0 / (1.0 + std::exp(-v));
    case rnn_act::hard_sigmoid: {
      double y = slope * v + offset;
      return y < 0 ? 0.0 : (y > 1 ? 1.0 : y);
    }
    default: return v;
  }
}

template <typename CONFIG_T, class T>
typename CONFIG_T::table_t rnn_sigmoid_lut(const T& x) {
  KML_TABLE_STORAGE typename CONFIG_T::table_t table[CONFIG_T::table_size];
  KML_TABLE_STORAGE bool initialized = false;
  if (!initialized) {
    fill_table<typename CONFIG_T::table_t, CONFIG_T::table_size, fn::sigmoid>(table, fn::sigmoid::lo(), fn::sigmoid::hi(), 0);
    initialized = true;
  }
  bool above;
  return table[table_index<T, CONFIG_T::table_size>(x, fn::sigmoid::lo(), fn::sigmoid::hi(), above)];
}

template <typename CONFIG_T, class T>
typename CONFIG_T::table_t rnn_tanh_lut(const T& x) {
  KML_TABLE_STORAGE typename CONFIG_T::table_t table[CONFIG_T::table_size];
  KML_TABLE_STORAGE bool initialized = false;
  if (!initialized) {
    fill_table<typename CONFIG_T::table_t, CONFIG_T::table_size, fn::tanh_>(table, fn::tanh_::lo(), fn::tanh_::hi(), 0);
    initialized = true;
  }
  bool above;
  return table[table_index<T, CONFIG_T::table_size>(x, fn::tanh_::lo(), fn::tanh_::hi(), above)];
}

template <typename CONFIG_T, class T>
typename enable_if<!is_float<typename CONFIG_T::accum_t>::value, typename CONFIG_T::table_t>::type rnn_activate(
    int code, double slope, double offset, const T& x) {
#pragma HLS INLINE
  typedef typename CONFIG_T::table_t table_t;
  switch (code) {
    case rnn_act::relu: {
      table_t y = 0;
      if (x > 0) y = x;
      return y;
    }
    case rnn_act::tanh: return rnn_tanh_lut<CONFIG_T, T>(x);
    case rnn_act::sigmoid: return rnn_sigmoid_lut<CONFIG_T, T>(x);
    case rnn_act::hard_sigmoid: {
      typedef ap_fixed<40, 16> calc_t;
      const calc_t s = slope, o = offset;
      calc_t y = calc_t(x) * s + o;
      table_t r = y;
      if (y < 0) r = 0;
      if (y > 1) r = 1;
      return r;
    }
    default: {
      table_t y = x;
      return y;
    }
  }
}

// acc[j] = bias[j] + sum_i v[i] * w[i * n_out + j]
template <class v_T, class w_T, class b_T, class acc_T, unsigned N_IN, unsigned N_OUT>
void rnn_matvec(const v_T* v, const w_T* w, const b_T* bias, acc_T* acc) {
#pragma HLS INLINE
  for (unsigned j = 0; j < N_OUT; j++) acc[j] = bias[j];
  for (unsigned i = 0; i < N_IN; i++) {
    for (unsigned j = 0; j < N_OUT; j++) {
      acc_T prod = v[i] * w[i * N_OUT + j];
      acc[j] += prod;
    }
  }
}

template <class res_T, typename CONFIG_T, class state_T>
void rnn_store(res_T* res, const state_T* h, unsigned t) {
#pragma HLS INLINE
  if (!CONFIG_T::return_sequences) return;
  const unsigned row = CONFIG_T::reverse_output ? CONFIG_T::n_steps - 1 - t : t;
  for (unsigned j = 0; j < CONFIG_T::n_units; j++) res[row * CONFIG_T::n_units + j] = h[j];
}

template <class res_T, typename CONFIG_T, class state_T>
void rnn_store_last(res_T* res, const state_T* h) {
#pragma HLS INLINE
  if (CONFIG_T::return_sequences) return;
  for (unsigned j = 0; j < CONFIG_T::n_units; j++) res[j] = h[j];
}

// One step's products for G gates: zx = x_t W + b over the input row read at step t (go_backwards honoured) and
// zh = h U + rb, each G * n_units wide.
template <class data_T, typename CONFIG_T, unsigned G>
void rnn_step_products(const data_T* data, unsigned t, const typename CONFIG_T::weight_t* kernel,
                       const typename CONFIG_T::bias_t* bias, const typename CONFIG_T::state_t* h,
                       const typename CONFIG_T::recurrent_weight_t* rkernel, const typename CONFIG_T::bias_t* rbias,
                       typename CONFIG_T::accum_t* zx, typename CONFIG_T::accum_t* zh) {
#pragma HLS INLINE
  const unsigned ti = CONFIG_T::go_backwards ? CONFIG_T::n_steps - 1 - t : t;
  rnn_matvec<data_T, typename CONFIG_T::weight_t, typename CONFIG_T::bias_t, typename CONFIG_T::accum_t, CONFIG_T::n_in,
             G * CONFIG_T::n_units>(data + ti * CONFIG_T::n_in, kernel, bias, zx);
  rnn_matvec<typename CONFIG_T::state_t, typename CONFIG_T::recurrent_weight_t, typename CONFIG_T::bias_t,
             typename CONFIG_T::accum_t, CONFIG_T::n_units, G * CONFIG_T::n_units>(h, rkernel, rbias, zh);
}

// The layer's activation and its recurrent activation.
template <typename CONFIG_T, class T>
typename CONFIG_T::table_t rnn_main_act(const T& x) {
#pragma HLS INLINE
  return rnn_activate<CONFIG_T>(CONFIG_T::activation, CONFIG_T::act_slope, CONFIG_T::act_offset, x);
}
template <typename CONFIG_T, class T>
typename CONFIG_T::table_t rnn_gate_act(const T& x) {
#pragma HLS INLINE
  return rnn_activate<CONFIG_T>(CONFIG_T::recurrent_activation, CONFIG_T::rec_slope, CONFIG_T::rec_offset, x);
}

#define KML_RNN_OUT_SIZE (CONFIG_T::return_sequences ? CONFIG_T::n_steps * CONFIG_T::n_units : CONFIG_T::n_units)

// ---- SimpleRNN --------------------------------------------------------------------------------------------
template <class data_T, class res_T, typename CONFIG_T>
void simple_rnn(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in], res_T res[KML_RNN_OUT_SIZE],
                const typename CONFIG_T::weight_t kernel[CONFIG_T::n_in * CONFIG_T::n_units],
                const typename CONFIG_T::recurrent_weight_t rkernel[CONFIG_T::n_units * CONFIG_T::n_units],
                const typename CONFIG_T::bias_t bias[CONFIG_T::n_units],
                const typename CONFIG_T::bias_t rbias[CONFIG_T::n_units]) {
  const unsigned U = CONFIG_T::n_units;
  typename CONFIG_T::state_t h[U];
  for (unsigned j = 0; j < U; j++) h[j] = 0;
Steps:
  for (unsigned t = 0; t < CONFIG_T::n_steps; t++) {
    typename CONFIG_T::accum_t zx[U], zh[U];
    rnn_step_products<data_T, CONFIG_T, 1>(data, t, kernel, bias, h, rkernel, rbias, zx, zh);
    for (unsigned j = 0; j < U; j++) {
      typename CONFIG_T::accum_t z = zx[j] + zh[j];
      h[j] = rnn_main_act<CONFIG_T>(z);
    }
    rnn_store<res_T, CONFIG_T>(res, h, t);
  }
  rnn_store_last<res_T, CONFIG_T>(res, h);
}

// ---- LSTM -------------------------------------------------------------------------------------------------
template <class data_T, class res_T, typename CONFIG_T>
void lstm(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in], res_T res[KML_RNN_OUT_SIZE],
          const typename CONFIG_T::weight_t kernel[CONFIG_T::n_in * 4 * CONFIG_T::n_units],
          const typename CONFIG_T::recurrent_weight_t rkernel[CONFIG_T::n_units * 4 * CONFIG_T::n_units],
          const typename CONFIG_T::bias_t bias[4 * CONFIG_T::n_units],
          const typename CONFIG_T::bias_t rbias[4 * CONFIG_T::n_units]) {
  const unsigned U = CONFIG_T::n_units;
  typedef typename CONFIG_T::table_t act_t;
  typename CONFIG_T::state_t h[U], c[U];
  for (unsigned j = 0; j < U; j++) {
    h[j] = 0;
    c[j] = 0;
  }
Steps:
  for (unsigned t = 0; t < CONFIG_T::n_steps; t++) {
    typename CONFIG_T::accum_t zx[4 * U], zh[4 * U];
    rnn_step_products<data_T, CONFIG_T, 4>(data, t, kernel, bias, h, rkernel, rbias, zx, zh);
    for (unsigned j = 0; j < U; j++) {
      typename CONFIG_T::accum_t zi = zx[j] + zh[j], zf = zx[U + j] + zh[U + j], zc = zx[2 * U + j] + zh[2 * U + j],
                                 zo = zx[3 * U + j] + zh[3 * U + j];
      act_t gi = rnn_gate_act<CONFIG_T>(zi);
      act_t gf = rnn_gate_act<CONFIG_T>(zf);
      act_t gc = rnn_main_act<CONFIG_T>(zc);
      act_t go = rnn_gate_act<CONFIG_T>(zo);
      c[j] = gf * c[j] + gi * gc;
      act_t ac = rnn_main_act<CONFIG_T>(c[j]);
      h[j] = go * ac;
    }
    rnn_store<res_T, CONFIG_T>(res, h, t);
  }
  rnn_store_last<res_T, CONFIG_T>(res, h);
}

// ---- GRU --------------------------------------------------------------------------------------------------
template <class data_T, class res_T, typename CONFIG_T>
void gru(const data_T data[CONFIG_T::n_steps * CONFIG_T::n_in], res_T res[KML_RNN_OUT_SIZE],
         const typename CONFIG_T::weight_t kernel[CONFIG_T::n_in * 3 * CONFIG_T::n_units],
         const typename CONFIG_T::recurrent_weight_t rkernel[CONFIG_T::n_units * 3 * CONFIG_T::n_units],
         const typename CONFIG_T::bias_t bias[3 * CONFIG_T::n_units],
         const typename CONFIG_T::bias_t rbias[3 * CONFIG_T::n_units]) {
  const unsigned U = CONFIG_T::n_units;
  typedef typename CONFIG_T::table_t act_t;
  typedef typename CONFIG_T::accum_t acc_t;
  typedef typename CONFIG_T::state_t state_t;
  state_t h[U];
  for (unsigned j = 0; j < U; j++) h[j] = 0;
Steps:
  for (unsigned t = 0; t < CONFIG_T::n_steps; t++) {
    acc_t zx[3 * U], zh[3 * U];
    // reset_after: the whole recurrent product (with its bias) is used; otherwise only its z and r parts.
    rnn_step_products<data_T, CONFIG_T, 3>(data, t, kernel, bias, h, rkernel, rbias, zx, zh);
    act_t z[U], r[U];
    for (unsigned j = 0; j < U; j++) {
      acc_t sz = zx[j] + zh[j], sr = zx[U + j] + zh[U + j];
      z[j] = rnn_gate_act<CONFIG_T>(sz);
      r[j] = rnn_gate_act<CONFIG_T>(sr);
    }
    acc_t hh[U];
    if (CONFIG_T::reset_after) {
      for (unsigned j = 0; j < U; j++) {
        acc_t g = r[j] * zh[2 * U + j];
        hh[j] = zx[2 * U + j] + g;
      }
    } else {
      state_t rh[U];
      for (unsigned j = 0; j < U; j++) rh[j] = r[j] * h[j];
      for (unsigned j = 0; j < U; j++) {
        acc_t s = zx[2 * U + j];
        for (unsigned i = 0; i < U; i++) {
          acc_t prod = rh[i] * rkernel[i * 3 * U + 2 * U + j];
          s += prod;
        }
        hh[j] = s;
      }
    }
    for (unsigned j = 0; j < U; j++) {
      act_t n = rnn_main_act<CONFIG_T>(hh[j]);
      act_t one_minus_z = act_t(1) - z[j];
      h[j] = z[j] * h[j] + one_minus_z * n;
    }
    rnn_store<res_T, CONFIG_T>(res, h, t);
  }
  rnn_store_last<res_T, CONFIG_T>(res, h);
}

#undef KML_RNN_OUT_SIZE

}  // namespace kml

#endif
