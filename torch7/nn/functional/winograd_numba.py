"""Serial Numba tile transforms of the Winograd F(4x4, 3x3) convolution (optional accelerator of ``winograd.py``).

A 3x3, stride-1 convolution is computed on 6x6 input tiles that overlap by 2 and give 4x4 outputs:
``Y = A^T [(G g G^T) * (B^T d B)] A`` (Lavin and Gray, "Fast Algorithms for Convolutional Neural
Networks", 2016, interpolation points 0, 1, -1, 2, -2 and infinity). The 36 products of one tile are
summed over the channels by 36 GEMMs (``winograd.py``), so a layer does 36 multiply-adds per 16 outputs
and channel pair instead of 144.

Layouts: a transformed tensor is ``(36*K, P)`` (a ``(36, K, P)`` stack of GEMM operands), row
``xi*K + k`` for position ``xi = 6*i + j`` of the 6x6 tile and channel ``k``, column
``p = (n*tH + ty)*tW + tx`` for the tile. Each kernel handles one (image, channel) plane at a time and
runs its arithmetic over the ``tH*tW`` tiles of that plane as contiguous vectors, one row of the
transform matrix after another, so LLVM vectorises every inner loop.
"""

from __future__ import annotations

import numba
import numpy as np

_TILES = 512  # tiles per transform vector (see _block)
_INF = np.inf
_OPTS = {"cache": True, "fastmath": {"nsz", "arcp", "contract", "reassoc"}, "error_model": "numpy", "nogil": True}

# B^T (6x6), A^T (4x6), G (6x3) of F(4, 3); checked against direct correlation in the tests.
BT = np.array([[4, 0, -5, 0, 1, 0],
               [0, -4, -4, 1, 1, 0],
               [0, 4, -4, -1, 1, 0],
               [0, -2, -1, 2, 1, 0],
               [0, 2, -1, -2, 1, 0],
               [0, 4, 0, -5, 0, 1]], np.float64)
AT = np.array([[1, 1, 1, 1, 1, 0],
               [0, 1, -1, 2, -2, 0],
               [0, 1, 1, 4, 4, 0],
               [0, 1, -1, 8, -8, 1]], np.float64)
G = np.array([[1 / 4, 0, 0],
              [-1 / 6, -1 / 6, -1 / 6],
              [-1 / 6, 1 / 6, -1 / 6],
              [1 / 24, 1 / 12, 1 / 6],
              [1 / 24, -1 / 12, 1 / 6],
              [0, 0, 1]], np.float64)


# One pass per output vector: the six (or four) input rows are read once and every output row written once.
# ``src``/``dst`` are C-contiguous 2-D arrays; the rows used are ``s0 + k*ss`` (``d0 + k*ds``), each from column
# ``sc`` (``dc``) for ``n`` values, taken as 1-D views indexed from 0 so that LLVM vectorises the loop.

@numba.njit(**_OPTS)
def _bt(src, s0, ss, sc, dst, d0, ds, dc, n):
    """Rows of ``B^T`` applied to 6 rows: ``dst_i = sum_k BT[i, k] src_k``."""
    x0, x1, x2 = src[s0, sc:sc + n], src[s0 + ss, sc:sc + n], src[s0 + 2 * ss, sc:sc + n]
    x3, x4, x5 = src[s0 + 3 * ss, sc:sc + n], src[s0 + 4 * ss, sc:sc + n], src[s0 + 5 * ss, sc:sc + n]
    y0, y1, y2 = dst[d0, dc:dc + n], dst[d0 + ds, dc:dc + n], dst[d0 + 2 * ds, dc:dc + n]
    y3, y4, y5 = dst[d0 + 3 * ds, dc:dc + n], dst[d0 + 4 * ds, dc:dc + n], dst[d0 + 5 * ds, dc:dc + n]
    for q in range(n):
        a1, a2, a3, a4 = x1[q], x2[q], x3[q], x4[q]
        p, m = a4 - 4 * a2, a3 - 4 * a1
        r, u = a4 - a2, 2 * (a3 - a1)
        y0[q] = 4 * x0[q] - 5 * a2 + a4
        y1[q] = p + m
        y2[q] = p - m
        y3[q] = r + u
        y4[q] = r - u
        y5[q] = 4 * a1 - 5 * a3 + x5[q]


