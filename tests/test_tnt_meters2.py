"""tnt meters, part 2: ranking meters (AP, mAP, AUC, precision@k, precision, recall, NDCG), from
torchnet's test/meters.lua (0-based) plus NumPy references on random data."""

from __future__ import annotations

import math

import numpy as np
import pytest

import torch7 as torch
from torch7 import tnt

T = torch.Tensor
rng = np.random.default_rng(11)


# ---- APMeter / mAPMeter ------------------------------------------------------------------------

AP_CASES = [  # (target, output, AP) from torchnet's tests
    ([0, 1, 0, 1], [.1, .2, .3, 4], (1 * 1 + 0 * 1 / 2 + 2 * 1 / 3 + 0 * 1 / 4) / 2),
    ([0, 1, 0, 1], [4, 3, 2, 1], (0 * 1 + 1 * 1 / 2 + 0 * 1 / 3 + 2 * 1 / 4) / 2),
    ([0, 1, 0, 1], [1, 4, 2, 3], (1 * 1 + 2 * 1 / 2 + 0 * 1 / 3 + 0 * 1 / 4) / 2),
    ([0, 0, 0, 0], [1, 4, 2, 3], 0.0),
    ([1, 1, 0], [3, 1, 2], (1 * 1 + 0 * 1 / 2 + 2 * 1 / 3) / 2),
    ([0, 0, 1], [3, 2, 1], 1 / 3),  # one positive, ranked last
]


@pytest.mark.parametrize("target, output, ap", AP_CASES)
def test_ap_meter_lua_cases(target, output, ap):
    m = tnt.APMeter()
    m.add(T([9, 9]), T([1, 1]))
    m.reset()
    m.add(T(output), T(target))
    v = m.value()
    assert v.type() == "torch.DoubleTensor" and v.size() == (1,)
    assert v[0] == pytest.approx(ap, rel=1e-12)


def test_ap_and_map_meter_lua_two_classes():
    target = T([[0, 1, 0, 1], [0, 1, 0, 1]]).t()
    output = T([[.1, .2, .3, 4], [4, 3, 2, 1]]).t()
    expected = np.array([AP_CASES[0][2], AP_CASES[1][2]])
    m, mm = tnt.APMeter(), tnt.mAPMeter()
    m.add(output, target)
    mm.add(output, target)
    np.testing.assert_allclose(m.value().numpy(), expected, rtol=1e-12)
    assert mm.value() == pytest.approx(expected.mean(), rel=1e-12)
    mm.reset()
    mm.add(T(AP_CASES[0][1]), T(AP_CASES[0][0]))
    assert mm.value() == pytest.approx(AP_CASES[0][2], rel=1e-12)


def _ap_reference(scores, truth, weight=None):
    """Per class: mean over the positives of (weighted) precision at their rank."""
    n, k = scores.shape
    w = np.ones(n) if weight is None else weight
    out = np.zeros(k)
    for c in range(k):
        order = np.argsort(-scores[:, c])
        precisions = []
        for r in range(n):
            if truth[order[r], c]:
                top = order[:r + 1]
                precisions.append((w[top] * truth[top, c]).sum() / w[top].sum())
        out[c] = np.mean(precisions) if precisions else 0.0
    return out


@pytest.mark.parametrize("weighted", [False, True])
def test_ap_and_map_meter_against_definition_in_batches(weighted):
    m, mm = tnt.APMeter(), tnt.mAPMeter()
    chunks = []
    for n in (13, 1, 30):
        s = rng.random((n, 4))
        t = (rng.random((n, 4)) < 0.4).astype(np.int64)
        w = rng.random(n) + 0.1 if weighted else None
        args = (torch.from_numpy(s), torch.from_numpy(t)) + ((torch.from_numpy(w),) if weighted else ())
        m.add(*args)
        mm.add(*args)
        chunks.append((s, t, w))
    s = np.concatenate([c[0] for c in chunks])
    t = np.concatenate([c[1] for c in chunks])
    w = np.concatenate([c[2] for c in chunks]) if weighted else None
    ref = _ap_reference(s, t, w)
    np.testing.assert_allclose(m.value().numpy(), ref, rtol=1e-12)
    assert mm.value() == pytest.approx(ref.mean(), rel=1e-12)
    np.testing.assert_array_equal(m.scores.numpy(), s)
    np.testing.assert_array_equal(m.targets.numpy(), t)


