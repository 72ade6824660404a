"""torch7.autograd core: grad/df conventions, nested parameters, Nodes, nesting, errors, gradcheck,
and the core-only examples of torch-autograd's test/test.lua (re-written, 0-based)."""

from __future__ import annotations

import collections

import numpy as np
import pytest
from autograd_helpers import close

import torch7 as torch
from torch7 import autograd


def mlp(p, x, y):
    h = torch.tanh(x @ p["W"][0] + p["b"][0])
    out = h @ p["W"][1] + p["b"][1]
    return torch.sum((out - y) ** 2), out


def mlp_params():
    torch.manualSeed(1)
    return {"W": [torch.randn(4, 3), torch.randn(3, 2)], "b": [torch.randn(3), torch.randn(2)]}


# ---- the df conventions ------------------------------------------------------------------------
def test_module_is_callable_and_returns_grads_loss_and_extras():
    p, x, y = mlp_params(), torch.randn(5, 4), torch.randn(5, 2)
    grads, loss, out = autograd(mlp)(p, x, y)
    want_loss, want_out = mlp(p, x, y)
    assert isinstance(loss, float) and abs(loss - want_loss) < 1e-12
    close(out, want_out)
    assert isinstance(grads["W"], list) and len(grads["W"]) == 2
    assert grads["W"][0].size() == p["W"][0].size() and grads["b"][1].size() == p["b"][1].size()
    assert autograd.gradcheck(mlp, p, x, y)


def test_withForward_withGradients_optimize_give_the_documented_values():
    p, x, y = mlp_params(), torch.randn(5, 4), torch.randn(5, 2)
    grads, loss, _ = autograd.grad(mlp)(p, x, y)
    only = autograd.grad(mlp, withForward=False)(p, x, y)
    close(only["W"][1], grads["W"][1])
    fwd = autograd.grad(mlp, withGradients=False)(p, x, y)
    assert isinstance(fwd, tuple) and abs(fwd[0] - loss) < 1e-12
    g2, l2, _ = autograd.grad(mlp, optimize=True)(p, x, y)
    close(g2["b"][0], grads["b"][0])
    assert l2 == loss
    autograd.optimize(True)
    try:
        assert autograd.optimizing()
        close(autograd(mlp)(p, x, y)[0]["W"][0], grads["W"][0])
    finally:
        autograd.optimize(False)
    assert not autograd.optimizing()
    autograd.protected(True)
    autograd.protected(False)


def test_partialGrad_takes_the_output_gradient_last():
    W, x = torch.randn(3, 4), torch.randn(2, 3)
    gout = torch.randn(2, 4)
    grads, out = autograd.grad(lambda W, x: torch.tanh(x @ W), partialGrad=True)(W, x, gout)
    close(out, torch.tanh(x @ W))
    t = torch.tanh(x @ W)
    close(grads, x.t() @ (gout * (1 - t * t)))
    assert not np.shares_memory(grads.numpy(), gout.numpy())
    gflat = torch.randn(6)  # a reshaping passes gradOutput through: the returned gradient is still a copy
    g, _ = autograd.grad(lambda x: x.view(6), partialGrad=True)(torch.randn(2, 3), gflat)
    close(g, gflat.view(2, 3))
    fwd = autograd.grad(lambda W, x: torch.tanh(x @ W), partialGrad=True, withGradients=False)(W, x, gout)
    close(fwd, torch.tanh(x @ W))
    assert not np.shares_memory(g.numpy(), gflat.numpy())


def test_gradArg_picks_the_differentiated_argument():
    W, x = torch.randn(3, 4), torch.randn(2, 3)
    gx, loss = autograd.grad(lambda W, x: torch.sum(x @ W), gradArg=1)(W, x)
    close(gx, torch.ones(2, 4) @ W.t())
    assert abs(loss - torch.sum(x @ W)) < 1e-12


def test_scalar_output_is_required_without_partialGrad():
    with pytest.raises(ValueError, match="scalar"):
        autograd.grad(lambda x: torch.tanh(x))(torch.randn(3))
    g, loss = autograd.grad(lambda x: torch.sum(x, 1) * 2)(torch.randn(1, 3))  # a one-element tensor is fine
    close(g, torch.Tensor([[2, 2, 2]]))
    assert loss.nElement() == 1


