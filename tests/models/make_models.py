#!/usr/bin/env python3
"""Writes kml's generated test models (Keras 2 JSON architecture + HDF5 weights, as QKeras / tf.keras save them)
and their references (NAME.io.h5: x0 inputs, y0 outputs) computed here with numpy from the written weights and
Keras' / QKeras' documented math. Run by tests/CMakeLists.txt at configure time:

    make_models.py OUTDIR

Needs numpy and h5py (Debian: python3-numpy python3-h5py). Deterministic (fixed seeds).
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

from garnet_math import garnet_forward

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


# ---- QKeras math (qkeras/quantizers.py; round half to even)
def quantized_bits(bits, integer, keep_negative=True, alpha=1):
    return {"class_name": "quantized_bits",
            "config": {"bits": bits, "integer": integer, "symmetric": 0, "alpha": alpha,
                       "keep_negative": keep_negative, "use_stochastic_rounding": False, "qnoise_factor": 1.0}}


def q_bits(x, bits, integer, keep_negative=True):
    m = 2.0 ** (bits - (1 if keep_negative else 0))
    mi = 2.0 ** integer
    lo = -m if keep_negative else 0.0
    return mi * np.clip(np.round(x * m / mi), lo, m - 1) / m


def quantized_relu(bits, integer):
    return {"class_name": "quantized_relu",
            "config": {"bits": bits, "integer": integer, "use_sigmoid": 0, "negative_slope": 0.0,
                       "use_stochastic_rounding": False, "relu_upper_bound": None, "qnoise_factor": 1.0}}


def q_relu(x, bits, integer):
    mi = 2.0 ** integer
    return mi * np.clip(np.round(x * 2.0 ** bits / mi) / 2.0 ** bits, 0.0, 1.0 - 2.0 ** -bits)


def grid_weights(rng, shape, bits=6, integer=0):
    """Weights already on quantized_bits(bits, integer)'s grid, spanning all of it (its type, not a narrower one)."""
    m = 2 ** (bits - 1)
    k = rng.integers(-m, m, size=shape)
    flat = k.reshape(-1)
    flat[0], flat[-1] = -m, m - 1
    return (k * 2.0 ** integer / m).astype(np.float32)


def grid_inputs(rng, shape, lo=-1.0, hi=1.0, frac=4):
    """Inputs exactly representable with `frac` fractional bits (ap_fixed<16,6> holds them exactly)."""
    s = 2 ** frac
    return (rng.integers(int(lo * s), int(hi * s), size=shape) / s).astype(np.float32)


# ---- Keras 2 files
class Model:
    def __init__(self, name, input_shape):
        self.name = name
        self.layers = [{"class_name": "InputLayer",
                        "config": {"batch_input_shape": [None] + list(input_shape), "dtype": "float32",
                                   "sparse": False, "ragged": False, "name": name + "_input"}}]
        self.weights = []  # (layer name, [(var, array)])

    def add(self, cls, config, weights=()):
        config.setdefault("trainable", True)
        config.setdefault("dtype", "float32")
        self.layers.append({"class_name": cls, "config": config})
        self.weights.append((config["name"], list(weights)))

    def save(self):
        arch = {"class_name": "Sequential", "config": {"name": self.name, "layers": self.layers},
                "keras_version": "2.4.0", "backend": "tensorflow"}
        with open(os.path.join(OUT, self.name + ".json"), "w") as f:
            json.dump(arch, f, indent=1)
        with h5py.File(os.path.join(OUT, self.name + "_weights.h5"), "w") as f:
            f.attrs["backend"] = np.bytes_("tensorflow")
            f.attrs["keras_version"] = np.bytes_("2.4.0")
            f.attrs["layer_names"] = np.array([np.bytes_(n) for n, _ in self.weights])
            for lname, ws in self.weights:
                g = f.create_group(lname)
                names = [f"{lname}/{var}:0" for var, _ in ws]
                g.attrs["weight_names"] = np.array([np.bytes_(n) for n in names]) if names else np.array([], "f8")
                for (var, arr), full in zip(ws, names):
                    g.create_dataset(full, data=np.asarray(arr, np.float32))


