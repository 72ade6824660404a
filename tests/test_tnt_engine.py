"""tnt.Engine, tnt.SGDEngine, tnt.OptimEngine: hooks, the order of calls, and equality with hand-written loops."""

from __future__ import annotations

import copy
import importlib.util
import json
import os

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn, optim, tnt

SGD_HOOKS = ["onStart", "onStartEpoch", "onSample", "onForward", "onForwardCriterion", "onBackward",
             "onBackwardCriterion", "onEndEpoch", "onUpdate", "onEnd"]


class ListIterator:
    """Stands in for tnt.DatasetIterator: calling it starts a new pass over the samples."""

    def __init__(self, samples):
        self.samples = samples

    def __call__(self):
        return iter(self.samples)


def regression_samples(n=4, batch=5, seed=0):
    """Mini-batches of y = x @ w + b + noise, as DoubleTensors."""
    rng = np.random.default_rng(seed)
    w, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    out = []
    for _ in range(n):
        x = rng.normal(size=(batch, 3))
        y = x @ w + b + 0.01 * rng.normal(size=(batch, 2))
        out.append({"input": torch.from_numpy(x), "target": torch.from_numpy(y)})
    return out


def linear(seed=5):
    torch.manualSeed(seed)
    return nn.Linear(3, 2)


def params_of(net):
    return [p.numpy().copy() for p in net.parameters()[0]]


# ---------------------------------------------------------------------------------------------- hooks

def test_hooks_read_assign_call():
    engine = tnt.Engine(["onA", "onB"])
    assert engine.hooks("onA", 1) is None  # no-op by default
    seen = []
    engine.hooks.onA = lambda s: seen.append(("A", s))
    engine.hooks["onB"] = lambda s: seen.append(("B", s))
    engine.hooks("onA", 1)
    engine.hooks("onB", 2)
    engine.hooks["onA"](3)
    engine.hooks.onB(4)
    assert seen == [("A", 1), ("B", 2), ("A", 3), ("B", 4)]
    engine.hooks.onA = None  # back to the no-op
    engine.hooks("onA", 5)
    assert len(seen) == 4 and list(engine.hooks) == ["onA", "onB"] and "onA" in engine.hooks
    twin = copy.deepcopy(engine)  # a copy has its own hooks
    twin.hooks.onA = lambda s: seen.append(("twin", s))
    twin.hooks("onA", 6)
    twin.hooks("onB", 7)
    engine.hooks("onA", 8)
    assert seen[4:] == [("twin", 6), ("B", 7)]


@pytest.mark.parametrize("action", [
    lambda h: h.onC, lambda h: h["onC"], lambda h: h("onC", {}),
    lambda h: setattr(h, "onC", print), lambda h: h.__setitem__("onC", print),
])
def test_unknown_hook_raises_naming_it_and_the_valid_ones(action):
    engine = tnt.Engine(["onA", "onB"])
    with pytest.raises((AttributeError, KeyError)) as e:
        action(engine.hooks)
    assert str(e.value) == "tnt.Engine: unknown hook <onC> (valid hooks: onA, onB)"


def test_hook_errors():
    engine = tnt.SGDEngine()
    with pytest.raises(TypeError, match="hook <onStart> must be a function"):
        engine.hooks.onStart = 3
    with pytest.raises(TypeError, match="hook name must be a string"):
        engine.hooks(3, {})
    with pytest.raises(TypeError, match="list of hook names"):
        tnt.Engine("onA")
    with pytest.raises(NotImplementedError, match="train"):
        tnt.Engine(["onA"]).train()
    assert list(engine.hooks) == SGD_HOOKS and list(tnt.OptimEngine().hooks) == SGD_HOOKS
    assert torch.typename(engine) == "tnt.SGDEngine" and "onUpdate" in repr(engine)


# ---------------------------------------------------------------------------------------------- order of calls

