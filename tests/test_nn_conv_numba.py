"""The optional Numba kernels of the conv/pool family against the NumPy path (and PyTorch for a few).

Every test runs the same module calls twice, once per setting of ``_numba.use_numba``, and compares.
"""

from __future__ import annotations

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn
from torch7.nn.functional import _numba, conv2d, pool2d

pytest.importorskip("numba")
ptorch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _restore_switch():
    old = _numba.use_numba()
    yield
    _numba.use_numba(old)


def _run_conv(make, x, g, flag: bool):
    _numba.use_numba(flag)
    m = make()
    out = m.forward(x).clone()
    m.zeroGradParameters()
    gi = m.backward(x, g, 0.5).clone()
    gb = m.gradBias.clone() if m.gradBias is not None else None
    return out, gi, m.gradWeight.clone(), gb


def _close(a, b, tol):
    assert a.size() == b.size()
    np.testing.assert_allclose(a._a, b._a, rtol=tol, atol=tol)


CONV_CASES = [
    # nIn, nOut, kW, kH, dW, dH, padW, padH, N, H, W, dilation (None: plain SpatialConvolution)
    (3, 6, 5, 5, 1, 1, 0, 0, 4, 12, 11, None),   # direct kernels (nOut*nIn*kH*kW <= DIRECT_MAX)
    (2, 3, 3, 3, 1, 1, 1, 2, 3, 7, 9, None),     # direct, uneven padding
    (2, 2, 3, 2, 1, 1, 1, 0, 2, 9, 8, (2, 3)),   # direct, dilated
    (16, 20, 4, 4, 1, 1, 1, 1, 2, 7, 8, None),   # columns (5120 > DIRECT_MAX) + Numba col2im
    (3, 16, 5, 5, 1, 1, 2, 2, 2, 10, 9, None),   # direct, 75 taps (8 per pass + a remainder)
    (4, 5, 3, 3, 2, 2, 1, 1, 2, 9, 8, None),     # col2im with stride 2 and padding
    (3, 4, 4, 3, 3, 2, 2, 1, 2, 11, 10, (1, 2)),  # col2im dilated, stride 3x2
    (2, 5, 3, 3, 1, 1, 1, 1, 5, 6, 7, None),     # direct: 5 planes = a 3-plane pass + 2 single; 18 taps (4k+2)
    (4, 7, 2, 3, 1, 1, 0, 1, 3, 5, 6, None),     # direct: 7 = 3+3+1 planes, gradInput 4 = 3+1, 24 taps
    (1, 4, 3, 3, 1, 1, 0, 0, 1, 5, 5, None),     # direct: 9 taps (4k+1), gradInput with 1 plane, N = 1
    (3, 3, 3, 3, 1, 1, 2, 1, 3, 5, 4, (2, 1)),   # direct: dilated + padded, 3 images side by side
    (16, 24, 6, 6, 1, 1, 1, 1, 1, 32, 32, None),  # direct, 576 taps, 8 passes of 3 planes
    (16, 32, 6, 6, 1, 1, 0, 0, 1, 32, 32, None),  # 18432 > DIRECT_MAX: columns
]


