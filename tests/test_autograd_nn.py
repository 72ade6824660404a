"""autograd.functionalize / autograd.nn / AutoModule / AutoCriterion against the nn modules themselves."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_helpers import assert_tree_close, first, numgrad, rnd

import torch7 as torch
from torch7 import autograd, nn, optim
from torch7.autograd import _nest


def _weights_like(out, seed=7):
    leaves, spec = _nest.flatten(out)
    return _nest.unflatten(spec, [rnd(*t.size(), seed=seed + i) for i, t in enumerate(leaves)])


def _dot(out, R):
    total = 0
    for o, r in zip(_nest.flatten(out)[0], _nest.flatten(R)[0]):
        total = total + torch.sum(o * r)
    return total


def check_module(module, x, tol=1e-10):
    """The functionalized module gives the module's forward, gradInput and gradParameters (float64)."""
    ref = module.clone()
    made = autograd.functionalize(module)
    f, params = made if isinstance(made, tuple) else (made, None)
    out = f(params, x) if params is not None else f(x)
    expected = ref.forward(x)
    assert_tree_close(out, expected, tol)
    R = _weights_like(expected)
    ref.zeroGradParameters()
    gi = ref.backward(x, R)
    x_float = all(_nest.is_float_tensor(t) for t in _nest.flatten(x)[0])

    def loss(P, xx):
        y = f(P["p"], P.get("x", xx)) if params is not None else f(P.get("x", xx))
        return _dot(y, R)

    P = {"p": params if params is not None else []}
    if x_float:
        P["x"] = x
    grads, value = autograd(loss)(P, x)
    assert abs(value - first(_dot(expected, R))) < 1e-8
    if x_float:
        assert_tree_close(grads["x"], gi, tol)
    if params is not None:
        assert_tree_close(grads["p"], ref.parameters()[1], tol)
    return f, params


@pytest.mark.parametrize("make, shape", [
    (lambda: nn.Linear(5, 3), (4, 5)),
    (lambda: nn.Linear(5, 3), (5,)),
    (lambda: nn.Tanh(), (3, 4)),
    (lambda: nn.Sigmoid(), (3, 4)),
    (lambda: nn.ReLU(), (3, 4)),
    (lambda: nn.SoftMax(), (3, 4)),
    (lambda: nn.LogSoftMax(), (3, 4)),
    (lambda: nn.CMul(4), (3, 4)),
    (lambda: nn.PReLU(), (3, 4)),
    (lambda: nn.Reshape(12), (2, 3, 4)),
    (lambda: nn.View(-1), (3, 4)),
    (lambda: nn.BatchNormalization(4), (6, 4)),
    (lambda: nn.SpatialConvolutionMM(2, 3, 3, 3, 1, 1, 1, 1), (2, 5, 5)),
    (lambda: nn.SpatialConvolution(2, 3, 3, 3), (2, 2, 5, 5)),
    (lambda: nn.SpatialMaxPooling(2, 2), (2, 4, 4)),
    (lambda: nn.SpatialBatchNormalization(2), (3, 2, 3, 3)),
    (lambda: nn.TemporalConvolution(3, 2, 2), (5, 3)),
])
def test_functionalized_module_matches_module(make, shape):
    torch.manualSeed(1)
    check_module(make(), rnd(*shape, seed=3))


def test_table_inputs_and_outputs():
    torch.manualSeed(2)
    check_module(nn.MM(), [rnd(3, 4, seed=1), rnd(4, 2, seed=2)])
    check_module(nn.JoinTable(1), [rnd(2, 3, seed=1), rnd(2, 2, seed=2)])
    check_module(nn.CAddTable(), [rnd(2, 3, seed=1), rnd(2, 3, seed=2)])
    check_module(nn.SplitTable(0), rnd(3, 2, seed=3))
    check_module(nn.ConcatTable().add(nn.Linear(3, 2)).add(nn.Tanh()).add(nn.Linear(3, 4)), rnd(5, 3, seed=4))
    check_module(nn.Bilinear(3, 2, 4), [rnd(5, 3, seed=1), rnd(5, 2, seed=2)])


