"""Criterions, part 1: Abs / BCE / ClassNLL / ClassSimplex / CosineEmbedding / CrossEntropy / DistKLDiv /
DistanceRatio / HingeEmbedding / L1Cost / L1HingeEmbedding / Margin.

Every criterion: central finite differences of ``updateOutput`` against ``updateGradInput`` (float64),
loss and gradInput against PyTorch in float64 to 1e-6 (its loss where it has one, else autograd of the
formula), Float against Double, batch and single samples, ``sizeAverage`` on and off, bad targets.
"""

from __future__ import annotations

import copy

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
def D(a) -> torch.Tensor:
    """A DoubleTensor copy of a NumPy array (a LongTensor for integer arrays)."""
    a = np.asarray(a)
    if a.dtype.kind in "iu":
        return torch.from_numpy(a.astype(np.int64)).clone()
    return torch.from_numpy(a.astype(np.float64)).clone()


def P(x, grad=True):
    """A PyTorch float64 tensor from one of ours (a leaf that requires grad)."""
    t = pt.from_numpy(np.array(x.numpy(), np.float64))
    return t.requires_grad_(True) if grad else t


def _leaves(x) -> list:
    return [t for v in x for t in _leaves(v)] if isinstance(x, list) else [x]


def _flat(x) -> np.ndarray:
    return np.concatenate([np.array(t.numpy(), np.float64).reshape(-1) for t in _leaves(x)])


def fd_check(crit, inp, target=None, eps=1e-6, tol=1e-6) -> None:
    """Central differences of ``crit.updateOutput`` w.r.t. every input element against ``updateGradInput``."""
    crit.forward(inp, target)
    ana = _flat(copy.deepcopy(crit.backward(inp, target)))
    num = []
    for x in _leaves(inp):
        assert x.type() == "torch.DoubleTensor"
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


def _cast(x, typename):
    if isinstance(x, list):
        return [_cast(v, typename) for v in x]
    return x.type(typename) if torch.isTensor(x) and x._is_float else x


def float_vs_double(make, inp, target, tol=1e-4) -> None:
    """The Float criterion on Float inputs agrees with the Double one; types and buffers follow."""
    c64 = make()
    l64 = c64.forward(inp, target)
    g64 = _flat(copy.deepcopy(c64.backward(inp, target)))
    c32 = make().float()
    i32, t32 = _cast(inp, "torch.FloatTensor"), _cast(target, "torch.FloatTensor")
    l32 = c32.forward(i32, t32)
    assert isinstance(l32, float)
    assert l32 == pytest.approx(l64, rel=tol, abs=tol)
    g32 = c32.backward(i32, t32)
    for g in _leaves(g32):
        assert g.type() == "torch.FloatTensor"
    np.testing.assert_allclose(_flat(g32), g64, rtol=tol * 10, atol=tol * 10)
    # back to Double (weights keep their float32 rounding)
    assert c32.double().forward(inp, target) == pytest.approx(l64, rel=1e-6, abs=1e-6)
    for g in _leaves(c32.backward(inp, target)):
        assert g.type() == "torch.DoubleTensor"
    criterion_gpu_round_trip(make(), inp, target)


def compare(crit, inp, target, torch_loss, tol=TOL) -> None:
    """Loss and gradInput of ``crit`` against ``torch_loss(*pytorch_inputs)`` (float64, autograd)."""
    leaves = [P(x) for x in _leaves(inp)]
    ref = torch_loss(*leaves)
    ref.backward()
    loss = crit.forward(inp, target)
    assert isinstance(loss, float)
    assert loss == pytest.approx(float(ref.detach()), rel=tol, abs=tol)
    gin = crit.backward(inp, target)
    for ours, x in zip(_leaves(gin), leaves):
        assert tuple(ours.size()) == tuple(x.shape)
        np.testing.assert_allclose(ours.numpy(), x.grad.numpy(), rtol=tol, atol=tol)


def common_checks(make, inp, target) -> None:
    """repr, __call__, buffer reuse, deep clone and clone of a Float criterion."""
    c = make()
    assert repr(c) == c._typename == "nn." + type(c).__name__
    assert isinstance(c, nn.Criterion)
    loss, gin = c(inp, target)
    assert loss == c.output and gin is c.gradInput
    first = _leaves(c.gradInput)
    c.forward(inp, target)
    again = _leaves(c.backward(inp, target))
    assert all(a is b for a, b in zip(first, again)), "gradInput buffers must be reused"
    d = c.clone()
    assert d.forward(inp, target) == loss
    np.testing.assert_array_equal(_flat(d.backward(inp, target)), _flat(gin))


