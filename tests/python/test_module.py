#!/usr/bin/env python3
"""python.<model>: the model's Python module (kml_add_fpga_model(... PYTHON)) against the reference .io.h5, the C++
testbench and its own contract (attributes from the manifest, threads, float64, error messages)."""
import argparse
import importlib
import json
import os
import re
import subprocess
import sys

import h5py
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--module-dir", required=True)
ap.add_argument("--module", required=True)
ap.add_argument("--manifest", required=True)
ap.add_argument("--reference", required=True)
ap.add_argument("--check", required=True, help="exact | tolerance=T | argmax=F")
ap.add_argument("--testbench", required=True)
ap.add_argument("--work", required=True)
args = ap.parse_args()

failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)


sys.path.insert(0, args.module_dir)
m = importlib.import_module(args.module)
with open(args.manifest) as f:
    manifest = json.load(f)
with h5py.File(args.reference, "r") as f:
    xs = [np.asarray(f[f"x{i}"]) for i in range(len(manifest["inputs"]))]
    ys = [np.asarray(f[f"y{j}"]) for j in range(len(manifest["outputs"]))]
    ref_traces = {k: np.asarray(v) for k, v in f["trace"].items()} if "trace" in f else {}
n = xs[0].shape[0]

# ---- attributes: what the manifest says, in Keras' notation
check(m.__name__ == args.module and m.name == manifest["name"], f"module {m.__name__} of model {m.name} "
      f"(C++ namespace {manifest['ident']})")
check(m.input_names == [e["name"] for e in manifest["inputs"]], f"input_names {m.input_names}")
check(m.input_shapes == [(None, *e["shape"]) for e in manifest["inputs"]], f"input_shapes {m.input_shapes}")
check(m.output_names == [e["name"] for e in manifest["outputs"]], f"output_names {m.output_names}")
check(m.output_shapes == [(None, *y.shape[1:]) for y in ys], f"output_shapes {m.output_shapes} (reference's)")
check(m.output_types == [e["precision"] for e in manifest["outputs"]], f"output_types {m.output_types}")
check([d["name"] for d in m.inputs] == m.input_names and [d["precision"] for d in m.outputs] == m.output_types,
      "inputs / outputs dicts")

# ---- predict: Keras' shapes, float32
x_arg = xs if len(xs) > 1 else xs[0]
y = m.predict(x_arg)
outs = y if isinstance(y, list) else [y]
check(isinstance(y, list) == (len(ys) > 1), f"{len(ys)} output(s): {'a list' if len(ys) > 1 else 'one array'}")
check(all(o.shape == r.shape and o.dtype == np.float32 for o, r in zip(outs, ys)),
      f"shapes {[o.shape for o in outs]} == reference's {[r.shape for r in ys]}, float32")

# ---- against the reference
kind, _, value = args.check.partition("=")
for j, (o, r) in enumerate(zip(outs, ys)):
    if kind == "exact":
        check(np.array_equal(o, r.astype(np.float32)), f"y{j} bit-exact to the reference ({o.size} values)")
    elif kind == "tolerance":
        err = np.max(np.abs(o - r) / np.maximum(1.0, np.abs(r)))
        check(err <= float(value), f"y{j} within {value} of the reference (relative to max(1, |y|)): {err:.3g}")
    elif kind == "argmax":
        agree = np.mean(np.argmax(o, axis=-1) == np.argmax(r, axis=-1))
        check(agree >= float(value), f"y{j} argmax agrees with the reference on {agree:.3f} >= {value}")
    else:
        sys.exit(f"unknown --check {args.check}")

# ---- against the C++ testbench, bit for bit (its inputs as %.17g text, as kml's csim writes them)
os.makedirs(args.work, exist_ok=True)
inputs_dat = os.path.join(args.work, "inputs.dat")
outputs_dat = os.path.join(args.work, "outputs.dat")


