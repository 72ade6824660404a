"""Serial Numba kernels for 2-D convolution (optional accelerator of ``conv2d.py``).

Importing this module imports ``numba``; ``_numba.kernels`` returns ``None`` instead when that fails,
and ``conv2d.py`` keeps its NumPy path. Kernels are serial on purpose: parallel kernels alternating
with multi-threaded OpenBLAS calls make the two thread pools fight (cpu-performance-notes.md).

``col2im`` replaces the ``kH*kW`` strided NumPy slice adds. The ``direct_*`` kernels compute a
stride-1 convolution without im2col columns, for layers with few channels (a CIFAR net's first
layers), where the columns are many times larger than the data and the GEMM is memory-bound (the
threshold and its measurements are at ``conv2d.DIRECT_MAX``).
They use "wide" rows: a padded input plane is a flat row of ``Hp*Wp`` values, and an output plane
is computed ``Wp`` wide (the last ``Wp - oW`` values of each row are discarded), so that every
kernel tap ``(i, j)`` is one contiguous multiply-add over ``oH*Wp`` values at offset ``i*dH*Wp + j*dW``.
A pass computes 3 output planes from 4 taps (``_sum3``; ``_dot3`` for the weight gradient: 3 planes x 4 taps)
so each loaded value feeds 3 accumulators; left-over planes take the 1-plane, 8-tap ``_taps_sum``/``_taps_dot``.
Small planes are batched: ``_group`` images sit side by side in each wide row (row ``y`` of image ``b`` at
``y*B*Wp + b*Wp``), so a pass is long enough to amortise its set-up; the columns an image's taps run into
past its right edge belong to the discarded ``Wp - oW`` columns.
Every inner loop runs over 1-D views, so LLVM sees no aliasing and vectorises it.
"""

from __future__ import annotations

import numba
import numpy as np

_FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}  # no "nnan"/"ninf": NaN and inf must propagate
_OPTS = {"cache": True, "fastmath": _FAST, "error_model": "numpy", "nogil": True}
_INF = np.inf  # finiteness is tested as abs(v) < _INF: numba's isfinite is folded away under nsz + reassoc
_SPAN = 1536  # values per pass a group of images side by side aims at (see _group)


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
def _sum3(acc, pst, span, src, offs, wm, k):
    """Planes ``r`` < 3 of ``acc`` (``r*pst + q``) ``+= sum_t wm[k + r, t] * src[offs[t] + q]``: 4 taps per pass.

    Register blocking: each loaded ``src`` value feeds 3 planes, so a pass does 12 multiply-adds per
    4 loads and 3 load/stores of ``acc`` (about 2x the single-plane ``_taps_sum`` on a CIFAR layer).
    """
    a0, a1, a2 = acc[:span], acc[pst:pst + span], acc[2 * pst:2 * pst + span]
    nt = offs.shape[0]
    t = 0
    while t + 4 <= nt:
        s0, s1 = src[offs[t]:offs[t] + span], src[offs[t + 1]:offs[t + 1] + span]
        s2, s3 = src[offs[t + 2]:offs[t + 2] + span], src[offs[t + 3]:offs[t + 3] + span]
        u0, u1, u2, u3 = wm[k, t], wm[k, t + 1], wm[k, t + 2], wm[k, t + 3]
        v0, v1, v2, v3 = wm[k + 1, t], wm[k + 1, t + 1], wm[k + 1, t + 2], wm[k + 1, t + 3]
        z0, z1, z2, z3 = wm[k + 2, t], wm[k + 2, t + 1], wm[k + 2, t + 2], wm[k + 2, t + 3]
        for q in range(span):
            x0, x1, x2, x3 = s0[q], s1[q], s2[q], s3[q]
            a0[q] += (u0 * x0 + u1 * x1) + (u2 * x2 + u3 * x3)
            a1[q] += (v0 * x0 + v1 * x1) + (v2 * x2 + v3 * x3)
            a2[q] += (z0 * x0 + z1 * x1) + (z2 * x2 + z3 * x3)
        t += 4
    while t < nt:
        s0 = src[offs[t]:offs[t] + span]
        u0, v0, z0 = wm[k, t], wm[k + 1, t], wm[k + 2, t]
        for q in range(span):
            x0 = s0[q]
            a0[q] += u0 * x0
            a1[q] += v0 * x0
            a2[q] += z0 * x0
        t += 1


@numba.njit(**_OPTS)
def _planes_sum(acc, pst, span, src, offs, wm):
    """Plane ``k`` of ``acc`` (at ``k*pst``) ``+= sum_t wm[k, t] * src[offs[t] + q]``, all k: 3 per pass, then 1."""
    n = wm.shape[0]
    k = 0
    while k + 3 <= n:
        _sum3(acc[k * pst:], pst, span, src, offs, wm, k)
        k += 3
    while k < n:
        _taps_sum(acc[k * pst:k * pst + span], src, offs, wm[k], span)
        k += 1


