"""Linear algebra, part 1: linear systems and Cholesky (Torch7's LAPACK wrappers, on NumPy).

``gesv trtrs inverse potrf potrs potri pstrf``; eigen-decompositions, SVD, QR and ``gels`` are in
``ops_linalg2``, which shares the helpers defined here.  As in Torch7 they are ``torch.*``
functions only (no methods), for Float and Double tensors, with the optional result tensors first:
``torch.gesv([resb, resa,] B, A)``.  Everything is computed in double precision and stored in
the tensors' type.

Matrix results are laid out column-major (strides ``1, m``: ``isContiguous()`` is false), as
LAPACK leaves them and Torch7 documents; a result tensor passed in is re-pointed to that layout
over its own storage.  ``pstrf``'s pivots are 0-based (Torch7: 1-based).
"""

from __future__ import annotations

import numpy as np

from .backend import copyto, to_host
from .dispatch import bad_args, prepare
from .tensor import Tensor, _fmt
from .types import tensor_class

_FLOAT = (np.dtype(np.float32), np.dtype(np.float64))


# ---- argument handling shared with ops_linalg2 -----------------------------------------------
def parse(fname: str, args: tuple, n_in: int, n_out: int, slots: tuple = (), out_types: tuple = ()):
    """Split ``([out...,] in..., options...)``; check the types; return (outs, ins, options).

    ``slots`` lists the options in order as (allowed letters, default) or (float, default); a
    given option fills the next slot that accepts it, as Torch7's wrapper matches them.
    """
    k = 0
    while k < len(args) and isinstance(args[k], Tensor):
        k += 1
    if k == n_in:
        outs = [None] * n_out
    elif k == n_in + n_out:
        outs = list(args[:n_out])
    else:
        raise bad_args(fname, args, f"{n_out} optional result tensor(s) then {n_in} input tensor(s)")
    ins = args[k - n_in:k]
    cls = type(ins[0])
    if cls._dtype not in _FLOAT:
        raise TypeError(f"{fname}: not defined for {cls._typename} (only for Float and Double tensors)")
    for t in ins[1:]:
        if type(t) is not cls:
            raise TypeError(f"{fname}: all tensors must have the same type, got {cls._typename} and {t._typename}")
    for i, t in enumerate(outs):
        want = out_types[i] if i < len(out_types) and out_types[i] else cls._typename
        if t is not None and t._typename != want:
            raise TypeError(f"{fname}: result tensor {i} must be a {want}, got {t._typename}")
    opts = [d for _, d in slots]
    pos = 0
    for v in args[k:]:
        for j in range(pos, len(slots)):
            allowed = slots[j][0]
            if allowed is float:
                if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
                    opts[j] = float(v)
                    break
            elif isinstance(v, str) and v[:1].upper() in allowed and v:
                opts[j] = v[0].upper()
                break
        else:
            names = " then ".join("a number" if a is float else "|".join(repr(c) for c in a) for a, _ in slots)
            raise TypeError(f"{fname}: invalid option {v!r} (the options are, in order: {names or 'none'})")
        pos = j + 1
    return outs, ins, opts


def matrix(t: Tensor, fname: str, what: str, square: bool = False) -> np.ndarray:
    """A float64 host copy of the 2-D tensor ``t`` (a copy, so results may overwrite the inputs; LAPACK work
    runs on the host for CUDA tensors too, and the results go back to their device)."""
    if t.nDimension() != 2:
        raise ValueError(f"{fname}: {what} should be a 2-D matrix, got size {_fmt(t.size())}")
    m, n = t._a.shape
    if square and m != n:
        raise ValueError(f"{fname}: {what} should be square, but is {m}x{n}")
    return np.array(to_host(t._a), dtype=np.float64)


def rhs(t: Tensor, rows: int, fname: str) -> np.ndarray:
    """The right-hand side B as an (rows, k) float64 copy; a 1-D B is one column, as in Torch7."""
    nd = t.nDimension()
    if nd not in (1, 2):
        raise ValueError(f"{fname}: B should have 1 or 2 dimensions, got size {_fmt(t.size())}")
    b = np.array(to_host(t._a), dtype=np.float64)
    if nd == 1:
        b = b.reshape(-1, 1)
    if b.shape[0] != rows:
        raise ValueError(f"{fname}: sizes do not match: A has {rows} rows but B is {_fmt(t.size())}")
    return b


