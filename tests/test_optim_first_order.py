"""First-order optimizers: sgd, asgd, nag, adagrad, adadelta, adam, adamax, rmsprop, rprop.

- convergence: 2-D Rosenbrock from (-1.2, 1) in 5000 steps, and a small L2-regularised logistic
  regression in 300 steps (against the Newton solution), each to a stated tolerance;
- exactness: the first 20 iterates (float64) against ``torch.optim`` to 1e-10 where PyTorch has the
  same rule (configured as each docstring's "PyTorch equivalence" says), and against a NumPy
  statement of the Torch7 rule for the settings PyTorch lacks (learningRateDecay, learningRates,
  weightDecays, nag, adam's epsilon, rmsprop's initialMean);
- the blocked kernels: a long vector gives bit-identical results through the blocked path
  (contiguous) and the whole-array path (non-contiguous views, gradient of another shape);
- config validation (unknown key, wrong type, invalid combinations), feval checks;
- state fields after a step (names, types, sizes), Float and Double x, Torch7 details
  (gradient modified in place, state defaults to config, asgd writes its defaults, adamax's 1xN u,
  rprop's stepsize tensor replacing the config number).
"""

from __future__ import annotations

import numpy as np
import pytest

import torch7 as torch
from torch7 import optim
from torch7.optim import _kernels

try:
    import torch as pt
except ImportError:  # pragma: no cover - PyTorch is the oracle, installed in the project venv
    pt = None

needs_torch = pytest.mark.skipif(pt is None, reason="PyTorch (the oracle) is not installed")

ALGOS = ["sgd", "asgd", "nag", "adagrad", "adadelta", "adam", "adamax", "rmsprop", "rprop"]


def step(name, feval, x, state):
    """One call of ``optim.<name>``; returns (x, fs) for every algorithm (asgd's ax dropped)."""
    res = getattr(optim, name)(feval, x, state)
    return res[0], res[1]


# ---- problems --------------------------------------------------------------------------------
def rosen_np(a):
    """Extended Rosenbrock: f and gradient (NumPy, float64)."""
    a = np.asarray(a, np.float64)
    d = a[1:] - a[:-1] ** 2
    f = float(np.sum(100 * d ** 2 + (1 - a[:-1]) ** 2))
    g = np.zeros_like(a)
    g[:-1] = -400 * a[:-1] * d - 2 * (1 - a[:-1])
    g[1:] += 200 * d
    return f, g


def feval_of(fn, cls=None):
    """A torch7 feval around a NumPy (f, g) function; a new gradient tensor of x's type every call."""
    def feval(x):
        f, g = fn(x.numpy())
        return f, type(x)._new(np.asarray(g, x._dtype).copy())
    return feval


class LogReg:
    """Mean logistic loss + 0.5 * 1e-2 * |w|^2 on 200 seeded points, 5 features and a bias."""

    def __init__(self):
        rng = np.random.default_rng(42)
        n, d = 200, 5
        self.X = np.c_[rng.standard_normal((n, d)), np.ones(n)]
        w = rng.standard_normal(d + 1)
        self.y = (rng.random(n) < 1 / (1 + np.exp(-2 * self.X @ w))).astype(np.float64)
        ws = np.zeros(d + 1)
        for _ in range(30):  # Newton
            z = self.X @ ws
            p = 1 / (1 + np.exp(-z))
            H = (self.X.T * (p * (1 - p))) @ self.X / n + 1e-2 * np.eye(d + 1)
            ws -= np.linalg.solve(H, self(ws)[1])
        self.wstar, self.fstar = ws, self(ws)[0]

    def __call__(self, w):
        w = np.asarray(w, np.float64)
        z = self.X @ w
        p = 1 / (1 + np.exp(-z))
        f = float(np.mean(np.logaddexp(0, z) - self.y * z) + 0.5e-2 * w @ w)
        return f, self.X.T @ (p - self.y) / len(self.y) + 1e-2 * w


LOGREG = LogReg()


