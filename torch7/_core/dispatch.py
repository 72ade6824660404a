"""Torch7's calling conventions, shared by every math family.

Rules (reference torch7-core.md §2.0, DESIGN.md §1):
  * ``torch.f([res,] args...)``: without ``res`` a new result is returned; with it, ``res`` is
    resized, filled and returned.  The type comes from the first tensor argument, else a
    trailing typename string, else the default type.
  * element-wise methods work in place: ``x.f(args)`` is ``torch.f(x, x, args)``, and
    ``res.f(a, b)`` writes ``f(a, b)`` into ``res``.
  * element-wise ops broadcast with NumPy rules; operands that do not broadcast but have the
    same number of elements are combined in order, shaped like the first (Torch7's rule).

Helpers here are deliberately small and branch-light: they sit on the hot path.
"""

from __future__ import annotations

import numpy as np

from . import types as T
from .backend import ascontig, fresh
from .tensor import Tensor, _fmt


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def is_number(x) -> bool:
    return isinstance(x, (int, float, np.number, bool)) and not isinstance(x, np.ndarray)


def pop_typename(args: tuple) -> tuple[tuple, type]:
    """Strip a trailing 'torch.XTensor' argument; return (args, class) (default class if none)."""
    if args and isinstance(args[-1], str) and args[-1].startswith("torch."):
        return args[:-1], T.tensor_class(args[-1])
    return args, T.DEFAULT.tensor


def prepare(res: Tensor | None, cls: type, shape: tuple) -> Tensor:
    """The result tensor: ``res`` resized to ``shape``, or a new uninitialised one of ``cls``."""
    if res is None:
        if not shape or 0 in shape:
            return cls._new(cls._xp.empty(0, cls._dtype))
        return cls._new(cls._xp.empty(shape, cls._dtype))
    if res._a.shape != shape:
        if not shape:
            res.resize(0)
        else:
            res.resize(shape)
    return res


def bshape(a: np.ndarray, b: np.ndarray, fname: str) -> tuple:
    """Result shape of an element-wise op on ``a`` and ``b`` (NumPy broadcast, else Torch7's rule)."""
    sa, sb = a.shape, b.shape
    if sa == sb:
        return sa
    try:
        return np.broadcast_shapes(sa, sb)
    except ValueError:
        if a.size == b.size:
            return sa
        raise ValueError(f"{fname}: sizes do not match: {_fmt(sa if a.size else ())} and "
                         f"{_fmt(sb if b.size else ())} (they neither broadcast nor have the same "
                         "number of elements)") from None


def operand(b: np.ndarray, shape: tuple) -> np.ndarray:
    """``b`` ready to combine with a result of ``shape`` (reshaped under Torch7's same-count rule)."""
    if b.shape == shape or b.ndim == 0:
        return b
    try:
        np.broadcast_shapes(b.shape, shape)
        return b
    except ValueError:
        return b.reshape(shape) if b.flags.c_contiguous else ascontig(b).reshape(shape)


def scalar(v, cls: type):
    """A Python number converted the way Torch7 converts it to the tensor's real type."""
    if cls._is_float:
        return v
    return int(v)


def check_inplace(res: Tensor, shape: tuple, fname: str) -> None:
    if res._a.shape != shape and res._a.size:
        raise ValueError(f"{fname}: the result of size {_fmt(shape)} does not fit in the tensor of size "
                         f"{_fmt(res.size())} it is written into")


def sizes_str(t) -> str:
    return _fmt(t.size()) if isinstance(t, Tensor) else repr(t)


def bad_args(fname: str, args: tuple, expected: str) -> TypeError:
    got = ", ".join(f"{type(a).__name__}{' ' + sizes_str(a) if isinstance(a, Tensor) else ''}" for a in args)
    return TypeError(f"{fname}: invalid arguments ({got}); expected {expected}")


def unary(name: str, ufunc, float_only: bool = True, number_fn=None):
    """Build ``torch.name`` and the in-place method for an element-wise ufunc.

    Forms: ``torch.name(x)``, ``torch.name(res, x)``, ``torch.name(number)`` (float functions),
    ``x.name()`` (in place), ``x.name(y)`` (x = name(y)).
    """

    def fn(*args):
        n = len(args)
        if n == 1:
            x = args[0]
            if isinstance(x, Tensor):
                a = x._a
                if float_only and not x._is_float:
                    raise TypeError(f"torch.{name}: not defined for {x._typename} (use a Float or Double tensor)")
                # order="C": a transposed input would otherwise give a non-C-contiguous result.
                return type(x)._new(fresh(ufunc, a) if a.size else a.copy())
            if number_fn is not None and is_number(x):
                return number_fn(x)
        elif n == 2 and isinstance(args[0], Tensor) and isinstance(args[1], Tensor):
            res, x = args
            return method(res, x)
        raise bad_args(f"torch.{name}", args, f"([res,] tensor{' | number' if number_fn else ''})")

    def method(self, src=None):
        if float_only and not self._is_float:
            raise TypeError(f"{name}: not defined for {self._typename} (use a Float or Double tensor)")
        if src is None:
            a = self._a
            if a.size:
                ufunc(a, out=a, casting="unsafe")
            return self
        if not isinstance(src, Tensor):
            raise bad_args(f"{name}", (src,), "(tensor)")
        if float_only and not src._is_float:
            raise TypeError(f"{name}: not defined for {src._typename} (use a Float or Double tensor)")
        if src is not self:
            prepare(self, type(self), src._a.shape)
        if src._a.size:
            ufunc(src._a, out=self._a, casting="unsafe")
        return self

    fn.__name__ = method.__name__ = name
    fn.__doc__ = method.__doc__ = f"Element-wise {name} (Torch7's torch.{name}); methods work in place."
    return fn, method
