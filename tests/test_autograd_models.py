"""autograd.loss / util / model / module / optim against NumPy, PyTorch, finite differences and torch7.optim."""

from __future__ import annotations

import numpy as np
import pytest
import torch as pt
from autograd_helpers import assert_tree_close, numgrad, rnd

import torch7 as torch
from torch7 import autograd, nn, optim
from torch7.autograd import loss, util


def check_grad(f, params, *args, tol=1e-6):
    grads, _ = autograd(lambda p: _first_node(f(p, *args)))(params)[:2]
    assert_tree_close(grads, numgrad(lambda p: f(p, *args), params), tol)
    return grads


def _first_node(v):
    return v[0] if isinstance(v, tuple) else v


def pt_of(t):
    return pt.tensor(t.numpy(), dtype=pt.float64, requires_grad=True)


# ---- loss ---------------------------------------------------------------------------------------------

def _pt_losses(name, o, t):
    if name == "logMultinomialLoss":
        return -(o * t).sum()
    if name == "logBCELoss":
        return -(t * pt.log(o) + (1 - t) * pt.log(1 - o)).sum()
    if name == "crossEntropy":
        return -(pt.log_softmax(o.reshape(-1), 0).reshape(o.shape) * t).sum()
    if name == "binaryCrossEntropy":
        y = pt.sigmoid(o) * (1 - 2e-6) + 1e-6
        return -(t * pt.log(y) + (1 - t) * pt.log(1 - y)).sum()
    return ((o - t) ** 2).sum()


@pytest.mark.parametrize("name", ["logMultinomialLoss", "logBCELoss", "crossEntropy", "binaryCrossEntropy",
                                  "leastSquares"])
def test_losses_match_pytorch(name):
    out = rnd(3, 4, seed=1)
    target = util.oneHot(torch.Tensor([2, 0, 3]), 4)
    if name == "logBCELoss":
        out = torch.sigmoid(out)
        target = torch.from_numpy((np.random.default_rng(2).random((3, 4)) > 0.5).astype(np.float64))
    fn = getattr(loss, name)
    grads, value = autograd(lambda p, t: fn(p["o"], t))({"o": out}, target)[:2]
    o = pt_of(out)
    ref = _pt_losses(name, o, pt.tensor(target.numpy()))
    ref.backward()
    assert value == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(grads["o"].numpy(), o.grad.numpy(), atol=1e-12)


def test_loss_second_values():
    out, target = rnd(4, seed=3), util.oneHot(torch.LongTensor([1]), 4)[0].double()
    _, yhat = loss.crossEntropy(out, target)
    np.testing.assert_allclose(np.exp(yhat.numpy()).sum(), 1.0)
    l, yhat = loss.binaryCrossEntropy(out, target)
    np.testing.assert_allclose(yhat.numpy(), 1 / (1 + np.exp(-out.numpy())) * (1 - 2e-6) + 1e-6)
    assert loss.leastSquares(out, target)[1] is out
    assert loss.logBCELoss(torch.Tensor([0.3]), torch.Tensor([1.0]), 0.2) == pytest.approx(-np.log(0.5))


def test_margin_loss_against_loops_and_finite_differences():
    out = rnd(7, seed=4)
    target = torch.Tensor([1, 0, 0, 1, 0, 1, 0])
    o, t = out.numpy(), target.numpy()
    ref = sum(max(0.0, 0.7 - (o[i] - o[j])) for i in range(7) for j in range(7) if t[i] == 1 and t[j] == 0)
    value, same = loss.margin(out, target, 0.7)
    assert value == pytest.approx(ref, rel=1e-12) and same is out
    check_grad(lambda p, tt: loss.margin(p["o"], tt, 0.7), {"o": out}, target)


# ---- util ---------------------------------------------------------------------------------------------