# ---- convergence -----------------------------------------------------------------------------
# (config, tolerance on max |x - (1, 1)| after 5000 steps from (-1.2, 1))
ROSENBROCK = {
    "sgd": ({"learningRate": 2e-3, "momentum": 0.9, "dampening": 0}, 1e-6),
    "asgd": ({"eta0": 2e-3, "lambda": 0, "t0": 1000}, 3e-2),
    "nag": ({"learningRate": 1e-3, "momentum": 0.9}, 1e-6),
    "adagrad": ({"learningRate": 1.0}, 3e-2),
    "adadelta": ({"rho": 0.9999, "eps": 1e-6}, 1e-1),
    "adam": ({"learningRate": 0.05}, 1e-6),
    "adamax": ({"learningRate": 0.05}, 1e-3),
    "rmsprop": ({"learningRate": 3e-3, "alpha": 0.9}, 2e-2),
    "rprop": ({"stepsize": 0.01, "stepsizemax": 0.1}, 5e-3),
}


@pytest.mark.parametrize("name", ALGOS)
def test_rosenbrock_converges(name):
    cfg, tol = ROSENBROCK[name]
    x = torch.Tensor([-1.2, 1.0])
    state = dict(cfg)
    feval = feval_of(rosen_np)
    f0 = rosen_np(x.numpy())[0]
    for _ in range(5000):
        x, fs = step(name, feval, x, state)
    assert fs[0] < f0
    assert np.abs(x.numpy() - 1).max() < tol


LOGISTIC = {
    "sgd": {"learningRate": 1.0, "momentum": 0.9, "dampening": 0},
    "asgd": {"eta0": 0.5, "lambda": 0, "t0": 100},
    "nag": {"learningRate": 0.5, "momentum": 0.9},
    "adagrad": {"learningRate": 0.5},
    "adadelta": {"rho": 0.9, "eps": 1e-3},
    "adam": {"learningRate": 0.1},
    "adamax": {"learningRate": 0.1},
    "rmsprop": {"learningRate": 0.01},
    "rprop": {"stepsize": 0.1},
}


@pytest.mark.parametrize("name", ALGOS)
def test_logistic_regression_converges(name):
    x = torch.Tensor(6).zero()
    state = dict(LOGISTIC[name])
    feval = feval_of(LOGREG)
    for _ in range(300):
        x, fs = step(name, feval, x, state)
    gap = LOGREG(x.numpy())[0] - LOGREG.fstar
    assert -1e-12 <= gap < (1e-4 if name == "rmsprop" else 1e-6)
    assert np.abs(x.numpy() - LOGREG.wstar).max() < (3e-2 if name == "rmsprop" else 3e-3)
    if name == "asgd":  # the average converges too
        assert np.abs(state["ax"].numpy() - LOGREG.wstar).max() < 1e-3


# ---- exactness against torch.optim -----------------------------------------------------------
X0 = np.array([-1.2, 1.0, 0.8, -0.5, 1.3, 0.2])