def save_io(name, xs, ys):
    with h5py.File(os.path.join(OUT, name + ".io.h5"), "w") as f:
        for i, x in enumerate(xs):
            f["x%d" % i] = np.asarray(x, np.float32)
        for i, y in enumerate(ys):
            f["y%d" % i] = np.asarray(y, np.float32)


# ---- numpy forward passes (Keras semantics, channels_last, 'valid' padding, stride 1)
def conv1d(x, k, b):  # x (N, L, C), k (K, C, F)
    K = k.shape[0]
    L = x.shape[1] - K + 1
    y = np.zeros((x.shape[0], L, k.shape[2]))
    for t in range(L):
        y[:, t, :] = np.tensordot(x[:, t:t + K, :], k, axes=([1, 2], [0, 1]))
    return y + b


def conv2d(x, k, b):  # x (N, H, W, C), k (KH, KW, C, F)
    KH, KW = k.shape[:2]
    H, W = x.shape[1] - KH + 1, x.shape[2] - KW + 1
    y = np.zeros((x.shape[0], H, W, k.shape[3]))
    for i in range(H):
        for j in range(W):
            y[:, i, j, :] = np.tensordot(x[:, i:i + KH, j:j + KW, :], k, axes=([1, 2, 3], [0, 1, 2]))
    return y + b


def depthwise2d(x, k, b):  # k (KH, KW, C, 1)
    KH, KW = k.shape[:2]
    H, W = x.shape[1] - KH + 1, x.shape[2] - KW + 1
    y = np.zeros((x.shape[0], H, W, x.shape[3]))
    for i in range(H):
        for j in range(W):
            y[:, i, j, :] = np.einsum("nhwc,hwc->nc", x[:, i:i + KH, j:j + KW, :], k[:, :, :, 0])
    return y + b


rng = np.random.default_rng(17)
N = 32
qb6 = quantized_bits(6, 0)
qr6 = quantized_relu(6, 0)


def qdense_cfg(name, units):
    return {"name": name, "units": units, "activation": "linear", "use_bias": True,
            "kernel_quantizer": qb6, "bias_quantizer": qb6, "kernel_range": None, "bias_range": None}


def conv_cfg(name, rank, filters, k):
    return {"name": name, "filters": filters, "kernel_size": [k] * rank, "strides": [1] * rank, "padding": "valid",
            "data_format": "channels_last", "dilation_rate": [1] * rank, "groups": 1, "activation": "linear",
            "use_bias": True, "kernel_quantizer": qb6, "bias_quantizer": qb6}


def head(m, y, n_in):
    """quantized_relu(6,0) and a last QDense(3): the tail every first-layer model shares."""
    m.add("QActivation", {"name": "relu1", "activation": qr6})
    y = q_relu(y, 6, 0)
    if y.ndim > 2:
        m.add("Flatten", {"name": "flatten", "data_format": "channels_last"})
        y = y.reshape(y.shape[0], -1)
        n_in = y.shape[1]
    k2, b2 = grid_weights(rng, (n_in, 3)), grid_weights(rng, (3,))
    m.add("QDense", qdense_cfg("out", 3), [("kernel", k2), ("bias", b2)])
    return y @ k2 + b2


# ---- Item: the first quantized layer gets its quantizer's types, for every QKeras layer kind.
# qfirst_dense / qfirst_conv1d / qfirst_conv2d / qfirst_dwconv2d carry exact references (inputs on a 1/16 grid,
# every intermediate value exact in the default types): the fixed-point csim must equal QKeras' math.
def first_layer(name, in_shape, cls, cfg, kname, kshape, forward, lo=-1.0):
    """A model whose first layer `cls` reads the unquantized input, then head(); saved with its reference."""
    x = grid_inputs(rng, (N,) + in_shape, lo, -lo)
    m = Model(name, in_shape)
    k, b = grid_weights(rng, kshape), grid_weights(rng, (kshape[-1] if kname == "kernel" else kshape[-2],))
    m.add(cls, cfg, [(kname, k), ("bias", b)])
    y = forward(x, k, b)
    y = head(m, y, y.shape[1] if y.ndim == 2 else None)
    m.save()
    save_io(name, [x], [y])