def test_util_math():
    a = rnd(3, 5, seed=5) * 30
    ref = np.log(np.exp(a.numpy() - a.numpy().max()).sum()) + a.numpy().max()
    assert util.logSumExp(a) == pytest.approx(ref, rel=1e-13)
    np.testing.assert_allclose(util.logSoftMax(a).numpy(), a.numpy() - ref, atol=1e-12)
    np.testing.assert_allclose(util.sigmoid(a).numpy(), 1 / (1 + np.exp(-a.numpy())), atol=1e-15)
    b = rnd(3, 5, seed=6)
    for fn in (util.logSumExp, lambda x: torch.sum(util.logSoftMax(x) * b), lambda x: torch.sum(util.sigmoid(x) * b)):
        check_grad(lambda p, fn=fn: fn(p["x"]), {"x": rnd(3, 5, seed=7)})
    assert util.oneHot(torch.Tensor([1, 0, 1])).tolist() == [[0, 1], [1, 0], [0, 1]]


def test_util_lookup_and_dropout():
    tbl = rnd(5, 3, seed=8)
    idx = torch.LongTensor([[4, 0], [4, 2]])
    rows = util.lookup(tbl, idx)
    np.testing.assert_allclose(rows.numpy(), tbl.numpy()[idx.numpy()])
    w = rnd(2, 2, 3, seed=9)
    grads = check_grad(lambda p: torch.sum(util.lookup(p["t"], idx) * w), {"t": tbl})
    assert grads["t"][4].sum() == pytest.approx(float((w[0][0] + w[1][0]).sum()))
    torch.manualSeed(3)
    x = rnd(200, seed=10)
    y = util.dropout(x, 0.25)
    ratio = y.numpy() / x.numpy()
    assert set(np.round(ratio, 10)) == {0.0, round(1 / 0.75, 10)}
    g, _ = autograd(lambda p: torch.sum(util.dropout(p, 0.25)))(x)
    assert set(np.round(g.numpy(), 10)) == {0.0, round(1 / 0.75, 10)}


def test_util_cat_and_comparisons():
    a, b = rnd(2, 3, seed=1), rnd(2, 2, seed=2)
    assert util.cat(a, b).size() == torch.Size([2, 5])
    assert util.cat([a, a], 0).size() == torch.Size([4, 3])

    def f(p):
        return -torch.sum(util.cat([p["a"], p["b"], p["c"]]) * torch.Tensor([1, 2, 3]))

    grads, value = autograd(f)({"a": 1.0, "b": 2.0, "c": 3.0})
    assert value == -14.0 and grads == {"a": -1.0, "b": -2.0, "c": -3.0}

    def g(p):  # torch-autograd's LessThan test: a branch on a Node through util.lt
        s = torch.sum(p["a"])
        return s * 3 if util.lt(s, 3) else s

    assert autograd(g)({"a": torch.eye(5)})[0]["a"].equal(torch.eye(5).fill(1))
    assert autograd(g)({"a": torch.eye(1)})[0]["a"].equal(torch.Tensor([[3]]))
    assert util.gt(2, 1) and util.ge(1, 1) and util.le(1, 2) and util.eq(2, 2)
    assert util.lt(torch.Tensor([1, 3]), 2).tolist() == [1, 0]
    assert util.gt(2, torch.Tensor([1, 3])).tolist() == [1, 0]
    np.testing.assert_allclose(util.setNotEqual(torch.Tensor([1, 2]), 2, None, a[0][:2]).numpy(), [0, a[0][1]])


