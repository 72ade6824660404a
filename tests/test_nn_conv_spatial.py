"""SpatialConvolution, SpatialConvolutionMM, SpatialDilatedConvolution, SpatialFullConvolution."""

from __future__ import annotations

import numpy as np
import pytest
from nn_checks import _grad_out, check_module

import torch7 as torch
from torch7 import nn
from torch7.nn.functional import conv2d as F

pt = pytest.importorskip("torch")


def _pt(t):
    return pt.from_numpy(np.array(t.numpy()))


def _compare(m, inp, fn, weight4, tol=1e-6):
    """forward, gradInput, gradWeight and gradBias of ``m`` against PyTorch's ``fn(x, w, b)`` in float64."""
    x = _pt(inp).requires_grad_(True)
    w = _pt(m.weight).reshape(weight4).requires_grad_(True)
    b = _pt(m.bias).requires_grad_(True) if m.bias is not None else None
    y = fn(x if inp.dim() == 4 else x[None], w, b)
    if inp.dim() == 3:
        y = y[0]
    out = m.forward(inp)
    np.testing.assert_allclose(out.numpy(), y.detach().numpy(), rtol=tol, atol=tol)
    gout = _grad_out(out, 3)
    m.zeroGradParameters()
    gin = m.backward(inp, gout, 0.5)
    y.backward(_pt(gout))
    np.testing.assert_allclose(gin.numpy(), x.grad.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(m.gradWeight.numpy().reshape(weight4), 0.5 * w.grad.numpy(), rtol=tol, atol=tol)
    if b is not None:
        np.testing.assert_allclose(m.gradBias.numpy(), 0.5 * b.grad.numpy(), rtol=tol, atol=tol)


CONV_CASES = [  # nIn, nOut, kW, kH, dW, dH, padW, padH, (N,) H, W
    (3, 4, 3, 3, 1, 1, 0, 0, (2,), 7, 6),
    (2, 5, 3, 2, 2, 3, 1, 2, (3,), 9, 8),
    (3, 2, 1, 1, 1, 1, 0, 0, (), 5, 5),
    (1, 3, 5, 3, 3, 1, 2, 0, (), 7, 11),
    (4, 3, 2, 4, 1, 2, 1, 1, (1,), 6, 5),
]


@pytest.mark.parametrize("case", CONV_CASES)
@pytest.mark.parametrize("cls", ["SpatialConvolution", "SpatialConvolutionMM"])
def test_conv_against_pytorch(cls, case):
    nin, nout, kw, kh, dw, dh, pw, ph, n, h, w = case
    m = getattr(nn, cls)(nin, nout, kw, kh, dw, dh, pw, ph)
    inp = torch.randn(*n, nin, h, w)
    _compare(m, inp, lambda x, wt, b: pt.nn.functional.conv2d(x, wt, b, (dh, dw), (ph, pw)), (nout, nin, kh, kw))
    m.noBias()
    _compare(m, inp, lambda x, wt, b: pt.nn.functional.conv2d(x, wt, b, (dh, dw), (ph, pw)), (nout, nin, kh, kw))


@pytest.mark.parametrize("case", [(3, 2, 3, 3, 1, 1, 0, 0, 2, 2, (2,), 9, 8), (2, 3, 3, 2, 2, 1, 2, 1, 1, 3, (), 8, 9),
                                  (2, 2, 2, 3, 1, 2, 1, 0, 3, 2, (1,), 10, 7)])
def test_dilated_against_pytorch(case):
    nin, nout, kw, kh, dw, dh, pw, ph, dilw, dilh, n, h, w = case
    m = nn.SpatialDilatedConvolution(nin, nout, kw, kh, dw, dh, pw, ph, dilw, dilh)
    inp = torch.randn(*n, nin, h, w)
    _compare(m, inp, lambda x, wt, b: pt.nn.functional.conv2d(x, wt, b, (dh, dw), (ph, pw), (dilh, dilw)),
             (nout, nin, kh, kw))


@pytest.mark.parametrize("case", [(3, 2, 3, 3, 1, 1, 0, 0, 0, 0, (2,), 4, 5), (2, 3, 3, 2, 2, 3, 1, 0, 1, 2, (), 5, 4),
                                  (2, 2, 4, 3, 3, 2, 1, 1, 2, 0, (1,), 3, 6)])
def test_full_against_pytorch(case):
    nin, nout, kw, kh, dw, dh, pw, ph, aw, ah, n, h, w = case
    m = nn.SpatialFullConvolution(nin, nout, kw, kh, dw, dh, pw, ph, aw, ah)
    inp = torch.randn(*n, nin, h, w)

    def fn(x, wt, b):
        return pt.nn.functional.conv_transpose2d(x, wt, b, (dh, dw), (ph, pw), (ah, aw))

    _compare(m, inp, fn, (nin, nout, kh, kw))
    m.noBias()
    _compare(m, inp, fn, (nin, nout, kh, kw))


def test_full_table_input_sets_adj():
    m = nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1)
    x, target = torch.randn(2, 2, 4, 5), torch.randn(2, 3, 8, 10)
    out = m.forward([x, target])
    assert tuple(out.size()) == (2, 3, 8, 10)
    ref = pt.nn.functional.conv_transpose2d(_pt(x), _pt(m.weight), _pt(m.bias), 2, 1, (1, 1))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), atol=1e-10)
    gin = m.backward([x, target], out.clone().fill(1))
    assert isinstance(gin, list) and tuple(gin[1].size()) == (2, 3, 8, 10) and gin[1].abs().max() == 0
    assert tuple(gin[0].size()) == (2, 2, 4, 5)
    assert tuple(m.forward(x).size()) == (2, 3, 7, 9)  # plain input: adj from the fields again
    assert tuple(m.backward(x, m.output).size()) == (2, 2, 4, 5)


