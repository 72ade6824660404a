"""Index functions: index, indexCopy, indexAdd, indexFill, gather, scatter, masked*, nonzero.

Index tensors are ``torch.LongTensor`` of **0-based** indices; masks are ``torch.ByteTensor``
of 0/1 values.  ``index``/``gather``/``maskedSelect``/``nonzero`` return new tensors (or write
into a result given first, Torch7's ``res:index(src, dim, idx)``); ``indexCopy``, ``indexAdd``,
``indexFill``, ``scatter``, ``maskedCopy`` and ``maskedFill`` modify self.

As in Torch7, ``index*`` and ``masked*`` are Tensor methods only, while ``gather``, ``scatter``
and ``nonzero`` are also ``torch.*`` functions.  A mask may have the tensor's size, broadcast to
it (NumPy rules), or just have as many elements (Torch7's rule, taken in row-major order).
"""

from __future__ import annotations

import numpy as np

from . import backend
from .backend import amax, ascontig, xp
from .dispatch import bad_args, prepare
from .tensor import Tensor, _fmt
from .views import _dim

_LONG = np.dtype(np.int64)


# ---- argument checks ---------------------------------------------------------------------
def _check_type(t, fname: str, what: str, like: Tensor | None = None) -> None:
    if not isinstance(t, Tensor):
        raise TypeError(f"{fname}: expected a tensor as {what}, got {type(t).__name__}")
    if like is not None and t._dtype != like._dtype:
        raise TypeError(f"{fname}: {what} is a {t._typename}, expected a {like._typename} like the destination")


def _long_index(idx, fname: str) -> np.ndarray:
    if not isinstance(idx, Tensor) or idx._dtype != _LONG:
        got = idx._typename if isinstance(idx, Tensor) else type(idx).__name__
        raise TypeError(f"{fname}: indices must be a torch.LongTensor, got {got}")
    return idx._a


def _vector(idx, fname: str) -> np.ndarray:
    """The 1-D index array of ``idx`` (an empty LongTensor counts as a vector of length 0)."""
    a = _long_index(idx, fname)
    if a.ndim != 1:
        raise ValueError(f"{fname}: the index must be a vector (1-D LongTensor), got size {_fmt(a.shape)}")
    return a


_FEW = 48  # up to this many indices, Python's max over a list beats a NumPy reduction's set-up (measured)


def _check_range(ix: np.ndarray, n: int, fname: str, dim: int) -> None:
    if type(ix) is not np.ndarray and backend.capturing():
        return  # device indices: a CUDA graph capture cannot read them on the host
    # One pass: negative int64 indices become huge when seen as uint64.
    u = ix.view(np.uint64)
    if ix.size <= _FEW and ix.ndim == 1 and type(ix) is np.ndarray:
        big = ix.size and max(u.tolist()) >= n
    else:
        big = ix.size and amax(u) >= n
    if big:
        bad = ix[(ix < 0) | (ix >= n)].flat[0]
        raise IndexError(f"{fname}: index {bad} out of range for dimension {dim} of size {n}")