def put_colmajor(cls: type, res: Tensor | None, arr: np.ndarray) -> Tensor:
    """``arr`` stored column-major (strides 1, m) in ``res`` (re-pointed if needed) or a new tensor."""
    m, n = arr.shape
    if res is None:
        buf = cls._xp.empty((n, m), cls._dtype)
        copyto(buf, arr.T)
        t = cls._new(buf)
        return cls._view(t._st(), buf.T)
    a = res._a
    isz = a.itemsize
    if not (a.shape == (m, n) and a.strides == (isz, m * isz)):
        res.resize(n, m)
        res._st()
        res._a = res._a.T
    copyto(res._a, arr)
    return res


def put(cls: type, res: Tensor | None, arr: np.ndarray) -> Tensor:
    """``arr`` written into ``res`` (resized, its layout kept when the size fits) or a new tensor."""
    out = prepare(res, cls, arr.shape)
    copyto(out._a, arr)
    return out


def trsolve(t: np.ndarray, b: np.ndarray, lower: bool) -> np.ndarray:
    """Solve ``t x = b`` for a triangular ``t`` (only its ``lower``/upper triangle is used).

    Recursive blocking keeps the work in matrix products; small diagonal blocks go to LAPACK's
    general solver, given an upper-triangular matrix (a lower one is reversed in both dims), on
    which it never pivots and amounts to back substitution: it cannot fail when the diagonal has
    no zero, which the callers check.
    """
    n = t.shape[0]
    if n <= 48:
        if lower:
            return np.linalg.solve(np.triu(t[::-1, ::-1]), b[::-1])[::-1]
        return np.linalg.solve(np.triu(t), b)
    h = n // 2
    if lower:
        x1 = trsolve(t[:h, :h], b[:h], True)
        x2 = trsolve(t[h:, h:], b[h:] - t[h:, :h] @ x1, True)
    else:
        x2 = trsolve(t[h:, h:], b[h:], False)
        x1 = trsolve(t[:h, :h], b[:h] - t[:h, h:] @ x2, False)
    return np.concatenate([x1, x2])


def zero_diagonal(t: np.ndarray, fname: str, what: str) -> None:
    """Raise if the triangular ``t`` has an exact zero on its diagonal (LAPACK's singularity test)."""
    d = np.flatnonzero(np.diagonal(t) == 0)
    if d.size:
        i = int(d[0])
        raise ValueError(f"{fname}: {what} ({t.shape[0]}x{t.shape[1]}) is singular: element [{i},{i}] of its "
                         "triangular factor is zero")


def symmetric(a: np.ndarray, uplo: str) -> np.ndarray:
    """The symmetric matrix LAPACK sees when only the ``uplo`` triangle of ``a`` is referenced."""
    tri = np.triu(a) if uplo == "U" else np.tril(a)
    return tri + np.tril(tri, -1).T if uplo == "L" else tri + np.triu(tri, 1).T


# ---- LU --------------------------------------------------------------------------------------
def lu_inplace(a: np.ndarray) -> np.ndarray:
    """Partial-pivoting LU of the tall (m >= n) ``a``, in place, LAPACK's getrf layout.

    On return ``a`` holds the unit lower factor L below the diagonal and U on and above it, for
    the rows of the input taken in the returned order (``A[perm] = L U``).  Recursive on columns
    (the left half, then the Schur complement of the right half), so the bulk is matrix products.
    """
    m, n = a.shape
    if n == 1:
        perm = np.arange(m)
        p = int(np.argmax(np.abs(a[:, 0])))
        if p:
            a[[0, p]] = a[[p, 0]]
            perm[[0, p]] = perm[[p, 0]]
        if a[0, 0] != 0:  # LAPACK leaves the column unscaled under a zero pivot
            a[1:, 0] /= a[0, 0]
        return perm
    h = n // 2
    perm = lu_inplace(a[:, :h])
    a[:, h:] = a[perm, h:]
    l11 = np.tril(a[:h, :h], -1) + np.eye(h)
    a[:h, h:] = trsolve(l11, a[:h, h:], True)
    a[h:, h:] -= a[h:, :h] @ a[:h, h:]
    perm2 = lu_inplace(a[h:, h:])
    a[h:, :h] = a[h:, :h][perm2]
    perm[h:] = perm[h:][perm2]
    return perm


