"""Serial Numba kernels for 2-D convolution (optional accelerator of ``conv2d.py``).

Importing this module imports ``numba``; ``_numba.kernels`` returns ``None`` instead when that fails,
and ``conv2d.py`` keeps its NumPy path. Kernels are serial on purpose: parallel kernels alternating
with multi-threaded OpenBLAS calls make the two thread pools fight (cpu-performance-notes.md).

``col2im`` replaces the ``kH*kW`` strided NumPy slice adds. The ``direct_*`` kernels compute a
stride-1 convolution without im2col columns, for layers with few channels (a CIFAR net's first
layer), where the columns are many times larger than the data and the GEMM is memory-bound.
They use "wide" rows: a padded input plane is a flat row of ``Hp*Wp`` values, and an output plane
is computed ``Wp`` wide (the last ``Wp - oW`` values of each row are discarded), so that every
kernel tap ``(i, j)`` is one contiguous multiply-add over ``oH*Wp`` values at offset ``i*dH*Wp + j*dW``;
8 taps are summed per pass (``_taps_sum``/``_taps_dot``).
Every inner loop runs over 1-D views, so LLVM sees no aliasing and vectorises it.
"""

from __future__ import annotations

import numba
import numpy as np

_FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}  # no "nnan"/"ninf": NaN and inf must propagate
_OPTS = {"cache": True, "fastmath": _FAST, "error_model": "numpy", "nogil": True}


@numba.njit(**_OPTS)
def _taps_sum(acc, src, offs, ws, span):
    """``acc[q] += sum_t ws[t] * src[offs[t] + q]`` for q < span: 8 taps per pass over ``acc``.

    One tap per pass costs a load and a store of ``acc`` per multiply-add; 8 taps share them
    (measured 1.8x faster on a CIFAR first layer).
    """
    nt = offs.shape[0]
    t = 0
    while t + 8 <= nt:
        s0, s1 = src[offs[t]:offs[t] + span], src[offs[t + 1]:offs[t + 1] + span]
        s2, s3 = src[offs[t + 2]:offs[t + 2] + span], src[offs[t + 3]:offs[t + 3] + span]
        s4, s5 = src[offs[t + 4]:offs[t + 4] + span], src[offs[t + 5]:offs[t + 5] + span]
        s6, s7 = src[offs[t + 6]:offs[t + 6] + span], src[offs[t + 7]:offs[t + 7] + span]
        w0, w1, w2, w3 = ws[t], ws[t + 1], ws[t + 2], ws[t + 3]
        w4, w5, w6, w7 = ws[t + 4], ws[t + 5], ws[t + 6], ws[t + 7]
        for q in range(span):
            acc[q] += (w0 * s0[q] + w1 * s1[q] + w2 * s2[q] + w3 * s3[q]) + \
                (w4 * s4[q] + w5 * s5[q] + w6 * s6[q] + w7 * s7[q])
        t += 8
    while t < nt:
        s0 = src[offs[t]:offs[t] + span]
        w0 = ws[t]
        for q in range(span):
            acc[q] += w0 * s0[q]
        t += 1


@numba.njit(**_OPTS)
def _taps_dot(res, g, src, offs, span):
    """``res[t] += sum_q g[q] * src[offs[t] + q]`` (float64 totals): 8 dot products per pass over ``g``."""
    nt = offs.shape[0]
    zero = g.dtype.type(0)
    t = 0
    while t + 8 <= nt:
        s0, s1 = src[offs[t]:offs[t] + span], src[offs[t + 1]:offs[t + 1] + span]
        s2, s3 = src[offs[t + 2]:offs[t + 2] + span], src[offs[t + 3]:offs[t + 3] + span]
        s4, s5 = src[offs[t + 4]:offs[t + 4] + span], src[offs[t + 5]:offs[t + 5] + span]
        s6, s7 = src[offs[t + 6]:offs[t + 6] + span], src[offs[t + 7]:offs[t + 7] + span]
        d0 = d1 = d2 = d3 = d4 = d5 = d6 = d7 = zero
        for q in range(span):
            gq = g[q]
            d0 += gq * s0[q]
            d1 += gq * s1[q]
            d2 += gq * s2[q]
            d3 += gq * s3[q]
            d4 += gq * s4[q]
            d5 += gq * s5[q]
            d6 += gq * s6[q]
            d7 += gq * s7[q]
        res[t] += d0
        res[t + 1] += d1
        res[t + 2] += d2
        res[t + 3] += d3
        res[t + 4] += d4
        res[t + 5] += d5
        res[t + 6] += d6
        res[t + 7] += d7
        t += 8
    while t < nt:
        s0 = src[offs[t]:offs[t] + span]
        d0 = zero
        for q in range(span):
            d0 += g[q] * s0[q]
        res[t] += d0
        t += 1