@pytest.mark.parametrize("case", CONV_CASES)
@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_conv_numba_matches_numpy_and_pytorch(case, dtype):
    nin, nout, kw, kh, dw, dh, pw, ph, n, h, w, dil = case
    torch.manualSeed(3)

    def make():
        torch.manualSeed(5)
        if dil is None:
            m = nn.SpatialConvolution(nin, nout, kw, kh, dw, dh, pw, ph)
        else:
            m = nn.SpatialDilatedConvolution(nin, nout, kw, kh, dw, dh, pw, ph, dil[0], dil[1])
        return m.type(dtype)

    x = torch.randn(n, nin, h, w).type(dtype)
    out_shape = make().forward(x).size()
    g = torch.randn(*out_shape).type(dtype)
    fast = _run_conv(make, x, g, True)
    ref = _run_conv(make, x, g, False)
    tol = 1e-4 if dtype == "torch.FloatTensor" else 1e-10
    for a, b in zip(fast, ref):
        _close(a, b, tol)
    # PyTorch as an independent oracle for the fast path
    m = make()
    xt = ptorch.tensor(x._a, requires_grad=True)
    wt = ptorch.tensor(m.weight._a, requires_grad=True)
    bt = ptorch.tensor(m.bias._a, requires_grad=True)
    yt = ptorch.nn.functional.conv2d(xt, wt, bt, (dh, dw), (ph, pw), dil[::-1] if dil else 1)
    yt.backward(ptorch.tensor(g._a))
    np.testing.assert_allclose(fast[0]._a, yt.detach().numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(fast[1]._a, xt.grad.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(fast[2]._a, 0.5 * wt.grad.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(fast[3]._a, 0.5 * bt.grad.numpy(), rtol=tol, atol=tol)


def _direct_case(nin, nout, k, pad, n, h, dtype):
    torch.manualSeed(11)
    x = torch.randn(n, nin, h, h).type(dtype)
    oh = h + 2 * pad - k + 1
    g = torch.randn(n, nout, oh, oh).type(dtype)
    res = []
    for flag in (True, False):
        _numba.use_numba(flag)
        torch.manualSeed(12)
        m = nn.SpatialConvolution(nin, nout, k, k, 1, 1, pad, pad).type(dtype)
        m.gradWeight.uniform(-1, 1)  # accumulation into existing gradients, with two scales
        m.gradBias.uniform(-1, 1)
        out = m.forward(x).clone()
        gi = m.backward(x, g, 0.5).clone()
        m.backward(x, g.clone().mul(-1.5), 2)
        res.append((out, gi, m.gradWeight.clone(), m.gradBias.clone()))
    return res


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_direct_partial_image_group_and_accumulation(dtype):
    from torch7.nn.functional import conv_numba

    # a plane size for which two images share a wide row, so that a batch of 5 ends with a group of 1
    h = next(h for h in range(4, 200) if conv_numba._group(5, h * (h + 2)) == 2
             and conv_numba._group(5, (h + 2) * (h + 2)) == 2)
    assert 5 * 4 * 9 <= conv2d.DIRECT_MAX
    fast, ref = _direct_case(4, 5, 3, 1, 5, h, dtype)
    tol = 1e-4 if dtype == "torch.FloatTensor" else 1e-10
    for a, b in zip(fast, ref):
        _close(a, b, tol)


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # NumPy on NaN data
@pytest.mark.parametrize("where", [(1, 0, 2, 5), (1, 0, 2, 6)])  # (1, 0, 2, 6): in a discarded wide-row column
def test_direct_nan_and_inf_propagate(where):
    x = torch.randn(2, 2, 7, 7)
    x._a[0, 1, 3, 3] = np.nan
    x._a[where] = np.inf
    res = []
    for flag in (True, False):
        _numba.use_numba(flag)
        torch.manualSeed(13)
        m = nn.SpatialConvolution(2, 4, 3, 3)
        y = m.forward(x).clone()
        m.zeroGradParameters()
        torch.manualSeed(14)
        m.backward(x, torch.randn(*y.size()))
        res.append((y._a, m.gradInput._a.copy(), m.gradWeight._a.copy(), m.gradBias._a.copy()))
    for a, b in zip(*res):  # the same values, NaN and inf in the same places
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert np.isnan(res[0][0]).any() and np.isinf(res[0][0]).any()


def test_direct_path_is_taken_and_skips_columns():
    _numba.use_numba(True)
    m = nn.SpatialConvolution(3, 6, 5, 5).float()
    assert m.nOutputPlane * m.nInputPlane * 25 <= conv2d.DIRECT_MAX
    m.forward(torch.FloatTensor(2, 3, 9, 9).normal(0, 1))
    assert m.finput.nElement() == 0  # the direct kernels build no im2col columns


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_conv_no_bias_and_single_sample(dtype):
    x = torch.randn(3, 8, 8).type(dtype)
    g = torch.randn(4, 6, 6).type(dtype)
    res = []
    for flag in (True, False):
        _numba.use_numba(flag)
        torch.manualSeed(1)
        m = nn.SpatialConvolution(3, 4, 3, 3).noBias().type(dtype)
        m.zeroGradParameters()
        res.append((m.forward(x).clone(), m.backward(x, g).clone(), m.gradWeight.clone()))
    for a, b in zip(*res):
        _close(a, b, 1e-12 if dtype == "torch.DoubleTensor" else 1e-5)


def test_switching_paths_between_forward_and_backward_rebuilds_columns():
    torch.manualSeed(2)
    x, g = torch.randn(2, 3, 7, 7), torch.randn(2, 4, 5, 5)
    m = nn.SpatialConvolution(3, 4, 3, 3)
    _numba.use_numba(False)
    m.forward(x)
    x.mul(2)  # same storage, new values: the direct forward below must invalidate the old columns
    _numba.use_numba(True)
    out = m.forward(x).clone()
    _numba.use_numba(False)
    m.zeroGradParameters()
    m.backward(x, g)
    ref = nn.SpatialConvolution(3, 4, 3, 3)
    ref.weight.copy(m.weight)
    ref.bias.copy(m.bias)
    ref.zeroGradParameters()
    _close(out, ref.forward(x), 1e-12)
    ref.backward(x, g)
    _close(m.gradWeight, ref.gradWeight, 1e-12)


@pytest.mark.parametrize("shape", [(2, 3, 8, 8), (3, 7, 9), (2, 2, 6, 10)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_maxpool_2x2_kernel_matches_numpy(shape, dtype):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(shape).astype(dtype)
    a.reshape(-1)[::7] = a.reshape(-1)[1::7]  # ties: the first maximum must win
    a.reshape(-1)[5] = np.nan
    a.reshape(-1)[12] = np.nan
    x = torch.from_numpy(a)
    g = None
    res = []
    for flag in (True, False):
        _numba.use_numba(flag)
        m = nn.SpatialMaxPooling(2, 2, 2, 2)
        out = m.forward(x)
        if g is None:
            g = torch.from_numpy(rng.standard_normal(tuple(out.size())).astype(dtype))
        res.append((out.clone(), m.indices.clone(), m.backward(x, g).clone()))
    (o1, i1, g1), (o2, i2, g2) = res
    np.testing.assert_array_equal(o1._a, o2._a)
    np.testing.assert_array_equal(i1._a, i2._a)
    np.testing.assert_array_equal(g1._a, g2._a)


@pytest.mark.parametrize("args", [(3, 3, 2, 2, 1, 1), (2, 2, 1, 1), (3, 2, 3, 2)])
def test_maxpool_scatter_kernel_overlapping_windows(args):
    torch.manualSeed(4)
    x = torch.randn(2, 3, 9, 10)
    res = []
    for flag in (True, False):
        _numba.use_numba(flag)
        m = nn.SpatialMaxPooling(*args).ceil()
        out = m.forward(x)
        torch.manualSeed(6)
        g = torch.randn(*out.size())
        res.append((out.clone(), m.backward(x, g).clone()))
    _close(res[0][0], res[1][0], 0)
    _close(res[0][1], res[1][1], 1e-12)


def test_scatter_backward_skips_negative_indices():
    _numba.use_numba(True)
    gout = np.ones((1, 1, 1, 3))
    idx = np.array([[[[0, -1, 0]]]], np.int64)
    gin = np.full((1, 1, 2, 2), 9.0)
    pool2d.scatter_backward(gout, idx, gin, skip_negative=True)
    np.testing.assert_array_equal(gin, [[[[2.0, 0.0], [0.0, 0.0]]]])


def test_env_switch_reports_state():
    _numba.use_numba(True)
    assert _numba.use_numba(False) is True
    assert _numba.use_numba() is False
    assert _numba.kernels("conv_numba", np.float32) is None
    _numba.use_numba(True)
    assert _numba.kernels("conv_numba", np.int64) is None
    assert _numba.kernels("conv_numba", np.float64) is not None


@pytest.mark.parametrize("spatial", [True, False])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_batchnorm_kernels_match_numpy(spatial, affine, dtype):
    torch.manualSeed(7)
    shape = (4, 3, 5, 6) if spatial else (9, 5)
    x = torch.randn(*shape).type(dtype).mul(3).add(2)
    g = torch.randn(*shape).type(dtype)
    res = []
    for flag in (True, False):
        _numba.use_numba(flag)
        torch.manualSeed(8)
        cls = nn.SpatialBatchNormalization if spatial else nn.BatchNormalization
        m = cls(shape[1], 1e-5, 0.1, affine).type(dtype)
        if affine:
            m.weight.uniform(0.5, 1.5)
            m.bias.uniform(-1, 1)
            m.zeroGradParameters()
        row = [m.forward(x).clone(), m.backward(x, g, 0.5).clone(), m.running_mean.clone(), m.running_var.clone()]
        if affine:
            row += [m.gradWeight.clone(), m.gradBias.clone()]
        m.evaluate()
        row += [m.forward(x).clone(), m.backward(x, g).clone()]
        res.append(row)
    tol = 1e-4 if dtype == "torch.FloatTensor" else 1e-11
    for a, b in zip(*res):
        _close(a, b, tol)
