"""tnt.Meter: the base of every torchnet meter, and the input checks the meters share."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

import torch7 as torch
from torch7._core import backend
from torch7._core.tensor import Tensor

from ._args import parse


def _fmt(shape: tuple) -> str:
    """A shape as Torch7 prints sizes: ``3x4``."""
    return "x".join(str(s) for s in shape) if shape else "0"


def _host(x: Any, fname: str, what: str) -> np.ndarray:
    """``x`` (a torch7 tensor, NumPy array, number or nested list) as a host NumPy array."""
    if isinstance(x, Tensor):
        return backend.to_host(x._a)  # CUDA outputs are measured on the host
    if isinstance(x, (np.ndarray, np.generic, numbers.Number, list, tuple)) and not isinstance(x, bool):
        a = np.asarray(x)
        if a.dtype.kind in "biuf":
            return a
    raise TypeError(f"{fname}: {what} must be a tensor, got {type(x).__name__}")


def _number(x: Any, fname: str, what: str) -> float:
    """A Python float from a number or a one-element tensor/array."""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    a = _host(x, fname, what)
    if a.size != 1:
        raise ValueError(f"{fname}: {what} must be a number, got a tensor of size {_fmt(a.shape)}")
    return float(a.reshape(-1)[0])


def _matrix(x: Any, fname: str, what: str, vector: str = "row") -> np.ndarray:
    """``x`` as an N x K array. A 1-D ``x`` is one row (``vector='row'``) or one column
    (``vector='column'``); singleton dims after the first are dropped, as torchnet's squeeze did."""
    a = _host(x, fname, what)
    if a.ndim == 0:
        a = a.reshape(1)
    if a.ndim > 2:
        dims = [a.shape[0]] + [s for s in a.shape[1:] if s != 1]
        if len(dims) > 2:
            raise ValueError(f"{fname}: {what} must be 1-D or 2-D, got size {_fmt(a.shape)}")
        a = a.reshape(dims if len(dims) == 2 else (dims[0], 1))
    if a.ndim == 1:
        return a.reshape(-1, 1) if vector == "column" else a.reshape(1, -1)
    return a


def _binary(a: np.ndarray, fname: str, what: str) -> None:
    """Raise unless every value of ``a`` is 0 or 1."""
    bad = (a != 0) & (a != 1)
    if bad.any():
        raise ValueError(f"{fname}: {what} values must be 0 or 1, got {a[bad].reshape(-1)[0]}")


def _pair(output: Any, target: Any, fname: str, vector: str = "row") -> tuple[np.ndarray, np.ndarray]:
    """``output`` and ``target`` as N x K arrays (see ``_matrix``) of the same size, ``target`` all 0/1."""
    o = _matrix(output, fname, "output", vector)
    t = _matrix(target, fname, "target", vector)
    if o.shape != t.shape:
        raise ValueError(f"{fname}: output (size {_fmt(o.shape)}) and target (size {_fmt(t.shape)}) do not match")
    _binary(t, fname, "target")
    return o, t


def _classes(a: np.ndarray, k: int, fname: str, what: str) -> np.ndarray:
    """Class numbers 0..k-1 as int64; raise on fractions or values out of range."""
    if a.dtype.kind == "f" and (a != np.floor(a)).any():
        raise ValueError(f"{fname}: {what} must hold class numbers, got {a[a != np.floor(a)][0]}")
    c = a.astype(np.int64)
    bad = (c < 0) | (c >= k)
    if bad.any():
        raise IndexError(f"{fname}: {what} {int(c[bad][0])} out of range ({k} classes numbered from 0)")
    return c


def _levels(x: Any, fname: str, name: str) -> list[int]:
    """A level list (``topk``, ``K``) as sorted distinct positive ints; one number is a list of one."""
    vals = _host(x, fname, name).reshape(-1) if not isinstance(x, numbers.Real) else np.array([x])
    if vals.size == 0:
        raise ValueError(f"{fname}: {name} must not be empty")
    if (vals != np.floor(vals)).any() or (vals < 1).any():
        raise ValueError(f"{fname}: {name} must hold positive integers, got {vals.tolist()}")
    return sorted({int(v) for v in vals})


def _lookup(table: dict, key: Any, fname: str, name: str) -> Any:
    """``table[key]``, or a clear error naming the keys given at construction."""
    try:
        return table[key]
    except (KeyError, TypeError):
        raise KeyError(f"{fname}: {name}={key!r} was not given at construction (valid: {list(table)})") from None