@numba.njit(**_OPTS)
def _tap_offsets(n_rows, row_len, kh, kw, step_i, step_j, base, sign):
    """Offsets ``r*row_len + base + sign*(i*step_i + j*step_j)`` of the taps (r, i, j), in that order."""
    offs = np.empty(n_rows * kh * kw, np.int64)
    for r in range(n_rows):
        for i in range(kh):
            for j in range(kw):
                offs[(r * kh + i) * kw + j] = r * row_len + base + sign * (i * step_i + j * step_j)
    return offs


@numba.njit(**_OPTS)
def _load_padded(x, n, xs, row_len, ph, pw, wp):
    """Copy the planes of sample ``n`` of ``x`` (N,C,H,W) into the flat padded rows of ``xs`` (C*row_len,)."""
    c_in, h, w = x.shape[1], x.shape[2], x.shape[3]
    for c in range(c_in):
        for y in range(h):
            src = x[n, c, y]
            at = c * row_len + (y + ph) * wp + pw
            dst = xs[at:at + w]
            for q in range(w):
                dst[q] = src[q]


@numba.njit(**_OPTS)
def _load_wide(g, n, gs, row_len, base, wp):
    """Copy the planes of sample ``n`` of ``g`` (N,O,oH,oW) into ``gs`` (O*row_len,) at ``base``, ``Wp`` wide."""
    for o in range(g.shape[1]):
        for y in range(g.shape[2]):
            src = g[n, o, y]
            at = o * row_len + base + y * wp
            dst = gs[at:at + g.shape[3]]
            for q in range(g.shape[3]):
                dst[q] = src[q]


@numba.njit(**_OPTS)
def direct_forward(x, w, b, out, ph, pw, dh, dw):
    """``out`` (N,O,oH,oW) = stride-1 convolution of ``x`` (N,C,H,W) by ``w`` (O,C,kH,kW) plus ``b`` (O,)."""
    n_b, c_in, h, wd = x.shape
    n_out, _, kh, kw = w.shape
    oh, ow = out.shape[2], out.shape[3]
    hp, wp = h + 2 * ph, wd + 2 * pw
    span = oh * wp
    row_len = hp * wp + kw * dw  # the slack keeps the last taps' reads in bounds
    xs = np.zeros(c_in * row_len, x.dtype)
    acc = np.empty(span, x.dtype)
    offs = _tap_offsets(c_in, row_len, kh, kw, dh * wp, dw, 0, 1)
    w2 = np.ascontiguousarray(w).reshape((n_out, c_in * kh * kw))
    for n in range(n_b):
        _load_padded(x, n, xs, row_len, ph, pw, wp)
        for o in range(n_out):
            acc[:] = 0
            _taps_sum(acc, xs, offs, w2[o], span)
            bv = b[o]
            for y in range(oh):
                dst = out[n, o, y]
                a = acc[y * wp:y * wp + ow]
                for q in range(ow):
                    dst[q] = a[q] + bv


