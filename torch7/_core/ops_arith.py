"""Basic arithmetic (Torch7's "Basic operations"): add, csub, mul, div, cmul, cdiv and cpow (addcmul and
addcdiv: ops_addc.py), plus the engine shared with ops_bitwise.py (modulo, shifts, bit operations, clamp, cmax,
cmin, sign, equal).

Forms follow TensorMath.lua: ``torch.f([res,] t, value)``, ``torch.f([res,] t1, t2)``; methods work in
place (``x.mul(2)``, ``x.cmul(y)``) or write into self (``r.cmul(a, b)``).  Operands broadcast with
NumPy rules, else Torch7's same-element-count rule applies (``dispatch.bshape``).  Mixed tensor types
are computed in NumPy's promoted type and cast to the result's type (Torch7 refuses them).

Integer semantics are C's: numbers are converted to the element type (truncated, wrapped); ``div``/``cdiv``
truncate toward zero; an integer divided by zero (a crash in C) gives 0 (NumPy's convention), silently.
"""

from __future__ import annotations

import numpy as np

from . import blaspool
from .backend import fresh
from .blas1 import MIN_SIZE as MIN_AXPY
from .blas1 import axpy
from .blaspool import MIN_BYTES as POOL_MIN
from .dispatch import bad_args, bshape, check_inplace, operand, prepare
from .tensor import Tensor

NUM = (int, float, np.number)
_NO = object()  # "argument not given" (None can be a user mistake worth reporting)
_LIMITS = {np.dtype(t): (int(np.iinfo(t).min), int(np.iinfo(t).max))
           for t in (np.uint8, np.int8, np.int16, np.int32, np.int64)}


# ---- the engine (shared with ops_bitwise) ---------------------------------------------------
def num(v, cls: type, fname: str):
    """``v`` converted to the element type of ``cls`` as C converts a number (truncate, then wrap)."""
    if cls._is_float:
        return v
    try:
        iv = int(v)
    except (ValueError, OverflowError):
        raise ValueError(f"{fname}: cannot convert {v!r} to the integer type of {cls._typename}") from None
    lo, hi = _LIMITS[cls._dtype]
    if lo <= iv <= hi:
        return iv
    return (iv - lo) % (hi - lo + 1) + lo


def is_int(x) -> bool:
    """True for an integer array or a Python/NumPy integer (the operands of a kernel)."""
    return x.dtype.kind in "iu" if hasattr(x, "dtype") else isinstance(x, int)


def quiet() -> np.errstate:
    """Silence NumPy's floating-point warnings (Torch7 never warns; 1/0 gives inf, 0/0 nan)."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore")


def ufunc_kernel(uf, pool: str | None = None):
    """A kernel ``k(A, B, O)`` computing ``uf(A, B)`` into ``O`` whatever the dtypes; with ``pool``
    ("add" or "mul") large same-type float operands go to OpenBLAS's threads (:mod:`blaspool`)."""
    if pool is None:
        def k(A, B, O):
            uf(A, B, out=O, casting="unsafe")
        return k

    def pooled(A, B, O):
        if O.nbytes >= POOL_MIN and type(B) is np.ndarray:
            if O is A and pool == "mul":
                if blaspool.inplace("imul", O, B):
                    return
            elif O is not A and O is not B and blaspool.binary(pool, O, A, B):
                return
        uf(A, B, out=O, casting="unsafe")
    return pooled


def promoted(v, t: Tensor, res: Tensor):
    """The number ``v`` (converted for ``res``) as an operand of ``t``: with mixed types a Python int
    joins NumPy's promotion as int64 instead of having to fit t's narrower type (-2 with a ByteTensor)."""
    if type(v) is int and type(t) is not type(res):
        return np.int64(v) if -(1 << 63) <= v < (1 << 63) else float(v)
    return v


