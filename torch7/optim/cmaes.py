"""optim.cmaes: Covariance Matrix Adaptation Evolution Strategy (Hansen's barecmaes2, as in Torch7)."""

from __future__ import annotations

import math
import numbers

import numpy as np

import torch7 as torch
from torch7._core.tensor import Tensor

from ._config import NUMBER, setup
from ._kernels import check_x, opt

_SCHEMA = {"sigma": NUMBER, "maxEval": NUMBER, "ftarget": NUMBER, "popsize": NUMBER, "verb_disp": NUMBER,
           "min_iterations": NUMBER}


def _lua(v) -> str:
    """A number as Lua's tostring writes it (``%.14g``)."""
    if isinstance(v, numbers.Integral):
        return str(int(v))
    return f"{v:.14g}"


def _fitness(opfunc, x) -> float:
    res = opfunc(x)
    f = res[0] if isinstance(res, (tuple, list)) else res
    if isinstance(f, Tensor) and f.nElement() == 1:
        f = float(f._a.reshape(-1)[0])  # a NumPy scalar, or a 0-d CuPy array
    if not isinstance(f, numbers.Real):
        raise TypeError(f"optim.cmaes: opfunc(x) must return a number first, got {type(f).__name__}")
    return float(f)


def cmaes(opfunc, x, config=None, state=None):
    """CMA-ES (Torch7's ``optim.cmaes``): minimise ``opfunc`` without gradients.

    Each iteration samples ``popsize`` candidates ``mean + sigma * B D N(0, I)``, moves the mean to
    the weighted mean of the best half, and adapts the evolution paths, the covariance matrix C
    (rank-one and rank-mu updates) and the step size sigma. Normal numbers come from torch's global
    generator, so ``torch.manualSeed`` makes a run reproducible.

    Args:
        opfunc: ``opfunc(x) -> f`` or ``(f, ...)`` (only f is used); called with tensors shaped like x.
        x: the initial mean, a Float or Double tensor (not modified).
        config: the settings, read from ``state`` (which defaults to config) as in Torch7: ``sigma``
            (required: the initial step size), ``maxEval`` [1e3 N^2], ``ftarget`` (stop when the best
            fitness is <= it), ``popsize`` [4 + floor(3 ln N)], ``verb_disp`` [0] (print every
            verb_disp iterations; 0: silent), ``min_iterations`` [1].
        state: see config.

    Returns:
        ``(bestx, f_hist, counteval)``: the best candidate seen (a new 1-D tensor), the list of
        ``f(x)``, then the best fitness of each iteration, then the best fitness overall, and the
        number of evaluations (``f(x)`` not counted).

    Stops when ``maxEval`` is reached, ``ftarget`` is met, the condition number of C exceeds 1e14
    (``max(D) > 1e7 min(D)``), the fitnesses of an iteration differ by less than 1e-12, or
    ``sigma * max(D) < 1e-11``. As in Torch7, ``mu = popsize / 2`` (not rounded) enters the
    weights and ``floor(mu)`` candidates are recombined. Torch7 failed unless ``verb_disp`` was set;
    here it defaults to 0.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import optim
        >>> torch.manualSeed(1)
        >>> sphere = lambda x: ((x - 1) * (x - 1)).sum()
        >>> bestx, f_hist, n = optim.cmaes(sphere, torch.zeros(4), {"sigma": 0.5, "maxEval": 3000})
        >>> f_hist[0], f_hist[-1] < 1e-10, bestx.size(0)
        (4.0, True, 4)
    """
    config, state = setup("cmaes", config, state, _SCHEMA)
    if state is not config:
        setup("cmaes", state, None, _SCHEMA)
    check_x("cmaes", x)
    # CMA-ES is host work (an eigendecomposition, a few small vectors): a CUDA x is optimised as its host
    # twin, and only the candidates handed to opfunc and the answer go back to the device.
    dev = type(x) if x._is_cuda else None
    if dev is not None:
        x = x.type(x._host_typename)
    dt = x._dtype
    N = x.nElement()
    xmean = np.array(x._a, dtype=dt).reshape(-1)  # distribution mean, a flat copy
    sigma = state.get("sigma")
    if sigma is None:
        raise ValueError("optim.cmaes: 'sigma' (the initial step size) is required")
    sigma = float(sigma)
    ftarget = state.get("ftarget")
    maxEval = opt(state, "maxEval", 1e3 * N ** 2)
    verb_disp = opt(state, "verb_disp", 0)
    min_iterations = opt(state, "min_iterations", 1)
    lam = int(opt(state, "popsize", 4 + math.floor(3 * math.log(N))))
    if lam < 2:
        raise ValueError(f"optim.cmaes: popsize must be at least 2 (got {lam})")

    # Selection: weights of the mu best (Torch7: torch.range(0, mu - 1) with a fractional mu).
    mu = lam / 2
    nmu = math.floor(mu - 1) + 1
    w = np.array([math.log(mu + 0.5) - math.log(i + 1) for i in range(nmu)])
    w /= w.sum()
    mueff = w.sum() ** 2 / (w ** 2).sum()
    weights = w.astype(dt)

    # Adaptation constants.
    cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
    cs = (mueff + 2) / (N + mueff + 5)
    c1 = 2 / ((N + 1.3) ** 2 + mueff)
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ** 2 + mueff))
    damps = 2 * mueff / lam + 0.3 + cs

    st = {
        "pc": np.zeros(N, dt), "ps": np.zeros(N, dt), "B": np.eye(N, dtype=dt), "D": np.ones(N, dt),
        "C": np.eye(N, dtype=dt), "invsqrtC": np.eye(N, dtype=dt), "eigeneval": 0, "counteval": 0,
        "sigma": sigma, "fitvals": np.zeros(lam), "bestx": None, "bestf": None, "beste": 0,
    }
    cand = x.new(lam, N)
    z_t = x.new(N)
    f_hist = [_fitness(opfunc, x)]
    iteration = 0

    def ask():
        if st["counteval"] - st["eigeneval"] > lam / (c1 + cmu) / N / 10:
            st["eigeneval"] = st["counteval"]
            C = np.triu(st["C"]) + np.triu(st["C"], 1).T  # enforce symmetry
            e, V = torch.symeig(type(x)._new(np.ascontiguousarray(C)), "V")
            st["C"] = C
            with np.errstate(invalid="ignore", divide="ignore"):
                st["D"] = np.sqrt(np.array(e._a))
                st["B"] = np.array(V._a)
                st["invsqrtC"] = (st["B"] @ np.diag(st["D"] ** -1) @ st["B"].T).astype(dt)
        ca = cand._a
        for k in range(lam):
            z_t.normal(0, 1)
            z = z_t._a * st["D"]
            ca[k] = xmean + (st["B"] @ z) * dt.type(st["sigma"])
        return cand

    def tell():
        nonlocal xmean
        st["counteval"] += lam
        xold = xmean.copy()
        order = np.argsort(st["fitvals"], kind="stable")
        st["fitvals"] = st["fitvals"][order]
        arx = cand._a[order[:nmu]]
        f_hist.append(float(st["fitvals"][0]))
        if st["bestf"] is None or st["fitvals"][0] < st["bestf"]:
            st["bestx"], st["bestf"], st["beste"] = arx[0].copy(), float(st["fitvals"][0]), st["counteval"]

        xmean = (arx.T @ weights).astype(dt)
        y = xmean - xold
        z = st["invsqrtC"] @ y
        sg = st["sigma"]
        c = (cs * (2 - cs) * mueff) ** 0.5 / sg
        ps = st["ps"] = st["ps"] - st["ps"] * cs + z * c
        ps2 = float(np.sum(np.asarray(ps, np.float64) ** 2))
        hsig = 1.0 if ps2 / (1 - (1 - cs) ** (2 * st["counteval"] / lam)) / N < 2 + 4.0 / (N + 1) else 0.0
        c = (cc * (2 - cc) * mueff) ** 0.5 / sg
        pc = st["pc"] = st["pc"] - st["pc"] * cc + y * (c * hsig)

        # Covariance matrix: rank-one and rank-mu updates (computed in double, as Lua numbers).
        c1a = c1 - (1 - hsig ** 2) * c1 * cc * (2 - cc)
        Y = np.asarray(arx, np.float64) - np.asarray(xold, np.float64)
        Cmu = (Y.T * np.asarray(weights, np.float64)) @ Y / sg ** 2
        C = np.asarray(st["C"], np.float64)
        pcd = np.asarray(pc, np.float64)
        st["C"] = (C + ((-c1a - cmu) * C + c1 * np.outer(pcd, pcd) + cmu * Cmu)).astype(dt)

        st["sigma"] = sg * math.exp(min(0.6, (cs / damps) * (ps2 / N - 1) / 2))

    def stop() -> dict:
        res = {}
        if st["counteval"] > 0:
            fv = st["fitvals"]
            if st["counteval"] >= maxEval:
                res["evals"] = maxEval
            if ftarget is not None and fv.size > 0 and fv[0] <= ftarget:
                res["ftarget"] = ftarget
            if np.max(st["D"]) > 1e7 * np.min(st["D"]):
                res["condition"] = 1e7
            if fv.size > 1 and fv[-1] - fv[0] < 1e-12:
                res["tolfun"] = 1e-12
            if st["sigma"] * np.max(st["D"]) < 1e-11:
                res["tolx"] = 1e-11
        return res

    def disp():
        if not verb_disp:
            return
        it = st["counteval"] // lam
        if it == 1 or it % (10 * verb_disp) == 0:
            print("evals:\t ax-ratio max(std)   f-value")
        if it <= 2 or it % verb_disp == 0:
            max_std = math.sqrt(float(np.max(np.diagonal(st["C"]))))
            D = st["D"]
            ratio, std = float(np.max(D) / np.min(D)), st["sigma"] * max_std
            print(f"{_lua(st['counteval'])}:  {ratio:6.1f} {std:8.1e} {_lua(float(st['fitvals'][0]))}")

    while not stop() or iteration < min_iterations:
        iteration += 1
        X = ask()
        fv = st["fitvals"]
        for i in range(lam):
            c = X.select(0, i).viewAs(x)
            fv[i] = _fitness(opfunc, c if dev is None else c.type(dev._typename))
        tell()
        disp()

    bestx = type(x)._new(np.array(st["bestx"], dtype=dt))
    if dev is not None:
        bestx = bestx.type(dev._typename)
    f, c = st["bestf"], st["beste"]
    if verb_disp > 0:
        for k, v in stop().items():
            print("termination by", k, "=", _lua(v), sep="\t")
        print("best f-value =", _lua(f), sep="\t")
        print("solution = ")
        print(bestx)
        print("best found at iteration: ", _lua(c / lam), " , total iterations: ", _lua(iteration), sep="\t")
    f_hist.append(f)
    return bestx, f_hist, st["counteval"]