def test_container_and_lookup_table():
    torch.manualSeed(3)
    seq = nn.Sequential().add(nn.SpatialConvolutionMM(3, 4, 3, 3, 1, 1, 1, 1)).add(nn.Tanh())
    seq.add(nn.Reshape(4 * 4 * 4)).add(nn.Linear(64, 5)).add(nn.Tanh())
    f, params = check_module(seq, rnd(3, 4, 4, seed=5))
    assert len(params) == 4 and params[0] is seq.get(0).weight
    check_module(nn.LookupTable(6, 3), torch.LongTensor([[0, 5, 2], [2, 2, 1]]))


def test_nn_package_constructors_and_lua_nnfunc_basic():
    torch.manualSeed(4)
    linear, lp = autograd.nn.Linear(10, 4)
    assert isinstance(lp, list) and len(lp) == 2 and lp[0].size() == torch.Size([4, 10])
    params = {"linearParams": lp, "x": rnd(10, seed=1)}

    def f_nn(p):
        return torch.sum(linear(p["linearParams"], p["x"]))

    def f_ag(p):
        return torch.sum(p["linearParams"][0] @ p["x"] + p["linearParams"][1])

    g1, l1 = autograd(f_nn)(params)
    g2, l2 = autograd(f_ag)(params)
    assert abs(l1 - l2) < 1e-12
    assert_tree_close(g1, g2, 1e-12)
    tanh = autograd.nn.Tanh()
    assert tanh(torch.eye(3)).equal(torch.tanh(torch.eye(3)))
    assert "Linear" in dir(autograd.nn) and "AutoModule" in dir(autograd.nn)


def test_mlp_gradient_matches_finite_differences():
    torch.manualSeed(5)
    params = {}
    linear1, params["linear1"] = autograd.nn.Linear(6, 4)
    linear2, params["linear2"] = autograd.nn.Linear(4, 3)
    acts1, acts2 = autograd.nn.Tanh(), autograd.nn.Tanh()
    params["x"] = rnd(6, seed=2)

    def mlp(p):
        return torch.sum(acts2(linear2(p["linear2"], acts1(linear1(p["linear1"], p["x"])))))

    grads, loss = autograd(mlp)(params)
    assert_tree_close(grads, numgrad(mlp, params), 1e-7)
    assert autograd.gradcheck(mlp, params)


def test_reused_wrappers_in_one_graph():
    torch.manualSeed(6)
    lin, lp = autograd.nn.Linear(3, 3)
    tanh = autograd.nn.Tanh()

    def f(p):
        h = tanh(lin(p["lin"], p["x"]))
        h = tanh(lin(p["lin"], h) * 2)  # the same module and weights a second time
        return torch.sum(h * p["x"])

    params = {"lin": lp, "x": rnd(2, 3, seed=1)}
    grads, _ = autograd(f)(params)
    assert_tree_close(grads, numgrad(f, params), 1e-7)


def test_dropout_reused_keeps_each_calls_mask():
    torch.manualSeed(7)
    drop = autograd.nn.Dropout(0.5)
    a, b = rnd(50, seed=1), rnd(50, seed=2)

    def f(p):
        y1, y2 = drop(p["x"]), drop(p["x"])
        return torch.sum(y1 * a) + torch.sum(y2 * b), y1, y2

    x = rnd(50, seed=3)
    grads, _, y1, y2 = autograd(f)({"x": x})
    m1, m2 = y1.numpy() / x.numpy(), y2.numpy() / x.numpy()
    assert not np.allclose(m1, m2)
    assert set(np.round(m1, 8)) <= {0.0, 2.0}
    np.testing.assert_allclose(grads["x"].numpy(), m1 * a.numpy() + m2 * b.numpy(), atol=1e-12)


