"""Comparisons and logical reductions: lt, le, gt, ge, eq, ne, all, any.

``torch.lt(a, b)`` (``b`` a number or a tensor) returns a ``ByteTensor`` mask of 0/1.  With a
result given first, ``torch.lt(res, a, b)`` writes into it: a ``ByteTensor`` result receives the
mask, a result of another type receives 0/1 values of its own type (Torch7's ``ltValueT`` and
``ltTensorT``).  The method ``a.lt(b)`` returns a new mask and leaves ``a`` alone (comparisons are
not in place in Torch7); ``res.lt(a, b)`` writes into ``res``.

Tensor operands broadcast with NumPy rules, or are compared element by element when they only
have the same number of elements (Torch7's rule; the mask is shaped like ``a``).  A number
compared with an integer tensor is first converted to an integer as C converts it, toward zero:
``IntTensor{1, 2, 3}:lt(2.5)`` compares with 2.

``all(a)`` and ``any(a)`` return Python bools.  Torch7 defines them for ``ByteTensor`` only; here
they accept every type and test elements for being non-zero.  An empty tensor gives
``all == True`` and ``any == False``.
"""

from __future__ import annotations

import math

import numpy as np

from .backend import fresh
from .dispatch import bad_args, bshape, is_number, operand, prepare
from .tensor import Tensor

_BYTE = np.dtype(np.uint8)


def _value(v, a: Tensor):
    """``v`` as Torch7 hands it to the C comparison: truncated for integer tensors."""
    if a._is_float:
        return float(v)  # a Python float stays a weak scalar: a FloatTensor compares in float
    if isinstance(v, (float, np.floating)):
        return int(v) if math.isfinite(v) else float(v)
    return int(v)


def _make(name: str, ufunc, symbol: str):
    sig = "([res,] tensor, number | tensor)"

    def compare(res, a, b) -> Tensor:
        if not isinstance(a, Tensor):
            raise bad_args(f"torch.{name}", (a, b) if res is None else (res, a, b), sig)
        aa = a._a
        if isinstance(b, Tensor):
            bb = b._a
            shape = aa.shape
            if bb.shape != shape:
                shape = bshape(aa, bb, name)
                bb = operand(bb, shape)
        elif is_number(b):
            bb = _value(b, a)
            shape = aa.shape
        else:
            raise bad_args(f"torch.{name}", (a, b) if res is None else (res, a, b), sig)
        if res is None:
            if not shape or 0 in shape:
                return a._byte_cls._new(np.empty(0, _BYTE))
            # The bool result viewed as bytes: no second pass to convert it.
            return a._byte_cls._new(fresh(ufunc, aa, bb).view(_BYTE))
        if not isinstance(res, Tensor):
            raise bad_args(f"torch.{name}", (res, a, b), sig)
        r = prepare(res, type(res), shape)
        if r._a.size:
            ufunc(aa, bb, out=r._a, casting="unsafe")
        return r

    def fn(*args) -> Tensor:
        if len(args) == 2:
            return compare(None, *args)
        if len(args) == 3:
            return compare(*args)
        raise bad_args(f"torch.{name}", args, sig)

    def method(self: Tensor, *args) -> Tensor:
        if len(args) == 1:
            return compare(None, self, args[0])
        if len(args) == 2:
            return compare(self, *args)
        raise bad_args(name, args, "(number | tensor) or (tensor, number | tensor)")

    fn.__name__ = method.__name__ = name
    fn.__doc__ = f"``torch.{name}([res,] a, b)``: the ByteTensor mask of a {symbol} b (b a number or tensor)."
    method.__doc__ = f"``a.{name}(b)``: a new ByteTensor mask; ``res.{name}(a, b)`` writes into res."
    return fn, method


def _tensor(t, fname: str) -> np.ndarray:
    if not isinstance(t, Tensor):
        raise TypeError(f"{fname}: expected a tensor, got {type(t).__name__}")
    return t._a


def all_(t: Tensor) -> bool:
    """True if every element of ``t`` is non-zero (True for an empty tensor).

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([1, 2, 3])
        >>> torch.all(torch.gt(x, 0)), torch.lt(x, 2).all()
        (True, False)
    """
    return bool(_tensor(t, "all").all())


def any_(t: Tensor) -> bool:
    """True if some element of ``t`` is non-zero (False for an empty tensor)."""
    return bool(_tensor(t, "any").any())


FUNCTIONS: dict = {"all": all_, "any": any_}
METHODS: dict = {"all": all_, "any": any_}

for _name, _ufunc, _symbol in (("lt", np.less, "<"), ("le", np.less_equal, "<="), ("gt", np.greater, ">"),
                               ("ge", np.greater_equal, ">="), ("eq", np.equal, "=="), ("ne", np.not_equal, "!=")):
    FUNCTIONS[_name], METHODS[_name] = _make(_name, _ufunc, _symbol)