def _value(v, t: Tensor, fname: str):
    """A number converted to the tensor's type the way C converts (wraps, truncates)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)):
        raise TypeError(f"{fname}: expected a number as value, got {type(v).__name__}")
    with np.errstate(invalid="ignore", over="ignore"):
        return np.array(v).astype(t._dtype)


def _result(res: Tensor | None, cls: type, arr: np.ndarray) -> Tensor:
    """Wrap the fresh array ``arr``, or write it into ``res`` (resized)."""
    if arr.size == 0:
        arr = np.empty(0, arr.dtype)
    if res is None:
        return cls._new(arr)
    prepare(res, type(res), arr.shape)
    if arr.size:
        np.copyto(res._a, arr)
    return res


def _rows(a: np.ndarray, d: int) -> np.ndarray:
    """View of ``a`` with dim ``d`` first: selecting along ``d`` becomes ``rows[i]``."""
    return a if d == 0 else np.moveaxis(a, d, 0)


def _src_rows(src: Tensor, d: int, n: int, rest: tuple, fname: str) -> np.ndarray:
    """``src`` seen as ``n`` slices along ``d``, each reshaped to ``rest`` (Torch7 copies slices by count)."""
    s = src._a
    nd = src.nDimension()
    if d >= nd or s.shape[d] != n:
        raise ValueError(f"{fname}: the source of size {_fmt(src.size())} must have size {n} (the number "
                         f"of indices) in dimension {d}")
    r = _rows(s, d)
    if r.shape[1:] == rest:
        return r
    per = 1
    for v in rest:
        per *= v
    if s.size != n * per:
        raise ValueError(f"{fname}: slices of the source of size {_fmt(src.size())} do not have the "
                         f"{per} elements of the destination slices")
    return ascontig(r).reshape((n,) + rest)


def _last_of_duplicates(ix: np.ndarray) -> np.ndarray | None:
    """Positions keeping the last occurrence of each index, or None when all are distinct."""
    u, first_in_reversed = np.unique(ix[::-1], return_index=True)
    if u.size == ix.size:
        return None
    return ix.size - 1 - first_in_reversed


# ---- index / indexCopy / indexAdd / indexFill ----------------------------------------------
def index(self: Tensor, *args) -> Tensor:
    """``x.index(dim, idx)``: a new tensor of the slices ``idx`` along ``dim``; ``res.index(src, dim, idx)``.

    Args:
        dim: the dimension (0-based).
        idx: a 1-D LongTensor of 0-based indices; they may repeat.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2], [3, 4], [5, 6]])
        >>> x.index(0, torch.LongTensor([2, 0])).totable()
        [[5.0, 6.0], [1.0, 2.0]]
    """
    if len(args) == 2:
        res, src, (dim, idx) = None, self, args
    elif len(args) == 3:
        res, (src, dim, idx) = self, args
        _check_type(src, "index", "source", like=res)
    else:
        raise TypeError("index: expected (dim, index) or (src, dim, index) as arguments")
    ix = _vector(idx, "index")
    a = src._a
    if a.size == 0:
        raise ValueError("index: the source tensor is empty")
    d = _dim(src, dim, "index")
    _check_range(ix, a.shape[d], "index", d)
    if src._is_cuda:  # CuPy's take has no mode (the indices are checked above)
        return _result(res, type(src), a.take(ix, d))
    return _result(res, type(src), a.take(ix, d, None, "clip"))


def indexCopy(self: Tensor, dim: int, idx: Tensor, src: Tensor) -> Tensor:
    """In place: slice ``idx[i]`` of self along ``dim`` becomes slice ``i`` of ``src`` (last one wins)."""
    _check_type(src, "indexCopy", "source", like=self)
    ix = _vector(idx, "indexCopy")
    d = _dim(self, dim, "indexCopy")
    rows = _rows(self._a, d)
    _check_range(ix, rows.shape[0], "indexCopy", d)
    s = _src_rows(src, d, ix.size, rows.shape[1:], "indexCopy")
    if ix.size:
        keep = _last_of_duplicates(ix)
        if keep is None:
            rows[ix] = s
        else:
            rows[ix[keep]] = s[keep]
    return self


def indexAdd(self: Tensor, dim: int, idx: Tensor, src: Tensor) -> Tensor:
    """In place: adds slice ``i`` of ``src`` to slice ``idx[i]`` of self; repeated indices accumulate."""
    _check_type(src, "indexAdd", "source", like=self)
    ix = _vector(idx, "indexAdd")
    d = _dim(self, dim, "indexAdd")
    rows = _rows(self._a, d)
    _check_range(ix, rows.shape[0], "indexAdd", d)
    s = _src_rows(src, d, ix.size, rows.shape[1:], "indexAdd")
    if ix.size:
        np.add.at(rows, ix, s)  # unbuffered: repeated indices accumulate
    return self


def indexFill(self: Tensor, dim: int, idx: Tensor, value) -> Tensor:
    """In place: fills the slices ``idx`` along ``dim`` with ``value``."""
    ix = _vector(idx, "indexFill")
    d = _dim(self, dim, "indexFill")
    rows = _rows(self._a, d)
    _check_range(ix, rows.shape[0], "indexFill", d)
    v = _value(value, self, "indexFill")
    if ix.size:
        rows[ix] = v
    return self


# ---- gather / scatter ---------------------------------------------------------------------
def _check_along(ia: np.ndarray, other: np.ndarray, d: int, fname: str, what: str, covers: bool) -> None:
    """``ia`` (indices) and ``other`` have the same sizes except along ``d`` (where ``other`` is at
    least as long as ``ia`` when ``covers``: scatter reads its source there)."""
    if ia.ndim != other.ndim or other.size == 0:
        raise ValueError(f"{fname}: the index of size {_fmt(ia.shape)} must have as many dimensions as the "
                         f"{what} of size {_fmt(other.shape if other.size else ())}")
    for k in range(ia.ndim):
        if (k != d and ia.shape[k] != other.shape[k]) or (k == d and covers and ia.shape[k] > other.shape[k]):
            raise ValueError(f"{fname}: index of size {_fmt(ia.shape)} does not match the {what} of size "
                             f"{_fmt(other.shape)} in dimension {k}")


def gather(self: Tensor, *args) -> Tensor:
    """``x.gather(dim, idx)``: ``res[i][j] = x[idx[i][j]][j]`` for dim 0 (and so on); ``res.gather(src, dim, idx)``.

    The result has the size of ``idx``, which matches ``src`` in every dimension but ``dim``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2], [3, 4]])
        >>> x.gather(1, torch.LongTensor([[1], [0]])).totable()
        [[2.0], [3.0]]
    """
    if len(args) == 2:
        res, src, (dim, idx) = None, self, args
    elif len(args) == 3:
        res, (src, dim, idx) = self, args
        _check_type(src, "gather", "source", like=res)
    else:
        raise TypeError("gather: expected (dim, index) or (src, dim, index) as arguments")
    ia = _long_index(idx, "gather")
    d = _dim(src, dim, "gather")
    a = src._a
    _check_along(ia, a, d, "gather", "source", covers=False)
    _check_range(ia, a.shape[d], "gather", d)
    return _result(res, type(src), np.take_along_axis(a, ia, axis=d))


def scatter(self: Tensor, dim: int, idx: Tensor, src) -> Tensor:
    """In place: ``self[idx[i][j]][j] = src[i][j]`` for dim 0 (and so on); ``src`` may be a number.

    Where indices repeat along ``dim``, the last one wins (as Torch7's sequential loop).
    """
    ia = _long_index(idx, "scatter")
    a = self._a
    d = _dim(self, dim, "scatter")
    _check_along(ia, a, d, "scatter", "destination", covers=False)
    _check_range(ia, a.shape[d], "scatter", d)
    if ia.size == 0:
        return self
    # Coordinates of every target element: the index along d, the position elsewhere.
    e, nd = xp(ia), ia.ndim
    grids = [e.arange(n).reshape((1,) * k + (n,) + (1,) * (nd - k - 1)) for k, n in enumerate(ia.shape)]
    if isinstance(src, Tensor):
        _check_type(src, "scatter", "source", like=self)
        _check_along(ia, src._a, d, "scatter", "source", covers=True)
        vals = src._a[tuple(slice(0, n) for n in ia.shape)]
        flat = np.ravel_multi_index(tuple(np.broadcast_arrays(*grids[:d], ia, *grids[d + 1:])), a.shape)
        keep = _last_of_duplicates(flat.reshape(-1))
        if keep is None:
            grids[d] = ia
            a[tuple(grids)] = vals
        else:
            a[np.unravel_index(flat.reshape(-1)[keep], a.shape)] = vals.reshape(-1)[keep]
        return self
    grids[d] = ia
    a[tuple(grids)] = _value(src, self, "scatter")
    return self


def _torch_gather(*args) -> Tensor:
    """``torch.gather([res,] src, dim, idx)``."""
    if args and not isinstance(args[0], Tensor):
        raise bad_args("torch.gather", args, "([res,] src, dim, index)")
    if len(args) == 3:
        return gather(args[0], *args[1:])
    if len(args) == 4:
        return gather(*args)
    raise TypeError("torch.gather: expected ([res,] src, dim, index)")


def _torch_scatter(t: Tensor, dim: int, idx: Tensor, src) -> Tensor:
    """``torch.scatter(t, dim, idx, src|value)``: in place on ``t`` (Torch7 has no result-first form)."""
    _check_type(t, "torch.scatter", "destination")
    return scatter(t, dim, idx, src)


# ---- masks --------------------------------------------------------------------------------
def _mask(mask, a: np.ndarray, fname: str) -> np.ndarray:
    """The boolean array of ``mask`` shaped like ``a`` (same size, broadcast, or same element count)."""
    if not isinstance(mask, Tensor) or mask._dtype != np.uint8:
        got = mask._typename if isinstance(mask, Tensor) else type(mask).__name__
        raise TypeError(f"{fname}: the mask must be a torch.ByteTensor, got {got}")
    m = mask._a
    if m.size and m.max() > 1:
        raise ValueError(f"{fname}: the mask can take 0 and 1 values only")
    m = m.view(np.bool_)
    if m.shape == a.shape:
        return m
    try:
        return np.broadcast_to(m, a.shape)
    except ValueError:
        if m.size == a.size:
            return ascontig(m).reshape(a.shape)
    raise ValueError(f"{fname}: mask of size {_fmt(mask.size())} does not fit a tensor of size "
                     f"{_fmt(a.shape if a.size else ())}")


def maskedSelect(self: Tensor, *args) -> Tensor:
    """``x.maskedSelect(mask)``: a new 1-D tensor of the elements where mask is 1 (row-major order).

    ``res.maskedSelect(src, mask)`` writes into ``res``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2], [3, 4]])
        >>> x.maskedSelect(torch.ByteTensor([[1, 0], [0, 1]])).totable()
        [1.0, 4.0]
    """
    if len(args) == 1:
        res, src, mask = None, self, args[0]
    elif len(args) == 2:
        res, (src, mask) = self, args
        _check_type(src, "maskedSelect", "source", like=res)
    else:
        raise TypeError("maskedSelect: expected (mask) or (src, mask) as arguments")
    a = src._a
    m = _mask(mask, a, "maskedSelect")
    return _result(res, type(src), a[m] if a.size else np.empty(0, a.dtype))


def maskedFill(self: Tensor, mask: Tensor, value) -> Tensor:
    """In place: sets the elements where mask is 1 to ``value``."""
    a = self._a
    m = _mask(mask, a, "maskedFill")
    if a.size:
        np.copyto(a, _value(value, self, "maskedFill"), where=m)
    return self


def maskedCopy(self: Tensor, mask: Tensor, src: Tensor) -> Tensor:
    """In place: the elements where mask is 1 take, in order, the first count(mask) elements of ``src``."""
    _check_type(src, "maskedCopy", "source", like=self)
    a = self._a
    m = _mask(mask, a, "maskedCopy")
    if a.size == 0:
        return self
    cnt = int(np.count_nonzero(m))
    s = src._a
    if s.size < cnt:
        raise ValueError(f"maskedCopy: the source of size {_fmt(src.size())} has fewer elements than the "
                         f"{cnt} ones of the mask")
    flat = s.reshape(-1) if s.flags.c_contiguous else ascontig(s).reshape(-1)
    a[m] = flat[:cnt]
    return self


# ---- nonzero ------------------------------------------------------------------------------
def nonzero(self: Tensor, src: Tensor | None = None) -> Tensor:
    """``x.nonzero()``: an N x nDim LongTensor of the 0-based subscripts of the non-zero elements.

    ``res.nonzero(t)`` (res a LongTensor) writes into ``res``.

    Example:
        >>> import torch7 as torch
        >>> torch.nonzero(torch.Tensor([[0, 1], [2, 0]])).totable()
        [[0, 1], [1, 0]]
    """
    if src is None:
        res, src = None, self
    else:
        _check_type(src, "nonzero", "source")
        if self._dtype != _LONG:
            raise TypeError(f"nonzero: the result must be a torch.LongTensor, got {self._typename}")
        res = self
    a = src._a
    out = ascontig(np.argwhere(a), dtype=_LONG) if a.size else np.empty(0, _LONG)
    return _result(res, src._long_cls, out)


def _torch_nonzero(*args) -> Tensor:
    """``torch.nonzero([res,] t)``."""
    if len(args) == 1 and isinstance(args[0], Tensor):
        return nonzero(args[0])
    if len(args) == 2 and isinstance(args[0], Tensor):
        return nonzero(*args)
    raise TypeError("torch.nonzero: expected ([res,] tensor)")


METHODS = {
    "index": index, "indexCopy": indexCopy, "indexAdd": indexAdd, "indexFill": indexFill,
    "gather": gather, "scatter": scatter, "maskedSelect": maskedSelect, "maskedCopy": maskedCopy,
    "maskedFill": maskedFill, "nonzero": nonzero,
}
FUNCTIONS = {"gather": _torch_gather, "scatter": _torch_scatter, "nonzero": _torch_nonzero}
