"""Norms: norm, dist and renorm (Torch7's matrix-wide family; Float/Double tensors only).

* ``torch.norm(x [, p=2])`` is a number; ``torch.norm([res,] x, p, dim)`` a tensor keeping ``dim``
  with size 1.  ``p = 0`` counts the non-zero elements; ``p = inf`` (not in Torch7) is the
  largest absolute value.
* ``torch.dist(x, y [, p=2])`` is the p-norm of ``x - y`` (a number).
* ``torch.renorm([res,] x, p, dim, maxnorm)`` scales every sub-tensor ``x.select(dim, i)`` whose
  p-norm exceeds ``maxnorm`` by ``maxnorm / (norm + 1e-7)``, as Torch7 does; the others are copied.
  As a method it works in place: ``x.renorm(p, dim, maxnorm)``.

Sums are accumulated in float64 (Torch7's accreal) and cast back to the tensor's type.
"""

from __future__ import annotations

import numpy as np

from . import blaspool
from .blaspool import MIN_BYTES as POOL_MIN
from .dispatch import bad_args, bshape, is_number, operand, prepare
from .ops_reduce import check_dim, check_res, float_only, store
from .tensor import Tensor, _fmt


def _pnorm(a: np.ndarray, p: float, axis, keepdims: bool = False):
    """The p-norm of ``a`` over ``axis`` in float64 (a scalar when ``axis`` is None)."""
    if p == 0:
        return np.count_nonzero(a, axis=axis, keepdims=keepdims).astype(np.float64)
    if axis is None and a.nbytes >= POOL_MIN and p in (1.0, 2.0):  # OpenBLAS's threads, float64 lanes
        r = blaspool.reduce("sumabs" if p == 1 else "sumsq", a)
        if r is not None:
            return np.float64(r) if p == 1 else np.sqrt(np.float64(r))
    ab = np.abs(a, dtype=np.float64)
    if p == 1:
        return np.add.reduce(ab, axis=axis, keepdims=keepdims)
    if p == 2:
        ab *= ab
        return np.sqrt(np.add.reduce(ab, axis=axis, keepdims=keepdims))
    if p == np.inf:
        return np.maximum.reduce(ab, axis=axis, keepdims=keepdims, initial=0.0)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return np.add.reduce(ab ** p, axis=axis, keepdims=keepdims) ** (1.0 / p)


def _p(p, fname: str) -> float:
    if not is_number(p) or isinstance(p, bool):
        raise TypeError(f"{fname}: p must be a number, got {type(p).__name__}")
    return float(p)


def norm(*args) -> float | Tensor:
    """The p-norm of all elements (a number), or over ``dim`` (a tensor keeping it); Float/Double only.

    Forms: ``torch.norm(x [, p=2])``, ``torch.norm([res,] x, p, dim)``, ``x.norm([p [, dim]])``,
    ``res.norm(x, p, dim)``.  ``p = 0`` counts the non-zero elements.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[3, 4], [0, 1]])
        >>> x.norm(), x.norm(1), x.norm(0), x.norm(2, 1).tolist()
        (5.0990195135927845, 8.0, 3.0, [[5.0], [1.0]])
    """
    expected = "([res,] tensor [, p [, dim]])"
    if len(args) >= 2 and isinstance(args[1], Tensor):
        res, x, rest = args[0], args[1], args[2:]
        check_res(res, type(x), "norm")
        if len(rest) != 2:
            raise bad_args("norm", args, "(res, tensor, p, dim)")
    elif args and isinstance(args[0], Tensor):
        res, x, rest = None, args[0], args[1:]
    else:
        raise bad_args("norm", args, expected)
    float_only(x, "norm")
    if len(rest) > 2:
        raise bad_args("norm", args, expected)
    p = _p(rest[0], "norm") if rest else 2.0
    a = x._a
    if len(rest) < 2:
        return float(_pnorm(a, p, None))
    d = check_dim(x, rest[1], "norm")
    return store(res, type(x), _pnorm(a, p, d, keepdims=True), "norm")


def dist(x: Tensor, y: Tensor, p=2) -> float:
    """The p-norm of ``x - y`` (a number); Float/Double only.

    Example:
        >>> import torch7 as torch
        >>> torch.dist(torch.Tensor([1, 2, 3]), torch.Tensor([1, 5, 7]))
        5.0
    """
    if not isinstance(x, Tensor) or not isinstance(y, Tensor):
        raise bad_args("dist", (x, y), "(tensor, tensor [, p])")
    float_only(x, "dist")
    float_only(y, "dist")
    p = _p(p, "dist")
    a, b = x._a, y._a
    shape = bshape(a, b, "dist")
    diff = np.subtract(a, operand(b, shape), dtype=np.float64)
    return float(_pnorm(diff, p, None))


def _renorm_array(x: Tensor, p, dim, maxnorm, fname: str) -> tuple[np.ndarray, np.ndarray]:
    """(source array, per-slice scale shaped to broadcast along ``dim``) for renorm."""
    float_only(x, fname)
    p = _p(p, fname)
    if not is_number(maxnorm) or isinstance(maxnorm, bool):
        raise TypeError(f"{fname}: maxnorm must be a number, got {type(maxnorm).__name__}")
    if p <= 0:
        raise ValueError(f"{fname}: p must be positive (got {p:g}); non-positive norms are not supported")
    a = x._a
    if a.size == 0 or a.ndim < 2:
        raise ValueError(f"{fname}: need at least 2 dimensions, got a tensor of size {_fmt(x.size())}")
    d = check_dim(x, dim, fname)
    others = tuple(i for i in range(a.ndim) if i != d)
    norms = _pnorm(a, p, others, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return a, scale.astype(a.dtype)


def renorm(*args) -> Tensor:
    """Sub-tensors ``x.select(dim, i)`` with a p-norm above ``maxnorm`` scaled down to ``maxnorm``.

    Forms: ``torch.renorm([res,] x, p, dim, maxnorm)`` (a new tensor, or into ``res``);
    ``x.renorm(p, dim, maxnorm)`` works in place and ``res.renorm(x, p, dim, maxnorm)`` writes into res.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[3, 4], [0.3, 0.4]])
        >>> [round(v, 4) for v in torch.renorm(x, 2, 0, 1).view(4).tolist()]
        [0.6, 0.8, 0.3, 0.4]
    """
    if len(args) == 5 and isinstance(args[0], Tensor) and isinstance(args[1], Tensor):
        res, x, p, dim, maxnorm = args
        check_res(res, type(x), "renorm")
    elif len(args) == 4 and isinstance(args[0], Tensor):
        res = None
        x, p, dim, maxnorm = args
    else:
        raise bad_args("renorm", args, "([res,] tensor, p, dim, maxnorm)")
    a, scale = _renorm_array(x, p, dim, maxnorm, "renorm")
    if res is None:
        return type(x)._new(np.multiply(a, scale, out=np.empty(a.shape, a.dtype)))
    prepare(res, type(x), a.shape)
    np.multiply(a, scale, out=res._a)
    return res


def _renorm_method(self: Tensor, *args) -> Tensor:
    """In place: ``x.renorm(p, dim, maxnorm)``; ``res.renorm(x, p, dim, maxnorm)`` writes into res."""
    if args and isinstance(args[0], Tensor):
        return renorm(self, *args)
    if len(args) != 3:
        raise bad_args("renorm", args, "(p, dim, maxnorm) or (tensor, p, dim, maxnorm)")
    return renorm(self, self, *args)


METHODS = {"norm": norm, "dist": dist, "renorm": _renorm_method}
FUNCTIONS = {"norm": norm, "dist": dist, "renorm": renorm}