def run2(kern, fname: str, res, a: Tensor, b):
    """``res <- kern(a, b)`` where ``b`` is a tensor, an array or an already converted number.

    ``res`` None gives a new tensor of a's type.  ``res is a`` is the in-place form: the result
    must fit in a (ValueError otherwise); any other ``res`` is resized to the result's size.
    """
    A = a._a
    B = b._a if isinstance(b, Tensor) else b
    if hasattr(B, "shape"):
        if A.shape == B.shape:
            shape = A.shape
        else:
            shape = bshape(A, B, fname)
            B = operand(B, shape)
    else:
        shape = A.shape
        if res is not None:
            B = promoted(B, a, res)
    if res is None:
        cls = type(a)
        if 0 in shape:
            return cls._new(np.empty(0, cls._dtype))
        out = cls._xp.empty(shape, cls._dtype)
        kern(A, B, out)
        return cls._new(out)
    if res is a:
        check_inplace(res, shape, fname)
    prepare(res, type(res), shape)
    if res._a.size:
        kern(A, B, res._a)
    return res


def binary_op(name: str, kern=None, value_kern=None, int_only: bool = False, doc: str = ""):
    """Build ``torch.name([res,] t, x)`` and the method ``self.name([t,] x)`` (in place without t).

    ``x`` may be a tensor when ``kern`` is given and a number when ``value_kern`` is given; both
    kernels have the form ``k(A, B, O)`` (see ``run2``).
    """
    ok = ((Tensor,) if kern else ()) + (NUM if value_kern else ())
    form = "tensor, " + " | ".join((["tensor"] if kern else []) + (["number"] if value_kern else []))

    def go(res, a, b):
        cls = type(res if res is not None else a)
        if int_only:
            for t in (cls, type(a), type(b)):
                if getattr(t, "_is_float", False):
                    raise TypeError(f"{name}: only supported for integer tensors, not {t._typename}")
        if isinstance(b, Tensor):
            return run2(kern, name, res, a, b)
        return run2(value_kern, name, res, a, num(b, cls, name))

    def fn(*args):
        n = len(args)
        res = args[0] if n == 3 else None
        if n in (2, 3) and isinstance(args[-2], Tensor) and isinstance(args[-1], ok) and (
                res is None or isinstance(res, Tensor)):
            return go(res, args[-2], args[-1])
        raise bad_args(f"torch.{name}", args, f"([res,] {form})")

    def method(self, *args):
        n = len(args)
        if n == 1 and isinstance(args[0], ok):
            return go(self, self, args[0])
        if n == 2 and isinstance(args[0], Tensor) and isinstance(args[1], ok):
            return go(self, args[0], args[1])
        raise bad_args(name, args, f"([tensor,] {form.split(', ', 1)[1]})")

    fn.__name__ = method.__name__ = name
    fn.__doc__ = method.__doc__ = doc or f"Element-wise {name} (Torch7's torch.{name}); methods work in place."
    return fn, method


