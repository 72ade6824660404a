"""Stateless NumPy kernels for the padding, up-sampling and feature-LP-pooling modules.

Every operation here is separable over the trailing spatial axes, so it is written as one
gather (forward) and one scatter-add (backward) per axis. Scatter-adds use ``np.add.reduceat``
over sorted indices instead of ``np.add.at``; no Python loop runs over output positions.
"""

from __future__ import annotations

import numpy as np

from torch7._core import backend
from torch7._core.backend import ascontig


def sz(t) -> str:
    """Torch7-style size string of a tensor: ``2x3x4``."""
    return "x".join(str(s) for s in t.size()) or "[empty]"


# ---- per-axis gather / scatter ---------------------------------------------------------------
def scatter_axis(vals: np.ndarray, idx: np.ndarray, n: int, axis: int) -> np.ndarray:
    """``res[..., k, ...] = sum of vals[..., o, ...] over o with idx[o] == k`` along ``axis`` (size n)."""
    axis = axis % vals.ndim
    if idx.size > 1 and np.any(idx[1:] < idx[:-1]):
        order = np.argsort(idx, kind="stable")
        vals = np.take(vals, backend.constant(vals, order), axis=axis)
        idx = idx[order]
    shape = list(vals.shape)
    shape[axis] = n
    res = backend.xp(vals).zeros(shape, vals.dtype)
    starts = np.searchsorted(idx, np.arange(n))
    ends = np.append(starts[1:], idx.size)
    used = ends > starts
    if idx.size:
        sel = [slice(None)] * vals.ndim
        sel[axis] = backend.constant(vals, np.nonzero(used)[0])
        res[tuple(sel)] = np.add.reduceat(vals, backend.constant(vals, starts[used]), axis=axis)
    return res


def _bcast(w: np.ndarray, ndim: int, axis: int, dtype) -> np.ndarray:
    shape = [1] * ndim
    shape[axis] = w.size
    return w.astype(dtype, copy=False).reshape(shape)


# ---- padding ---------------------------------------------------------------------------------
def pad_index(mode: str, n: int, before: int, after: int) -> np.ndarray:
    """Source index along one axis for each output position (negative pads crop)."""
    j = np.arange(n + before + after) - before
    if mode == "replicate":
        return np.clip(j, 0, n - 1)
    j = np.abs(j)  # reflect about index 0 ...
    return np.where(j > n - 1, 2 * (n - 1) - j, j)  # ... and about index n-1


def pad_forward(x: np.ndarray, out: np.ndarray, pads, mode: str) -> None:
    """Write ``x`` padded on its trailing ``len(pads)`` axes into ``out``; ``pads`` = [(before, after), ...]."""
    k = len(pads)
    if mode == "constant":
        out[...] = 0
        src, dst = [Ellipsis], [Ellipsis]
        for (b, a), n, m in zip(pads, x.shape[-k:], out.shape[-k:]):
            src.append(slice(max(0, -b), n - max(0, -a)))
            dst.append(slice(max(0, b), m - max(0, a)))
        out[tuple(dst)] = x[tuple(src)]
        return
    for i in range(k):
        axis = x.ndim - k + i
        b, a = pads[i]
        n = x.shape[axis]
        shape = x.shape[:axis] + (n + b + a,) + x.shape[axis + 1:]
        y = out if i == k - 1 else backend.xp(x).empty(shape, x.dtype)
        _gather_axis(x, y, pad_index(mode, n, b, a), b, axis)
        x = y


def _ident(m: int, n: int, b: int) -> tuple[int, int]:
    """The output range ``[lo, hi)`` (of ``m``) where the padding index is the identity shift ``o - b``."""
    lo, hi = max(0, b), min(m, b + n)
    return lo, max(lo, hi)


