"""Separable 1-D resampling kernels behind ``image.scale`` (Torch7's image.c, re-derived).

Each kernel is a set of taps: ``idx`` and ``w`` of shape (dst_len, K); output ``d`` is
``sum_k w[d, k] * src[idx[d, k]]``.  Positions are computed in float32, as the C code does, so
that the source pixels picked match Torch7's.

* bilinear, enlarging: linear interpolation between neighbours, the ends mapped onto the ends;
* bilinear, shrinking: the average over the source interval each output pixel covers (area);
* bicubic: Catmull-Rom through 4 neighbours, missing outer neighbours extrapolated linearly;
* simple: nearest pixel at ``floor(i * src/dst)``.
"""

from __future__ import annotations

import numpy as np

_F32 = np.float32


def _identity(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.arange(n)[:, None], np.ones((n, 1))


def linear_taps(n_src: int, n_dst: int) -> tuple[np.ndarray, np.ndarray]:
    """Taps of Torch7's bilinear row/column resampler."""
    if n_dst == n_src:
        return _identity(n_dst)
    if n_dst > n_src:
        if n_src == 1:
            return np.zeros((n_dst, 1), np.int64), np.ones((n_dst, 1))
        scale = _F32(n_src - 1) / _F32(n_dst - 1)
        pos = np.arange(n_dst - 1, dtype=_F32) * scale
        i0 = pos.astype(np.int64)
        frac = (pos - i0.astype(_F32)).astype(np.float64)
        idx = np.stack([i0, np.minimum(i0 + 1, n_src - 1)], axis=1)
        w = np.stack([1 - frac, frac], axis=1)
        # The last output pixel is the last input pixel.
        idx = np.vstack([idx, [[n_src - 1, n_src - 1]]])
        w = np.vstack([w, [[1.0, 0.0]]])
        return idx, w
    # Shrinking: output d averages the source interval [d*scale, (d+1)*scale), ends weighted by
    # the fraction of the pixel they cover.
    scale = _F32(n_src) / _F32(n_dst)
    ends = np.arange(1, n_dst + 1, dtype=_F32) * scale
    e_i = ends.astype(np.int64)
    e_f = (ends - e_i.astype(_F32)).astype(np.float64)
    s_i = np.concatenate([[0], e_i[:-1]])
    s_f = np.concatenate([[0.0], e_f[:-1]])
    span = e_i - s_i
    k = np.arange(int(span.max()) + 1)[None, :]
    idx = s_i[:, None] + k
    w = np.where(k < span[:, None], 1.0, 0.0)
    w[:, 0] = 1 - s_f
    last = np.where(e_i < n_src, e_f, 0.0)
    w = np.where(k == span[:, None], last[:, None], w)
    w /= w.sum(axis=1, keepdims=True)
    return np.minimum(idx, n_src - 1), w


def cubic_taps(n_src: int, n_dst: int) -> tuple[np.ndarray, np.ndarray]:
    """Taps of Torch7's bicubic row/column resampler (Catmull-Rom, linear extrapolation at ends)."""
    if n_dst == n_src:
        return _identity(n_dst)
    if n_src == 1:
        return np.zeros((n_dst, 1), np.int64), np.ones((n_dst, 1))
    scale = _F32(n_src - 1) / _F32(n_dst - 1) if n_dst > 1 else _F32(n_src - 1)
    pos = np.arange(n_dst - 1, dtype=_F32) * scale
    i = np.minimum(pos.astype(np.int64), n_src - 2)
    t = (pos - i.astype(_F32)).astype(np.float64)
    w0 = 0.5 * (-t + 2 * t**2 - t**3)
    w1 = 1 + 0.5 * (-5 * t**2 + 3 * t**3)
    w2 = 0.5 * (t + 4 * t**2 - 3 * t**3)
    w3 = 0.5 * (t**3 - t**2)
    # Missing neighbours: p0 = 2*p1 - p2 at the start, p3 = 2*p2 - p1 at the end.
    first = i == 0
    w1, w2, w0 = np.where(first, w1 + 2 * w0, w1), np.where(first, w2 - w0, w2), np.where(first, 0, w0)
    last = i + 2 >= n_src
    w2, w1, w3 = np.where(last, w2 + 2 * w3, w2), np.where(last, w1 - w3, w1), np.where(last, 0, w3)
    idx = np.clip(np.stack([i - 1, i, i + 1, i + 2], axis=1), 0, n_src - 1)
    w = np.stack([w0, w1, w2, w3], axis=1)
    idx = np.vstack([idx, np.full((1, 4), n_src - 1)])
    w = np.vstack([w, [[0.0, 1.0, 0.0, 0.0]]])
    return idx, w


def simple_index(n_src: int, n_dst: int) -> np.ndarray:
    """Source index of each output pixel for the nearest-neighbour ('simple') mode."""
    sc = _F32(n_src) / _F32(n_dst)
    return np.minimum((np.arange(n_dst, dtype=_F32) * sc).astype(np.int64), n_src - 1)


def apply_taps(a: np.ndarray, idx: np.ndarray, w: np.ndarray, axis: int) -> np.ndarray:
    """Resample float array ``a`` along ``axis`` with taps (idx, w)."""
    g = np.take(a, idx, axis=axis)  # axis -> (dst, K)
    shape = [1] * g.ndim
    shape[axis], shape[axis + 1] = w.shape
    return (g * w.reshape(shape)).sum(axis=axis + 1)
