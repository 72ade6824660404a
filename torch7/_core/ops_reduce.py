"""Reductions: sum, prod, mean, var, std, max, min over all elements or over one dim; trace, numel.

Torch7 semantics (reference torch7-core.md §2.0 items 1-4):

* without a dim the result is a Python number, Torch7's ``accreal``: an ``int`` for integer
  tensors, a ``float`` for floating ones (max/min return the element itself, same rule);
* with a dim (0-based, negative counts from the end) the result is a new tensor of the input's
  type that keeps the dim with size 1; ``torch.f(res, x, dim)`` and ``res.f(x, dim)`` write into
  ``res`` (resized) and return it;
* ``max``/``min`` over a dim return ``(values, indices)``, the indices a 0-based LongTensor that
  points at the first extreme value of each slice; a NaN counts as the extreme, as in Torch7;
* the method forms are not in place: ``x.sum(1)`` is ``torch.sum(x, 1)``.

``mean``, ``var`` and ``std`` exist for Float/Double tensors only.  The helpers at the top are
shared by the other dimension-wise families (ops_norm, ops_dimwise, ops_sort).
"""

from __future__ import annotations

import numpy as np

from .backend import ascontig
from .dispatch import bad_args, prepare
from .fastsum import BLAS_MIN, sum_all, sum_dim
from .tensor import Tensor, _fmt

# Below this many elements, max+argmax beats argmax+take_along_axis (the latter has a fixed cost).
_SMALL = 4096


# ---- helpers shared by the dimension-wise families -------------------------------------------------
def check_dim(x: Tensor, dim, fname: str) -> int:
    """``dim`` (0-based, negative from the end) validated against ``x``; returns it non-negative."""
    if type(dim) is not int:
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"{fname}: the dimension must be an integer, got {type(dim).__name__}")
        dim = int(dim)
    a = x._a
    nd = a.ndim if a.size else 0
    d = dim + nd if dim < 0 else dim
    if not 0 <= d < nd:
        raise IndexError(f"{fname}: dimension {dim} out of range for a {nd}-D tensor of size {_fmt(x.size())}")
    return d


def check_tensor(x, fname: str, expected: str) -> None:
    if not isinstance(x, Tensor):
        raise bad_args(fname, (x,), expected)


def float_only(x: Tensor, fname: str) -> None:
    if not x._is_float:
        raise TypeError(f"{fname}: not defined for {x._typename} (use a Float or Double tensor)")


def check_res(res, cls: type, fname: str) -> None:
    """Torch7 writes results only into a tensor of the expected type."""
    if type(res) is not cls:
        what = res._typename if isinstance(res, Tensor) else type(res).__name__
        raise TypeError(f"{fname}: the result tensor must be a {cls._typename}, got a {what}")


def store(res: Tensor | None, cls: type, arr: np.ndarray, fname: str) -> Tensor:
    """``arr`` as a new tensor of ``cls``, or copied into ``res`` (resized) when given."""
    if res is None:
        if arr.dtype != cls._dtype:
            return cls._new(arr.astype(cls._dtype, order="C"))
        return cls._new(arr if arr.flags.c_contiguous else ascontig(arr))
    check_res(res, cls, fname)
    prepare(res, cls, arr.shape)
    np.copyto(res._a, arr, casting="unsafe")
    return res


def kept(shape: tuple, d: int, n: int = 1) -> tuple:
    """``shape`` with dim ``d`` set to ``n``."""
    return shape[:d] + (n,) + shape[d + 1:]


def number(v, x: Tensor):
    """A NumPy scalar as the Python number Torch7 returns (float for float tensors, else int)."""
    return float(v) if x._is_float else int(v)


# ---- sum / prod ------------------------------------------------------------------------------

def _all(x, ufunc, fname: str):
    check_tensor(x, fname, "([res,] tensor [, dim])")
    a = x._a
    if x._is_float:
        if ufunc is np.add and a.size >= BLAS_MIN and a.flags.c_contiguous and a.dtype.itemsize >= 4:
            return sum_all(a)
        # Contiguous float32 data is summed pairwise in float32 (accurate and fast); strided data
        # and products accumulate in float64, Torch7's accreal, to keep the error (or overflow) away.
        dt = a.dtype if ufunc is np.add and a.flags.c_contiguous else np.float64
        return float(ufunc.reduce(a, axis=None, dtype=dt))
    return int(ufunc.reduce(a, axis=None, dtype=np.int64))


def _dimwise(ufunc, fname: str):
    def fn(a, b=None, c=None):
        if b is None:
            if c is None:
                return _all(a, ufunc, fname)
            raise bad_args(fname, (a, b, c), "([res,] tensor [, dim])")
        if c is None:
            res, x, dim = None, a, b
        else:
            res, x, dim = a, b, c
        if not isinstance(x, Tensor):
            raise bad_args(fname, (a, b) if c is None else (a, b, c), "([res,] tensor [, dim])")
        arr = x._a
        if type(dim) is int and arr.size:
            nd = arr.ndim
            d = dim + nd if dim < 0 else dim
            if not 0 <= d < nd:
                d = check_dim(x, dim, fname)
        else:
            d = check_dim(x, dim, fname)
        dt = arr.dtype
        if (ufunc is np.add and arr.size >= BLAS_MIN and dt.kind == "f" and dt.itemsize >= 4
                and arr.flags.c_contiguous):
            return store(res, type(x), sum_dim(arr, d), fname)
        if res is None:
            r = ufunc.reduce(arr, d, dt, None, True)
            return type(x)._new(r if r.flags.c_contiguous else ascontig(r))
        check_res(res, type(x), fname)
        prepare(res, type(x), arr.shape[:d] + (1,) + arr.shape[d + 1:])
        ufunc.reduce(arr, d, dt, res._a, True)
        return res

    return fn