def test_util_tables():
    t = {"b": [torch.ones(1), {"z": 1, "y": 2}], "a": 3}
    assert util.sortedFlatten(t)[0] == 3 and util.sortedFlatten(t)[2:] == [2, 1]
    assert len(util.sortedFlatten(t, noRecurse=True)) == 2
    assert util.sortedFlatten({1: "x", "k": "y"}) == ["x", "y"]
    c = util.deepCopy(t)
    assert c == t and c["b"] is not t["b"] and c["b"][0] is t["b"][0]
    d = util.cast(t, "float")
    assert d["b"][0].type() == "torch.FloatTensor" and t["b"][0].type() == "torch.DoubleTensor"
    g = torch.Tensor([1, 2, 3])
    assert [p.tolist() for p in util.catTableGradient(g, [torch.zeros(2), torch.zeros(1)], 0)] == [[1, 2], [3]]
    assert util.selectSliceCopy(torch.ones(2), torch.zeros(3, 2), 0, 2).sum() == 2
    assert util.indexAdd(torch.ones(3, 1), torch.zeros(2, 1), 0, torch.LongTensor([0, 0, 1])).tolist() == [[2], [1]]


# ---- model --------------------------------------------------------------------------------------------

def test_neural_network_matches_nn_sequential_and_finite_differences():
    torch.manualSeed(1)
    f, params = autograd.model.NeuralNetwork({"inputFeatures": 6, "hiddenFeatures": [5, 3], "classifier": True})
    params[0][0].normal(0, 0.3)
    params[1][0].normal(0, 0.3)
    seq = nn.Sequential().add(nn.Reshape(6)).add(nn.Linear(6, 5)).add(nn.ReLU()).add(nn.Linear(5, 3))
    for m, p in ((seq.get(1), params[0]), (seq.get(3), params[1])):
        m.weight.copy(p[0])
        m.bias.copy(p[1])
    x = rnd(4, 6, seed=2)
    np.testing.assert_allclose(f(params, x).numpy(), seq.forward(x).numpy(), atol=1e-13)
    t = util.oneHot(torch.Tensor([0, 2, 1, 2]), 3)
    grads = check_grad(lambda p, xx, tt: loss.crossEntropy(f(p, xx), tt), params, x, t)
    assert grads[0][0].dim() == 2 and grads[0][1].dim() == 1
    names = [type(layer.module).__name__ for layer in f.layers]
    assert names == ["Reshape", "Linear", "ReLU", "Linear"]
    f2, p2 = autograd.model.NeuralNetwork(inputFeatures=4, hiddenFeatures=[3, 2], batchNormalization=True,
                                          dropoutProb=0.5, activations="Tanh")
    assert [type(layer.module).__name__ for layer in f2.layers] == [
        "Reshape", "Dropout", "Linear", "BatchNormalization", "Tanh", "Dropout", "Linear", "BatchNormalization",
        "Tanh"]
    assert len(p2) == 4


def test_spatial_network_and_alexnet():
    torch.manualSeed(2)
    f1, p1 = autograd.model.SpatialNetwork(inputFeatures=2, hiddenFeatures=[3, 2], poolings=[2, 1], kernelSize=3,
                                           activations="Tanh")
    for p in p1:
        p[0].normal(0, 0.3)
    seq = nn.Sequential().add(nn.SpatialConvolutionMM(2, 3, 3, 3, 1, 1, 1, 1)).add(nn.Tanh())
    seq.add(nn.SpatialMaxPooling(2, 2)).add(nn.SpatialConvolutionMM(3, 2, 3, 3, 1, 1, 1, 1)).add(nn.Tanh())
    for m, p in ((seq.get(0), p1[0]), (seq.get(3), p1[1])):
        m.weight.copy(p[0])
        m.bias.copy(p[1])
    x = rnd(2, 6, 6, seed=3)
    np.testing.assert_allclose(f1(p1, x).numpy(), seq.forward(x).numpy(), atol=1e-13)
    f2, p2 = autograd.model.NeuralNetwork(inputFeatures=2 * 3 * 3, hiddenFeatures=[2], classifier=True)
    t = rnd(2, seed=4)
    check_grad(lambda p, xx, tt: loss.leastSquares(f2(p[1], f1(p[0], xx)), tt), [p1, p2], rnd(2, 6, 6, seed=5), t)
    fa, pa = autograd.model.AlexNet(1, 6, 6, {"hiddenFeatures": [2], "kernelSize": 3, "poolings": [2]},
                                    {"hiddenFeatures": [4, 3]})
    assert fa(pa, rnd(5, 1, 6, 6, seed=6)).size() == torch.Size([5, 3])
    assert [p[0].size() for p in pa][1:] == [torch.Size([4, 18]), torch.Size([3, 4])]
    check_grad(lambda p, xx: torch.sum(fa(p, xx) * torch.Tensor([1, -2, 0.5])), pa, rnd(1, 1, 6, 6, seed=7))


