"""Python operators on tensors: ``+ - * / % **``, unary ``-``, ``abs()``, ``@`` and comparisons.

Following DESIGN.md (Python conventions, not Torch7's ``*``):

* ``+ - * / % **`` are element-wise and return new tensors: tensor op number, number op tensor
  and tensor op tensor (NumPy broadcasting, else Torch7's same-element-count rule, shaped like
  the first operand).  They are ``add``, ``csub``, ``cmul``/``mul``, ``cdiv``/``div``,
  ``cremainder``/``remainder`` (``%`` is Torch7's remainder: the sign of the divisor) and
  ``cpow``/``pow``.  Integer tensors divide as C does (truncation toward zero).
* ``x += y`` (and ``-= *= /= %= **=``) modify ``x`` and return it; the result must fit in ``x``.
* ``-x`` is ``neg``, ``abs(x)`` is ``abs``; both return new tensors.
* ``@`` is Torch7's product: 1-D @ 1-D is ``dot`` (a number), 2-D @ 1-D ``mv``, 2-D @ 2-D ``mm``,
  3-D @ 3-D ``bmm``.
* ``< <= > >= == !=`` return ByteTensor masks (``lt`` ... ``ne``).  ``==`` with something that is
  neither a tensor nor a number is ``NotImplemented``, so Python answers False (identity).

Every operator calls the ``torch.*`` function of its family through the registry, except on the
hot path (two tensors of the same shape and type, or a float tensor and a Python number) where it
calls the NumPy ufunc itself with exactly the same result.
"""

from __future__ import annotations

import numpy as np

from . import FUNCTIONS as _F
from .backend import fresh
from .dispatch import bshape, check_inplace, is_number
from .tensor import Tensor, _fmt

_BYTE = np.dtype(np.uint8)


def _f(name: str):
    """The torch.* function ``name`` (looked up at call time: another module defines it)."""
    return _F[name]


def _const(t: Tensor, v) -> Tensor:
    """A one-element tensor of t's type holding ``v`` converted as C converts it (truncate, wrap)."""
    dt = t._dtype
    if t._is_float:
        return type(t)._new(np.array([v], dt))
    try:
        iv = int(v)
    except (ValueError, OverflowError):
        raise ValueError(f"cannot convert {v!r} to the integer type of {t._typename}") from None
    info = np.iinfo(dt)
    iv = (iv - int(info.min)) % (1 << (8 * dt.itemsize)) + int(info.min)
    return type(t)._new(np.array([iv], dt))


def _fits(self: Tensor, o: Tensor, op: str) -> None:
    """An in-place operator cannot grow self: the broadcast result must have self's size."""
    a, b = self._a, o._a
    if a.shape != b.shape:
        check_inplace(self, bshape(a, b, op), op)


# ---- arithmetic ---------------------------------------------------------------------------
def _arith(op: str, uf, tname: str, vname: str, commutative: bool, fast_int: bool, quiet: bool = False):
    """Build __op__, __rop__ and __iop__ for ``uf`` (tname: tensor form, vname: number form).

    ``fast_int``: the ufunc on two same-dtype integer arrays already gives C's result.
    ``quiet``: the tensor-tensor fast path silences NumPy's warnings, as the torch function does.
    """

    def forward(self, o):
        a = self._a
        if isinstance(o, Tensor):
            b = o._a
            if a.shape == b.shape and a.dtype == b.dtype and (fast_int or self._is_float):
                if quiet:
                    with np.errstate(all="ignore"):
                        return type(self)._new(fresh(uf, a, b))
                return type(self)._new(fresh(uf, a, b))
            return _f(tname)(self, o)
        t = type(o)
        if (t is float or t is int) and self._is_float and (o or not quiet):
            return type(self)._new(fresh(uf, a, o))
        if is_number(o):
            return _f(vname)(self, o)
        return NotImplemented

    def reflected(self, o):  # o op self, o a number
        if not is_number(o):
            return NotImplemented
        t = type(o)
        if (t is float or t is int) and self._is_float:
            if quiet:
                with np.errstate(all="ignore"):
                    return type(self)._new(fresh(uf, o, self._a))
            return type(self)._new(fresh(uf, o, self._a))
        return _f(tname)(_const(self, o), self)

    def inplace(self, o):
        a = self._a
        if isinstance(o, Tensor):
            b = o._a
            if a.shape == b.shape and a.dtype == b.dtype and (fast_int or self._is_float) and not quiet:
                uf(a, b, out=a)
                return self
            _fits(self, o, op + "=")
            _f(tname)(self, self, o)
            return self
        t = type(o)
        if (t is float or t is int) and self._is_float and (o or not quiet):
            uf(a, o, out=a)
            return self
        if is_number(o):
            _f(vname)(self, self, o)
            return self
        return NotImplemented

    forward.__doc__ = f"``x {op} y``: a new tensor (torch.{tname} / torch.{vname})."
    reflected.__doc__ = f"``number {op} x``: a new tensor."
    inplace.__doc__ = f"``x {op}= y``: modifies x (torch.{tname} / torch.{vname} into x) and returns it."
    if commutative:  # o + self is self + o
        reflected = forward
    return forward, reflected, inplace


_add, _radd, _iadd = _arith("+", np.add, "add", "add", True, True)
_sub, _rsub, _isub = _arith("-", np.subtract, "csub", "csub", False, True)
_mul, _rmul, _imul = _arith("*", np.multiply, "cmul", "mul", True, True)
_div, _rdiv, _idiv = _arith("/", np.divide, "cdiv", "div", False, False, quiet=True)


