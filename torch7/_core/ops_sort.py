"""Sorting and order statistics: sort, topk, kthvalue, mode, median.

Each returns ``(values, indices)``, the indices a 0-based LongTensor, and takes the optional
result pair first: ``torch.sort([resval, resind,] x ...)``, ``resval.sort(resind, x ...)``.
The dim defaults to the last one.  kthvalue, mode and median keep the dim with size 1 even when
no dim is given (unlike max and min, they never return a number), topk keeps it with size k.

Torch7's quicksort is not stable; this one is (equal elements keep their order, in both
directions), so ties are resolved the same way on every call:

* ``sort``/``topk``: among equal values the lower index comes first;
* ``kthvalue``/``median``: the index is that of one element equal to the value;
* ``mode``: the most frequent value, the smallest one on a tie of frequencies (as Torch7), with
  the index of its last occurrence.

NaN sorts as larger than every number.  ``kthvalue(x, k)`` keeps Torch7's ``k``: a count, 1 is
the smallest element (it is not an index).  The method forms are not in place.
"""

from __future__ import annotations

import numpy as np

from .backend import xp
from .dispatch import bad_args
from .ops_reduce import check_dim, check_res, store
from .tensor import Tensor, _fmt


def _split2(args: tuple, fname: str, expected: str) -> tuple:
    """``(resval, resind, x, rest)`` from ``([resval, resind,] x, rest...)``."""
    if len(args) >= 3 and isinstance(args[0], Tensor) and isinstance(args[1], Tensor) and isinstance(args[2], Tensor):
        resv, resi, x = args[:3]
        check_res(resv, type(x), fname)
        check_res(resi, x._long_cls, fname)
        return resv, resi, x, list(args[3:])
    if args and isinstance(args[0], Tensor) and not (len(args) > 1 and isinstance(args[1], Tensor)):
        return None, None, args[0], list(args[1:])
    raise bad_args(fname, args, expected)


def _is_bool(v) -> bool:
    return isinstance(v, (bool, np.bool_))


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not _is_bool(v)


def _take_dim(rest: list, x: Tensor, fname: str) -> int:
    """Pop an optional dim (an int, or None for the default) off ``rest``; the last dim by default."""
    if rest and (rest[0] is None or _is_int(rest[0])):
        dim = rest.pop(0)
        if dim is not None:
            return check_dim(x, dim, fname)
    return check_dim(x, -1, fname)


def _take_k(rest: list, fname: str) -> int:
    if not rest or not _is_int(rest[0]):
        raise TypeError(f"{fname}: expected an integer k, got {type(rest[0]).__name__ if rest else 'nothing'}")
    return int(rest.pop(0))


def _take_flag(rest: list) -> bool:
    if rest and _is_bool(rest[0]):
        return bool(rest.pop(0))
    return False


def _no_more(rest: list, args: tuple, fname: str, expected: str) -> None:
    if rest:
        raise bad_args(fname, args, expected)


def _result(resv, resi, x: Tensor, vals: np.ndarray, idx: np.ndarray, fname: str) -> tuple[Tensor, Tensor]:
    return store(resv, type(x), vals, fname), store(resi, x._long_cls, idx, fname)


def _argsort(a: np.ndarray, d: int, descending: bool) -> np.ndarray:
    """Stable argsort along ``d``; descending keeps equal elements in their original order too."""
    if not descending:
        return np.argsort(a, axis=d, kind="stable")
    # Sorting the reversed slice and reversing the answer puts equal elements back in index order.
    n = a.shape[d]
    idx = np.flip(np.argsort(np.flip(a, d), axis=d, kind="stable"), d)
    return np.subtract(n - 1, idx, out=xp(idx).empty(idx.shape, np.int64))


def sort(*args) -> tuple[Tensor, Tensor]:
    """Values sorted along ``dim`` (default: the last) and their 0-based indices; stable.

    Forms: ``torch.sort([resval, resind,] x [, dim] [, descending=False])``, ``x.sort([dim] [, descending])``.

    Example:
        >>> import torch7 as torch
        >>> v, i = torch.sort(torch.Tensor([3, 1, 2, 1]))
        >>> v.tolist(), i.tolist()
        ([1.0, 1.0, 2.0, 3.0], [1, 3, 2, 0])
        >>> torch.Tensor([3, 1, 2]).sort(0, True)[1].tolist()
        [0, 2, 1]
    """
    expected = "([resval, resind,] tensor [, dim] [, descending])"
    resv, resi, x, rest = _split2(args, "sort", expected)
    a = x._a
    if a.size == 0 and not (rest and _is_int(rest[0])):
        return _result(resv, resi, x, a[:0], np.empty(0, np.int64), "sort")
    d = _take_dim(rest, x, "sort")
    descending = _take_flag(rest)
    _no_more(rest, args, "sort", expected)
    idx = _argsort(a, d, descending)
    return _result(resv, resi, x, np.take_along_axis(a, idx, d), idx, "sort")


