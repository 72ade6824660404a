"""Containers and decorators: Parallel, Concat, DepthConcat, ConcatTable, ParallelTable, MapTable, GPU,
Decorator, Bottle, WeightNorm, DontCast, NaN, Profile.

Every class goes through the shared checker where it fits (tensor inputs), through finite differences by
hand for list inputs/outputs, and against a composition of our own modules (or PyTorch in float64 where the
composition exists there: concatenated Linears, Linear over extra leading dims, weight normalisation via
autograd). Prints are compared with Torch7's exact formats.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest
from nn_checks import (
    _flat,
    _grad_out,
    all_update,
    check_module,
    compare_with_torch,
    copy_to_torch,
    io_round_trip,
    jacobian_input,
    jacobian_parameters,
)

import torch7 as torch
from torch7 import nn

try:
    import torch as pt
except ImportError:  # pragma: no cover - PyTorch is the oracle, installed in the project venv
    pt = None

needs_torch = pytest.mark.skipif(pt is None, reason="PyTorch (the oracle) is not installed")


# ---- test-only modules ------------------------------------------------------------------------
class _Crop(nn.Module):
    """Rows ``start .. start+length-1`` of the input (dim 0), copied; zero gradient elsewhere."""

    def __init__(self, start, length):
        super().__init__()
        self.start, self.length = start, length

    def updateOutput(self, input):
        v = input.narrow(0, self.start, self.length)
        self.output.resizeAs(v).copy(v)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        self.gradInput.narrow(0, self.start, self.length).copy(gradOutput)
        return self.gradInput


class _Pick(nn.Module):
    """Entry ``index`` of a list input (like SelectTable); gradInput is a zero list but that entry."""

    def __init__(self, index):
        super().__init__()
        self.index = index

    def updateOutput(self, input):
        self.output = input[self.index]
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = [_zeros_like(x) for x in input]
        self.gradInput[self.index] = _copy(gradOutput)
        return self.gradInput


class _RowSum(nn.Module):
    """(N, F) -> (N): the sum of each row."""

    def updateOutput(self, input):
        self.output = input.sum(1).view(input.size(0))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).copy(gradOutput.view(input.size(0), 1).expandAs(input))
        return self.gradInput


def _zeros_like(x):
    return [_zeros_like(v) for v in x] if isinstance(x, list) else x.new().resizeAs(x).zero()


def _copy(x):
    return [_copy(v) for v in x] if isinstance(x, list) else x.clone()


def _np(x):
    return np.array(x.numpy(), np.float64)


# ---- finite differences for list inputs/outputs ------------------------------------------------
def _loss(module, inp, gout) -> float:
    return float(np.dot(_flat(module.forward(inp)), _flat(gout)))


def fd_parameters(module, inp, eps=1e-6, tol=1e-6) -> None:
    """d<output, gradOutput>/d(param) by central differences against accGradParameters."""
    out = module.forward(inp)
    gout = _grad_out(out, seed=3)
    module.zeroGradParameters()
    module.forward(inp)
    module.backward(inp, gout)
    params, grads = module.parameters()
    assert params, f"{module._typename}: no parameters to check"
    for p, g in zip(params, grads):
        flat = p.numpy().reshape(-1)
        num = np.empty(flat.size)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            hi = _loss(module, inp, gout)
            flat[i] = orig - eps
            lo = _loss(module, inp, gout)
            flat[i] = orig
            num[i] = (hi - lo) / (2 * eps)
        np.testing.assert_allclose(_np(g).reshape(-1), num, atol=tol, rtol=tol)


def fd_input_nested(module, inp, eps=1e-6, tol=1e-6) -> None:
    """Input gradient for (nested) list inputs, against central differences of <output, gradOutput>."""
    out = module.forward(inp)
    gout = _grad_out(out, seed=5)
    module.forward(inp)
    gin = module.updateGradInput(inp, gout)

    def leaves(x):
        return [t for v in x for t in leaves(v)] if isinstance(x, list) else [x]

    for x, g in zip(leaves(inp), leaves(gin), strict=True):
        flat = x.numpy().reshape(-1)
        num = np.empty(flat.size)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            hi = _loss(module, inp, gout)
            flat[i] = orig - eps
            lo = _loss(module, inp, gout)
            flat[i] = orig
            num[i] = (hi - lo) / (2 * eps)
        np.testing.assert_allclose(_np(g).reshape(-1), num, atol=tol, rtol=tol)


def _linear_np(m, x):
    return x @ _np(m.weight).T + _np(m.bias)


# ---- Concat ------------------------------------------------------------------------------------
def _concat():
    return nn.Concat(1).add(nn.Linear(5, 3)).add(nn.Linear(5, 2))


def test_concat_checker():
    check_module(_concat, lambda: torch.randn(4, 5), repr_startswith="nn.Concat {")
    check_module(lambda: nn.Concat(0).add(nn.Linear(5, 3)).add(nn.Identity()), lambda: torch.randn(5))
    check_module(lambda: nn.Concat(-1).add(nn.Linear(5, 3)).add(nn.Linear(5, 4)), lambda: torch.randn(2, 5))


def test_concat_equals_cat_of_children():
    m = _concat()
    x = torch.randn(4, 5)
    out = m.forward(x)
    a, b = m.get(0), m.get(1)
    ref = torch.cat(a.forward(x).clone(), b.forward(x).clone(), 1)
    np.testing.assert_allclose(_np(out), _np(ref), atol=1e-12)
    assert list(m.outputSize) == [4, 5]
    g = torch.randn(4, 5)
    gin = m.backward(x, g)
    want = _np(g)[:, :3] @ _np(a.weight) + _np(g)[:, 3:] @ _np(b.weight)
    np.testing.assert_allclose(_np(gin), want, atol=1e-12)
    np.testing.assert_allclose(_np(b.gradBias), _np(g)[:, 3:].sum(0), atol=1e-12)


@needs_torch
def test_concat_against_pytorch():
    m = _concat()
    l1, l2 = pt.nn.Linear(5, 3).double(), pt.nn.Linear(5, 2).double()
    copy_to_torch(m.get(0), l1)
    copy_to_torch(m.get(1), l2)
    compare_with_torch(m, lambda x: pt.cat([l1(x), l2(x)], 1), torch.randn(4, 5))


def test_concat_backward_scale_and_table_input():
    m = _concat()
    x, g = torch.randn(3, 5), torch.randn(3, 5)
    m.zeroGradParameters()
    m.forward(x)
    m.backward(x, g, 0.5)
    np.testing.assert_allclose(_np(m.get(0).gradWeight), 0.5 * _np(g)[:, :3].T @ _np(x), atol=1e-12)
    # List input: children take a list; gradInput is the element-wise sum of their lists.
    t = nn.Concat(0).add(_Pick(0)).add(_Pick(1))
    inp = [torch.randn(2, 3), torch.randn(4, 3)]
    np.testing.assert_allclose(_np(t.forward(inp)), np.concatenate([_np(inp[0]), _np(inp[1])]))
    fd_input_nested(t, inp)
    gin = t.backward(inp, torch.randn(6, 3))
    assert isinstance(gin, list) and len(gin) == 2


def test_concat_errors_and_print():
    m = nn.Concat(0).add(nn.Linear(5, 3)).add(nn.Identity())
    with pytest.raises(ValueError, match=r"nn.Concat: output of module \(2\) has size 4x5, which does not match 4x3"):
        m.forward(torch.randn(4, 5))
    with pytest.raises(ValueError, match=r"In 1 module of nn.Concat: nn.Linear\(5 -> 3\): input of size 4x7"):
        m.forward(torch.randn(4, 7))
    with pytest.raises(IndexError, match="nn.Concat: dimension 2 out of range"):
        nn.Concat(2).add(nn.Identity()).forward(torch.randn(3, 4))
    nested = nn.Concat(1).add(nn.Sequential().add(nn.Linear(2, 3)).add(nn.Identity())).add(nn.Linear(2, 1))
    assert repr(nested) == (
        "nn.Concat {\n"
        "  input\n"
        "    |`-> (1): nn.Sequential {\n"
        "    |      [input -> (1) -> (2) -> output]\n"
        "    |      (1): nn.Linear(2 -> 3)\n"
        "    |      (2): nn.Identity\n"
        "    |    }\n"
        "     `-> (2): nn.Linear(2 -> 1)\n"
        "     ... -> output\n"
        "}")
    last = nn.Concat(1).add(nn.Identity()).add(nn.Sequential().add(nn.Identity()))
    assert repr(last).splitlines()[3:6] == ["     `-> (2): nn.Sequential {",
                                            "           [input -> (1) -> output]",
                                            "           (1): nn.Identity"]


# ---- DepthConcat ---------------------------------------------------------------------------------
def _depth(crop_len):
    return (nn.DepthConcat(1).add(nn.Linear(4, 3))
            .add(nn.Sequential().add(_Crop(1, crop_len)).add(nn.Linear(4, 2))))


@pytest.mark.parametrize("crop_len", [4, 3])
def test_depthconcat_pads_centred(crop_len):
    m = _depth(crop_len)
    x = torch.randn(6, 4)
    out = _np(m.forward(x))
    a, b = m.get(0), m.get(1).get(1)
    want = np.zeros((6, 5))
    want[:, :3] = _linear_np(a, _np(x))
    start = (6 - crop_len) // 2  # 1 either way: odd differences put the extra zero row after
    want[start:start + crop_len, 3:] = _linear_np(b, _np(x)[1:1 + crop_len])
    np.testing.assert_allclose(out, want, atol=1e-12)
    assert list(m.outputSize) == [6, 5]
    g = torch.randn(6, 5)
    gin = _np(m.backward(x, g))
    want_g = _np(g)[:, :3] @ _np(a.weight)
    want_g[1:1 + crop_len] += _np(g)[start:start + crop_len, 3:] @ _np(b.weight)
    np.testing.assert_allclose(gin, want_g, atol=1e-12)


def test_depthconcat_checker():
    check_module(lambda: _depth(3), lambda: torch.randn(6, 4), repr_startswith="nn.DepthConcat {")
    check_module(lambda: nn.DepthConcat(0).add(nn.Linear(3, 2)).add(nn.Linear(3, 4)), lambda: torch.randn(3))


def test_depthconcat_errors():
    m = nn.DepthConcat(0).add(nn.Identity()).add(_RowSum())
    with pytest.raises(ValueError, match=r"nn.DepthConcat: output of module \(2\) has size 4, expected 2 dim"):
        m.forward(torch.randn(4, 3))


# ---- Parallel ------------------------------------------------------------------------------------
def test_parallel_checker_and_values():
    check_module(lambda: nn.Parallel(0, 0).add(nn.Linear(4, 2)).add(nn.Linear(4, 3)), lambda: torch.randn(2, 4),
                 repr_startswith="nn.Parallel {")
    check_module(lambda: nn.Parallel(1, 1).add(nn.Linear(4, 2)).add(nn.Linear(4, 3)), lambda: torch.randn(3, 2, 4))
    m = nn.Parallel(1, 0).add(nn.Linear(4, 2)).add(nn.Identity())
    x = torch.randn(4, 2)
    out = _np(m.forward(x))
    np.testing.assert_allclose(out, np.concatenate([_linear_np(m.get(0), _np(x)[:, 0]), _np(x)[:, 1]]))
    g = torch.randn(6)
    gin = _np(m.backward(x, g))
    np.testing.assert_allclose(gin[:, 0], _np(g)[:2] @ _np(m.get(0).weight))
    np.testing.assert_allclose(gin[:, 1], _np(g)[2:])


@needs_torch
def test_parallel_against_pytorch():
    m = nn.Parallel(1, 1).add(nn.Linear(4, 2)).add(nn.Linear(4, 3))
    l1, l2 = pt.nn.Linear(4, 2).double(), pt.nn.Linear(4, 3).double()
    copy_to_torch(m.get(0), l1)
    copy_to_torch(m.get(1), l2)
    compare_with_torch(m, lambda x: pt.cat([l1(x.select(1, 0)), l2(x.select(1, 1))], 1), torch.randn(3, 2, 4))


def test_parallel_errors_and_print():
    m = nn.Parallel(0, 0).add(nn.Linear(4, 2))
    with pytest.raises(ValueError, match="nn.Parallel: input of size 2x4 has 2 slices along dimension 0 but there "
                                         "are only 1 modules"):
        m.forward(torch.randn(2, 4))
    with pytest.raises(ValueError, match=r"In 1 module of nn.Parallel: nn.Linear\(4 -> 2\): input of size 5"):
        m.forward(torch.randn(1, 5))
    p = nn.Parallel(0, 0).add(nn.Sequential().add(nn.Identity())).add(nn.Sequential().add(nn.Identity()))
    assert repr(p) == (
        "nn.Parallel {\n"
        "  input\n"
        "    |`-> (1): nn.Sequential {\n"
        "    |      [input -> (1) -> output]\n"
        "    |      (1): nn.Identity\n"
        "    |    }\n"
        "    |`-> (2): nn.Sequential {\n"
        "           [input -> (1) -> output]\n"
        "           (1): nn.Identity\n"
        "         }\n"
        "     ... -> output\n"
        "}")


# ---- ConcatTable ---------------------------------------------------------------------------------
def _ctable():
    return nn.ConcatTable().add(nn.Linear(5, 3)).add(nn.Identity()).add(nn.Linear(5, 2))


def test_concattable_checker():
    # Tensor input and list output: the shared checker handles it, Jacobians included.
    check_module(_ctable, lambda: torch.randn(4, 5), repr_startswith="nn.ConcatTable {")
    check_module(_ctable, lambda: torch.randn(5))


def test_concattable_values_and_scale():
    m = _ctable()
    x = torch.randn(3, 5)
    out = m.forward(x)
    assert isinstance(out, list) and len(out) == 3 and out[1] is x
    np.testing.assert_allclose(_np(out[0]), _linear_np(m.get(0), _np(x)), atol=1e-12)
    g = [torch.randn(3, 3), torch.randn(3, 5), torch.randn(3, 2)]
    m.zeroGradParameters()
    gin = m.backward(x, g, 2.0)
    want = _np(g[0]) @ _np(m.get(0).weight) + _np(g[1]) + _np(g[2]) @ _np(m.get(2).weight)
    np.testing.assert_allclose(_np(gin), want, atol=1e-12)
    np.testing.assert_allclose(_np(m.get(2).gradWeight), 2 * _np(g[2]).T @ _np(x), atol=1e-12)
    # Same result through updateGradInput, without touching the parameters' gradients again.
    np.testing.assert_allclose(_np(m.updateGradInput(x, g)), want, atol=1e-12)


def test_concattable_nested_list_input():
    m = nn.ConcatTable().add(_Pick(1)).add(_Pick(0)).add(_Pick(1))
    inp = [torch.randn(2), [torch.randn(3), torch.randn(1)]]
    out = m.forward(inp)
    assert out[0] is inp[1] and out[1] is inp[0]
    fd_input_nested(m, inp)
    g = [[torch.ones(3), torch.ones(1)], torch.ones(2), [torch.ones(3), torch.ones(1)]]
    gin = m.updateGradInput(inp, g)
    np.testing.assert_allclose(_np(gin[0]), np.ones(2))
    np.testing.assert_allclose(_np(gin[1][0]), 2 * np.ones(3))


def test_concattable_errors():
    m = nn.ConcatTable().add(nn.Identity()).add(nn.Linear(3, 2))
    with pytest.raises(ValueError, match=r"In 2 module of nn.ConcatTable: nn.Linear\(3 -> 2\)"):
        m.forward(torch.randn(4))
    m.forward(torch.randn(3))
    with pytest.raises(TypeError, match="nn.ConcatTable: gradOutput must be a list of 2 gradients"):
        m.backward(torch.randn(3), torch.randn(3))


# ---- ParallelTable -------------------------------------------------------------------------------
def _ptable():
    return nn.ParallelTable().add(nn.Linear(4, 2)).add(nn.Linear(5, 3))


def _pinput():
    return [torch.randn(3, 4), torch.randn(3, 5)]


def test_paralleltable_checks():
    check_module(_ptable, _pinput, jacobian=False, repr_startswith="nn.ParallelTable {")
    m = _ptable()
    jacobian_input(m, _pinput())
    fd_parameters(m, _pinput())
    fd_parameters(_ptable(), [torch.randn(4), torch.randn(5)])


def test_paralleltable_values_and_errors():
    m = _ptable()
    inp = _pinput() + [torch.randn(1)]  # extra entries are ignored, as in Torch7
    out = m.forward(inp)
    assert len(out) == 2
    for i in range(2):
        np.testing.assert_allclose(_np(out[i]), _linear_np(m.get(i), _np(inp[i])), atol=1e-12)
    g = [torch.randn(3, 2), torch.randn(3, 3)]
    gin = m.backward(inp, g)
    assert len(gin) == 2
    np.testing.assert_allclose(_np(gin[1]), _np(g[1]) @ _np(m.get(1).weight), atol=1e-12)
    with pytest.raises(TypeError, match="nn.ParallelTable: input must be a list of at least 2 entries, got a list "
                                        "of length 1"):
        m.forward([torch.randn(4)])
    with pytest.raises(ValueError, match=r"In 2 module of nn.ParallelTable: nn.Linear\(5 -> 3\)"):
        m.forward([torch.randn(4), torch.randn(4)])


# ---- MapTable ------------------------------------------------------------------------------------
def _minput():
    return [torch.randn(3, 4), torch.randn(4), torch.randn(2, 4)]


def test_maptable_checks():
    check_module(lambda: nn.MapTable(nn.Linear(4, 2)), _minput, jacobian=False, repr_startswith="nn.MapTable {")
    m = nn.MapTable(nn.Linear(4, 2))
    jacobian_input(m, _minput())
    fd_parameters(m, _minput())
    fd_parameters(nn.MapTable(nn.Linear(4, 2), False), _minput())


def test_maptable_shares_and_accumulates():
    m = nn.MapTable(nn.Linear(4, 2))
    inp = _minput()
    out = m.forward(inp)
    assert len(m.modules) == 3 and m.module is m.get(0)
    assert all(c.weight.storage() is m.module.weight.storage() for c in m.modules)
    assert all(c.gradBias.storage() is m.module.gradBias.storage() for c in m.modules)
    for x, o in zip(inp, out):
        np.testing.assert_allclose(_np(o), _linear_np(m.module, _np(x)), atol=1e-12)
    g = [torch.randn(3, 2), torch.randn(2), torch.randn(2, 2)]
    m.zeroGradParameters()
    m.backward(inp, g)
    want = sum(np.outer(_np(gi), _np(xi)) if xi.dim() == 1 else _np(gi).T @ _np(xi) for gi, xi in zip(g, inp))
    np.testing.assert_allclose(_np(m.module.gradWeight), want, atol=1e-12)
    # accUpdate applies the sum of every entry's gradient once.
    w0 = _np(m.module.weight)
    m.accUpdateGradParameters(inp, g, 0.1)
    np.testing.assert_allclose(_np(m.module.weight), w0 - 0.1 * want, atol=1e-12)
    # updateParameters acts once on the shared tensors.
    m.zeroGradParameters()
    m.backward(inp, g)
    w1 = _np(m.module.weight)
    m.updateParameters(0.5)
    np.testing.assert_allclose(_np(m.module.weight), w1 - 0.5 * want, atol=1e-12)
    flat, gflat = m.getParameters()
    assert flat.nElement() == 4 * 2 + 2 == gflat.nElement()


def test_maptable_unshared_clear_resize_print_errors():
    m = nn.MapTable(nn.Linear(4, 2), False)
    m.forward(_minput())
    assert m.get(1).weight.storage() is not m.module.weight.storage()
    np.testing.assert_array_equal(_np(m.get(1).weight), _np(m.module.weight))
    assert m.clearState() is m and len(m.modules) == 1
    m.resize(3)
    assert len(m.modules) == 3
    m.resize(2)
    assert len(m.modules) == 2
    assert repr(nn.MapTable(nn.Linear(4, 2))) == "nn.MapTable {\n  nn.Linear(4 -> 2)\n}"
    seq = nn.MapTable(nn.Sequential().add(nn.Identity()))
    assert repr(seq) == ("nn.MapTable {\n  nn.Sequential {\n          [input -> (1) -> output]\n"
                         "          (1): nn.Identity\n        }\n}")
    assert repr(nn.MapTable()) == "nn.MapTable { }"
    with pytest.raises(ValueError, match="nn.MapTable: a single module is required"):
        nn.MapTable(nn.Identity()).add(nn.Identity())
    with pytest.raises(ValueError, match=r"In 2 module of nn.MapTable: nn.Linear\(4 -> 2\): input of size 3"):
        nn.MapTable(nn.Linear(4, 2)).forward([torch.randn(4), torch.randn(3)])
    with pytest.raises(TypeError, match="nn.MapTable: input must be a list"):
        nn.MapTable(nn.Linear(4, 2)).forward(torch.randn(4))


# ---- GPU -----------------------------------------------------------------------------------------
def test_gpu_on_cpu_forwards():
    check_module(lambda: nn.GPU(nn.Linear(4, 3), 0), lambda: torch.randn(2, 4), repr_startswith="nn.GPU(0) @ ")
    m = nn.GPU(nn.Linear(4, 3), 1, 0)
    assert (m.device, m.outdevice) == (1, 0) and nn.GPU(nn.Identity(), 2).outdevice == 2
    x = torch.randn(2, 4)
    np.testing.assert_allclose(_np(m.forward(x)), _linear_np(m.get(0), _np(x)), atol=1e-12)
    assert m.output is m.get(0).output
    assert repr(m) == "nn.GPU(1) @ nn.Linear(4 -> 3)"
    assert m.setDevice(0) is m and m.device == 0
    assert m.float().get(0).weight.type() == "torch.FloatTensor" and m.type() == "torch.FloatTensor"
    with pytest.raises(torch.CudaUnavailableError, match=re.escape("nn.GPU.type('torch.CudaTensor'): CUDA is not")):
        m.cuda()
    with pytest.raises(TypeError, match="nn.GPU: device must be an int"):
        nn.GPU(nn.Identity(), "cuda:0")
    with pytest.raises(ValueError, match=r"In 1 module of nn.GPU: nn.Linear\(4 -> 3\)"):
        nn.GPU(nn.Linear(4, 3), 0).forward(torch.randn(5))


def test_gpu_moves_tensors_between_devices():
    """On CUDA (two emulated devices that refuse arrays of the other): parameters live on ``device``, the
    input is copied there, the output goes to ``outdevice`` and gradInput back to the input's device."""
    from strict_cupy import StrictCupy

    from torch7._core import backend

    old = backend._set_for_tests(StrictCupy(2))
    try:
        lin = nn.Linear(4, 3)
        ref = copy.deepcopy(lin).float()
        m = nn.GPU(lin, 1, 0).cuda()
        assert m.get(0).weight.getDevice() == 1 and m.get(0).weight.type() == "torch.CudaTensor"
        x, g = torch.randn(2, 4).float(), torch.randn(2, 3).float()
        xc, gc = x.cuda(), g.cuda()
        assert xc.getDevice() == 0
        out = m.forward(xc)
        assert out.getDevice() == 0 and m.get(0).output.getDevice() == 1
        np.testing.assert_allclose(out.float().numpy(), ref.forward(x).numpy(), rtol=1e-6)
        m.zeroGradParameters()
        gin = m.backward(xc, gc)
        assert gin.getDevice() == 0
        np.testing.assert_allclose(gin.float().numpy(), ref.backward(x, g).numpy(), rtol=1e-6)
        assert m.get(0).gradWeight.getDevice() == 1
        m.setDevice(0)
        assert m.get(0).weight.getDevice() == 0 and m.get(0).gradWeight.getDevice() == 0
        np.testing.assert_allclose(m.forward(xc).float().numpy(), ref.output.numpy(), rtol=1e-6)
        with pytest.raises(IndexError, match="device 2 out of range"):
            nn.GPU(nn.Linear(4, 3), 2).cuda()
    finally:
        backend._restore(old)


