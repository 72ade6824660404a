"""Stateless whole-sequence kernels for nn.LSTM, nn.GRU and nn.RNN (batch-major ``(N, T, .)`` arrays).

Every pass is laid out the same way: one GEMM projects the inputs of all T steps at once, the
loop over time does one ``(N, H) x (H, kH)`` GEMM per step plus the fused gate math, and the
weight gradients are two GEMMs over all N*T rows after the loop (:func:`accumulate_param_grads`).
All buffers come from the caller, so a call allocates nothing that scales with the data.

The gate math runs either as serial Numba kernels (``recurrent_numba.py``, used when ``numba``
imports) or as NumPy ufuncs with ``out=`` buffers; :func:`use_numba` switches between them and the
environment variable ``TORCH7_NUMBA=0`` disables Numba. Both paths give the same results up to
the float32 tanh approximation of the Numba path (about 3e-7). With Numba, batches of 8 or more
rows run each time loop on OpenBLAS's threads, every thread taking whole rows through all T steps
(``recurrent_pool.py``; ``TORCH7_BLASPOOL=0`` keeps them on one thread).

Weight layouts (torch-rnn's): ``w`` is ``(D + H) x kH`` (rows ``:D`` multiply ``x_t``, rows ``D:``
multiply ``h_{t-1}``). LSTM: k = 4, gates i, f, o, g. GRU: k = 3, gates r, z, n, with a bias of
4H (``b_r, b_z, b_xn, b_hn``). RNN: k = 1.

Example:
    >>> import numpy as np
    >>> from torch7.nn.functional import recurrent as R
    >>> N, T, D, H = 2, 3, 4, 5
    >>> x = np.ones((N, T, D)); w = np.full((D + H, H), 0.1); b = np.zeros(H); h0 = np.zeros((N, H))
    >>> out = np.empty((N, T, H)); R.rnn_forward(x, w, b, h0, out, np.empty((N, H)))
    >>> round(float(out[0, 0, 0]), 6) == round(float(np.tanh(0.4)), 6)
    True
"""

from __future__ import annotations

import numpy as np

from . import _numba, recurrent_cuda


def use_numba(flag: bool | None = None) -> bool:
    """Whether the fused Numba kernels run (when ``numba`` is installed); ``flag`` sets it, the old value returns.

    The one switch of every optional Numba kernel (:func:`torch7.nn.functional._numba.use_numba`).
    """
    old = _numba.use_numba() and _numba._load("recurrent_numba") is not None
    _numba.use_numba(flag)
    return old


def _kernels(dtype):
    return _numba.kernels("recurrent_numba", dtype)


def _sigmoid_(a: np.ndarray) -> None:
    """In place: ``a = 0.5 + 0.5 * tanh(a / 2)`` (exact sigmoid, no overflow for large ``|a|``)."""
    np.multiply(a, 0.5, out=a)
    np.tanh(a, out=a)
    np.multiply(a, 0.5, out=a)
    np.add(a, 0.5, out=a)


def _project(x: np.ndarray, wx: np.ndarray, dst: np.ndarray) -> None:
    """``dst`` (N, T, k) = x (N, T, D) @ wx (D, k): one GEMM over the N*T rows."""
    n, t, d = x.shape
    out = dst.reshape(n * t, dst.shape[2])
    if not np.may_share_memory(out, dst):  # a reshape that had to copy would drop the result
        raise ValueError("recurrent._project: the destination cannot be viewed as (N*T, k)")
    pool = _numba.kernels("recurrent_pool", x)
    if pool is not None and pool.project(x.reshape(n * t, d), np.ascontiguousarray(wx.T), out):
        return
    np.matmul(x.reshape(n * t, d), wx, out=out)


def _transpose(a: np.ndarray, dst: np.ndarray) -> None:
    """``dst = a.T`` as a C-contiguous copy: the per-step backward GEMMs run faster on it than on a view."""
    np.copyto(dst, a.T)


