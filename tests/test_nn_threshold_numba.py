"""nn.Threshold / nn.ReLU: the optional Numba kernels against the NumPy path (the reference).

Big contiguous float arrays take the kernels; these tests run every case both ways and compare them
bit for bit, NaN, infinities and in-place modes included. Skipped without numba (extra ``fast``).
"""

from __future__ import annotations

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn
from torch7.nn.functional import _numba

pytest.importorskip("numba")

TYPES = ["torch.FloatTensor", "torch.DoubleTensor"]
MODULES = {"relu": lambda ip: nn.ReLU(ip), "threshold": lambda ip: nn.Threshold(0.25, -1.5, ip),
           "threshold_up": lambda ip: nn.Threshold(-0.5, 2.0, False)}


def _input(typename, shape):
    rng = np.random.default_rng(7)
    a = rng.standard_normal(shape)
    flat = a.reshape(-1)
    flat[::97] = 0.0
    flat[5], flat[6], flat[7], flat[8] = np.nan, np.inf, -np.inf, 0.25
    return torch.tensor_class(typename)(a)


def _run(make, ip, typename, shape, numba_on):
    old = _numba.use_numba(numba_on)
    try:
        m = make(ip).type(typename)
        x = _input(typename, shape)
        g = _input(typename, shape).mul(-3)  # NaN/inf gradients too: cut positions must give 0
        out = m.forward(x).clone()
        gi = m.backward(x, g).clone()
        return out.numpy(), gi.numpy(), x.numpy().copy()
    finally:
        _numba.use_numba(old)


@pytest.mark.parametrize("typename", TYPES)
@pytest.mark.parametrize("name, ip", [(n, ip) for n in MODULES for ip in (False, True)
                                      if not (n == "threshold_up" and ip)])  # in place needs val <= threshold
@pytest.mark.parametrize("shape", [(128, 6, 28, 28), (5000,), (3, 7)])
def test_kernels_equal_numpy_path(typename, name, ip, shape):
    fast = _run(MODULES[name], ip, typename, shape, True)
    ref = _run(MODULES[name], ip, typename, shape, False)
    for f, r in zip(fast, ref, strict=True):
        np.testing.assert_array_equal(f, r)  # NaN in the same places, same values
        assert not np.signbit(f[r == 0]).any() or np.signbit(r[r == 0]).any()


def test_big_relu_takes_the_kernel_and_keeps_nan():
    x = torch.FloatTensor(64, 100).uniform(-1, 1)
    x[0][0] = float("nan")
    m = nn.ReLU().float()
    y = m.forward(x)
    assert np.isnan(y.numpy()[0, 0]) and (y.numpy()[1:] >= 0).all()
    gi = m.backward(x, torch.FloatTensor(64, 100).fill(2)).numpy()
    assert set(np.unique(gi[1:])) <= {0.0, 2.0} and gi[0, 0] == 0.0


def test_non_contiguous_input_takes_the_numpy_path():
    x = torch.DoubleTensor(100, 100).uniform(-1, 1).t()
    y = nn.ReLU().forward(x)
    np.testing.assert_array_equal(y.numpy(), np.maximum(x.numpy(), 0))
