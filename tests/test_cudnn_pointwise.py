"""torch7.cudnn's activations (ReLU, Tanh, Sigmoid, ClippedReLU): cuDNN pointwise graphs against nn's kernels.

The ``cudnn`` fixture (tests/cudnn_env.py) runs them on the stand-in frontend and StrictCupy in CI, on the
real frontend with a GPU.
"""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from nn_checks import check_module

import torch7 as torch
from torch7 import nn
from torch7._core import backend

CASES = [
    ("ReLU", (), lambda: nn.ReLU()),
    ("Tanh", (), lambda: nn.Tanh()),
    ("Sigmoid", (), lambda: nn.Sigmoid()),
    ("ClippedReLU", (0.5,), lambda: nn.Clamp(0, 0.5)),
]


def _cls(name):
    return getattr(importlib.import_module(f"torch7.cudnn.{name}"), name)


def _host(t):
    return t.type(t._host_typename).numpy()


@pytest.mark.parametrize("name,args,twin", CASES)
@pytest.mark.parametrize("inplace", [False, True])
def test_activation_matches_nn(cudnn, name, args, twin, inplace):
    torch.manualSeed(2)
    x = torch.randn(3, 4, 5).float()
    go = torch.randn(3, 4, 5).float()
    ref = twin().float()
    y = ref.forward(x).clone()
    gi = ref.backward(x, go).clone()
    m = _cls(name)(*args, inplace).cuda()
    xc, goc = x.cuda(), go.cuda()
    yc = m.forward(xc)
    np.testing.assert_allclose(_host(yc), y.numpy(), rtol=1e-6, atol=1e-6)
    assert (yc is xc) == inplace
    gic = m.backward(xc, goc)
    np.testing.assert_allclose(_host(gic), gi.numpy(), rtol=1e-5, atol=1e-6)
    assert (gic is goc) == (inplace and name in ("ReLU", "ClippedReLU"))


@pytest.mark.skipif(backend.is_available(), reason="reads the stand-in frontend's log")
def test_activations_run_as_graphs_and_fall_back_when_cudnn_declines(cudnn):
    fe = sys.modules["cudnn"]
    m = _cls("Tanh")().cuda()
    x = torch.randn(2, 3).cuda()
    m.backward(x, m.forward(x).clone())
    assert [e[1] for e in fe.pygraph.log if e[0] == "execute"] == ["tanh", "tanh_backward"]
    import fake_cudnn

    fake_cudnn.UNSUPPORTED.add("sigmoid")
    s = _cls("Sigmoid")().cuda()
    y = s.forward(x)  # no engine: nn's kernel, on the device
    np.testing.assert_allclose(_host(y), 1 / (1 + np.exp(-_host(x))), rtol=1e-6)
    assert "sigmoid" not in [e[1] for e in fe.pygraph.log if e[0] == "execute"]


@pytest.mark.parametrize("name,args", [("ReLU", ()), ("Tanh", ()), ("Sigmoid", ()), ("ClippedReLU", (0.7,))])
def test_shared_module_checks(cudnn, name, args):
    check_module(lambda: _cls(name)(*args), lambda: torch.randn(3, 4))


def test_convert_and_typenames(cudnn):
    net = nn.Sequential().add(nn.Linear(3, 4)).add(nn.ReLU(True)).add(nn.Tanh()).add(nn.Sigmoid())
    cudnn.convert(net, cudnn)
    assert [m._typename for m in net.modules] == ["nn.Linear", "cudnn.ReLU", "cudnn.Tanh", "cudnn.Sigmoid"]
    assert net.modules[1].inplace and net.modules[2].inplace is False
    x = torch.randn(2, 3)
    y = net.forward(x).clone()
    np.testing.assert_allclose(_host(net.cuda().forward(x.cuda())), y.numpy(), rtol=1e-5, atol=1e-6)
    cudnn.convert(net, nn)
    assert [m._typename for m in net.modules] == ["nn.Linear", "nn.ReLU", "nn.Tanh", "nn.Sigmoid"]
    assert "inplace" not in vars(net.modules[2])
    c = _cls("ClippedReLU")(6)
    assert (c.min_val, c.max_val, c.ceiling) == (0, 6, 6)