@numba.njit(**_OPTS)
def _dot3(res, gs, span, src, offs, k):
    """``res[k + r, t] += sum_q gs[r*span + q] * src[offs[t] + q]`` for r < 3: 3 planes x 4 taps per pass."""
    g0, g1, g2 = gs[:span], gs[span:2 * span], gs[2 * span:3 * span]
    zero = gs.dtype.type(0)
    nt = offs.shape[0]
    t = 0
    while t < nt:
        m = min(4, nt - t)  # a short last group repeats tap t (its sums are dropped)
        o1, o2, o3 = offs[t + min(1, m - 1)], offs[t + min(2, m - 1)], offs[t + min(3, m - 1)]
        s0, s1 = src[offs[t]:offs[t] + span], src[o1:o1 + span]
        s2, s3 = src[o2:o2 + span], src[o3:o3 + span]
        d00 = d01 = d02 = d03 = d10 = d11 = d12 = d13 = d20 = d21 = d22 = d23 = zero
        for q in range(span):
            x0, x1, x2, x3 = s0[q], s1[q], s2[q], s3[q]
            y0, y1, y2 = g0[q], g1[q], g2[q]
            d00 += y0 * x0
            d01 += y0 * x1
            d02 += y0 * x2
            d03 += y0 * x3
            d10 += y1 * x0
            d11 += y1 * x1
            d12 += y1 * x2
            d13 += y1 * x3
            d20 += y2 * x0
            d21 += y2 * x1
            d22 += y2 * x2
            d23 += y2 * x3
        sums = ((d00, d01, d02, d03), (d10, d11, d12, d13), (d20, d21, d22, d23))
        for r in range(3):
            row = sums[r]
            for u in range(m):
                res[k + r, t + u] += row[u]
        t += 4


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
def _stride(span):
    """Distance between accumulator planes: an odd multiple of 16 values, so that the planes a pass writes
    are never a multiple of 4 KiB apart (4K aliasing made stores to one plane stall loads of the next)."""
    return (span + 31) // 32 * 32 + 16


