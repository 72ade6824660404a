"""Dimension-wise functions that keep the dim's length: cumsum, cumprod, cross; and histograms.

* ``torch.cumsum([res,] x [, dim=0])`` and ``cumprod``: running sum/product along ``dim`` (Torch7's
  default, the first dim, is 0 here).  Integer tensors wrap as Torch7's C code does.
* ``torch.cross([res,] a, b [, dim])``: cross product along ``dim``, by default the first dim of
  size 3; ``a`` and ``b`` must have the same size.
* ``torch.histc([res,] x [, nbins=100 [, min=0 [, max=0]]])``: histogram of all elements, a
  tensor of ``x``'s type.  ``min == max`` means the data's min and max; values outside the range are
  ignored; the top edge falls into the last bin.  ``bhistc`` does the same for each row of a 2-D
  tensor (one range for the whole tensor) and returns ``rows x nbins``.  Float/Double only.

As in Torch7, the method forms are not in place: ``x.cumsum(1)`` is ``torch.cumsum(x, 1)``.
"""

from __future__ import annotations

import numpy as np

from .backend import xp
from .dispatch import bad_args, is_number
from .ops_reduce import check_dim, check_res, float_only, store
from .tensor import Tensor, _fmt


def _split(args: tuple, ntensors: int, fname: str, expected: str) -> tuple:
    """``(res, tensors, rest)`` from ``([res,] t1..tn, rest...)``."""
    k = 0
    while k < len(args) and isinstance(args[k], Tensor):
        k += 1
    if k == ntensors + 1:
        res, ts = args[0], args[1:k]
    elif k == ntensors:
        res, ts = None, args[:k]
    else:
        raise bad_args(fname, args, expected)
    return res, ts, args[k:]


def _scan(name: str, ufunc):
    expected = "([res,] tensor [, dim])"

    def fn(*args):
        res, (x,), rest = _split(args, 1, name, expected)
        if len(rest) > 1:
            raise bad_args(name, args, expected)
        if res is not None:
            check_res(res, type(x), name)
        d = check_dim(x, rest[0] if rest else 0, name)
        a = x._a
        # float32 accumulates in float64 (Torch7's accreal); integers wrap at their own width,
        # which gives the same result as Torch7's long accumulator cast back to the type.
        acc = np.float64 if a.dtype == np.float32 else a.dtype
        return store(res, type(x), ufunc.accumulate(a, axis=d, dtype=acc), name)

    fn.__name__ = name
    return fn


cumsum = _scan("cumsum", np.add)
cumsum.__doc__ = """Cumulative sum along ``dim`` (default 0); a new tensor, or written into ``res``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2], [3, 4]])
        >>> torch.cumsum(x).tolist(), x.cumsum(1).tolist()
        ([[1.0, 2.0], [4.0, 6.0]], [[1.0, 3.0], [3.0, 7.0]])
    """

cumprod = _scan("cumprod", np.multiply)
cumprod.__doc__ = """Cumulative product along ``dim`` (default 0); a new tensor, or written into ``res``.

    Example:
        >>> import torch7 as torch
        >>> torch.LongTensor([1, 2, 3, 4]).cumprod().tolist()
        [1, 2, 6, 24]
    """


def cross(*args) -> Tensor:
    """Cross product of ``a`` and ``b`` along ``dim`` (default: the first dim of size 3).

    Forms: ``torch.cross([res,] a, b [, dim])``, ``a.cross(b [, dim])`` (a new tensor),
    ``res.cross(a, b [, dim])``.

    Example:
        >>> import torch7 as torch
        >>> torch.cross(torch.Tensor([1, 0, 0]), torch.Tensor([0, 1, 0])).tolist()
        [0.0, 0.0, 1.0]
    """
    expected = "([res,] tensor, tensor [, dim])"
    res, (a, b), rest = _split(args, 2, "cross", expected)
    if len(rest) > 1:
        raise bad_args("cross", args, expected)
    if type(a) is not type(b):
        raise TypeError(f"cross: both tensors must have the same type, got {a._typename} and {b._typename}")
    if res is not None:
        check_res(res, type(a), "cross")
    x, y = a._a, b._a
    if x.shape != y.shape or x.size == 0:
        raise ValueError(f"cross: inconsistent tensor sizes {_fmt(a.size())} and {_fmt(b.size())}")
    if rest and rest[0] is not None:
        d = check_dim(a, rest[0], "cross")
        if x.shape[d] != 3:
            raise ValueError(f"cross: dimension {rest[0]} of the tensors of size {_fmt(a.size())} does not have size 3")
    else:
        if 3 not in x.shape:
            raise ValueError(f"cross: no dimension of size 3 in the tensors of size {_fmt(a.size())}")
        d = x.shape.index(3)
    # Slices (not np.take) keep arrays even for 1-D inputs: integer overflow then wraps silently as in C.
    pre = (slice(None),) * d
    x0, x1, x2 = (x[pre + (slice(i, i + 1),)] for i in range(3))
    y0, y1, y2 = (y[pre + (slice(i, i + 1),)] for i in range(3))
    out = np.concatenate([x1 * y2 - x2 * y1, x2 * y0 - x0 * y2, x0 * y1 - x1 * y0], axis=d)
    return store(res, type(a), out, "cross")