def test_float_parameters_give_float_gradients():
    torch.manualSeed(8)
    linear1, p1 = autograd.nn.Linear(5, 4)
    linear2, p2 = autograd.nn.Linear(4, 2)
    acts = autograd.nn.Tanh()
    params = autograd.util.cast({"linear1": p1, "linear2": p2, "x": rnd(5)}, "float")

    def mlp(p):
        return torch.sum(acts(linear2(p["linear2"], acts(linear1(p["linear1"], p["x"])))))

    grads, _ = autograd(mlp)(params)
    assert all(g.type() == "torch.FloatTensor" for g in grads["linear1"] + grads["linear2"])
    assert linear1.module.weight.type() == "torch.FloatTensor"


@pytest.mark.parametrize("make, target", [
    (nn.MSECriterion, lambda: rnd(4, 3, seed=9)),
    (nn.SmoothL1Criterion, lambda: rnd(4, 3, seed=9)),
    (nn.ClassNLLCriterion, lambda: torch.LongTensor([0, 2, 1, 2])),
    (nn.CrossEntropyCriterion, lambda: torch.LongTensor([1, 0, 2, 2])),
    (nn.MultiMarginCriterion, lambda: torch.LongTensor([1, 0, 2, 2])),
])
def test_criterions(make, target):
    crit, ref = make(), make()
    x, y = rnd(4, 3, seed=8), target()
    f = autograd.functionalize(crit)
    assert abs(f(x, y) - ref.forward(x, y)) < 1e-12
    gx = ref.backward(x, y).clone()
    grads, loss = autograd(lambda p, t: f(p["x"], t) * 2.5)({"x": x}, y)
    assert abs(loss - 2.5 * ref.forward(x, y)) < 1e-12
    np.testing.assert_allclose(grads["x"].numpy(), 2.5 * gx.numpy(), atol=1e-12)


def test_criterion_with_table_input_lua_functionalize_criterion_module():
    torch.manualSeed(9)
    x = [torch.rand(2, 10), torch.randn(2, 10)]
    y = [torch.LongTensor([0, 7]), torch.randn(2, 10)]
    pc = nn.ParallelCriterion().add(nn.ClassNLLCriterion(), 0.5).add(nn.MSECriterion())
    out1 = pc.forward(x, y)
    pcf = autograd.functionalize(pc)
    assert abs(pcf(x, y) - out1) < 1e-12
    grads, _ = autograd(lambda p, t: pcf(p, t))(x, y)
    assert_tree_close(grads, numgrad(lambda p: pcf(p, y), x), 1e-7)
    assert autograd.gradcheck(lambda p, t: pcf(p, t), x, y)


def test_dynamic_wrap_of_existing_model():
    torch.manualSeed(10)
    model = nn.Sequential().add(nn.SpatialConvolutionMM(3, 4, 3, 3, 1, 1, 1, 1)).add(nn.Tanh())
    model.add(nn.Reshape(4 * 4 * 4)).add(nn.Linear(64, 5)).add(nn.Tanh())
    modelf, params = autograd.functionalize(model)
    loss = autograd.functionalize(nn.MSECriterion())
    x, y = rnd(3, 4, 4, seed=1), rnd(5, seed=2)
    model2 = model.clone()
    grads, _ = autograd(lambda p, yy: loss(modelf(p["p"], p["x"]), yy))({"p": params, "x": x}, y)
    model2.zeroGradParameters()
    yhat = model2.forward(x)
    gx = model2.backward(x, nn.MSECriterion().backward(yhat, y))
    assert_tree_close(grads["p"], model2.parameters()[1], 1e-12)
    np.testing.assert_allclose(grads["x"].numpy(), gx.numpy(), atol=1e-12)