# ---- Decorator -----------------------------------------------------------------------------------
def test_decorator_forwards():
    check_module(lambda: nn.Decorator(nn.Linear(4, 3)), lambda: torch.randn(2, 4), repr_startswith="nn.Decorator @")
    m = nn.Decorator(nn.Sequential().add(nn.Identity()))
    assert repr(m) == "nn.Decorator @ nn.Sequential {\n  [input -> (1) -> output]\n  (1): nn.Identity\n}"
    lin = nn.Linear(4, 3)
    d = nn.Decorator(lin)
    x, g = torch.randn(4), torch.randn(3)
    assert d.forward(x) is lin.output and d.backward(x, g) is lin.gradInput
    assert d.parameters()[0] == [lin.weight, lin.bias]

    class Twice(nn.Module):
        _typename = "test.Twice"

        def __init__(self, module):
            super().__init__()
            self.modules = [module]

    nn.Decorator.decorate(Twice)
    t = Twice(nn.Identity())
    assert repr(t) == "test.Twice @ nn.Identity" and t.forward(x) is x
    with pytest.raises(TypeError, match="nn.Decorator: expecting an nn.Module"):
        nn.Decorator(3)


# ---- Bottle --------------------------------------------------------------------------------------
def test_bottle_checker():
    check_module(lambda: nn.Bottle(nn.Linear(4, 3)), lambda: torch.randn(2, 3, 4), repr_startswith="nn.Bottle @ ")
    check_module(lambda: nn.Bottle(nn.Linear(4, 3)), lambda: torch.randn(2, 2, 3, 4))
    check_module(lambda: nn.Bottle(nn.Linear(4, 3)), lambda: torch.randn(5, 4))
    check_module(lambda: nn.Bottle(nn.Sequential().add(nn.Linear(4, 3)).add(_RowSum()), 2, 1),
                 lambda: torch.randn(2, 3, 4))