# ---- LSTM ----------------------------------------------------------------------------------------------------

def lstm_forward(x, w, b, h0, c0, out, cell, gates, hh) -> None:
    """LSTM over a whole sequence (torch-rnn's nn.LSTM).

    Args:
        x: (N, T, D) C-contiguous input; w: (D+H, 4H) weight; b: (4H,) bias; h0, c0: (N, H).
        out, cell: (N, T, H) hidden and cell states (written); gates: (N, T, 4H), written with the
            activations i, f, o, g that :func:`lstm_backward` needs; hh: (N, 4H) scratch.
    """
    d, hid = x.shape[2], h0.shape[1]
    _project(x, w[:d], gates)
    wh = w[d:]
    seq = recurrent_cuda.lstm_sequence(x, hid, gates, wh, b, h0, c0, cell, out)
    if seq is not None:  # on a GPU: the whole time loop in one launch
        seq.forward(gates, wh, b, h0, c0, cell, out)
        return
    pool = _numba.kernels("recurrent_pool", x)
    if pool is not None and pool.lstm_forward(gates, b, h0, c0, cell, out, hh, wh):
        return  # the time loop ran on OpenBLAS's threads, split by batch rows
    nb = _kernels(x) or recurrent_cuda.lstm_kernels(x)
    if nb is None:
        g2 = gates.reshape(-1, 4 * hid)
        np.add(g2, b, out=g2)
    for t in range(x.shape[1]):
        np.matmul(h0 if t == 0 else out[:, t - 1], wh, out=hh)
        if nb is not None:
            nb.lstm_forward_step(gates, hh, b, c0, cell, out, t)
        else:
            _lstm_step(gates[:, t], hh, c0 if t == 0 else cell[:, t - 1], cell[:, t], out[:, t])


def _lstm_step(a, hh, cp, cn, hn) -> None:
    hid = cn.shape[1]
    np.add(a, hh, out=a)
    _sigmoid_(a[:, :3 * hid])
    i, f, o, g = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
    np.tanh(g, out=g)
    np.multiply(f, cp, out=cn)
    np.multiply(i, g, out=hn)  # hn as scratch: it is written last
    np.add(cn, hn, out=cn)
    np.tanh(cn, out=hn)
    np.multiply(o, hn, out=hn)


def lstm_backward(x, w, c0, cell, gates, grad_out, grad_a, grad_x, dh, dc, scratch, whT) -> None:
    """Gradients of :func:`lstm_forward` with respect to the pre-activations, x, h0 and c0.

    Args:
        grad_out: (N, T, H) gradient of the output; grad_a: (N, T, 4H) written with the gradient of
            the gate pre-activations; grad_x: (N, T, D) written (``None``: not computed).
        dh, dc: (N, H), written with the gradients of h0 and c0.
        scratch: (N, 4H) work buffer; whT: (4H, H) buffer for a contiguous copy of ``W_h^T``.
    """
    d = x.shape[2]
    _transpose(w[d:], whT)
    seq = recurrent_cuda.lstm_sequence(x, dh.shape[1], gates, cell, c0, grad_out, whT, grad_a, dh, dc)
    if seq is not None:
        seq.backward(gates, cell, c0, grad_out, whT, grad_a, dh, dc)
        if grad_x is not None:
            _project(grad_a, w[:d].T, grad_x)
        return
    nb = _kernels(x) or recurrent_cuda.lstm_kernels(x)
    dh.fill(0)
    dc.fill(0)
    pool = _numba.kernels("recurrent_pool", x)
    if pool is not None and pool.lstm_backward(gates, c0, cell, grad_out, dh, dc, grad_a, w[d:]):
        if grad_x is not None:
            _project(grad_a, w[:d].T, grad_x)
        return
    for t in range(x.shape[1] - 1, -1, -1):
        cp = c0 if t == 0 else cell[:, t - 1]
        if nb is not None:
            nb.lstm_backward_step(gates, c0, cell, grad_out, dh, dc, grad_a, t)
        else:
            _lstm_back_step(gates[:, t], cell[:, t], cp, grad_out[:, t], dh, dc, grad_a[:, t], scratch)
        np.matmul(grad_a[:, t], whT, out=dh)
    if grad_x is not None:  # None: the caller does not want it (its gradInput is nil)
        _project(grad_a, w[:d].T, grad_x)


