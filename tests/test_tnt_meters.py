"""tnt meters, part 1: value, classification and timing meters (torchnet's test/meters.lua, 0-based,
plus NumPy references on random data). Ranking meters are in test_tnt_meters2.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

import torch7 as torch
from torch7 import tnt
from torch7._core import timer as timer_mod

T = torch.Tensor
rng = np.random.default_rng(7)


# ---- the base ----------------------------------------------------------------------------------

def test_meter_base_requires_the_three_methods():
    m = tnt.Meter()
    for call in (m.reset, m.add, m.value):
        with pytest.raises(NotImplementedError, match="tnt.Meter should implement"):
            call()


@pytest.mark.parametrize("name", ["AverageValueMeter", "ClassErrorMeter", "APMeter", "mAPMeter", "AUCMeter",
                                  "MSEMeter", "PrecisionAtKMeter", "PrecisionMeter", "RecallMeter",
                                  "NDCGMeter", "TimeMeter"])
def test_typename_and_repr(name):
    m = getattr(tnt, name)()
    assert torch.typename(m) == f"tnt.{name}"
    assert isinstance(m, tnt.Meter)
    assert repr(m).startswith(f"tnt.{name}(")


# ---- AverageValueMeter -------------------------------------------------------------------------

def test_average_value_meter_lua_case():
    m = tnt.AverageValueMeter()
    m.add(1)
    avg, std = m.value()
    assert avg == 1 and math.isnan(std)  # the std of one value is undefined
    m.add(3)
    assert m.value() == (2.0, math.sqrt(2))


def test_average_value_meter_against_numpy_and_reset():
    m = tnt.AverageValueMeter()
    assert all(math.isnan(v) for v in m.value())  # nothing added: 0 / 0
    x = rng.normal(size=50)
    for v in x[:-1]:
        m.add(v)
    m.add(T([x[-1]]))  # a one-element tensor is a number
    mean, std = m.value()
    assert mean == pytest.approx(x.mean(), rel=1e-12)
    assert std == pytest.approx(x.std(ddof=1), rel=1e-9)
    m.reset()
    m.add(5)
    m.add(7)
    assert m.value() == (6.0, math.sqrt(2))


def test_average_value_meter_weight_n_counts_value_as_a_sum():
    m = tnt.AverageValueMeter()
    m.add(6, 3)  # the summed loss of a batch of 3
    m.add(2, n=1)
    assert m.value()[0] == 2.0 and m.n == 4
    with pytest.raises(ValueError, match="AverageValueMeter.add: value must be a number"):
        m.add(T([1, 2]))


# ---- MovingAverageValueMeter -------------------------------------------------------------------

def test_moving_average_value_meter_against_numpy():
    w = 5
    m = tnt.MovingAverageValueMeter(w)
    assert m.value() == (0.0, 0.0)
    x = rng.normal(size=23) * 10 + 1000  # a large mean tests the numerics of the std
    for i, v in enumerate(x):
        m.add(v)
        win = x[max(0, i + 1 - w):i + 1]
        mean, std = m.value()
        assert mean == pytest.approx(win.mean(), rel=1e-12)
        assert std == pytest.approx(win.std(ddof=1) if win.size > 1 else 0.0, rel=1e-6, abs=1e-9)
    m.reset()
    m.add(4)
    assert m.value() == (4.0, 0.0)


@pytest.mark.parametrize("call", [lambda: tnt.MovingAverageValueMeter(), lambda: tnt.MovingAverageValueMeter(0)])
def test_moving_average_value_meter_needs_a_window(call):
    with pytest.raises((TypeError, ValueError), match="windowsize"):
        call()


def test_moving_average_constructor_forms():
    for m in (tnt.MovingAverageValueMeter(3), tnt.MovingAverageValueMeter(windowsize=3),
              tnt.MovingAverageValueMeter({"windowsize": 3})):
        assert m.windowsize == 3


# ---- ClassErrorMeter ---------------------------------------------------------------------------

def test_class_error_meter_lua_case():
    m = tnt.ClassErrorMeter({"topk": [1]})
    output = T([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    m.add(output, T([0, 1, 2]))
    assert m.value() == {1: 0.0}
    m.add(output, T([1, 0, 0]))
    assert m.value() == {1: 50.0}


def _topk_error(out, tgt, k):
    wrong = 0
    for row, t in zip(out, tgt):
        order = np.argsort(-row, kind="stable")
        wrong += t not in order[:k]
    return 100.0 * wrong / len(tgt)


def test_class_error_meter_against_numpy_in_batches():
    m = tnt.ClassErrorMeter(topk=[5, 1, 3])
    acc = tnt.ClassErrorMeter([1, 3, 5], True)
    assert m.topk == [1, 3, 5]
    outs, tgts = [], []
    for n in (7, 1, 20):
        out = rng.normal(size=(n, 10))
        out[0, :3] = 0.5  # ties: the lower class ranks first
        tgt = rng.integers(0, 10, size=n)
        m.add(torch.from_numpy(out), torch.LongTensor(tgt.tolist()))
        acc.add(out, tgt)
        outs.append(out)
        tgts.append(tgt)
    out, tgt = np.concatenate(outs), np.concatenate(tgts)
    for k in (1, 3, 5):
        assert m.value(k) == pytest.approx(_topk_error(out, tgt, k))
        assert acc.value(k) == pytest.approx(100 - _topk_error(out, tgt, k))
    assert list(m.value()) == [1, 3, 5]
    m.reset()
    assert math.isnan(m.value(1)) and m.n == 0


def test_class_error_meter_single_sample_and_float_outputs():
    m = tnt.ClassErrorMeter()
    m.add(torch.FloatTensor([0.1, 0.7, 0.2]), 1)
    m.add(T([0.1, 0.7, 0.2]), torch.LongTensor([2]))
    assert m.value(1) == 50.0
    ties = tnt.ClassErrorMeter(topk=[1, 2])
    ties.add(T([[1, 1, 0], [0, 1, 1]]), T([1, 2]))  # equal scores: the lower class ranks first
    assert ties.value() == {1: 100.0, 2: 0.0}  # class 0 beats 1 in row 0, class 1 beats 2 in row 1


@pytest.mark.parametrize("output, target, topk, err, match", [
    (T(4, 3).zero(), T([0, 1, 2, 0]), [5], ValueError, "output has 3 columns but topk asks for 5"),
    (T(4, 3).zero(), T([0, 1, 2]), [1], ValueError, "output has 4 rows but target has 3"),
    (T(2, 3).zero(), T([0, 3]), [1], IndexError, "target 3 out of range"),
    (T(2, 3).zero(), T([0, 0.5]), [1], ValueError, "class numbers"),
    (T(2, 3, 2).zero(), T([0, 1]), [1], ValueError, "1-D or 2-D"),
])
def test_class_error_meter_errors(output, target, topk, err, match):
    with pytest.raises(err, match=match):
        tnt.ClassErrorMeter(topk=topk).add(output, target)


def test_class_error_meter_unknown_k():
    m = tnt.ClassErrorMeter(topk=[1, 5])
    with pytest.raises(KeyError, match="k=2 was not given"):
        m.value(2)
    with pytest.raises(TypeError, match="unknown argument 'topK'"):
        tnt.ClassErrorMeter(topK=[1])


# ---- ConfusionMeter ----------------------------------------------------------------------------

def test_confusion_meter_lua_case():
    m = tnt.ConfusionMeter(k=3)
    output = T([[.8, 0.1, 0.1], [10, 11, 10], [0.2, 0.2, .3]])
    m.add(output, T([0, 1, 2]))
    conf = m.value()
    assert conf.type() == "torch.LongTensor"
    assert conf.sum() == 3 and torch.diag(conf).sum() == 3
    m.add(output, T([1, 0, 0]))
    # value() is the live matrix: the second add shows in the tensor returned before it
    assert conf.sum() == 6 and torch.diag(conf).sum() == 3
    assert conf[0].sum() == 3 and conf[1].sum() == 2 and conf[1][2] == 0
    assert conf[2].sum() == 1 and conf[2][2] == 1

    m = tnt.ConfusionMeter({"k": 4, "normalized": True})
    output = T([[.8, 0.1, 0.1, 0], [10, 11, 10, 0], [0.2, 0.2, .3, 0], [0, 0, 0, 1]])
    m.add(output, T([0, 1, 2, 3]))
    conf = m.value()
    assert conf.type() == "torch.DoubleTensor"
    assert conf.sum() == 4 and torch.diag(conf).sum() == 4
    m.add(output, T([1, 0, 0, 3]))
    np.testing.assert_allclose(m.value().numpy().sum(axis=1), 1.0)


def test_confusion_meter_against_add_at_with_one_hot_and_column_targets():
    k = 6
    m, ref = tnt.ConfusionMeter(k), np.zeros((k, k), np.int64)
    for n, form in ((30, "index"), (17, "onehot"), (9, "column"), (1, "vector")):
        out = rng.normal(size=(n, k))
        tgt = rng.integers(0, k, size=n)
        if form == "onehot":
            m.add(torch.from_numpy(out), torch.from_numpy(np.eye(k)[tgt]))
        elif form == "column":
            m.add(torch.from_numpy(out), torch.LongTensor(tgt.tolist()).view(n, 1))
        elif form == "vector":
            m.add(torch.from_numpy(out[0]), int(tgt[0]))
        else:
            m.add(out, tgt)
        np.add.at(ref, (tgt, out.argmax(axis=1)), 1)
    np.testing.assert_array_equal(m.value().numpy(), ref)
    assert m.matrix.mat is m.conf  # counted by optim.ConfusionMatrix, which also prints it
    m.reset()
    assert m.value().sum() == 0


@pytest.mark.parametrize("output, target, err, match", [
    (T(2, 4).zero(), T([0, 1]), ValueError, "output has 4 columns but the matrix is 3x3"),
    (T(2, 3).zero(), T([0, 1, 2]), ValueError, "output has 2 rows but there are 3 targets"),
    (T(2, 3).zero(), T([0, 3]), IndexError, "target 3 out of range"),
    (T(2, 3).zero(), T([[1, 1, 0], [0, 1, 0]]), ValueError, "multi-label targets are not supported"),
    (T(2, 3).zero(), T([[2, 0, 0], [0, 1, 0]]), ValueError, "values must be 0 or 1"),
    (T(2, 3).zero(), T([[1, 0], [0, 1]]), ValueError, "one-hot target has 2 columns"),
])
def test_confusion_meter_errors(output, target, err, match):
    with pytest.raises(err, match=match):
        tnt.ConfusionMeter(3).add(output, target)


# ---- MultiLabelConfusionMeter ------------------------------------------------------------------

def _one_hot(idx, k):
    t = torch.zeros(len(idx), k)
    t.scatter(1, torch.LongTensor(idx).view(-1, 1), 1)
    return t


def test_multilabel_confusion_meter_lua_case():
    m = tnt.MultiLabelConfusionMeter(k=3, normalized=False)
    output = T([[.8, 0.1, 0.1], [10, 11, 10], [0.2, 0.2, .3]])
    m.add(output, _one_hot([0, 1, 2], 3))
    np.testing.assert_array_equal(m.value().numpy(), np.eye(3))
    m.add(output, _one_hot([1, 0, 0], 3))
    conf = m.value()
    assert conf.sum() == 6 and torch.diag(conf).sum() == 3
    assert conf[0].sum() == 3 and conf[1].sum() == 2 and conf[1][2] == 0
    assert conf[2].sum() == 1 and conf[2][2] == 1

    m = tnt.MultiLabelConfusionMeter({"k": 4})  # normalized by default
    output = T([[.8, 0.1, 0.1, 0], [10, 11, 10, 0], [0.2, 0.2, .3, 0], [0, 0, 0, 1]])
    m.add(output, _one_hot([0, 1, 2, 3], 4))
    conf = m.value()
    assert conf.sum() == pytest.approx(4, abs=1e-3) and torch.diag(conf).sum() == pytest.approx(4, abs=1e-3)
    m.add(output, _one_hot([1, 0, 0, 3], 4))
    np.testing.assert_allclose(m.value().numpy().sum(axis=1), 1.0, atol=1e-3)


def _multilabel_reference(out, tgt, k):
    conf = np.zeros((k, k))
    for row, t in zip(out, tgt):
        truth = set(np.flatnonzero(t).tolist())
        pred = set(np.argsort(-row, kind="stable")[:len(truth)].tolist())
        for c in truth & pred:
            conf[c, c] += 1
        missed, wrong = truth - pred, pred - truth
        for a in missed:
            for b in wrong:
                conf[a, b] += 1 / len(wrong)
    return conf


def test_multilabel_confusion_meter_against_sets():
    k = 7
    m = tnt.MultiLabelConfusionMeter(k, False)
    outs, tgts = [], []
    for n in (25, 1, 12):
        out = rng.normal(size=(n, k))
        tgt = (rng.random((n, k)) < 0.3).astype(np.float64)
        m.add(torch.from_numpy(out), torch.from_numpy(tgt))
        outs.append(out)
        tgts.append(tgt)
    ref = _multilabel_reference(np.concatenate(outs), np.concatenate(tgts), k)
    np.testing.assert_allclose(m.value().numpy(), ref, rtol=1e-12)
    normed = tnt.MultiLabelConfusionMeter(k)
    normed.add(np.concatenate(outs), np.concatenate(tgts))
    np.testing.assert_allclose(normed.value().numpy(), ref / (ref.sum(axis=1, keepdims=True) + 1e-8), rtol=1e-12)
    m.reset()
    assert m.value().sum() == 0


@pytest.mark.parametrize("output, target, match", [
    (T(2, 3).zero(), T(2, 4).zero(), "do not match"),
    (T(2, 4).zero(), T(2, 4).zero(), "target has 4 columns but the matrix is 3x3"),
    (T(2, 3).zero(), T([[0, 2, 0], [0, 1, 0]]), "values must be 0 or 1"),
])
def test_multilabel_confusion_meter_errors(output, target, match):
    with pytest.raises(ValueError, match=match):
        tnt.MultiLabelConfusionMeter(3).add(output, target)


# ---- MSEMeter ----------------------------------------------------------------------------------

@pytest.mark.parametrize("root", [False, True])
def test_mse_meter_against_numpy(root):
    m = tnt.MSEMeter(root=root)
    assert m.value() == 0.0
    a, b = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    c, d = rng.normal(size=7), rng.normal(size=7)
    m.add(torch.from_numpy(a), torch.from_numpy(b))
    m.add(torch.FloatTensor(c.tolist()), torch.FloatTensor(d.tolist()))
    c, d = c.astype(np.float32), d.astype(np.float32)
    mse = (((a - b) ** 2).sum() + ((c.astype(np.float64) - d) ** 2).sum()) / 27
    assert m.value() == pytest.approx(math.sqrt(mse) if root else mse, rel=1e-12)
    m.reset()
    m.add(T([3]), T([1]))
    assert m.value() == (2.0 if root else 4.0)
    with pytest.raises(ValueError, match="MSEMeter.add: output \\(size 2x2\\) and target \\(size 4\\)"):
        m.add(T(2, 2), T(4))


# ---- TimeMeter ---------------------------------------------------------------------------------

@pytest.fixture
def clock(monkeypatch):
    """A fake clock for torch.Timer: tests advance ``clock[0]`` by hand."""
    now = [100.0]
    monkeypatch.setattr(timer_mod, "_now", lambda: (now[0], 0.0, 0.0))
    return now


def test_time_meter_lua_case(clock):
    m = tnt.TimeMeter()
    m.reset()
    clock[0] += 1.0  # torchnet waited one second
    assert 0.5 < m.value() < 2


def test_time_meter_stop_resume_reset_and_units(clock):
    m = tnt.TimeMeter(unit=True)
    clock[0] += 3.0
    assert m.value() == math.inf  # no unit counted yet: time / 0
    m.incUnit()
    m.incUnit(2)
    assert m.value() == pytest.approx(1.0)
    m.stop()
    clock[0] += 50.0  # not counted while stopped
    assert m.value() == pytest.approx(1.0)
    m.resume()
    clock[0] += 3.0
    assert m.value() == pytest.approx(2.0)
    m.reset()
    assert m.n == 0
    clock[0] += 4.0
    m.incUnit(T([4]))
    assert m.value() == pytest.approx(1.0)
    with pytest.raises(NotImplementedError, match="use incUnit"):
        m.add(1)


def test_time_meter_real_clock_is_monotonic():
    m = tnt.TimeMeter({"unit": False})
    first = m.value()
    second = m.value()
    assert 0 <= first <= second < 60