def _np_sig(v):
    return 1 / (1 + np.exp(-v))


def _np_rnn(kind, p, x, nh, S=1, h0=None, A0=None):
    W, b = p["W"].numpy(), p["b"].numpy()
    batch, steps = x.shape[0], x.shape[1]
    h, c, hs = np.zeros((batch, nh)) if h0 is None else h0, np.zeros((batch, nh)), []
    A = (0 if A0 is None else 0.9 * A0) + 0.5 * h.T @ h
    for t in range(steps):
        z = np.concatenate([x[:, t], h], 1) @ W + b
        if kind == "rnn":
            h = np.tanh(z)
        elif kind == "lstm":
            z = z.reshape(batch, 4, nh)
            i, f, o, g = _np_sig(z[:, 0]), _np_sig(z[:, 1]), _np_sig(z[:, 2]), np.tanh(z[:, 3])
            c = f * c + i * g
            h = o * np.tanh(c)
        elif kind == "gru":
            z = _np_sig(z.reshape(batch, 2, nh))
            r, u = z[:, 0], z[:, 1]
            v = np.tanh(np.concatenate([x[:, t], h * r], 1) @ p["V"].numpy() + p["c"].numpy())
            h = (1 - u) * h + u * v
        else:
            hn = np.zeros((batch, nh))
            for _ in range(S + 1):
                hn = np.maximum(z + hn @ A, 0)
            h = hn
        hs.append(h)
    return h, np.stack(hs, 1)


@pytest.mark.parametrize("kind, make", [
    ("rnn", "RecurrentNetwork"), ("lstm", "RecurrentLSTMNetwork"), ("gru", "RecurrentGRUNetwork"),
    ("fw", "RecurrentFWNetwork"),
])
def test_recurrent_networks(kind, make):
    nin, nh = 3, 4
    f, params = getattr(autograd.model, make)({"inputFeatures": nin, "hiddenFeatures": nh})
    fall, _ = getattr(autograd.model, make)(inputFeatures=nin, hiddenFeatures=nh, outputType="all")
    for i, k in enumerate(sorted(params[0])):
        params[0][k].copy(rnd(*params[0][k].size(), seed=20 + i, scale=0.5))
    x = rnd(2, 5, nin, seed=11)
    last, state = f(params, x)
    ref_last, ref_all = _np_rnn(kind, params[0], x.numpy(), nh)
    np.testing.assert_allclose(last.numpy(), ref_last, atol=1e-12)
    np.testing.assert_allclose(fall(params, x)[0].numpy(), ref_all, atol=1e-12)
    assert state["h"].equal(last)
    seq = x[0]  # one sequence: steps x features
    assert f(params[0], seq)[0].size() == torch.Size([1, nh])
    if kind != "fw":  # carrying the state across two calls equals one call over the whole sequence
        _, s1 = f(params, x.narrow(1, 0, 2))
        np.testing.assert_allclose(f(params, x.narrow(1, 2, 3), s1)[0].numpy(), ref_last, atol=1e-12)
    else:  # fast weights from a given state
        h0, A0 = rnd(2, nh, seed=13), rnd(nh, nh, seed=14, scale=0.3)
        ref = _np_rnn(kind, params[0], x.numpy(), nh, h0=h0.numpy(), A0=A0.numpy())[0]
        np.testing.assert_allclose(f(params, x, {"h": h0, "A": A0})[0].numpy(), ref, atol=1e-12)
        check_grad(lambda p, xx: torch.sum(f(p, xx, {"h": h0, "A": A0})[0]), params, x)
    w = rnd(2, 5, nh, seed=12)
    check_grad(lambda p, xx: torch.sum(fall(p, xx)[0] * w), params, x)


