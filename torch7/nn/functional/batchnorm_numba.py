"""Serial Numba kernels for training-mode batch normalization (optional accelerator of ``batchnorm.py``).

All arrays are ``(N, C, M)`` views. Each kernel streams over the data once, with no temporaries: the
NumPy path needs about 8 passes and a centred copy for the forward and 10 for the backward. Row sums
run in the data type (vectorised), the totals over the batch in float64.
"""

from __future__ import annotations

import numba
import numpy as np

_FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}  # no "nnan"/"ninf": NaN and inf must propagate
_OPTS = {"cache": True, "fastmath": _FAST, "error_model": "numpy", "nogil": True}


@numba.njit(**_OPTS)
def channel_sums(a):
    """Per-channel sum of ``a`` (N, C, M) as float64 (C,)."""
    n_b, c_in = a.shape[0], a.shape[1]
    out = np.zeros(c_in, np.float64)
    for n in range(n_b):
        for c in range(c_in):
            r = a[n, c]
            s = a.dtype.type(0)
            for q in range(r.shape[0]):
                s += r[q]
            out[c] += s
    return out


@numba.njit(**_OPTS)
def centred_dots(a, b, mean):
    """Per-channel ``sum((a - mean) * b)`` (float64, (C,)); ``a is b`` gives the sum of squares."""
    n_b, c_in = a.shape[0], a.shape[1]
    out = np.zeros(c_in, np.float64)
    for n in range(n_b):
        for c in range(c_in):
            ra, rb = a[n, c], b[n, c]
            mu = a.dtype.type(mean[c])
            s = a.dtype.type(0)
            for q in range(ra.shape[0]):
                s += (ra[q] - mu) * rb[q]
            out[c] += s
    return out


@numba.njit(**_OPTS)
def affine(x, w, shift, out):
    """``out = x * w[c] + shift[c]`` on (N, C, M) arrays."""
    n_b, c_in = x.shape[0], x.shape[1]
    for n in range(n_b):
        for c in range(c_in):
            rx, ro = x[n, c], out[n, c]
            wc, sc = x.dtype.type(w[c]), x.dtype.type(shift[c])
            for q in range(rx.shape[0]):
                ro[q] = rx[q] * wc + sc


@numba.njit(**_OPTS)
def grad_input(x, g, mean, k, gmean, w, gin):
    """``gin = (g - gmean[c] - (x - mean[c]) * k[c]) * w[c]`` on (N, C, M) arrays (training-mode backward)."""
    n_b, c_in = x.shape[0], x.shape[1]
    for n in range(n_b):
        for c in range(c_in):
            rx, rg, ri = x[n, c], g[n, c], gin[n, c]
            mu, kc = x.dtype.type(mean[c]), x.dtype.type(k[c])
            gm, wc = x.dtype.type(gmean[c]), x.dtype.type(w[c])
            for q in range(rx.shape[0]):
                ri[q] = (rg[q] - gm - (rx[q] - mu) * kc) * wc