@needs_torch
def test_bottle_against_pytorch():
    m = nn.Bottle(nn.Linear(4, 3))
    ref = pt.nn.Linear(4, 3).double()
    copy_to_torch(m.get(0), ref)
    compare_with_torch(m, ref, torch.randn(2, 5, 4))
    compare_with_torch(m, ref, torch.randn(2, 2, 5, 4))


def test_bottle_values_and_errors():
    m = nn.Bottle(nn.Sequential().add(nn.Linear(4, 3)).add(_RowSum()), 2, 1)
    x = torch.randn(2, 3, 4)
    out = m.forward(x)
    assert out.size() == (2, 3) and m.dimDelta == 1
    want = _linear_np(m.get(0).get(0), _np(x).reshape(6, 4)).sum(1).reshape(2, 3)
    np.testing.assert_allclose(_np(out), want, atol=1e-12)
    assert list(_np(m.inShape)) == [6, 4] and list(_np(m.outShape)) == [6]
    # A non-contiguous input goes through a contiguous copy.
    xt = torch.randn(4, 3, 2).transpose(0, 2)
    lin = nn.Bottle(nn.Linear(4, 3))
    np.testing.assert_allclose(_np(lin.forward(xt)), _linear_np(lin.get(0), _np(xt)), atol=1e-12)
    assert lin.backward(xt, torch.randn(2, 3, 3)).size() == (2, 3, 4)
    with pytest.raises(ValueError, match="nn.Bottle: wrong number of output dims on module: expected 1 but got 2"):
        nn.Bottle(nn.Linear(4, 3), 2, 1).forward(torch.randn(2, 3, 4))