def rng(seed=0):
    return np.random.default_rng(seed)


# ---- AbsCriterion --------------------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4)])
def test_abs_criterion(sizeAverage, shape):
    r = rng(1)
    x, t = D(r.normal(size=shape)), D(r.normal(size=shape))
    red = "mean" if sizeAverage else "sum"
    compare(nn.AbsCriterion(sizeAverage), x, t, lambda a: F.l1_loss(a, P(t, False), reduction=red))
    fd_check(nn.AbsCriterion(sizeAverage), x, t)
    float_vs_double(lambda: nn.AbsCriterion(sizeAverage), x, t)
    common_checks(lambda: nn.AbsCriterion(sizeAverage), x, t)


def test_abs_criterion_details():
    c = nn.AbsCriterion()
    assert c.sizeAverage is True and nn.AbsCriterion(False).sizeAverage is False
    # Torch7 takes +1 where input == target; the target may have another shape with the same nElement
    g = c.backward(torch.Tensor([1, 2, 3, 4]), torch.Tensor([[1, 0], [5, 4]]))
    np.testing.assert_array_equal(g.numpy(), [0.25, 0.25, -0.25, 0.25])
    with pytest.raises(ValueError, match=r"nn.AbsCriterion: input of size 4 and target of size 3"):
        c.forward(torch.Tensor(4), torch.Tensor(3))


# ---- BCECriterion --------------------------------------------------------------------------
def _probs(r, shape):
    return D(r.uniform(0.05, 0.95, size=shape))


@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(6,), (4, 3)])
def test_bce_criterion(sizeAverage, weighted, shape):
    r = rng(2)
    x = _probs(r, shape)
    t = D(r.integers(0, 2, size=shape).astype(np.float64))
    w = D(r.uniform(0.5, 2, size=shape[-1])) if weighted else None
    red = "mean" if sizeAverage else "sum"
    pw = P(w, False) if weighted else None
    compare(nn.BCECriterion(w, sizeAverage), x, t,
            lambda a: F.binary_cross_entropy(a, P(t, False), weight=pw, reduction=red))
    fd_check(nn.BCECriterion(w, sizeAverage), x, t, tol=1e-5)
    float_vs_double(lambda: nn.BCECriterion(w, sizeAverage), x, t)
    common_checks(lambda: nn.BCECriterion(w, sizeAverage), x, t)


@needs_torch
def test_bce_soft_targets_and_eps():
    r = rng(3)
    x, t = _probs(r, (3, 4)), D(r.uniform(0, 1, size=(3, 4)))
    compare(nn.BCECriterion(), x, t, lambda a: F.binary_cross_entropy(a, P(t, False)))
    fd_check(nn.BCECriterion(), x, t, tol=1e-5)
    # at 0 and 1 the 1e-12 inside the logs keeps the loss finite: -log(1e-12) per wrong element
    loss = nn.BCECriterion(None, False).forward(torch.Tensor([0, 1]), torch.Tensor([1, 0]))
    assert loss == pytest.approx(-2 * np.log(1e-12), rel=1e-9)
    assert nn.BCECriterion().forward(torch.Tensor([1, 0]), torch.Tensor([1, 0])) == pytest.approx(0, abs=1e-11)


def test_bce_errors_and_fields():
    c = nn.BCECriterion()
    assert c.weights is None and c.sizeAverage is True
    with pytest.raises(ValueError, match="1-D"):
        nn.BCECriterion(torch.ones(2, 2))
    with pytest.raises(ValueError, match=r"nn.BCECriterion: input of size 3 and target of size 2"):
        c.forward(torch.Tensor([0.5, 0.5, 0.5]), torch.Tensor([1, 0]))
    with pytest.raises(ValueError, match="between 0 and 1"):
        c.forward(torch.Tensor([1.5, 0.5]), torch.Tensor([1, 0]))
    with pytest.raises(ValueError, match=r"3 weights do not fit an input of size 2x4"):
        nn.BCECriterion(torch.ones(3)).forward(torch.Tensor(2, 4).fill(0.5), torch.zeros(2, 4))
    f = nn.BCECriterion(torch.ones(3)).float()
    assert f.weights.type() == "torch.FloatTensor"