def _gather_axis(x: np.ndarray, y: np.ndarray, idx: np.ndarray, b: int, axis: int) -> None:
    """``y[.., o, ..] = x[.., idx[o], ..]`` along ``axis``: one slice copy for the middle, one per pad entry."""
    pre = (slice(None),) * axis
    lo, hi = _ident(idx.size, x.shape[axis], b)
    y[pre + (slice(lo, hi),)] = x[pre + (slice(lo - b, hi - b),)]
    for o in (*range(lo), *range(hi, idx.size)):
        y[pre + (o,)] = x[pre + (int(idx[o]),)]


def pad_backward(g: np.ndarray, gin: np.ndarray, pads, mode: str) -> None:
    """Gradient of :func:`pad_forward`: sum ``g`` back onto the input positions, written into ``gin``."""
    k = len(pads)
    if mode == "constant":
        gin[...] = 0
        src, dst = [Ellipsis], [Ellipsis]
        for (b, a), n, m in zip(pads, gin.shape[-k:], g.shape[-k:]):
            dst.append(slice(max(0, -b), n - max(0, -a)))
            src.append(slice(max(0, b), m - max(0, a)))
        gin[tuple(dst)] = g[tuple(src)]
        return
    for i in reversed(range(k)):
        axis = gin.ndim - k + i
        b, a = pads[i]
        n = gin.shape[axis]
        idx = pad_index(mode, n, b, a)
        shape = g.shape[:axis] + (n,) + g.shape[axis + 1:]
        gx = gin if i == 0 else backend.xp(g).zeros(shape, g.dtype)
        if i == 0:
            gx[...] = 0
        pre = (slice(None),) * axis
        lo, hi = _ident(idx.size, n, b)
        gx[pre + (slice(lo - b, hi - b),)] = g[pre + (slice(lo, hi),)]
        for o in (*range(lo), *range(hi, idx.size)):
            gx[pre + (int(idx[o]),)] += g[pre + (o,)]
        g = gx


# ---- up-sampling -----------------------------------------------------------------------------
def nearest_forward(x: np.ndarray, out: np.ndarray, scale: int, k: int) -> None:
    """Nearest-neighbour up-sampling of the trailing ``k`` axes by the integer ``scale`` into ``out``."""
    lead = x.shape[:-k]
    inner = x.shape[-k:]
    split = lead + tuple(v for s in inner for v in (s, scale))
    src = x.reshape(lead + tuple(v for s in inner for v in (s, 1)))
    np.copyto(out.reshape(split), src)


def nearest_backward(g: np.ndarray, gin: np.ndarray, scale: int, k: int) -> None:
    lead = gin.shape[:-k]
    inner = gin.shape[-k:]
    split = lead + tuple(v for s in inner for v in (s, scale))
    axes = tuple(len(lead) + 2 * i + 1 for i in range(k))
    keep = gin.reshape(lead + tuple(v for s in inner for v in (s, 1)))
    np.sum(ascontig(g).reshape(split), axis=axes, keepdims=True, out=keep)


def linear_weights(n_in: int, n_out: int):
    """Align-corners linear interpolation: (i0, i1, w0, w1) with ``out[o] = w0*in[i0] + w1*in[i1]``.

    The source coordinate of output ``o`` is ``o * (n_in - 1) / (n_out - 1)`` (0 when ``n_out == 1``),
    as in THNN's SpatialUpSamplingBilinear (computed here in double precision).
    """
    ratio = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    src = np.arange(n_out) * ratio
    i0 = np.minimum(src.astype(np.int64), n_in - 1)
    i1 = np.where(i0 < n_in - 1, i0 + 1, i0)
    w1 = src - i0
    return i0, i1, 1.0 - w1, w1


DENSE_MAX = 128  # input sizes up to this use the dense interpolation matrix


def _matmul_axis(x: np.ndarray, mat: np.ndarray, axis: int) -> np.ndarray:
    """Contract ``x`` along ``axis`` with ``mat`` (``new x n``): ``y[.., i, ..] = sum_j mat[i, j] x[.., j, ..]``."""
    if axis == x.ndim - 1:
        return np.matmul(x, mat.T)
    pre, post = x.shape[:axis], x.shape[axis + 1:]
    x3 = x.reshape((int(np.prod(pre)), x.shape[axis], int(np.prod(post))))
    return np.matmul(mat, x3).reshape(pre + (mat.shape[0],) + post)


