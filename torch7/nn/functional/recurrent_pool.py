"""Recurrent time loops split by batch rows over OpenBLAS's threads (optional; needs ``numba``).

The rows of a batch never meet inside a recurrent layer: row n of ``h_t`` depends only on row n of
``h_{t-1}``.  So each thread can run the whole time loop for its own rows, with no barrier between
steps.  The threads are OpenBLAS's own workers, reached through :mod:`torch7._core.blaspool`, so no
second pool competes with the GEMMs.  A work item is a Numba ``cfunc`` that runs T steps of one
product and the fused gate math (``recurrent_numba``) for its rows.
- The product ``h_{t-1} W_h`` (``dh W_h^T`` backward) is :func:`gemm_rows`, a register-blocked
  kernel.  NumPy's OpenBLAS is slower here: it copies all of ``W_h`` into its packed layout on every
  call, and calls come once per step and thread.
- Measured, 2 x 128 LSTM, N = T = 50, float32 (benchmarks/RESULTS.md, charrnn): one layer's forward
  loop 4.2 -> 2 ms.

Results differ from the one-thread path only by summation order (products are summed in SIMD lanes).
"""

from __future__ import annotations

import numba
import numpy as np
from numba import carray, types
from numba.extending import intrinsic

from torch7._core import blaspool

from . import recurrent_numba as rn

_OPTS = {"cache": True, "fastmath": rn._FAST, "error_model": "numpy", "nogil": True}
_ROWS = 4  # rows per register block; a work item gets at least this many


@intrinsic
def _ptr(typingctx, addr, like):
    """The integer ``addr`` as a pointer to elements of ``like``'s type."""
    sig = types.CPointer(like)(addr, like)

    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], context.get_value_type(signature.return_type))
    return sig, codegen


@numba.njit(**_OPTS)
def _dot4(a, b0, b1, b2, b3, k):
    s0 = s1 = s2 = s3 = a.dtype.type(0)
    for q in range(k):
        x = a[q]
        s0 += x * b0[q]
        s1 += x * b1[q]
        s2 += x * b2[q]
        s3 += x * b3[q]
    return s0, s1, s2, s3


@numba.njit(**_OPTS)
def gemm_rows(a3, t, r0, r1, b, c):
    """``c[i] = a3[i, t] @ b.T`` for ``r0 <= i < r1``: ``b`` (n, K) and each ``a3[i, t]`` (K,) contiguous.

    4 x 4 blocks of dot products along K keep 16 accumulators in registers.
    """
    n, k = b.shape
    i = r0
    while i + 4 <= r1:
        a0, a1, a2, a3_ = a3[i, t], a3[i + 1, t], a3[i + 2, t], a3[i + 3, t]
        j = 0
        while j + 4 <= n:
            b0, b1, b2, b3 = b[j], b[j + 1], b[j + 2], b[j + 3]
            s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = a0.dtype.type(0)
            s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = a0.dtype.type(0)
            for q in range(k):
                x0, x1, x2, x3 = a0[q], a1[q], a2[q], a3_[q]
                y0, y1, y2, y3 = b0[q], b1[q], b2[q], b3[q]
                s00 += x0 * y0
                s01 += x0 * y1
                s02 += x0 * y2
                s03 += x0 * y3
                s10 += x1 * y0
                s11 += x1 * y1
                s12 += x1 * y2
                s13 += x1 * y3
                s20 += x2 * y0
                s21 += x2 * y1
                s22 += x2 * y2
                s23 += x2 * y3
                s30 += x3 * y0
                s31 += x3 * y1
                s32 += x3 * y2
                s33 += x3 * y3
            c[i, j], c[i, j + 1], c[i, j + 2], c[i, j + 3] = s00, s01, s02, s03
            c[i + 1, j], c[i + 1, j + 1], c[i + 1, j + 2], c[i + 1, j + 3] = s10, s11, s12, s13
            c[i + 2, j], c[i + 2, j + 1], c[i + 2, j + 2], c[i + 2, j + 3] = s20, s21, s22, s23
            c[i + 3, j], c[i + 3, j + 1], c[i + 3, j + 2], c[i + 3, j + 3] = s30, s31, s32, s33
            j += 4
        for jj in range(j, n):
            c[i, jj], c[i + 1, jj], c[i + 2, jj], c[i + 3, jj] = _dot4(b[jj], a0, a1, a2, a3_, k)
        i += 4
    for ii in range(i, r1):
        a = a3[ii, t]
        j = 0
        while j + 4 <= n:
            c[ii, j], c[ii, j + 1], c[ii, j + 2], c[ii, j + 3] = _dot4(a, b[j], b[j + 1], b[j + 2], b[j + 3], k)
            j += 4
        for jj in range(j, n):
            s = a.dtype.type(0)
            for q in range(k):
                s += a[q] * b[jj, q]
            c[ii, jj] = s