# ---- ClassNLLCriterion ---------------------------------------------------------------------
def _logp(r, shape):
    a = r.normal(size=shape)
    return D(a - np.log(np.exp(a).sum(-1, keepdims=True)))


@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ttype", ["long", "double"])
def test_class_nll_batch(sizeAverage, weighted, ttype):
    r = rng(4)
    x = _logp(r, (6, 4))
    labels = np.array([0, 3, 1, 1, 2, 3])
    t = D(labels) if ttype == "long" else D(labels.astype(np.float64))
    w = D(r.uniform(0.5, 2, size=4)) if weighted else None
    red = "mean" if sizeAverage else "sum"
    pw = P(w, False) if weighted else None
    compare(nn.ClassNLLCriterion(w, sizeAverage), x, t,
            lambda a: F.nll_loss(a, pt.from_numpy(labels), weight=pw, reduction=red))
    fd_check(nn.ClassNLLCriterion(w, sizeAverage), x, t)
    float_vs_double(lambda: nn.ClassNLLCriterion(w, sizeAverage), x, t)
    common_checks(lambda: nn.ClassNLLCriterion(w, sizeAverage), x, t)
    c = nn.ClassNLLCriterion(w, sizeAverage)
    c.forward(x, t)
    assert c.target.type() == "torch.LongTensor" and c.target.tolist() == labels.tolist()
    wsum = w.numpy()[labels].sum() if weighted else 6
    assert c.total_weight_tensor[0] == pytest.approx(wsum)
    assert c.output_tensor[0] == pytest.approx(c.output)


@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("target", [2, 2.0, "long", "double"])
def test_class_nll_single(sizeAverage, target):
    r = rng(5)
    x = _logp(r, (5,))
    w = D(r.uniform(0.5, 2, size=5))
    t = {"long": torch.LongTensor([2]), "double": torch.Tensor([2])}.get(target, target)
    red = "mean" if sizeAverage else "sum"
    compare(nn.ClassNLLCriterion(w, sizeAverage), x, t,
            lambda a: F.nll_loss(a[None], pt.tensor([2]), weight=P(w, False), reduction=red))
    fd_check(nn.ClassNLLCriterion(w, sizeAverage), x, t)
    float_vs_double(lambda: nn.ClassNLLCriterion(w, sizeAverage), x, t)
    common_checks(lambda: nn.ClassNLLCriterion(w, sizeAverage), x, t)


@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
def test_class_nll_ignore_index(sizeAverage):
    r = rng(6)
    x = _logp(r, (5, 3))
    labels = np.array([0, 7, 2, 7, 1])
    w = D(np.array([0.5, 1.5, 2.0]))
    red = "mean" if sizeAverage else "sum"
    c = nn.ClassNLLCriterion(w, sizeAverage, 7)
    assert c.ignoreIndex == 7
    compare(c, x, D(labels), lambda a: F.nll_loss(a, pt.from_numpy(labels), weight=P(w, False),
                                                   ignore_index=7, reduction=red))
    fd_check(nn.ClassNLLCriterion(w, sizeAverage, 7), x, D(labels))
    # the default ignoreIndex is -100; an ignored sample may hold -inf
    x2 = x.clone()
    x2[1][0] = -float("inf")
    c = nn.ClassNLLCriterion()
    assert c.ignoreIndex == -100
    loss = c.forward(x2, D(np.array([0, -100, 2, 1, 1])))
    assert loss == pytest.approx(-(x[0][0] + x[2][2] + x[3][1] + x[4][1]) / 4)
    # every sample ignored: total weight 0, the loss is not divided and the gradient stays zero
    c = nn.ClassNLLCriterion(None, sizeAverage, 1)
    assert c.forward(x, D(np.ones(5, np.int64))) == 0.0
    assert c.total_weight_tensor[0] == 0.0
    assert not c.backward(x, D(np.ones(5, np.int64))).numpy().any()


