"""Serial Numba kernels for one time step of the fused LSTM and GRU (optional accelerator).

Importing this module imports ``numba`` (ImportError when it is missing: ``recurrent.py`` then
uses its NumPy path). The kernels are serial on purpose: parallel kernels alternating with
multi-threaded OpenBLAS calls make the two thread pools fight (see docs on CPU performance).

Each kernel takes the whole-sequence arrays and the step ``t`` (no per-step views to build), and
works on 1-D row views so that LLVM sees no aliasing and vectorises the inner loop. pip builds of
llvmlite have no SVML, so ``math.tanh`` would be a scalar libm call: float32 uses a rational
approximation (max abs error about 3e-7) that vectorises; float64 keeps ``math.tanh``. The
sigmoid is ``0.5 + 0.5 * tanh(x / 2)``.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba.core import types
from numba.extending import overload

# Fast-math without "nnan"/"ninf": a NaN must still propagate (char-rnn-style loss checks rely on it).
_FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}
_OPTS = {"cache": True, "fastmath": _FAST, "error_model": "numpy", "nogil": True}

# Odd/even polynomial coefficients of the float32 rational tanh (Eigen's generic_fast_tanh_float),
# valid on [-7.905, 7.905], where tanh is within float32 rounding of +-1.
_CLAMP = np.float32(7.90531110763549805)
_A1, _A3, _A5 = np.float32(4.89352455891786e-03), np.float32(6.37261928875436e-04), np.float32(1.48572235717979e-05)
_A7, _A9 = np.float32(5.12229709037114e-08), np.float32(-8.60467152213735e-11)
_A11, _A13 = np.float32(2.00018790482477e-13), np.float32(-2.76076847742355e-16)
_B0, _B2 = np.float32(4.89352518554385e-03), np.float32(2.26843463243900e-03)
_B4, _B6 = np.float32(1.18534705686654e-04), np.float32(1.19825839466702e-06)
_HALF32 = np.float32(0.5)


def fast_tanh(x):
    """tanh(x): a vectorisable rational approximation for float32, ``math.tanh`` for float64."""
    return math.tanh(x)


@overload(fast_tanh, jit_options={"fastmath": _FAST, "error_model": "numpy"})
def _fast_tanh_impl(x):
    if isinstance(x, types.Float) and x.bitwidth == 32:
        def tanh32(x):
            x = min(max(x, -_CLAMP), _CLAMP)
            x2 = x * x
            p = x2 * _A13 + _A11
            p = x2 * p + _A9
            p = x2 * p + _A7
            p = x2 * p + _A5
            p = x2 * p + _A3
            p = x2 * p + _A1
            q = x2 * _B6 + _B4
            q = x2 * q + _B2
            q = x2 * q + _B0
            return x * p / q
        return tanh32
    return lambda x: math.tanh(x)


@numba.njit(**_OPTS)
def tanh_array(a, out):
    """``out[:] = fast_tanh(a)`` on 1-D arrays (exposed so tests can measure the approximation)."""
    for k in range(a.shape[0]):
        out[k] = fast_tanh(a[k])


# The kernels below are split into short loops over separate block views (i, f, o, g ...): one
# loop reading and writing many offsets of one row defeats LLVM's alias checks (measured 4x slower).

@numba.njit(**_OPTS)
def lstm_forward_step(gates, hh, bias, c0, cell, out, t):
    """Step ``t`` of the LSTM: gates[:, t] (input projection, no bias) becomes the activations i, f, o, g.

    ``hh`` (N, 4H) is ``h_{t-1} @ W_h``; writes ``cell[:, t]`` and ``out[:, t]``.
    """
    lstm_forward_rows(gates, hh, bias, c0, cell, out, t, 0, hh.shape[0])


@numba.njit(**_OPTS)
def lstm_forward_rows(gates, hh, bias, c0, cell, out, t, r0, r1):
    """:func:`lstm_forward_step` for the batch rows ``r0 <= n < r1`` only (rows are independent)."""
    hid = cell.shape[2]
    half = gates.dtype.type(0.5)
    for n in range(r0, r1):
        g = gates[n, t]
        r = hh[n]
        cp = c0[n] if t == 0 else cell[n, t - 1]
        cn = cell[n, t]
        hn = out[n, t]
        for j in range(3 * hid):
            g[j] = half + half * fast_tanh(half * (g[j] + r[j] + bias[j]))
        gi, gf, go, gg = g[:hid], g[hid:2 * hid], g[2 * hid:3 * hid], g[3 * hid:]
        rg, bg = r[3 * hid:], bias[3 * hid:]
        for j in range(hid):  # (a loop over range(3H, 4H) does not vectorise: loops start at 0)
            gg[j] = fast_tanh(gg[j] + rg[j] + bg[j])
        for j in range(hid):
            cn[j] = gf[j] * cp[j] + gi[j] * gg[j]
        for j in range(hid):
            hn[j] = go[j] * fast_tanh(cn[j])


@numba.njit(**_OPTS)
def lstm_backward_step(gates, c0, cell, grad_out, dh, dc, grad_a, t):
    """Step ``t`` of the LSTM backward: ``dh``/``dc`` (N, H) carry the gradients from step t+1.

    Writes the pre-activation gradients ``grad_a[:, t]`` (N, 4H) and leaves in ``dc`` the gradient
    for ``c_{t-1}``; the caller then sets ``dh = grad_a[:, t] @ W_h^T``.
    """
    lstm_backward_rows(gates, c0, cell, grad_out, dh, dc, grad_a, t, 0, dh.shape[0])


@numba.njit(**_OPTS)
def lstm_backward_rows(gates, c0, cell, grad_out, dh, dc, grad_a, t, r0, r1):
    """:func:`lstm_backward_step` for the batch rows ``r0 <= n < r1`` only."""
    hid = dh.shape[1]
    one = gates.dtype.type(1.0)
    for n in range(r0, r1):
        g = gates[n, t]
        ga = grad_a[n, t]
        gi, gf, go, gg = g[:hid], g[hid:2 * hid], g[2 * hid:3 * hid], g[3 * hid:]
        ai, af, ao, ag = ga[:hid], ga[hid:2 * hid], ga[2 * hid:3 * hid], ga[3 * hid:]
        cp = c0[n] if t == 0 else cell[n, t - 1]
        cn = cell[n, t]
        gout = grad_out[n, t]
        dhn = dh[n]
        dcn = dc[n]
        for j in range(hid):
            o = go[j]
            tc = fast_tanh(cn[j])
            d_h = dhn[j] + gout[j]
            ao[j] = d_h * tc * o * (one - o)
            dcn[j] += d_h * o * (one - tc * tc)
        for j in range(hid):
            i = gi[j]
            ai[j] = dcn[j] * gg[j] * i * (one - i)
            ag[j] = dcn[j] * i * (one - gg[j] * gg[j])
        for j in range(hid):
            f = gf[j]
            af[j] = dcn[j] * cp[j] * f * (one - f)
            dcn[j] *= f


@numba.njit(**_OPTS)
def gru_forward_step(gates, hh, bias, h0, out, t):
    """Step ``t`` of the GRU (PyTorch's formula): gates[:, t] becomes r, z, n, hn.

    On entry gates[:, t, :3H] holds ``x W_x`` (no bias) and ``hh`` (N, 3H) is ``h_{t-1} @ W_h``;
    ``hn = hh_n + b_hn`` is kept in the 4th block for the backward.
    """
    gru_forward_rows(gates, hh, bias, h0, out, t, 0, hh.shape[0])


@numba.njit(**_OPTS)
def gru_forward_rows(gates, hh, bias, h0, out, t, r0, r1):
    """:func:`gru_forward_step` for the batch rows ``r0 <= n < r1`` only."""
    hid = out.shape[2]
    half = gates.dtype.type(0.5)
    bx, bh = bias[2 * hid:3 * hid], bias[3 * hid:]
    for n in range(r0, r1):
        g = gates[n, t]
        r_ = hh[n]
        hp = h0[n] if t == 0 else out[n, t - 1]
        hn = out[n, t]
        for j in range(2 * hid):
            g[j] = half + half * fast_tanh(half * (g[j] + r_[j] + bias[j]))
        gr, gz, gn, gh, rn = g[:hid], g[hid:2 * hid], g[2 * hid:3 * hid], g[3 * hid:], r_[2 * hid:]
        for j in range(hid):
            gh[j] = rn[j] + bh[j]
        for j in range(hid):
            gn[j] = fast_tanh(gn[j] + bx[j] + gr[j] * gh[j])
        for j in range(hid):
            hn[j] = gn[j] + gz[j] * (hp[j] - gn[j])


@numba.njit(**_OPTS)
def gru_backward_step(gates, h0, out, grad_out, dh, dd, grad_ax, grad_ah, t):
    """Step ``t`` of the GRU backward: writes ``grad_ax[:, t]`` = d(r, z, n_x) and ``grad_ah[:, t]`` = d(r, z, n_h).

    The gradient for ``h_t`` is ``dh + dd + grad_out[:, t]``, where ``dh`` = ``grad_ah[:, t+1] @ W_h^T``
    (read only) and ``dd`` is the direct path ``z * dh_{t+1}``, replaced by this step's direct path.
    """
    gru_backward_rows(gates, h0, out, grad_out, dh, dd, grad_ax, grad_ah, t, 0, dh.shape[0])


@numba.njit(**_OPTS)
def gru_backward_rows(gates, h0, out, grad_out, dh, dd, grad_ax, grad_ah, t, r0, r1):
    """:func:`gru_backward_step` for the batch rows ``r0 <= n < r1`` only."""
    hid = dh.shape[1]
    one = gates.dtype.type(1.0)
    for n in range(r0, r1):
        g = gates[n, t]
        gx = grad_ax[n, t]
        gh = grad_ah[n, t]
        r, z, nn_, nh = g[:hid], g[hid:2 * hid], g[2 * hid:3 * hid], g[3 * hid:]
        xr, xz, xn = gx[:hid], gx[hid:2 * hid], gx[2 * hid:]
        hr, hz, hn = gh[:hid], gh[hid:2 * hid], gh[2 * hid:]
        hp = h0[n] if t == 0 else out[n, t - 1]
        go = grad_out[n, t]
        dhn = dh[n]
        ddn = dd[n]
        for j in range(hid):
            d_h = dhn[j] + ddn[j] + go[j]
            zj = z[j]
            xn[j] = d_h * (one - zj) * (one - nn_[j] * nn_[j])
            xz[j] = d_h * (hp[j] - nn_[j]) * zj * (one - zj)
            ddn[j] = d_h * zj
        for j in range(hid):
            rj = r[j]
            xr[j] = xn[j] * nh[j] * rj * (one - rj)
            hn[j] = xn[j] * rj
        for j in range(hid):
            hr[j] = xr[j]
            hz[j] = xz[j]


@numba.njit(**_OPTS)
def rnn_forward_rows(out, hh, t, r0, r1):
    """``out[n, t] = tanh(out[n, t] + hh[n])`` for ``r0 <= n < r1`` (out holds ``x W_x + b``)."""
    for n in range(r0, r1):
        o = out[n, t]
        r = hh[n]
        for j in range(o.shape[0]):
            o[j] = fast_tanh(o[j] + r[j])


@numba.njit(**_OPTS)
def rnn_backward_rows(out, grad_out, dh, grad_a, t, r0, r1):
    """``grad_a[n, t] = (1 - h^2) (dh[n] + grad_out[n, t])`` for ``r0 <= n < r1``, h = ``out[n, t]``."""
    one = out.dtype.type(1.0)
    for n in range(r0, r1):
        h = out[n, t]
        g = grad_out[n, t]
        d = dh[n]
        a = grad_a[n, t]
        for j in range(h.shape[0]):
            a[j] = (one - h[j] * h[j]) * (d[j] + g[j])