@numba.njit(**_OPTS)
def _hidden_product(h03, out, t, r0, r1, wht, hh):
    """``hh = h_{t-1} @ W_h`` for rows [r0, r1): ``h_{-1}`` is h0, seen as (N, 1, H)."""
    if t == 0:
        gemm_rows(h03, 0, r0, r1, wht, hh)
    else:
        gemm_rows(out, t - 1, r0, r1, wht, hh)


def _lstm_forward_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: forward time loop of the LSTM for batch rows [r0, r1) (see :func:`lstm_forward`)."""
    like = like_ptr[0]
    tk = carray(task, 16)
    n, steps, hid = tk[0], tk[1], tk[2]
    g = 4 * hid
    gates = carray(_ptr(tk[3], like), (n, steps, g))
    hh = carray(_ptr(tk[4], like), (n, g))
    bias = carray(_ptr(tk[5], like), (g,))
    h0 = carray(_ptr(tk[6], like), (n, 1, hid))
    c0 = carray(_ptr(tk[7], like), (n, hid))
    cell = carray(_ptr(tk[8], like), (n, steps, hid))
    out = carray(_ptr(tk[9], like), (n, steps, hid))
    wht = carray(_ptr(tk[10], like), (g, hid))
    for t in range(steps):
        _hidden_product(h0, out, t, r0, r1, wht, hh)
        rn.lstm_forward_rows(gates, hh, bias, c0, cell, out, t, r0, r1)
    return 0


def _lstm_backward_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: backward time loop of the LSTM for batch rows [r0, r1) (see :func:`lstm_backward`)."""
    like = like_ptr[0]
    tk = carray(task, 16)
    n, steps, hid = tk[0], tk[1], tk[2]
    g = 4 * hid
    gates = carray(_ptr(tk[3], like), (n, steps, g))
    c0 = carray(_ptr(tk[4], like), (n, hid))
    cell = carray(_ptr(tk[5], like), (n, steps, hid))
    grad_out = carray(_ptr(tk[6], like), (n, steps, hid))
    dh = carray(_ptr(tk[7], like), (n, hid))
    dc = carray(_ptr(tk[8], like), (n, hid))
    grad_a = carray(_ptr(tk[9], like), (n, steps, g))
    wh = carray(_ptr(tk[10], like), (hid, g))
    for t in range(steps - 1, -1, -1):
        rn.lstm_backward_rows(gates, c0, cell, grad_out, dh, dc, grad_a, t, r0, r1)
        gemm_rows(grad_a, t, r0, r1, wh, dh)
    return 0


def _gru_forward_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: forward time loop of the GRU for batch rows [r0, r1) (see :func:`gru_forward`)."""
    like = like_ptr[0]
    tk = carray(task, 16)
    n, steps, hid = tk[0], tk[1], tk[2]
    gates = carray(_ptr(tk[3], like), (n, steps, 4 * hid))
    hh = carray(_ptr(tk[4], like), (n, 3 * hid))
    bias = carray(_ptr(tk[5], like), (4 * hid,))
    h0 = carray(_ptr(tk[6], like), (n, hid))
    h03 = carray(_ptr(tk[6], like), (n, 1, hid))
    out = carray(_ptr(tk[7], like), (n, steps, hid))
    wht = carray(_ptr(tk[8], like), (3 * hid, hid))
    for t in range(steps):
        _hidden_product(h03, out, t, r0, r1, wht, hh)
        rn.gru_forward_rows(gates, hh, bias, h0, out, t, r0, r1)
    return 0


def _gru_backward_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: backward time loop of the GRU for batch rows [r0, r1) (see :func:`gru_backward`)."""
    like = like_ptr[0]
    tk = carray(task, 16)
    n, steps, hid = tk[0], tk[1], tk[2]
    gates = carray(_ptr(tk[3], like), (n, steps, 4 * hid))
    h0 = carray(_ptr(tk[4], like), (n, hid))
    out = carray(_ptr(tk[5], like), (n, steps, hid))
    grad_out = carray(_ptr(tk[6], like), (n, steps, hid))
    dh = carray(_ptr(tk[7], like), (n, hid))
    dd = carray(_ptr(tk[8], like), (n, 4 * hid))[:, :hid]
    grad_ax = carray(_ptr(tk[9], like), (n, steps, 3 * hid))
    grad_ah = carray(_ptr(tk[10], like), (n, steps, 3 * hid))
    wh = carray(_ptr(tk[11], like), (hid, 3 * hid))
    for t in range(steps - 1, -1, -1):
        rn.gru_backward_rows(gates, h0, out, grad_out, dh, dd, grad_ax, grad_ah, t, r0, r1)
        gemm_rows(grad_ah, t, r0, r1, wh, dh)
    return 0