def test_class_nll_value_and_errors():
    x = torch.Tensor([[-1, -2, -3], [-4, -5, -6]])
    c = nn.ClassNLLCriterion()
    assert c.forward(x, torch.LongTensor([0, 2])) == 3.5
    np.testing.assert_array_equal(c.backward(x, torch.LongTensor([0, 2])).numpy(),
                                  [[-0.5, 0, 0], [0, 0, -0.5]])
    # weights: sizeAverage divides by the total weight; single sample with sizeAverage gives -1
    w = torch.Tensor([2, 1, 3])
    c = nn.ClassNLLCriterion(w)
    assert c.forward(x, torch.LongTensor([0, 2])) == pytest.approx((2 * 1 + 3 * 6) / 5)
    assert c.backward(x[0], 2).tolist() == [0, 0, -1]
    assert nn.ClassNLLCriterion(w, False).backward(x[0], 2).tolist() == [0, 0, -3]
    with pytest.raises(ValueError, match=r"target 3 out of range: class indices must be in 0\.\.2"):
        c.forward(x, torch.LongTensor([0, 3]))
    with pytest.raises(ValueError, match=r"target -1 out of range"):
        c.forward(x[0], -1)
    with pytest.raises(ValueError, match=r"target of 3 elements for input of size 2x3 \(a batch of 2\)"):
        c.forward(x, torch.LongTensor([0, 1, 2]))
    with pytest.raises(ValueError, match=r"target of 2 elements for input of size 3 \(a single sample\)"):
        c.forward(x[0], torch.LongTensor([0, 1]))
    with pytest.raises(ValueError, match="multi-target not supported"):
        c.forward(x, torch.LongTensor([[0], [1]]))
    with pytest.raises(ValueError, match="input of size 2x3x1"):
        c.forward(x.view(2, 3, 1), torch.LongTensor([0, 1]))
    with pytest.raises(ValueError, match="whole numbers"):
        c.forward(x, torch.Tensor([0.5, 1]))
    with pytest.raises(ValueError, match="2 weights for 3 classes"):
        nn.ClassNLLCriterion(torch.ones(2)).forward(x, torch.LongTensor([0, 1]))
    with pytest.raises(ValueError, match="1-D"):
        nn.ClassNLLCriterion(torch.ones(3, 1))
    with pytest.raises(TypeError, match="target must be a tensor or a number"):
        c.forward(x, [0, 1])
    f = nn.ClassNLLCriterion(torch.ones(3)).float()
    assert f.weights.type() == "torch.FloatTensor" and f.output_tensor.type() == "torch.FloatTensor"
    f.forward(x.float(), torch.LongTensor([0, 1]))
    assert f.target.type() == "torch.LongTensor" and f.total_weight_tensor.type() == "torch.FloatTensor"


# ---- CrossEntropyCriterion -----------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False, None])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_batch(sizeAverage, weighted):
    r = rng(7)
    x = D(r.normal(size=(5, 4)) * 2)
    labels = np.array([3, 0, 1, 3, 2])
    w = D(r.uniform(0.5, 2, size=4)) if weighted else None
    red = "sum" if sizeAverage is False else "mean"
    pw = P(w, False) if weighted else None
    compare(nn.CrossEntropyCriterion(w, sizeAverage), x, D(labels),
            lambda a: F.cross_entropy(a, pt.from_numpy(labels), weight=pw, reduction=red))
    fd_check(nn.CrossEntropyCriterion(w, sizeAverage), x, D(labels))
    float_vs_double(lambda: nn.CrossEntropyCriterion(w, sizeAverage), x, D(labels))
    common_checks(lambda: nn.CrossEntropyCriterion(w, sizeAverage), x, D(labels))


@needs_torch
@pytest.mark.parametrize("form", ["vector", "row"])
@pytest.mark.parametrize("target", [1, "tensor"])
def test_cross_entropy_single(form, target):
    r = rng(8)
    x = D(r.normal(size=(6,) if form == "vector" else (1, 6)))
    t = torch.LongTensor([1]) if target == "tensor" else target
    compare(nn.CrossEntropyCriterion(), x, t, lambda a: F.cross_entropy(a.reshape(1, 6), pt.tensor([1])))
    assert x.dim() == (1 if form == "vector" else 2)  # the caller's input is not squeezed in place
    fd_check(nn.CrossEntropyCriterion(), x, t)
    float_vs_double(lambda: nn.CrossEntropyCriterion(), x, t)
    common_checks(nn.CrossEntropyCriterion, x, t)