@numba.njit(**_OPTS)
def _group(n_b, plane_len):
    """Images per group: enough side by side that a pass spans about ``_SPAN`` values (short passes are slow)."""
    return max(1, min(n_b, _SPAN // max(plane_len, 1)))


@numba.njit(**_OPTS)
def _load_rows(a, n0, nb, dst, row_len, base, wp, bw):
    """Copy images ``n0 .. n0+nb-1`` of ``a`` (N,C,H,W) into ``dst``: plane c at ``c*row_len + base``, row y at
    ``y*bw``, image b at ``b*wp`` (images side by side). Nothing else of ``dst`` is written."""
    for b in range(nb):
        for c in range(a.shape[1]):
            for y in range(a.shape[2]):
                src = a[n0 + b, c, y]
                at = c * row_len + base + y * bw + b * wp
                d = dst[at:at + a.shape[3]]
                for q in range(a.shape[3]):
                    d[q] = src[q]


@numba.njit(**_OPTS)
def direct_forward(x, w, b, out, ph, pw, dh, dw):
    """``out`` (N,O,oH,oW) = stride-1 convolution of ``x`` (N,C,H,W) by ``w`` (O,C,kH,kW) plus ``b`` (O,)."""
    n_b, c_in, h, wd = x.shape
    n_out, _, kh, kw = w.shape
    oh, ow = out.shape[2], out.shape[3]
    hp, wp = h + 2 * ph, wd + 2 * pw
    grp = _group(n_b, oh * wp)
    bw = grp * wp
    span = oh * bw
    row_len = hp * bw + kw * dw  # the slack keeps the last taps' reads in bounds
    xs = np.zeros(c_in * row_len, x.dtype)
    pst = _stride(span)
    acc = np.empty(n_out * pst, x.dtype)
    offs = _tap_offsets(c_in, row_len, kh, kw, dh * bw, dw, 0, 1)
    w2 = np.ascontiguousarray(w).reshape((n_out, c_in * kh * kw))
    for n0 in range(0, n_b, grp):
        nb = min(grp, n_b - n0)
        _load_rows(x, n0, nb, xs, row_len, ph * bw + pw, wp, bw)
        acc[:] = 0
        _planes_sum(acc, pst, span, xs, offs, w2)
        for b0 in range(nb):
            for o in range(n_out):
                bv = b[o]
                for y in range(oh):
                    dst = out[n0 + b0, o, y]
                    at = o * pst + y * bw + b0 * wp
                    a = acc[at:at + ow]
                    for q in range(ow):
                        dst[q] = a[q] + bv


@numba.njit(**_OPTS)
def direct_grad_input(g, w, gin, ph, pw, dh, dw):
    """``gin`` (N,C,H,W) = gradient of :func:`direct_forward` for ``g`` (N,O,oH,oW) (overwritten).

    Gather form: ``gin_wide[c, p] = sum_(o,i,j) w[o,c,i,j] * g_wide[o, p - i*dH*Wp - j*dW]``, with ``g_wide``
    stored after a zero margin (and zero past ``oW`` in each row) so that every tap reads in bounds; a tap
    that runs off the left of an image reads the zero columns of its left neighbour.
    """
    n_b, c_in, h, wd = gin.shape
    n_out, _, kh, kw = w.shape
    hp, wp = h + 2 * ph, wd + 2 * pw
    grp = _group(n_b, hp * wp)
    bw = grp * wp
    margin = (kh - 1) * dh * bw + (kw - 1) * dw
    plane = hp * bw
    row_len = margin + plane
    gs = np.zeros(n_out * row_len, g.dtype)
    pst = _stride(plane)
    acc = np.empty(c_in * pst, g.dtype)
    offs = _tap_offsets(n_out, row_len, kh, kw, dh * bw, dw, margin, -1)
    wt = np.ascontiguousarray(w.transpose(1, 0, 2, 3)).reshape((c_in, n_out * kh * kw))
    for n0 in range(0, n_b, grp):
        nb = min(grp, n_b - n0)
        _load_rows(g, n0, nb, gs, row_len, margin, wp, bw)
        acc[:] = 0
        _planes_sum(acc, pst, plane, gs, offs, wt)
        for b0 in range(nb):
            for c in range(c_in):
                for y in range(h):
                    dst = gin[n0 + b0, c, y]
                    at = c * pst + (y + ph) * bw + b0 * wp + pw
                    a = acc[at:at + wd]
                    for q in range(wd):
                        dst[q] = a[q]


@numba.njit(**_OPTS)
def direct_grad_weight(x, g, gw, gb, with_bias, scale, ph, pw, dh, dw):
    """``gw`` (O,C,kH,kW) += scale * dL/dw and, if ``with_bias``, ``gb`` (O,) += scale * dL/db.

    Per-group dot products run in the data type; the sums over the batch in float64.
    Returns False, leaving ``gw``/``gb`` untouched, when a sum is not finite: the wide rows multiply
    gradOutput's discarded columns (zeros) by input values, so an inf there would give NaN where a
    direct sum gives a number.
    """
    n_b, c_in, h, wd = x.shape
    n_out, _, kh, kw = gw.shape
    oh = g.shape[2]
    hp, wp = h + 2 * ph, wd + 2 * pw
    grp = _group(n_b, oh * wp)
    bw = grp * wp
    span = oh * bw
    row_len = hp * bw + kw * dw
    xs = np.zeros(c_in * row_len, x.dtype)
    gs = np.zeros(n_out * span, g.dtype)
    ntap = c_in * kh * kw
    accw = np.zeros((n_out, ntap), np.float64)
    accb = np.zeros(n_out, np.float64)
    offs = _tap_offsets(c_in, row_len, kh, kw, dh * bw, dw, 0, 1)
    zero = g.dtype.type(0)
    for n0 in range(0, n_b, grp):
        nb = min(grp, n_b - n0)
        if nb < grp:  # a short last group: the unused images must add nothing
            gs[:] = 0
        _load_rows(x, n0, nb, xs, row_len, ph * bw + pw, wp, bw)
        _load_rows(g, n0, nb, gs, span, 0, wp, bw)
        if with_bias:
            for o in range(n_out):
                gr = gs[o * span:(o + 1) * span]
                s = zero
                for q in range(span):
                    s += gr[q]
                accb[o] += s
        o = 0
        while o + 3 <= n_out:
            _dot3(accw, gs[o * span:(o + 3) * span], span, xs, offs, o)
            o += 3
        while o < n_out:
            _taps_dot(accw[o], gs[o * span:(o + 1) * span], xs, offs, span)
            o += 1
    bad = 0
    for o in range(n_out):
        row = accw[o]
        for t in range(ntap):
            bad += 0 if abs(row[t]) < _INF else 1
        bad += 0 if abs(accb[o]) < _INF else 1
    if bad:  # an inf or NaN: the caller redoes it without the discarded columns (see the docstring)
        return False
    for o in range(n_out):
        if with_bias:
            gb[o] += scale * accb[o]
        for c in range(c_in):
            for i in range(kh):
                for j in range(kw):
                    gw[o, c, i, j] += scale * accw[o, (c * kh + i) * kw + j]
    return True


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