# ---- WeightNorm ----------------------------------------------------------------------------------
def _wn_weight(m):
    v, g = _np(m.v), _np(m.g).reshape(-1)
    w = g[:, None] * v / np.sqrt((v * v).sum(1) + 1e-4)[:, None]
    return np.moveaxis(w.reshape(tuple(m.viewOut)), 0, m.outputDim)


@pytest.mark.parametrize("make, shape", [
    (lambda: nn.WeightNorm(nn.Linear(4, 3)), (2, 4)),
    (lambda: nn.WeightNorm(nn.Linear(4, 3)), (4,)),
    (lambda: nn.WeightNorm(nn.Linear(4, 3), 1), (2, 4)),
    (lambda: nn.WeightNorm(nn.Linear(4, 3), -1), (4,)),
    (lambda: nn.WeightNorm(nn.Linear(4, 3).noBias()), (2, 4)),
])
def test_weightnorm_checker(make, shape):
    # The checker's accUpdate Jacobian restores only the parameter under test, but an update of g changes
    # d(output)/dv: the Jacobians are checked one by one here, and accUpdate against accGrad + update.
    check_module(make, lambda: torch.randn(*shape), jacobian=False, repr_startswith="nn.WeightNorm @")
    jacobian_input(make(), torch.randn(*shape))
    m = make()
    for p, g in zip(*m.parameters()):
        assert nn.Jacobian.testJacobianParameters(m, torch.randn(*shape), p, g) < 1e-5
    all_update(make(), torch.randn(*shape))