def test_cross_entropy_fields_and_errors():
    c = nn.CrossEntropyCriterion(torch.ones(3), False)
    assert torch.typename(c.lsm) == "nn.LogSoftMax" and torch.typename(c.nll) == "nn.ClassNLLCriterion"
    assert c.sizeAverage is False and c.nll.sizeAverage is False and c.nll.weights.nElement() == 3
    assert nn.CrossEntropyCriterion().sizeAverage is True
    x = torch.Tensor([[1, 2, 3], [0, 0, 0]])
    t = torch.LongTensor([2, 0])
    total = c.forward(x, t)
    c.sizeAverage = True  # the field is copied to nll on every call
    assert c.forward(x, t) == pytest.approx(total / 2) and c.nll.sizeAverage is True
    f = c.float()
    assert f.lsm.output.type() == "torch.FloatTensor" and f.nll.weights.type() == "torch.FloatTensor"
    with pytest.raises(ValueError, match=r"target 3 out of range"):
        nn.CrossEntropyCriterion().forward(x, torch.LongTensor([3, 0]))
    with pytest.raises(ValueError, match=r"input of size 2x3x2"):
        nn.CrossEntropyCriterion().forward(torch.Tensor(2, 3, 2), t)
    # backward straight after construction (no forward) still works
    g = nn.CrossEntropyCriterion().backward(x, t)
    assert g.size() == x.size() and g.sum() == pytest.approx(0, abs=1e-12)


# ---- ClassSimplexCriterion -----------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_class_simplex_geometry(n):
    c = nn.ClassSimplexCriterion(n)
    s = c.simplex.numpy()
    assert c.nClasses == n and c.simplex.size() == torch.Size([n, n]) and c._target.nElement() == n
    np.testing.assert_allclose(np.linalg.norm(s, axis=1), 1, atol=1e-12)
    gram = s @ s.T
    np.testing.assert_allclose(gram[~np.eye(n, dtype=bool)], -1 / (n - 1), atol=1e-12)
    np.testing.assert_allclose(s.sum(0), 0, atol=1e-12)
    assert not s[:, -1].any()
    assert c.getTopPrediction(c.simplex).tolist() == list(range(n))
    assert c.getTopPrediction(c.simplex[n - 1]).tolist() == [n - 1]


@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("batch", [True, False])
def test_class_simplex_loss(sizeAverage, batch):
    r = rng(9)
    n = 4
    c = nn.ClassSimplexCriterion(n)
    c.sizeAverage = sizeAverage
    s = c.simplex.numpy()
    labels = np.array([2, 0, 3]) if batch else np.array([1])
    x = D(r.normal(size=(3, n) if batch else (n,)))
    t = D(labels) if batch else 1
    goal = pt.from_numpy(s[labels].reshape(tuple(x.size())))
    red = "mean" if sizeAverage else "sum"
    compare(c, x, t, lambda a: F.mse_loss(a, goal, reduction=red))
    fd_check(c, x, t)

    def make():
        m = nn.ClassSimplexCriterion(n)
        m.sizeAverage = sizeAverage
        return m

    float_vs_double(make, x, t)
    common_checks(make, x, t)
    preds = c.getPredictions(x)
    np.testing.assert_allclose(preds.numpy(), x.numpy().reshape(-1, n) @ s.T)


def test_class_simplex_errors():
    for bad in (1, 0, 2.5, None):
        with pytest.raises(ValueError, match="nClasses > 1"):
            nn.ClassSimplexCriterion(bad)
    c = nn.ClassSimplexCriterion(3)
    assert isinstance(c, nn.MSECriterion)
    with pytest.raises(ValueError, match=r"class indices must be integers in 0\.\.2"):
        c.forward(torch.Tensor(3), 3)
    with pytest.raises(ValueError, match="1-D tensors"):
        c.forward(torch.Tensor(2, 3), torch.LongTensor([[0], [1]]))
    with pytest.raises(ValueError, match=r"input of size 2x4 does not match the target: 2x3 expected"):
        c.forward(torch.Tensor(2, 4), torch.LongTensor([0, 1]))
    f = c.float()
    assert f.simplex.type() == "torch.FloatTensor"
    assert f.forward(f.simplex[0].clone(), 0) == 0.0