def test_ap_meter_empty():
    assert tnt.APMeter().value().nElement() == 0
    assert tnt.mAPMeter().value() == 0.0


@pytest.mark.parametrize("args, match", [
    ((T(3, 2).zero(), T(3, 3).zero()), "output \\(size 3x2\\) and target \\(size 3x3\\) do not match"),
    ((T(3, 2).zero(), T([[0, 1], [2, 0], [0, 0]])), "values must be 0 or 1"),
    ((T(3, 2).zero(), T(3, 2).zero(), T([1, 1])), "2 weights for 3 samples"),
    ((T(3, 2).zero(), T(3, 2).zero(), T([1, -1, 1])), "non-negative"),
])
def test_ap_meter_errors(args, match):
    with pytest.raises(ValueError, match=match):
        tnt.APMeter().add(*args)


def test_ap_meter_errors_against_earlier_adds():
    m = tnt.APMeter()
    m.add(T(3, 2).zero(), T(3, 2).zero())
    with pytest.raises(ValueError, match="output has 3 classes but the samples added before have 2"):
        m.add(T(3, 3).zero(), T(3, 3).zero())
    with pytest.raises(ValueError, match="weights must be given with every add or with none"):
        m.add(T(3, 2).zero(), T(3, 2).zero(), T(3).fill(1))


# ---- AUCMeter ----------------------------------------------------------------------------------

def test_auc_meter_lua_case_with_ties():
    # stats.stackexchange.com/questions/145566: five rating levels, normal vs abnormal counts
    normal, abnormal = [33, 6, 6, 11, 2], [3, 2, 2, 11, 33]
    m = tnt.AUCMeter()
    for level in range(5):
        n = normal[level] + abnormal[level]
        target = torch.zeros(n)
        target.narrow(0, 0, abnormal[level]).fill(1)
        m.add(T(n).fill(level + 1), target)
    auc, tpr, fpr = m.value()
    assert abs(auc - 0.8931711) < 1e-6
    assert tpr.size() == (110,) and fpr.size() == (110,)


def _auc_reference(scores, truth):
    """Trapezoid rule over the ROC points of every distinct threshold, and the pairwise probability."""
    thresholds = np.concatenate(([np.inf], np.sort(np.unique(scores))[::-1]))
    tpr = np.array([(scores[truth == 1] >= th).mean() for th in thresholds])
    fpr = np.array([(scores[truth == 0] >= th).mean() for th in thresholds])
    trap = np.sum((tpr[1:] + tpr[:-1]) * np.diff(fpr)) / 2
    pos, neg = scores[truth == 1][:, None], scores[truth == 0][None, :]
    pairs = ((pos > neg) + 0.5 * (pos == neg)).mean()
    return trap, pairs


@pytest.mark.parametrize("tied", [False, True])
def test_auc_meter_against_trapezoid_rule(tied):
    m = tnt.AUCMeter()
    s_all, t_all = [], []
    for n in (40, 1, 25):
        s = rng.integers(0, 6, size=n).astype(np.float64) if tied else rng.normal(size=n)
        t = (rng.random(n) < 0.4).astype(np.int64)
        m.add(torch.from_numpy(s).view(n, 1), torch.from_numpy(t))
        s_all.append(s)
        t_all.append(t)
    s, t = np.concatenate(s_all), np.concatenate(t_all)
    auc, tpr, fpr = m.value()
    trap, pairs = _auc_reference(s, t)
    assert auc == pytest.approx(trap, rel=1e-12) and auc == pytest.approx(pairs, rel=1e-12)
    tp, fp = tpr.numpy(), fpr.numpy()
    assert tp[0] == fp[0] == 0 and tp[-1] == pytest.approx(1) and fp[-1] == pytest.approx(1)
    assert (np.diff(tp) >= 0).all() and (np.diff(fp) >= 0).all()
    if not tied:  # one sample per step: torchnet's curve exactly
        order = np.argsort(-s)
        np.testing.assert_allclose(tp[1:], np.cumsum(t[order]) / t.sum(), rtol=1e-12)