sum_ = _dimwise(np.add, "sum")
sum_.__name__ = "sum"
sum_.__doc__ = """Sum of all elements (a number), or over ``dim`` (a tensor keeping ``dim`` with size 1).

    Forms: ``torch.sum(x)``, ``torch.sum([res,] x, dim)``, ``x.sum([dim])``, ``res.sum(x, dim)``.
    Integer tensors sum into an ``int`` (no overflow for the number form); over a dim the result
    has the input's type and wraps as Torch7's C code does.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2], [3, 4]])
        >>> x.sum(), x.sum(0).tolist(), torch.sum(x, -1).tolist()
        (10.0, [[4.0, 6.0]], [[3.0], [7.0]])
    """

prod = _dimwise(np.multiply, "prod")
prod.__name__ = "prod"
prod.__doc__ = """Product of all elements (a number), or over ``dim`` (keeping it with size 1).

    Forms as ``sum``: ``torch.prod([res,] x [, dim])``, ``x.prod([dim])``.

    Example:
        >>> import torch7 as torch
        >>> torch.prod(torch.Tensor([[1, 2], [3, 4]]), 1).tolist()
        [[2.0], [12.0]]
    """


# ---- max / min -------------------------------------------------------------------------------
def _extreme(name: str, is_max: bool):
    red, npfn, meth = (np.maximum, np.max, "argmax") if is_max else (np.minimum, np.min, "argmin")
    arg = getattr(np.ndarray, meth)  # the C method: no Python wrapper
    expected = "([resval, resind,] tensor [, dim])"

    def fn(a, b=None, c=None, d=None):
        if b is None:
            check_tensor(a, name, expected)
            if a._a.size == 0:
                raise ValueError(f"{name}: the tensor is empty")
            if a._is_cuda:  # CuPy has no ufunc.reduce for maximum/minimum
                return number(npfn(a._a), a)
            return number(red.reduce(a._a, axis=None), a)
        if c is None:
            resv = resi = None
            x, dim = a, b
        elif d is not None:
            resv, resi, x, dim = a, b, c, d
        else:
            raise bad_args(name, (a, b, c), expected)
        if not isinstance(x, Tensor):
            raise bad_args(name, (x, dim), expected)
        arr = x._a
        nd = arr.ndim
        if type(dim) is int and arr.size and -nd <= dim < nd:
            dd = dim + nd if dim < 0 else dim
        else:
            dd = check_dim(x, dim, name)
        # NaN: np.maximum propagates it and argmax points at the first one, as Torch7 does.
        if x._is_cuda:  # CuPy: no unbound C methods, no maximum.reduce
            idx = getattr(arr, meth)(dd, keepdims=True)
            vals = np.take_along_axis(arr, idx, dd)
        else:
            idx = arg(arr, dd, None, keepdims=True)
            vals = red.reduce(arr, dd, None, None, True) if arr.size <= _SMALL else np.take_along_axis(arr, idx, dd)
        if resv is None:
            return (type(x)._new(vals if vals.flags.c_contiguous else ascontig(vals)),
                    x._long_cls._new(idx if idx.dtype == np.int64 else idx.astype(np.int64)))
        check_res(resv, type(x), name)
        check_res(resi, x._long_cls, name)
        store(resv, type(x), vals, name)
        store(resi, x._long_cls, idx, name)
        return resv, resi

    fn.__name__ = name
    return fn


max_ = _extreme("max", True)
max_.__doc__ = """Largest element (a number), or ``(values, indices)`` over ``dim``.

    Forms: ``torch.max(x)``, ``torch.max([resval, resind,] x, dim)``, ``x.max([dim])``,
    ``resval.max(resind, x, dim)``.  The indices are a 0-based LongTensor, the first maximum of
    each slice; both results keep ``dim`` with size 1.  (Element-wise maxima are ``cmax``.)

    Example:
        >>> import torch7 as torch
        >>> v, i = torch.max(torch.Tensor([[1, 5, 5], [7, 0, 2]]), 1)
        >>> v.tolist(), i.tolist()
        ([[5.0], [7.0]], [[1], [0]])
    """

min_ = _extreme("min", False)
min_.__doc__ = """Smallest element (a number), or ``(values, indices)`` over ``dim`` (see ``max``).

    Example:
        >>> import torch7 as torch
        >>> torch.min(torch.Tensor([3, 1, 1])), torch.Tensor([3, 1, 1]).min(0)[1].tolist()
        (1.0, [1])
    """