# name: (torch7 config, PyTorch class name, PyTorch kwargs)
PT_CASES = {
    "sgd-plain": ("sgd", {"learningRate": 1e-4}, "SGD", {"lr": 1e-4}),
    "sgd-momentum-wd": ("sgd", {"learningRate": 1e-4, "momentum": 0.9, "weightDecay": 0.1},
                        "SGD", {"lr": 1e-4, "momentum": 0.9, "dampening": 0.9, "weight_decay": 0.1}),
    "sgd-dampening": ("sgd", {"learningRate": 1e-4, "momentum": 0.5, "dampening": 0.2},
                      "SGD", {"lr": 1e-4, "momentum": 0.5, "dampening": 0.2}),
    "sgd-nesterov": ("sgd", {"learningRate": 1e-4, "momentum": 0.9, "dampening": 0, "nesterov": True,
                             "weightDecay": 0.01},
                     "SGD", {"lr": 1e-4, "momentum": 0.9, "dampening": 0, "nesterov": True, "weight_decay": 0.01}),
    "asgd": ("asgd", {"eta0": 1e-4, "lambda": 1e-2, "alpha": 0.75, "t0": 5},
             "ASGD", {"lr": 1e-4, "lambd": 1e-2, "alpha": 0.75, "t0": 5}),
    "adagrad": ("adagrad", {"learningRate": 0.1, "learningRateDecay": 0.05, "weightDecay": 0.01},
                "Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01, "eps": 1e-10}),
    "adadelta": ("adadelta", {"rho": 0.9, "eps": 1e-6, "weightDecay": 0.01},
                 "Adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.01}),
    "adam-eps0": ("adam", {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 0, "weightDecay": 0.01},
                  "Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 0, "weight_decay": 0.01}),
    "adamax": ("adamax", {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "weightDecay": 0.01},
               "Adamax", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-38, "weight_decay": 0.01}),
    "rmsprop": ("rmsprop", {"learningRate": 1e-3, "alpha": 0.9, "epsilon": 1e-8, "weightDecay": 0.01},
                "RMSprop", {"lr": 1e-3, "alpha": 0.9, "eps": 1e-8, "weight_decay": 0.01}),
    "rprop-clamps": ("rprop", {"stepsize": 0.01, "stepsizemax": 0.05, "stepsizemin": 6e-3},
                     "Rprop", {"lr": 0.01, "etas": (0.5, 1.2), "step_sizes": (6e-3, 0.05)}),
}


@pytest.fixture
def pt_float64():
    old = pt.get_default_dtype()
    pt.set_default_dtype(pt.float64)  # ASGD keeps eta and mu as default-dtype tensors
    yield
    pt.set_default_dtype(old)


def close(a, b, tol=1e-10):
    a, b = np.asarray(a), np.asarray(b)
    return np.abs(a - b).max() <= tol * max(1.0, np.abs(b).max())


@needs_torch
@pytest.mark.parametrize("case", sorted(PT_CASES))
def test_first_20_iterates_match_pytorch(case, pt_float64):
    name, cfg, cls_name, kw = PT_CASES[case]
    x = torch.from_numpy(X0.copy())
    state = dict(cfg)
    p = pt.nn.Parameter(pt.from_numpy(X0.copy()))
    o = getattr(pt.optim, cls_name)([p], **kw)
    feval = feval_of(rosen_np)
    moved, clamped = 0.0, set()
    for k in range(20):
        res = getattr(optim, name)(feval, x, state)
        f_pt, g_pt = rosen_np(p.detach().numpy())
        p.grad = pt.from_numpy(g_pt)
        o.step()
        assert res[1][0] == pytest.approx(f_pt, rel=1e-10)
        got, want = x.numpy(), p.detach().numpy()
        assert close(got, want), f"{case}: iterate {k + 1} differs by {np.abs(got - want).max():.3g}"
        if name == "asgd":
            assert close(res[2].numpy(), o.state[p]["ax"].numpy())
        moved = max(moved, np.abs(got - X0).max())
        if name == "rprop":
            ss = state["stepsize"].numpy()
            assert close(ss, o.state[p]["step_size"].numpy())
            clamped |= {("max", i) for i in np.flatnonzero(ss == 0.05)}
            clamped |= {("min", i) for i in np.flatnonzero(ss == 6e-3)}
    assert moved > 1e-3  # the comparison saw real steps
    if name == "rprop":  # both clamps were exercised
        assert {c for c, _ in clamped} == {"max", "min"}


@needs_torch
def test_rprop_niter_is_n_pytorch_steps():
    x = torch.from_numpy(X0.copy())
    state = {"stepsize": 0.01, "niter": 4}
    p = pt.nn.Parameter(pt.from_numpy(X0.copy()))
    o = pt.optim.Rprop([p], lr=0.01)
    for _ in range(5):
        x, fs = optim.rprop(feval_of(rosen_np), x, state)
        assert len(fs) == 4
        for k in range(4):
            f, g = rosen_np(p.detach().numpy())
            assert fs[k] == pytest.approx(f, rel=1e-10)
            p.grad = pt.from_numpy(g)
            o.step()
        assert close(x.numpy(), p.detach().numpy())


# ---- exactness against a NumPy statement of the Torch7 rules ---------------------------------
def ref_sgd(x, n, lr=1e-3, lrd=0.0, wd=0.0, wds=None, mom=0.0, damp=None, nesterov=False, lrs=None):
    damp = mom if damp is None else damp
    buf, out = None, []
    for k in range(n):
        g = rosen_np(x)[1]
        if wd != 0:
            g = g + wd * x
        elif wds is not None:
            g = g + wds * x
        d = g
        if mom != 0:
            buf = g.copy() if buf is None else mom * buf + (1 - damp) * g
            d = g + mom * buf if nesterov else buf
        clr = lr / (1 + k * lrd)
        x = x - clr * (lrs * d if lrs is not None else d)
        out.append(x)
    return out


def ref_nag(x, n, lr=1e-3, lrd=0.0, wd=0.0, mom=0.9, lrs=None):
    v, out = None, []
    for k in range(n):
        xc = x.copy()
        if v is not None:
            x = x + mom * v
        g = rosen_np(x)[1]
        if wd != 0:
            g = g + wd * x
        clr = lr / (1 + k * lrd)
        v = np.zeros_like(x) if v is None else mom * v
        v = v - clr * (lrs * g if lrs is not None else g)
        x = xc + v
        out.append(x)
    return out


def ref_adam(x, n, lr=1e-3, lrd=0.0, b1=0.9, b2=0.999, eps=1e-8, wd=0.0):
    m = v = np.zeros_like(x)
    out = []
    for t in range(1, n + 1):
        g = rosen_np(x)[1] + wd * x
        clr = lr / (1 + (t - 1) * lrd)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        x = x - clr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + eps)
        out.append(x)
    return out


def ref_rmsprop(x, n, lr=1e-2, alpha=0.99, eps=1e-8, wd=0.0, m0=0.0):
    m, out = np.full_like(x, m0), []
    for _ in range(n):
        g = rosen_np(x)[1] + wd * x
        m = alpha * m + (1 - alpha) * g * g
        x = x - lr * g / (np.sqrt(m) + eps)
        out.append(x)
    return out


LRS = np.array([1.0, 0.5, 2.0, 0.0, 1.5, 0.25])
WDS = np.array([0.1, 0.0, 0.2, 0.05, 0.3, 0.01])

NP_CASES = {
    "sgd-lrd": ("sgd", {"learningRate": 1e-4, "learningRateDecay": 0.1}, lambda x: ref_sgd(x, 20, 1e-4, lrd=0.1)),
    "sgd-lrs-wds-momentum": (
        "sgd", {"learningRate": 1e-4, "learningRates": torch.from_numpy(LRS.copy()),
                "weightDecays": torch.from_numpy(WDS.copy()), "momentum": 0.7, "learningRateDecay": 0.01},
        lambda x: ref_sgd(x, 20, 1e-4, lrd=0.01, wds=WDS, mom=0.7, lrs=LRS)),
    "sgd-wd-beats-wds": (
        "sgd", {"learningRate": 1e-4, "weightDecay": 0.5, "weightDecays": torch.from_numpy(WDS.copy())},
        lambda x: ref_sgd(x, 20, 1e-4, wd=0.5)),
    "sgd-lrs-float-weights": (  # per-element tensors of another type are converted, as Torch7's copy does
        "sgd", {"learningRate": 1e-4, "learningRates": torch.from_numpy(LRS.astype(np.float32))},
        lambda x: ref_sgd(x, 20, 1e-4, lrs=LRS)),
    "nag": ("nag", {"learningRate": 1e-4, "momentum": 0.9}, lambda x: ref_nag(x, 20, 1e-4)),
    "nag-lrd-wd-lrs": (
        "nag", {"learningRate": 1e-4, "momentum": 0.8, "learningRateDecay": 0.05, "weightDecay": 0.1,
                "learningRates": torch.from_numpy(LRS.copy())},
        lambda x: ref_nag(x, 20, 1e-4, lrd=0.05, wd=0.1, mom=0.8, lrs=LRS)),
    "adam-default-eps": ("adam", {"learningRate": 0.01}, lambda x: ref_adam(x, 20, 0.01)),
    "adam-lrd-big-eps": ("adam", {"learningRate": 0.01, "learningRateDecay": 0.1, "epsilon": 1.0, "weightDecay": 0.1},
                         lambda x: ref_adam(x, 20, 0.01, lrd=0.1, eps=1.0, wd=0.1)),
    "rmsprop-initialMean": ("rmsprop", {"learningRate": 1e-3, "initialMean": 5.0},
                            lambda x: ref_rmsprop(x, 20, 1e-3, m0=5.0)),
}


@pytest.mark.parametrize("case", sorted(NP_CASES))
def test_first_20_iterates_match_numpy_statement(case):
    name, cfg, ref = NP_CASES[case]
    x = torch.from_numpy(X0.copy())
    state = dict(cfg)
    want = ref(X0.copy())
    for k in range(20):
        x, _ = step(name, feval_of(rosen_np), x, state)
        assert close(x.numpy(), want[k], 1e-12), f"{case}: iterate {k + 1}"
    assert np.abs(x.numpy() - X0).max() > 1e-3


# ---- blocked and whole-array paths -----------------------------------------------------------
BIG_CFG = {
    "sgd": {"learningRate": 0.1, "momentum": 0.9, "weightDecay": 0.01},
    "asgd": {"eta0": 0.1, "t0": 2},
    "nag": {"learningRate": 0.1},
    "adagrad": {"learningRate": 0.1, "weightDecay": 0.01},
    "adadelta": {"weightDecay": 0.01},
    "adam": {"learningRate": 0.1, "weightDecay": 0.01},
    "adamax": {"learningRate": 0.1, "weightDecay": 0.01},
    "rmsprop": {"weightDecay": 0.01},
    "rprop": {"niter": 2},
}


def wavy(a):
    a = np.asarray(a, np.float64)
    return float(np.sum(a ** 4 / 4 - np.cos(3 * a))), a ** 3 + 3 * np.sin(3 * a)


@pytest.mark.parametrize("typename", ["torch.DoubleTensor", "torch.FloatTensor"])
@pytest.mark.parametrize("name", ALGOS)
def test_blocked_threaded_and_whole_array_paths_agree_bitwise(name, typename, monkeypatch):
    n = 2 * (_kernels.BLOCK_BYTES // 4) + 1235  # 2-3 blocks of float32 or 4-5 of float64
    assert n % 3 == 0
    dt = torch.tensor_class(typename)._dtype
    x0 = np.random.default_rng(3).uniform(-2, 2, n).astype(dt)
    grads = {}

    def feval_contiguous(tag):
        def feval(x):
            f, g = wavy(x.numpy())
            grads[tag] = type(x)._new(g.astype(dt))
            return f, grads[tag]
        return feval

    def feval_strided(x):
        # the gradient an (n/3, 3) transposed view: copied into x's shape and, after the update, back
        f, g = wavy(x.numpy())
        base = np.zeros((3, n // 3), dt)
        base.T[...] = g.reshape(n // 3, 3)
        grads["whole"] = torch.from_numpy(base.T)
        assert not grads["whole"].isContiguous()
        return f, grads["whole"]

    # x a strided view (a column of an n x 2 array): the whole-array path
    buf = np.zeros((n, 2), dt)
    buf[:, 0] = x0
    runs = {
        "blocked": (torch.from_numpy(x0.copy()), dict(BIG_CFG[name]), feval_contiguous("blocked"), {}),
        "threaded": (torch.from_numpy(x0.copy()), dict(BIG_CFG[name]), feval_contiguous("threaded"),
                     {"BLOCK_BYTES": 32768, "THREADS": 3, "PARALLEL_MIN": 0}),
        "whole": (torch.from_numpy(buf[:, 0]), dict(BIG_CFG[name]), feval_strided, {}),
    }
    assert not runs["whole"][0].isContiguous()
    for _ in range(4):
        for x, state, feval, knobs in runs.values():
            with monkeypatch.context() as m:
                for k, v in knobs.items():
                    m.setattr(_kernels, k, v)
                step(name, feval, x, state)
        ref = runs["blocked"][0].numpy()
        assert np.array_equal(ref, runs["threaded"][0].numpy())
        assert np.array_equal(ref, runs["whole"][0].numpy())
        # in-place modifications of the gradient reach the caller's tensor on every path
        assert np.array_equal(grads["blocked"].numpy(), grads["threaded"].numpy())
        assert np.array_equal(grads["blocked"].numpy(), grads["whole"].numpy().reshape(-1))
    for k, v in runs["blocked"][1].items():
        if isinstance(v, torch.Tensor):
            for other in ("threaded", "whole"):
                assert np.array_equal(v.numpy().reshape(-1), runs[other][1][k].numpy().reshape(-1)), k


# ---- validation ------------------------------------------------------------------------------
FIRST_NUMBER_KEY = {"sgd": "learningRate", "asgd": "eta0", "nag": "learningRate", "adagrad": "learningRate",
                    "adadelta": "rho", "adam": "beta1", "adamax": "beta2", "rmsprop": "alpha", "rprop": "etaplus"}


def quad(x):
    return float((x * x).sum()), x * 2


@pytest.mark.parametrize("name", ALGOS)
def test_unknown_key_raises_keyerror(name):
    with pytest.raises(KeyError, match=rf"optim\.{name}.*learningRat\b"):
        step(name, quad, torch.Tensor([1, 2]), {"learningRat": 0.1})


@pytest.mark.parametrize("name", ALGOS)
def test_wrong_type_raises_typeerror(name):
    key = FIRST_NUMBER_KEY[name]
    with pytest.raises(TypeError, match=rf"optim\.{name}.*{key}"):
        step(name, quad, torch.Tensor([1, 2]), {key: "0.1"})
    with pytest.raises(TypeError, match=rf"optim\.{name}"):
        step(name, quad, torch.Tensor([1, 2]), {key: True})


def test_specific_validation():
    x = torch.Tensor([1, 2])
    with pytest.raises(TypeError, match="nesterov"):
        optim.sgd(quad, x, {"nesterov": 1})
    with pytest.raises(TypeError, match="learningRates"):
        optim.sgd(quad, x, {"learningRates": [1, 2]})
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        optim.sgd(quad, x, {"momentum": 0.9, "nesterov": True})  # dampening defaults to momentum
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        optim.sgd(quad, x, {"nesterov": True, "dampening": 0})
    with pytest.raises(ValueError, match="learningRates"):
        optim.sgd(quad, x, {"learningRates": torch.Tensor(3).fill(1)})
    with pytest.raises(ValueError, match="Momentum must be positive"):
        optim.nag(quad, x, {"momentum": 0})
    with pytest.raises(TypeError, match="stepsize"):
        optim.rprop(quad, x, {"stepsize": "big"})
    with pytest.raises(TypeError, match="config must be a dict"):
        optim.adam(quad, x, [("learningRate", 1)])
    with pytest.raises(TypeError, match="x must be"):
        optim.adam(quad, np.zeros(2))
    with pytest.raises(TypeError, match="floating-point"):
        optim.adam(quad, torch.LongTensor([1, 2]))


@pytest.mark.parametrize("name", ALGOS)
def test_feval_results_are_checked(name):
    x = torch.Tensor([1, 2])
    with pytest.raises(TypeError, match=rf"optim\.{name}.*must return"):
        step(name, lambda x: 1.0, x, {})
    with pytest.raises(TypeError, match=rf"optim\.{name}.*tensor"):
        step(name, lambda x: (1.0, np.zeros(2)), x, {})
    with pytest.raises(TypeError, match=rf"optim\.{name}.*FloatTensor"):
        step(name, lambda x: (1.0, torch.FloatTensor([1, 1])), x, {})
    with pytest.raises(ValueError, match=rf"optim\.{name}.*3 elements"):
        step(name, lambda x: (1.0, torch.Tensor([1, 1, 1])), x, {})


# ---- state, types, Torch7 details ------------------------------------------------------------
STATE_FIELDS = {  # field: expected size as a function of the parameter count n (None: a number)
    "sgd": ({"momentum": 0.9, "learningRates": torch.Tensor(4).fill(1)},
            {"evalCounter": None, "dfdx": (4,), "deltaParameters": (4,)}),
    "asgd": ({}, {"eta_t": None, "mu_t": None, "t": None, "ax": (4,), "tmp": (4,)}),
    "nag": ({}, {"evalCounter": None, "dfdx": (4,), "x_copy": (4,)}),
    "adagrad": ({}, {"evalCounter": None, "paramVariance": (4,), "paramStd": (4,)}),
    "adadelta": ({}, {"evalCounter": None, "paramVariance": (4,), "paramStd": (4,), "delta": (4,),
                      "accDelta": (4,)}),
    "adam": ({}, {"t": None, "m": (4,), "v": (4,), "denom": (4,)}),
    "adamax": ({}, {"t": None, "m": (4,), "u": (1, 4), "max": (2, 4)}),
    "rmsprop": ({}, {"m": (4,), "tmp": (4,)}),
    "rprop": ({}, {"delta": (4,), "stepsize": (4,), "sign": (4,), "psign": (4,), "nsign": (4,),
                   "zsign": (4,), "dminmax": (4,)}),
}


@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
@pytest.mark.parametrize("name", ALGOS)
def test_state_fields_after_steps(name, typename):
    cfg, fields = STATE_FIELDS[name]
    x = torch.Tensor([1, -2, 0.5, 3]).type(typename)
    state = {}
    for _ in range(3):
        res = getattr(optim, name)(quad, x, cfg, state)
        assert res[0] is x and isinstance(res[1], list) and len(res[1]) == 1
    assert set(state) == set(fields)
    for key, size in fields.items():
        v = state[key]
        if size is None:
            assert isinstance(v, (int, float)), key
            continue
        want = "torch.ByteTensor" if key in ("psign", "nsign", "zsign", "dminmax") else typename
        assert v.type() == want, key
        assert tuple(v.size()) == size, key
    counter = {"sgd": "evalCounter", "nag": "evalCounter", "adagrad": "evalCounter", "adadelta": "evalCounter",
               "asgd": "t", "adam": "t", "adamax": "t"}.get(name)
    if counter:
        assert state[counter] == 3
    if name == "asgd":
        assert res[2] is state["ax"]
    assert "learningRate" not in state  # config untouched by state fields when state is separate


@pytest.mark.parametrize("name", ALGOS)
def test_float_follows_double(name):
    xd = torch.DoubleTensor(6).zero()
    xf = torch.FloatTensor(6).zero()
    sd, sf = dict(LOGISTIC[name]), dict(LOGISTIC[name])
    for _ in range(30):
        step(name, feval_of(LOGREG), xd, sd)
        step(name, feval_of(LOGREG), xf, sf)
    assert xf.type() == "torch.FloatTensor"
    np.testing.assert_allclose(xf.numpy(), xd.numpy(), rtol=1e-3, atol=1e-4)
    for k, v in sf.items():
        if isinstance(v, torch.Tensor) and k not in ("psign", "nsign", "zsign", "dminmax"):
            assert v.type() == "torch.FloatTensor", k


def cuda_feval_of(fn):
    """``feval_of`` for CUDA x: the problem is evaluated on the host, the gradient comes back as a CudaTensor."""
    def feval(x):
        f, g = fn(x.float().numpy())
        return f, type(x)._new(np.asarray(g, x._dtype).copy())
    return feval


@pytest.mark.parametrize("name", ALGOS)
def test_cuda_follows_float(name):
    """On a CudaTensor (CuPy with a GPU, StrictCupy without one) the iterates are the FloatTensor ones and the
    state tensors stay on the device."""
    from strict_cupy import StrictCupy

    from torch7._core import backend

    xf = torch.FloatTensor(6).zero()
    sf, sc = dict(LOGISTIC[name]), dict(LOGISTIC[name])
    old = None if backend.is_available() else backend._set_for_tests(StrictCupy())
    try:
        xc = torch.CudaTensor(6).zero()
        for _ in range(30):
            step(name, feval_of(LOGREG), xf, sf)
            step(name, cuda_feval_of(LOGREG), xc, sc)
        assert xc.type() == "torch.CudaTensor"
        np.testing.assert_allclose(xc.float().numpy(), xf.numpy(), rtol=1e-5, atol=1e-6)
        for k, v in sc.items():
            if isinstance(v, torch.Tensor):
                assert v._is_cuda, f"optim.{name}: state field {k} is a {v.type()}"
    finally:
        if old is not None:
            backend._restore(old)


def test_sgd_modifies_the_gradient_in_place_with_weight_decay():
    x = torch.Tensor([1, -2])
    g = torch.Tensor([0.5, 0.25])
    optim.sgd(lambda x: (0.0, g), x, {"weightDecay": 0.1, "learningRate": 1})
    assert g.numpy().tolist() == [0.5 + 0.1, 0.25 - 0.2]
    assert x.numpy().tolist() == [1 - 0.6, -2 - 0.05]
    # without weight decay or nesterov the gradient is left alone
    g2 = torch.Tensor([0.5, 0.25])
    optim.sgd(lambda x: (0.0, g2), x, {"momentum": 0.9})
    assert g2.numpy().tolist() == [0.5, 0.25]


def test_sgd_momentum_buffer_starts_at_first_gradient():
    x = torch.Tensor([0, 0])
    state = {"momentum": 0.9, "learningRate": 1}
    optim.sgd(lambda x: (0.0, torch.Tensor([1, 2])), x, state)
    assert state["dfdx"].numpy().tolist() == [1, 2]
    assert x.numpy().tolist() == [-1, -2]
    optim.sgd(lambda x: (0.0, torch.Tensor([1, 2])), x, state)  # dampening = momentum
    np.testing.assert_allclose(state["dfdx"].numpy(), [0.9 + 0.1, 1.8 + 0.2])


def test_state_defaults_to_config_and_fs_is_f_before_update():
    config = {"learningRate": 0.1}
    x = torch.Tensor([3, 4])
    x2, fs = optim.adam(quad, x, config)
    assert x2 is x and fs == [25.0]
    assert config["t"] == 1 and set(config) == {"learningRate", "t", "m", "v", "denom"}
    optim.adam(quad, x, config)
    assert config["t"] == 2


def test_asgd_writes_defaults_into_config():
    config = {}
    optim.asgd(quad, torch.Tensor([1, 2]), config, {})
    assert config == {"eta0": 1e-4, "lambda": 1e-4, "alpha": 0.75, "t0": 1e6}


def test_asgd_schedule():
    state = {"eta0": 0.1, "lambda": 0.5, "alpha": 0.75, "t0": 2}
    x = torch.Tensor([1.0])
    for t in range(1, 5):
        optim.asgd(quad, x, state)
        assert state["eta_t"] == pytest.approx(0.1 / (1 + 0.5 * 0.1 * t) ** 0.75, rel=1e-15)
        assert state["mu_t"] == 1 / max(1, t - 2)


def test_rprop_stepsize_tensor_replaces_config_number():
    config = {"stepsize": 0.05}
    x = torch.Tensor([1, -1])
    optim.rprop(quad, x, config)
    assert isinstance(config["stepsize"], torch.Tensor)
    assert x.numpy().tolist() == [0.95, -0.95]
    optim.rprop(quad, x, config)  # the second call reads the tensor as state
    np.testing.assert_allclose(config["stepsize"].numpy(), [0.06, 0.06])
    np.testing.assert_allclose(x.numpy(), [0.89, -0.89])


def test_rprop_zeroes_gradient_on_sign_change_and_masks():
    x = torch.Tensor([1.0, 1.0, 1.0])
    grads = iter([torch.Tensor([1, -1, 0]), torch.Tensor([-1, -1, 2])])
    state = {"stepsize": 0.1, "stepsizemin": 0.06}
    optim.rprop(lambda x: (0.0, next(grads)), x, state)
    g2 = torch.Tensor([-1, -1, 2])
    grads = iter([g2])
    optim.rprop(lambda x: (0.0, next(grads)), x, state)
    assert g2.numpy().tolist() == [0, -1, 2]  # zeroed where the sign changed (Torch7 modifies g)
    assert state["psign"].numpy().tolist() == [0, 1, 0]
    assert state["nsign"].numpy().tolist() == [1, 0, 0]
    assert state["zsign"].numpy().tolist() == [0, 0, 1]
    np.testing.assert_allclose(state["stepsize"].numpy(), [0.06, 0.12, 0.1])  # 0.05 clamped up to 0.06
    assert state["dminmax"].numpy().tolist() == [1, 0, 0]
    assert state["sign"].numpy().tolist() == [0, -1, 1]
    np.testing.assert_allclose(x.numpy(), [0.9, 1.22, 1.0 - 0.1])


def test_adamax_u_is_1xn_like_torch7():
    state = {}
    x = torch.Tensor(2, 3).fill(1)
    optim.adamax(quad, x, state)
    assert tuple(state["u"].size()) == (1, 2, 3) and tuple(state["max"].size()) == (2, 2, 3)
    np.testing.assert_allclose(state["u"].numpy().reshape(-1), 2.0 + 1e-38)
    optim.adamax(quad, x, state)
    assert tuple(state["u"].size()) == (1, 2, 3)


def test_nd_parameters_and_gradient_of_another_shape():
    x = torch.Tensor(2, 3).fill(1)
    g = torch.Tensor(6).fill(2)
    optim.sgd(lambda x: (0.0, g), x, {"learningRate": 0.5, "weightDecay": 1})
    assert x.numpy().tolist() == [[-0.5] * 3] * 2
    assert g.numpy().tolist() == [3.0] * 6


def test_noncontiguous_state_loaded_from_elsewhere():
    # A state tensor that is a view (e.g. shared storage) is updated through the whole-array path.
    x = torch.Tensor([1, 2, 3])
    big = torch.Tensor(3, 2).zero()
    state = {"m": big.select(1, 0), "v": big.select(1, 1).fill(1), "t": 0,
             "denom": torch.Tensor(3).zero(), "learningRate": 0.1}
    optim.adam(quad, x, state)
    np.testing.assert_allclose(big.numpy()[:, 0], 0.1 * np.array([2, 4, 6]))
    np.testing.assert_allclose(big.numpy()[:, 1], 0.999 + 0.001 * np.array([4, 16, 36]))


@pytest.mark.parametrize("name", ALGOS)
def test_no_state_notice(name, capsys):
    getattr(optim, name)(quad, torch.Tensor([1, 2]))
    out = capsys.readouterr().out
    if name in ("adagrad", "adadelta", "rprop"):
        assert out.startswith("no state table") and name.upper() in out
    else:
        assert out == ""