def test_auc_meter_empty_reset_and_errors():
    m = tnt.AUCMeter()
    assert m.value() == (0.5, None, None)
    m.add(T([0.2, 0.9]), T([0, 1]))
    assert m.value()[0] == 1.0
    m.reset()
    assert m.value() == (0.5, None, None)
    with pytest.raises(ValueError, match="AUCMeter.add: 3 outputs but 2 targets"):
        m.add(T([1, 2, 3]), T([0, 1]))
    with pytest.raises(ValueError, match="values must be 0 or 1"):
        m.add(T([1, 2]), T([0, 2]))
    with pytest.raises(ValueError, match="must be 1-D"):
        m.add(T(2, 2).zero(), T(2, 2).zero())


# ---- PrecisionAtKMeter -------------------------------------------------------------------------

def test_precision_at_k_meter_lua_case():
    m = tnt.PrecisionAtKMeter({"topk": [1, 2, 3]})
    target = torch.eye(3)
    output = T([[.5, .1, .4], [.1, .5, .4], [.1, .4, .5]])
    expected = {1: 100 * 3 / 3, 2: 100 * 3 / (3 * 2), 3: 100 * 3 / (3 * 3)}
    m.add(output, target)
    assert m.value() == pytest.approx(expected)
    m.add(output, target)  # the same queries again: the same precision
    assert m.value() == pytest.approx(expected)

    m.reset()
    target[0][2] = 1
    m.add(output, target)
    assert m.value() == pytest.approx({1: 100.0, 2: 100 * 4 / 6, 3: 100 * 4 / 9})

    m.reset()
    m.add(T([[.1, .5, .4], [.1, .5, .4], [.5, .4, .1]]), target)
    assert m.value() == pytest.approx({1: 100 / 3, 2: 100 * 2 / 6, 3: 100 * 4 / 9})

    online = tnt.PrecisionAtKMeter(topk=[1, 2, 3], online=True)
    online.add(output, torch.eye(3))
    assert online.value() == pytest.approx(expected)
    online.add(output, torch.eye(3))  # more candidates for the same 3 queries
    assert online.value() == pytest.approx({1: 100.0, 2: 100 * 6 / 6, 3: 100 * 6 / 9})


def _patk_reference(out, tgt, k):
    hits = sum(tgt[i, np.argsort(-out[i], kind="stable")[:k]].sum() for i in range(out.shape[0]))
    return 100.0 * hits / (out.shape[0] * k)


@pytest.mark.parametrize("dim", [0, 1])
def test_precision_at_k_meter_against_numpy(dim):
    m = tnt.PrecisionAtKMeter(topk=[4, 1], dim=dim)
    online = tnt.PrecisionAtKMeter([1, 4], dim, True)
    queries, cands = [], []
    for n in (6, 1, 9):
        out, tgt = rng.random((n, 8)), (rng.random((n, 8)) < 0.3).astype(np.float64)
        m.add(*(torch.from_numpy(a.T if dim == 0 else a) for a in (out, tgt)))
        queries.append((out, tgt))
    out, tgt = np.concatenate([q[0] for q in queries]), np.concatenate([q[1] for q in queries])
    for k in (1, 4):
        assert m.value(k) == pytest.approx(_patk_reference(out, tgt, k), rel=1e-12)
    # online: the same 5 queries, their 30 candidates arriving in 3 pieces
    out, tgt = rng.random((5, 30)), (rng.random((5, 30)) < 0.3).astype(np.float64)
    for piece in np.split(np.arange(30), [7, 8]):
        o, t = out[:, piece], tgt[:, piece]
        online.add(o.T if dim == 0 else o, t.T if dim == 0 else t)
        cands.append(piece)
    for k in (1, 4):
        assert online.value(k) == pytest.approx(_patk_reference(out, tgt, k), rel=1e-12)
    online.reset()
    assert math.isnan(online.value(1))