def linear_matrix(n_in: int, n_out: int, dtype) -> np.ndarray:
    """The ``n_out x n_in`` interpolation matrix of :func:`linear_weights`."""
    i0, i1, w0, w1 = linear_weights(n_in, n_out)
    mat = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    mat[rows, i0] += w0
    mat[rows, i1] += w1
    return mat.astype(dtype, copy=False)


def linear_forward(x: np.ndarray, sizes) -> np.ndarray:
    """Interpolate the trailing ``len(sizes)`` axes of ``x`` to ``sizes`` (align corners); returns a new array."""
    k = len(sizes)
    for i, m in enumerate(sizes):
        axis = x.ndim - k + i
        n = x.shape[axis]
        if n == m:
            continue
        if n <= DENSE_MAX:  # small input axis: a dense BLAS product beats gathers
            x = _matmul_axis(x, backend.constant(x, linear_matrix(n, m, x.dtype)), axis)
            continue
        i0, i1, w0, w1 = linear_weights(n, m)
        y = np.take(x, backend.constant(x, i0), axis=axis)
        y *= backend.constant(x, _bcast(w0, x.ndim, axis, x.dtype))
        y += np.take(x, backend.constant(x, i1), axis=axis) * backend.constant(x, _bcast(w1, x.ndim, axis, x.dtype))
        x = y
    return x


def linear_backward(g: np.ndarray, in_sizes) -> np.ndarray:
    """Gradient of :func:`linear_forward` with respect to its input (trailing sizes ``in_sizes``)."""
    k = len(in_sizes)
    for i in reversed(range(k)):
        axis = g.ndim - k + i
        n, m = in_sizes[i], g.shape[axis]
        if n == m:
            continue
        if n <= DENSE_MAX:
            g = _matmul_axis(g, backend.constant(g, linear_matrix(n, m, g.dtype).T), axis)
            continue
        i0, i1, w0, w1 = linear_weights(n, m)
        g = (scatter_axis(g * backend.constant(g, _bcast(w0, g.ndim, axis, g.dtype)), i0, n, axis)
             + scatter_axis(g * backend.constant(g, _bcast(w1, g.ndim, axis, g.dtype)), i1, n, axis))
    return g


# ---- feature LP pooling ----------------------------------------------------------------------
def lp_out_size(n: int, width: int, stride: int) -> int:
    return (n - width) // stride + 1


def feature_lp_forward(x: np.ndarray, out: np.ndarray, power: float, width: int, stride: int) -> None:
    """``out[:, f] = (sum_{i<width} x[:, f*stride+i] ** power) ** (1/power)`` on 4-D (B, F, O1, O2) arrays."""
    nout = out.shape[1]
    span = stride * (nout - 1) + 1
    xp = np.power(x, power)
    out[...] = 0
    for i in range(width):
        out += xp[:, i:i + span:stride]
    np.power(out, 1.0 / power, out=out)


def feature_lp_backward(x: np.ndarray, out: np.ndarray, g: np.ndarray, gin: np.ndarray, power: float,
                        width: int, stride: int) -> None:
    """``gin[:, f*stride+i] += g[:, f] * (x[:, f*stride+i] / out[:, f]) ** (power-1)``, skipping ``out == 0``."""
    nout = out.shape[1]
    span = stride * (nout - 1) + 1
    gin[...] = 0
    zero = out == 0
    safe = np.where(zero, 1, out)
    with np.errstate(invalid="ignore", divide="ignore"):
        for i in range(width):
            term = np.power(x[:, i:i + span:stride] / safe, power - 1)
            term *= g
            np.copyto(term, 0, where=zero)
            gin[:, i:i + span:stride] += term
