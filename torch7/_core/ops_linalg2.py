"""Linear algebra, part 2: eigen-decompositions, SVD, QR and least squares (Torch7's LAPACK wrappers).

``symeig eig svd qr geqrf orgqr ormqr gels``: ``torch.*`` functions only, Float and Double
tensors, optional result tensors first (see ``ops_linalg`` for the conventions they share).

QR results use LAPACK's compact form: ``geqrf`` returns R on and above the diagonal and the
Householder vectors ``v_i`` below it (``v_i[i] = 1`` implied) with their scales ``tau``, so that
``Q = H_0 H_1 ... H_{k-1}`` with ``H_i = I - tau_i v_i v_i^T``.  ``orgqr`` and ``ormqr`` apply Q
through the compact WY form ``Q = I - V T V^T`` (two matrix products).
"""

from __future__ import annotations

import numpy as np

from .backend import to_host
from .ops_linalg import matrix, parse, put, put_colmajor, rhs, trsolve
from .tensor import Tensor, _fmt


def _linalg(fname: str, f, *a, **kw):
    try:
        return f(*a, **kw)
    except np.linalg.LinAlgError as e:
        raise ValueError(f"{fname}: {e}") from None


def _empty(cls: type, res: Tensor | None) -> Tensor:
    return cls._new(np.empty(0, cls._dtype)) if res is None else res


def symeig(*args) -> tuple[Tensor, Tensor]:
    """Eigenvalues (ascending) and, with 'V', eigenvectors (columns) of a symmetric matrix.

    Only the 'U' (default) or 'L' triangle of A is read. With 'N' (the default) the second result
    is left alone: a new empty tensor, or ``resv`` unchanged (Torch7 filled it with scratch data).

    Args:
        [rese, resv,] A [, 'N'|'V'] [, 'U'|'L']

    Example:
        >>> import torch7 as torch
        >>> e, v = torch.symeig(torch.Tensor([[2, 1], [1, 2]]), 'V')
        >>> [round(x, 6) for x in e.totable()]
        [1.0, 3.0]
    """
    (rese, resv), (A,), (jobz, uplo) = parse("symeig", args, 1, 2, (("NV", "N"), ("UL", "U")))
    a = matrix(A, "symeig", "A", square=True)
    cls = type(A)
    if jobz == "V":
        w, v = _linalg("symeig", np.linalg.eigh, a, UPLO=uplo)
        return put(cls, rese, w), put_colmajor(cls, resv, v)
    w = _linalg("symeig", np.linalg.eigvalsh, a, UPLO=uplo)
    return put(cls, rese, w), _empty(cls, resv)


def eig(*args) -> tuple[Tensor, Tensor]:
    """Eigenvalues of a general square matrix as an n x 2 tensor of (real, imaginary) pairs,
    and with 'V' the eigenvectors in LAPACK's real layout (columns j, j+1 hold the real and
    imaginary parts of the vector of a complex pair, the one with positive imaginary part first).

    With 'N' (the default) the second result is a new empty tensor or ``resv`` unchanged.

    Args:
        [rese, resv,] A [, 'N'|'V']
    """
    (rese, resv), (A,), (jobvr,) = parse("eig", args, 1, 2, (("NV", "N"),))
    a = matrix(A, "eig", "A", square=True)
    cls = type(A)
    if jobvr == "V":
        w, v = _linalg("eig", np.linalg.eig, a)
    else:
        w, v = _linalg("eig", np.linalg.eigvals, a), None
    e = np.stack([w.real, w.imag], axis=1) if np.iscomplexobj(w) else np.stack([w, np.zeros_like(w)], axis=1)
    re = put(cls, rese, e)
    if v is None:
        return re, _empty(cls, resv)
    vr = np.array(v.real)
    if np.iscomplexobj(v):
        first = np.flatnonzero(w.imag > 0)
        vr[:, first + 1] = v[:, first].imag
    return re, put_colmajor(cls, resv, vr)