def _lstm_back_step(a, cn, cp, go, dh, dc, ga, scratch) -> None:
    hid = cn.shape[1]
    tc, sd = scratch[:, :hid], scratch[:, hid:]
    i, f, o, g = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
    gi, gf, go_, gg = ga[:, :hid], ga[:, hid:2 * hid], ga[:, 2 * hid:3 * hid], ga[:, 3 * hid:]
    np.add(dh, go, out=dh)
    np.tanh(cn, out=tc)
    np.subtract(1, a[:, :3 * hid], out=sd)  # sigmoid' = s (1 - s) for i, f, o at once
    np.multiply(sd, a[:, :3 * hid], out=sd)
    np.multiply(dh, tc, out=go_)
    np.multiply(go_, sd[:, 2 * hid:], out=go_)
    np.multiply(tc, tc, out=tc)
    np.subtract(1, tc, out=tc)
    np.multiply(tc, o, out=tc)
    np.multiply(tc, dh, out=tc)
    np.add(dc, tc, out=dc)
    np.multiply(dc, g, out=gi)
    np.multiply(gi, sd[:, :hid], out=gi)
    np.multiply(dc, cp, out=gf)
    np.multiply(gf, sd[:, hid:2 * hid], out=gf)
    np.multiply(g, g, out=gg)
    np.subtract(1, gg, out=gg)
    np.multiply(gg, i, out=gg)
    np.multiply(gg, dc, out=gg)
    np.multiply(dc, f, out=dc)


# ---- GRU -----------------------------------------------------------------------------------------------------

def gru_forward(x, w, b, h0, out, gates, hh) -> None:
    """GRU over a whole sequence with PyTorch's formula (r applied to ``h W_hn + b_hn``).

    Args:
        x: (N, T, D); w: (D+H, 3H), columns r, z, n; b: (4H,) = b_r, b_z, b_xn, b_hn; h0: (N, H).
        out: (N, T, H) written; gates: (N, T, 4H) written with r, z, n and ``h W_hn + b_hn``;
        hh: (N, 3H) scratch.
    """
    d, hid = x.shape[2], h0.shape[1]
    _project(x, w[:d], gates[:, :, :3 * hid])
    wh = w[d:]
    pool = _numba.kernels("recurrent_pool", x)
    if pool is not None and pool.gru_forward(gates, b, h0, out, hh, wh):
        return
    nb = _kernels(x) or recurrent_cuda.gru_kernels(x)
    if nb is None:
        g3 = gates[:, :, :3 * hid]
        np.add(g3, b[:3 * hid], out=g3)
    for t in range(x.shape[1]):
        hp = h0 if t == 0 else out[:, t - 1]
        np.matmul(hp, wh, out=hh)
        if nb is not None:
            nb.gru_forward_step(gates, hh, b, h0, out, t)
        else:
            _gru_step(gates[:, t], hh, b[3 * hid:], hp, out[:, t])


def _gru_step(a, hh, b_hn, hp, hn) -> None:
    hid = hn.shape[1]
    rz = a[:, :2 * hid]
    np.add(rz, hh[:, :2 * hid], out=rz)
    _sigmoid_(rz)
    r, z, n, nh = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
    np.add(hh[:, 2 * hid:], b_hn, out=nh)
    np.multiply(r, nh, out=hn)
    np.add(n, hn, out=n)
    np.tanh(n, out=n)
    np.subtract(hp, n, out=hn)  # h = n + z (h_prev - n)
    np.multiply(hn, z, out=hn)
    np.add(hn, n, out=hn)