def test_checker_all_classes():
    check_module(lambda: nn.SpatialConvolution(2, 3, 3, 2, 2, 1, 1, 0), lambda: torch.randn(2, 2, 5, 4),
                 repr_startswith="nn.SpatialConvolution(2 -> 3, 3x2, 2,1, 1,0)")
    check_module(lambda: nn.SpatialConvolution(2, 2, 2, 2), lambda: torch.randn(2, 4, 3))
    check_module(lambda: nn.SpatialConvolution(2, 2, 2, 2).noBias(), lambda: torch.randn(2, 2, 4, 3),
                 repr_startswith="nn.SpatialConvolution(2 -> 2, 2x2) without bias")
    check_module(lambda: nn.SpatialConvolutionMM(2, 3, 2, 3, 1, 2, 1), lambda: torch.randn(2, 2, 5, 4),
                 repr_startswith="nn.SpatialConvolutionMM(2 -> 3, 2x3, 1,2, 1,1)")
    check_module(lambda: nn.SpatialConvolutionMM(2, 2, 3, 3), lambda: torch.randn(2, 4, 5))
    check_module(lambda: nn.SpatialDilatedConvolution(2, 2, 2, 2, 1, 1, 1, 1, 2, 2), lambda: torch.randn(2, 2, 5, 4),
                 repr_startswith="nn.SpatialDilatedConvolution(2 -> 2, 2x2, 1,1, 1,1, 2,2)")
    check_module(lambda: nn.SpatialDilatedConvolution(2, 2, 2, 2, 1, 1, 0, 0, 2, 1), lambda: torch.randn(2, 5, 4))
    check_module(lambda: nn.SpatialFullConvolution(2, 3, 3, 2, 2, 1, 1, 0, 1, 0), lambda: torch.randn(2, 2, 3, 3),
                 repr_startswith="nn.SpatialFullConvolution(2 -> 3, 3x2, 2,1, 1,0, 1,0)")
    check_module(lambda: nn.SpatialFullConvolution(2, 2, 2, 2), lambda: torch.randn(2, 3, 2))