first_layer("qfirst_dense", (8,), "QDense", qdense_cfg("fc1", 6), "kernel", (8, 6), lambda x, k, b: x @ k + b, -2.0)
first_layer("qfirst_conv1d", (10, 2), "QConv1D", conv_cfg("conv1", 1, 4, 3), "kernel", (3, 2, 4), conv1d)
first_layer("qfirst_conv2d", (6, 6, 2), "QConv2D", conv_cfg("conv1", 2, 3, 3), "kernel", (3, 3, 2, 3), conv2d)
cfg = conv_cfg("dw1", 2, 3, 3)
del cfg["filters"], cfg["groups"], cfg["kernel_quantizer"]
cfg.update({"depth_multiplier": 1, "depthwise_quantizer": qb6})
first_layer("qfirst_dwconv2d", (6, 6, 3), "QDepthwiseConv2D", cfg, "depthwise_kernel", (3, 3, 3, 1), depthwise2d)

# Separable convolutions, batch normalization and recurrent layers: the types are checked (unit test), not values.
for rank, shape in ((1, (10, 3)), (2, (6, 6, 3))):
    name = "qfirst_sepconv%dd" % rank
    m = Model(name, shape)
    cfg = conv_cfg("sep1", rank, 4, 3)
    del cfg["groups"], cfg["kernel_quantizer"]
    cfg.update({"depth_multiplier": 1, "depthwise_quantizer": qb6, "pointwise_quantizer": qb6})
    dk = grid_weights(rng, (3,) * rank + (3, 1))
    pk = grid_weights(rng, (1,) * rank + (3, 4))
    m.add("QSeparableConv%dD" % rank, cfg, [("depthwise_kernel", dk), ("pointwise_kernel", pk),
                                           ("bias", grid_weights(rng, (4,)))])
    m.add("Flatten", {"name": "flatten", "data_format": "channels_last"})
    m.save()

m = Model("qfirst_bn", (8,))
m.add("QBatchNormalization", {"name": "bn1", "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True,
                              "scale": True, "gamma_quantizer": quantized_bits(6, 2), "beta_quantizer": qb6,
                              "mean_quantizer": qb6, "variance_quantizer": quantized_bits(6, 2, keep_negative=False)},
      [("gamma", grid_weights(rng, (8,), 6, 2) * 0 + 2.0), ("beta", grid_weights(rng, (8,))),
       ("moving_mean", grid_weights(rng, (8,))), ("moving_variance", np.full((8,), 3.0, np.float32))])
m.save()

for cls, gates in (("QSimpleRNN", 1), ("QLSTM", 4), ("QGRU", 3)):
    name = "qfirst_" + cls[1:].lower()
    m = Model(name, (5, 3))
    cfg = {"name": "rnn1", "units": 4, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
           "return_sequences": False, "return_state": False, "go_backwards": False, "stateful": False,
           "unroll": False, "kernel_quantizer": qb6, "recurrent_quantizer": qb6, "bias_quantizer": qb6,
           "state_quantizer": None}
    if cls == "QSimpleRNN":
        cfg.pop("recurrent_activation")
    if cls == "QGRU":
        cfg["reset_after"] = False
    cell = {"QSimpleRNN": "simple_rnn_cell", "QLSTM": "lstm_cell", "QGRU": "gru_cell"}[cls]
    m.add(cls, cfg, [(cell + "/kernel", grid_weights(rng, (3, 4 * gates))),
                     (cell + "/recurrent_kernel", grid_weights(rng, (4, 4 * gates))),
                     (cell + "/bias", grid_weights(rng, (4 * gates,)))])
    m.save()

# ---- relu1 (hls4ml's binary example networks: min(max(x, 0), 1)), float path against numpy.
x = rng.standard_normal((N, 6)).astype(np.float32)
m = Model("relu1_dense", (6,))
k1, b1 = rng.standard_normal((6, 8)).astype(np.float32), rng.standard_normal(8).astype(np.float32) * 0.3
k2, b2 = rng.standard_normal((8, 3)).astype(np.float32), rng.standard_normal(3).astype(np.float32) * 0.3
m.add("Dense", {"name": "fc1", "units": 8, "activation": "linear", "use_bias": True}, [("kernel", k1), ("bias", b1)])
m.add("Activation", {"name": "act1", "activation": "relu1"})
m.add("Dense", {"name": "fc2", "units": 3, "activation": "relu1", "use_bias": True}, [("kernel", k2), ("bias", b2)])
m.save()
h = np.clip(x.astype(np.float64) @ k1 + b1, 0, 1)
save_io("relu1_dense", [x], [np.clip(h @ k2 + b2, 0, 1)])


