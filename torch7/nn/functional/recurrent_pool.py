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
from numba import carray

from torch7._core.pool_gemm import OPTS as _OPTS
from torch7._core.pool_gemm import ROWS as _ROWS
from torch7._core.pool_gemm import gemm_nt as project  # noqa: F401  (recurrent._project's entry)
from torch7._core.pool_gemm import gemm_rows
from torch7._core.pool_gemm import ptr as _ptr
from torch7._core.pool_gemm import run_rows as _run
from torch7._core.pool_gemm import usable as _usable

from . import recurrent_numba as rn


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