def _rnn_forward_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: forward time loop of the tanh RNN for batch rows [r0, r1) (see :func:`rnn_forward`)."""
    like = like_ptr[0]
    tk = carray(task, 16)
    n, steps, hid = tk[0], tk[1], tk[2]
    out = carray(_ptr(tk[3], like), (n, steps, hid))
    hh = carray(_ptr(tk[4], like), (n, hid))
    h03 = carray(_ptr(tk[5], like), (n, 1, hid))
    wht = carray(_ptr(tk[6], like), (hid, hid))
    for t in range(steps):
        _hidden_product(h03, out, t, r0, r1, wht, hh)
        rn.rnn_forward_rows(out, hh, t, r0, r1)
    return 0


def _rnn_backward_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: backward time loop of the tanh RNN for batch rows [r0, r1) (see :func:`rnn_backward`)."""
    like = like_ptr[0]
    tk = carray(task, 16)
    n, steps, hid = tk[0], tk[1], tk[2]
    out = carray(_ptr(tk[3], like), (n, steps, hid))
    grad_out = carray(_ptr(tk[4], like), (n, steps, hid))
    dh = carray(_ptr(tk[5], like), (n, hid))
    grad_a = carray(_ptr(tk[6], like), (n, steps, hid))
    wh = carray(_ptr(tk[7], like), (hid, hid))
    for t in range(steps - 1, -1, -1):
        rn.rnn_backward_rows(out, grad_out, dh, grad_a, t, r0, r1)
        gemm_rows(grad_a, t, r0, r1, wh, dh)
    return 0