# ---- the functions ---------------------------------------------------------------------------
def gesv(*args) -> tuple[Tensor, Tensor]:
    """Solve ``A X = B`` by LU: returns ``(X, LU)``; LU is LAPACK getrf's packed factors of A.

    LU holds the unit lower factor below the diagonal and U on and above it, for A's rows in the
    partial-pivoting order (the pivots themselves are not returned, as in Torch7). A 1-D B gives
    an n x 1 X.

    Args:
        [resb, resa,] B (n x k or n), A (n x n)

    Example:
        >>> import torch7 as torch
        >>> A = torch.Tensor([[2, 1], [1, 3]]); B = torch.Tensor([[3], [5]])
        >>> X, LU = torch.gesv(B, A)
        >>> [round(v, 6) for v in X.select(1, 0).totable()]
        [0.8, 1.4]
    """
    (resb, resa), (B, A), _ = parse("gesv", args, 2, 2)
    a = matrix(A, "gesv", "A", square=True)
    b = rhs(B, a.shape[0], "gesv")
    perm = lu_inplace(a)
    zero_diagonal(a, "gesv", "the matrix A")
    y = trsolve(np.tril(a, -1) + np.eye(a.shape[0]), b[perm], True)
    x = trsolve(a, y, False)
    cls = type(A)
    return put_colmajor(cls, resb, x), put_colmajor(cls, resa, a)


def trtrs(*args) -> tuple[Tensor, Tensor]:
    """Solve ``A X = B`` (or ``A^T X = B``) for a triangular A: returns ``(X, copy of A)``.

    Args:
        [resb, resa,] B, A [, 'U'|'L' (A's triangle, default 'U')] [, 'N'|'T' (transpose A)]
        [, 'N'|'U' (unit diagonal: the diagonal is taken as ones)]
    """
    (resb, resa), (B, A), (uplo, trans, diag) = parse(
        "trtrs", args, 2, 2, (("UL", "U"), ("NT", "N"), ("NU", "N")))
    a = matrix(A, "trtrs", "A", square=True)
    b = rhs(B, a.shape[0], "trtrs")
    t = np.triu(a) if uplo == "U" else np.tril(a)
    if diag == "U":
        np.fill_diagonal(t, 1.0)
    else:
        zero_diagonal(t, "trtrs", "the triangular matrix A")
    lower = uplo == "L"
    if trans == "T":
        t, lower = t.T, not lower
    x = trsolve(t, b, lower)
    cls = type(A)
    return put_colmajor(cls, resb, x), put_colmajor(cls, resa, a)


def inverse(*args) -> Tensor:
    """The inverse of a square matrix: ``torch.inverse([res,] x)``.

    Example:
        >>> import torch7 as torch
        >>> torch.inverse(torch.Tensor([[2, 0], [0, 4]])).totable()
        [[0.5, 0.0], [0.0, 0.25]]
    """
    (res,), (X,), _ = parse("inverse", args, 1, 1)
    a = matrix(X, "inverse", "the matrix", square=True)
    try:
        inv = np.linalg.inv(a)
    except np.linalg.LinAlgError:
        n = a.shape[0]
        raise ValueError(f"inverse: the matrix ({n}x{n}) is singular") from None
    return put_colmajor(type(X), res, inv)


def potrf(*args) -> Tensor:
    """Cholesky factor of a symmetric positive-definite A: U with ``A = U^T U`` ('U', the default)
    or L with ``A = L L^T`` ('L'); only that triangle of A is read, the other one of the result is 0.

    Example:
        >>> import torch7 as torch
        >>> torch.potrf(torch.Tensor([[4, 2], [2, 5]])).totable()
        [[2.0, 1.0], [0.0, 2.0]]
    """
    (res,), (A,), (uplo,) = parse("potrf", args, 1, 1, (("UL", "U"),))
    a = matrix(A, "potrf", "A", square=True)
    try:
        low = np.linalg.cholesky(symmetric(a, uplo))
    except np.linalg.LinAlgError:
        n = a.shape[0]
        raise ValueError(f"potrf: the matrix A ({n}x{n}) is not positive definite") from None
    return put_colmajor(type(A), res, low.T if uplo == "U" else low)