# ---- QConv2DBatchnorm / QDepthwiseConv2DBatchnorm with QKeras' folding (qkeras/qconv2d_batchnorm.py): at inference
# inv = gamma * rsqrt(moving_variance + epsilon) (float32), kernel * inv and inv * (bias - moving_mean) + beta,
# quantized by the kernel / bias quantizers. The depthwise layer infers with the folded weights it stored.
def bn_params(n):
    gamma = (0.5 + rng.random(n)).astype(np.float32)
    beta = (rng.standard_normal(n) * 0.2).astype(np.float32)
    mean = (rng.standard_normal(n) * 0.2).astype(np.float32)
    var = (0.5 + rng.random(n)).astype(np.float32)
    return gamma, beta, mean, var


def fold(kernel, bias, gamma, beta, mean, var, eps):
    inv = (np.float32(1) / np.sqrt(var + np.float32(eps))).astype(np.float32) * gamma
    fk = (kernel.reshape(-1, inv.size) * inv).reshape(kernel.shape).astype(np.float32)
    fb = (inv * (bias - mean) + beta).astype(np.float32)
    return q_bits(fk.astype(np.float64), 6, 0), q_bits(fb.astype(np.float64), 6, 0)


def folded_layer_weights(kname, kernel, bias, bn, extra=()):
    """The variables of a Q*Batchnorm layer, as QKeras names them (its batch normalization as a sublayer)."""
    gamma, beta, mean, var = bn
    return [(kname, kernel), ("bias", bias), ("batch_normalization/gamma", gamma),
            ("batch_normalization/beta", beta), ("batch_normalization/moving_mean", mean),
            ("batch_normalization/moving_variance", var), ("iteration", np.array(100))] + list(extra)


bn_cfg = {"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
          "beta_initializer": {"class_name": "Zeros", "config": {}}, "ema_freeze_delay": None,
          "folding_mode": "ema_stats_folding"}
x = grid_inputs(rng, (N, 6, 6, 2))
m = Model("qconv2d_bn", (6, 6, 2))
kernel = (rng.standard_normal((3, 3, 2, 3)) * 0.3).astype(np.float32)
bias = (rng.standard_normal(3) * 0.1).astype(np.float32)
gamma, beta, mean, var = bn_params(3)
cfg = conv_cfg("convbn", 2, 3, 3)
cfg.update(bn_cfg)
m.add("QConv2DBatchnorm", cfg, folded_layer_weights("kernel", kernel, bias, (gamma, beta, mean, var)))
fk, fb = fold(kernel, bias, gamma, beta, mean, var, 0.001)
y = head(m, conv2d(x, fk, fb), None)
m.save()
save_io("qconv2d_bn", [x], [y])

x = grid_inputs(rng, (N, 6, 6, 3))
m = Model("qdwconv2d_bn", (6, 6, 3))
kernel = (rng.standard_normal((3, 3, 3, 1)) * 0.3).astype(np.float32)
bias = (rng.standard_normal(3) * 0.1).astype(np.float32)
gamma, beta, mean, var = bn_params(3)
cfg = conv_cfg("dwbn", 2, 3, 3)
del cfg["filters"], cfg["groups"], cfg["kernel_quantizer"]
cfg.update(bn_cfg)
cfg.update({"depth_multiplier": 1, "depthwise_quantizer": qb6})
# The stored folded weights are those of the last training step (other batch statistics than the moving ones):
# QKeras infers with them, not with a fold of the moving statistics.
sk, sb = fold(kernel, bias, gamma, beta, mean * 0.5, var * 1.5, 0.001)
m.add("QDepthwiseConv2DBatchnorm", cfg,
      folded_layer_weights("depthwise_kernel", kernel, bias, (gamma, beta, mean, var),
                           [("folded_depthwise_kernel_quantized", sk.astype(np.float32)),
                            ("folded_bias_quantized", sb.astype(np.float32))]))