# ---- nested parameter structures ------------------------------------------------------------------
def test_nested_structures_mirror_the_parameters():
    Pair = collections.namedtuple("Pair", "a b")
    params = {"layers": [{"W": torch.randn(2, 2), "scale": 0.5}, {"W": torch.randn(2, 2), "scale": 2.0}],
              "pair": Pair(torch.randn(2), (torch.randn(2), 3.0)), "name": "net", "idx": torch.LongTensor([1]),
              "repeat": 1}

    def f(p):
        h = torch.ones(2)
        for layer in p["layers"] * p["repeat"]:  # an int is a setting, usable as one
            h = torch.tanh(layer["W"] @ h) * layer["scale"]
        return torch.sum(h * p["pair"].a + p["pair"].b[0]) * p["pair"].b[1]

    grads, loss = autograd(f)(params)
    assert grads["name"] is None and grads["idx"] is None and grads["repeat"] is None
    assert isinstance(grads["pair"], Pair) and isinstance(grads["pair"].b, tuple)
    assert isinstance(grads["layers"][0]["scale"], float) and isinstance(grads["pair"].b[1], float)
    # numbers' gradients by central differences
    for get, put in ((lambda p: p["layers"][1]["scale"], lambda p, v: p["layers"][1].__setitem__("scale", v)),):
        v0 = get(params)
        put(params, v0 + 1e-6)
        hi = f(params)
        put(params, v0 - 1e-6)
        lo = f(params)
        put(params, v0)
        assert abs(grads["layers"][1]["scale"] - (hi - lo) / 2e-6) < 1e-6
    assert abs(grads["pair"].b[1] - loss / 3.0) < 1e-12
    tensors = {"W0": params["layers"][0]["W"], "W1": params["layers"][1]["W"], "a": params["pair"].a}
    assert autograd.gradcheck(lambda t: f(_with(params, t)), tensors, randomizeInput=False)


def _with(params, t):
    p = dict(params)
    p["layers"] = [dict(params["layers"][0], W=t["W0"]), dict(params["layers"][1], W=t["W1"])]
    p["pair"] = params["pair"]._replace(a=t["a"])
    return p


def test_unused_parameters_get_zeros_and_gradients_never_alias():
    x = torch.randn(3)
    params = {"a": x, "b": x, "c": torch.randn(2), "n": 1.5}
    grads, _ = autograd(lambda p: torch.sum(p["a"] + p["b"]))(params)
    close(grads["a"], torch.ones(3))
    close(grads["c"], torch.zeros(2))
    assert grads["n"] == 0.0
    grads["a"].add(1)  # an optimizer updating one gradient in place must not change another
    close(grads["b"], torch.ones(3))
    assert not np.shares_memory(grads["a"].numpy(), x.numpy())


def test_output_independent_of_the_parameters_gives_zero_gradients():
    # torch-autograd's ZeroGrad: the loss does not depend on params
    params, x, y = torch.randn(5), torch.randn(5), torch.randn(1)[0]
    g, loss = autograd(lambda p, x, y: torch.norm(torch.add(x, y)))(params, x, y)
    close(g, torch.zeros(5))
    assert abs(loss - torch.norm(torch.add(x, y))) < 1e-12


# ---- Nodes, control flow and the torch7 namespace ----------------------------------------------------
def test_control_flow_depends_on_the_data():
    def f(p, n):
        h = p["x"]
        for _ in range(n):
            h = torch.sin(h) * p["s"]
        if torch.sum(h) > 0:  # a comparison on a Node is a plain value
            return torch.sum(h * h)
        return -torch.sum(h)

    for n in (1, 3, 4):
        params = {"x": torch.randn(4), "s": 1.3}
        grads, loss = autograd(f)(params, n)
        assert abs(loss - f(params, n)) < 1e-12
        assert autograd.gradcheck(lambda q, n=n: f({"x": q, "s": 1.3}, n), params["x"], randomizeInput=False)


def test_node_api():
    seen = {}

    def f(x):
        seen["node"] = x
        assert isinstance(x, autograd.Node) and isinstance(x.value, torch.Tensor)
        assert x.size() == torch.Size([2, 3]) and x.size(1) == 3 and x.dim() == 2 and x.nElement() == 6
        assert x.type() == "torch.DoubleTensor" and len(x) == 2 and torch.isTensor(x)
        assert "autograd.Node" in repr(x)
        rows = list(x)  # iteration selects rows
        assert len(rows) == 2 and rows[0].size() == torch.Size([3])
        return torch.sum(np.float64(2.0) * rows[1]) + x[0][1]

    g, _ = autograd(f)(torch.randn(2, 3))
    close(g, torch.Tensor([[0, 1, 0], [2, 2, 2]]))


