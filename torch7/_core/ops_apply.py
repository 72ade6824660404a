"""Element-wise Python callbacks (Torch7's apply, map, map2): slow by nature, kept apart from the views."""

from __future__ import annotations

import numpy as np

from .backend import copyto, to_host
from .size import describe, tensor_arg
from .tensor import Tensor, _fmt


def _via_host(self: Tensor, fn, *args) -> Tensor:
    """Run ``fn`` on a host copy of CUDA ``self`` and write the result back in one copy (a Python call per
    element is host work; reading device memory element by element would cost a transfer each)."""
    h = self._host_cls._new(to_host(self._a))
    fn(h, *args)
    copyto(self._a, h._a)
    return self


def apply(self: Tensor, f) -> Tensor:
    """Call ``f(x)`` on every element; a non-None result replaces it (Python loop: slow)."""
    _check_callable(f, "apply")
    if self._is_cuda:
        return _via_host(self, apply, f)
    flat = self._a.reshape(-1) if self._a.flags.c_contiguous else None
    it = np.nditer(self._a, flags=["refs_ok"], op_flags=["readwrite"], order="C") if flat is None else None
    if flat is not None:
        for i, v in enumerate(flat.tolist()):
            r = f(v)
            if r is not None:
                flat[i] = r
    else:
        with it:
            for x in it:
                r = f(x.item())
                if r is not None:
                    x[...] = r
    return self


def map(self: Tensor, other: Tensor, f) -> Tensor:
    """``f(x, y)`` over the elements of self and ``other``; a non-None result replaces x."""
    _check_same_n(self, other, "map")
    _check_callable(f, "map")
    if self._a.size == 0:
        return self
    if self._is_cuda:
        return _via_host(self, map, other, f)
    ys = other._a.reshape(-1).tolist() if other._a.size else []
    it = np.nditer(self._a, op_flags=["readwrite"], order="C")
    with it:
        for x, y in zip(it, ys, strict=False):
            r = f(x.item(), y)
            if r is not None:
                x[...] = r
    return self


def map2(self: Tensor, t1: Tensor, t2: Tensor, f) -> Tensor:
    _check_same_n(self, t1, "map2")
    _check_same_n(self, t2, "map2")
    _check_callable(f, "map2")
    if self._a.size == 0:
        return self
    if self._is_cuda:
        return _via_host(self, map2, t1, t2, f)
    y1 = t1._a.reshape(-1).tolist() if t1._a.size else []
    y2 = t2._a.reshape(-1).tolist() if t2._a.size else []
    it = np.nditer(self._a, op_flags=["readwrite"], order="C")
    with it:
        for x, a, b in zip(it, y1, y2, strict=False):
            r = f(x.item(), a, b)
            if r is not None:
                x[...] = r
    return self


def _check_callable(f, fname: str) -> None:
    if not callable(f):
        raise TypeError(f"{fname}: expected a function, got {describe(f)}")


def _check_same_n(a: Tensor, b: Tensor, fname: str) -> None:
    tensor_arg(b, fname)
    if a._a.size != b._a.size:
        raise ValueError(f"{fname}: tensors of size {_fmt(a.size())} and {_fmt(b.size())} "
                         "do not have the same number of elements")


METHODS = {"apply": apply, "map": map, "map2": map2}
