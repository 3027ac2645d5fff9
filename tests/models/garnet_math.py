"""GarNet / GarNetStack forward pass in numpy, written from hls4ml's contrib/garnet.py (the caloGraphNN layers) with
hls4ml's reading of the options: input_format 'xn', simplified=True, linear output activation; quantize_transforms
ternarizes the FLR kernel and bias and the Fout kernel as hls4ml's TernaryQuantizer; collapse 'mean' with
mean_by_nvert is the mean over the n real vertices (hls4ml's HLS code; garnet.py's Keras code divides the sum by
True). The transforms are applied as garnet.py applies them (no contraction). Used by make_models.py and
garnet_example.py.
"""
import numpy as np


def garnet_forward(x, nv, subs, collapse, mean_by_nvert, quantize):
    """subs: per sublayer (FLR kernel, FLR bias, S kernel, S bias, Fout kernel, Fout bias)."""
    x = x.astype(np.float64)
    V = x.shape[1]
    mask = (np.arange(V)[None, :] < nv.reshape(-1, 1)).astype(np.float64)[..., None]  # (B, V, 1)
    nvf = nv.reshape(-1, 1, 1).astype(np.float64)
    tern = lambda w: np.where(w > 0.5, 1.0, np.where(w <= -0.5, -1.0, 0.0))  # hls4ml's TernaryQuantizer
    data = x
    for fk, fb, sk, sb, ok, ob in subs:
        fk, fb, ok = (tern(fk), tern(fb), tern(ok)) if quantize else (fk, fb, ok)
        feat = data @ fk + fb                              # (B, V, P)
        dist = data @ sk + sb                              # (B, V, A)
        ew = mask * np.exp(-dist ** 2)                     # (B, V, A)
        agg = np.einsum("bva,bvp->bap", ew, feat)          # sum over vertices
        agg = agg / nvf if mean_by_nvert else agg / V      # graph mean
        upd = np.einsum("bva,bap->bvap", ew, agg).reshape(x.shape[0], V, -1)  # (B, V, A*P)
        data = mask * (upd @ ok + ob)                      # linear output activation, masked
    if collapse == "mean":
        return data.sum(axis=1) / (nvf[:, 0] if mean_by_nvert else V)  # hls4ml: mean over the n real vertices
    if collapse == "sum":
        return data.sum(axis=1)
    if collapse == "max":
        return data.max(axis=1)
    return data