# ---- CosineEmbeddingCriterion --------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("margin", [0, 0.3, -0.5])
def test_cosine_embedding_batch(sizeAverage, margin):
    r = rng(10)
    x1, x2 = D(r.normal(size=(8, 5))), D(r.normal(size=(8, 5)))
    y = D(np.array([1, -1, -1, 1, -1, 1, -1, -1], np.float64))
    red = "mean" if sizeAverage else "sum"

    def make():
        c = nn.CosineEmbeddingCriterion(margin)
        c.sizeAverage = sizeAverage
        return c

    compare(make(), [x1, x2], y, lambda a, b: F.cosine_embedding_loss(a, b, P(y, False), margin, reduction=red))
    fd_check(make(), [x1, x2], y)
    float_vs_double(make, [x1, x2], y)
    common_checks(make, [x1, x2], y)


@needs_torch
@pytest.mark.parametrize("y", [1, -1, "tensor"])
def test_cosine_embedding_single(y):
    r = rng(11)
    x1, x2 = D(r.normal(size=4)), D(r.normal(size=4) + 0.5)
    yy = torch.Tensor([-1]) if y == "tensor" else y
    yval = -1.0 if y == "tensor" else float(y)
    c = nn.CosineEmbeddingCriterion(-0.2)
    compare(c, [x1, x2], yy, lambda a, b: F.cosine_embedding_loss(a[None], b[None], pt.tensor([yval]), -0.2))
    assert c.gradInput[0].size() == torch.Size([4]) and c.gradInput[1].dim() == 1
    fd_check(nn.CosineEmbeddingCriterion(-0.2), [x1, x2], yy)
    common_checks(lambda: nn.CosineEmbeddingCriterion(-0.2), [x1, x2], yy)


def test_cosine_embedding_details():
    c = nn.CosineEmbeddingCriterion()
    assert c.margin == 0 and c.sizeAverage is True and len(c.gradInput) == 2
    a, b = torch.Tensor([1, 0]), torch.Tensor([0, 1])
    assert c.forward([a, a.clone()], 1) == pytest.approx(0, abs=1e-11)  # eps = 1e-12 in the norms
    assert c.forward([a, b], -1) == 0.0  # cos = 0 is not above the margin: no loss, no gradient
    assert not c.backward([a, b], -1)[0].numpy().any()
    with pytest.raises(ValueError, match="target values must be 1 or -1"):
        c.forward([a, b], 0)
    with pytest.raises(ValueError, match=r"target of 3 elements for inputs of size 2x2 \(2 pairs\)"):
        c.forward([torch.Tensor(2, 2), torch.Tensor(2, 2)], torch.Tensor([1, 1, 1]))
    with pytest.raises(ValueError, match=r"inputs of sizes 2x2 and 2x3"):
        c.forward([torch.Tensor(2, 2), torch.Tensor(2, 3)], torch.Tensor([1, 1]))
    with pytest.raises(TypeError, match="list of two tensors"):
        c.forward(torch.Tensor(2, 2), 1)


# ---- DistKLDivCriterion --------------------------------------------------------------------
@needs_torch
@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")  # PyTorch's 'mean' is Torch7's sizeAverage here
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("shape", [(6,), (3, 4)])
def test_dist_kl_div(sizeAverage, shape):
    r = rng(12)
    x = _logp(r, shape)
    p = r.uniform(0, 1, size=shape)
    p.reshape(-1)[::3] = 0  # zero-probability targets contribute nothing
    t = D(p / p.sum(-1, keepdims=True))

    def make():
        c = nn.DistKLDivCriterion()
        c.sizeAverage = sizeAverage
        return c

    red = "mean" if sizeAverage else "sum"
    compare(make(), x, t, lambda a: F.kl_div(a, P(t, False), reduction=red))
    fd_check(make(), x, t)
    float_vs_double(make, x, t)
    common_checks(make, x, t)


def test_dist_kl_div_value_and_errors():
    c = nn.DistKLDivCriterion()
    assert c.sizeAverage is True
    x, t = torch.Tensor([np.log(0.5), np.log(0.25)]), torch.Tensor([0.5, 0.5])
    assert c.forward(x, t) == pytest.approx(0.5 * 0.5 * np.log(2))
    np.testing.assert_allclose(c.backward(x, t).numpy(), [-0.25, -0.25])
    with pytest.raises(ValueError, match=r"nn.DistKLDivCriterion: input of size 2 and target of size 3"):
        c.forward(x, torch.Tensor(3))