def testbench(inputs, path):
    flat_in = np.concatenate([x.reshape(n, -1).astype(np.float64) for x in inputs], axis=1)
    with open(path, "w") as f:
        for row in flat_in:
            f.write(" ".join("%.17g" % v for v in row) + "\n")
    subprocess.run([args.testbench, path, outputs_dat], check=True, stdout=subprocess.DEVNULL)
    return np.loadtxt(outputs_dat, dtype=np.float64, ndmin=2)


tb = testbench(xs, inputs_dat)
flat_out = np.concatenate([o.reshape(n, -1) for o in outs], axis=1)
check(tb.shape == flat_out.shape and np.array_equal(tb.astype(np.float32), flat_out),
      f"predict == the C++ testbench bit for bit ({flat_out.size} values)")
# float64 inputs a millionth of an LSB below a grid point and below a half-LSB point of the input type (where
# truncation and rounding decide): quantized from the double, as the testbench quantizes its text. Rounded to float32
# first they would land on the point itself.
def lsb_of(precision):
    t = re.match(r"ap_u?fixed<\s*(\d+)\s*,\s*(-?\d+)", precision)
    return 2.0 ** -(int(t.group(1)) - int(t.group(2))) if t else None


lsbs = [lsb_of(e["precision"]) for e in manifest["inputs"]]
if all(lsbs):
    moved = 0
    for frac in (0.0, 0.5):
        wide = [(np.round(x.astype(np.float64) / q) + frac) * q - q * 1e-6 for x, q in zip(xs, lsbs)]
        yw = m.predict(wide if len(xs) > 1 else wide[0])
        yw = yw if isinstance(yw, list) else [yw]
        yn = m.predict([w.astype(np.float32) for w in wide] if len(xs) > 1 else wide[0].astype(np.float32))
        yn = yn if isinstance(yn, list) else [yn]
        moved += sum(int(np.sum(a != b)) for a, b in zip(yw, yn))
        tbw = testbench(wide, os.path.join(args.work, "inputs64.dat"))
        check(np.array_equal(tbw.astype(np.float32), np.concatenate([o.reshape(n, -1) for o in yw], axis=1)),
              f"float64 inputs just below {'half-' if frac else ''}LSB points == the C++ testbench bit for bit")
    if kind != "exact":  # HGQ2: the input quantizer is a layer of its own, on its own (per-element) grid
        check(moved > 0, f"float64 inputs are not rounded to float32 first ({moved} outputs differ from that)")

# ---- threads, float64 and a single sample give the same bits
for t in (1, 2, 3):
    yt = m.predict(x_arg, threads=t)
    yt = yt if isinstance(yt, list) else [yt]
    check(all(np.array_equal(a, b) for a, b in zip(yt, outs)), f"threads={t} gives the same outputs")
x64 = [x.astype(np.float64) for x in xs]
y64 = m.predict(x64 if len(xs) > 1 else x64[0])
y64 = y64 if isinstance(y64, list) else [y64]
check(all(np.array_equal(a, b) for a, b in zip(y64, outs)), "float64 inputs give the same outputs")
x_nc = [np.asfortranarray(x) for x in xs]
y_nc = m.predict(x_nc if len(xs) > 1 else x_nc[0])
y_nc = y_nc if isinstance(y_nc, list) else [y_nc]
check(all(np.array_equal(a, b) for a, b in zip(y_nc, outs)), "non-contiguous inputs give the same outputs")
y1 = m.predict([x[3:4] for x in xs] if len(xs) > 1 else xs[0][3:4])
y1 = y1 if isinstance(y1, list) else [y1]
check(all(np.array_equal(a, b[3:4]) for a, b in zip(y1, outs)), "a batch of one sample")
y0 = m.predict([x[:0] for x in xs] if len(xs) > 1 else xs[0][:0])
y0 = y0 if isinstance(y0, list) else [y0]
check(all(a.shape == (0, *b.shape[1:]) for a, b in zip(y0, outs)), "an empty batch gives empty outputs")