# ---- histograms ------------------------------------------------------------------------------
def _hist_args(args: tuple, fname: str, expected: str) -> tuple:
    res, (x,), rest = _split(args, 1, fname, expected)
    float_only(x, fname)
    if res is not None:
        check_res(res, type(x), fname)
    if len(rest) > 3 or not all(is_number(v) and not isinstance(v, bool) for v in rest):
        raise bad_args(fname, args, expected)
    nbins = rest[0] if rest else 100
    if not np.isfinite(nbins) or int(nbins) != nbins or nbins <= 0:
        raise ValueError(f"{fname}: the number of bins must be a positive integer, got {nbins}")
    lo = rest[1] if len(rest) > 1 else 0
    hi = rest[2] if len(rest) > 2 else 0
    return res, x, int(nbins), lo, hi


def _bins(x: Tensor, nbins: int, lo, hi, fname: str) -> tuple[np.ndarray, np.ndarray]:
    """(bin of each element, mask of the elements inside the range), both shaped like ``x``.

    The arithmetic is done in the tensor's own precision, as Torch7's C code does, so that values
    on bin edges land in the same bin.
    """
    a = x._a
    real = a.dtype.type
    lo, hi = real(lo), real(hi)
    if lo == hi:
        if a.size == 0:
            raise ValueError(f"{fname}: the tensor is empty and no range [min, max] was given")
        lo, hi = np.minimum.reduce(a, axis=None), np.maximum.reduce(a, axis=None)
        if lo == hi:
            lo, hi = lo - real(1), hi + real(1)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        inside = (a >= lo) & (a <= hi)
        pos = (a - lo) / (hi - lo) * real(nbins)
        bins = np.where(inside, pos, 0).astype(np.int64)
    np.minimum(bins, nbins - 1, out=bins)
    return bins, inside


def histc(*args) -> Tensor:
    """Histogram of the elements of ``x`` in ``nbins`` equal bins over ``[min, max]``; Float/Double only.

    Forms: ``torch.histc([res,] x [, nbins=100 [, min=0 [, max=0]]])``, ``x.histc(...)``.
    ``min == max`` (the default) uses the smallest and largest element.

    Example:
        >>> import torch7 as torch
        >>> torch.histc(torch.Tensor([1, 2, 1, 4, 9]), 4, 0, 8).tolist()
        [2.0, 1.0, 1.0, 0.0]
    """
    res, x, nbins, lo, hi = _hist_args(args, "histc", "([res,] tensor [, nbins [, min, max]])")
    a = x._a
    if a.size == 0:
        hist = np.zeros(nbins, a.dtype)
    else:
        bins, inside = _bins(x, nbins, lo, hi, "histc")
        hist = np.bincount(bins[inside], minlength=nbins)
    return store(res, type(x), hist, "histc")


def bhistc(*args) -> Tensor:
    """One histogram per row of a 2-D tensor: a ``rows x nbins`` tensor; Float/Double only.

    Forms: ``torch.bhistc([res,] x [, nbins=100 [, min=0 [, max=0]]])``.  The range (given, or
    the min and max of the whole tensor) is shared by all rows.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[2, 4, 2, 2, 5, 4], [3, 5, 1, 5, 3, 5]])
        >>> torch.bhistc(x, 5, 1, 5).tolist()
        [[0.0, 3.0, 0.0, 2.0, 1.0], [1.0, 0.0, 2.0, 0.0, 3.0]]
    """
    res, x, nbins, lo, hi = _hist_args(args, "bhistc", "([res,] tensor [, nbins [, min, max]])")
    a = x._a
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"bhistc: expected a 2-D tensor, got size {_fmt(x.size())}")
    rows = a.shape[0]
    bins, inside = _bins(x, nbins, lo, hi, "bhistc")
    bins += xp(bins).arange(rows)[:, None] * nbins
    hist = np.bincount(bins[inside], minlength=rows * nbins).reshape(rows, nbins)
    return store(res, type(x), hist, "bhistc")


_ALL = {"cumsum": cumsum, "cumprod": cumprod, "cross": cross, "histc": histc, "bhistc": bhistc}
METHODS = dict(_ALL)
FUNCTIONS = dict(_ALL)