def potrs(*args) -> Tensor:
    """Solve ``A X = B`` given the Cholesky factor of A (upper by default; 'L' for lower).

    Args:
        [res,] B (n x k or n), chol (n x n) [, 'U'|'L']
    """
    (res,), (B, C), (uplo,) = parse("potrs", args, 2, 1, (("UL", "U"),))
    c = matrix(C, "potrs", "chol", square=True)
    b = rhs(B, c.shape[0], "potrs")
    zero_diagonal(c, "potrs", "the Cholesky factor")
    if uplo == "U":  # A = U^T U
        x = trsolve(c, trsolve(np.triu(c).T, b, True), False)
    else:  # A = L L^T
        x = trsolve(np.tril(c).T, trsolve(c, b, True), False)
    return put_colmajor(type(B), res, x)


def potri(*args) -> Tensor:
    """The inverse of A given its Cholesky factor (upper by default; 'L' for lower); the result
    is the full symmetric matrix."""
    (res,), (C,), (uplo,) = parse("potri", args, 1, 1, (("UL", "U"),))
    c = matrix(C, "potri", "chol", square=True)
    zero_diagonal(c, "potri", "the Cholesky factor")
    n = c.shape[0]
    if uplo == "U":
        ui = trsolve(c, np.eye(n), False)
        inv = ui @ ui.T
    else:
        li = trsolve(c, np.eye(n), True)
        inv = li.T @ li
    return put_colmajor(type(C), res, symmetric(inv, uplo))


def pstrf(*args) -> tuple[Tensor, Tensor]:
    """Cholesky with complete pivoting: returns ``(U, piv)`` with ``A[piv][:, piv] = U^T U``
    ('U', the default) or ``(L, piv)`` with ``A[piv][:, piv] = L L^T`` ('L').

    ``piv`` is a 0-based IntTensor (Torch7's was 1-based). ``tol`` (default -1: ``n * eps *
    max(diag(A))``) is the pivot below which A counts as rank deficient, which is an error, as
    in Torch7.

    Args:
        [res, piv,] A [, 'U'|'L'] [, tol]
    """
    (res, rpiv), (A,), (uplo, tol) = parse("pstrf", args, 1, 2, (("UL", "U"), (float, -1.0)),
                                           out_types=(None, "torch.IntTensor"))
    s = symmetric(matrix(A, "pstrf", "A", square=True), uplo)
    n = s.shape[0]
    r = np.zeros((n, n))
    piv = np.arange(n)
    dmax = float(np.max(np.diagonal(s)))
    stop = n * np.finfo(type(A)._dtype).eps * dmax if tol < 0 else tol
    for j in range(n):
        # The pivot is the largest diagonal entry of the remaining Schur complement.
        p = j + int(np.argmax(np.diagonal(s)[j:]))
        d = s[p, p]
        if not d > stop:
            raise ValueError(f"pstrf: the matrix A ({n}x{n}) is rank deficient or not positive semidefinite "
                             f"(pivot {j} is {d:.6g}, tolerance {stop:.6g})")
        if p != j:
            s[[j, p]] = s[[p, j]]
            s[:, [j, p]] = s[:, [p, j]]
            r[:j, [j, p]] = r[:j, [p, j]]
            piv[[j, p]] = piv[[p, j]]
        rjj = np.sqrt(d)
        r[j, j] = rjj
        r[j, j + 1:] = s[j, j + 1:] / rjj
        s[j + 1:, j + 1:] -= np.outer(r[j, j + 1:], r[j, j + 1:])
    cls = type(A)
    out = put_colmajor(cls, res, r if uplo == "U" else r.T)
    return out, put(tensor_class("torch.IntTensor"), rpiv, piv)


FUNCTIONS = {
    "gesv": gesv, "trtrs": trtrs, "inverse": inverse, "potrf": potrf, "potrs": potrs,
    "potri": potri, "pstrf": pstrf,
}