def test_in_place_methods_and_conversions_on_nodes_raise():
    x = torch.randn(3)
    for body, pattern in ((lambda n: n.add(1), "x.add"), (lambda n: n.exp(), "x.exp"),
                          (lambda n: n.zero(), "x.zero"), (lambda n: n.copy(x), "x.copy"),
                          (lambda n: float(n[0]), "cannot be converted")):
        with pytest.raises(TypeError, match=pattern):
            autograd(lambda n, body=body: torch.sum(body(n)))(x)

    def iadd(n):
        n += 1
        return torch.sum(n)

    with pytest.raises(TypeError, match="in place"):
        autograd(iadd)(x)
    with pytest.raises(TypeError, match="clone it first"):
        autograd(lambda n: n.__setitem__(0, 1.0))(x)


def test_function_without_gradient_raises_a_clear_error():
    with pytest.raises(TypeError, match=r"torch\.cross has no gradient"):
        autograd(lambda x: torch.sum(torch.cross(x, torch.ones(3))))(torch.randn(3))
    with pytest.raises(TypeError, match=r"torch\.sum is supported on autograd Nodes only in its functional form"):
        autograd(lambda x: torch.sum(torch.Tensor(1), x, 0))(torch.randn(3))


def test_namespace_is_restored_even_after_an_exception():
    originals = {n: getattr(torch, n) for n in ("tanh", "sum", "cat", "cross", "zeros")}

    def f(x):
        assert torch.tanh is not originals["tanh"]  # the recording versions are installed while df runs
        assert torch.sum(torch.ones(2)) == 2.0  # plain calls go to the originals
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        autograd(f)(torch.randn(2))
    for n, fn in originals.items():
        assert getattr(torch, n) is fn
    # nested: an inner df that fails inside an outer df leaves the outer recording in place
    def outer(x):
        try:
            autograd(f)(x.value)
        except RuntimeError:
            pass
        assert torch.tanh is not originals["tanh"]
        return torch.sum(torch.tanh(x))

    g, _ = autograd(outer)(torch.zeros(2))
    close(g, torch.ones(2))
    assert torch.tanh is originals["tanh"]


def test_assignment_into_a_clone_is_recorded():
    # torch-autograd's Assignment example
    def f(p):
        xc = p["x"].clone()
        xc[0] = torch.sum(p["y"]) * 2.0
        xc[1] = torch.sum(p["y"]) * 3.0
        xc[2:4] = p["y"][0:2] * p["x"][5:7]
        return torch.sum(xc * p["x"])

    params = {"x": torch.randn(10), "y": torch.randn(3)}
    assert autograd.gradcheck(f, params)
    m = {"x": torch.randn(4, 4), "y": torch.randn(3)}

    def f4(p):
        xc = p["x"].clone()
        xc[torch.LongStorage([1, 1])] = torch.sum(p["y"])
        xc[0, 0] = torch.sum(p["y"]) * 2.0
        return torch.sum(torch.tanh(xc))

    assert autograd.gradcheck(f4, m)


# ---- higher order ----------------------------------------------------------------------------------
def test_grad_of_grad():
    # torch-autograd's GradGrad: the gradient of sum(d/dp (y - p.x)^2) is the row sums of the Hessian 2 x x^T
    params, x, y = torch.randn(5), torch.randn(5), torch.randn(1)[0]
    dinner = autograd(lambda p, x, y: torch.pow(y - p @ x, 2))
    g, _ = dinner(params, x, y)
    close(g, x * (-2 * (y - params @ x)))
    gg, _ = autograd(lambda p, x, y: torch.sum(dinner(p, x, y)[0]))(params, x, y)
    close(gg, torch.sum(torch.ger(x, x) * 2, 1).squeeze())
    # SimpleGradGrad: a linear inner function has a constant gradient, so the outer gradient is zero
    dlin = autograd(lambda p, x, y: y - p @ x)
    close(dlin(params, x, y)[0], -x)
    close(autograd(lambda p, x, y: torch.sum(dlin(p, x, y)[0]))(params, x, y)[0], torch.zeros(5))