@numba.njit(**_OPTS)
def direct_grad_input(g, w, gin, ph, pw, dh, dw):
    """``gin`` (N,C,H,W) = gradient of :func:`direct_forward` for ``g`` (N,O,oH,oW) (overwritten).

    Gather form: ``gin_wide[c, p] = sum_(o,i,j) w[o,c,i,j] * g_wide[o, p - i*dH*Wp - j*dW]``, with ``g_wide``
    stored after a zero margin (and zero past ``oW`` in each row) so that every tap reads in bounds.
    """
    n_b, c_in, h, wd = gin.shape
    n_out, _, kh, kw = w.shape
    hp, wp = h + 2 * ph, wd + 2 * pw
    margin = (kh - 1) * dh * wp + (kw - 1) * dw
    row_len = margin + hp * wp
    gs = np.zeros(n_out * row_len, g.dtype)
    acc = np.empty(hp * wp, g.dtype)
    offs = _tap_offsets(n_out, row_len, kh, kw, dh * wp, dw, margin, -1)
    wt = np.ascontiguousarray(w.transpose(1, 0, 2, 3)).reshape((c_in, n_out * kh * kw))
    for n in range(n_b):
        _load_wide(g, n, gs, row_len, margin, wp)
        for c in range(c_in):
            acc[:] = 0
            _taps_sum(acc, gs, offs, wt[c], hp * wp)
            for y in range(h):
                dst = gin[n, c, y]
                a = acc[(y + ph) * wp + pw:(y + ph) * wp + pw + wd]
                for q in range(wd):
                    dst[q] = a[q]


@numba.njit(**_OPTS)
def direct_grad_weight(x, g, gw, gb, with_bias, scale, ph, pw, dh, dw):
    """``gw`` (O,C,kH,kW) += scale * dL/dw and, if ``with_bias``, ``gb`` (O,) += scale * dL/db.

    Per-sample dot products run in the data type; the sums over the batch in float64.
    """
    n_b, c_in, h, wd = x.shape
    n_out, _, kh, kw = gw.shape
    oh = g.shape[2]
    hp, wp = h + 2 * ph, wd + 2 * pw
    span = oh * wp
    row_len = hp * wp + kw * dw
    xs = np.zeros(c_in * row_len, x.dtype)
    gs = np.zeros(n_out * span, g.dtype)
    ntap = c_in * kh * kw
    accw = np.zeros((n_out, ntap), np.float64)
    accb = np.zeros(n_out, np.float64)
    offs = _tap_offsets(c_in, row_len, kh, kw, dh * wp, dw, 0, 1)
    zero = g.dtype.type(0)
    for n in range(n_b):
        _load_padded(x, n, xs, row_len, ph, pw, wp)
        _load_wide(g, n, gs, span, 0, wp)
        for o in range(n_out):
            gr = gs[o * span:(o + 1) * span]
            if with_bias:
                s = zero
                for q in range(span):
                    s += gr[q]
                accb[o] += s
            _taps_dot(accw[o], gr, xs, offs, span)
    for o in range(n_out):
        if with_bias:
            gb[o] += scale * accb[o]
        for c in range(c_in):
            for i in range(kh):
                for j in range(kw):
                    gw[o, c, i, j] += scale * accw[o, (c * kh + i) * kw + j]


@numba.njit(**_OPTS)
def col2im(cols, out, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow):
    """``out`` (N,C,H,W) = sum of the patches in ``cols`` ((C*kh*kw, N*oh*ow), rows (c,i,j), columns (n,y,x)).

    ``cols`` is read once, in order; each (c, i, j) row adds into the c planes of the whole batch.
    """
    n_b, c_in, h, wd = out.shape
    out[...] = 0
    c6 = cols.reshape((c_in, kh, kw, n_b, oh, ow))
    for c in range(c_in):
        for i in range(kh):
            for j in range(kw):
                x0 = j * dw - pw
                # valid output columns x: 0 <= x*sw + x0 < W
                xlo = 0 if x0 >= 0 else (-x0 + sw - 1) // sw
                xhi = min(ow, (wd - 1 - x0) // sw + 1) if wd - 1 - x0 >= 0 else 0
                for n in range(n_b):
                    for y in range(oh):
                        yy = y * sh + i * dh - ph
                        if yy < 0 or yy >= h or xhi <= xlo:
                            continue
                        src = c6[c, i, j, n, y]
                        dst = out[n, c, yy]
                        if sw == 1:
                            d = dst[xlo + x0:xhi + x0]
                            s = src[xlo:xhi]
                            for q in range(xhi - xlo):
                                d[q] += s[q]
                        else:
                            for q in range(xlo, xhi):
                                dst[q * sw + x0] += src[q]