def test_plain_calls_return_copies_and_wrapper_methods():
    tanh = autograd.nn.Tanh()
    a = tanh(torch.zeros(2))
    tanh(torch.ones(2))
    assert a.tolist() == [0.0, 0.0]
    lin, p = autograd.nn.Linear(2, 2)
    gp, gi = lin.backward(torch.ones(2), p, torch.ones(2))
    assert_tree_close(gp, [torch.ones(2, 2), torch.ones(2)])
    np.testing.assert_allclose(gi.numpy(), p[0].sum(0).view(2).numpy())
    assert lin.forward(p, torch.zeros(2)).equal(p[1])


def test_errors():
    with pytest.raises(TypeError):
        autograd.functionalize(3)
    with pytest.raises(AttributeError):
        _ = autograd.nn.NoSuchLayer
    with pytest.raises(ImportError):
        autograd.functionalize("no_such_package_xyz")
    lin, p = autograd.nn.Linear(2, 2)
    with pytest.raises(TypeError):
        lin(torch.ones(2))
    with pytest.raises(ValueError):
        lin([p[0]], torch.ones(2))
    tanh = autograd.nn.Tanh()
    dinner = autograd(lambda x: torch.sum(tanh(x)), withForward=False)
    with pytest.raises(NotImplementedError, match="gradients of gradients"):
        autograd(lambda x: torch.sum(dinner(x)))(torch.ones(3))


def test_mlp_trained_with_autograd_nn_and_optim_sgd_lowers_loss():
    torch.manualSeed(11)
    l1, p1 = autograd.nn.Linear(4, 8)
    l2, p2 = autograd.nn.Linear(8, 3)
    act = autograd.nn.Tanh()
    lsm = autograd.nn.LogSoftMax()
    nll = autograd.nn.ClassNLLCriterion()
    x = rnd(32, 4, seed=1)
    y = torch.LongTensor((np.argmax(x.numpy()[:, :3], 1)).tolist())

    def f(p, xx, yy):
        return nll(lsm(l2(p["l2"], act(l1(p["l1"], xx)))), yy)

    params = {"l1": p1, "l2": p2}
    step, states = autograd.optim.sgd(autograd(f), {"learningRate": 0.5}, params)
    assert len(states) == 4
    first = f(params, x, y)
    for _ in range(60):
        grads, loss = step(x, y)
    assert f(params, x, y) < 0.5 * first


# ---- AutoModule / AutoCriterion ---------------------------------------------------------------------

def _linear(input, weight, bias):
    return weight @ input + bias


def _linear_relu(input, weight, bias):
    y = weight @ input + bias
    return torch.mul(torch.abs(y) + y, 0.5)


def _mse(input, target):
    buffer = input - target
    n = input.size(0) * input.size(1) if input.dim() == 2 else input.size(0)
    return torch.sum(buffer * buffer) / n


def test_auto_module_and_criterion_match_hand_written_nn():
    torch.manualSeed(12)
    nin, nout = 6, 9
    model = nn.Sequential()
    linear1, linear2 = nn.Linear(nin, nout), nn.Linear(nout, nin)
    model.add(linear1).add(nn.ReLU()).add(linear2)
    mse = nn.MSECriterion()
    auto = nn.Sequential()
    auto.add(autograd.nn.AutoModule("TestAutoLinearReLU")(_linear_relu, linear1.weight.clone(), linear1.bias.clone()))
    auto.add(autograd.nn.AutoModule("TestAutoLinear")(_linear, linear2.weight.clone(), linear2.bias.clone()))
    amse = autograd.nn.AutoCriterion("TestAutoMSE")(_mse)
    params, gparams = model.parameters()
    aparams, agparams = auto.parameters()
    assert len(params) == len(aparams) == len(agparams) == 4
    for i in range(20):
        model.zeroGradParameters()
        auto.zeroGradParameters()
        x = rnd(nin, seed=100 + i) * 2
        t = x.clone().exp()
        o1, o2 = model.forward(x), auto.forward(x)
        np.testing.assert_allclose(o1.numpy(), o2.numpy(), atol=1e-10)
        assert abs(mse.forward(o1, t) - amse.forward(o2, t)) < 1e-10
        g1, g2 = mse.backward(o1, t), amse.backward(o2, t)
        np.testing.assert_allclose(g1.numpy(), g2.numpy(), atol=1e-10)
        gi1, gi2 = model.backward(x, g1), auto.backward(x, g2)
        np.testing.assert_allclose(gi1.numpy(), gi2.numpy(), atol=1e-10)
        for a, b in zip(gparams, agparams):
            np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-10)
        for p, g in zip(params + aparams, gparams + agparams):
            p.add(-0.01, g)
    for a, b in zip(params, aparams):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-9)


