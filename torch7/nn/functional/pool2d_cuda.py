"""Fused CUDA kernels for 2-D max pooling: the forward (max and argmax in one launch) and the gradient scatter.

The engine-agnostic path of ``pool2d.py`` takes ~37 CuPy launches for one pooling forward (a pass per
window position) and several for the scatter; these kernels take one each (plus a fill for the scatter).
Forward: THNN's loop over each window (dilation, zero-based padding skipped, ``val > max || isnan(val)``:
the first maximum wins and a NaN wins); an empty window gives -inf and index -1. Backward: each gradient
is added (atomically: windows may overlap) at its in-plane index; -1 entries are skipped.
"""

from __future__ import annotations

from torch7._core.backend import ascontig

from . import cuda_kernels

FORWARD = (
    "raw X x, int32 H, int32 W, int32 OH, int32 OW, int32 kH, int32 kW, int32 dH, int32 dW, int32 padH, "
    "int32 padW, int32 dilH, int32 dilW, float64 ninf",
    "raw X out, raw int64 idx",
    r"""
    const ptrdiff_t plane = i / ((ptrdiff_t)OH * OW), r = i % ((ptrdiff_t)OH * OW);
    const int oy = r / OW, ox = r % OW;
    int hs = oy * dH - padH, ws = ox * dW - padW;
    const int he = min(hs + (kH - 1) * dilH + 1, H), we = min(ws + (kW - 1) * dilW + 1, W);
    while (hs < 0) hs += dilH;
    while (ws < 0) ws += dilW;
    const X* src = &x[plane * H * W];
    X best = (X)ninf;
    long long at = -1;
    for (int y = hs; y < he; y += dilH) {
        for (int xx = ws; xx < we; xx += dilW) {
            const X v = src[y * W + xx];
            if (v > best || isnan(v)) { best = v; at = (long long)y * W + xx; }
        }
    }
    out[i] = best;
    idx[i] = at;
    """,
)

SCATTER = (
    "raw X gout, raw int64 idx, int64 per_in, int64 per_out",
    "raw X gin",
    r"""
    const long long k = idx[i];
    if (k >= 0) atomicAdd(&gin[(i / per_out) * per_in + k], gout[i]);
    """,
)


def max_forward(x, kH, kW, dH, dW, padH, padW, dilH, dilW, OH, OW, out, idx) -> bool:
    """One-launch max pooling on a device array; False (nothing done) where the fused kernel does not apply."""
    cp = cuda_kernels.engine_for(x)
    if cp is None or out.dtype != x.dtype or idx.dtype.name != "int64" or not out.flags.c_contiguous \
            or not idx.flags.c_contiguous:
        return False
    N, C, H, W = x.shape
    k = cuda_kernels.get(cp, "torch7_max_pool2d", FORWARD)
    k(ascontig(x), H, W, OH, OW, kH, kW, dH, dW, padH, padW, dilH, dilW, float("-inf"), out, idx, size=out.size)
    return True


def scatter_backward(gout, idx, gin) -> bool:
    """``gin`` = zeros plus each ``gout`` at its in-plane ``idx`` (-1 skipped); False where it does not apply."""
    cp = cuda_kernels.engine_for(gin)
    if cp is None or gout.dtype != gin.dtype or idx.dtype.name != "int64" or not gin.flags.c_contiguous \
            or gout.shape[:2] != gin.shape[:2]:
        return False
    gin.fill(0)
    per_out = gout.shape[2] * gout.shape[3]
    k = cuda_kernels.get(cp, "torch7_scatter_add2d", SCATTER)
    k(ascontig(gout), ascontig(idx), gin.shape[2] * gin.shape[3], per_out, gin, size=gout.size)
    return True