def test_weightnorm_values():
    torch.manualSeed(2)
    m = nn.WeightNorm(nn.Linear(5, 3))
    assert m.v.size() == (3, 5) and m.g.size() == (3,) and list(m.viewIn) == [3, 5] and m.otherDims == 5
    np.testing.assert_allclose(_np(m.g), np.linalg.norm(_np(m.v), axis=1))  # g = ||v|| at init
    assert not _np(m.bias).any()
    m.v.uniform(-1, 1)
    m.g.uniform(0.5, 2)
    x = torch.randn(4, 5)
    out = m.forward(x)
    np.testing.assert_allclose(_np(m.weight), _wn_weight(m), atol=1e-12)
    np.testing.assert_allclose(_np(out), _np(x) @ _wn_weight(m).T + _np(m.bias), atol=1e-12)
    t = nn.WeightNorm(nn.Linear(5, 3), 1)  # rows are the 5 input columns
    assert t.v.size() == (5, 3) and list(t.viewOut) == [5, 3]
    t.forward(x)
    np.testing.assert_allclose(_np(t.weight), _wn_weight(t), atol=1e-12)
    np.testing.assert_allclose(np.sqrt((_np(t.weight) ** 2).sum(0)), _np(t.g) * np.linalg.norm(_np(t.v), axis=1)
                               / np.sqrt(np.linalg.norm(_np(t.v), axis=1) ** 2 + 1e-4), atol=1e-12)
    # Evaluation mode keeps the weight computed by evaluate().
    m.evaluate()
    w = _np(m.weight)
    m.v.mul(2)
    m.forward(x)
    np.testing.assert_array_equal(_np(m.weight), w)
    m.training()
    m.forward(x)
    assert not np.allclose(_np(m.weight), w)
    with pytest.raises(ValueError, match="nn.WeightNorm: the module nn.Identity has no weight"):
        nn.WeightNorm(nn.Identity())