# ---- module -------------------------------------------------------------------------------------------

def test_layer_normalization():
    f, params = autograd.module.LayerNormalization(nOutputs=5)
    params[0]["gain"].copy(rnd(1, 5, seed=1))
    params[0]["bias"].copy(rnd(1, 5, seed=2))
    x = rnd(3, 5, seed=3)
    a = x.numpy()
    ref = (a - a.mean(1, keepdims=True)) / np.sqrt(a.var(1, keepdims=True) + 1e-5)
    ref = ref * params[0]["gain"].numpy() + params[0]["bias"].numpy()
    np.testing.assert_allclose(f(params, x).numpy(), ref, atol=1e-12)
    np.testing.assert_allclose(f(params, x[1]).numpy(), ref[1], atol=1e-12)
    w = rnd(3, 5, seed=4)
    check_grad(lambda P: torch.sum(f(P["p"], P["x"]) * w), {"p": params, "x": x})


def test_masked_batch_normalization():
    f, params, state = autograd.module.MaskedBatchNormalization(nOutputs=3, momentum=0.2)
    params[0]["gain"].copy(rnd(1, 3, seed=1))
    x = rnd(2, 4, 3, seed=2)
    mask = torch.Tensor([[1, 1, 1, 0], [1, 1, 0, 0]]).view(2, 4, 1)
    a, m = x.numpy().reshape(-1, 3), mask.numpy().reshape(-1, 1)
    count = m.sum()
    mean = 0.2 * (a * m).sum(0) / count
    cen = (a * m - mean) * m
    std = 0.2 * np.sqrt((cen * cen).sum(0) / count + 1e-5) + 0.8
    ref = cen / std * params[0]["gain"].numpy() + params[0]["bias"].numpy()
    out = f(params, x, mask, state)
    np.testing.assert_allclose(out.numpy(), ref.reshape(2, 4, 3), atol=1e-12)
    np.testing.assert_allclose(state["running_mean"].numpy(), mean[None], atol=1e-12)
    np.testing.assert_allclose(state["running_std"].numpy(), std[None], atol=1e-12)
    evaluation = dict(state, train=0)
    before = evaluation["running_mean"].clone()
    f(params, x, mask, evaluation)
    assert evaluation["running_mean"].equal(before)
    w = rnd(2, 4, 3, seed=3)

    def loss_fn(P):  # a fresh state per call: the statistics are part of the function
        return torch.sum(f(P["p"], P["x"], mask, {"momentum": 0.2, "train": 1, "running_mean": torch.zeros(1, 3),
                                                   "running_std": torch.ones(1, 3)}) * w)

    check_grad(lambda P: loss_fn(P), {"p": params, "x": x})


@pytest.mark.parametrize("ln", [False, True])
def test_soft_attention(ln):
    f, params = autograd.module.SoftAttention(hiddenFeatures=3, subjectFeatures=4, subjectChoices=5,
                                              layerNormalization=ln)
    for i, k in enumerate(sorted(params[0])):
        params[0][k].copy(rnd(*params[0][k].size(), seed=30 + i))
    subject, h = rnd(2, 4, 5, seed=1), rnd(2, 3, seed=2)
    p = params[0]
    logits = np.einsum("f,bfc->bc", p["W_att_subject"].numpy().reshape(-1), subject.numpy())
    logits = logits + h.numpy() @ p["W_att_h"].numpy()
    if ln:
        c = logits - logits.mean(1, keepdims=True)
        logits = c / np.sqrt((c * c).mean(1, keepdims=True) + 1e-5) * p["focus_ln_gain"].numpy() \
            + p["focus_ln_bias"].numpy()
    else:
        logits = logits + p["b_att"].numpy()
    focus = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    attention, got_focus = f(params, subject, h)
    np.testing.assert_allclose(got_focus.numpy(), focus, atol=1e-12)
    np.testing.assert_allclose(attention.numpy(), np.einsum("bfc,bc->bf", subject.numpy(), focus), atol=1e-12)
    a1, f1 = f(params, subject[0], h[0])
    np.testing.assert_allclose(a1.numpy(), attention[0].numpy(), atol=1e-12)
    w = rnd(2, 4, seed=3)
    check_grad(lambda P: torch.sum(f(P["p"], P["s"], P["h"])[0] * w) + torch.sum(f(P["p"], P["s"], P["h"])[1]),
               {"p": params, "s": subject, "h": h})


