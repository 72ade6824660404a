"""Random sampling: randperm, multinomial and the alias method (multinomialAliasSetup / multinomialAlias).

The numbers are Torch7's (THTensorMath.c randperm, THTensorRandom.c multinomial) after the same
seed, but the results are 0-based: they are indices.  Torch7's sequential loops are replaced by
vectorised equivalents that reproduce them exactly (see each kernel's comment).
"""

from __future__ import annotations

import numpy as np

from . import types as T
from .backend import to_host
from .dispatch import prepare
from .mt19937 import Generator
from .ops_random import ctor_args, long_arg, split_gen, write
from .size import describe
from .tensor import Tensor, _fmt

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


# ---- randperm ---------------------------------------------------------------------------------
def _permutation(z: np.ndarray, n: int) -> np.ndarray:
    """The result of Torch7's in-place shuffle ``for i < n-1: swap(r[i], r[i + z[i]])`` on r = 0..n-1.

    The loop is sequential, but each step's outcome can be read off the targets t_i = i + z_i:
    position i is final after step i, and it receives the value that position t_i held at that
    time.  Position q held, at time i, the value moved there by the last earlier step j with
    t_j == q (that value being v_j, what position j held at time j), else q itself.  So
    v_i = v_L(i) with L(i) the last j < i targeting i (v_i = i if none), resolved by pointer
    jumping in O(n log n), and out_i = v_i if t_i == i, else v_P(i) for P(i) the previous step
    with the same target (t_i if none).
    """
    idx = np.arange(n, dtype=np.int64)
    t = idx.copy()
    t[: n - 1] += z  # the last position is never a step: treat it as t = itself
    order = np.argsort(t, kind="stable")
    ts = t[order]
    same = np.zeros(n, bool)
    same[1:] = ts[1:] == ts[:-1]
    prev = np.full(n, -1, np.int64)  # P(i): the previous step with the same target
    prev[order[1:][same[1:]]] = order[:-1][same[1:]]
    last = np.full(n, -1, np.int64)  # the last step targeting each position
    end = np.ones(n, bool)
    end[:-1] = ~same[1:]  # the last entry of each group of equal targets (stable: the latest step)
    last[ts[end]] = order[end]
    L = np.where(t == idx, prev, last)  # exclude step i itself when it targets i
    root = np.where(L >= 0, L, idx)
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    v = root
    return np.where(t == idx, v, np.where(prev >= 0, v[np.maximum(prev, 0)], t))


def randperm(*args) -> Tensor:
    """randperm([res,] [gen,] n [, typename]): a random permutation of 0..n-1.

    Deviation from Torch7, whose values are 1..n: the values are indices, and indices are 0-based
    here.  The permutation is otherwise Torch7's after the same seed.

    Example:
        >>> import torch7 as torch
        >>> sorted(torch.randperm(5).totable())
        [0.0, 1.0, 2.0, 3.0, 4.0]
    """
    res, cls, gen, rest = ctor_args("randperm", args)
    if len(rest) != 1:
        raise TypeError(f"randperm: expected ([res,] [gen,] n), got {len(args)} arguments")
    n = long_arg(rest[0], "randperm", "n")
    if n <= 0:
        raise ValueError(f"randperm: n must be strictly positive (got {n})")
    if cls._dtype not in _KINDS:
        raise TypeError(f"randperm: not defined for {cls._typename}")
    out = prepare(res, cls, (n,))
    raw = gen._raw(n - 1).astype(np.int64)
    z = raw % np.arange(n, 1, -1, dtype=np.int64)  # random() % (n - i)
    return write(out, _permutation(z, n))


def _randperm_method(self: Tensor, *args) -> Tensor:
    """x.randperm([gen,] n): resize x to n and fill it with a permutation of 0..n-1."""
    return randperm(self, *args)


_KINDS = {np.dtype(k) for k in (np.uint8, np.int8, np.int16, np.int32, np.int64, np.float32, np.float64)}