class RecLinear(nn.Linear):
    """nn.Linear recording its calls into ``self.rec``."""

    def __init__(self, rec):
        super().__init__(3, 2)
        self.rec = rec

    def training(self):
        self.rec.append("net.training")
        return super().training()

    def evaluate(self):
        self.rec.append("net.evaluate")
        return super().evaluate()

    def forward(self, x):
        self.rec.append("net.forward")
        return super().forward(x)

    def backward(self, x, g, scale=1):
        self.rec.append("net.backward")
        return super().backward(x, g, scale)

    def zeroGradParameters(self):
        self.rec.append("net.zeroGradParameters")
        return super().zeroGradParameters()

    def updateParameters(self, lr):
        self.rec.append(f"net.updateParameters({lr})")
        return super().updateParameters(lr)


class RecCriterion(nn.MSECriterion):
    """MSECriterion recording its calls; with ``params=True`` it has (fake) parameters to update."""

    def __init__(self, rec, params=False):
        super().__init__()
        self.rec = rec
        if params:
            self.zeroGradParameters = lambda: rec.append("crit.zeroGradParameters")
            self.updateParameters = lambda lr: rec.append(f"crit.updateParameters({lr})")

    def forward(self, x, t=None):
        self.rec.append("crit.forward")
        return super().forward(x, t)

    def backward(self, x, t=None):
        self.rec.append("crit.backward")
        return super().backward(x, t)


def recording_engine(engine, rec):
    for name in SGD_HOOKS:
        engine.hooks[name] = (lambda n: lambda s: rec.append((n, s.get("epoch"), s["t"])))(name)
    return engine


def expected_train(nepoch, nsample, net_update="net.updateParameters(0.1)", crit=()):
    seq = [("onStart", 0, 0)]
    t = 0
    for epoch in range(nepoch):
        seq += ["net.training", ("onStartEpoch", epoch, t)]
        for _ in range(nsample):
            seq += [("onSample", epoch, t), "net.forward", ("onForward", epoch, t), "crit.forward",
                    ("onForwardCriterion", epoch, t), "net.zeroGradParameters", *crit[:1], "crit.backward",
                    ("onBackwardCriterion", epoch, t), "net.backward", ("onBackward", epoch, t), *crit[1:],
                    *([net_update] if net_update else [])]
            t += 1
            seq.append(("onUpdate", epoch, t))
        seq.append(("onEndEpoch", epoch + 1, t))
    return seq + [("onEnd", nepoch, t)]


@pytest.mark.parametrize("engine_cls", [tnt.SGDEngine, tnt.OptimEngine])
def test_train_order_of_calls_two_epochs_three_samples(engine_cls):
    rec = []
    net, crit = RecLinear(rec), RecCriterion(rec)
    engine = recording_engine(engine_cls(), rec)
    it = ListIterator(regression_samples(3))
    if engine_cls is tnt.SGDEngine:
        engine.train(net, crit, it, 0.1, maxepoch=2)
        assert rec == expected_train(2, 3)
    else:
        engine.train(net, crit, it, 2, optim.sgd, {"learningRate": 0.1})
        assert rec == expected_train(2, 3, net_update=None)


@pytest.mark.parametrize("lrcriterion, crit_update", [(None, "crit.updateParameters(0.1)"),
                                                      (0.5, "crit.updateParameters(0.5)"), (0, None)])
def test_train_criterion_with_parameters(lrcriterion, crit_update):
    rec = []
    net, crit = RecLinear(rec), RecCriterion(rec, params=True)
    engine = recording_engine(tnt.SGDEngine(), rec)
    kw = {} if lrcriterion is None else {"lrcriterion": lrcriterion}
    engine.train(net, crit, ListIterator(regression_samples(2)), lr=0.1, maxepoch=1, **kw)
    crit_calls = ("crit.zeroGradParameters", crit_update) if crit_update else ("crit.zeroGradParameters",)
    assert rec == expected_train(1, 2, crit=crit_calls)


def test_train_lr_zero_skips_update_and_negative_lr_raises():
    rec = []
    net = RecLinear(rec)
    before = params_of(net)
    tnt.SGDEngine().train(net, RecCriterion(rec), ListIterator(regression_samples(2)), lr=0, maxepoch=1)
    assert not any(isinstance(r, str) and r.startswith("net.update") for r in rec)
    assert all(np.array_equal(a, b) for a, b in zip(before, params_of(net)))
    with pytest.raises(ValueError, match="train: lr should be positive or zero, got -1"):
        tnt.SGDEngine().train(net, nn.MSECriterion(), ListIterator(regression_samples(1)), lr=-1, lrcriterion=0)
    with pytest.raises(ValueError, match="lrcriterion should be positive or zero, got -1"):  # defaults to lr
        tnt.SGDEngine().train(net, nn.MSECriterion(), ListIterator(regression_samples(1)), lr=-1)


