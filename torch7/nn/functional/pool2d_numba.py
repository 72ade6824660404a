"""Serial Numba kernels for 2x2 max pooling and the index scatter (optional accelerator of ``pool2d.py``).

Importing this module imports ``numba``; without it ``pool2d.py`` keeps its NumPy path. The kernels
are serial for the same reason as ``conv_numba.py`` (no thread-pool fights with OpenBLAS).
"""

from __future__ import annotations

import numba
import numpy as np

_OPTS = {"cache": True, "error_model": "numpy", "nogil": True}  # no fastmath: the NaN tests must stay exact


@numba.njit(**_OPTS)
def max_forward_2x2(x, out, idx):
    """Max of each 2x2 window (stride 2, no padding) of ``x`` (N,C,H,W) into ``out``, its in-plane index into ``idx``.

    As in THNN, a later value replaces the maximum when it is larger or NaN. Only this common case has
    a kernel: a generic one (runtime window size, clipping) measured 2-3x slower than the NumPy path.
    """
    n_b, c_in, wd = x.shape[0], x.shape[1], x.shape[3]
    oh, ow = out.shape[2], out.shape[3]
    for n in range(n_b):
        for c in range(c_in):
            for y in range(oh):
                r0 = x[n, c, 2 * y]
                r1 = x[n, c, 2 * y + 1]
                orow = out[n, c, y]
                irow = idx[n, c, y]
                base = 2 * y * wd
                for xo in range(ow):
                    q = 2 * xo
                    best = r0[q]
                    at = base + q
                    v = r0[q + 1]
                    if v > best or np.isnan(v):
                        best = v
                        at = base + q + 1
                    v = r1[q]
                    if v > best or np.isnan(v):
                        best = v
                        at = base + wd + q
                    v = r1[q + 1]
                    if v > best or np.isnan(v):
                        best = v
                        at = base + wd + q + 1
                    orow[xo] = best
                    irow[xo] = at


@numba.njit(**_OPTS)
def scatter_add(gout, idx, gin):
    """``gin`` (N,C,H,W) = zeros plus each ``gout`` (N,C,oH,oW) added at its in-plane index (-1: skipped)."""
    n_b, c_in = gin.shape[0], gin.shape[1]
    gin[...] = 0
    for n in range(n_b):
        for c in range(c_in):
            plane = gin[n, c].reshape(-1)
            g = gout[n, c].reshape(-1)
            k = idx[n, c].reshape(-1)
            for p in range(g.shape[0]):
                if k[p] >= 0:
                    plane[k[p]] += g[p]