def svd(*args) -> tuple[Tensor, Tensor, Tensor]:
    """Singular value decomposition ``A = U diag(S) V^T``: returns ``(U, S, V)`` (V, not V^T).

    'S' (default): U is m x k and V is n x k with k = min(m, n); 'A': U is m x m, V is n x n.
    S is in decreasing order.

    Args:
        [resu, ress, resv,] A [, 'S'|'A']

    Example:
        >>> import torch7 as torch
        >>> u, s, v = torch.svd(torch.Tensor([[3, 0], [0, -2], [0, 0]]))
        >>> s.totable(), u.size(), v.size()
        ([3.0, 2.0], torch.Size([3, 2]), torch.Size([2, 2]))
    """
    (ru, rs, rv), (A,), (jobu,) = parse("svd", args, 1, 3, (("AS", "S"),))
    a = matrix(A, "svd", "A")
    u, s, vt = _linalg("svd", np.linalg.svd, a, full_matrices=jobu == "A")
    cls = type(A)
    return put_colmajor(cls, ru, u), put(cls, rs, s), put(cls, rv, vt.T)


# ---- QR --------------------------------------------------------------------------------------
def _wy(fact: np.ndarray, tau: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """V (unit lower trapezoidal reflectors) and upper-triangular T with H_0...H_{k-1} = I - V T V^T."""
    k = tau.shape[0]
    v = np.tril(fact[:, :k], -1)
    v[np.arange(k), np.arange(k)] = 1.0
    g = v.T @ v
    t = np.zeros((k, k))
    for i in range(k):  # LAPACK's larft recurrence, one column per reflector
        t[i, i] = tau[i]
        if i:
            t[:i, i] = -tau[i] * (t[:i, :i] @ g[:i, i])
    return v, t


def _apply_q(fact: np.ndarray, tau: np.ndarray, c: np.ndarray, left: bool, trans: bool) -> np.ndarray:
    """Q c, Q^T c, c Q or c Q^T for the Q of the compact QR ``(fact, tau)``."""
    v, t = _wy(fact, tau)
    if trans:
        t = t.T
    if left:
        return c - v @ (t @ (v.T @ c))
    return c - ((c @ v) @ t) @ v.T


def _tau(t: Tensor, fname: str, k_max: int) -> np.ndarray:
    if t.nDimension() != 1:
        raise ValueError(f"{fname}: tau should be a 1-D tensor, got size {_fmt(t.size())}")
    if t._a.shape[0] > k_max:
        raise ValueError(f"{fname}: tau has {t._a.shape[0]} reflectors but the matrix holds at most {k_max}")
    return np.array(to_host(t._a), dtype=np.float64)


def geqrf(*args) -> tuple[Tensor, Tensor]:
    """QR in LAPACK's compact form: ``(m, tau)`` with R on and above m's diagonal and the
    Householder vectors below it (see the module docstring).

    Args:
        [m, tau,] A
    """
    (rm, rtau), (A,), _ = parse("geqrf", args, 1, 2)
    a = matrix(A, "geqrf", "A")
    h, tau = _linalg("geqrf", np.linalg.qr, a, mode="raw")  # h is LAPACK's column-major result, transposed
    cls = type(A)
    return put_colmajor(cls, rm, h.T), put(cls, rtau, tau)


def orgqr(*args) -> Tensor:
    """The m x n matrix whose first k = len(tau) columns are the orthonormal Q of ``geqrf``'s
    ``(m, tau)`` (columns k and after are m's, as LAPACK leaves them).

    Args:
        [q,] m, tau
    """
    (rq,), (M, tau_t), _ = parse("orgqr", args, 2, 1)
    fact = matrix(M, "orgqr", "m")
    tau = _tau(tau_t, "orgqr", min(fact.shape))
    k = tau.shape[0]
    v, t = _wy(fact, tau)
    q = fact.copy()
    q[:, :k] = np.eye(fact.shape[0], k) - v @ (t @ v[:k].T)
    return put_colmajor(type(M), rq, q)


def ormqr(*args) -> Tensor:
    """Multiply a matrix by the Q of ``geqrf``'s ``(m, tau)``: Q c ('L', 'N': the defaults),
    Q^T c ('L', 'T'), c Q ('R', 'N') or c Q^T ('R', 'T').

    Args:
        [res,] m, tau, c [, 'L'|'R'] [, 'N'|'T']
    """
    (res,), (M, tau_t, C), (side, trans) = parse("ormqr", args, 3, 1, (("LR", "L"), ("NT", "N")))
    fact = matrix(M, "ormqr", "m")
    c = matrix(C, "ormqr", "c")
    need = c.shape[0] if side == "L" else c.shape[1]
    if fact.shape[0] != need:
        raise ValueError(f"ormqr: sizes do not match: Q is {fact.shape[0]}x{fact.shape[0]} (m is "
                         f"{_fmt(M.size())}) and c is {_fmt(C.size())} (side '{side}')")
    tau = _tau(tau_t, "ormqr", min(fact.shape))
    return put_colmajor(type(M), res, _apply_q(fact, tau, c, side == "L", trans == "T"))


def qr(*args) -> tuple[Tensor, Tensor]:
    """QR decomposition ``A = Q R``: Q is m x k with orthonormal columns, R is k x n upper
    triangular (k = min(m, n)); signs as LAPACK's geqrf/orgqr give them.

    Example:
        >>> import torch7 as torch
        >>> q, r = torch.qr(torch.Tensor([[3, 1], [4, 2]]))
        >>> [round(x, 6) for x in r.select(0, 0).totable()]
        [-5.0, -2.2]
    """
    (rq, rr), (A,), _ = parse("qr", args, 1, 2)
    a = matrix(A, "qr", "A")
    q, r = _linalg("qr", np.linalg.qr, a, mode="reduced")
    cls = type(A)
    return put_colmajor(cls, rq, q), put(cls, rr, r)


def gels(*args) -> tuple[Tensor, Tensor]:
    """Least squares (m >= n: minimise ``||A X - B||``) or minimum norm (m < n: the smallest X
    with ``A X = B``) for a full-rank m x n A: returns ``(X, factor)``.

    X is n x k (a 1-D B counts as one column). The factor is LAPACK's: geqrf's compact QR of A
    for m >= n, gelqf's compact LQ (L on and below the diagonal, reflectors in the rows above)
    for m < n.

    Args:
        [resb, resa,] B (m x k or m), A (m x n)

    Example:
        >>> import torch7 as torch
        >>> A = torch.Tensor([[1, 0], [0, 1], [1, 1]]); B = torch.Tensor([1, 1, 0])
        >>> X, _ = torch.gels(B, A)
        >>> [round(x, 6) for x in X.select(1, 0).totable()]
        [0.333333, 0.333333]
    """
    (resb, resa), (B, A), _ = parse("gels", args, 2, 2)
    a = matrix(A, "gels", "A")
    m, n = a.shape
    b = rhs(B, m, "gels")
    if m >= n:
        h, tau = np.linalg.qr(a, mode="raw")
        fact = h.T
        _full_rank(fact, "gels", a.shape)
        y = _apply_q(fact, tau, b, left=True, trans=True)
        x = trsolve(fact[:n, :n], y[:n], False)
        packed = fact
    else:
        # LQ of A from the QR of A^T: the reflectors are the same, stored in rows instead of columns.
        h, tau = np.linalg.qr(a.T, mode="raw")
        fact = h.T
        _full_rank(fact, "gels", a.shape)
        z = trsolve(fact[:m, :m].T, b, True)
        x = _apply_q(fact, tau, np.concatenate([z, np.zeros((n - m, b.shape[1]))]), left=True, trans=False)
        packed = h
    cls = type(A)
    return put_colmajor(cls, resb, x), put_colmajor(cls, resa, packed)


def _full_rank(fact: np.ndarray, fname: str, shape: tuple) -> None:
    k = min(fact.shape)
    d = np.flatnonzero(np.diagonal(fact)[:k] == 0)
    if d.size:
        raise ValueError(f"{fname}: the matrix A ({shape[0]}x{shape[1]}) does not have full rank: diagonal "
                         f"element {int(d[0])} of its triangular factor is zero")


FUNCTIONS = {
    "symeig": symeig, "eig": eig, "svd": svd, "qr": qr, "geqrf": geqrf, "orgqr": orgqr,
    "ormqr": ormqr, "gels": gels,
}
