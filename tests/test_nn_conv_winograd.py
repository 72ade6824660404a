"""Winograd F(4x4, 3x3) convolution (``winograd.py``, ``winograd_numba.py``) against im2col + GEMM and PyTorch.

The module tests run ``nn.SpatialConvolution`` with ``conv2d.WINOGRAD`` on and off and compare; thresholds
are lowered with monkeypatch so that small, odd-sized layers take the Winograd path.
"""

from __future__ import annotations

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn
from torch7.nn.functional import _numba, conv2d, winograd

pytest.importorskip("numba")
ptorch = pytest.importorskip("torch")

from nn_checks import check_module  # noqa: E402

from torch7.nn.functional import winograd_numba as wn  # noqa: E402  (needs numba)

TYPES = ["torch.DoubleTensor", "torch.FloatTensor"]


@pytest.fixture(autouse=True)
def _small_layers_take_winograd(monkeypatch):
    old = _numba.use_numba(True)
    monkeypatch.setattr(conv2d, "WINOGRAD", True)
    monkeypatch.setattr(conv2d, "DIRECT_MAX", 0)
    monkeypatch.setattr(conv2d, "WINOGRAD_MIN_TILES", 1)
    monkeypatch.setattr(conv2d, "WINOGRAD_MIN_FILL", 0)
    yield
    _numba.use_numba(old)


@pytest.fixture
def calls(monkeypatch):
    """Counts the calls of the three Winograd entry points."""
    seen = {"forward": 0, "grad_input": 0, "grad_weight": 0}
    for name in seen:
        real = getattr(winograd, name)

        def spy(*args, _real=real, _name=name):
            seen[_name] += 1
            return _real(*args)

        monkeypatch.setattr(winograd, name, spy)
    return seen


def test_transform_matrices_compute_a_correlation():
    rng = np.random.default_rng(0)
    d, g = rng.standard_normal(6), rng.standard_normal(3)
    y = wn.AT @ ((wn.G @ g) * (wn.BT @ d))
    np.testing.assert_allclose(y, [d[i:i + 3] @ g for i in range(4)], atol=1e-13)
    tile, k = rng.standard_normal((6, 6)), rng.standard_normal((3, 3))
    y2 = wn.AT @ ((wn.G @ k @ wn.G.T) * (wn.BT @ tile @ wn.BT.T)) @ wn.AT.T
    ref = [[np.sum(tile[i:i + 3, j:j + 3] * k) for j in range(4)] for i in range(4)]
    np.testing.assert_allclose(y2, ref, atol=1e-12)



def _run(nin, nout, n, h, w, pad, typename, scale=0.5, bias=True):
    """Forward, backward (with ``scale``) of one layer, Winograd on and off: the two result tuples."""
    torch.manualSeed(7)
    base = nn.SpatialConvolution(nin, nout, 3, 3, 1, 1, pad[0], pad[1]).type(typename)
    if not bias:
        base.noBias()
    x = torch.randn(n, nin, h, w).type(typename) if n else torch.randn(nin, h, w).type(typename)
    out = []
    for flag in (True, False):
        conv2d.WINOGRAD = flag
        m = base.clone()
        y = m.forward(x).clone()
        g = y.clone().normal(0, 1) if not out else out[0][4]
        m.zeroGradParameters()
        gi = m.backward(x, g, scale).clone()
        out.append((y, gi, m.gradWeight.clone(), None if m.gradBias is None else m.gradBias.clone(), g))
    conv2d.WINOGRAD = True
    return out


CASES = [
    # nIn, nOut, N (0: one 3-D sample), H, W, (padW, padH)
    (3, 5, 2, 7, 9, (1, 1)),
    (2, 3, 1, 5, 5, (0, 0)),
    (4, 2, 3, 10, 6, (1, 2)),    # uneven padding
    (3, 4, 2, 4, 3, (2, 2)),     # padding larger than the kernel's reach past the edge
    (2, 3, 0, 9, 8, (1, 1)),     # single sample
    (5, 6, 9, 8, 8, (1, 1)),     # several chunks, the last one short (see test_chunks)
    (2, 2, 2, 3, 3, (0, 0)),     # a 1x1 output
    (3, 2, 2, 17, 14, (1, 0)),   # a tile row and column cut by the edge
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("typename", TYPES)
def test_winograd_matches_columns(case, typename, calls):
    nin, nout, n, h, w, pad = case
    (y, gi, gw, gb, _), (y0, gi0, gw0, gb0, _) = _run(nin, nout, n, h, w, pad, typename)
    assert calls == {"forward": 1, "grad_input": 1, "grad_weight": 1}
    tol = 1e-11 if typename == "torch.DoubleTensor" else 1e-4
    for a, b in ((y, y0), (gi, gi0), (gw, gw0), (gb, gb0)):
        assert a.size() == b.size()
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=tol, atol=tol * max(1.0, float(np.abs(b.numpy()).max())))