@numba.njit(**_OPTS)
def _b(src, s0, ss, sc, dst, d0, ds, dc, n):
    """The adjoint of :func:`_bt`: ``dst_k = sum_i BT[i, k] src_i``."""
    x0, x1, x2 = src[s0, sc:sc + n], src[s0 + ss, sc:sc + n], src[s0 + 2 * ss, sc:sc + n]
    x3, x4, x5 = src[s0 + 3 * ss, sc:sc + n], src[s0 + 4 * ss, sc:sc + n], src[s0 + 5 * ss, sc:sc + n]
    y0, y1, y2 = dst[d0, dc:dc + n], dst[d0 + ds, dc:dc + n], dst[d0 + 2 * ds, dc:dc + n]
    y3, y4, y5 = dst[d0 + 3 * ds, dc:dc + n], dst[d0 + 4 * ds, dc:dc + n], dst[d0 + 5 * ds, dc:dc + n]
    for q in range(n):
        a0, a1, a2, a3, a4, a5 = x0[q], x1[q], x2[q], x3[q], x4[q], x5[q]
        y0[q] = 4 * a0
        y1[q] = 4 * (a2 - a1 + a5) + 2 * (a4 - a3)
        y2[q] = -5 * a0 - 4 * (a1 + a2) - a3 - a4
        y3[q] = a1 - a2 + 2 * (a3 - a4) - 5 * a5
        y4[q] = a0 + a1 + a2 + a3 + a4
        y5[q] = a5


@numba.njit(**_OPTS)
def _at(src, s0, ss, sc, dst, d0, ds, dc, n):
    """Rows of ``A^T`` applied to 6 rows, giving 4: ``dst_a = sum_i AT[a, i] src_i``."""
    x0, x1, x2 = src[s0, sc:sc + n], src[s0 + ss, sc:sc + n], src[s0 + 2 * ss, sc:sc + n]
    x3, x4, x5 = src[s0 + 3 * ss, sc:sc + n], src[s0 + 4 * ss, sc:sc + n], src[s0 + 5 * ss, sc:sc + n]
    y0, y1 = dst[d0, dc:dc + n], dst[d0 + ds, dc:dc + n]
    y2, y3 = dst[d0 + 2 * ds, dc:dc + n], dst[d0 + 3 * ds, dc:dc + n]
    for q in range(n):
        a1, a2, a3, a4 = x1[q], x2[q], x3[q], x4[q]
        sp, sm, tp, tm = a1 + a2, a1 - a2, a3 + a4, a3 - a4
        y0[q] = x0[q] + sp + tp
        y1[q] = sm + 2 * tm
        y2[q] = sp + 4 * tp
        y3[q] = sm + 8 * tm + x5[q]


@numba.njit(**_OPTS)
def _a(src, s0, ss, sc, dst, d0, ds, dc, n):
    """The adjoint of :func:`_at`, 4 rows to 6: ``dst_i = sum_a AT[a, i] src_a``."""
    x0, x1 = src[s0, sc:sc + n], src[s0 + ss, sc:sc + n]
    x2, x3 = src[s0 + 2 * ss, sc:sc + n], src[s0 + 3 * ss, sc:sc + n]
    y0, y1, y2 = dst[d0, dc:dc + n], dst[d0 + ds, dc:dc + n], dst[d0 + 2 * ds, dc:dc + n]
    y3, y4, y5 = dst[d0 + 3 * ds, dc:dc + n], dst[d0 + 4 * ds, dc:dc + n], dst[d0 + 5 * ds, dc:dc + n]
    for q in range(n):
        a0, a1, a2, a3 = x0[q], x1[q], x2[q], x3[q]
        e, o, e4, o8 = a0 + a2, a1 + a3, a0 + 4 * a2, 2 * a1 + 8 * a3
        y0[q] = a0
        y1[q] = e + o
        y2[q] = e - o
        y3[q] = e4 + o8
        y4[q] = e4 - o8
        y5[q] = a3