def test_auto_module_trains_with_get_parameters_and_optim():
    torch.manualSeed(13)
    lin = nn.Linear(4, 3)
    ref = nn.Sequential().add(lin.clone()).add(nn.Tanh())
    auto = nn.Sequential().add(autograd.nn.AutoModule("TestAutoLinear")(_linear, lin.weight.clone(),
                                                                           lin.bias.clone())).add(nn.Tanh())
    crit = nn.MSECriterion()
    x, t = rnd(4, seed=1), rnd(3, seed=2) * 0.3
    results = []
    for model in (ref, auto):
        w, dw = model.getParameters()
        cfg = {"learningRate": 0.1, "momentum": 0.5}

        def feval(_, model=model, dw=dw):
            dw.zero()
            out = model.forward(x)
            loss = crit.forward(out, t)
            model.backward(x, crit.backward(out, t))
            return loss, dw

        for _ in range(10):
            optim.sgd(feval, w, cfg)
        results.append((w.clone(), crit.forward(model.forward(x), t)))
    np.testing.assert_allclose(results[0][0].numpy(), results[1][0].numpy(), atol=1e-10)
    assert results[1][1] < crit.forward(nn.Linear(4, 3).forward(x), t) or results[1][1] < 0.1


def test_auto_classes_registry_and_no_parameters():
    cls = autograd.nn.AutoModule("TestAutoSquare")
    assert autograd.nn.AutoModule("TestAutoSquare") is cls and autograd.auto.TestAutoSquare is cls
    m = cls(lambda x, w, b: x * x)
    assert torch.typename(m) == "autograd.nn.module.TestAutoSquare" and issubclass(cls, nn.Module)
    assert m.parameters() == ([], [])
    x = rnd(3, seed=4)
    assert m.forward(x).equal(x * x)
    np.testing.assert_allclose(m.backward(x, torch.ones(3)).numpy(), 2 * x.numpy())
    c = autograd.nn.AutoCriterion("TestAutoWithPred")(lambda x, y: (torch.sum(x * y), x * 2))
    assert torch.typename(c) == "autograd.nn.criterion.TestAutoWithPred" and isinstance(c, nn.Criterion)
    assert c.forward(x, torch.ones(3)) == pytest.approx(float(x.sum()))
    assert c.predictions.equal(x * 2)
    assert c.backward(x, torch.ones(3)).equal(torch.ones(3))
    with pytest.raises(ValueError):
        autograd.nn.AutoModule("")


def test_nngraph_module_and_auto_module_inside_functionalize():
    from torch7 import nngraph

    torch.manualSeed(14)
    inp = nn.Identity()()
    g = nngraph.gModule([inp], [nn.Tanh()(nn.Linear(3, 2)(inp))])
    check_module(g, rnd(4, 3, seed=1))
    Lin = autograd.nn.AutoModule("TestAutoTanhLinear")
    m = nn.Sequential().add(Lin(lambda x, W, b: torch.tanh(W @ x + b), rnd(2, 3, seed=2), rnd(2, seed=3)))
    f, params = autograd.functionalize(m)
    w = torch.Tensor([1, -2])

    def loss(P):
        return torch.sum(f(P["p"], P["x"]) * w)

    P = {"p": params, "x": rnd(3, seed=4)}
    grads, _ = autograd(loss)(P)
    assert_tree_close(grads, numgrad(loss, P), 1e-7)