@needs_torch
def test_weightnorm_gradients_against_pytorch_autograd():
    m = nn.WeightNorm(nn.Linear(5, 3))
    m.v.uniform(-1, 1)
    m.g.uniform(0.5, 2)
    m.bias.uniform(-1, 1)
    x, gout = torch.randn(4, 5), torch.randn(4, 3)
    m.zeroGradParameters()
    m.forward(x)
    gin = m.backward(x, gout)
    v = pt.from_numpy(_np(m.v)).requires_grad_(True)
    g = pt.from_numpy(_np(m.g)).requires_grad_(True)
    b = pt.from_numpy(_np(m.bias)).requires_grad_(True)
    xp = pt.from_numpy(_np(x)).requires_grad_(True)
    w = g[:, None] * v / pt.sqrt((v * v).sum(1) + 1e-4)[:, None]
    y = xp @ w.T + b
    y.backward(pt.from_numpy(_np(gout)))
    np.testing.assert_allclose(_np(m.output), y.detach().numpy(), atol=1e-10)
    for ours, theirs in ((gin, xp), (m.gradV, v), (m.gradG, g), (m.gradBias, b)):
        np.testing.assert_allclose(_np(ours), theirs.grad.numpy(), atol=1e-10)
    # A second backward accumulates, even if the module's gradWeight was zeroed in between.
    m.get(0).gradWeight.zero()
    m.backward(x, gout, 0.5)
    np.testing.assert_allclose(_np(m.gradV), 1.5 * v.grad.numpy(), atol=1e-10)