def gru_backward(x, w, h0, out, gates, grad_out, grad_ax, grad_ah, grad_x, dh, scratch, whT) -> None:
    """Gradients of :func:`gru_forward`.

    Args:
        grad_ax: (N, T, 3H) written with the gradients of the input-side pre-activations (r, z, n);
        grad_ah: (N, T, 3H) written with those of ``h W_h`` (r, z, and ``r * dn`` for n);
        grad_x: (N, T, D) written (``None``: not computed); dh: (N, H) written with the gradient of h0;
        scratch: (N, 4H);
        whT: (3H, H) buffer for a contiguous copy of ``W_h^T``.
    """
    d, hid = x.shape[2], dh.shape[1]
    _transpose(w[d:], whT)
    nb = _kernels(x) or recurrent_cuda.gru_kernels(x)
    dd = scratch[:, :hid]  # the direct path z * dh, carried to the previous step
    dh.fill(0)
    dd.fill(0)
    pool = _numba.kernels("recurrent_pool", x)
    pooled = pool is not None and pool.gru_backward(gates, h0, out, grad_out, dh, scratch, grad_ax, grad_ah, w[d:])
    for t in range(-1 if pooled else x.shape[1] - 1, -1, -1):
        hp = h0 if t == 0 else out[:, t - 1]
        if nb is not None:
            nb.gru_backward_step(gates, h0, out, grad_out, dh, dd, grad_ax, grad_ah, t)
        else:
            _gru_back_step(gates[:, t], hp, grad_out[:, t], dh, dd, grad_ax[:, t], grad_ah[:, t], scratch[:, hid:])
        np.matmul(grad_ah[:, t], whT, out=dh)
    np.add(dh, dd, out=dh)
    if grad_x is not None:  # None: the caller does not want it (its gradInput is nil)
        _project(grad_ax, w[:d].T, grad_x)


def _gru_back_step(a, hp, go, dh, dd, gx, gh, scratch) -> None:
    hid = hp.shape[1]
    r, z, n, nh = a[:, :hid], a[:, hid:2 * hid], a[:, 2 * hid:3 * hid], a[:, 3 * hid:]
    dr, dz, dn = gx[:, :hid], gx[:, hid:2 * hid], gx[:, 2 * hid:]
    d, t2, t3 = scratch[:, :hid], scratch[:, hid:2 * hid], scratch[:, 2 * hid:]
    np.add(dh, dd, out=d)
    np.add(d, go, out=d)
    np.multiply(n, n, out=t2)
    np.subtract(1, t2, out=t2)
    np.multiply(t2, d, out=t2)
    np.subtract(1, z, out=t3)
    np.multiply(t2, t3, out=dn)
    np.multiply(dn, r, out=gh[:, 2 * hid:])
    np.subtract(1, r, out=t2)
    np.multiply(t2, r, out=t2)
    np.multiply(t2, nh, out=t2)
    np.multiply(t2, dn, out=dr)
    np.subtract(hp, n, out=t2)
    np.multiply(t2, d, out=t2)
    np.multiply(t3, z, out=t3)
    np.multiply(t2, t3, out=dz)
    np.copyto(gh[:, :2 * hid], gx[:, :2 * hid])
    np.multiply(d, z, out=dd)


# ---- RNN (tanh) ----------------------------------------------------------------------------------------------

def rnn_forward(x, w, b, h0, out, hh) -> None:
    """``h_t = tanh(x_t W_x + h_{t-1} W_h + b)`` over a whole sequence; out (N, T, H), hh (N, H) scratch."""
    d = x.shape[2]
    _project(x, w[:d], out)
    o2 = out.reshape(-1, out.shape[2])
    np.add(o2, b, out=o2)
    wh = w[d:]
    pool = _numba.kernels("recurrent_pool", x)
    if pool is not None and pool.rnn_forward(out, hh, h0, wh):
        return
    for t in range(x.shape[1]):
        np.matmul(h0 if t == 0 else out[:, t - 1], wh, out=hh)
        ot = out[:, t]
        np.add(ot, hh, out=ot)
        np.tanh(ot, out=ot)