def topk(*args) -> tuple[Tensor, Tensor]:
    """The ``k`` smallest (or, with ``dir=True``, largest) elements along ``dim`` and their indices.

    Forms: ``torch.topk([resval, resind,] x, k [, dim=last] [, dir=False] [, sort=False])``,
    ``x.topk(k, ...)``.  The results are always sorted (ascending for the smallest, descending for
    the largest); Torch7 leaves the order unspecified unless ``sort`` is true.  Among equal values
    the lower indices are taken first.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([5, 1, 4, 2, 3])
        >>> x.topk(2)[0].tolist(), x.topk(2, 0, True)[1].tolist()
        ([1.0, 2.0], [0, 2])
    """
    expected = "([resval, resind,] tensor, k [, dim] [, dir] [, sort])"
    resv, resi, x, rest = _split2(args, "topk", expected)
    k = _take_k(rest, "topk")
    d = _take_dim(rest, x, "topk")
    largest = _take_flag(rest)
    _take_flag(rest)  # sort: the results are always sorted
    _no_more(rest, args, "topk", expected)
    a = x._a
    n = a.shape[d]
    if not 1 <= k <= n:
        raise ValueError(f"topk: k = {k} out of range for dimension {d} of size {n} (tensor of size {_fmt(x.size())})")
    idx = _argsort(a, d, largest)
    if k < n:
        idx = idx[(slice(None),) * d + (slice(0, k),)]
    return _result(resv, resi, x, np.take_along_axis(a, idx, d), idx, "topk")


def _kth(x: Tensor, k: int, d: int, fname: str) -> tuple[np.ndarray, np.ndarray]:
    a = x._a
    n = a.shape[d]
    if not 1 <= k <= n:
        raise ValueError(f"{fname}: k = {k} out of range for dimension {d} of size {n} (k counts from 1)")
    part = np.argpartition(a, k - 1, axis=d)
    idx = part[(slice(None),) * d + (slice(k - 1, k),)]
    return np.take_along_axis(a, idx, d), idx


def kthvalue(*args) -> tuple[Tensor, Tensor]:
    """The ``k``-th smallest element along ``dim`` (default: the last) and its index; keeps the dim.

    ``k`` is a count as in Torch7: ``k = 1`` gives the smallest element (it is not an index).
    Forms: ``torch.kthvalue([resval, resind,] x, k [, dim])``, ``x.kthvalue(k [, dim])``.

    Example:
        >>> import torch7 as torch
        >>> v, i = torch.kthvalue(torch.Tensor([[5, 1, 4], [2, 9, 8]]), 2)
        >>> v.tolist(), i.tolist()
        ([[4.0], [8.0]], [[2], [2]])
    """
    expected = "([resval, resind,] tensor, k [, dim])"
    resv, resi, x, rest = _split2(args, "kthvalue", expected)
    k = _take_k(rest, "kthvalue")
    d = _take_dim(rest, x, "kthvalue")
    _no_more(rest, args, "kthvalue", expected)
    vals, idx = _kth(x, k, d, "kthvalue")
    return _result(resv, resi, x, vals, idx, "kthvalue")


def median(*args) -> tuple[Tensor, Tensor]:
    """Median along ``dim`` (default: the last) and its index; the lower middle one for an even count.

    Forms: ``torch.median([resval, resind,] x [, dim])``, ``x.median([dim])``.  The dim is kept with
    size 1 even without a dim argument.

    Example:
        >>> import torch7 as torch
        >>> v, i = torch.Tensor([4, 1, 3, 2]).median()
        >>> v.tolist(), i.tolist()
        ([2.0], [3])
    """
    expected = "([resval, resind,] tensor [, dim])"
    resv, resi, x, rest = _split2(args, "median", expected)
    d = _take_dim(rest, x, "median")
    _no_more(rest, args, "median", expected)
    vals, idx = _kth(x, (x._a.shape[d] - 1) // 2 + 1, d, "median")
    return _result(resv, resi, x, vals, idx, "median")


def mode(*args) -> tuple[Tensor, Tensor]:
    """Most frequent value along ``dim`` (default: the last) and the index of its last occurrence.

    On a tie of frequencies the smallest value wins, as in Torch7.  Keeps the dim with size 1.
    Forms: ``torch.mode([resval, resind,] x [, dim])``, ``x.mode([dim])``.

    Example:
        >>> import torch7 as torch
        >>> v, i = torch.Tensor([[3, 1, 3, 1, 2]]).mode()
        >>> v.tolist(), i.tolist()
        ([[1.0]], [[3]])
    """
    expected = "([resval, resind,] tensor [, dim])"
    resv, resi, x, rest = _split2(args, "mode", expected)
    d = _take_dim(rest, x, "mode")
    _no_more(rest, args, "mode", expected)
    a = np.moveaxis(x._a, d, -1)
    order = np.argsort(a, axis=-1, kind="stable")
    s = np.take_along_axis(a, order, -1)
    n = s.shape[-1]
    # Runs of equal values in each sorted slice: a run ends where the next value differs; its
    # length is its end position minus the position where it started, plus one.
    e = xp(s)
    starts = e.ones(s.shape, bool)
    starts[..., 1:] = s[..., 1:] != s[..., :-1]
    pos = e.arange(n)
    first = np.maximum.accumulate(np.where(starts, pos, 0), axis=-1)
    ends = e.ones(s.shape, bool)
    ends[..., :-1] = starts[..., 1:]
    length = np.where(ends, pos - first + 1, 0)
    j = np.argmax(length, axis=-1, keepdims=True)  # the first longest run: the smallest value
    vals = np.moveaxis(np.take_along_axis(s, j, -1), -1, d)
    idx = np.moveaxis(np.take_along_axis(order, j, -1), -1, d)
    return _result(resv, resi, x, vals, idx, "mode")


_ALL = {"sort": sort, "topk": topk, "kthvalue": kthvalue, "median": median, "mode": mode}
METHODS = dict(_ALL)
FUNCTIONS = dict(_ALL)
