"""torch7.cudnn: cuDNN convolutions through NVIDIA's frontend, convert, the switches and the import errors.

Without a GPU (CI) the frontend is ``tests/fake_cudnn.py`` on ``StrictCupy``: that checks our side (graph
building and caching, pointers, shapes, bias and gradient bookkeeping, convert). The ``gpu`` tests run the
same comparisons on CuPy with the real ``nvidia-cudnn-frontend``.
"""

from __future__ import annotations

import importlib
import sys
import warnings

import numpy as np
import pytest
from nn_checks import check_module

import torch7 as torch
from torch7 import nn
from torch7._core import backend


def _pair(cudnn, cls_nn, cls_cudnn, args, shape, typename="torch.FloatTensor", seed=0):
    """(host nn module, CUDA cudnn module with the same weights, host input, CUDA input)."""
    torch.manualSeed(seed)
    ref = cls_nn(*args).type(typename)
    m = cls_cudnn(*args).type(typename)
    m.weight.copy(ref.weight)
    m.bias.copy(ref.bias)
    x = torch.randn(*shape).type(typename)
    cuda = typename.replace("torch.", "torch.Cuda").replace("CudaFloatTensor", "CudaTensor")
    return ref, m.type(cuda), x, x.type(cuda)


def _host(t):
    return t.type(t._host_typename).numpy()


CONV2D = [
    ((3, 5, 3, 3), (2, 3, 9, 8)),
    ((3, 5, 3, 2, 2, 1, 1, 0), (2, 3, 9, 8)),
    ((2, 4, 1, 1), (2, 5, 5)),            # a 3-D input, 1x1 kernel
    ((4, 6, 5, 3, 1, 2, 2, 1), (1, 4, 7, 6)),
]


@pytest.mark.parametrize("args,shape", CONV2D)
@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
def test_spatial_convolution_matches_nn(cudnn, args, shape, typename):
    ref, m, x, xc = _pair(cudnn, nn.SpatialConvolution, cudnn.SpatialConvolution, args, shape, typename)
    tol = 1e-4 if typename == "torch.FloatTensor" else 1e-10
    y = ref.forward(x)
    yc = m.forward(xc)
    assert yc._is_cuda and yc.size() == y.size()
    np.testing.assert_allclose(_host(yc), y.numpy(), rtol=tol, atol=tol)
    go = torch.randn(*y.size()).type(typename)
    ref.zeroGradParameters()
    m.zeroGradParameters()
    gi = ref.backward(x, go, 0.5)
    gic = m.backward(xc, go.type(yc._typename), 0.5)
    np.testing.assert_allclose(_host(gic), gi.numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(_host(m.gradWeight), ref.gradWeight.numpy(), rtol=tol * 10, atol=tol * 10)
    np.testing.assert_allclose(_host(m.gradBias), ref.gradBias.numpy(), rtol=tol * 10, atol=tol * 10)


def test_gradients_accumulate_and_nobias(cudnn):
    ref, m, x, xc = _pair(cudnn, nn.SpatialConvolution, cudnn.SpatialConvolution, (2, 3, 3, 3), (2, 2, 6, 6))
    ref.noBias()
    m.noBias()
    go = torch.randn(2, 3, 4, 4)
    for _ in range(2):  # the second backward adds to the first
        ref.backward(x, go)
        m.backward(xc, go.cuda())
    np.testing.assert_allclose(_host(m.output), ref.output.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(_host(m.gradWeight), ref.gradWeight.numpy(), rtol=1e-4, atol=1e-4)
    assert "without bias" in repr(m)


def test_groups_equal_separate_convolutions(cudnn):
    torch.manualSeed(3)
    m = cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1, 2).float()
    assert m.weight.size() == torch.Size([6, 2, 3, 3])
    x = torch.randn(2, 4, 5, 5).float()
    parts = []
    for g in range(2):
        c = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1).float()
        c.weight.copy(m.weight.narrow(0, 3 * g, 3))
        c.bias.copy(m.bias.narrow(0, 3 * g, 3))
        parts.append(c.forward(x.narrow(1, 2 * g, 2)).numpy())
    y = m.cuda().forward(x.cuda())
    np.testing.assert_allclose(_host(y), np.concatenate(parts, 1), rtol=1e-4, atol=1e-4)
    assert repr(m).endswith(", groups 2)")
    with pytest.raises(TypeError, match="groups > 1 run on CUDA tensors only"):
        m.float().forward(x)
    with pytest.raises(ValueError, match="do not split into 4 groups"):
        cudnn.SpatialConvolution(6, 6, 3, 3, 1, 1, 0, 0, 4)