@pytest.mark.parametrize("kwargs, args, match", [
    ({"topk": [5]}, (T(2, 3).zero(), T(2, 3).zero()), "3 candidates per query but topk asks for 5"),
    ({"topk": [1]}, (T(2, 3).zero(), T(2, 4).zero()), "do not match"),
    ({"topk": [1]}, (T(2, 3).zero(), T(2, 3).fill(3)), "values must be 0 or 1"),
])
def test_precision_at_k_meter_errors(kwargs, args, match):
    with pytest.raises(ValueError, match=match):
        tnt.PrecisionAtKMeter(**kwargs).add(*args)


def test_precision_at_k_meter_bad_construction_and_online_query_change():
    with pytest.raises(ValueError, match="dim must be 0 or 1"):
        tnt.PrecisionAtKMeter(dim=2)
    m = tnt.PrecisionAtKMeter(topk=[1], online=True)
    m.add(T(3, 4).zero(), T(3, 4).zero())
    with pytest.raises(ValueError, match="dim 0 of output"):
        m.add(T(2, 4).zero(), T(2, 4).zero())
    with pytest.raises(KeyError, match="k=2 was not given"):
        m.value(2)


# ---- PrecisionMeter / RecallMeter --------------------------------------------------------------

def _lua_precision_recall_inputs(two_levels):
    target = torch.zeros(10)
    target.narrow(0, 2, 7).fill(1)
    output = torch.zeros(10)
    if two_levels:
        output.narrow(0, 1, 3).fill(.5)
        output.narrow(0, 4, 3).fill(.7)
    else:
        output.narrow(0, 1, 6).fill(1)
    return output, target


def test_precision_meter_lua_case():
    m = tnt.PrecisionMeter({})
    m.add(*_lua_precision_recall_inputs(False))
    tp, fp = 5, 1
    assert m.value()[0.5] == pytest.approx(100 * tp / (tp + fp))
    m = tnt.PrecisionMeter(threshold=[.5, .7])
    m.add(*_lua_precision_recall_inputs(True))
    assert m.value()[0.5] == pytest.approx(100 * tp / (tp + fp))
    assert m.value()[0.7] == pytest.approx(100)


def test_recall_meter_lua_case():
    m = tnt.RecallMeter()
    m.add(*_lua_precision_recall_inputs(False))
    tp, fn = 5, 2
    assert m.value()[0.5] == pytest.approx(100 * tp / (tp + fn))
    m = tnt.RecallMeter({"threshold": [.5, .7]})
    m.add(*_lua_precision_recall_inputs(True))
    assert m.value()[0.5] == pytest.approx(100 * tp / (tp + fn))
    assert m.value(0.7) == pytest.approx(100 * (tp - 2) / (tp - 2 + fn + 2))


@pytest.mark.parametrize("which", ["PrecisionMeter", "RecallMeter"])
def test_precision_recall_meters_against_numpy(which):
    th = [0.3, 0.8]
    m = getattr(tnt, which)(threshold=list(reversed(th)))
    pc = getattr(tnt, which)(th, True)
    assert m.threshold == th
    outs, tgts = [], []
    for n in (12, 1, 20):
        o, t = rng.random((n, 5)), (rng.random((n, 5)) < 0.4).astype(np.float64)
        o[:, 4] = 0  # a class never predicted: per-class precision 100
        t[:, 3] = 0  # a class never true: per-class recall 100
        m.add(torch.from_numpy(o), torch.from_numpy(t))
        pc.add(o, t)
        outs.append(o)
        tgts.append(t)
    o, t = np.concatenate(outs), np.concatenate(tgts)
    for thr in th:
        hit = (o >= thr) & (t == 1)
        den = (o >= thr) if which == "PrecisionMeter" else (t == 1)
        assert m.value(thr) == pytest.approx(100 * hit.sum() / den.sum(), rel=1e-12)
        per = np.where(den.sum(0) > 0, 100 * hit.sum(0) / np.maximum(den.sum(0), 1), 100)
        v = pc.value(thr)
        assert v.type() == "torch.DoubleTensor"
        np.testing.assert_allclose(v.numpy(), per, rtol=1e-12)
    m.reset()
    assert m.value() == {0.3: 100.0, 0.8: 100.0}  # nothing predicted or true yet