y = head(m, depthwise2d(x, sk, sb), None)
m.save()
save_io("qdwconv2d_bn", [x], [y])


# ---- QKeras on Keras 3 (.keras archive; variables saved by index), like example-models' qkeras-v3_3layer.keras.
def keras3_obj(module, cls, config, build_shape=None):
    o = {"module": module, "class_name": cls, "config": config,
         "registered_name": None if module.startswith("keras") else "qkeras>" + cls}
    if build_shape is not None:
        o["build_config"] = {"input_shape": build_shape}
    return o


def k3_quantizer(q):
    return {"module": "qkeras.quantizers", "class_name": q["class_name"], "config": q["config"],
            "registered_name": "qkeras>" + q["class_name"]}


dtype = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
x = grid_inputs(rng, (N, 8))
k1, b1 = grid_weights(rng, (8, 6)), grid_weights(rng, (6,))
k2, b2 = grid_weights(rng, (6, 3)), grid_weights(rng, (3,))


def k3_qdense(name, units, n_in):
    return keras3_obj("qkeras.qlayers", "QDense",
                      {"name": name, "trainable": True, "dtype": dtype, "units": units, "activation": "linear",
                       "use_bias": True, "kernel_quantizer": k3_quantizer(qb6), "bias_quantizer": k3_quantizer(qb6),
                       "kernel_range": None, "bias_range": None}, [None, n_in])


layers = [keras3_obj("keras.layers", "InputLayer", {"batch_shape": [None, 8], "dtype": "float32", "sparse": False,
                                                    "ragged": False, "name": "in1", "optional": False}),
          k3_qdense("fc1", 6, 8),
          keras3_obj("qkeras.qlayers", "QActivation", {"name": "relu1", "trainable": True, "dtype": dtype,
                                                       "activation": k3_quantizer(qr6)}, [None, 6]),
          k3_qdense("out", 3, 6)]
config = {"module": "keras", "class_name": "Sequential",
          "config": {"name": "sequential", "trainable": True, "dtype": dtype, "layers": layers},
          "registered_name": None, "build_config": {"input_shape": [None, 8]}}
wbuf = io.BytesIO()
with h5py.File(wbuf, "w") as f:
    f.create_group("vars").attrs["name"] = "sequential"
    for child, lname, ws in (("q_dense", "fc1", [k1, b1]), ("q_activation", "relu1", []), ("q_dense_1", "out", [k2, b2])):
        g = f.create_group("layers/" + child + "/vars")
        g.attrs["name"] = lname
        for i, a in enumerate(ws):
            g.create_dataset(str(i), data=a)
with zipfile.ZipFile(os.path.join(OUT, "qkeras_v3_dense.keras"), "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.14.1", "date_saved": "2026-01-01@00:00:00"}))
    z.writestr("config.json", json.dumps(config))
    z.writestr("model.weights.h5", wbuf.getvalue())
save_io("qkeras_v3_dense", [x], [q_relu(x @ k1 + b1, 6, 0) @ k2 + b2])


# ---- GarNet / GarNetStack (hls4ml's contrib/garnet.py), Keras 2 JSON + HDF5 as example-models ships garnet_1layer:
# inputs (x (V, F) vertex features, n (1,) vertex count), references from garnet.py's math written out in numpy
# (the transforms applied as they are, no contraction). Features of the vertices v >= n are random, not zero: the
# layer must ignore them.
def save_functional(name, layers, weights, inputs, outputs):
    arch = {"class_name": "Model", "config": {"name": name, "layers": layers, "input_layers": [[i, 0, 0] for i in inputs],
                                              "output_layers": [[o, 0, 0] for o in outputs]},
            "keras_version": "2.2.4-tf", "backend": "tensorflow"}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(arch, f, indent=1)
    with h5py.File(os.path.join(OUT, name + "_weights.h5"), "w") as f:
        f.attrs["backend"] = np.bytes_("tensorflow")
        f.attrs["keras_version"] = np.bytes_("2.2.4-tf")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([np.bytes_(n) for n, _ in weights])
        for lname, ws in weights:
            lg = g.create_group(lname)
            names = [f"{lname}/{var}:0" for var, _ in ws]
            lg.attrs["weight_names"] = np.array([np.bytes_(n) for n in names]) if names else np.array([], "f8")
            for (var, arr), full in zip(ws, names):
                lg.create_dataset(full, data=np.asarray(arr, np.float32))