# ---- trace(): every traced layer, bit for bit the testbench's trace files, shaped as the reference's trace/<layer>
if manifest.get("trace"):
    tr = m.trace(x_arg)
    names = [nm for t in manifest["trace"] for nm in t["names"]]
    check(sorted(tr) == sorted(names) and m.traced_layers == names, f"trace() has the {len(names)} traced names")
    trace_dir = os.path.join(args.work, "trace")
    subprocess.run([args.testbench, inputs_dat, os.path.join(args.work, "traced_outputs.dat"), trace_dir], check=True,
                   stdout=subprocess.DEVNULL)
    same = True
    for t in manifest["trace"]:
        tb_t = np.loadtxt(os.path.join(trace_dir, t["file"] + ".dat"), dtype=np.float64, ndmin=2)
        for nm in t["names"]:
            a = tr[nm]
            same &= a.dtype == np.float64 and a.shape[0] == n and np.array_equal(a.reshape(n, -1), tb_t)
    check(same, f"trace() == the testbench's trace files bit for bit ({len(manifest['trace'])} nodes)")
    shared = [nm for nm in names if nm in ref_traces]
    check(shared and all(tr[nm].shape == ref_traces[nm].shape for nm in shared),
          f"trace() shapes are the reference's for {shared}")
    if kind == "exact":
        check(all(np.array_equal(tr[nm].astype(np.float32), ref_traces[nm]) for nm in shared),
              f"trace() bit-exact to the reference's trace/<layer> for {shared}")
    last = manifest["outputs"][0]["name"]
    check(last in tr and np.array_equal(tr[last].astype(np.float32), outs[0]), f"trace()['{last}'] is predict()'s output")
    try:
        m.trace(np.zeros((2, 3), np.float32))
        check(False, "trace() with a wrong shape raises ValueError")
    except ValueError as e:
        check(str(e).startswith(f"{args.module}.trace: input"), f"trace() with a wrong shape: {e}")
else:
    try:
        m.trace(x_arg)
        check(False, "trace() of a model without tracing raises")
    except RuntimeError as e:
        check("converted without tracing; set trace = true" in str(e), f"trace() without tracing: {e}")
    check(m.traced_layers == [], "no traced_layers")

# ---- errors: ValueError naming the expected shape
def error_of(*a, **kw):
    try:
        m.predict(*a, **kw)
    except ValueError as e:
        return str(e)
    except Exception as e:  # noqa: BLE001
        return f"not a ValueError: {type(e).__name__}: {e}"
    return "no error"


shape0 = "(N, " + ", ".join(str(d) for d in manifest["inputs"][0]["shape"]) + ")"
name0 = manifest["inputs"][0]["name"]
bad_shape = np.zeros((4, *xs[0].shape[1:-1], xs[0].shape[-1] + 1), np.float32)
bad = [bad_shape] + xs[1:] if len(xs) > 1 else bad_shape
msg = error_of(bad)
check(msg.startswith(f"{args.module}.predict: input '{name0}' must have shape {shape0}") and "got (4, " in msg,
      f"wrong shape: {msg}")
no_batch = [x[0] for x in xs] if len(xs) > 1 else xs[0][0]
msg = error_of(no_batch)
check(f"must have shape {shape0} (batch first)" in msg, f"no batch dimension: {msg}")
ints = [x.astype(np.int32) for x in xs]
msg = error_of(ints if len(xs) > 1 else ints[0])
check(f"input '{name0}' must be float32 or float64 of shape {shape0}, got int32" in msg, f"wrong dtype: {msg}")
msg = error_of(xs + [xs[0]])
check(f"the model has {len(xs)} input" in msg and shape0 in msg, f"wrong number of inputs: {msg}")
msg = error_of(x_arg, threads=-1)
check("threads must be 0 (every core) or a positive count" in msg, f"threads=-1: {msg}")
if len(xs) > 1:
    msg = error_of(xs[0])
    check(f"the model has {len(xs)} inputs" in msg and "give a list of" in msg, f"one array for {len(xs)} inputs: {msg}")
    msg = error_of([xs[0][:5]] + [x[:6] for x in xs[1:]])
    check("batch sizes differ" in msg and "5 samples" in msg, f"different batch sizes: {msg}")

if failures:
    sys.exit(f"{len(failures)} check(s) failed")
print(f"{args.module}: every check passed")