# ---- add / csub -------------------------------------------------------------------------------
def _make_addsub(name: str, uf):
    """add and csub share forms: ``([res,] t, value)``, ``([res,] t1, t2)``, ``([res,] t1, value, t2)``."""
    pool = "add" if uf is np.add else "sub"  # the pooled kernels (blaspool.binary)
    plain = ufunc_kernel(uf, pool)
    sign = -1.0 if uf is np.subtract else 1.0  # for BLAS axpy: x (+|-) v*y = x + (+-v)*y

    def scaled(res, a, v, b):
        """res <- a (+|-) v*b, with v already converted to the element type."""
        if v == 1:
            return run2(plain, name, res, a, b)
        v = promoted(v, b, res if res is not None else a)

        def k(A, B, O):
            if O is not A and not np.may_share_memory(O, A):
                np.multiply(B, v, out=O, casting="unsafe")  # O holds v*b, then O = a (+|-) O
                uf(A, O, out=O, casting="unsafe")
            else:  # writing into a: one temporary for v*b
                uf(A, np.multiply(B, v), out=O, casting="unsafe")
        return run2(k, name, res, a, b)

    def fn(*args):
        n = len(args)
        if n == 2:
            a, b = args
            if type(a) is type(b) and isinstance(a, Tensor):  # same class: same dtype
                A, B = a._a, b._a
                if A.shape == B.shape:
                    if A.nbytes >= POOL_MIN:
                        out = np.empty(A.shape, A.dtype) if type(A) is np.ndarray else None
                        if out is not None and blaspool.binary(pool, out, A, B):
                            return type(a)._new(out)
                    return type(a)._new(fresh(uf, A, B))
            if isinstance(a, Tensor):
                if isinstance(b, Tensor):
                    return run2(plain, name, None, a, b)
                if isinstance(b, NUM):
                    return run2(plain, name, None, a, num(b, type(a), name))
        elif n == 3:
            r, a, b = args
            if isinstance(r, Tensor):
                if isinstance(a, Tensor):
                    return method(r, a, b)
                if isinstance(a, NUM) and isinstance(b, Tensor):  # (t1, value, t2)
                    return scaled(None, r, num(a, type(r), name), b)
        elif n == 4 and isinstance(args[0], Tensor):
            return method(*args)
        raise bad_args(f"torch.{name}", args, "([res,] tensor, number | tensor) or ([res,] tensor, number, tensor)")

    def method(self, a=_NO, b=_NO, c=_NO, *rest):
        A = self._a
        T = type(self)
        if rest or a is _NO:
            pass
        elif b is _NO:
            if type(a) is T:
                B = a._a
                if A.shape == B.shape:
                    if A.size < MIN_AXPY or not axpy(sign, B, A):
                        uf(A, B, out=A)
                    return self
            if isinstance(a, Tensor):
                return run2(plain, name, self, self, a)
            if isinstance(a, NUM):
                # x - v is x + (-v) exactly in IEEE arithmetic
                if not (A.nbytes >= POOL_MIN and self._is_float and blaspool.inplace("iadds", A, params=(sign * a,))):
                    uf(A, a if self._is_float else num(a, T, name), out=A)
                return self
        elif c is _NO:
            if type(a) is T and type(b) is T:
                X, B = a._a, b._a
                if X.shape == B.shape == A.shape:
                    plain(X, B, A)
                    return self
            if isinstance(a, Tensor):
                if isinstance(b, Tensor):
                    return run2(plain, name, self, a, b)
                if isinstance(b, NUM):
                    return run2(plain, name, self, a, num(b, T, name))
            elif isinstance(a, NUM) and isinstance(b, Tensor):
                if type(b) is T and b._a.shape == A.shape:
                    if A.size < MIN_AXPY or not axpy(sign * a, b._a, A):
                        uf(A, np.multiply(b._a, a if self._is_float else num(a, T, name)), out=A)
                    return self
                return scaled(self, self, num(a, T, name), b)
        elif isinstance(a, Tensor) and isinstance(b, NUM) and isinstance(c, Tensor):
            return scaled(self, a, num(b, T, name), c)
        args = tuple(v for v in (a, b, c) if v is not _NO) + rest
        raise bad_args(name, args, "(number | tensor), (number, tensor) or (tensor, [number,] tensor)")

    return fn, method


add, _add_m = _make_addsub("add", np.add)
add.__doc__ = _add_m.__doc__ = """Sum: ``add([res,] t, value)``, ``add([res,] t1, t2)``, ``add([res,] t1, value, t2)``.

    The last form computes ``t1 + value * t2``.  Methods work in place: ``x.add(v)``, ``x.add(y)``,
    ``x.add(v, y)``; ``r.add(a, b)`` and ``r.add(a, v, b)`` write into ``r``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([1, 2, 3])
        >>> torch.add(x, 10).tolist(), torch.add(x, 2, x).tolist()
        ([11.0, 12.0, 13.0], [3.0, 6.0, 9.0])
        >>> x.add(1).tolist()
        [2.0, 3.0, 4.0]
    """
csub, _csub_m = _make_addsub("csub", np.subtract)
csub.__doc__ = _csub_m.__doc__ = """Difference, forms as add: ``csub([res,] t1, [value,] t2)`` = t1 - value * t2.

    Example:
        >>> import torch7 as torch
        >>> torch.csub(torch.Tensor([5, 5]), 2, torch.Tensor([1, 2])).tolist()
        [3.0, 1.0]
    """


# ---- mul / cmul -------------------------------------------------------------------------------
_mul_k = ufunc_kernel(np.multiply, "mul")
mul, _mul_generic = binary_op("mul", None, _mul_k, doc="""``mul([res,] t, value)`` = t * value; ``x.mul(v)`` in place.

    Example:
        >>> import torch7 as torch
        >>> torch.mul(torch.IntTensor([1, -2]), 3).tolist()
        [3, -6]
    """)


