#!/usr/bin/env python3
"""Reference data for hls4ml's example-models GarNet networks (garnet_1layer, garnet_3layer), read in place:

    garnet_example.py EXAMPLE_MODELS MODEL OUTDIR KML_CONVERT

EXAMPLE_MODELS is a checkout of github:fastmachinelearning/example-models or its bare git directory (files are then
read with `git show`, copied into OUTDIR only). Writes OUTDIR/MODEL.io.h5: x0 (vertex features), x1 (vertex counts)
from example-models' data/garnet_1layer_input.dat (both models take 128 vertices x 4 features), y0.. from a numpy
forward pass over the file's weights (garnet_math.py, then the Dense layers). Where example-models ships Keras'
outputs (data/garnet_1layer_output.dat) the numpy pass must match them (printed; fails beyond 1e-4).
Also writes OUTDIR/MODEL.toml, the model's hls4ml configuration (config-files/MODEL_config.yml) translated by
`kml-convert config --from-hls4ml`, and copies of the Keras files when reading from a git directory.
Prints KML_SKIP (exit 0) when EXAMPLE_MODELS is empty or absent.
"""
import json
import os
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from garnet_math import garnet_forward  # noqa: E402

src, model, out, kml_convert = sys.argv[1:5]
if not src or not os.path.exists(src):
    print("KML_SKIP: example-models not available (%r)" % src)
    sys.exit(0)
os.makedirs(out, exist_ok=True)
bare = not os.path.isdir(os.path.join(src, "keras"))


def fetch(rel):
    """Path of example-models' file `rel` (copied out of a bare git directory into OUTDIR)."""
    if not bare:
        return os.path.join(src, rel)
    dst = os.path.join(out, "example-models", rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    # Written under a name of this process's own, then renamed: both models' references read
    # garnet_1layer_input.dat, and CTest may run them at the same time.
    tmp = "%s.%d.tmp" % (dst, os.getpid())
    with open(tmp, "wb") as f:
        f.write(subprocess.run(["git", "--git-dir", src, "show", "HEAD:" + rel], check=True,
                               stdout=subprocess.PIPE).stdout)
    os.replace(tmp, dst)
    return dst


arch = json.load(open(fetch("keras/%s.json" % model)))
wfile = h5py.File(fetch("keras/%s_weights.h5" % model), "r")
root = wfile["model_weights"] if "model_weights" in wfile else wfile


def weight(layer, var):
    return np.asarray(root[layer][layer][var + ":0"], np.float64)


rows = np.loadtxt(fetch("data/garnet_1layer_input.dat"), dtype=np.float64)
layers = arch["config"]["layers"]
V, F = layers[0]["config"]["batch_input_shape"][1:]
x = rows[:, :V * F].reshape(-1, V, F)
nv = rows[:, V * F:].reshape(-1, 1)

acts = {"relu": lambda v: np.maximum(v, 0), "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "linear": lambda v: v}
values = {"input_1": x, "input_2": nv}
for l in layers[2:]:
    cls, cfg, name = l["class_name"], l["config"], l["name"]
    src_names = [t[0] for t in l["inbound_nodes"][0]]
    if cls in ("GarNet", "GarNetStack"):
        n_sub = cfg.get("n_sublayers", 1) if cls == "GarNetStack" else 1
        tag = (lambda i: str(i)) if cls == "GarNetStack" else (lambda i: "")
        subs = [[weight(name, t + tag(i) + "_" + k) for t, k in (("FLR", "kernel"), ("FLR", "bias"), ("S", "kernel"),
                                                                  ("S", "bias"), ("Fout", "kernel"), ("Fout", "bias"))]
                for i in range(n_sub)]
        values[name] = garnet_forward(values[src_names[0]], values[src_names[1]], subs, cfg["collapse"],
                                      cfg["mean_by_nvert"], cfg["quantize_transforms"])
    elif cls == "Dense":
        values[name] = acts[cfg["activation"]](values[src_names[0]] @ weight(name, "kernel") + weight(name, "bias"))
    else:
        sys.exit("garnet_example.py: no numpy code for layer class " + cls)
ys = [values[o[0]] for o in arch["config"]["output_layers"]]

if model == "garnet_1layer":
    keras_y = np.loadtxt(fetch("data/garnet_1layer_output.dat")).reshape(ys[0].shape)
    d = np.abs(ys[0] - keras_y).max()
    print("%s: numpy forward pass vs example-models' Keras outputs: max |diff| = %.3g over %d events" %
          (model, d, len(keras_y)))
    if d > 1e-4:
        sys.exit("garnet_example.py: the numpy forward pass does not reproduce Keras' outputs")

with h5py.File(os.path.join(out, model + ".io.h5"), "w") as f:
    f["x0"] = x.astype(np.float32)
    f["x1"] = nv.astype(np.float32)
    for i, y in enumerate(ys):
        f["y%d" % i] = y.astype(np.float32)

toml = subprocess.run([kml_convert, "config", "--from-hls4ml", fetch("config-files/%s_config.yml" % model)],
                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
if toml.returncode != 0:
    sys.exit("kml-convert config --from-hls4ml failed: " + toml.stderr)
sys.stderr.write(toml.stderr)
# hls4ml's configs name `regression_linear`, the activation node hls4ml's converter splits off the linear Dense
# `regression`; kml has no such node (a linear activation is no node) and refuses a [layer.X] matching nothing.
# Such sections are left out here, with a note.
names = {l["name"] for l in layers}
kept, drop = [], False
for line in toml.stdout.splitlines():
    if line.startswith("[layer.") and line.endswith("]"):
        drop = line[len("[layer."):-1].strip('"') not in names
        if drop:
            print("%s: [%s] left out: no such layer in the model" % (model, line[1:-1]))
    elif line.startswith("["):
        drop = False
    if not drop:
        kept.append(line)
with open(os.path.join(out, model + ".toml"), "w") as f:
    f.write("\n".join(kept) + "\n")
print("%s: %d events -> %s" % (model, len(x), out))