# ---- optim --------------------------------------------------------------------------------------------

def _f(p, x, y):
    h = torch.tanh(x @ p["W"][0] + p["b"][0])
    return torch.sum((y - h) ** 2) + torch.sum(p["c"] * p["c"])


@pytest.mark.parametrize("method, cfg", [
    ("sgd", {"learningRate": 0.05, "momentum": 0.9, "weightDecay": 1e-3}),
    ("adam", {"learningRate": 0.01}), ("adagrad", {"learningRate": 0.1}), ("rmsprop", {"learningRate": 0.01}),
    ("nag", {"learningRate": 0.01, "momentum": 0.5}), ("adadelta", {}), ("adamax", {"learningRate": 0.01}),
])
def test_optim_wrapper_equals_torch7_optim(method, cfg):
    def make():
        return {"W": [rnd(3, 2, seed=1)], "b": [rnd(2, seed=2)], "c": rnd(2, seed=3)}

    params, ref = make(), make()
    xs, ys = rnd(5, 3, seed=4), rnd(5, 2, seed=5)
    df = autograd(_f)
    step, states = getattr(autograd.optim, method)(df, cfg, params)
    assert len(states) == 3 and states[0] is not states[1]
    ref_states = [dict(cfg) for _ in range(3)]
    for i in range(4):
        x, y = xs.narrow(0, i, 1), ys.narrow(0, i, 1)
        grads, value = step(x, y)
        rg, rv = df(ref, x, y)
        assert value == rv
        for t, g, s in zip(util.sortedFlatten(ref), util.sortedFlatten(rg), ref_states):
            getattr(optim, method)(lambda _, g=g, rv=rv: (rv, g), t, s)
    for a, b in zip(util.sortedFlatten(params), util.sortedFlatten(ref)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-14)
    assert states[0].get("evalCounter", 4) == 4


def test_optim_sgd_equals_manual_updates_lua_test():
    df = autograd(lambda p, x, y: torch.sqrt(torch.sum(torch.pow(y - torch.tanh(x @ p["W"][0] + p["b"][0]), 2))))
    xs = rnd(40, 10, seed=6)
    ys = torch.from_numpy(np.tanh(xs.numpy().sum(1, keepdims=True)))
    params = {"W": [rnd(10, 1, seed=7)], "b": [rnd(1, seed=8)]}
    params3 = {"W": [params["W"][0].clone()], "b": [params["b"][0].clone()]}
    loss1 = loss3 = 0
    for i in range(40):
        grads, lv = df(params, xs.narrow(0, i, 1), ys.narrow(0, i, 1))
        loss1 += lv / 40
        params["W"][0].add(-1e-2, grads["W"][0])
        params["b"][0].add(-1e-2, grads["b"][0])
    step, _ = autograd.optim.sgd(df, {"learningRate": 1e-2}, params3)
    for i in range(40):
        loss3 += step(xs.narrow(0, i, 1), ys.narrow(0, i, 1))[1] / 40
    assert loss1 == pytest.approx(loss3, rel=1e-14)
    with pytest.raises(AttributeError):
        _ = autograd.optim.Logger
    assert "adam" in dir(autograd.optim)
