"""Element-wise math, other math (Normalize, MM, MV, PixelShuffle) and misc simple layers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from nn_checks import _grad_out, check_module, compare_with_torch

import torch7 as torch
from torch7 import nn

pt = pytest.importorskip("torch")
F = pt.nn.functional


def _pt(t, grad=False):
    x = pt.from_numpy(np.array(t.numpy(), np.float64))
    return x.requires_grad_(True) if grad else x


def _positive(*shape):
    return lambda: torch.rand(*shape).add(0.5)


def _close(a, b, tol=1e-10):
    np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64), rtol=tol, atol=tol)


# ---- element-wise math ---------------------------------------------------------------------------
@pytest.mark.parametrize("make, fn", [
    (lambda: nn.Exp(), pt.exp),
    (lambda: nn.Abs(), pt.abs),
    (lambda: nn.Square(), pt.square),
    (lambda: nn.Power(3), lambda x: x ** 3),
    (lambda: nn.Power(2), lambda x: x ** 2),
])
def test_elementwise_any_sign(make, fn):
    check_module(make, lambda: torch.randn(3, 4))
    check_module(make, lambda: torch.randn(5))
    compare_with_torch(make(), fn, torch.randn(2, 3, 4))


@pytest.mark.parametrize("make, fn", [
    (lambda: nn.Log(), pt.log),
    (lambda: nn.Sqrt(), pt.sqrt),
    (lambda: nn.Power(0.5), lambda x: x ** 0.5),
    (lambda: nn.Power(-1.5), lambda x: x ** -1.5),
    (lambda: nn.Sqrt(0.25), lambda x: pt.sqrt(x + 0.25)),
])
def test_elementwise_positive_domain(make, fn):
    # Torch7 differentiates these on positive inputs (testJacobian(m, x, 0.1, 10)).
    check_module(make, _positive(3, 4), jacobian=False)
    for x in (torch.rand(3, 4).add(0.5), torch.rand(6).add(0.5)):
        assert nn.Jacobian.testJacobian(make(), x, 0.1, 10) < 1e-5
    compare_with_torch(make(), fn, torch.rand(2, 3, 4).add(0.1))


def test_elementwise_details():
    # Abs has slope +1 at 0 (Torch7), Sqrt a zero gradient where the output is 0.
    x = torch.Tensor([0, -1, 2])
    g = torch.Tensor([1, 1, 1])
    _close(nn.Abs().backward(x, g).numpy(), [1, -1, 1])
    m = nn.Sqrt()
    _close(m.forward(torch.Tensor([0, 4])).numpy(), [0, 2])
    _close(m.backward(torch.Tensor([0, 4]), torch.Tensor([1, 1])).numpy(), [0, 0.25])
    assert nn.Power(2).pow == 2 and nn.Sqrt(0.5).eps == 0.5
    with pytest.raises(TypeError, match="nn.Power"):
        nn.Power()
    # non-contiguous input and gradOutput
    x = torch.randn(4, 3).t()
    gout = torch.randn(4, 3).t()
    m = nn.Exp()
    _close(m.forward(x).numpy(), np.exp(x.numpy()))
    _close(m.backward(x, gout).numpy(), np.exp(x.numpy()) * gout.numpy())
    # float
    m = nn.Square().float()
    y = m.forward(torch.FloatTensor([1.5, -2]))
    assert y.type() == "torch.FloatTensor" and y.numpy().tolist() == [2.25, 4.0]


def test_clamp():
    check_module(lambda: nn.Clamp(-0.5, 0.7), lambda: torch.randn(3, 4))
    check_module(lambda: nn.Clamp(-0.5, 0.7), lambda: torch.randn(6))
    compare_with_torch(nn.Clamp(-0.3, 1.1), lambda x: pt.clamp(x, -0.3, 1.1), torch.randn(4, 5))
    m = nn.Clamp(-2, 3)
    assert isinstance(m, nn.HardTanh) and torch.typename(m) == "nn.Clamp"
    assert m.min_val == -2 and m.max_val == 3
    _close(m.forward(torch.Tensor([-5, 0.5, 5])).numpy(), [-2, 0.5, 3])


# ---- Normalize ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [1, 2, 3, 1.5, 4, math.inf])
def test_normalize(p):
    check_module(lambda: nn.Normalize(p), lambda: torch.randn(3, 5))
    check_module(lambda: nn.Normalize(p), lambda: torch.randn(6))
    compare_with_torch(nn.Normalize(p), lambda x: F.normalize(x, p=p, dim=-1), torch.randn(4, 7))
    compare_with_torch(nn.Normalize(p), lambda x: F.normalize(x, p=p, dim=0), torch.randn(7))


def test_normalize_details():
    assert repr(nn.Normalize(2)) == "nn.Normalize(2)"
    assert repr(nn.Normalize(1.5)) == "nn.Normalize(1.500000)"
    assert repr(nn.Normalize(math.inf)) == "nn.Normalize(inf)"
    m = nn.Normalize(2)
    assert m.p == 2 and m.eps == 1e-10
    x = torch.Tensor([[3, 4], [0, 0]])
    _close(m.forward(x).numpy(), [[0.6, 0.8], [0, 0]], 1e-8)  # eps keeps the zero row finite
    assert np.isfinite(m.backward(x, torch.ones(2, 2)).numpy()).all()
    with pytest.raises(ValueError, match="Normalize"):
        nn.Normalize(0)
    with pytest.raises(ValueError, match="Normalize"):
        m.forward(torch.Tensor())
    assert m.clearState() is m


# ---- MM / MV ---------------------------------------------------------------------------------------
def _table_vs_torch(module, inputs, torch_fn):
    xs = [_pt(x, True) for x in inputs]
    y = torch_fn(*xs)
    out = module.forward(inputs)
    _close(out.numpy(), y.detach().numpy(), 1e-12)
    gout = _grad_out(out)
    gin = module.backward(inputs, gout)
    y.backward(_pt(gout))
    assert isinstance(gin, list) and len(gin) == len(xs)
    for g, x in zip(gin, xs):
        _close(g.numpy(), x.grad.numpy(), 1e-12)


@pytest.mark.parametrize("transA", [False, True])
@pytest.mark.parametrize("transB", [False, True])
def test_mm(transA, transB):
    def shapes(batch):
        a = (3, 2) if transA else (2, 3)
        b = (4, 3) if transB else (3, 4)
        return ((5,) + a, (5,) + b) if batch else (a, b)

    def op(a, b):
        return (a.transpose(-1, -2) if transA else a) @ (b.transpose(-1, -2) if transB else b)

    for batch in (False, True):
        sa, sb = shapes(batch)
        check_module(lambda: nn.MM(transA, transB), lambda sa=sa, sb=sb: [torch.randn(*sa), torch.randn(*sb)])
        _table_vs_torch(nn.MM(transA, transB), [torch.randn(*sa), torch.randn(*sb)], op)


def test_mm_errors():
    with pytest.raises(ValueError, match=r"nn.MM: matrix sizes do not match: 2x3 times 4x5"):
        nn.MM().forward([torch.randn(2, 3), torch.randn(4, 5)])
    with pytest.raises(ValueError, match="nn.MM"):
        nn.MM().forward([torch.randn(2, 3), torch.randn(1, 3, 5)])
    with pytest.raises(TypeError, match="nn.MM"):
        nn.MM().forward(torch.randn(2, 3))
    m = nn.MM()
    m.forward([torch.randn(2, 3), torch.randn(3, 4)])
    assert m.clearState() is m and len(m.gradInput) == 2


@pytest.mark.parametrize("trans", [False, True])
def test_mv(trans):
    def op(m, v):
        return ((m.transpose(-1, -2) if trans else m) @ v[..., None])[..., 0]

    for batch in (False, True):
        sm, sv = ((3, 4), (3,) if trans else (4,))
        if batch:
            sm, sv = (2,) + sm, (2,) + sv
        check_module(lambda: nn.MV(trans), lambda sm=sm, sv=sv: [torch.randn(*sm), torch.randn(*sv)])
        _table_vs_torch(nn.MV(trans), [torch.randn(*sm), torch.randn(*sv)], op)
    with pytest.raises(ValueError, match="nn.MV"):
        nn.MV(trans).forward([torch.randn(3, 4), torch.randn(5)])
    with pytest.raises(TypeError, match="boolean"):
        nn.MV(1)


# ---- PixelShuffle -----------------------------------------------------------------------------------
@pytest.mark.parametrize("r, shape", [(2, (2, 8, 2, 3)), (3, (9, 2, 2)), (1, (2, 3, 2, 2))])
def test_pixel_shuffle(r, shape):
    check_module(lambda: nn.PixelShuffle(r), lambda: torch.randn(*shape))
    compare_with_torch(nn.PixelShuffle(r), pt.nn.PixelShuffle(r), torch.randn(*shape))
    m = nn.PixelShuffle(r)
    assert m.upscaleFactor == r and m.upscaleFactorSquared == r * r


def test_pixel_shuffle_errors():
    with pytest.raises(ValueError, match="not divisible by upscaleFactor"):
        nn.PixelShuffle(2).forward(torch.randn(1, 6, 2, 2))
    with pytest.raises(ValueError, match="PixelShuffle"):
        nn.PixelShuffle(2).forward(torch.randn(4, 2))


# ---- Dropout ----------------------------------------------------------------------------------------
def test_dropout_checker_and_eval():
    for v1 in (False, True):
        check_module(lambda v1=v1: nn.Dropout(0.3, v1), lambda: torch.randn(3, 4), stochastic=True)
        check_module(lambda v1=v1: nn.Dropout(0.3, v1), lambda: torch.randn(5), stochastic=True)
    # evaluate mode of version 2 is the identity, as PyTorch's dropout without training
    compare_with_torch(nn.Dropout(0.4).evaluate(), lambda x: F.dropout(x, 0.4, training=False), torch.randn(3, 5))
    # version 1 scales by (1-p) in evaluation, forward and backward
    m = nn.Dropout(0.25, True).evaluate()
    x = torch.randn(4)
    _close(m.forward(x).numpy(), 0.75 * x.numpy())
    _close(m.backward(x, torch.ones(4)).numpy(), [0.75] * 4)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_dropout_training_statistics(p):
    n = 100_000
    torch.manualSeed(42)
    m = nn.Dropout(p)
    y = m.forward(torch.ones(n)).numpy()
    dropped = (y == 0).mean()
    assert abs(dropped - p) < 0.01
    assert abs(y.mean() - 1) < 0.02  # 1/(1-p) scaling preserves the mean
    np.testing.assert_allclose(np.unique(y), [0, 1 / (1 - p)])
    # backward masks with the same noise
    g = m.backward(torch.ones(n), torch.ones(n).mul(2)).numpy()
    np.testing.assert_array_equal(g, 2 * y)
    # version 1: no scaling while training
    y1 = nn.Dropout(p, True).forward(torch.ones(n)).numpy()
    np.testing.assert_allclose(np.unique(y1), [0, 1])
    assert abs((y1 == 0).mean() - p) < 0.01


def test_dropout_follows_manual_seed():
    torch.manualSeed(7)
    a = nn.Dropout(0.5).forward(torch.ones(50)).numpy().copy()
    torch.manualSeed(7)
    b = nn.Dropout(0.5).forward(torch.ones(50)).numpy().copy()
    np.testing.assert_array_equal(a, b)
    torch.manualSeed(7)
    mask = torch.Tensor(50).bernoulli(0.5).numpy()  # the Bernoulli generator, as Torch7's noise
    np.testing.assert_array_equal(a, 2 * mask)
    torch.manualSeed(7)
    c = nn.Dropout(0.5).float().forward(torch.FloatTensor(50).fill(1)).numpy()
    np.testing.assert_array_equal(a, c)


def test_dropout_fields_modes_and_repr():
    m = nn.Dropout()
    assert (m.p, m.train, m.inplace, m.stochastic_inference, m.v2) == (0.5, True, False, False, True)
    assert repr(m) == "nn.Dropout(0.500000)" and repr(nn.Dropout(0.25)) == "nn.Dropout(0.250000)"
    assert nn.Dropout(0.1, True).v2 is False
    m.setp(0.2)
    assert m.p == 0.2
    for bad in (1, 1.5, -0.1):
        with pytest.raises(ValueError, match="illegal percentage"):
            nn.Dropout(bad)
    # p = 0: identity even while training
    x = torch.randn(10)
    _close(nn.Dropout(0).forward(x).numpy(), x.numpy())
    # in place: the input itself is masked
    x = torch.ones(1000)
    m = nn.Dropout(0.5, False, True)
    y = m.forward(x)
    assert y.storage() is x.storage() and (x.numpy() == 0).any()
    g = torch.ones(1000)
    assert m.backward(x, g).storage() is g.storage()
    _close(g.numpy(), y.numpy())
    # stochastic inference keeps dropping in evaluation mode
    m = nn.Dropout(0.5, False, False, True).evaluate()
    assert m.stochastic_inference and (m.forward(torch.ones(1000)).numpy() == 0).any()
    m = nn.Dropout().float()
    assert m.noise.type() == "torch.FloatTensor"
    assert m.clearState() is m and m.noise.nElement() == 0


@pytest.mark.parametrize("cls, shape", [(nn.SpatialDropout, (4, 50, 3, 3)), (nn.SpatialDropout, (60, 2, 3)),
                                        (nn.VolumetricDropout, (3, 40, 2, 2, 2)),
                                        (nn.VolumetricDropout, (60, 2, 2, 3))])
def test_feature_dropout(cls, shape):
    check_module(lambda: cls(0.3), lambda: torch.randn(*shape[:1], 3, *shape[2:]), stochastic=True)
    torch.manualSeed(3)
    m = cls(0.4)
    x = torch.ones(*shape)
    y = m.forward(x).numpy()
    spatial = shape[-(cls._nd - 2):]
    maps = y.reshape(-1, int(np.prod(spatial)))  # one row per feature map
    assert (maps == maps[:, :1]).all()  # whole maps kept or dropped
    assert set(np.unique(maps)) <= {0.0, 1.0}  # no rescaling while training
    assert abs((maps[:, 0] == 0).mean() - 0.4) < 0.15
    g = m.backward(x, torch.ones(*shape).mul(3)).numpy()
    np.testing.assert_array_equal(g, 3 * y)
    m.evaluate()
    _close(m.forward(x).numpy(), np.full(shape, 0.6))
    _close(m.backward(x, torch.ones(*shape)).numpy(), np.full(shape, 0.6))
    assert repr(cls(0.4)) == f"{torch.typename(m)}(0.400000)"
    s = cls(0.5, True).evaluate()
    assert s.stochastic_inference and (s.forward(torch.ones(*shape)).numpy() == 0).any()
    with pytest.raises(ValueError, match=torch.typename(m)):
        cls().forward(torch.ones(3, 3))


def test_feature_dropout_fraction_large():
    torch.manualSeed(11)
    y = nn.SpatialDropout(0.3).forward(torch.ones(1000, 100, 1, 1)).numpy()
    assert abs((y == 0).mean() - 0.3) < 0.01


# ---- Padding -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dim, pad, nInputDim, value, shape, torch_pad", [
    (0, 2, 1, 0, (3,), (0, 2)),
    (0, -2, 1, 1.5, (3,), (2, 0)),
    (0, 3, 1, -1, (4, 5), (0, 3)),  # batch: dim 0 of a sample is dim 1 here
    (1, -1, 2, 0, (3, 4), (1, 0)),  # non-batch 2-D input, pad before along dim 1
    (1, 2, 3, 0.5, (2, 3, 4, 5), (0, 0, 0, 2)),  # batch of 3-D, dim 1 -> 2
    (-1, -2, None, 2, (2, 3), (2, 0)),
])
def test_padding_vs_pad(dim, pad, nInputDim, value, shape, torch_pad):
    make = lambda: nn.Padding(dim, pad, nInputDim, value)  # noqa: E731
    check_module(make, lambda: torch.randn(*shape))
    compare_with_torch(make(), lambda x: F.pad(x, torch_pad, value=value), torch.randn(*shape))


@pytest.mark.parametrize("pad, index", [(-2, 0), (-2, 1), (-2, 3), (-2, 4), (3, 0), (3, 1), (3, 4)])
def test_padding_index(pad, index):
    x = torch.randn(2, 4)
    m = nn.Padding(1, pad, 2, 7.0, index)
    pos = index if pad < 0 else 4 - index
    ref = np.insert(x.numpy(), [pos] * abs(pad), 7.0, axis=1)
    _close(m.forward(x).numpy(), ref)
    g = torch.randn(2, 4 + abs(pad))
    _close(m.backward(x, g).numpy(), np.delete(g.numpy(), range(pos, pos + abs(pad)), axis=1))
    check_module(lambda: nn.Padding(1, pad, 2, 7.0, index), lambda: torch.randn(2, 4))
    assert list(m.outputSize) == [2, 4 + abs(pad)]


def test_padding_errors():
    with pytest.raises(IndexError, match="nn.Padding"):
        nn.Padding(3, 1).forward(torch.randn(2, 3))
    with pytest.raises(IndexError, match="nn.Padding"):
        nn.Padding(0, 1, 1, 0, 5).forward(torch.randn(3))
    m = nn.Padding(0, 1)
    assert (m.dim, m.pad, m.nInputDim, m.value, m.index) == (0, 1, None, 0, 0)


# ---- L1Penalty, GradientReversal, ZeroGrad -----------------------------------------------------------------
@pytest.mark.parametrize("sizeAverage", [False, True])
def test_l1_penalty(sizeAverage):
    check_module(lambda: nn.L1Penalty(0.3, sizeAverage), lambda: torch.randn(3, 4), jacobian=False)
    m = nn.L1Penalty(0.3, sizeAverage)
    x = torch.randn(3, 4)
    assert m.forward(x) is x
    w = 0.3 / 12 if sizeAverage else 0.3
    assert m.loss == pytest.approx(w * np.abs(x.numpy()).sum())
    # gradient of (penalty + <gradOutput, output>) with PyTorch's autograd
    gout = torch.randn(3, 4)
    xt = _pt(x, True)
    (w * xt.abs().sum() + (xt * _pt(gout)).sum()).backward()
    _close(m.backward(x, gout).numpy(), xt.grad.numpy(), 1e-12)
    m = nn.L1Penalty(0.3, sizeAverage, False)
    m.forward(x)
    _close(m.backward(x, gout).numpy(), w * np.sign(x.numpy()))
    assert nn.L1Penalty(1).provideOutput is True and nn.L1Penalty(1).sizeAverage is False
    m = nn.L1Penalty(1)
    m.forward(x)
    assert m.clearState() is m and x.nElement() == 12  # clearing does not empty the caller's tensor


def test_gradient_reversal():
    check_module(lambda: nn.GradientReversal(0.7), lambda: torch.randn(3, 4), jacobian=False)
    m = nn.GradientReversal()
    assert getattr(m, "lambda") == 1
    x, g = torch.randn(2, 3), torch.randn(2, 3)
    y = m.forward(x)
    _close(y.numpy(), x.numpy())
    assert y.storage() is x.storage()
    _close(m.backward(x, g).numpy(), -g.numpy())
    m.setLambda(0.25)
    _close(m.backward(x, g).numpy(), -0.25 * g.numpy())
    # the gradient reversal layer of domain-adversarial training, written with PyTorch's autograd
    xt = _pt(x, True)
    (xt.detach() + (xt - xt.detach()) * -0.25).backward(_pt(g))
    _close(m.gradInput.numpy(), xt.grad.numpy())


def test_zero_grad():
    check_module(lambda: nn.ZeroGrad(), lambda: torch.randn(3, 4), jacobian=False)
    m = nn.ZeroGrad()
    x = torch.randn(3, 2)
    y = m.forward(x)
    assert y.storage() is x.storage()
    gi = m.backward(x, torch.randn(3, 2))
    assert gi.size() == (3, 2) and not gi.numpy().any()
    gi = m.backward([x, x], [torch.randn(2), [torch.randn(3, 1)]])
    assert gi[0].size() == (2,) and gi[1][0].size() == (3, 1) and not gi[1][0].numpy().any()
    with pytest.raises(TypeError, match="ZeroGrad"):
        m.backward(x, "bad")


# ---- Constant, WhiteNoise, OneHot, PrintSize, Collapse ------------------------------------------------------
def test_constant():
    value = torch.randn(2, 3)
    check_module(lambda: nn.Constant(value.clone(), 2), lambda: torch.randn(4, 5, 6))
    check_module(lambda: nn.Constant(value.clone(), 2), lambda: torch.randn(5, 6))
    m = nn.Constant(value, 2)
    _close(m.forward(torch.randn(4, 5, 6)).numpy(), np.broadcast_to(value.numpy(), (4, 2, 3)))
    _close(m.forward(torch.randn(5, 6)).numpy(), value.numpy())
    assert not m.backward(torch.randn(5, 6), torch.randn(2, 3)).numpy().any()
    m = nn.Constant(3.5)
    assert m.value.size() == (1,) and m.forward(torch.randn(9)).numpy().tolist() == [3.5]
    assert m.float().forward(torch.FloatTensor(2)).type() == "torch.FloatTensor"
    with pytest.raises(TypeError, match="nn.Constant"):
        nn.Constant("x")


def test_white_noise():
    check_module(lambda: nn.WhiteNoise(0.5, 0.2), lambda: torch.randn(3, 4), stochastic=True)
    x = torch.randn(100_000)
    torch.manualSeed(5)
    m = nn.WhiteNoise(0.5, 0.2)
    noise = m.forward(x).numpy() - x.numpy()
    assert abs(noise.mean() - 0.5) < 0.005 and abs(noise.std() - 0.2) < 0.005
    torch.manualSeed(5)
    _close(noise, torch.Tensor(100_000).normal(0.5, 0.2).numpy())  # torch's normal generator
    g = torch.randn(100_000)
    _close(m.backward(x, g).numpy(), g.numpy())
    m.evaluate()
    _close(m.forward(x).numpy(), x.numpy() + 0.5)
    assert repr(nn.WhiteNoise()) == "nn.WhiteNoise mean: 0.000000, std: 0.100000"
    assert m.clearState() is m


def test_one_hot():
    check_module(lambda: nn.OneHot(5), lambda: torch.LongTensor([3, 0, 4, 4, 1]), jacobian=False,
                 repr_startswith="nn.OneHot")
    check_module(lambda: nn.OneHot(5), lambda: torch.Tensor([3, 0, 4]), jacobian=False)
    idx = torch.LongTensor([2, 0, 1, 2, 6])
    m = nn.OneHot(7)
    y = m.forward(idx)
    _close(y.numpy(), F.one_hot(pt.from_numpy(idx.numpy().copy()), 7).numpy())
    assert y.type() == "torch.DoubleTensor" and m.outputSize == 7
    assert torch.typename(m) == "nn.OneHot" and issubclass(nn.REGISTRY["OneHot"], nn.OneHot)
    assert torch.typename(nn.REGISTRY["OneHot"](3)) == "OneHot"  # char-rnn's global class keeps its name
    assert m.float().forward(idx).type() == "torch.FloatTensor"
    _close(nn.OneHot(3).forward(torch.LongTensor([[0, 2]])).numpy(), [[[1, 0, 0], [0, 0, 1]]])
    with pytest.raises(IndexError, match="OneHot"):
        m.forward(torch.LongTensor([7]))
    with pytest.raises(IndexError, match="OneHot"):
        m.forward(torch.LongTensor([-1]))


def test_print_size(capsys):
    check_module(lambda: nn.PrintSize(), lambda: torch.randn(2, 3))
    capsys.readouterr()
    m = nn.PrintSize("layer3")
    x = torch.randn(2, 3)
    assert m.forward(x) is x
    assert capsys.readouterr().out == "layer3:input\n\t 2\n 3\n[torch.LongStorage of size 2]\n"
    g = torch.randn(2, 3)
    assert m.backward(x, g) is g
    assert capsys.readouterr().out.startswith("layer3:gradOutput\n\t 2\n 3\n")
    m.forward([x, torch.randn(4)])
    assert "layer3:input" in capsys.readouterr().out
    assert nn.PrintSize().prefix == "PrintSize"


def test_collapse():
    check_module(lambda: nn.Collapse(2), lambda: torch.randn(3, 2, 4))
    check_module(lambda: nn.Collapse(2), lambda: torch.randn(2, 4))
    m = nn.Collapse(2)
    x = torch.randn(3, 2, 4)
    y = m.forward(x)
    assert y.size() == (3, 8) and y.storage() is x.storage()
    _close(y.numpy(), x.numpy().reshape(3, 8))
    assert m.backward(x, torch.randn(3, 8)).size() == (3, 2, 4)
    xt = torch.randn(4, 2, 3).transpose(0, 2)  # non-contiguous: copied first
    _close(m.forward(xt).numpy(), xt.numpy().reshape(3, 8))
    assert m.backward(xt, torch.randn(8, 3).t()).size() == (3, 2, 4)
    assert m.clearState() is m and x.nElement() == 24


# ---- Convert --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b, shape, ref", [
    ("bchw", "bf", (2, 3, 2, 2), lambda x: x.reshape(2, -1)),
    ("chw", "f", (3, 2, 2), lambda x: x.reshape(-1)),
    ("bchw", "bhwc", (2, 3, 2, 4), lambda x: x.transpose(0, 2, 3, 1)),
    ("chw", "hwc", (3, 2, 4), lambda x: x.transpose(1, 2, 0)),
    ("bf", "fb", (2, 5), lambda x: x.T),
    ("hwcb", "bf", (2, 2, 3, 2), lambda x: x.swapaxes(0, 3).reshape(2, -1)),  # Torch7 swaps b to the front
    ("bt", "b", (4, 3), lambda x: x[:, 0]),
    ("tb", "b", (3, 4), lambda x: x[0]),
    ("b", "bt", (4,), lambda x: x[:, None]),
    ("b", "bf", (4,), lambda x: x[:, None]),
])
def test_convert(a, b, shape, ref):
    check_module(lambda: nn.Convert(a, b), lambda: torch.randn(*shape))
    x = torch.randn(*shape)
    m = nn.Convert(a, b)
    _close(m.forward(x).numpy(), ref(x.numpy()))
    assert m.modules[0] is m.converter and m.backward(x, _grad_out(m.output)).size() == x.size()


def test_convert_types_and_errors():
    m = nn.Convert()
    assert (m.inputShape, m.outputShape, m.nInputDim, m.transposition) == ("b*", "b*", -1, True)
    m.float()
    x = torch.randn(2, 3)
    y = m.forward(x)
    assert y.type() == "torch.FloatTensor"
    _close(y.numpy(), x.numpy(), 1e-6)
    g = m.backward(x, torch.FloatTensor(2, 3).fill(1))
    assert g.type() == "torch.DoubleTensor" and g.numpy().tolist() == [[1, 1, 1]] * 2
    m = nn.Convert("chw", "f")
    assert (m.inputShape, m.outputShape, m.inputBatchDim, m.outputBatchDim) == ("bchw", "bf", 0, 0)
    assert repr(m) == "nn.Convert"
    with pytest.raises(ValueError, match="inputShape"):
        nn.Convert(None, "bf")
    with pytest.raises(ValueError, match="b\\*"):
        nn.Convert("b*", "bf")
    with pytest.raises(ValueError, match="unrecognized conversion"):
        nn.Convert("bf", "bcd").forward(torch.randn(2, 3))
    with pytest.raises(ValueError, match="feature size"):
        nn.Convert("bf", "b").forward(torch.randn(2, 3))
    with pytest.raises(TypeError, match="nn.Convert"):
        nn.Convert().forward([torch.randn(2)])