def test_weightnorm_get_parameters_and_float():
    m = nn.WeightNorm(nn.Linear(4, 3))
    flat, gflat = m.getParameters()
    assert flat.nElement() == 3 * 4 + 3 + 3 == gflat.nElement()
    assert m.bias is m.get(0).bias and m.bias.storage() is flat.storage()
    f = copy.deepcopy(m).float()
    assert f.v.type() == f.weight.type() == "torch.FloatTensor" and f.weight is f.get(0).weight
    x = torch.randn(2, 4)
    np.testing.assert_allclose(_np(f.forward(x.float())), _np(m.forward(x)), atol=1e-5)


# ---- DontCast ------------------------------------------------------------------------------------
def test_dontcast_keeps_the_module_type():
    m = nn.DontCast(nn.Linear(3, 2), True)
    assert m.moduleType == "torch.DoubleTensor" and m.castout
    m.float()
    assert m.get(0).weight.type() == "torch.DoubleTensor"
    x = torch.randn(4, 3)
    out = m.forward(x.float())
    assert out.type() == "torch.FloatTensor"
    np.testing.assert_allclose(_np(out), _linear_np(m.get(0), _np(x.float())), atol=1e-5)
    g = torch.randn(4, 2).float()
    gin = m.backward(x.float(), g)
    assert gin.type() == "torch.FloatTensor"
    np.testing.assert_allclose(_np(gin), _np(g) @ _np(m.get(0).weight), atol=1e-5)
    assert m.get(0).gradWeight.type() == "torch.DoubleTensor"
    # Without castin/castout the module sees and returns its own type.
    plain = nn.DontCast(nn.Linear(3, 2)).float()
    assert plain.get(0).weight.type() == "torch.DoubleTensor" and plain.moduleType is None
    assert plain.forward(x).type() == "torch.DoubleTensor"
    # castin only: the output stays in the module's type.
    half = nn.DontCast(nn.Linear(3, 2), True, False).float()
    assert half.forward(x.float()).type() == "torch.DoubleTensor"
    assert half.backward(x.float(), torch.randn(4, 2)).type() == "torch.FloatTensor"
    with pytest.raises(ValueError, match="nn.DontCast: cannot extrapolate moduleType"):
        nn.DontCast(nn.ConcatTable(), True)
    assert repr(m) == "nn.DontCast @ nn.Linear(3 -> 2)"