def _mul_m(self, *args):
    """``x.mul(v)``: x * v in place; ``r.mul(t, v)`` writes t * v into r."""
    if len(args) == 1 and isinstance(args[0], NUM):
        A = self._a
        if not (A.nbytes >= POOL_MIN and self._is_float and blaspool.inplace("imuls", A, params=(args[0],))):
            np.multiply(A, args[0] if self._is_float else num(args[0], type(self), "mul"), out=A)
        return self
    return _mul_generic(self, *args)


cmul, _cmul_generic = binary_op("cmul", _mul_k, doc="""``cmul([res,] t1, t2)`` = t1 * t2; ``x.cmul(y)`` in place.

    Example:
        >>> import torch7 as torch
        >>> torch.cmul(torch.Tensor([1, 2]), torch.Tensor([3, 4])).tolist()
        [3.0, 8.0]
    """)


def _cmul_m(self, *args):
    """``x.cmul(y)``: x * y in place; ``r.cmul(a, b)`` writes a * b into r."""
    if len(args) == 1 and type(args[0]) is type(self):  # same class: same dtype
        A, B = self._a, args[0]._a
        if A.shape == B.shape:
            _mul_k(A, B, A)
            return self
    return _cmul_generic(self, *args)


# ---- div / cdiv / cpow ------------------------------------------------------------------------
def trunc_divide(A, B, O) -> None:
    """Integer division rounding toward zero (C), into O: (a - fmod(a, b)) // b is exact."""
    r = np.fmod(A, B)
    np.subtract(A, r, out=r)
    np.floor_divide(r, B, out=O, casting="unsafe")


def _div_k(A, B, O):
    with quiet():
        if O.dtype.kind in "iu" and is_int(A) and is_int(B):
            trunc_divide(A, B, O)
        elif not (O is A and O.nbytes >= POOL_MIN and (
                blaspool.inplace("idiv", O, B) if type(B) is np.ndarray else
                O.dtype.kind == "f" and blaspool.inplace("idivs", O, params=(B,)))):
            np.divide(A, B, out=O, casting="unsafe")


def _pow_k(A, B, O):
    with quiet():
        if O.dtype.kind in "iu":  # C's pow() works in double, then converts (2^-1 -> 0)
            np.power(A, B, out=O, dtype=np.float64, casting="unsafe")
        else:
            np.power(A, B, out=O, casting="unsafe")


div, _div_m = binary_op("div", None, _div_k, doc="""``div([res,] t, value)`` = t / value; ``x.div(v)`` in place.

    Integer tensors divide as C does (truncation toward zero); an integer division by zero gives 0.

    Example:
        >>> import torch7 as torch
        >>> torch.div(torch.IntTensor([7, -7]), 2).tolist(), torch.div(torch.Tensor([1]), 4).tolist()
        ([3, -3], [0.25])
    """)
cdiv, _cdiv_m = binary_op("cdiv", _div_k, doc="""Element-wise ``cdiv([res,] t1, t2)`` = t1 / t2; ``x.cdiv(y)`` in place.

    Integer tensors truncate toward zero; an integer division by zero gives 0.

    Example:
        >>> import torch7 as torch
        >>> torch.cdiv(torch.LongTensor([7, -7]), torch.LongTensor([2, 2])).tolist()
        [3, -3]
    """)
cpow, _cpow_m = binary_op("cpow", _pow_k, doc="""Element-wise ``cpow([res,] t1, t2)`` = t1 ^ t2; ``x.cpow(y)`` in place.

    Integer tensors compute in double and truncate, as C's ``pow`` does (``2 ^ -1`` gives 0).

    Example:
        >>> import torch7 as torch
        >>> torch.cpow(torch.IntTensor([2, 3]), torch.IntTensor([3, 2])).tolist()
        [8, 9]
    """)


METHODS = {"add": _add_m, "csub": _csub_m, "mul": _mul_m, "cmul": _cmul_m, "div": _div_m, "cdiv": _cdiv_m,
           "cpow": _cpow_m}
FUNCTIONS = {"add": add, "csub": csub, "mul": mul, "cmul": cmul, "div": div, "cdiv": cdiv, "cpow": cpow}
