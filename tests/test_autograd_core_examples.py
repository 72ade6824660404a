"""torch7.autograd: the core-only examples of torch-autograd's test/test.lua (re-written, 0-based; Lua's `*`
product is `@`), and gradients of the CUDA tensor types."""

from __future__ import annotations

import math

import pytest
from autograd_helpers import close

import torch7 as torch
from torch7 import autograd


# ---- torch-autograd test/test.lua examples (core only; Lua's `*` product is `@`) -----------------------
def test_lua_select_index_narrow_clone_view():
    W, x = torch.randn(5, 25), torch.randn(1, 25)
    assert autograd.gradcheck(lambda p: torch.sum(p["W"].select(0, 0) + p["x"]), {"W": W, "x": x})
    assert autograd.gradcheck(lambda p: torch.sum(p["W"].select(0, 0).viewAs(p["x"]).select(1, 0) +
                                                  p["x"].select(1, 0)), {"W": W, "x": x})
    idx = torch.LongTensor(100).random(0, 4)  # many repeated indices
    assert autograd.gradcheck(lambda p: torch.sum(p["W"].index(0, idx) + p["x"]), {"W": W, "x": torch.randn(100, 25)})
    assert autograd.gradcheck(lambda p: torch.sum(p["W"].narrow(0, 0, 3) + p["x"]), {"W": W, "x": torch.randn(3, 25)})
    assert autograd.gradcheck(lambda p: torch.sum((p["x"].select(0, 0) * 10).clone()), {"x": torch.randn(2, 25)})
    W5 = torch.randn(5, 5)
    assert autograd.gradcheck(lambda p: torch.sum(torch.view(p["x"], 5, 5) + p["W"]), {"W": W5, "x": x})
    assert autograd.gradcheck(lambda p: torch.sum(torch.viewAs(p["x"], p["W"]) + p["W"]), {"W": W5, "x": x})


def test_lua_clamp_expand_transpose_cat():
    W = torch.randn(5, 25)
    clamp = lambda p: torch.sum(torch.clamp(p["W"], 0, math.inf))  # noqa: E731
    assert clamp({"W": W}) > 0 and autograd.gradcheck(clamp, {"W": W})
    W = torch.randn(32, 10)
    for x in (torch.randn(1, 10), torch.randn(32, 1), torch.randn(1, 1)):
        assert autograd.gradcheck(lambda p: torch.sum(torch.sum(torch.expand(p["x"], 32, 10) + p["W"], 1)),
                                  {"W": W, "x": x})
        assert autograd.gradcheck(lambda p: torch.sum(torch.sum(torch.expandAs(p["x"], p["W"]) + p["W"], 1)),
                                  {"W": W, "x": x})
    assert autograd.gradcheck(lambda p: torch.sum(p["x"].t() * torch.randn(5, 10)), {"x": torch.randn(10, 5)},
                              randomizeInput=False) is not None
    x1, x2 = torch.randn(3, 5), torch.randn(7, 5)
    assert autograd.gradcheck(lambda p: torch.sum(torch.cat(p["x1"], p["x2"], 0) ** 2), {"x1": x1, "x2": x2})
    assert autograd.gradcheck(lambda p: torch.sum(torch.cat(p["x1"], p["x2"]) ** 2),
                              {"x1": x1.t().contiguous(), "x2": x2.t().contiguous()})
    assert autograd.gradcheck(lambda p: torch.sum(torch.cat(p, 0) ** 3), [torch.randn(10) for _ in range(3)])


def test_lua_dot_scale_unary_and_types():
    for cls in (torch.DoubleTensor, torch.FloatTensor):
        W, x = cls(32, 100).fill(0.5), cls(100).fill(0.5)
        grads, pred = autograd(lambda p: torch.sum(p["W"] @ p["x"]))({"W": W, "x": x})
        assert pred == 800 and grads["W"].size() == torch.Size([32, 100]) and grads["x"].size() == torch.Size([100])
        assert grads["W"].type() == W.type()
    grads, pred = autograd(lambda p: torch.sum(p["W"] @ p["x"] * 3.0 + 1.0))({"W": W.double(), "x": x.double()})
    assert pred == 2432
    grads, pred = autograd(lambda p: torch.sum(-p["x"]))({"x": torch.Tensor(100).fill(0.5)})
    assert pred == -50 and grads["x"].size(0) == 100
    grads, pred = autograd(lambda p: torch.sum(torch.tanh(p["W"] @ p["x"])))({"W": W.double(), "x": x.double()})
    assert abs(pred - 32) < 1e-9
    df = autograd(lambda p: torch.sum(p["W"] @ p["x"]))
    for _ in range(5):  # NCalls
        grads, pred = df({"W": W.double(), "x": x.double()})
    assert pred == 800
    assert autograd.gradcheck(lambda p: torch.sum(torch.tanh(p["W"] @ p["x"])),
                              {"W": torch.randn(32, 10), "x": torch.randn(10)})
    assert autograd.gradcheck(lambda p: torch.sum(p["W"]) * 0.4, {"W": torch.randn(5, 5)})  # ScalarMul