def test_dontcast_gradients():
    for make in (lambda: nn.DontCast(nn.Linear(3, 2)), lambda: nn.DontCast(nn.Linear(3, 2), True)):
        jacobian_input(make(), torch.randn(4, 3))
        jacobian_parameters(make(), torch.randn(4, 3))
        io_round_trip(make(), torch.randn(4, 3))


# ---- NaN -----------------------------------------------------------------------------------------
def test_nan_checker_ids_and_print():
    check_module(lambda: nn.NaN(nn.Linear(3, 2)), lambda: torch.randn(4, 3), repr_startswith="nn.NaN(")
    a, b = nn.NaN(nn.Identity()), nn.NaN(nn.Identity())
    assert b.id == a.id + 1 and repr(a) == f"nn.NaN({a.id}) @ nn.Identity"
    assert repr(nn.NaN(nn.Identity(), "relu1")) == "nn.NaN(relu1) @ nn.Identity"


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_nan_blames_the_right_place():
    def make():
        return nn.NaN(nn.Linear(3, 2), 7)

    head = r"NaN found in {} of module :\nnn\.NaN\(7\) @ nn\.Linear\(3 -> 2\)$"
    with pytest.raises(ValueError, match=head.format("input")):
        make().forward(torch.Tensor([1, float("nan"), 0]))
    m = make()
    m.get(0).bias[0] = float("nan")
    with pytest.raises(ValueError, match=head.format("parameters")):
        m.forward(torch.ones(3))
    m = make()
    m.get(0).weight[0][2] = float("inf")
    x = torch.Tensor([1, 1, 0])
    with pytest.raises(ValueError, match=head.format("output")):
        m.forward(x)  # inf * 0
    m = make()
    m.forward(torch.ones(3))
    with pytest.raises(ValueError, match=head.format("gradOutput")):
        m.backward(torch.ones(3), torch.Tensor([float("nan"), 0]))
    m.get(0).weight[0][1] = float("inf")
    with pytest.raises(ValueError, match=head.format("gradInput")):
        m.updateGradInput(torch.ones(3), torch.Tensor([0, 1]))
    m = make()
    m.forward(x)
    with pytest.raises(ValueError, match=head.format("gradParameters")):
        m.accGradParameters(x, torch.Tensor([float("inf"), 1]))  # inf * 0
    with pytest.raises(ValueError, match=r"In 1 module of nn.NaN: nn.Linear\(3 -> 2\)"):
        make().forward(torch.ones(4))


# ---- Profile -------------------------------------------------------------------------------------
def test_profile_prints_like_torch7(capsys):
    check_module(lambda: nn.Profile(nn.Linear(4, 3), 10**6), lambda: torch.randn(2, 4), repr_startswith="nn.Profile @")
    m = nn.Profile(nn.Linear(4, 3), 2)
    assert m.name == "nn.Linear" and m.module is m.get(0) and nn.Profile(nn.Identity()).print_interval == 100
    x, g = torch.randn(2, 4), torch.randn(2, 3)
    capsys.readouterr()
    m.forward(x)
    assert capsys.readouterr().out == "" and m.numFwds == 1
    m.forward(x)
    m.backward(x, g)
    m.backward(x, g)
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"nn\.Linear took \d+\.\d{3} seconds for 2 forward passes", lines[0])
    assert re.fullmatch(r"nn\.Linear took \d+\.\d{3} seconds for 2 backward passes", lines[1])
    assert m.numFwds == m.numBwds == 0 and m.summedFwdTime == 0
    np.testing.assert_allclose(_np(m.output), _linear_np(m.get(0), _np(x)), atol=1e-12)
    named = nn.Profile(nn.Identity(), 1, "id")
    named.forward(x)
    assert capsys.readouterr().out.startswith("id took ")