def rnn_backward(x, w, out, grad_out, grad_a, grad_x, dh, whT) -> None:
    """Gradients of :func:`rnn_forward`: grad_a (N, T, H) and grad_x written; dh (N, H) gets the h0 gradient.

    whT: (H, H) buffer for a contiguous copy of ``W_h^T``.
    """
    d = x.shape[2]
    _transpose(w[d:], whT)
    dh.fill(0)
    pool = _numba.kernels("recurrent_pool", x)
    pooled = pool is not None and pool.rnn_backward(out, grad_out, dh, grad_a, w[d:])
    for t in range(-1 if pooled else x.shape[1] - 1, -1, -1):
        ga, ht = grad_a[:, t], out[:, t]
        np.add(dh, grad_out[:, t], out=dh)
        np.multiply(ht, ht, out=ga)
        np.subtract(1, ga, out=ga)
        np.multiply(ga, dh, out=ga)
        np.matmul(ga, whT, out=dh)
    if grad_x is not None:  # None: the caller does not want it (its gradInput is nil)
        _project(grad_a, w[:d].T, grad_x)


# ---- weight gradients ----------------------------------------------------------------------------------------

def accumulate_param_grads(x, h0, out, grad_ax, grad_ah, grad_w, grad_b, scale, hprev, wtmp, btmp) -> None:
    """``grad_w += scale * [x; h_prev]^T grad_a`` and ``grad_b += scale * sum(grad_a)``: two GEMMs over N*T rows.

    Args:
        x: (N, T, D); h0: (N, H); out: (N, T, H) the forward's hidden states.
        grad_ax, grad_ah: (N, T, kH) gradients of the input-side and hidden-side pre-activations
            (the same array for LSTM and RNN).
        grad_w: (D+H, kH); grad_b: (kH + e,), where the ``e`` extra entries (the GRU's ``b_hn``)
            take the gradient of the last ``e`` columns of ``grad_ah``.
        hprev: (N, T, H) scratch, or (N, T, D+H) when ``grad_ax is grad_ah`` (then one GEMM
            over ``[x, h_prev]``); wtmp: (D+H, kH), btmp: (kH,) scratch.
    """
    n, t, d = x.shape
    k = grad_ax.shape[2]
    ax = grad_ax.reshape(n * t, k)
    if hprev.shape[2] > h0.shape[1] and grad_ah is grad_ax:
        # One GEMM over [x, h_prev] (copying x in costs ~2% of it): one call with M = D+H runs
        # faster than two, most of all for a narrow x such as char-rnn's one-hot input (M = 65).
        hprev[:, :, :d] = x
        hprev[:, 0, d:] = h0
        hprev[:, 1:, d:] = out[:, :-1]
        np.matmul(hprev.reshape(n * t, -1).T, ax, out=wtmp)
    else:
        hprev[:, 0] = h0
        hprev[:, 1:] = out[:, :-1]
        np.matmul(x.reshape(n * t, d).T, ax, out=wtmp[:d])
        np.matmul(hprev.reshape(n * t, -1).T, grad_ah.reshape(n * t, k), out=wtmp[d:])
    np.add.reduce(ax, axis=0, out=btmp)
    if scale != 1:
        np.multiply(wtmp, scale, out=wtmp)
        np.multiply(btmp, scale, out=btmp)
    np.add(grad_w, wtmp, out=grad_w)
    np.add(grad_b[:k], btmp, out=grad_b[:k])
    extra = grad_b.shape[0] - k
    if extra:
        tail = btmp[:extra]
        np.add.reduce(grad_ah.reshape(n * t, k)[:, k - extra:], axis=0, out=tail)
        if scale != 1:
            np.multiply(tail, scale, out=tail)
        np.add(grad_b[k:], tail, out=grad_b[k:])