# ---- DistanceRatioCriterion ----------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("shape", [(7,), (4, 2)])
def test_distance_ratio(sizeAverage, shape):
    r = rng(13)
    dx, dy = D(r.uniform(0, 3, size=shape)), D(r.uniform(0, 3, size=shape))
    n = shape[0]

    def ref(a, b):
        loss = (a + pt.log(pt.exp(-a) + pt.exp(-b))).sum()
        return loss / n if sizeAverage else loss

    compare(nn.DistanceRatioCriterion(sizeAverage), [dx, dy], None, ref)
    fd_check(nn.DistanceRatioCriterion(sizeAverage), [dx, dy])
    float_vs_double(lambda: nn.DistanceRatioCriterion(sizeAverage), [dx, dy], None)
    common_checks(lambda: nn.DistanceRatioCriterion(sizeAverage), [dx, dy], None)


def test_distance_ratio_details():
    c = nn.DistanceRatioCriterion()
    assert c.sizeAverage is True and nn.DistanceRatioCriterion(False).sizeAverage is False
    # no target needed; large distances do not overflow
    loss = c.forward([torch.Tensor([1000.0]), torch.Tensor([-1000.0])])
    assert loss == pytest.approx(2000.0)
    g = c.backward([torch.Tensor([1000.0]), torch.Tensor([-1000.0])])
    assert g[0].tolist() == [1.0] and g[1].tolist() == [-1.0]
    with pytest.raises(ValueError, match=r"distances of sizes 3 and 2 do not match"):
        c.forward([torch.Tensor(3), torch.Tensor(2)])
    with pytest.raises(TypeError, match="list of two tensors"):
        c.forward(torch.Tensor(3))


# ---- HingeEmbeddingCriterion ---------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("margin", [1, 2.5])
@pytest.mark.parametrize("shape", [(9,), (3, 4)])
def test_hinge_embedding(sizeAverage, margin, shape):
    r = rng(14)
    x = D(r.uniform(-1, 4, size=shape))
    y = D(np.where(r.uniform(size=shape) < 0.5, 1.0, -1.0))
    red = "mean" if sizeAverage else "sum"

    def make():
        c = nn.HingeEmbeddingCriterion(margin)
        c.sizeAverage = sizeAverage
        return c

    compare(make(), x, y, lambda a: F.hinge_embedding_loss(a, P(y, False), margin, reduction=red))
    fd_check(make(), x, y)
    float_vs_double(make, x, y)
    common_checks(make, x, y)


def test_hinge_embedding_details():
    c = nn.HingeEmbeddingCriterion()
    assert c.margin == 1 and c.sizeAverage is True
    assert c.forward(torch.Tensor([0.25]), -1) == 0.75 and c.backward(torch.Tensor([0.25]), -1).tolist() == [-1]
    assert c.forward(torch.Tensor([0.25]), 1) == 0.25 and c.backward(torch.Tensor([0.25]), 1).tolist() == [1]
    assert c.backward(torch.Tensor([1.0]), -1).tolist() == [-1]  # at the margin Torch7 keeps the gradient
    with pytest.raises(ValueError, match="target values must be 1 or -1"):
        c.forward(torch.Tensor([1, 2]), torch.Tensor([1, 0]))
    with pytest.raises(ValueError, match=r"input of size 2x2 and target of 3 elements"):
        c.forward(torch.Tensor(2, 2), torch.Tensor([1, 1, 1]))
    with pytest.raises(ValueError, match=r"input of size 2 and target of 1 elements"):
        c.forward(torch.Tensor(2), 1)


# ---- L1Cost --------------------------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("shape", [(7,), (3, 4)])
def test_l1_cost(shape):
    r = rng(15)
    x = D(r.normal(size=shape))
    compare(nn.L1Cost(), x, None, lambda a: a.abs().sum())
    fd_check(nn.L1Cost(), x)
    float_vs_double(nn.L1Cost, x, None)
    common_checks(nn.L1Cost, x, None)
    c = nn.L1Cost()
    assert c.forward(torch.Tensor([1, -2, 0])) == 3.0 and c.backward(torch.Tensor([1, -2, 0])).tolist() == [1, -1, 0]
    assert not hasattr(c, "sizeAverage")