# ---- mean / var / std ------------------------------------------------------------------------
def _split_res(args: tuple, fname: str, expected: str) -> tuple:
    """``(res, x, rest)`` from ``([res,] x, rest...)``: a second tensor argument means res-first."""
    if len(args) >= 2 and isinstance(args[1], Tensor):
        if not isinstance(args[0], Tensor):
            raise bad_args(fname, args, expected)
        return args[0], args[1], args[2:]
    if not args or not isinstance(args[0], Tensor):
        raise bad_args(fname, args, expected)
    return None, args[0], args[1:]


def _acc(a: np.ndarray) -> np.dtype | None:
    # float32 statistics accumulate in float64 (Torch7's accreal); the result is cast back.
    return np.float64 if a.dtype != np.float64 else None


def mean(*args) -> float | Tensor:
    """Mean of all elements (a float), or over ``dim`` (a tensor keeping it); Float/Double only.

    Forms: ``torch.mean(x)``, ``torch.mean([res,] x, dim)``, ``x.mean([dim])``, ``res.mean(x, dim)``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2], [3, 6]])
        >>> x.mean(), x.mean(1).tolist()
        (3.0, [[1.5], [4.5]])
    """
    expected = "([res,] tensor [, dim])"
    res, x, rest = _split_res(args, "mean", expected)
    float_only(x, "mean")
    a = x._a
    if not rest and res is None:
        if a.size == 0:
            raise ValueError("mean: the tensor is empty")
        if a.size >= BLAS_MIN and a.flags.c_contiguous and type(a) is np.ndarray:
            return sum_all(a) / a.size
        return float(np.add.reduce(a, axis=None, dtype=np.float64) / a.size)
    if len(rest) != 1:
        raise bad_args("mean", args, expected)
    d = check_dim(x, rest[0], "mean")
    return store(res, type(x), np.mean(a, axis=d, dtype=_acc(a), keepdims=True), "mean")


def _moment(name: str, take_sqrt: bool):
    expected = "([res,] tensor [, dim] [, flag])"

    def fn(*args):
        res, x, rest = _split_res(args, name, expected)
        float_only(x, name)
        flag = False
        if rest and isinstance(rest[-1], (bool, np.bool_)):
            flag = bool(rest[-1])
            rest = rest[:-1]
        a = x._a
        # flag false (the default) normalises by n-1, true by n; n-1 = 0 gives NaN as in Torch7.
        ddof = 0 if flag else 1
        if not rest and res is None:
            if a.size == 0:
                raise ValueError(f"{name}: the tensor is empty")
            with np.errstate(divide="ignore", invalid="ignore"):
                v = float(np.var(a, dtype=np.float64, ddof=ddof)) if a.size > ddof else float("nan")
            return float(np.sqrt(v)) if take_sqrt else v
        if len(rest) != 1:
            raise bad_args(name, args, expected)
        d = check_dim(x, rest[0], name)
        with np.errstate(divide="ignore", invalid="ignore"):
            if a.shape[d] > ddof:
                r = np.var(a, axis=d, dtype=_acc(a), ddof=ddof, keepdims=True)
            else:
                r = np.full(kept(a.shape, d), np.nan)
            if take_sqrt:
                r = np.sqrt(r)
        return store(res, type(x), r.astype(a.dtype, copy=False), name)

    fn.__name__ = name
    return fn


var = _moment("var", False)
var.__doc__ = """Variance of all elements (a float), or over ``dim``; Float/Double only.

    Forms: ``torch.var([res,] x [, dim] [, flag])``, ``x.var([dim] [, flag])``.  With ``flag``
    False (the default) the sum of squares is divided by n-1, with True by n.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([1, 2, 3, 4])
        >>> x.var(), x.var(True), x.var(0).tolist()
        (1.6666666666666667, 1.25, [1.6666666666666667])
    """

std = _moment("std", True)
std.__doc__ = """Standard deviation of all elements (a float), or over ``dim``; see ``var``.

    Example:
        >>> import torch7 as torch
        >>> torch.std(torch.Tensor([[1, 3], [5, 5]]), 1, True).tolist()
        [[1.0], [0.0]]
    """


# ---- trace / numel ---------------------------------------------------------------------------
def trace(x: Tensor) -> int | float:
    """Sum of the diagonal of a 2-D tensor (a number).

    Example:
        >>> import torch7 as torch
        >>> torch.Tensor([[1, 2, 3], [4, 5, 6]]).trace()
        6.0
    """
    check_tensor(x, "trace", "(tensor)")
    a = x._a
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"trace: expected a 2-D tensor, got size {_fmt(x.size())}")
    return number(np.trace(a, dtype=np.float64 if x._is_float else np.int64), x)


def numel(x: Tensor) -> int:
    """Number of elements of ``x`` (``x.nElement()``)."""
    check_tensor(x, "numel", "(tensor)")
    return x._a.size


_BOTH = {"sum": sum_, "prod": prod, "max": max_, "min": min_, "mean": mean, "var": var, "std": std,
         "trace": trace}
METHODS = dict(_BOTH)
FUNCTIONS = dict(_BOTH, numel=numel)