def garnet_weights(rng, F, subs_dims, stack):
    """Per sublayer (P, A, O): weights named as garnet.py's NamedDense layers save them."""
    subs, named = [], []
    for i, (P, A, O) in enumerate(subs_dims):
        tag = str(i) if stack else ""
        w = [(rng.standard_normal((F, P)) * 0.5).astype(np.float32), (rng.standard_normal(P) * 0.3).astype(np.float32),
             (rng.standard_normal((F, A)) * 0.4).astype(np.float32), (rng.standard_normal(A) * 0.3).astype(np.float32),
             (rng.standard_normal((A * P, O)) * 0.4).astype(np.float32), (rng.standard_normal(O) * 0.2).astype(np.float32)]
        subs.append(w)
        for (t, kind), arr in zip([("FLR", "kernel"), ("FLR", "bias"), ("S", "kernel"), ("S", "bias"),
                                   ("Fout", "kernel"), ("Fout", "bias")], w):
            named.append((t + tag + "_" + kind, arr))
        F = O
    return subs, named


def garnet_model(name, V, F, subs_dims, collapse="mean", mean_by_nvert=False, quantize=False, stack=False,
                 head=True, cfg_over=None, nv_dtype="int32", n_events=N, edge_counts=False):
    layers = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, V, F], "dtype": "float32",
                                                      "sparse": False, "ragged": False, "name": "input_1"},
               "name": "input_1", "inbound_nodes": []},
              {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 1], "dtype": nv_dtype,
                                                      "sparse": False, "ragged": False, "name": "input_2"},
               "name": "input_2", "inbound_nodes": []}]
    subs, named = garnet_weights(rng, F, subs_dims, stack)
    P, A, O = (list(v) for v in zip(*subs_dims))
    cfg = {"name": "gar_1", "trainable": True, "dtype": "float32", "simplified": True, "collapse": collapse,
           "input_format": "xn", "output_activation": None, "quantize_transforms": quantize,
           "mean_by_nvert": mean_by_nvert, "n_aggregators": A if stack else A[0], "n_filters": O if stack else O[0],
           "n_propagate": P if stack else P[0]}
    if stack:
        cfg["n_sublayers"] = len(subs_dims)
    cfg.update(cfg_over or {})
    layers.append({"class_name": "GarNetStack" if stack else "GarNet", "config": cfg, "name": "gar_1",
                   "inbound_nodes": [[["input_1", 0, 0, {}], ["input_2", 0, 0, {}]]]})
    weights = [("input_1", []), ("input_2", []), ("gar_1", named)]
    x = (rng.standard_normal((n_events, V, F)) * 0.8).astype(np.float32)
    nv = rng.integers(1, V + 1, size=(n_events, 1))
    nv[0, 0], nv[1, 0] = V, 1
    if edge_counts:  # no real vertex, and a count beyond V (every vertex real, as Keras' mask v < n gives)
        nv[2, 0], nv[3, 0] = 0, V + 3
    y = garnet_forward(x, nv, subs, collapse, mean_by_nvert, quantize)
    out = "gar_1"
    if head:  # a Dense after the layer, as garnet_1layer has
        k = (rng.standard_normal((O[-1], 3)) * 0.5).astype(np.float32)
        b = (rng.standard_normal(3) * 0.1).astype(np.float32)
        layers.append({"class_name": "Dense", "config": {"name": "dense", "trainable": True, "dtype": "float32",
                                                         "units": 3, "activation": "linear", "use_bias": True},
                       "name": "dense", "inbound_nodes": [[["gar_1", 0, 0, {}]]]})
        weights.append(("dense", [("kernel", k), ("bias", b)]))
        y = y @ k + b
        out = "dense"
    save_functional(name, layers, weights, ["input_1", "input_2"], [out])
    save_io(name, [x, nv.astype(np.float32)], [y])
    return subs, x, nv, y


