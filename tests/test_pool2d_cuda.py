"""The fused CUDA max-pooling kernels (torch7/nn/functional/pool2d_cuda.py) against the host path.

Without a GPU the kernel bodies run compiled by the host's C++ compiler behind ``StrictCupy``
(tests/cxx_kernels.py). Module-level CUDA checks of the pooling layers are in their own test files.
"""

from __future__ import annotations

import numpy as np
import pytest
from device_env import needs_kernels

from torch7.nn.functional import pool2d, pool2d_cuda

pytestmark = needs_kernels


# (kH, kW, dH, dW, padH, padW, dilH, dilW, OH, OW) on a 7x6 input; the last is ceil mode with an empty window.
GEOMETRIES = [(2, 2, 2, 2, 0, 0, 1, 1, 3, 3), (3, 3, 1, 1, 1, 1, 1, 1, 7, 6), (3, 2, 2, 1, 1, 0, 2, 2, 3, 4),
              (2, 2, 3, 3, 0, 0, 1, 1, 4, 2)]


@pytest.mark.parametrize("geom", GEOMETRIES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_max_pooling_matches_the_host(cp, geom, dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 6)).astype(dtype)
    x[0, 1, 2, 3] = np.nan
    x[1, 0, :2, :2] = 5.0  # ties: the first maximum wins
    kH, kW, dH, dW, pH, pW, lH, lW, OH, OW = geom
    out, idx = np.empty((2, 3, OH, OW), dtype), np.empty((2, 3, OH, OW), np.int64)
    pool2d.max_forward(x, kH, kW, dH, dW, pH, pW, lH, lW, OH, OW, out, idx)
    dx, dout, didx = cp.asarray(x), cp.empty((2, 3, OH, OW), dtype), cp.empty((2, 3, OH, OW), np.int64)
    assert pool2d_cuda.max_forward(dx, kH, kW, dH, dW, pH, pW, lH, lW, OH, OW, dout, didx)
    np.testing.assert_array_equal(didx.get(), idx)
    np.testing.assert_array_equal(dout.get(), out)
    g = rng.standard_normal((2, 3, OH, OW)).astype(dtype)
    gin = np.empty_like(x)
    pool2d.scatter_backward(g, idx, gin, skip_negative=True)
    dgin = cp.empty(x.shape, dtype)
    assert pool2d_cuda.scatter_backward(cp.asarray(g), didx, dgin)
    np.testing.assert_allclose(dgin.get(), gin, rtol=1e-6, atol=1e-6)


def test_fused_kernels_decline_host_and_half_arrays(cp):
    x = np.zeros((1, 1, 4, 4), np.float32)
    o, i = np.empty((1, 1, 2, 2), np.float32), np.empty((1, 1, 2, 2), np.int64)
    assert not pool2d_cuda.max_forward(x, 2, 2, 2, 2, 0, 0, 1, 1, 2, 2, o, i)
    h = cp.zeros((1, 1, 4, 4), np.float16)
    assert not pool2d_cuda.scatter_backward(cp.zeros((1, 1, 2, 2), np.float16), cp.zeros((1, 1, 2, 2), np.int64), h)