def _gemm_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: rows [r0, r1) of ``c = a @ b.T`` (see :func:`project`)."""
    like = like_ptr[0]
    tk = carray(task, 8)
    m, n, k = tk[0], tk[1], tk[2]
    a = carray(_ptr(tk[3], like), (m, 1, k))
    b = carray(_ptr(tk[4], like), (n, k))
    c = carray(_ptr(tk[5], like), (m, n))
    gemm_rows(a, 0, r0, r1, b, c)
    return 0


_CFUNCS: dict = {}
_TYPES = {np.dtype(np.float32): types.float32, np.dtype(np.float64): types.float64}


def _item(body, dtype: np.dtype) -> int:
    key = (body.__name__, dtype)
    f = _CFUNCS.get(key)
    if f is None:
        sig = types.intp(types.CPointer(types.int64), types.intp, types.CPointer(_TYPES[dtype]), types.intp,
                         types.intp, types.intp)
        f = _CFUNCS[key] = numba.cfunc(sig, **_OPTS)(body)
    return f.address


def _usable(arrays: list, shapes: list) -> bool:
    """All host arrays of one float dtype, C-contiguous, of the given shapes, and the pool on.  The
    kernels index without bounds checks, so any other layout stays on the checked NumPy path."""
    dt = arrays[0].dtype
    if dt not in _TYPES or not blaspool.available() or not blaspool.use_pool():
        return False
    return all(type(a) is np.ndarray and a.dtype == dt and a.flags.c_contiguous and a.shape == shape
               for a, shape in zip(arrays, shapes, strict=True))


def _run(body, arrays: list, n: int, steps: int, hid: int, like: np.ndarray) -> bool:
    """Run ``body`` on row ranges of ``n`` rows; the task is ``[n, steps, hid, *addresses]``."""
    parts = min(blaspool._lib()[1](), n // _ROWS)
    if parts < 2:
        return False
    task = np.zeros(16, np.int64)
    task[:3 + len(arrays)] = [n, steps, hid] + [a.ctypes.data for a in arrays]
    k, tp, lp = _item(body, like.dtype), task.ctypes.data, like.ctypes.data
    bounds = [n * i // parts for i in range(parts + 1)]
    blaspool._run([(k, tp, bounds[i], lp, bounds[i + 1], 1) for i in range(parts)])
    return True


def lstm_forward(gates, b, h0, c0, cell, out, hh, wh) -> bool:
    """The forward time loop of ``recurrent.lstm_forward`` (after the input projection into ``gates``)
    on the pool; returns False (nothing done) where it does not apply.  ``wh`` is ``W_h`` (H, 4H)."""
    n, steps, hid = cell.shape
    g, seq, row = 4 * hid, (n, steps, hid), (n, hid)
    arrays = [gates, hh, b, h0, c0, cell, out, np.ascontiguousarray(wh.T)]
    if n < 2 * _ROWS or not _usable(arrays, [(n, steps, g), (n, g), (g,), row, row, seq, seq, (g, hid)]):
        return False
    return _run(_lstm_forward_item, arrays, n, steps, hid, b)


def lstm_backward(gates, c0, cell, grad_out, dh, dc, grad_a, wh) -> bool:
    """The backward time loop of ``recurrent.lstm_backward`` on the pool (``dh``/``dc`` zeroed by the
    caller); returns False (nothing done) where it does not apply."""
    n, steps, hid = cell.shape
    g, seq, row = 4 * hid, (n, steps, hid), (n, hid)
    arrays = [gates, c0, cell, grad_out, dh, dc, grad_a, np.ascontiguousarray(wh)]
    if n < 2 * _ROWS or not _usable(arrays, [(n, steps, g), row, seq, seq, row, row, (n, steps, g), (hid, g)]):
        return False
    return _run(_lstm_backward_item, arrays, n, steps, hid, c0)


def gru_forward(gates, b, h0, out, hh, wh) -> bool:
    """The forward time loop of ``recurrent.gru_forward`` on the pool (after the input projection);
    returns False (nothing done) where it does not apply.  ``wh`` is ``W_h`` (H, 3H)."""
    n, steps, hid = out.shape
    arrays = [gates, hh, b, h0, out, np.ascontiguousarray(wh.T)]
    shapes = [(n, steps, 4 * hid), (n, 3 * hid), (4 * hid,), (n, hid), (n, steps, hid), (3 * hid, hid)]
    if n < 2 * _ROWS or not _usable(arrays, shapes):
        return False
    return _run(_gru_forward_item, arrays, n, steps, hid, b)


def gru_backward(gates, h0, out, grad_out, dh, scratch, grad_ax, grad_ah, wh) -> bool:
    """The backward time loop of ``recurrent.gru_backward`` on the pool; ``dh`` and the direct path in
    ``scratch[:, :H]`` are zeroed by the caller, who adds the two afterwards."""
    n, steps, hid = out.shape
    seq, row, g3 = (n, steps, hid), (n, hid), (n, steps, 3 * hid)
    arrays = [gates, h0, out, grad_out, dh, scratch, grad_ax, grad_ah, np.ascontiguousarray(wh)]
    shapes = [(n, steps, 4 * hid), row, seq, seq, row, (n, 4 * hid), g3, g3, (hid, 3 * hid)]
    if n < 2 * _ROWS or not _usable(arrays, shapes):
        return False
    return _run(_gru_backward_item, arrays, n, steps, hid, h0)


def rnn_forward(out, hh, h0, wh) -> bool:
    """The forward time loop of ``recurrent.rnn_forward`` on the pool (``out`` holds ``x W_x + b``)."""
    n, steps, hid = out.shape
    arrays = [out, hh, h0, np.ascontiguousarray(wh.T)]
    if n < 2 * _ROWS or not _usable(arrays, [(n, steps, hid), (n, hid), (n, hid), (hid, hid)]):
        return False
    return _run(_rnn_forward_item, arrays, n, steps, hid, out)


def rnn_backward(out, grad_out, dh, grad_a, wh) -> bool:
    """The backward time loop of ``recurrent.rnn_backward`` on the pool (``dh`` zeroed by the caller)."""
    n, steps, hid = out.shape
    seq = (n, steps, hid)
    arrays = [out, grad_out, dh, grad_a, np.ascontiguousarray(wh)]
    if n < 2 * _ROWS or not _usable(arrays, [seq, seq, (n, hid), seq, (hid, hid)]):
        return False
    return _run(_rnn_backward_item, arrays, n, steps, hid, out)


MIN_PROJECT = 1 << 22  # multiply-adds; below this OpenBLAS's call is as fast (measured)


def project(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> bool:
    """``c = a @ b.T`` for row-contiguous ``a`` (M, K), ``b`` (N, K) and ``c`` (M, N), rows split over
    the pool; returns False (nothing done) where it does not apply.

    OpenBLAS's Haswell kernels (what NumPy runs on the project machine) reach the AVX2 peak, and
    :func:`gemm_rows` compiled for the host's vector width goes past it when K is long and contiguous.
    """
    m, k = a.shape
    n = b.shape[0]
    if m * k * n < MIN_PROJECT or not _usable([a, b, c], [(m, k), (n, k), (m, n)]):
        return False
    return _run(_gemm_item, [a, b, c], m, n, k, c)