# ---- multinomial -----------------------------------------------------------------------------
def _lower_bound(cum: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Torch7's binary search, vectorised: the first slot with cum >= u (NaNs behave as in C)."""
    left = np.zeros(u.shape, np.int64)
    right = np.full(u.shape, cum.shape[1], np.int64)
    active = right > left
    while active.any():
        mid = left + (right - left) // 2
        go_right = active & (cum[rows, np.minimum(mid, cum.shape[1] - 1)] < u)
        left = np.where(go_right, mid + 1, left)
        right = np.where(active & ~go_right, mid, right)
        active = right > left
    return left


def _multinomial(gen: Generator, p: np.ndarray, n: int, replacement: bool) -> np.ndarray:
    """(n_dist, K) probabilities -> (n_dist, n) 0-based samples, drawn as THTensor_(multinomial)."""
    n_dist, k = p.shape
    cum = np.cumsum(p, axis=1, dtype=np.float64)  # sequential sums, as the C loop
    total = cum[:, -1].copy()
    if not (total > 0).all():
        raise ValueError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
    cum /= total[:, None]
    u = gen._uniforms(n_dist * n).reshape(n_dist, n)  # row by row, as the C loop draws
    out = np.empty((n_dist, n), np.int64)
    rows = np.arange(n_dist)
    if replacement:
        cum[:, -1] = 1.0
        r = np.repeat(rows, n).reshape(n_dist, n)
        return _lower_bound(cum, r, u)
    cols = np.arange(k)
    for j in range(n):  # each draw depends on the previous ones; rows and categories are vectorised
        cum[:, -1] = 1.0
        idx = _lower_bound(cum, rows, u[:, j])
        out[:, j] = idx
        before = np.where(idx > 0, cum[rows, np.maximum(idx - 1, 0)], 0.0)
        diff = cum[rows, idx] - before
        s = 1.0 - diff
        with np.errstate(all="ignore"):
            np.subtract(cum, diff[:, None], out=cum, where=cols[None, :] >= idx[:, None])
            cum /= s[:, None]
    return out


def multinomial(*args) -> Tensor:
    """multinomial([res,] [gen,] p, n [, replacement=False]): n 0-based category indices per distribution.

    ``p`` (Float/Double, 1-D or 2-D, one distribution per row) need not sum to one.  Returns a
    LongTensor: size n for 1-D p, (rows, n) for 2-D p.  The samples are Torch7's after the same
    seed, minus one (0-based).

    Example:
        >>> import torch7 as torch
        >>> torch.multinomial(torch.Tensor([0, 0, 1]), 3, True).totable()
        [2, 2, 2]
    """
    res = None
    if len(args) >= 2 and isinstance(args[0], Tensor) and isinstance(args[1], (Tensor, Generator)):
        res, args = args[0], args[1:]
    gen, rest = split_gen(args)
    if not 2 <= len(rest) <= 3 or not isinstance(rest[0], Tensor):
        raise TypeError("multinomial: expected ([res,] [gen,] p, n [, replacement])")
    p, n = rest[0], long_arg(rest[1], "multinomial", "n")
    replacement = rest[2] if len(rest) == 3 else False
    if not isinstance(replacement, (bool, int, np.bool_, np.integer)):
        raise TypeError(f"multinomial: replacement must be a boolean, got {describe(replacement)}")
    replacement = bool(replacement)
    long_cls = rest[0]._long_cls
    if res is not None and not isinstance(res, long_cls):
        raise TypeError(f"multinomial: the result must be a LongTensor, not {res._typename}")
    if p._dtype not in _FLOATS:
        raise TypeError(f"multinomial: not defined for {p._typename} (only for Float or Double tensors)")
    nd = p.nDimension()
    if nd not in (1, 2):
        raise ValueError(f"multinomial: p must be 1-D or 2-D, got size {_fmt(p.size())}")
    pa = to_host(p._a)  # drawn on the host (the host generator's stream, as Torch7); CUDA results are uploaded
    pa = pa.reshape(1, -1) if nd == 1 else pa
    if n <= 0:
        raise ValueError(f"multinomial: cannot sample n_sample <= 0 samples (got {n})")
    if not replacement and n > pa.shape[1]:
        raise ValueError(f"multinomial: cannot sample {n} > {pa.shape[1]} categories without replacement")
    if (pa < 0).any():
        raise ValueError("multinomial: invalid multinomial distribution (a probability is negative)")
    s = _multinomial(gen, pa, n, replacement)
    out = prepare(res, long_cls, (n,) if nd == 1 else s.shape)
    return write(out, s)


def _multinomial_method(self: Tensor, *args) -> Tensor:
    """p.multinomial([gen,] n [, replacement]) samples from p; res.multinomial([gen,] p, n, ...) fills res."""
    gen, rest = split_gen(args)
    if rest and isinstance(rest[0], Tensor):
        return multinomial(self, gen, *rest)
    return multinomial(gen, self, *rest)


# ---- the alias method ------------------------------------------------------------------------
def _alias_table(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Torch7's alias table (THTensor_(multinomialAliasSetup)) for q = K * probs, vectorised.

    Torch7 pops the top 'large' entry and the top 'small' one; the large gives the small its
    alias and loses the small's deficit 1 - q; once below 1 it replaces the small on top of the
    stack and is served by the next large.  Hence, with smalls s_k and larges g_j in popping
    order, deficits summed as D_k and excesses q - 1 summed as X_j, large g_j turns small right
    after serving the first original small with D_k > X_j, and is then served by g_(j+1).  The
    pairing is Torch7's; the final q values are computed from the sums (equal up to rounding).
    Entries left without an alias keep themselves (q = 1).
    """
    k = q.shape[0]
    small = q < 1.0
    S = np.flatnonzero(small)[::-1]
    G = np.flatnonzero(~small)[::-1]
    J = np.zeros(k, np.int64)
    has = np.zeros(k, bool)
    qf = q.astype(np.float64)
    if S.size and G.size:
        D = np.cumsum(1.0 - qf[S])
        X = np.cumsum(qf[G] - 1.0)
        c = np.searchsorted(D, X, side="right")  # g_j turns small after serving original c_j
        reach = np.minimum(c, S.size - 1)
        by = np.searchsorted(reach, np.arange(S.size), side="left")  # which large serves each small
        ok = by < G.size
        J[S[ok]] = G[by[ok]]
        has[S[ok]] = True
        conv = np.flatnonzero(c < S.size)  # larges that turned small ...
        served = conv[conv + 1 < G.size]  # ... and were served by the next one
        J[G[served]] = G[served + 1]
        has[G[served]] = True
        qf[G[conv]] = 1.0 + (X[conv] - D[c[conv]])
        last = np.flatnonzero(c >= S.size)
        if last.size:  # the large that served the last small keeps what is left
            j = last[0]
            qf[G[j]] = 1.0 + (X[j] - D[-1])
    qmin, qmax = qf.min(), qf.max()
    if qmin < 0:
        raise ValueError("multinomialAliasSetup: probabilities must be non-negative")
    if qmax > 1:
        qf /= qmax
    qf[~has] = 1.0
    return J, qf


def multinomialAliasSetup(probs: Tensor, state=None):
    """The alias table of a 1-D Float/Double distribution: a state (J, q) for multinomialAlias.

    J (LongTensor) holds 0-based aliases, q (probs' type) the probability of keeping the drawn
    slot.  Pass a previous ``state`` to refill its tensors; it is returned.

    Example:
        >>> import torch7 as torch
        >>> state = torch.multinomialAliasSetup(torch.Tensor([0.1, 0.2, 0.7]))
        >>> out = torch.multinomialAlias(torch.LongTensor(1000), state)
        >>> 0 <= out.min() and out.max() <= 2
        True
    """
    if not isinstance(probs, Tensor) or probs._dtype not in _FLOATS:
        raise TypeError("multinomialAliasSetup: probs must be a FloatTensor or DoubleTensor")
    if probs.nDimension() != 1:
        raise ValueError(f"multinomialAliasSetup: probs must be 1-D, got size {_fmt(probs.size())}")
    cls = type(probs)
    q = cls._dtype.type(probs._a.shape[0]) * probs._a  # C: inputsize * val in the real type
    J, qv = _alias_table(q)
    long_cls = T.TENSOR_CLASSES["torch.LongTensor"]
    if state is not None:
        if not isinstance(state, (list, tuple)) or len(state) != 2:
            raise TypeError("multinomialAliasSetup: state must be a (J, q) pair of tensors")
        Jt = prepare(state[0], long_cls, J.shape)
        qt = prepare(state[1], cls, qv.shape)
        write(Jt, J)
        write(qt, qv)
        return state
    return long_cls._new(J), cls._new(qv.astype(cls._dtype))


def multinomialAlias(*args) -> Tensor:
    """multinomialAlias([gen,] output, state): fill the LongTensor output with 0-based draws.

    Each draw takes a slot uniformly, then keeps it with probability q or takes its alias J.
    (Torch7 drew from a fresh /dev/urandom-seeded generator; here the given or global one is used,
    so the draws are reproducible.)
    """
    gen, rest = split_gen(args)
    if len(rest) != 2:
        raise TypeError("multinomialAlias: expected ([gen,] output, state)")
    output, state = rest
    if not isinstance(output, T.TENSOR_CLASSES["torch.LongTensor"]):
        raise TypeError("multinomialAlias: output must be a LongTensor")
    if (not isinstance(state, (list, tuple)) or len(state) != 2
            or not all(isinstance(x, Tensor) for x in state)):
        raise TypeError("multinomialAlias: state must be the (J, q) pair from multinomialAliasSetup")
    J, q = state[0]._a.reshape(-1), state[1]._a.reshape(-1).astype(np.float64)
    if J.shape != q.shape or J.size == 0:
        raise ValueError(f"multinomialAlias: J and q must have the same non-zero size, got {J.size} and {q.size}")
    n = output._a.size
    if n:
        u = gen._uniforms(2 * n).reshape(n, 2)
        slot = (u[:, 0] * J.size).astype(np.int64)  # (long)uniform(0, K)
        keep = u[:, 1] <= q[slot]  # bernoulli(q[slot])
        write(output, np.where(keep, slot, J[slot]))
    return output


FUNCTIONS = {
    "randperm": randperm, "multinomial": multinomial,
    "multinomialAliasSetup": multinomialAliasSetup, "multinomialAlias": multinomialAlias,
}

METHODS = {
    "randperm": _randperm_method,
    "multinomial": _multinomial_method,
}