def _mod(self, o):
    """``x % y``: Torch7's remainder (``a - b*floor(a/b)``, the sign of the divisor)."""
    if isinstance(o, Tensor):
        return _f("cremainder")(self, o)
    if is_number(o):
        return _f("remainder")(self, o)
    return NotImplemented


def _rmod(self, o):
    """``number % x``: a new tensor."""
    if not is_number(o):
        return NotImplemented
    return _f("cremainder")(_const(self, o), self)


def _imod(self, o):
    """``x %= y``: modifies x and returns it."""
    if isinstance(o, Tensor):
        _fits(self, o, "%=")
        _f("cremainder")(self, self, o)
        return self
    if is_number(o):
        _f("remainder")(self, self, o)
        return self
    return NotImplemented


def _pow(self, o):
    """``x ** y``: pow (float tensor, number exponent) or cpow (tensors; integer tensors)."""
    if isinstance(o, Tensor):
        a, b = self._a, o._a
        if self._is_float and a.shape == b.shape and a.dtype == b.dtype:
            with np.errstate(all="ignore"):
                return type(self)._new(fresh(np.power, a, b))
        return _f("cpow")(self, o)
    if is_number(o):
        if self._is_float:
            t = type(o)
            if t is float or t is int:
                return type(self)._new(fresh(np.power, self._a, o))
            return _f("pow")(self, o)
        # Torch7 has no pow for integer tensors: use cpow's C semantics (pow in double, truncated).
        return _f("cpow")(self, _const(self, o))
    return NotImplemented


def _rpow(self, o):
    """``number ** x``: Torch7's tpow on float tensors, cpow's C semantics on integer ones."""
    if not is_number(o):
        return NotImplemented
    if self._is_float:
        return _f("pow")(o, self)
    return _f("cpow")(_const(self, o), self)


def _ipow(self, o):
    """``x **= y``: modifies x and returns it."""
    if isinstance(o, Tensor):
        _fits(self, o, "**=")
        _f("cpow")(self, self, o)
        return self
    if is_number(o):
        if self._is_float:
            _f("pow")(self, self, o)
        else:
            _f("cpow")(self, self, _const(self, o))
        return self
    return NotImplemented


def _neg(self):
    """``-x``: a new tensor (integers wrap around as in C)."""
    return type(self)._new(fresh(np.negative, self._a))


def _pos(self):
    """``+x``: a copy."""
    return type(self)._new(fresh(np.positive, self._a))


def _abs(self):
    """``abs(x)``: a new tensor."""
    return type(self)._new(fresh(np.absolute, self._a))


def _matmul(self, o):
    """``a @ b``: dot (1-D, 1-D; a number), mv (2-D, 1-D), mm (2-D, 2-D) or bmm (3-D, 3-D).

    Example:
        >>> import torch7 as torch
        >>> m = torch.Tensor([[1, 2], [3, 4]])
        >>> (m @ torch.Tensor([1, 1])).totable(), torch.Tensor([1, 2]) @ torch.Tensor([3, 4])
        ([3.0, 7.0], 11.0)
    """
    if not isinstance(o, Tensor):
        return NotImplemented
    fname = _MATMUL.get((self.nDimension(), o.nDimension()))
    if fname is None:
        raise ValueError(f"@: expected 1-D @ 1-D (dot), 2-D @ 1-D (mv), 2-D @ 2-D (mm) or 3-D @ 3-D (bmm), "
                         f"got sizes {_fmt(self.size())} and {_fmt(o.size())}")
    return _f(fname)(self, o)


_MATMUL = {(1, 1): "dot", (2, 1): "mv", (2, 2): "mm", (3, 3): "bmm"}


# ---- comparisons --------------------------------------------------------------------------
def _compare(name: str, uf):
    def op(self, o):
        a = self._a
        if isinstance(o, Tensor):
            b = o._a
            if a.shape == b.shape and a.size:
                return self._byte_cls._new(fresh(uf, a, b).view(_BYTE))
            return _F[name](self, o)
        t = type(o)
        # An integer tensor compares with Python ints exactly; floats go through the function,
        # which truncates them first as Torch7 does.
        if (t is int or (t is float and self._is_float)) and a.size:
            return self._byte_cls._new(fresh(uf, a, o).view(_BYTE))
        if is_number(o):
            return _F[name](self, o)
        return NotImplemented

    op.__doc__ = f"A ByteTensor mask (torch.{name})."
    return op


METHODS: dict = {
    "__add__": _add, "__radd__": _radd, "__iadd__": _iadd,
    "__sub__": _sub, "__rsub__": _rsub, "__isub__": _isub,
    "__mul__": _mul, "__rmul__": _rmul, "__imul__": _imul,
    "__truediv__": _div, "__rtruediv__": _rdiv, "__itruediv__": _idiv,
    "__mod__": _mod, "__rmod__": _rmod, "__imod__": _imod,
    "__pow__": _pow, "__rpow__": _rpow, "__ipow__": _ipow,
    "__neg__": _neg, "__pos__": _pos, "__abs__": _abs, "__matmul__": _matmul,
    # Makes NumPy defer to these operators, so that np.float64(2) * x is a tensor, not an array.
    "__array_priority__": 1000,
}
for _name, _uf, _dunder in (("lt", np.less, "__lt__"), ("le", np.less_equal, "__le__"),
                            ("gt", np.greater, "__gt__"), ("ge", np.greater_equal, "__ge__"),
                            ("eq", np.equal, "__eq__"), ("ne", np.not_equal, "__ne__")):
    METHODS[_dunder] = _compare(_name, _uf)