def test_lua_matrix_examples():
    assert autograd.gradcheck(lambda p: torch.sum(torch.ger(p["A"], p["B"])),
                              {"A": torch.randn(10), "B": torch.randn(10)})
    for a, b in (((10, 20), (20,)), ((10, 20), (20, 1)), ((10, 20), (20, 20)), ((20, 1), (1, 20))):
        assert autograd.gradcheck(lambda p: torch.sum(p["A"] @ p["B"]), {"A": torch.randn(*a), "B": torch.randn(*b)})
    x = torch.Tensor(20).fill(0.5)
    K = torch.eye(20) + torch.ger(x, x)
    grads, pred = autograd(lambda p: torch.sum(torch.inverse(p["K"])))({"K": K})
    assert abs(pred - torch.sum(torch.inverse(K))) < 1e-12 and grads["K"].dim() == 2
    x = torch.randn(10)
    assert autograd.gradcheck(lambda p: torch.sum(torch.inverse(p["K"])), {"K": torch.eye(10) + torch.ger(x, x)},
                              randomizeInput=False)


def test_lua_gradient_tensor_size_min_max_paramlen_lessthan_repeat():
    def f(beta):
        maxed = torch.max(beta)
        summed = torch.sum(beta - maxed, 1)
        return torch.sum(summed + maxed)

    g, pred = autograd(f)(torch.eye(2, 2))
    assert isinstance(pred, float) and g.dim() == 2
    for name, preds in (("min", (1, 5)), ("max", (2, 10))):
        def fn(*args, name=name):  # looked up at call time: the recording version while df runs
            return getattr(torch, name)(*args)

        W = torch.ones(5, 5).fill(2)
        W[0] = 1
        grads, pred = autograd(lambda p, fn=fn: fn(p["W"]))({"W": W})
        assert pred == preds[0] and grads["W"].size() == torch.Size([5, 5])
        grads, pred = autograd(lambda p, fn=fn: torch.sum(fn(p["W"], 0)[0]))({"W": W})
        assert pred == preds[1] and grads["W"].size() == torch.Size([5, 5])
        assert autograd.gradcheck(lambda p, fn=fn: fn(p["W"]), {"W": W})
    params = [torch.Tensor(100).fill(1), torch.Tensor(100).fill(1)]
    assert autograd.gradcheck(lambda p, k: torch.sum(p[0] + p[1] * len(p) * k), params, 1)

    def lt(p):
        s = torch.sum(p["a"])
        return s * 3 if s < 3 else s

    assert autograd.gradcheck(lt, {"a": torch.eye(5)}) and autograd.gradcheck(lt, {"a": torch.eye(1)})
    for x, reps in ((torch.randn(3, 3), (2, 2)), (torch.randn(3, 3, 3), (2, 2, 2)), (torch.randn(3, 3), (2, 2, 2)),
                    (torch.randn(3, 3, 3), (2, 2, 2, 2))):
        rep = lambda p, reps=reps: torch.sum(torch.repeatTensor(p["x"], *reps) * 3 * p["x"].view(-1)[0])  # noqa: E731
        assert autograd.gradcheck(rep, {"x": x})
    x = torch.randn(3, 3)
    gd = autograd(lambda p: torch.sum(torch.repeatTensor(p["x"], 2, 2) * 3))({"x": x})[0]["x"]
    gf = autograd(lambda p: torch.sum(torch.repeatTensor(p["x"], 2, 2) * 3))({"x": x.float()})[0]["x"]
    assert gf.type() == "torch.FloatTensor"
    close(gd, gf.double())


# ---- CUDA types (StrictCupy: NumPy dressed as CuPy, refusing host arrays as CuPy does) --------------------
@pytest.fixture
def strict_device():
    from strict_cupy import StrictCupy

    from torch7._core import backend
    old = backend._set_for_tests(StrictCupy())
    yield
    backend._restore(old)


def test_gradients_stay_on_the_device(strict_device):
    def f(p, x, idx):
        h = torch.tanh(x @ p["W"] + p["b"])  # the bias is broadcast: its gradient is summed on the device
        h = torch.cat([h, torch.repeatTensor(p["b"], 4, 1)], 1)
        picked = torch.gather(h, 1, idx)
        m = torch.max(h, 1)[0]
        d = torch.diag(p["W"][0:3, 0:3])
        return torch.sum(picked * m) + torch.sum(d) + torch.norm(h[1:3]) + torch.trace(p["W"][0:2])

    host = {"W": torch.randn(3, 4), "b": torch.randn(4)}
    x, idx = torch.randn(4, 3), torch.LongTensor([[0, 7], [3, 3], [5, 1], [6, 2]])
    gh, lh = autograd(f)(host, x, idx)
    dev = {k: v.type("torch.CudaDoubleTensor") for k, v in host.items()}
    gd, ld = autograd(f)(dev, x.type("torch.CudaDoubleTensor"), idx.type("torch.CudaLongTensor"))
    assert abs(ld - lh) < 1e-12
    for k in host:
        assert gd[k].type() == "torch.CudaDoubleTensor"
        close(gd[k].type("torch.DoubleTensor"), gh[k])