def test_chunks(monkeypatch, calls):
    """A batch split over several chunks, the last one short, gives the same result as one chunk."""
    res = {}
    for tiles in (1 << 20, 10):
        monkeypatch.setattr(winograd, "_TILES", tiles)
        res[tiles] = _run(3, 4, 7, 9, 10, (1, 1), "torch.DoubleTensor")[0]
    for a, b in zip(res[1 << 20][:4], res[10][:4]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-12)


def test_no_bias(calls):
    (y, gi, gw, gb, _), (y0, gi0, gw0, gb0, _) = _run(3, 4, 2, 6, 7, (1, 1), "torch.DoubleTensor", bias=False)
    assert gb is None and gb0 is None
    for a, b in ((y, y0), (gi, gi0), (gw, gw0)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-11)


@pytest.mark.parametrize("pad", [(0, 0), (1, 1), (2, 1)])
def test_against_pytorch_float64(pad, calls):
    torch.manualSeed(3)
    m = nn.SpatialConvolution(4, 6, 3, 3, 1, 1, pad[0], pad[1])
    x = torch.randn(3, 4, 11, 9)
    y = m.forward(x)
    g = y.clone().normal(0, 1)
    m.zeroGradParameters()
    gi = m.backward(x, g)
    tx = ptorch.from_numpy(x.numpy().copy()).requires_grad_()
    tw = ptorch.from_numpy(m.weight.numpy().copy()).requires_grad_()
    tb = ptorch.from_numpy(m.bias.numpy().copy()).requires_grad_()
    ty = ptorch.nn.functional.conv2d(tx, tw, tb, padding=(pad[1], pad[0]))
    ty.backward(ptorch.from_numpy(g.numpy().copy()))
    assert calls["forward"] == 1
    for ours, ref in ((y, ty.detach()), (gi, tx.grad), (m.gradWeight, tw.grad), (m.gradBias, tb.grad)):
        np.testing.assert_allclose(ours.numpy(), ref.numpy(), atol=1e-10)


def test_jacobian_and_serialization(calls):
    check_module(lambda: nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1), lambda: torch.randn(2, 2, 6, 5))
    assert calls["forward"] > 0 and calls["grad_weight"] > 0


def test_layers_outside_the_rule_stay_on_columns(monkeypatch, calls):
    monkeypatch.setattr(conv2d, "WINOGRAD_MIN_TILES", 128)
    x = torch.randn(2, 3, 8, 8)
    nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1).forward(x)  # 2 images x 4 tiles < 128
    monkeypatch.setattr(conv2d, "WINOGRAD_MIN_TILES", 1)
    nn.SpatialConvolution(3, 4, 3, 3, 2, 2, 1, 1).forward(x)  # stride 2
    nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 2, 2, 2, 2).forward(x)  # dilated
    nn.SpatialConvolution(3, 4, 5, 5, 1, 1, 2, 2).forward(x)  # 5x5
    monkeypatch.setattr(conv2d, "WINOGRAD_MIN_FILL", 10)
    nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 0, 0).forward(torch.randn(2, 3, 7, 7))  # 5x5 output: 4 tiles for 25
    assert calls["forward"] == 0
    nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1).forward(x)
    assert calls["forward"] == 1
    _numba.use_numba(False)
    nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1).forward(x)
    assert calls["forward"] == 1


def test_float32_accuracy_on_a_real_sized_layer(calls, monkeypatch):
    """64 -> 32 channels on 16x16: float32 Winograd stays within 1e-4 of a float64 direct sum."""
    monkeypatch.setattr(conv2d, "WINOGRAD_MIN_TILES", 128)
    torch.manualSeed(1)
    m = nn.SpatialConvolution(64, 32, 3, 3, 1, 1, 1, 1)
    x = torch.randn(8, 64, 16, 16)
    ref = m.forward(x).clone()
    m.float()
    y = m.forward(x.float())
    assert calls["forward"] == 2
    err = np.abs(y.numpy().astype(np.float64) - ref.numpy()).max() / np.abs(ref.numpy()).max()
    assert err < 1e-5


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # NumPy on NaN data
@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_non_finite_values_land_where_a_direct_sum_puts_them(bad, calls):
    """The transforms would spread an inf over a whole 4x4 tile (inf - inf); such layers are redone on the
    columns, so every output, gradInput and gradWeight entry matches the NumPy path, NaN for NaN."""
    torch.manualSeed(4)
    base = nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)
    x = torch.randn(2, 3, 9, 9)
    x._a[1, 2, 4, 5] = bad
    g = torch.randn(2, 4, 9, 9)
    g._a[0, 1, 2, 2] = bad
    res = []
    for flag in (True, False):
        conv2d.WINOGRAD = flag
        m = base.clone()
        y = m.forward(x).clone()
        m.zeroGradParameters()
        m.backward(x, g)
        res.append((y.numpy(), m.gradInput.numpy().copy(), m.gradWeight.numpy().copy(), m.gradBias.numpy().copy()))
    assert calls["forward"] == 1 and calls["grad_input"] == 1 and calls["grad_weight"] == 1
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)
    assert np.isfinite(res[0][0]).sum() > res[0][0].size // 2  # the bad value stayed local