def test_hooks_see_live_state_and_can_stop_or_change_lr():
    engine = tnt.SGDEngine()
    lrs = []

    def on_end_epoch(state):
        state["lr"] *= 0.5
        if state["epoch"] == 3:
            state["maxepoch"] = 3  # stop early

    engine.hooks.onEndEpoch = on_end_epoch
    engine.hooks.onUpdate = lambda s: lrs.append(s["lr"])
    engine.hooks.onStart = lambda s: lrs.append(sorted(s))
    engine.train(linear(), nn.MSECriterion(), ListIterator(regression_samples(2)), 0.4, maxepoch=100)
    assert lrs[0] == sorted(["network", "criterion", "iterator", "lr", "lrcriterion", "maxepoch", "sample",
                             "epoch", "t", "training"])
    assert lrs[1:] == [0.4, 0.4, 0.2, 0.2, 0.1, 0.1]


@pytest.mark.parametrize("with_criterion", [True, False])
def test_test_order_keeps_parameters_and_calls_evaluate(with_criterion):
    rec = []
    net, crit = RecLinear(rec), RecCriterion(rec)
    before = params_of(net)
    engine = recording_engine(tnt.SGDEngine(), rec)
    states = []
    engine.hooks.onEnd = lambda s: states.append(s)
    if with_criterion:
        engine.test(net, ListIterator(regression_samples(3)), crit)
    else:
        engine.test(network=net, iterator=ListIterator(regression_samples(3)))
    exp = [("onStart", None, 0), "net.evaluate"]
    for t in range(3):
        exp += [("onSample", None, t), "net.forward", ("onForward", None, t + 1)]
        if with_criterion:
            exp += ["crit.forward", ("onForwardCriterion", None, t + 1)]
    assert rec == exp
    assert states[0]["training"] is False and states[0]["t"] == 3 and net.train is False
    assert all(np.array_equal(a, b) for a, b in zip(before, params_of(net)))


# ---------------------------------------------------------------------------------------------- numerics

def hand_sgd(net, crit, samples, lr, nepoch):
    losses = []
    for _ in range(nepoch):
        net.training()
        for s in samples:
            net.forward(s["input"])
            losses.append(crit.forward(net.output, s["target"]))
            net.zeroGradParameters()
            crit.backward(net.output, s["target"])
            net.backward(s["input"], crit.gradInput)
            net.updateParameters(lr)
    return losses


@pytest.mark.parametrize("form", ["positional", "keyword", "dict"])
def test_sgd_engine_lowers_loss_and_equals_hand_loop(form):
    samples = regression_samples(4)
    net, crit = linear(), nn.MSECriterion()
    losses = []
    engine = tnt.SGDEngine()
    engine.hooks.onForwardCriterion = lambda s: losses.append(s["criterion"].output)
    args = {"network": net, "criterion": crit, "iterator": ListIterator(samples), "lr": 0.05, "maxepoch": 15}
    if form == "positional":
        engine.train(net, crit, args["iterator"], 0.05, 0.05, 15)  # lrcriterion comes before maxepoch
    elif form == "keyword":
        engine.train(**args)
    else:
        engine.train(args)
    ref_net = linear()
    ref = hand_sgd(ref_net, nn.MSECriterion(), samples, 0.05, 15)
    assert losses == ref  # bit for bit
    assert all(np.array_equal(a, b) for a, b in zip(params_of(net), params_of(ref_net)))
    assert np.mean(losses[-4:]) < 0.05 * np.mean(losses[:4])