# ---- L1HingeEmbeddingCriterion -------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("y", [1, -1, "tensor"])
@pytest.mark.parametrize("margin", [1, 8])
@pytest.mark.parametrize("shape", [(5,), (2, 3)])
def test_l1_hinge_embedding(y, margin, shape):
    r = rng(16)
    x1, x2 = D(r.normal(size=shape)), D(r.normal(size=shape))
    yy = torch.Tensor([-1]) if y == "tensor" else y
    dissimilar = y != 1

    def ref(a, b):
        d = (a - b).abs().sum()
        return pt.clamp(margin - d, min=0) if dissimilar else d

    compare(nn.L1HingeEmbeddingCriterion(margin), [x1, x2], yy, ref)
    fd_check(nn.L1HingeEmbeddingCriterion(margin), [x1, x2], yy)
    float_vs_double(lambda: nn.L1HingeEmbeddingCriterion(margin), [x1, x2], yy)
    common_checks(lambda: nn.L1HingeEmbeddingCriterion(margin), [x1, x2], yy)


def test_l1_hinge_embedding_details():
    c = nn.L1HingeEmbeddingCriterion(5)
    assert c.margin == 5 and nn.L1HingeEmbeddingCriterion().margin == 1 and len(c.gradInput) == 2
    a, b = torch.Tensor([1, 2, 3]), torch.Tensor([1, 0, 4])
    assert c.forward([a, b], 1) == 3.0 and c.forward([a, b], -1) == 2.0
    g1, g2 = c.backward([a, b], -1)
    assert g2.tolist() == [-v for v in g1.tolist()] and g1.tolist()[1:] == [-1, 1]
    # ties take a random sign from the torch generator, as Torch7's 2 * random(2) - 3
    torch.manualSeed(5)
    ties = c.backward([a, a.clone()], 1)[0].tolist()
    torch.manualSeed(5)
    assert ties == [2 * torch.random(2) - 3 for _ in range(3)]
    c.margin = 1  # beyond the margin: no gradient
    assert not c.backward([a, b], -1)[0].numpy().any()
    with pytest.raises(ValueError, match=r"inputs of sizes 3 and 2"):
        c.forward([a, torch.Tensor(2)], 1)
    with pytest.raises(ValueError, match=r"target of size 2"):
        c.forward([a, b], torch.Tensor([1, 1]))


# ---- MarginCriterion -----------------------------------------------------------------------
@needs_torch
@pytest.mark.parametrize("sizeAverage", [True, False])
@pytest.mark.parametrize("margin", [1, 0.5])
@pytest.mark.parametrize("shape", [(8,), (2, 5)])
def test_margin_criterion(sizeAverage, margin, shape):
    r = rng(17)
    x = D(r.uniform(-2, 2, size=shape))
    y = D(np.where(r.uniform(size=shape) < 0.5, 1.0, -1.0))

    def make():
        c = nn.MarginCriterion(margin)
        c.sizeAverage = sizeAverage
        return c

    def ref(a):
        loss = pt.clamp(margin - a * P(y, False), min=0).sum()
        return loss / a.numel() if sizeAverage else loss

    compare(make(), x, y, ref)
    fd_check(make(), x, y)
    float_vs_double(make, x, y)
    common_checks(make, x, y)


def test_margin_criterion_details():
    c = nn.MarginCriterion()
    assert c.margin == 1 and c.sizeAverage is True
    assert c.forward(torch.Tensor([0.5, 2]), torch.Tensor([1, -1])) == 1.75
    np.testing.assert_array_equal(c.backward(torch.Tensor([0.5, 2]), torch.Tensor([1, -1])).numpy(), [-0.5, 0.5])
    assert c.forward(torch.Tensor([0.25]), -1) == 1.25
    assert c.backward(torch.Tensor([1.0]), 1).tolist() == [0]  # exactly at the margin: no gradient
    with pytest.raises(ValueError, match=r"input of size 3 and target of 2 elements"):
        c.forward(torch.Tensor(3), torch.Tensor(2))
    with pytest.raises(TypeError, match="target must be a tensor or a number"):
        c.forward(torch.Tensor(3), "1")


# ---- all of them ---------------------------------------------------------------------------
def test_registered_and_typenames():
    names = ["AbsCriterion", "BCECriterion", "ClassNLLCriterion", "ClassSimplexCriterion", "CosineEmbeddingCriterion",
             "CrossEntropyCriterion", "DistKLDivCriterion", "DistanceRatioCriterion", "HingeEmbeddingCriterion",
             "L1Cost", "L1HingeEmbeddingCriterion", "MarginCriterion"]
    for name in names:
        cls = getattr(nn, name)
        assert nn.REGISTRY["nn." + name] is cls and issubclass(cls, nn.Criterion)
        assert cls.__doc__ and "Example" in cls.__doc__