def test_constructor_defaults_reset_and_print():
    m = nn.SpatialConvolution(3, 96, 11, 11, 3, 3)
    assert (m.dW, m.dH, m.padW, m.padH) == (3, 3, 0, 0) and tuple(m.weight.size()) == (96, 3, 11, 11)
    assert repr(m) == "nn.SpatialConvolution(3 -> 96, 11x11, 3,3)"
    assert repr(nn.SpatialConvolution(3, 4, 5, 5)) == "nn.SpatialConvolution(3 -> 4, 5x5)"
    assert repr(nn.SpatialConvolution(3, 4, 5, 5, 1, 1, 2)) == "nn.SpatialConvolution(3 -> 4, 5x5, 1,1, 2,2)"
    assert nn.SpatialConvolution(3, 4, 5, 5, 1, 1, 2, 1).padH == 1
    stdv = 1 / np.sqrt(11 * 11 * 3)
    assert np.abs(m.weight.numpy()).max() <= stdv and np.abs(m.weight.numpy()).max() > 0.9 * stdv
    assert np.abs(m.bias.numpy()).max() <= stdv
    m.reset(0.01)
    assert np.abs(m.weight.numpy()).max() <= 0.01 * np.sqrt(3)
    d = nn.SpatialDilatedConvolution(3, 4, 3, 3)
    assert (d.dilationW, d.dilationH) == (1, 1) and repr(d) == "nn.SpatialDilatedConvolution(3 -> 4, 3x3, 1,1)"
    mm = nn.SpatialConvolutionMM(3, 4, 3, 2)
    assert tuple(mm.weight.size()) == (4, 18) and not isinstance(mm, nn.SpatialConvolution)
    f = nn.SpatialFullConvolution(3, 4, 3, 3)
    assert tuple(f.weight.size()) == (3, 4, 3, 3) and (f.adjW, f.adjH, f.padH) == (0, 0, 0)
    assert repr(f) == "nn.SpatialFullConvolution(3 -> 4, 3x3)"
    assert np.abs(f.weight.numpy()).max() <= 1 / np.sqrt(27)
    with pytest.raises(ValueError, match="adjW"):
        nn.SpatialFullConvolution(3, 4, 3, 3, 2, 2, 0, 0, 2, 0)


def test_errors_and_float():
    m = nn.SpatialConvolution(3, 4, 3, 3)
    with pytest.raises(ValueError, match=r"nn.SpatialConvolution\(3 -> 4, 3x3\): input of size 2x5x7x7 has 5 planes"):
        m.forward(torch.randn(2, 5, 7, 7))
    with pytest.raises(ValueError, match="too small"):
        m.forward(torch.randn(3, 2, 7))
    with pytest.raises(ValueError, match="3-D"):
        m.forward(torch.randn(3, 7))
    m.float()
    out = m.forward(torch.randn(2, 3, 6, 6).float())
    assert out.type() == "torch.FloatTensor" and m.backward(torch.randn(2, 3, 6, 6).float(), out).type() == \
        "torch.FloatTensor"
    assert m.clearState() is m and m.finput.nElement() == 0


def test_noncontiguous_input_and_buffer_reuse():
    m = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1)
    x = torch.randn(5, 2, 6, 2).transpose(1, 3).transpose(0, 2)  # 6x2x5x5, not contiguous
    ref = pt.nn.functional.conv2d(_pt(x), _pt(m.weight), _pt(m.bias), 1, 1)
    np.testing.assert_allclose(m.forward(x).numpy(), ref.numpy(), atol=1e-10)
    out_arr = m.output._a
    m.forward(x)
    assert m.output._a is out_arr


def test_im2col_col2im_adjoint():
    # <im2col(x), c> == <x, col2im(c)>: col2im is the exact transpose of im2col.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 6))
    args = (3, 2, 2, 1, 1, 2, 2, 1)
    oh, ow = F.out_size(7, 3, 2, 1, 2), F.out_size(6, 2, 1, 2, 1)
    cols = F.im2col(x, *args, oh, ow, np.empty((3 * 3 * 2, 2 * oh * ow)))
    c = rng.standard_normal(cols.shape)
    back = F.col2im(c, *args, oh, ow, np.empty_like(x))
    assert abs((cols * c).sum() - (x * back).sum()) < 1e-9


@pytest.mark.parametrize("make", [lambda: nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1),
                                  lambda: nn.SpatialConvolutionMM(3, 4, 3, 3),
                                  lambda: nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 1, 1, 2, 2)])
def test_gradinput_nil_skips_the_input_gradient(make):
    """Torch7's idiom ``net:get(1).gradInput = nil``: no input gradient, the same parameter gradients."""
    torch.manualSeed(5)
    x = torch.randn(3, 8, 7)
    conv = make()
    net = nn.Sequential().add(conv).add(nn.Tanh()).add(nn.View(-1)).add(nn.Linear(conv.forward(x).nElement(), 2))
    ref = net.clone()
    net.modules[0].gradInput = None
    for m in (net, ref):
        m.zeroGradParameters()
        m.backward(x, m.forward(x).clone().fill(1))
    assert net.gradInput is None and ref.gradInput.size() == x.size()
    np.testing.assert_array_equal(net.getParameters()[1].numpy(), ref.getParameters()[1].numpy())
    net.float().double().clearState()  # type conversions and clearState leave the nil alone
    assert net.clone().modules[0].gradInput is None
