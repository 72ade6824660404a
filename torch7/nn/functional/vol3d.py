"""Stateless NumPy kernels for the Volumetric (3-D) convolution and pooling modules.

Arrays are ``(N, C, T, H, W)``; every triple is ``(T, H, W)`` ordered.  They run on NumPy or CuPy
arrays alike: new arrays come from the input's engine (``backend.xp``).
"""

from __future__ import annotations

import math

import numpy as np

from ..._core import backend


def out_size(n, k, d, p, dil=1, ceil=False):
    """Output length of a strided window of ``k`` taps (dilation ``dil``) over ``n`` + 2 ``p``."""
    ek = dil * (k - 1) + 1
    if ceil:
        o = int(math.ceil((n + 2 * p - ek) / d)) + 1
        if (o - 1) * d >= n + p:
            o -= 1
    else:
        o = (n + 2 * p - ek) // d + 1
    return o


def pad3d(x, pads, outs, ks, ds, dils, value):
    """Copy ``x`` into a padded buffer large enough for ``outs`` windows; returns the buffer."""
    n, c = x.shape[:2]
    shape = [n, c]
    for i in range(3):
        need = (outs[i] - 1) * ds[i] + dils[i] * (ks[i] - 1) + 1
        shape.append(max(x.shape[2 + i] + 2 * pads[i], need))
    if all(p == 0 for p in pads) and tuple(shape[2:]) == x.shape[2:]:
        return x
    buf = backend.xp(x).full(shape, value, x.dtype)
    pt, ph, pw = pads
    buf[:, :, pt:pt + x.shape[2], ph:ph + x.shape[3], pw:pw + x.shape[4]] = x
    return buf


def windows(xp, outs, ks, ds, dils):
    """Read-only view ``(N, C, kT, kH, kW, oT, oH, oW)`` of the windows of a padded array."""
    s = xp.strides
    shape = xp.shape[:2] + tuple(ks) + tuple(outs)
    strides = s[:2] + tuple(s[2 + i] * dils[i] for i in range(3)) + tuple(s[2 + i] * ds[i] for i in range(3))
    return backend.as_strided(xp, shape, strides, writeable=False)


def im2col(x, outs, ks, ds, pads, dils, out=None):
    """Columns ``(N, C*kT*kH*kW, oT*oH*oW)`` of ``x`` (zero padded)."""
    xp = pad3d(x, pads, outs, ks, ds, dils, 0)
    w = windows(xp, outs, ks, ds, dils)
    n, c = x.shape[:2]
    shape = (n, c * ks[0] * ks[1] * ks[2], outs[0] * outs[1] * outs[2])
    if out is None or out.shape != shape or out.dtype != x.dtype:
        out = backend.xp(x).empty(shape, x.dtype)
    np.copyto(out.reshape(w.shape), w)
    return out


def col2im(col, in_shape, outs, ks, ds, pads, dils):
    """Sum columns ``(N, C*K, L)`` back into an ``in_shape`` array (the adjoint of ``im2col``)."""
    n, c, it, ih, iw = in_shape
    pt, ph, pw = pads
    shp = [n, c]
    for i in range(3):
        need = (outs[i] - 1) * ds[i] + dils[i] * (ks[i] - 1) + 1
        shp.append(max(in_shape[2 + i] + 2 * pads[i], need))
    buf = backend.xp(col).zeros(shp, col.dtype)
    cv = col.reshape(n, c, ks[0], ks[1], ks[2], outs[0], outs[1], outs[2])
    ot, oh, ow = outs
    for a in range(ks[0]):
        t0 = a * dils[0]
        for b in range(ks[1]):
            h0 = b * dils[1]
            for e in range(ks[2]):
                w0 = e * dils[2]
                buf[:, :, t0:t0 + (ot - 1) * ds[0] + 1:ds[0], h0:h0 + (oh - 1) * ds[1] + 1:ds[1],
                    w0:w0 + (ow - 1) * ds[2] + 1:ds[2]] += cv[:, :, a, b, e]
    return buf[:, :, pt:pt + it, ph:ph + ih, pw:pw + iw]


def max_pool(x, outs, ks, ds, pads, dils):
    """Max over windows: returns ``(values, flat 0-based indices within each T*H*W plane)``."""
    xp = pad3d(x, pads, outs, ks, ds, dils, -np.inf)
    w = windows(xp, outs, ks, ds, dils)
    n, c = x.shape[:2]
    kk = ks[0] * ks[1] * ks[2]
    flat = np.moveaxis(w.reshape(n, c, kk, *outs), 2, -1)
    arg = flat.argmax(-1)
    vals = np.take_along_axis(flat, arg[..., None], -1)[..., 0]
    kt, rem = np.divmod(arg, ks[1] * ks[2])
    kh, kw = np.divmod(rem, ks[2])
    ar = backend.xp(x).arange  # np.ogrid's open grids, on the input's engine
    grids = (ar(outs[0])[:, None, None], ar(outs[1])[None, :, None], ar(outs[2])[None, None, :])
    t = grids[0] * ds[0] - pads[0] + kt * dils[0]
    h = grids[1] * ds[1] - pads[1] + kh * dils[1]
    wq = grids[2] * ds[2] - pads[2] + kw * dils[2]
    idx = (t * x.shape[3] + h) * x.shape[4] + wq
    return vals, idx


def scatter_planes(values, idx, n, c, plane, dtype):
    """Sum ``values`` into zeros ``(n, c, plane)`` at the flat per-plane indices ``idx``."""
    xp = backend.xp(values)
    base = (xp.arange(n * c, dtype=np.int64) * plane).reshape(n, c, *([1] * (idx.ndim - 2)))
    g = xp.bincount((idx + base).reshape(-1), weights=values.reshape(-1), minlength=n * c * plane)
    return g.astype(dtype, copy=False).reshape(n, c, plane)


def gather_planes(src, idx):
    """``src`` ``(n, c, plane)`` read at the flat per-plane indices ``idx`` ``(n, c, ...)``."""
    n, c = idx.shape[:2]
    return np.take_along_axis(src, idx.reshape(n, c, -1), 2).reshape(idx.shape)


def avg_divisor(ins, outs, ks, ds, pads, count_include_pad):
    """Per-output divisor ``(oT, oH, oW)`` of average pooling (PyTorch/THNN convention)."""
    parts = []
    for i in range(3):
        start = np.arange(outs[i]) * ds[i] - pads[i]
        end = np.minimum(start + ks[i], ins[i] + pads[i])
        if count_include_pad:
            parts.append(end - start)
        else:
            parts.append(np.minimum(end, ins[i]) - np.maximum(start, 0))
    return parts[0][:, None, None] * parts[1][None, :, None] * parts[2][None, None, :]


def intervals(samples, n_in, n_out, pool):
    """Fractional max pooling window starts ``(P, n_out)`` from per-plane samples ``(P,)`` in [0, 1).

    Device samples (few: one per plane) are read to the host; the starts go back up to the device.
    """
    like, samples = samples, np.asarray(backend.to_host(samples))
    seq = np.empty((samples.shape[0], n_out), np.int64)
    if n_out > 1:
        alpha = samples.dtype.type(n_in - pool) / samples.dtype.type(n_out - 1)
        i = np.arange(n_out - 1, dtype=samples.dtype)
        seq[:, :-1] = (np.trunc((i[None, :] + samples[:, None]) * alpha).astype(np.int64)
                       - np.trunc(samples[:, None] * alpha).astype(np.int64))
    seq[:, -1] = n_in - pool
    return backend.like(like, seq)