@numba.njit(**_OPTS)
def _n_cols(n_tiles, size, b):
    """How many of ``n_tiles`` tiles have their column (or row) ``b`` inside ``size``."""
    return min(n_tiles, max(0, (size - b + 3) // 4))


@numba.njit(**_OPTS)
def _block(n_b, nt):
    """Images per block: the transforms run over ``block*nt`` tiles at once (a few KiB per vector)."""
    return max(1, min(n_b, _TILES // nt))


@numba.njit(**_OPTS)
def _split4(src, n, dst, r0, r_step):
    """``dst[r0 + b*r_step, t] = src[4*t + b]`` for t < n, b < 4: all four phases in one loop body, which
    LLVM turns into wide loads and shuffles (a strided loop per phase becomes gathers, slow on this CPU)."""
    for t in range(n):
        j = 4 * t
        dst[r0, t] = src[j]
        dst[r0 + r_step, t] = src[j + 1]
        dst[r0 + 2 * r_step, t] = src[j + 2]
        dst[r0 + 3 * r_step, t] = src[j + 3]


@numba.njit(**_OPTS)
def _join4(src, r0, r_step, n, dst):
    """The inverse of :func:`_split4`: ``dst[4*t + b] = src[r0 + b*r_step, t]``."""
    for t in range(n):
        j = 4 * t
        dst[j] = src[r0, t]
        dst[j + 1] = src[r0 + r_step, t]
        dst[j + 2] = src[r0 + 2 * r_step, t]
        dst[j + 3] = src[r0 + 3 * r_step, t]


@numba.njit(**_OPTS)
def _shift(src, dst, n):
    """``dst[j] = src[j + 1]`` for j < n (loops index 1-D views from 0: numba then drops its
    negative-index wraparound and LLVM vectorises)."""
    s = src[1:n + 1]
    for j in range(n):
        dst[j] = s[j]


@numba.njit(**_OPTS)
def _shift_add(src, dst, n):
    """``dst[j + 1] += src[j]`` for j < n."""
    d = dst[1:n + 1]
    for j in range(n):
        d[j] += src[j]


@numba.njit(**_OPTS)
def input_transform(x, ph, pw, th, tw, v):
    """``v`` (36*C, N*tH*tW) = ``B^T d B`` of every 6x6 tile of ``x`` (N, C, H, W) zero-padded by (ph, pw).

    Per block of images, row ``k`` of every tile (padded row ``4*ty + k``) is laid out as one flat
    row per tile row, ``rows[k, (i*tH + ty)*4tW + col]``; its four phases are tile columns 0-3 of
    ``d``, and columns 4-5 are columns 0-1 of the next tile, except in the last tile of a row, whose
    two extra columns (``4tW``, ``4tW + 1``) are kept in ``ext``.
    """
    n_b, c_in, h, w = x.shape
    nt = th * tw
    blk = _block(n_b, nt)
    w4 = 4 * tw
    rows = np.zeros((6, blk * th * w4), x.dtype)  # positions never written stay zero: the padding
    ext = np.zeros((6, blk * th, 2), x.dtype)
    d = np.empty((36, blk * nt), x.dtype)
    t = np.empty((36, blk * nt), x.dtype)
    q0, q1 = max(0, -pw), min(w, w4 + 2 - pw)  # the columns of x inside the tiles
    qe = min(q1, w4 - pw)  # ... and those before the two extra columns
    for c in range(c_in):
        for n0 in range(0, n_b, blk):
            nb = min(blk, n_b - n0)
            ln = nb * nt
            for i in range(nb):
                for ty in range(th):
                    rr = i * th + ty
                    for k in range(6):
                        y = 4 * ty + k - ph
                        if y < 0 or y >= h:
                            continue
                        src = x[n0 + i, c, y, q0:q1]
                        dst = rows[k, rr * w4 + pw + q0:rr * w4 + pw + qe]
                        for q in range(qe - q0):
                            dst[q] = src[q]
                        for q in range(qe - q0, q1 - q0):
                            ext[k, rr, pw + q0 + q - w4] = src[q]
            for k in range(6):
                _split4(rows[k], ln, d, 6 * k, 1)
                _shift(d[6 * k], d[6 * k + 4], ln - 1)
                _shift(d[6 * k + 1], d[6 * k + 5], ln - 1)
                for rr in range(nb * th):
                    j = rr * tw + tw - 1
                    d[6 * k + 4, j] = ext[k, rr, 0]
                    d[6 * k + 5, j] = ext[k, rr, 1]
            for m in range(6):  # B^T over the tile's rows
                _bt(d, m, 6, 0, t, m, 6, 0, ln)
            for i in range(6):  # ... then over its columns
                _bt(t, 6 * i, 1, 0, v, 6 * i * c_in + c, c_in, n0 * nt, ln)


@numba.njit(**_OPTS)
def output_transform(m, bias, th, tw, out):
    """``out`` (N, O, oH, oW) = ``A^T M A`` of every tile of ``m`` (36*O, N*tH*tW), cropped, plus ``bias``.

    Returns whether every output is finite, so the caller can redo a layer whose non-finite values the
    transforms spread over whole tiles. (Tested as ``abs(v) < inf``: numba's ``isfinite`` is folded away
    under the nsz + reassoc fast-math flags.)
    """
    bad = 0
    n_b, n_out, oh, ow = out.shape
    nt = th * tw
    blk = _block(n_b, nt)
    w4 = 4 * tw
    s = np.empty((24, blk * nt), out.dtype)
    y = np.empty((16, blk * nt), out.dtype)
    row = np.empty(blk * nt * 4, out.dtype)
    for o in range(n_out):
        bv = bias[o]
        for n0 in range(0, n_b, blk):
            nb = min(blk, n_b - n0)
            ln = nb * nt
            for j in range(6):
                _at(m, j * n_out + o, 6 * n_out, n0 * nt, s, j, 6, 0, ln)
            for a in range(4):
                _at(s, 6 * a, 1, 0, y, 4 * a, 1, 0, ln)
            for a in range(4):
                _join4(y, 4 * a, 1, ln, row)  # row (i*tH + ty) of the block's output rows 4*ty + a
                for i in range(nb):
                    for ty in range(_n_cols(th, oh, a)):
                        dst = out[n0 + i, o, 4 * ty + a]
                        src = row[(i * th + ty) * w4:(i * th + ty) * w4 + ow]
                        for q in range(ow):
                            v = src[q] + bv
                            dst[q] = v
                            bad += 0 if abs(v) < _INF else 1
    return bad == 0


@numba.njit(**_OPTS)
def grad_output_transform(g, th, tw, gt):
    """``gt`` (36*O, N*tH*tW) = ``A e A^T`` of every 4x4 tile ``e`` of ``g`` (N, O, oH, oW), zero past the edges."""
    n_b, n_out, oh, ow = g.shape
    nt = th * tw
    blk = _block(n_b, nt)
    w4 = 4 * tw
    e = np.empty((16, blk * nt), g.dtype)
    s = np.empty((24, blk * nt), g.dtype)
    rows = np.zeros((4, blk * nt * 4), g.dtype)  # positions never written stay zero: past the edges
    for o in range(n_out):
        for n0 in range(0, n_b, blk):
            nb = min(blk, n_b - n0)
            ln = nb * nt
            for a in range(4):
                for i in range(nb):
                    for ty in range(_n_cols(th, oh, a)):
                        src = g[n0 + i, o, 4 * ty + a]
                        dst = rows[a, (i * th + ty) * w4:(i * th + ty) * w4 + ow]
                        for q in range(ow):
                            dst[q] = src[q]
                _split4(rows[a], ln, e, 4 * a, 1)
            for b in range(4):
                _a(e, b, 4, 0, s, b, 4, 0, ln)
            for i in range(6):
                _a(s, 4 * i, 1, 0, gt, 6 * i * n_out + o, n_out, n0 * nt, ln)


@numba.njit(**_OPTS)
def input_transform_adjoint(dv, ph, pw, th, tw, gin):
    """``gin`` (N, C, H, W) = the adjoint of :func:`input_transform` applied to ``dv`` (overwritten).

    Returns whether every value written is finite (as :func:`output_transform`).
    """
    bad = 0
    n_b, c_in, h, w = gin.shape
    nt = th * tw
    blk = _block(n_b, nt)
    w4 = 4 * tw
    t = np.empty((36, blk * nt), gin.dtype)
    dd = np.empty((36, blk * nt), gin.dtype)
    ext = np.empty((blk * th, 2), gin.dtype)
    row = np.empty(blk * nt * 4, gin.dtype)
    q0, q1 = max(0, -pw), min(w, w4 + 2 - pw)
    qe = min(q1, w4 - pw)
    for c in range(c_in):
        for n0 in range(0, n_b, blk):
            nb = min(blk, n_b - n0)
            ln = nb * nt
            for i in range(6):
                _b(dv, 6 * i * c_in + c, c_in, n0 * nt, t, 6 * i, 1, 0, ln)
            for m in range(6):
                _b(t, m, 6, 0, dd, m, 6, 0, ln)
            for i in range(nb):
                gin[n0 + i, c] = 0
            for k in range(6):
                # tile columns 4-5 are columns 0-1 of the next tile, or the row's two extra columns
                for rr in range(nb * th):
                    j = rr * tw + tw - 1
                    ext[rr, 0] = dd[6 * k + 4, j]
                    ext[rr, 1] = dd[6 * k + 5, j]
                    dd[6 * k + 4, j] = 0
                    dd[6 * k + 5, j] = 0
                _shift_add(dd[6 * k + 4], dd[6 * k], ln - 1)
                _shift_add(dd[6 * k + 5], dd[6 * k + 1], ln - 1)
                _join4(dd, 6 * k, 1, ln, row)
                for i in range(nb):
                    for ty in range(th):
                        y = 4 * ty + k - ph
                        if y < 0 or y >= h:
                            continue
                        rr = i * th + ty
                        dst = gin[n0 + i, c, y, q0:q1]
                        src = row[rr * w4 + pw + q0:rr * w4 + pw + qe]
                        for q in range(qe - q0):
                            dst[q] += src[q]
                        for q in range(qe - q0, q1 - q0):
                            dst[q] += ext[rr, pw + q0 + q - w4]
            for i in range(nb):
                for y in range(h):
                    r = gin[n0 + i, c, y]
                    for q in range(w):
                        bad += 0 if abs(r[q]) < _INF else 1
    return bad == 0