garnet_model("garnet_mean", 16, 4, [(5, 3, 6)], edge_counts=True)                  # GarNet, collapse mean
garnet_model("garnet_vertices", 8, 3, [(4, 4, 5)], collapse=None, head=False, mean_by_nvert=True)
garnet_model("garnet_sum", 8, 3, [(3, 2, 4)], collapse="sum")
garnet_model("garnet_max", 8, 3, [(3, 2, 4)], collapse="max", head=False, edge_counts=True)
garnet_model("garnet_nvert", 16, 4, [(4, 3, 4)], mean_by_nvert=True)
garnet_model("garnet_stack", 16, 4, [(4, 2, 5), (3, 3, 4), (6, 4, 3)], stack=True, nv_dtype="uint16")
garnet_model("garnet_stack_q", 16, 4, [(8, 4, 8), (8, 4, 8), (16, 8, 16)], stack=True, quantize=True,
             nv_dtype="uint16")
# GarNet saved by Keras 3 (.keras): a port of garnet.py keeps its Dense transforms as attributes, so Keras 3 saves
# their variables numbered under the attributes' names (sorted: the aggregator distance S comes first).
def garnet_keras3(name, V, F, P, A, O):
    subs, _ = garnet_weights(rng, F, [(P, A, O)], False)
    fk, fb, sk, sb, ok, ob = subs[0]
    tensor = lambda src, shape, dt: {"class_name": "__keras_tensor__",
                                     "config": {"shape": shape, "dtype": dt, "keras_history": [src, 0, 0]}}
    layers = [keras3_obj("keras.layers", "InputLayer", {"batch_shape": [None, V, F], "dtype": "float32",
                                                        "sparse": False, "name": "input_1"}),
              keras3_obj("keras.layers", "InputLayer", {"batch_shape": [None, 1], "dtype": "int32",
                                                        "sparse": False, "name": "input_2"}),
              keras3_obj("garnet", "GarNet", {"name": "gar_1", "trainable": True, "dtype": dtype, "simplified": True,
                                              "collapse": "mean", "input_format": "xn", "output_activation": None,
                                              "quantize_transforms": False, "mean_by_nvert": False,
                                              "n_aggregators": A, "n_filters": O, "n_propagate": P},
                         [[None, V, F], [None, 1]])]
    for l in layers:
        l["name"] = l["config"]["name"]
        l["inbound_nodes"] = []
    layers[2]["registered_name"] = "GarNet"
    layers[2]["inbound_nodes"] = [{"args": [[tensor("input_1", [None, V, F], "float32"),
                                             tensor("input_2", [None, 1], "int32")]], "kwargs": {}}]
    config = {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
              "config": {"name": "model", "trainable": True, "layers": layers,
                         "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]], "output_layers": [["gar_1", 0, 0]]}}
    wbuf = io.BytesIO()
    with h5py.File(wbuf, "w") as f:
        f.create_group("vars").attrs["name"] = "model"
        f.create_group("layers/gar_net/vars").attrs["name"] = "gar_1"
        for attr, ws in (("_input_feature_transform", (fk, fb)), ("_aggregator_distance", (sk, sb)),
                         ("_output_feature_transform", (ok, ob))):
            g = f.create_group("layers/gar_net/" + attr + "/vars")
            for i, a in enumerate(ws):
                g.create_dataset(str(i), data=a)
    with zipfile.ZipFile(os.path.join(OUT, name + ".keras"), "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.14.1", "date_saved": "2026-01-01@00:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", wbuf.getvalue())
    x = (rng.standard_normal((N, V, F)) * 0.8).astype(np.float32)
    nv = rng.integers(1, V + 1, size=(N, 1))
    save_io(name, [x, nv.astype(np.float32)], [garnet_forward(x, nv, subs, "mean", False, False)])


garnet_keras3("garnet_k3", 16, 4, 4, 3, 5)
# Options kml (as hls4ml) does not implement: refused naming the option.
garnet_model("garnet_bad_simplified", 8, 3, [(3, 2, 4)], cfg_over={"simplified": False}, n_events=2)
garnet_model("garnet_bad_activation", 8, 3, [(3, 2, 4)], cfg_over={"output_activation": "tanh"}, n_events=2)
garnet_model("garnet_bad_format", 8, 3, [(3, 2, 4)], cfg_over={"input_format": "x"}, n_events=2)

print("kml test models written to", OUT)
