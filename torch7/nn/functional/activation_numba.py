"""Serial Numba kernels for nn.Threshold / nn.ReLU (optional accelerator of ``Threshold.py``).

NumPy's ``maximum`` checks for NaN on every element and runs per row (28 values in a CIFAR layer), and its
backward needs a mask pass and a multiply; one streaming select per element is 2-4x faster on a LeNet
activation (benchmarks/RESULTS.md, convnet). The selects are THNN's: ``x <= th ? v : x`` forward (a NaN input
stays NaN) and ``x > th ? g : 0`` backward.
"""

from __future__ import annotations

import numba

_OPTS = {"cache": True, "fastmath": {"nsz", "arcp", "contract", "afn", "reassoc"}, "error_model": "numpy",
         "nogil": True}


@numba.njit(**_OPTS)
def threshold_forward(a, out, th, val):
    """``out[i] = val if a[i] <= th else a[i]`` over flat arrays (``out`` may be ``a``)."""
    t = a.dtype.type(th)
    v = a.dtype.type(val)
    for i in range(a.shape[0]):
        x = a[i]
        out[i] = v if x <= t else x


@numba.njit(**_OPTS)
def threshold_backward(a, g, out, th):
    """``out[i] = g[i] if a[i] > th else 0`` over flat arrays (``out`` may be ``g``)."""
    t = a.dtype.type(th)
    z = g.dtype.type(0)
    for i in range(a.shape[0]):
        out[i] = g[i] if a[i] > t else z