def test_third_derivative_and_df_inside_f_with_closures():
    d1 = autograd(lambda x: torch.sum(torch.sin(x)), withForward=False)
    d2 = autograd(lambda x: torch.sum(d1(x)), withForward=False)
    d3 = autograd(lambda x: torch.sum(d2(x)), withForward=False)
    x = torch.randn(4)
    close(d3(x), -torch.cos(x))

    # the inner function closes over the outer parameter: the outer gradient flows through the inner one
    def outer(w, x):
        inner = autograd(lambda v: torch.sum(torch.tanh(v * w)), withForward=False)
        return torch.sum(inner(x) * x)

    w = torch.randn(3)
    assert autograd.gradcheck(outer, w, torch.randn(3), randomizeInput=False)


def test_numbers_as_parameters_and_higher_order_on_numbers():
    f = autograd(lambda a: a ** 3 + 2 * a, withForward=False)
    assert abs(f(2.0) - 14.0) < 1e-12
    ff = autograd(lambda a: f(a), withForward=False)
    assert abs(ff(2.0) - 12.0) < 1e-12


# ---- primitive -------------------------------------------------------------------------------------
def test_primitive_with_several_outputs_and_list_arguments():
    def fn(xs):
        return xs[0] * xs[1], xs[0] + xs[1]

    def grad(g, ans, xs):
        gp, gs = g
        out = [0, 0]
        for i, other in ((0, 1), (1, 0)):
            out[i] = (gp * xs[other] if gp is not None else 0) + (gs if gs is not None else 0)
        return out

    both = autograd.primitive(fn, [grad], "prodsum")
    assert both([torch.ones(1), torch.ones(1)])[1][0] == 2  # plain values: just fn
    a, b = torch.randn(3), torch.randn(3)
    g, _ = autograd(lambda p: torch.sum(both([p["a"], p["b"]])[0]))({"a": a, "b": b})
    close(g["a"], b)
    g, _ = autograd(lambda p: torch.sum(both(p)[0] + both(p)[1] * 2))([a, b])
    close(g[0], b + 2)
    close(g[1], a + 2)


def test_gradcheck_can_fail_and_make_binds_randomizeInput(capsys):
    wrong = autograd.primitive(lambda x: torch.exp(x), [lambda g, ans, x: g * ans * 1.01], "wrongexp")
    assert not autograd.gradcheck(lambda x: torch.sum(wrong(x)), torch.randn(3))
    assert "error =" in capsys.readouterr().out
    x = torch.randn(4)
    keep = x.clone()
    assert autograd.gradcheck.make(randomizeInput=False)(lambda x: torch.sum(torch.exp(x)), x)
    close(x, keep)
    assert autograd.gradcheck.make()(lambda x: torch.sum(torch.exp(x)), x)
    assert float(torch.max(torch.abs(x - keep))) > 0 and float(torch.max(torch.abs(x))) <= 1


# ---- options -----------------------------------------------------------------------------------------
def test_debugHook_dotFile_profile_showCode(tmp_path, capsys):
    calls = []

    def hook(debugger, msg, info):
        calls.append((msg, info))
        debugger.generateDot(str(tmp_path / "bad.dot"))

    W, x = torch.Tensor(4, 5).fill(0.5), torch.Tensor(5).fill(0.5)
    autograd(lambda p: torch.sum(torch.div(p["W"] @ p["x"], 0)), debugHook=hook)({"W": W, "x": x})
    assert len(calls) == 1 and calls[0][1]["name"] == "div" and "not finite" in calls[0][0]
    assert (tmp_path / "bad.dot").read_text().startswith("digraph")
    autograd(lambda x: torch.sum(x), debugHook=hook)(x)
    assert len(calls) == 1
    dot = tmp_path / "g.dot"
    autograd(lambda p: mlp(p, torch.randn(2, 4), torch.randn(2, 2)), dotFile=str(dot))(mlp_params())
    assert "tanh" in dot.read_text() and "->" in dot.read_text()
    df = autograd(lambda x: torch.sum(torch.tanh(x)), profile="summary", profileReportFrequency=2)
    df(x)
    df(x)
    assert "tanh" in capsys.readouterr().out
    with pytest.raises(NotImplementedError, match="showCode"):
        autograd(lambda x: x, showCode=True)
    with pytest.raises(ValueError, match="profile"):
        autograd(lambda x: x, profile="loud")