@pytest.mark.parametrize("which", ["PrecisionMeter", "RecallMeter"])
def test_precision_recall_meters_errors_and_types(which):
    cls = getattr(tnt, which)
    with pytest.raises(ValueError, match="thresholds must be between 0 and 1"):
        cls(threshold=[1.5])
    m = cls(perclass=True)
    m.add(torch.FloatTensor([[0.9, 0.1]]), torch.FloatTensor([[1, 0]]))
    assert m.value(0.5).type() == "torch.FloatTensor"  # torchnet kept the output's type
    with pytest.raises(ValueError, match="output has 3 classes but the samples added before have 2"):
        m.add(T(1, 3).zero(), T(1, 3).zero())
    with pytest.raises(ValueError, match="do not match"):
        m.add(T(2, 2).zero(), T(1, 2).zero())
    with pytest.raises(KeyError, match="t=0.7 was not given"):
        m.value(0.7)


# ---- NDCGMeter ---------------------------------------------------------------------------------

def test_ndcg_meter_lua_case():
    # en.wikipedia.org/wiki/Discounted_cumulative_gain, with DCG = rel_1 + sum_{i>=2} rel_i / log2(i)
    m = tnt.NDCGMeter({"K": [6]})
    relevance = torch.DoubleTensor([3, 2, 3, 0, 1, 2])
    m.add(torch.linspace(6, 1, 6), relevance)
    assert m.value()[6] == pytest.approx(0.932, abs=1e-3)
    assert relevance.dim() == 1  # the inputs are not resized (torchnet's were)


def _ndcg_reference(out, rel, k):
    def dcg(r):
        return r[0] + sum(r[i] / math.log2(i + 1) for i in range(1, k))
    vals = [dcg(rel[i][np.argsort(-out[i], kind="stable")]) / dcg(np.sort(rel[i])[::-1])
            for i in range(out.shape[0])]
    return float(np.mean(vals))


def test_ndcg_meter_against_definition():
    m = tnt.NDCGMeter(K=[3, 1, 5])
    outs, rels = [], []
    for n in (8, 1, 5):
        o, r = rng.random((n, 7)), rng.integers(0, 4, size=(n, 7)).astype(np.float64)
        r[:, 0] = 1  # every example has a relevant result, so IDCG > 0
        m.add(torch.from_numpy(o), torch.LongTensor(r.astype(np.int64).tolist()))
        outs.append(o)
        rels.append(r)
    o, r = np.concatenate(outs), np.concatenate(rels)
    for k in (1, 3, 5):
        assert m.value(k) == pytest.approx(_ndcg_reference(o, r, k), rel=1e-12)
    assert list(m.value()) == [1, 3, 5]
    m.reset()
    assert math.isnan(m.value(1))


@pytest.mark.parametrize("args, match", [
    ((T(2, 3).zero(), T(2, 4).zero()), "do not match"),
    ((T(2, 2).zero(), T(2, 2).fill(1)), "2 results per example but K asks for 3"),
    ((T([1, 2, 3]), T([0, 0, 0])), "no positive relevance"),
    ((T([1, 2, 3]), T([1, -1, 0])), "non-negative"),
])
def test_ndcg_meter_errors(args, match):
    with pytest.raises(ValueError, match=match):
        tnt.NDCGMeter(K=[3]).add(*args)
