"""Stateless 2-D pooling kernels on NumPy arrays (N x C x H x W), shared by the Spatial*Pooling modules.

Indices are 0-based flat positions ``h * W + w`` inside each input plane (Torch7 stores them 1-based).
Fixed-window pooling works on strided views, one vectorised pass per kernel offset: no Python loop
over output positions. With ``numba`` installed (``_numba.py`` switches it), 2x2/stride-2 max pooling and
the index scatter of the backward run as serial Numba kernels (``pool2d_numba.py``) instead.
"""

from __future__ import annotations

import numpy as np

from torch7._core import backend
from torch7._core.backend import ascontig
from torch7._core.backend import xp as engine

from . import _numba, pool2d_cuda


def output_size(size: int, k: int, d: int, pad: int, dil: int, ceil_mode: bool) -> int:
    """THNN's rule: floor/ceil of the window count, then drop a last window starting past the padding."""
    span = size + 2 * pad - (dil * (k - 1) + 1)
    n = (-(-span // d) if ceil_mode else span // d) + 1
    if pad and (n - 1) * d >= size + pad:
        n -= 1
    return n


def check_pool(name: str, shape: tuple, kH: int, kW: int, dH: int, dW: int, padH: int, padW: int,
               dilH: int = 1, dilW: int = 1) -> None:
    """Raise ValueError naming the module for bad sizes (THNN's shapeCheck)."""
    if kW <= 0 or kH <= 0:
        raise ValueError(f"{name}: kernel size should be greater than zero, but got kH: {kH} kW: {kW}")
    if dW <= 0 or dH <= 0:
        raise ValueError(f"{name}: stride should be greater than zero, but got dH: {dH} dW: {dW}")
    if dilW <= 0 or dilH <= 0:
        raise ValueError(f"{name}: dilation should be greater than zero, but got dilationH: {dilH} dilationW: {dilW}")
    if padW < 0 or padH < 0 or kW // 2 < padW or kH // 2 < padH:
        raise ValueError(f"{name}: pad should be smaller than half of kernel size, but got padW = {padW}, "
                         f"padH = {padH}, kW = {kW}, kH = {kH}")
    if len(shape) not in (3, 4) or 0 in shape:
        raise ValueError(f"{name}: 3D or 4D (batch mode) non-empty input expected, got size "
                         f"{'x'.join(map(str, shape)) or 'empty'}")


def as4d(a: np.ndarray) -> np.ndarray:
    return a[None] if a.ndim == 3 else a


def _window(a: np.ndarray, i0: int, j0: int, OH: int, OW: int, dH: int, dW: int) -> np.ndarray:
    return a[:, :, i0:i0 + (OH - 1) * dH + 1:dH, j0:j0 + (OW - 1) * dW + 1:dW]


def max_forward(x: np.ndarray, kH, kW, dH, dW, padH, padW, dilH, dilW, OH, OW, out: np.ndarray,
                idx: np.ndarray) -> None:
    """Max over each window into ``out`` (N,C,OH,OW) and the 0-based in-plane argmax into ``idx``.

    The first maximum wins; a NaN in a window gives NaN and the position of its last NaN (as THNN).
    """
    if pool2d_cuda.max_forward(x, kH, kW, dH, dW, padH, padW, dilH, dilW, OH, OW, out, idx):
        return
    N, C, H, W = x.shape
    nb = _numba.kernels("pool2d_numba", x)
    if nb is not None and out.dtype == x.dtype and out.flags.c_contiguous and idx.flags.c_contiguous \
            and idx.dtype == np.int64:
        if (kH, kW, dH, dW, padH, padW, dilH, dilW) == (2, 2, 2, 2, 0, 0, 1, 1) and 2 * OH <= H and 2 * OW <= W:
            nb.max_forward_2x2(ascontig(x), out, idx)
            return
    needH = (OH - 1) * dH + (kH - 1) * dilH + 1
    needW = (OW - 1) * dW + (kW - 1) * dilW + 1
    if padH or padW or needH > H or needW > W:
        src = engine(x).full((N, C, max(needH, H + padH), max(needW, W + padW)), -np.inf, x.dtype)
        src[:, :, padH:padH + H, padW:padW + W] = x
    else:
        src = x
    kt = np.int8 if kH * kW < 128 else np.int32
    e = engine(x)
    k = e.zeros((N, C, OH, OW), kt)
    mask = e.empty((N, C, OH, OW), bool)
    step = e.empty((N, C, OH, OW), kt)
    np.copyto(out, _window(src, 0, 0, OH, OW, dH, dW))
    for p in range(1, kH * kW):
        v = _window(src, (p // kW) * dilH, (p % kW) * dilW, OH, OW, dH, dW)
        np.greater(v, out, out=mask)
        np.maximum(out, v, out=out)  # propagates NaN
        # p grows, so the last strict improvement is max(k, p * mask): cheaper than a masked copy.
        np.multiply(mask.view(np.int8), kt(p), out=step, casting="unsafe")
        np.maximum(k, step, out=k)
    if kH * kW > 1 and np.isnan(np.add.reduce(out, axis=None)):
        # Rare path: point NaN outputs at the last NaN of their window (THNN's `val > max || isnan(val)`).
        for p in range(kH * kW):
            v = _window(src, (p // kW) * dilH, (p % kW) * dilW, OH, OW, dH, dW)
            k[np.isnan(v)] = p
    # offset(p) = (p // kW) * dilH * W + (p % kW) * dilW = p * dilW + (p // kW) * (dilH * W - kW * dilW)
    np.copyto(idx, k)
    if dilW != 1:
        idx *= dilW
    if kH > 1:
        idx += (k // kt(kW)).astype(np.int64) * (dilH * W - kW * dilW)
    base = (e.arange(OH, dtype=np.int64) * dH - padH)[:, None] * W + (e.arange(OW, dtype=np.int64) * dW - padW)
    idx += base
    # Unpadded ceil mode with stride > kernel can leave a last window wholly past the input (THNN keeps it):
    # its output is -inf and its index -1.
    if (OH - 1) * dH - padH >= H:
        idx[:, :, -1, :] = -1
    if (OW - 1) * dW - padW >= W:
        idx[:, :, :, -1] = -1


def scatter_backward(gout: np.ndarray, idx: np.ndarray, gin: np.ndarray, unique: bool = False,
                     skip_negative: bool = False) -> None:
    """``gin`` (N,C,H,W) = zeros plus each ``gout`` added at its plane index ``idx``.

    ``unique`` promises that no two outputs of a plane share an index (non-overlapping windows);
    ``skip_negative`` drops entries whose index is -1 (empty windows).
    """
    if pool2d_cuda.scatter_backward(gout, idx, gin):
        return
    N, C, H, W = gin.shape
    nb = _numba.kernels("pool2d_numba", gin)
    if nb is not None and gin.flags.c_contiguous and gout.dtype == gin.dtype and idx.dtype == np.int64 \
            and gout.shape[:2] == gin.shape[:2]:
        # The kernel always skips -1 indices; a caller promising none (skip_negative False) has none.
        nb.scatter_add(ascontig(gout), ascontig(idx), gin)
        return
    plane = engine(gin).arange(N * C, dtype=np.int64).reshape(N, C, 1, 1) * (H * W)
    flat_idx = (idx + plane).reshape(-1)
    vals = gout.reshape(-1)
    if skip_negative:
        keep = idx.reshape(-1) >= 0
        flat_idx, vals = flat_idx[keep], vals[keep]
    if unique:
        gin[...] = 0
        gin.reshape(-1)[flat_idx] = vals
    else:
        acc = np.bincount(flat_idx, weights=vals, minlength=N * C * H * W)
        np.copyto(gin, acc.reshape(gin.shape), casting="unsafe")


def avg_weights(size: int, k: int, d: int, pad: int, n: int, include_pad: bool, dtype) -> np.ndarray:
    """(n x size) matrix: row o averages window o along one axis (per-axis factor of THNN's divisor)."""
    start = np.arange(n) * d - pad
    end = np.minimum(start + k, size + pad)
    count_pad = end - start
    s, e = np.maximum(start, 0), np.minimum(end, size)
    pos = np.arange(size)
    inside = (pos[None, :] >= s[:, None]) & (pos[None, :] < e[:, None])
    div = count_pad if include_pad else np.maximum(e - s, 1)
    return (inside / div[:, None]).astype(dtype)


def separable_apply(x: np.ndarray, A: np.ndarray, B: np.ndarray, out: np.ndarray) -> None:
    """``out[n,c] = A @ x[n,c] @ B.T`` for every plane, as two large GEMMs."""
    N, C, H, W = x.shape
    A, B = backend.constant(x, A), backend.constant(x, B)  # the averaging matrices, on x's device
    r = np.matmul(x.reshape(N * C * H, W), B.T)  # (NCH, OW)
    r = r.reshape(N * C, H, -1).transpose(0, 2, 1).reshape(-1, H)  # (NC*OW, H)
    r = np.matmul(r, A.T)  # (NC*OW, OH)
    np.copyto(out, r.reshape(N, C, -1, A.shape[0]).transpose(0, 1, 3, 2))


def adaptive_ranges(size: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """THNN's adaptive windows: start = floor(o*size/n), end = ceil((o+1)*size/n)."""
    o = np.arange(n)
    return (o * size) // n, -((-(o + 1) * size) // n)


def adaptive_weights(size: int, n: int, dtype) -> np.ndarray:
    s, e = adaptive_ranges(size, n)
    pos = np.arange(size)
    inside = (pos[None, :] >= s[:, None]) & (pos[None, :] < e[:, None])
    return (inside / (e - s)[:, None]).astype(dtype)


def gather_max(x: np.ndarray, rows: np.ndarray, cols: np.ndarray, kH: int, kW: int, out: np.ndarray,
               idx: np.ndarray) -> None:
    """Max over irregular windows into ``out`` (N,C,OH,OW) and the in-plane argmax into ``idx``.

    ``rows[..., p]`` / ``cols[..., q]`` (broadcastable to ``out``) are the p-th row / q-th column of each
    window; callers clamp shorter windows by repeating their last row/column (harmless for a max).
    """
    N, C, H, W = x.shape
    flat = x.reshape(N, C, H * W)
    best = None
    rows, cols = backend.constant(x, rows), backend.constant(x, cols)  # small window tables, on x's device
    mask = engine(x).empty(out.shape, bool)
    for p in range(kH):
        for q in range(kW):
            pos = rows[..., p] * W + cols[..., q]
            pos = np.broadcast_to(pos, out.shape).reshape(N, C, -1)
            v = np.take_along_axis(flat, pos, axis=2).reshape(out.shape)
            if best is None:
                np.copyto(out, v)
                np.copyto(idx, pos.reshape(out.shape))
                best = True
                continue
            np.greater(v, out, out=mask)
            mask |= np.isnan(v)
            np.copyto(out, v, where=mask)
            np.copyto(idx, pos.reshape(out.shape), where=mask)


def fractional_intervals(samples: np.ndarray, size: int, n: int, pool: int) -> np.ndarray:
    """Window starts (…, n) for each sample u in [0,1): floor((i+u)*a) - floor(u*a), a=(size-pool)/(n-1).

    Computed in the samples' precision, like THNN's ``real`` arithmetic; the last start is size - pool.
    """
    dt = samples.dtype.type
    seq = np.empty(samples.shape + (n,), np.int64)
    if n > 1:
        alpha = dt(size - pool) / dt(n - 1)
        i = np.arange(n - 1, dtype=samples.dtype)
        u = samples[..., None]
        seq[..., :-1] = ((i + u) * alpha).astype(np.int64) - (u * alpha).astype(np.int64)
    seq[..., -1] = size - pool
    return seq
