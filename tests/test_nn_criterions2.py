"""Criterions, part 2: ranking / margin / multi-label / smooth-L1 / spatial NLL / weighted and composite criterions.

Every criterion: finite differences of ``updateOutput`` against ``updateGradInput`` (float64),
Float vs Double, batch and single samples, ``sizeAverage`` on/off, bad targets, and a comparison
with PyTorch's loss in float64 to 1e-6 wherever PyTorch has the same function.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest
from nn_checks import criterion_gpu_round_trip

import torch7 as torch
from torch7 import nn

try:
    import torch as pt
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - PyTorch is the oracle, installed in the project venv
    pt = F = None

needs_torch = pytest.mark.skipif(pt is None, reason="PyTorch (the oracle) is not installed")
TOL = 1e-6


# ---- helpers -------------------------------------------------------------------------------
def _rng(seed=0):
    return np.random.default_rng(seed)


def T(a) -> torch.Tensor:
    """A DoubleTensor copy of a NumPy array (LongTensor for integer arrays)."""
    a = np.asarray(a)
    if a.dtype.kind in "iu":
        return torch.from_numpy(a.astype(np.int64)).clone()
    return torch.from_numpy(a.astype(np.float64)).clone()


def P(x):
    """A PyTorch float64 leaf (requires grad) from one of our tensors."""
    return pt.from_numpy(np.array(x.numpy(), np.float64)).requires_grad_(True)


def _flat(x) -> np.ndarray:
    if isinstance(x, list):
        return np.concatenate([_flat(v) for v in x])
    return np.array(x.numpy(), np.float64).reshape(-1)


def fd_check(crit, inp, target, eps=1e-6, tol=1e-6) -> float:
    """Central differences of ``crit.updateOutput`` w.r.t. every input element vs ``updateGradInput``.

    ``inp`` is a DoubleTensor or a (nested) list of them; returns the largest absolute error (asserted < tol).
    """
    crit.forward(inp, target)
    ana = _flat(copy.deepcopy(crit.backward(inp, target)))
    num = []
    for x in _leaves(inp):
        flat = x.numpy().reshape(-1)
        for i in range(flat.size):
            orig = flat[i]
            flat[i] = orig + eps
            hi = crit.forward(inp, target)
            flat[i] = orig - eps
            lo = crit.forward(inp, target)
            flat[i] = orig
            num.append((hi - lo) / (2 * eps))
    err = float(np.abs(np.array(num) - ana).max())
    assert err < tol, f"{crit._typename}: finite-difference gradient error {err:.3g}"
    return err


def _leaves(x) -> list:
    return [t for v in x for t in _leaves(v)] if isinstance(x, list) else [x]


def _cast(x, typename):
    if isinstance(x, list):
        return [_cast(v, typename) for v in x]
    if torch.isTensor(x) and x.type() != "torch.LongTensor":
        return x.type(typename)
    return x


def float_double(crit, inp, target, tol=1e-4) -> None:
    """The Float version of the criterion agrees with the Double one and returns FloatTensors."""
    ref_loss = crit.forward(inp, target)
    ref_grad = _flat(crit.backward(inp, target))
    c32 = copy.deepcopy(crit).float()
    inp32, tgt32 = _cast(inp, "torch.FloatTensor"), _cast(target, "torch.FloatTensor")
    loss = c32.forward(inp32, tgt32)
    assert isinstance(loss, float)
    assert loss == pytest.approx(ref_loss, rel=tol, abs=tol)
    grad = c32.backward(inp32, tgt32)
    for g in grad if isinstance(grad, list) else [grad]:
        assert g.type() == "torch.FloatTensor", g.type()
    np.testing.assert_allclose(_flat(grad), ref_grad, rtol=tol * 10, atol=tol)
    c64 = c32.double()
    assert c64.forward(inp, target) == pytest.approx(ref_loss, rel=tol, abs=tol)
    criterion_gpu_round_trip(crit, inp, target)


def against(loss, grads, ref_loss, ref_inputs) -> None:
    """Our (loss, gradInput) against a PyTorch scalar loss and its leaves, to 1e-6."""
    ref_loss.backward()
    assert loss == pytest.approx(ref_loss.item(), rel=TOL, abs=TOL)
    grads = grads if isinstance(grads, list) else [grads]
    assert len(grads) == len(ref_inputs)
    for g, r in zip(grads, ref_inputs):
        np.testing.assert_allclose(g.numpy().reshape(r.shape), r.grad.numpy(), rtol=TOL, atol=TOL)


def run(crit, inp, target):
    return crit.forward(inp, target), crit.backward(inp, target)


def _targets_pm1(rng, *shape):
    return T(rng.choice([-1.0, 1.0], size=shape))


# ---- cases shared by the generic checks ------------------------------------------------------
def _mlm_target(rng, n, dim):
    t = -np.ones((n, dim), np.int64)
    for i in range(n):
        k = rng.integers(1, dim)
        t[i, :k] = rng.permutation(dim)[:k]
        t[i, k + 1:] = rng.integers(-1, dim, dim - k - 1)  # garbage after the terminator is ignored
    return t


def _cases():
    r = _rng(1)
    w4 = T(r.uniform(0.5, 2, 4))
    mlm = _mlm_target(r, 3, 5)
    return {
        "MarginRanking-batch": (lambda: nn.MarginRankingCriterion(0.3),
                                [T(r.normal(size=6)), T(r.normal(size=6))], _targets_pm1(r, 6)),
        "MarginRanking-single": (lambda: nn.MarginRankingCriterion(),
                                 [T([0.3]), T([0.1])], 1),
        "MultiLabelMargin-batch": (nn.MultiLabelMarginCriterion, T(r.normal(size=(3, 5))), T(mlm)),
        "MultiLabelMargin-single": (nn.MultiLabelMarginCriterion, T(r.normal(size=5)), T(mlm[0])),
        "MultiLabelSoftMargin-batch": (lambda: nn.MultiLabelSoftMarginCriterion(w4),
                                       T(r.normal(size=(3, 4))), T(r.integers(0, 2, (3, 4)).astype(float))),
        "MultiLabelSoftMargin-single": (nn.MultiLabelSoftMarginCriterion,
                                        T(r.normal(size=4)), T(r.integers(0, 2, 4).astype(float))),
        "MultiMargin-p1-batch": (lambda: nn.MultiMarginCriterion(1, w4, 0.7),
                                 T(r.normal(size=(5, 4))), T(r.integers(0, 4, 5))),
        "MultiMargin-p2-single": (lambda: nn.MultiMarginCriterion(2), T(r.normal(size=4)), 2),
        "SmoothL1-batch": (nn.SmoothL1Criterion, T(r.normal(size=(3, 4)) * 2), T(r.normal(size=(3, 4)))),
        "SmoothL1-single": (lambda: nn.SmoothL1Criterion(False), T(r.normal(size=5) * 2), T(r.normal(size=5))),
        "SoftMargin-batch": (nn.SoftMarginCriterion, T(r.normal(size=(3, 4)) * 3), _targets_pm1(r, 3, 4)),
        "SoftMargin-single": (nn.SoftMarginCriterion, T(r.normal(size=4)), _targets_pm1(r, 4)),
        "SpatialAutoCropMSE-batch": (nn.SpatialAutoCropMSECriterion,
                                     T(r.normal(size=(2, 2, 3, 2))), T(r.normal(size=(2, 2, 6, 5)))),
        "SpatialAutoCropMSE-single": (lambda: nn.SpatialAutoCropMSECriterion(False),
                                      T(r.normal(size=(2, 3, 3))), T(r.normal(size=(2, 4, 6)))),
        "SpatialClassNLL-batch": (lambda: nn.SpatialClassNLLCriterion(w4),
                                  T(r.normal(size=(2, 4, 3, 2))), T(r.integers(0, 4, (2, 3, 2)))),
        "SpatialClassNLL-single": (lambda: nn.SpatialClassNLLCriterion(None, False),
                                   T(r.normal(size=(3, 2, 2))), T(r.integers(0, 3, (2, 2)))),
        "WeightedMSE-batch": (lambda: nn.WeightedMSECriterion(T([1.0, -2.0, 0.5])),
                              T(r.normal(size=(4, 3))), T(r.normal(size=(4, 3)))),
        "WeightedMSE-single": (lambda: nn.WeightedMSECriterion(T([[1.0, 2.0], [3.0, 0.5]])),
                               T(r.normal(size=(2, 2))), T(r.normal(size=(2, 2)))),
        "MultiCriterion": (lambda: nn.MultiCriterion().add(nn.MSECriterion()).add(nn.SmoothL1Criterion(), 0.5),
                           T(r.normal(size=(3, 4))), T(r.normal(size=(3, 4)))),
        "ParallelCriterion": (lambda: nn.ParallelCriterion().add(nn.MSECriterion(), 0.3)
                              .add(nn.MultiMarginCriterion()),
                              [T(r.normal(size=(2, 3))), T(r.normal(size=(2, 4)))],
                              [T(r.normal(size=(2, 3))), T([3, 1])]),
        "ParallelCriterion-repeat": (lambda: nn.ParallelCriterion(True).add(nn.MSECriterion())
                                     .add(nn.SmoothL1Criterion(), 2),
                                     [T(r.normal(size=3)), T(r.normal(size=3))], T(r.normal(size=3))),
        "ModuleCriterion": (lambda: nn.ModuleCriterion(nn.MSECriterion(), nn.Identity(), nn.Identity()),
                            T(r.normal(size=(2, 3))), T(r.normal(size=(2, 3)))),
    }


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_finite_differences(name):
    make, inp, target = CASES[name]
    fd_check(make(), inp, target)


@pytest.mark.parametrize("name", list(CASES))
def test_float_and_double(name):
    make, inp, target = CASES[name]
    float_double(make(), inp, target)


@pytest.mark.parametrize("name", list(CASES))
def test_clone_repr_and_call(name):
    make, inp, target = CASES[name]
    c = make()
    assert repr(c) == c._typename == "nn." + type(c).__name__
    assert torch.typename(c) == c._typename
    loss, grad = c(inp, target)
    assert loss == c.output and isinstance(loss, float)
    copies = [c.clone()]
    if hasattr(torch, "serialize"):  # the .t7 round trip, once the writer exists
        copies.append(torch.deserialize(torch.serialize(c)))
    for d in copies:
        assert d is not c and d.forward(inp, target) == loss
        np.testing.assert_array_equal(_flat(d.backward(inp, target)), _flat(grad))


@pytest.mark.parametrize("name", [k for k in CASES if "Criterion" not in k])
def test_size_average_off(name):
    make, inp, target = CASES[name]
    on, off = make(), make()
    on.sizeAverage, off.sizeAverage = True, False
    fd_check(off, inp, target)
    ratio = off.forward(inp, target) / on.forward(inp, target)
    gratio = _flat(off.backward(inp, target)) / np.where(_flat(on.backward(inp, target)) == 0, 1,
                                                         _flat(on.backward(inp, target)))
    if name.startswith(("MultiLabelMargin", "MultiMargin", "MarginRanking")):  # averaged over samples
        batch = torch.isTensor(target) and not (name.startswith("MultiLabelMargin") and target.dim() == 1)
        expect = target.size(0) if batch else 1
    elif name.startswith("SpatialClassNLL"):
        expect = on.total_weight_tensor[0]
    else:
        expect = (inp[0] if isinstance(inp, list) else inp).nElement()
    assert ratio == pytest.approx(expect, rel=1e-9)
    assert np.allclose(gratio[_flat(on.backward(inp, target)) != 0], expect)


# ---- PyTorch comparisons -------------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("size_average", [True, False])
@pytest.mark.parametrize("margin", [1.0, 0.4])
def test_margin_ranking_vs_pytorch(size_average, margin):
    r = _rng(2)
    x1, x2, y = T(r.normal(size=7)), T(r.normal(size=7)), _targets_pm1(r, 7)
    c = nn.MarginRankingCriterion(margin)
    c.sizeAverage = size_average
    loss, grads = run(c, [x1, x2], y)
    p1, p2 = P(x1), P(x2)
    ref = F.margin_ranking_loss(p1, p2, pt.from_numpy(y.numpy()), margin=margin,
                                reduction="mean" if size_average else "sum")
    against(loss, grads, ref, [p1, p2])
    assert grads[0].size() == torch.Size([7])
    # single pair with a number target: no averaging
    for yy in (1, -1):
        a, b = T([0.2]), T([-0.5])
        loss, grads = run(c, [a, b], yy)
        pa, pb = P(a), P(b)
        against(loss, grads, F.margin_ranking_loss(pa, pb, pt.tensor([float(yy)], dtype=pt.float64),
                                                   margin=margin, reduction="sum"), [pa, pb])


def test_margin_ranking_fields_and_errors():
    c = nn.MarginRankingCriterion()
    assert c.margin == 1 and c.sizeAverage is True
    assert isinstance(c.gradInput, list) and [g.size() for g in c.gradInput] == [torch.Size([1])] * 2
    with pytest.raises(TypeError, match="MarginRankingCriterion"):
        c.forward(torch.randn(3), torch.ones(3))
    with pytest.raises(ValueError, match="target has 2 elements, input has 3"):
        c.forward([torch.randn(3), torch.randn(3)], torch.ones(2))
    with pytest.raises(ValueError, match="x1 has 3 elements, x2 has 4"):
        c.forward([torch.randn(3), torch.randn(4)], torch.ones(3))
    with pytest.raises(TypeError, match="number or a tensor"):
        c.forward([torch.randn(3), torch.randn(3)], "1")


@needs_torch
@pytest.mark.parametrize("size_average", [True, False])
def test_multilabel_margin_vs_pytorch(size_average):
    r = _rng(3)
    x = T(r.normal(size=(4, 6)))
    tgt = _mlm_target(r, 4, 6)
    tgt[1] = [2, 2, 5, -1, 0, 0]  # a repeated class counts twice
    tgt[2] = [-1, 1, 2, 3, 4, 5]  # no target at all
    c = nn.MultiLabelMarginCriterion()
    c.sizeAverage = size_average
    loss, grad = run(c, x, T(tgt))
    # Our encoding (0-based, ended by -1) is PyTorch's: it is Torch7's (1-based, ended by 0) minus one.
    torch7_encoding = tgt + 1
    px = P(x)
    ref = F.multilabel_margin_loss(px, pt.from_numpy(torch7_encoding - 1), reduction="mean" if size_average else "sum")
    against(loss, grad, ref, [px])
    # isTarget: the 0/1 mask of each row's target classes
    expect = np.zeros((4, 6))
    for i in range(4):
        for k in tgt[i]:
            if k < 0:
                break
            expect[i, k] = 1
    np.testing.assert_array_equal(c.isTarget.numpy(), expect)
    # single sample
    xs, ts = T(r.normal(size=6)), T(tgt[0])
    loss, grad = run(c, xs, ts)
    px = P(xs)
    against(loss, grad, F.multilabel_margin_loss(px, pt.from_numpy(tgt[0]), reduction="mean"), [px])


def test_multilabel_margin_value_and_errors():
    c = nn.MultiLabelMarginCriterion()
    x = T([0.1, 0.2, 0.4, 0.8])
    assert c.forward(x, T([3, 0, -1, 1])) == pytest.approx(0.85)
    assert c.forward(x, T([3.0, 0.0, -1.0, 1.0])) == pytest.approx(0.85)  # a DoubleTensor target works too
    assert c.forward(x, T([-1, 0, 1, 2])) == 0.0
    with pytest.raises(ValueError, match="target out of range"):
        c.forward(x, T([4, -1, 0, 0]))
    with pytest.raises(ValueError, match="target out of range"):
        c.forward(x, T([0, -2, 0, 0]))
    with pytest.raises(ValueError, match="target out of range"):
        c.backward(x, T([0.5, -1, 0, 0]))
    with pytest.raises(ValueError, match="target of size 3 does not match input of size 4"):
        c.forward(x, T([0, 1, -1]))
    with pytest.raises(ValueError, match="vector or matrix"):
        c.forward(torch.randn(2, 2, 2), T(np.zeros((2, 2, 2), np.int64)))


@needs_torch
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("size_average", [True, False])
def test_multilabel_soft_margin_vs_pytorch(weighted, size_average):
    r = _rng(4)
    x, t = T(r.normal(size=(5, 3)) * 4), T(r.integers(0, 2, (5, 3)).astype(float))
    w = T(r.uniform(0.2, 3, 3)) if weighted else None
    c = nn.MultiLabelSoftMarginCriterion(w, size_average)
    assert c.sizeAverage is size_average and (c.weights is w if weighted else not hasattr(c, "weights"))
    loss, grad = run(c, x, t)
    px = P(x)
    pw = pt.from_numpy(w.numpy()) if weighted else None
    # PyTorch averages over the C classes, then (mean) over the batch; Torch7 sums, then divides by N*C.
    ref = F.multilabel_soft_margin_loss(px, pt.from_numpy(t.numpy()), weight=pw,
                                        reduction="mean" if size_average else "sum")
    against(loss, grad, ref if size_average else ref * 3, [px])
    # single sample (1-D)
    x1, t1 = T(r.normal(size=3)), T([1.0, 0.0, 1.0])
    c.sizeAverage = True
    loss, grad = run(c, x1, t1)
    px = P(x1)
    against(loss, grad, F.multilabel_soft_margin_loss(px[None], pt.from_numpy(t1.numpy())[None], weight=pw), [px])


def test_multilabel_soft_margin_stable_and_errors():
    c = nn.MultiLabelSoftMarginCriterion()
    x, t = T([800.0, -800.0]), T([0.0, 1.0])
    assert c.forward(x, t) == pytest.approx(800.0)
    np.testing.assert_allclose(c.backward(x, t).numpy(), [0.5, -0.5])
    if hasattr(nn, "Sigmoid"):
        assert c.sigmoid._typename == "nn.Sigmoid"
    with pytest.raises(ValueError, match="1-D Tensor"):
        nn.MultiLabelSoftMarginCriterion(torch.ones(2, 2))
    with pytest.raises(ValueError, match="different numbers of elements"):
        c.forward(torch.randn(2, 3), torch.zeros(2, 2))
    with pytest.raises(ValueError, match="3 weights"):
        nn.MultiLabelSoftMarginCriterion(torch.ones(3)).forward(torch.randn(2, 4), torch.zeros(2, 4))


@needs_torch
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("size_average", [True, False])
def test_multi_margin_vs_pytorch(p, weighted, size_average):
    r = _rng(5 + p)
    x, y = T(r.normal(size=(6, 5))), T(r.integers(0, 5, 6))
    w = T(r.uniform(0.2, 3, 5)) if weighted else None
    c = nn.MultiMarginCriterion(p, w, 0.6)
    c.sizeAverage = size_average
    loss, grad = run(c, x, y)
    px = P(x)
    pw = pt.from_numpy(w.numpy()) if weighted else None
    ref = F.multi_margin_loss(px, pt.from_numpy(y.numpy()), p=p, margin=0.6, weight=pw,
                              reduction="mean" if size_average else "sum")
    against(loss, grad, ref, [px])
    # single sample: the target may be a number or a 1-element tensor
    xs = T(r.normal(size=5))
    for target in (3, T([3])):
        loss, grad = run(c, xs, target)
        px = P(xs)
        against(loss, grad, F.multi_margin_loss(px[None], pt.tensor([3]), p=p, margin=0.6, weight=pw), [px])


def test_multi_margin_fields_and_errors():
    c = nn.MultiMarginCriterion()
    assert (c.p, c.margin, c.sizeAverage) == (1, 1.0, True) and not hasattr(c, "weights")
    with pytest.raises(ValueError, match="only p=1 and p=2"):
        nn.MultiMarginCriterion(3)
    with pytest.raises(ValueError, match="1-D Tensor"):
        nn.MultiMarginCriterion(1, torch.ones(2, 2))
    x = torch.randn(3, 4)
    with pytest.raises(ValueError, match="target out of range"):
        c.forward(x, T([0, 4, 1]))
    with pytest.raises(ValueError, match="target out of range"):
        c.forward(x, T([0, -1, 1]))
    with pytest.raises(ValueError, match="target out of range"):
        c.backward(torch.randn(4), 4)
    with pytest.raises(ValueError, match="inconsistent target size"):
        c.forward(x, T([0, 1]))
    with pytest.raises(ValueError, match="vector or matrix"):
        c.forward(torch.randn(2, 3, 4), T([0, 1]))
    with pytest.raises(ValueError, match="2 weights for 4 classes"):
        nn.MultiMarginCriterion(1, torch.ones(2)).forward(x, T([0, 1, 2]))


@needs_torch
@pytest.mark.parametrize("size_average", [True, False])
def test_smooth_l1_vs_pytorch(size_average):
    r = _rng(6)
    for shape in [(4, 5), (7,), (2, 3, 2)]:
        x, t = T(r.normal(size=shape) * 2), T(r.normal(size=shape))
        loss, grad = run(nn.SmoothL1Criterion(size_average), x, t)
        px = P(x)
        against(loss, grad, F.smooth_l1_loss(px, pt.from_numpy(t.numpy()),
                                             reduction="mean" if size_average else "sum"), [px])
    with pytest.raises(ValueError, match="input of size 2x3 and target of size 5"):
        nn.SmoothL1Criterion().forward(torch.randn(2, 3), torch.randn(5))


@needs_torch
@pytest.mark.parametrize("size_average", [True, False])
def test_soft_margin_vs_pytorch(size_average):
    r = _rng(7)
    for shape in [(4, 5), (6,)]:
        x, y = T(r.normal(size=shape) * 3), _targets_pm1(r, *shape)
        c = nn.SoftMarginCriterion()
        c.sizeAverage = size_average
        loss, grad = run(c, x, y)
        px = P(x)
        against(loss, grad, F.soft_margin_loss(px, pt.from_numpy(y.numpy()),
                                               reduction="mean" if size_average else "sum"), [px])
    c = nn.SoftMarginCriterion()
    assert c.forward(T([1000.0, -1000.0]), T([-1.0, 1.0])) == pytest.approx(1000.0)  # no overflow
    np.testing.assert_allclose(c.backward(T([1000.0, -1000.0]), T([-1.0, 1.0])).numpy(), [0.5, -0.5])
    with pytest.raises(ValueError, match="different numbers of elements"):
        c.forward(torch.randn(3), torch.ones(4))


@needs_torch
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("size_average", [True, False])
def test_spatial_class_nll_vs_pytorch(weighted, size_average):
    r = _rng(8)
    x, t = T(r.normal(size=(3, 4, 5, 2))), T(r.integers(0, 4, (3, 5, 2)))
    w = T(r.uniform(0.2, 3, 4)) if weighted else None
    c = nn.SpatialClassNLLCriterion(w, size_average)
    loss, grad = run(c, x, t)
    px = P(x)
    pw = pt.from_numpy(w.numpy()) if weighted else None
    ref = F.nll_loss(px, pt.from_numpy(t.numpy()), weight=pw, reduction="mean" if size_average else "sum")
    against(loss, grad, ref, [px])
    total = w.numpy()[t.numpy()].sum() if weighted else t.nElement()
    assert c.total_weight_tensor[0] == pytest.approx(total)
    assert c.output_tensor[0] == pytest.approx(loss)
    assert c.target.type() == "torch.LongTensor"
    # single map C x H x W with target H x W
    xs, ts = T(r.normal(size=(4, 3, 3))), T(r.integers(0, 4, (3, 3)))
    loss, grad = run(c, xs, ts)
    px = P(xs)
    ref = F.nll_loss(px[None], pt.from_numpy(ts.numpy())[None], weight=pw, reduction="mean" if size_average else "sum")
    against(loss, grad, ref, [px])


def test_spatial_class_nll_fields_and_errors():
    c = nn.SpatialClassNLLCriterion()
    assert c.sizeAverage is True and not hasattr(c, "weights") and len(c) == 0 and bool(c)
    assert c.output_tensor.size() == torch.Size([1]) and c.total_weight_tensor[0] == 1
    assert len(nn.SpatialClassNLLCriterion(torch.ones(5))) == 5
    x = torch.randn(2, 3, 2, 2)
    with pytest.raises(ValueError, match="target out of range"):
        c.forward(x, T(np.full((2, 2, 2), 3)))
    with pytest.raises(ValueError, match="target out of range"):
        c.backward(x, T(np.full((2, 2, 2), -1)))
    with pytest.raises(ValueError, match="target of size 2x2 does not match input of size 2x3x2x2"):
        c.forward(x, T(np.zeros((2, 2), np.int64)))
    with pytest.raises(ValueError, match="NxCxHxW or CxHxW"):
        c.forward(torch.randn(2, 3), T([0, 1]))
    with pytest.raises(ValueError, match="either for all or no classes"):
        nn.SpatialClassNLLCriterion(torch.ones(2)).forward(x, T(np.zeros((2, 2, 2), np.int64)))
    with pytest.raises(ValueError, match="1-D Tensor"):
        nn.SpatialClassNLLCriterion(torch.ones(2, 2))
    with pytest.raises(TypeError, match="target must be a tensor"):
        c.forward(x, 1)


@needs_torch
@pytest.mark.parametrize("size_average", [True, False])
def test_spatial_autocrop_mse_vs_pytorch(size_average):
    r = _rng(9)
    for isz, tsz in [((2, 3, 4, 5), (2, 3, 7, 8)), ((3, 2, 2), (3, 5, 2)), ((1, 3, 3), (1, 3, 3))]:
        x, t = T(r.normal(size=isz)), T(r.normal(size=tsz))
        loss, grad = run(nn.SpatialAutoCropMSECriterion(size_average), x, t)
        h, w = isz[-2:]
        H, W = tsz[-2:]
        i0, j0 = (H - h) // 2, (W - w) // 2
        crop = t.numpy()[..., i0:i0 + h, j0:j0 + w]
        px = P(x)
        against(loss, grad, F.mse_loss(px, pt.from_numpy(np.ascontiguousarray(crop)),
                                       reduction="mean" if size_average else "sum"), [px])


def test_spatial_autocrop_mse_centre_and_errors():
    c = nn.SpatialAutoCropMSECriterion()
    assert isinstance(c, nn.MSECriterion) and c.sizeAverage is True
    target = torch.range(0, 24).view(1, 5, 5)
    # 5 -> 2 starts at row/col 1 (floor of 3/2): values 6 7 / 11 12
    assert c.forward(T([[[6.0, 7.0], [11.0, 12.0]]]), target) == 0
    with pytest.raises(ValueError, match="less than or equal"):
        c.forward(torch.randn(1, 6, 2), target)
    with pytest.raises(ValueError, match="same number of dimensions"):
        c.forward(torch.randn(1, 1, 2, 2), target)
    with pytest.raises(ValueError, match="3 or 4 dimensions"):
        c.forward(torch.randn(2, 2), torch.randn(3, 3))
    with pytest.raises(ValueError, match="batch size or channels"):
        c.backward(torch.randn(2, 2, 2), target)


@needs_torch
def test_weighted_mse_vs_pytorch_and_numpy():
    r = _rng(10)
    w = T(r.uniform(-2, 2, 4))
    x, t = T(r.normal(size=(3, 4))), T(r.normal(size=(3, 4)))
    c = nn.WeightedMSECriterion(w)
    assert c.weight is not w and np.array_equal(c.weight.numpy(), w.numpy()) and c.sizeAverage is True
    loss, grad = run(c, x, t)
    # Torch7 weights the target only: (x - w*t)^2
    assert loss == pytest.approx(((x.numpy() - w.numpy() * t.numpy()) ** 2).mean(), rel=1e-12)
    px = P(x)
    against(loss, grad, F.mse_loss(px, pt.from_numpy(t.numpy() * w.numpy())), [px])
    c.sizeAverage = False
    xs, ts = T(r.normal(size=4)), T(r.normal(size=4))  # same shape as w: element-wise
    loss, grad = run(c, xs, ts)
    px = P(xs)
    against(loss, grad, F.mse_loss(px, pt.from_numpy(ts.numpy() * w.numpy()), reduction="sum"), [px])
    with pytest.raises(ValueError, match="weight of size 4 does not match"):
        c.forward(torch.randn(2, 5), torch.randn(2, 5))
    with pytest.raises(ValueError, match="different numbers of elements"):
        c.forward(torch.randn(2, 4), torch.randn(4))


@needs_torch
def test_multi_criterion_vs_pytorch():
    r = _rng(11)
    x, t = T(r.normal(size=(3, 4)) * 2), T(r.normal(size=(3, 4)))
    c = nn.MultiCriterion().add(nn.MSECriterion()).add(nn.SmoothL1Criterion(False), 0.25)
    assert c.weights.type() == "torch.DoubleStorage" and c.weights.tolist() == [1.0, 0.25]
    assert len(c.criterions) == 2
    loss, grad = run(c, x, t)
    px, pt_t = P(x), pt.from_numpy(t.numpy())
    against(loss, grad, F.mse_loss(px, pt_t) + 0.25 * F.smooth_l1_loss(px, pt_t, reduction="sum"), [px])
    c32 = c.clone().float()
    assert c32.weights.type() == "torch.DoubleStorage"  # the weights stay a DoubleStorage
    # table input: MultiCriterion of ParallelCriterions
    inner = nn.ParallelCriterion().add(nn.MSECriterion()).add(nn.MSECriterion())
    m = nn.MultiCriterion().add(inner, 2).add(inner.clone(), 1)
    inp = [T(r.normal(size=3)), T(r.normal(size=2))]
    tgt = [T(r.normal(size=3)), T(r.normal(size=2))]
    fd_check(m, inp, tgt)
    assert m.forward(inp, tgt) == pytest.approx(3 * inner.forward(inp, tgt))
    with pytest.raises(TypeError, match="expected a criterion"):
        nn.MultiCriterion().add(nn.Identity())


@needs_torch
def test_parallel_criterion_vs_pytorch():
    r = _rng(12)
    x1, x2 = T(r.normal(size=(2, 3))), T(r.normal(size=(4, 5)))
    t1, t2 = T(r.normal(size=(2, 3))), T(r.integers(0, 5, 4))
    c = nn.ParallelCriterion().add(nn.MSECriterion(), 0.5).add(nn.MultiMarginCriterion(2), 3)
    assert c.weights == [0.5, 3] and c.repeatTarget is False
    loss, grads = run(c, [x1, x2], [t1, t2])
    p1, p2 = P(x1), P(x2)
    ref = 0.5 * F.mse_loss(p1, pt.from_numpy(t1.numpy())) + 3 * F.multi_margin_loss(p2, pt.from_numpy(t2.numpy()), p=2)
    against(loss, grads, ref, [p1, p2])
    # repeatTarget: every criterion sees the whole target
    rc = nn.ParallelCriterion(True).add(nn.MSECriterion()).add(nn.SmoothL1Criterion(), 2)
    a, b, t = T(r.normal(size=4)), T(r.normal(size=4)), T(r.normal(size=4))
    loss, grads = run(rc, [a, b], t)
    pa, pb, ptt = P(a), P(b), pt.from_numpy(t.numpy())
    against(loss, grads, F.mse_loss(pa, ptt) + 2 * F.smooth_l1_loss(pb, ptt), [pa, pb])
    # nested tables
    nest = nn.ParallelCriterion().add(nn.ParallelCriterion().add(nn.MSECriterion())).add(nn.MSECriterion())
    fd_check(nest, [[T(r.normal(size=2))], T(r.normal(size=3))], [[T(r.normal(size=2))], T(r.normal(size=3))])
    assert isinstance(nest.gradInput[0], list)
    # type() drops the gradInput table (it is rebuilt), and converts the members
    c.float()
    assert c.gradInput == [] and c.criterions[1].gradInput.type() == "torch.FloatTensor"
    with pytest.raises(ValueError, match="at least 2 entries"):
        c.forward([x1.float()], [t1.float(), t2])
    with pytest.raises(ValueError, match="or use repeatTarget"):
        c.forward([x1.float(), x2.float()], t1.float())
    with pytest.raises(TypeError, match="expected a criterion"):
        c.add(nn.Linear(2, 2))


@needs_torch
def test_module_criterion_vs_pytorch():
    r = _rng(13)
    lin = nn.Linear(4, 3)
    tlin = nn.Linear(2, 3)
    with pytest.warns(UserWarning, match="doesn't support parameter updates"):
        c = nn.ModuleCriterion(nn.MSECriterion(), lin, tlin)
    assert c.castTarget is True and c.criterion._typename == "nn.MSECriterion"
    x, t = T(r.normal(size=(5, 4))), T(r.normal(size=(5, 2)))
    loss, grad = run(c, x, t)
    px = P(x)
    W, b = pt.from_numpy(lin.weight.numpy()), pt.from_numpy(lin.bias.numpy())
    tW, tb = pt.from_numpy(tlin.weight.numpy()), pt.from_numpy(tlin.bias.numpy())
    ref_t = pt.from_numpy(t.numpy()) @ tW.T + tb
    against(loss, grad, F.mse_loss(px @ W.T + b, ref_t), [px])
    fd_check(c, x, t)
    # castTarget=False: type() leaves the target module alone
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c2 = nn.ModuleCriterion(nn.MSECriterion(), nn.Linear(4, 3), nn.Linear(2, 3), castTarget=False).float()
    assert c2.inputModule.weight.type() == "torch.FloatTensor"
    assert c2.targetModule.weight.type() == "torch.DoubleTensor"
    c3 = nn.ModuleCriterion(nn.MSECriterion(), nn.Identity(), nn.Linear(2, 3)).float()
    assert c3.targetModule.weight.type() == "torch.FloatTensor"
    # no modules: the plain criterion
    plain = nn.ModuleCriterion(nn.SmoothL1Criterion())
    assert plain.forward(x, x * 0) == nn.SmoothL1Criterion().forward(x, x * 0)
    with pytest.raises(TypeError, match="expected a criterion"):
        nn.ModuleCriterion(nn.Identity())


def test_defaults_from_torch7():
    assert nn.SmoothL1Criterion().sizeAverage is True
    assert nn.SoftMarginCriterion().sizeAverage is True
    assert nn.MultiLabelMarginCriterion().isTarget.nElement() == 0
    assert nn.MultiLabelSoftMarginCriterion().sizeAverage is True
    assert nn.SpatialAutoCropMSECriterion(False).sizeAverage is False
    assert nn.ParallelCriterion().gradInput == [] and nn.MultiCriterion().weights.size() == 0
    assert issubclass(nn.WeightedMSECriterion, nn.MSECriterion)
    for name in ("MarginRankingCriterion", "ModuleCriterion", "MultiCriterion", "MultiLabelMarginCriterion",
                 "MultiLabelSoftMarginCriterion", "MultiMarginCriterion", "ParallelCriterion", "SmoothL1Criterion",
                 "SoftMarginCriterion", "SpatialAutoCropMSECriterion", "SpatialClassNLLCriterion",
                 "WeightedMSECriterion"):
        assert nn.REGISTRY["nn." + name] is getattr(nn, name)
        assert issubclass(getattr(nn, name), nn.Criterion)