def hand_optim(net, crit, samples, method, config, nepoch):
    params, grads = net.getParameters()
    state, losses = {}, []
    for _ in range(nepoch):
        for s in samples:
            net.forward(s["input"])
            loss = crit.forward(net.output, s["target"])
            net.zeroGradParameters()
            crit.backward(net.output, s["target"])
            net.backward(s["input"], crit.gradInput)
            method(lambda x, f=loss: (f, grads), params, config, state)
            losses.append(loss)
    return losses, state


@pytest.mark.parametrize("method, config", [
    (optim.sgd, {"learningRate": 0.05, "momentum": 0.9, "weightDecay": 1e-3}),
    (optim.adam, {"learningRate": 0.05}),
])
@pytest.mark.parametrize("use_param_fun", [False, True])
def test_optim_engine_equals_hand_optim_loop(method, config, use_param_fun):
    samples = regression_samples(4)
    net = linear()
    losses, starts = [], []
    engine = tnt.OptimEngine()
    engine.hooks.onForwardCriterion = lambda s: losses.append(s["criterion"].output)
    engine.hooks.onStart = lambda s: starts.append(s)
    optim_state = {}
    kw = {"paramFun": net.getParameters} if use_param_fun else {}
    engine.train(network=net, criterion=nn.MSECriterion(), iterator=ListIterator(samples), maxepoch=10,
                 optimMethod=method, config=dict(config), optimState=optim_state, **kw)
    ref_net = linear()
    ref_losses, ref_state = hand_optim(ref_net, nn.MSECriterion(), samples, method, dict(config), 10)
    assert losses == ref_losses
    assert all(np.array_equal(a, b) for a, b in zip(params_of(net), params_of(ref_net)))
    assert sorted(optim_state) == sorted(ref_state) and starts[0]["optim"] is optim_state
    assert np.mean(losses[-4:]) < 0.05 * np.mean(losses[:4])


def test_optim_engine_state_defaults_and_errors():
    config = {}
    starts = []
    engine = tnt.OptimEngine()
    engine.hooks.onEnd = lambda s: starts.append(s)
    engine.train(linear(), nn.MSECriterion(), ListIterator(regression_samples(2)), 1, optim.sgd, config)
    s = starts[0]
    assert s["config"] is config and s["optim"] is not config and s["optim"]["evalCounter"] == 2
    assert {"params", "gradParams", "optimMethod"} <= set(s) and s["epoch"] == 1 and s["t"] == 2
    with pytest.raises(TypeError, match="missing argument 'optimMethod'"):
        engine.train(linear(), nn.MSECriterion(), ListIterator([]))
    with pytest.raises(TypeError, match="network must be an nn.Module"):
        engine.train(None, nn.MSECriterion(), ListIterator([]), 1, optim.sgd)
    with pytest.raises(TypeError, match="criterion must be an nn.Criterion"):
        tnt.SGDEngine().train(linear(), linear(), ListIterator([]), 0.1)
    with pytest.raises(TypeError, match="iterator must be callable"):
        tnt.SGDEngine().test(linear(), [])


# ---------------------------------------------------------------------------------------------- the example

def load_example():
    path = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "tnt_digits.py")
    spec = importlib.util.spec_from_file_location("tnt_digits", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("argv, max_error", [
    (["--epochs", "3"], 10.0),  # torchnet's example: logistic regression, tnt.SGDEngine (8.33% measured)
    (["--epochs", "3", "--hidden", "32", "--optim", "adam"], 10.0),  # tnt.OptimEngine (7.50% measured)
])
def test_digits_example_learns(tmp_path, argv, max_error):
    lines = []
    logfile = tmp_path / "epochs.json"
    res = load_example().main(argv + ["--log", str(logfile)], log=lines.append)
    assert len(res["train_loss"]) == len(res["test_error"]) == 3
    assert res["train_loss"][-1] < 0.5 * res["train_loss"][0] and res["train_error"][-1] < res["train_error"][0]
    assert res["test_error"][-1] < max_error
    assert sum(line.startswith("epoch ") for line in lines) == 3 and "test error" in lines[-1]
    rows = [json.loads(line) for line in logfile.read_text().splitlines()]
    assert [r["epoch"] for r in rows] == ["1", "2", "3"]
    assert float(rows[-1]["test_error"]) == pytest.approx(res["test_error"][-1], rel=1e-12)