class _Rows:
    """Rows appended block by block into one array that grows geometrically (torchnet grew its
    storages by 1.5x), so that accumulating N rows costs O(N) copies."""

    def __init__(self, dtype) -> None:
        self._dtype = np.dtype(dtype)
        self.clear()

    def clear(self) -> None:
        self._buf = np.empty((0,), self._dtype)
        self.n = 0

    def append(self, block: np.ndarray) -> None:
        m = block.shape[0]
        need = self.n + m
        if self.n == 0 and self._buf.shape[1:] != block.shape[1:]:
            self._buf = np.empty((0,) + block.shape[1:], self._dtype)
        if need > self._buf.shape[0]:
            grown = np.empty((max(need, int(self._buf.shape[0] * 1.5)),) + block.shape[1:], self._dtype)
            grown[:self.n] = self._buf[:self.n]
            self._buf = grown
        self._buf[self.n:need] = block
        self.n = need

    def view(self) -> np.ndarray:
        return self._buf[:self.n]


class Meter:
    """The base of the meters: ``reset()`` forgets, ``add(...)`` observes, ``value(...)`` reports.

    A meter measures something over the samples added since the last ``reset()`` (the average
    loss, the classification error, the AUC, ...). What ``add`` takes and ``value`` returns
    depends on the meter; most take ``add(output, target)`` with the model's output scores and
    the ground truth. Subclasses implement the three methods (``tnt.TimeMeter`` has its own set).

    Example:
        >>> from torch7 import tnt
        >>> class CountMeter(tnt.Meter):
        ...     def reset(self):
        ...         self.n = 0
        ...     def add(self, k=1):
        ...         self.n += k
        ...     def value(self):
        ...         return self.n
        >>> m = CountMeter(); m.reset(); m.add(); m.add(2); m.value()
        3
    """

    _typename = "tnt.Meter"

    def reset(self) -> None:
        raise NotImplementedError(f"{self._typename} should implement the reset() function")

    def add(self, *args: Any) -> None:
        raise NotImplementedError(f"{self._typename} should implement the add() function")

    def value(self, *args: Any) -> Any:
        raise NotImplementedError(f"{self._typename} should implement the value() function")

    def _reprargs(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"{self._typename}({self._reprargs()})"

    def _updatetopk(self, output: np.ndarray, target: np.ndarray, topk: int, dim: int = 1,
                    desc: bool = True) -> None:
        """Keep the ``topk`` best scores along ``dim`` (0 or 1) of every output seen so far, and the
        targets that go with them, in ``self._topkoutput`` / ``self._topktarget`` (torchnet's
        ``__updatetopk``, for meters that see the candidates of a fixed set of queries in pieces)."""
        if dim not in (0, 1):
            raise ValueError(f"{self._typename}: top-k dim must be 0 or 1, got {dim}")
        other = 1 - dim
        if getattr(self, "_topkoutput", None) is None:
            shape = list(output.shape)
            shape[dim] = topk
            # empty slots score worst, so they are dropped as soon as real candidates arrive
            self._topkoutput = np.full(shape, -np.inf if desc else np.inf)
            self._topktarget = np.zeros(shape)
        if output.shape[other] != self._topkoutput.shape[other] or target.shape[other] != output.shape[other]:
            raise ValueError(f"{self._typename}.add: dim {other} of output ({output.shape[other]}) and target "
                             f"({target.shape[other]}) must match the {self._topkoutput.shape[other]} seen before")
        scores = np.concatenate([self._topkoutput, output.astype(np.float64)], axis=dim)
        targets = np.concatenate([self._topktarget, target.astype(np.float64)], axis=dim)
        order = np.argsort(-scores if desc else scores, axis=dim, kind="stable")
        keep = np.take(order, np.arange(topk), axis=dim)
        self._topkoutput = np.take_along_axis(scores, keep, axis=dim)
        self._topktarget = np.take_along_axis(targets, keep, axis=dim)


class _SampleMeter(Meter):
    """A meter without arguments that keeps every sample added: scores in ``_scores`` and 0/1 labels
    in ``_targets`` (``_Rows``), shown as the DoubleTensor ``scores`` and LongTensor ``targets``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        parse(self._typename, (), args, kwargs)
        self.reset()

    def reset(self) -> None:
        """Forget every sample."""
        self._scores = _Rows(np.float64)
        self._targets = _Rows(np.int64)

    @property
    def scores(self):
        return torch.from_numpy(self._scores.view())

    @property
    def targets(self):
        return torch.from_numpy(self._targets.view())