def test_volumetric_convolution_matches_nn(cudnn):
    args = (2, 3, 3, 2, 2, 1, 2, 1, 1, 1, 0)
    ref, m, x, xc = _pair(cudnn, nn.VolumetricConvolution, cudnn.VolumetricConvolution, args, (2, 2, 5, 6, 5))
    y = ref.forward(x)
    np.testing.assert_allclose(_host(m.forward(xc)), y.numpy(), rtol=1e-4, atol=1e-4)
    go = torch.randn(*y.size()).float()
    gi = ref.backward(x, go)
    np.testing.assert_allclose(_host(m.backward(xc, go.cuda())), gi.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(_host(m.gradWeight), ref.gradWeight.numpy(), rtol=1e-3, atol=1e-3)


def test_errors_name_the_module_and_sizes(cudnn):
    m = cudnn.SpatialConvolution(3, 4, 3, 3).cuda()
    with pytest.raises(ValueError, match=r"cudnn.SpatialConvolution\(3 -> 4, 3x3\): input of size 2x5x6x6 has 5 "
                                         r"planes, expected 3"):
        m.forward(torch.randn(2, 5, 6, 6).cuda())
    with pytest.raises(ValueError, match="input of size 1x3x2x2 is too small"):
        m.forward(torch.randn(1, 3, 2, 2).cuda())
    with pytest.raises(ValueError, match="expected a 3-D or 4-D"):
        m.forward(torch.randn(6, 6).cuda())
    with pytest.raises(TypeError, match="is a torch.CudaDoubleTensor but the weight is a torch.CudaTensor"):
        m.forward(torch.randn(1, 3, 5, 5).type("torch.CudaDoubleTensor"))
    m.forward(torch.randn(1, 3, 5, 5).cuda())
    with pytest.raises(ValueError, match="gradOutput of size 1x4x2x2, expected 1x4x3x3"):
        m.backward(torch.randn(1, 3, 5, 5).cuda(), torch.randn(1, 4, 2, 2).cuda())
    with pytest.raises(NotImplementedError, match="setMode"):
        m.setMode("CUDNN_CONVOLUTION_FWD_ALGO_GEMM")


@pytest.mark.skipif(backend.is_available(), reason="counts the fake frontend's graph builds")
def test_graphs_are_built_once_per_shape_and_the_switches_pick_the_heuristic(cudnn):
    log = sys.modules["cudnn"].pygraph.log
    m = cudnn.SpatialConvolution(2, 3, 3, 3).cuda()
    for _ in range(3):
        m.forward(torch.randn(2, 2, 6, 6).cuda())
    assert [e for e in log if e[0] == "new"] == [("new", sys.modules["cudnn"].data_type.FLOAT)]
    assert [e[1] for e in log if e[0] == "execute"] == ["fprop"] * 3
    hm = sys.modules["cudnn"].heur_mode
    assert log[-2] == ("plans", [hm.A, hm.FALLBACK]) or ("plans", [hm.A, hm.FALLBACK]) in log
    m.forward(torch.randn(1, 2, 6, 6).cuda())  # another shape: another graph
    assert sum(e[0] == "new" for e in log) == 2
    cudnn.benchmark = True
    m.forward(torch.randn(1, 2, 6, 6).cuda())
    assert ("plans", [hm.B, hm.FALLBACK]) in log
    cudnn.benchmark = False
    assert not any(e[0] == "deselect" for e in log)
    cudnn.allow_tf32 = False  # float32 graphs leave out the TF32 (tensor core) engines
    m.forward(torch.randn(1, 2, 6, 6).cuda())
    assert ("deselect", [sys.modules["cudnn"].numerical_note.TENSOR_CORE]) in log
    cudnn.allow_tf32 = True
    log.clear()
    m.fastest().forward(torch.randn(1, 2, 7, 7).cuda())
    assert ("plans", [hm.B, hm.FALLBACK]) in log
    assert sys.modules["cudnn"].streams, "set_stream was not called before execute"


def test_convert_swaps_classes_and_shares_tensors(cudnn):
    mm = nn.SpatialConvolutionMM(3, 4, 3, 3)
    net = nn.Sequential().add(nn.SpatialConvolution(3, 3, 3, 3)).add(nn.ReLU()).add(mm)
    w0 = net.modules[0].weight
    assert cudnn.convert(net, cudnn) is net
    assert type(net.modules[0]) is cudnn.SpatialConvolution and net.modules[0].weight is w0
    assert type(net.modules[1]) is cudnn.ReLU
    assert type(net.modules[2]) is cudnn.SpatialConvolution
    assert net.modules[2].weight.size() == torch.Size([4, 3, 3, 3])
    assert net.modules[2].weight.storage() is mm.weight.storage()
    x = torch.randn(1, 3, 8, 8)
    y = net.forward(x).clone()
    yc = net.cuda().forward(x.cuda())
    np.testing.assert_allclose(_host(yc), y.numpy(), rtol=1e-4, atol=1e-4)
    cudnn.convert(net, nn)
    assert type(net.modules[0]) is nn.SpatialConvolution and not hasattr(net.modules[0], "groups")
    keep = nn.Sequential().add(nn.SpatialConvolution(1, 1, 1, 1)).add(nn.VolumetricConvolution(1, 1, 1, 1, 1))
    cudnn.convert(keep, "cudnn", lambda m: m._typename == "nn.SpatialConvolution")
    assert [type(m) for m in keep.modules] == [nn.SpatialConvolution, cudnn.VolumetricConvolution]
    with pytest.raises(ValueError, match="destination must be cudnn or nn"):
        cudnn.convert(keep, "cunn")
    with pytest.raises(ValueError, match="2 groups"):
        cudnn.convert(cudnn.SpatialConvolution(2, 2, 1, 1, 1, 1, 0, 0, 2), nn)


def test_convert_leaves_a_gmodule_with_a_warning(cudnn):
    from torch7 import nngraph  # noqa: F401 - nngraph adds the node call to modules

    x = nn.Identity()()
    g = nn.gModule([x], [nn.SpatialConvolution(1, 1, 1, 1)(x)])
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        cudnn.convert(g, cudnn)
    assert any("gModule" in str(v.message) for v in w)


def test_shared_module_checks_on_host_and_device(cudnn):
    # Jacobians, type and serialization round trips on the host (the nn kernel), the CUDA pass through cuDNN.
    check_module(lambda: cudnn.SpatialConvolution(2, 3, 3, 2, 2, 1, 1, 0), lambda: torch.randn(2, 2, 6, 5))
    check_module(lambda: cudnn.VolumetricConvolution(2, 2, 2, 2, 2), lambda: torch.randn(1, 2, 3, 4, 3))


FULL = [
    ("SpatialFullConvolution", (3, 2, 3, 3), (2, 3, 4, 5)),
    ("SpatialFullConvolution", (3, 2, 4, 3, 2, 2, 1, 1, 1, 0), (2, 3, 4, 5)),
    ("SpatialFullConvolution", (2, 3, 3, 3, 2, 2, 0, 0), (2, 3, 3)),
    ("VolumetricFullConvolution", (2, 3, 2, 3, 2, 2, 2, 1, 0, 1, 0, 1, 1, 0), (2, 2, 3, 4, 3)),
]


@pytest.mark.parametrize("name,args,shape", FULL)
def test_full_convolutions_match_nn(cudnn, name, args, shape):
    mod = importlib.import_module(f"torch7.cudnn.{name}")
    ref, m, x, xc = _pair(cudnn, getattr(nn, name), getattr(mod, name), args, shape)
    y = ref.forward(x)
    yc = m.forward(xc)
    np.testing.assert_allclose(_host(yc), y.numpy(), rtol=1e-4, atol=1e-4)
    go = torch.randn(*y.size()).float()
    gi = ref.backward(x, go, 0.3)
    np.testing.assert_allclose(_host(m.backward(xc, go.cuda(), 0.3)), gi.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(_host(m.gradWeight), ref.gradWeight.numpy(), rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(_host(m.gradBias), ref.gradBias.numpy(), rtol=1e-3, atol=1e-3)


def test_full_convolution_checks_and_table_input(cudnn):
    from torch7.cudnn.SpatialFullConvolution import SpatialFullConvolution

    check_module(lambda: SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1, 1, 1), lambda: torch.randn(2, 2, 3, 4))
    m = SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1)
    ref = nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1)
    ref.weight.copy(m.weight)
    ref.bias.copy(m.bias)
    x, target = torch.randn(1, 2, 4, 4), torch.Tensor(1, 3, 8, 8)
    m.cuda()
    y = m.forward([x.cuda(), target.cuda()])  # the table input runs nn's kernel, on the device
    np.testing.assert_allclose(_host(y), ref.forward([x, target]).numpy(), rtol=1e-4, atol=1e-4)
    assert y.size() == torch.Size([1, 3, 8, 8])
