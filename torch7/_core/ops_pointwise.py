"""Element-wise math: log, exp, the trigonometric family, sqrt, rounding, sigmoid, abs, neg, pow, ...

Every function has Torch7's forms: ``torch.f(x)`` returns a new tensor, ``torch.f(res, x)`` writes
into ``res`` (resized), ``x.f()`` works in place and ``res.f(x)`` writes ``f(x)`` into ``res``.
The float functions (all but ``abs`` and ``neg``) raise ``TypeError`` on integer tensors, and most
of them also take a plain number and return a Python float, as Torch7 does (``torch.log(2.0)``).

Two-operand functions: ``atan2([res,] a, b)``, ``lerp([res,] a, b, weight)`` (``a + weight*(b-a)``),
``pow([res,] x, n)`` (``x**n``) and ``pow([res,] n, x)`` (``n**x``, Torch7's tpow).  Tensor operands
broadcast with NumPy rules, or combine by element count (Torch7's rule, shaped like ``a``).

``round`` rounds half away from zero (C's ``round``), unlike NumPy's half-to-even; ``frac`` is
``x - trunc(x)``.  As in C, domain errors give ``nan``/``inf`` (NumPy may warn about them).
"""

from __future__ import annotations

import math

import numpy as np

from . import blaspool
from .backend import fresh
from .blaspool import MIN_BYTES as POOL_MIN
from .dispatch import bad_args, bshape, check_inplace, is_number, operand, prepare, unary
from .tensor import Tensor


# ---- ufunc-like kernels NumPy lacks: called as fresh(f, a) or f(a, out=o, casting="unsafe") ----
def _round(a: np.ndarray, out=None, order: str = "C", casting: str = "unsafe") -> np.ndarray:
    """C ``round``: half away from zero, exact for every float (no ``x + 0.5`` rounding error)."""
    inf = np.isinf(a)  # before anything is written: out may be a
    t = fresh(np.trunc, a)
    with np.errstate(invalid="ignore"):  # inf - inf below; those entries are fixed afterwards
        d = np.subtract(a, t)  # exact: the fractional part
        d *= 2  # |d| < 1, so trunc(2d) is -1, 0 or 1: the rounding step
        np.trunc(d, out=d)
        np.copyto(d, 0, where=inf)
        return np.add(t, d, out=t if out is None else out, casting=casting)


def _frac(a: np.ndarray, out=None, order: str = "C", casting: str = "unsafe") -> np.ndarray:
    t = fresh(np.trunc, a)
    return np.subtract(a, t, out=t if out is None else out, casting=casting)


def _sigmoid(a: np.ndarray, out=None, order: str = "C", casting: str = "unsafe") -> np.ndarray:
    """Torch7's formula 1/(1+exp(-x)), also nn.Sigmoid's.  exp overflows to inf for very negative x,
    which gives the exact limit 0, so that overflow is not worth a warning.  On big float arrays the
    negation and the last two passes (+1, reciprocal) run on OpenBLAS's threads, same bits."""
    t = fresh(_negative, a) if out is None else _negative(a, out=out, casting=casting)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    if not (type(t) is np.ndarray and t.nbytes >= POOL_MIN and blaspool.inplace("isigtail", t, params=(1,))):
        np.add(t, 1, out=t)
        np.reciprocal(t, out=t)
    return t


def _rsqrt(a: np.ndarray, out=None, order: str = "C", casting: str = "unsafe") -> np.ndarray:
    t = fresh(np.sqrt, a) if out is None else np.sqrt(a, out=out, casting=casting)
    return np.reciprocal(t, out=t)


# ---- the same on Python numbers (Torch7 returns a Lua number) -------------------------------
def _num(ufunc):
    def f(v) -> float:
        return float(ufunc(np.float64(v)))

    return f


def _round_num(v) -> float:
    v = float(v)
    if not math.isfinite(v):
        return v
    t = float(math.trunc(v))
    return t + math.copysign(1.0, v) if abs(v - t) >= 0.5 else t


def _frac_num(v) -> float:
    v = float(v)
    return v - math.trunc(v) if math.isfinite(v) else math.nan


_F32_64 = (np.dtype(np.float32), np.dtype(np.float64))
# NumPy's float64 cos/sin loops call libm one element at a time (~14 ns); the pool's kernels call
# the same libm (same values); its float32 loops are vectorised and stay.
_absolute = blaspool.pooled_ufunc(np.absolute, "abs", _F32_64, "iabs")
_negative = blaspool.pooled_ufunc(np.negative, "neg", _F32_64, "ineg")
_cos = blaspool.pooled_ufunc(np.cos, "cos", (np.dtype(np.float64),))
_sin = blaspool.pooled_ufunc(np.sin, "sin", (np.dtype(np.float64),))


def _sigmoid_num(v) -> float:
    v = float(v)
    try:
        return 1.0 / (1.0 + math.exp(-v))
    except OverflowError:  # C gets exp(-v) = inf, hence 0
        return 0.0


def _rsqrt_num(v) -> float:
    v = float(v)
    if v == 0.0:
        return math.copysign(math.inf, v)
    return 1.0 / math.sqrt(v) if v > 0 else math.nan


_UNARY = {
    # name: (kernel, float only, number form)
    "log": (np.log, True, _num(np.log)),
    "log1p": (np.log1p, True, _num(np.log1p)),
    "exp": (np.exp, True, _num(np.exp)),
    "cos": (_cos, True, _num(np.cos)),
    "acos": (np.arccos, True, _num(np.arccos)),
    "cosh": (np.cosh, True, _num(np.cosh)),
    "sin": (_sin, True, _num(np.sin)),
    "asin": (np.arcsin, True, _num(np.arcsin)),
    "sinh": (np.sinh, True, _num(np.sinh)),
    "tan": (np.tan, True, _num(np.tan)),
    "atan": (np.arctan, True, _num(np.arctan)),
    "tanh": (np.tanh, True, _num(np.tanh)),
    "sqrt": (np.sqrt, True, _num(np.sqrt)),
    "rsqrt": (_rsqrt, True, _rsqrt_num),
    "ceil": (np.ceil, True, _num(np.ceil)),
    "floor": (np.floor, True, _num(np.floor)),
    "trunc": (np.trunc, True, _num(np.trunc)),
    "round": (_round, True, _round_num),
    "frac": (_frac, True, _frac_num),
    "sigmoid": (_sigmoid, True, _sigmoid_num),
    "cinv": (np.reciprocal, True, None),
    # Torch7 has neg for floats only and abs for Int/Long/floats; both are harmless on every type
    # (C semantics: -x and abs(x) wrap around for the smallest value, and for ByteTensor).
    "neg": (np.negative, False, None),
    "abs": (_absolute, False, abs),
}


# ---- two-operand functions -------------------------------------------------------------------
def _need_float(fname: str, *ts) -> None:
    for t in ts:
        if t is not None and not t._is_float:
            raise TypeError(f"{fname}: not defined for {t._typename} (use a Float or Double tensor)")


def _number(v, fname: str, what: str) -> float:
    if not is_number(v):
        raise TypeError(f"{fname}: {what} must be a number, got {type(v).__name__}")
    return float(v)


def _pair(res, a: Tensor, b: Tensor, fname: str):
    """The arrays of ``a`` and ``b`` ready to combine, and the result tensor (prepared)."""
    aa, bb = a._a, b._a
    shape = aa.shape
    if bb.shape != shape:
        shape = bshape(aa, bb, fname)
        bb = operand(bb, shape)
    if res is a or res is b:
        check_inplace(res, shape, fname)
    return aa, bb, prepare(res, type(a) if res is None else type(res), shape)


def _atan2(res, a, b) -> Tensor:
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        raise bad_args("atan2", (a, b), "([res,] tensor, tensor) or (number, number)")
    _need_float("atan2", res, a, b)
    aa, bb, r = _pair(res, a, b, "atan2")
    if r._a.size:
        np.arctan2(aa, bb, out=r._a, casting="unsafe")
    return r


def atan2(*args):
    """``atan2([res,] a, b)``: element-wise arctangent of a/b in (-pi, pi]; numbers give a float.

    Example:
        >>> import torch7 as torch
        >>> torch.atan2(torch.Tensor([1, -1]), torch.Tensor([1, 1])).mul(4).totable()  # 4*atan2 = +-pi
        [3.141592653589793, -3.141592653589793]
    """
    n = len(args)
    if n == 2:
        a, b = args
        if is_number(a) and is_number(b):
            return math.atan2(float(a), float(b))
        return _atan2(None, a, b)
    if n == 3 and isinstance(args[0], Tensor):
        return _atan2(*args)
    raise bad_args("torch.atan2", args, "([res,] tensor, tensor) or (number, number)")


def atan2_method(self: Tensor, *args) -> Tensor:
    """``x.atan2(y)``: x = atan2(x, y) in place; ``res.atan2(a, b)`` writes into res."""
    if len(args) == 1:
        return _atan2(self, self, args[0])
    if len(args) == 2:
        return _atan2(self, *args)
    raise bad_args("atan2", args, "(tensor) or (tensor, tensor)")


def _powt(res, x: Tensor, n) -> Tensor:
    """res = x ** n (n a number)."""
    _need_float("pow", res, x)
    if not is_number(n):
        if isinstance(n, Tensor):
            raise TypeError("pow: the exponent must be a number; use torch.cpow for a tensor of exponents")
        raise TypeError(f"pow: the exponent must be a number, got {type(n).__name__}")
    n = float(n)  # a Python float keeps the tensor's precision (NumPy's weak scalars)
    a = x._a
    if n == 2.0:  # pow(v, 2) is v*v correctly rounded: NumPy's square gives the same bits, 5x faster
        if res is None:
            return type(x)._new(fresh(np.square, a) if a.size else np.empty(0, a.dtype))
        r = prepare(res, type(res), a.shape)
        if a.size:
            np.square(a, out=r._a, casting="unsafe")
        return r
    if res is None:
        return type(x)._new(fresh(np.power, a, n) if a.size else np.empty(0, a.dtype))
    r = prepare(res, type(res), a.shape)
    if a.size:
        np.power(a, n, out=r._a, casting="unsafe")
    return r


def _tpow(res, n, x: Tensor) -> Tensor:
    """res = n ** x (Torch7's tpow)."""
    _need_float("pow", res, x)
    n = float(n)
    a = x._a
    if res is None:
        return type(x)._new(fresh(np.power, n, a) if a.size else np.empty(0, a.dtype))
    r = prepare(res, type(res), a.shape)
    if a.size:
        np.power(n, a, out=r._a, casting="unsafe")
    return r


def pow_(*args):
    """``pow([res,] x, n)`` = x**n and ``pow([res,] n, x)`` = n**x (tpow); numbers give a float.

    Example:
        >>> import torch7 as torch
        >>> torch.pow(torch.Tensor([1, 2, 3]), 2).totable(), torch.pow(2, torch.Tensor([1, 2, 3])).totable()
        ([1.0, 4.0, 9.0], [2.0, 4.0, 8.0])
    """
    n = len(args)
    if n == 2:
        x, e = args
        if isinstance(x, Tensor):
            return _powt(None, x, e)
        if is_number(x):
            if isinstance(e, Tensor):
                return _tpow(None, x, e)
            if is_number(e):
                return float(np.power(np.float64(x), np.float64(e)))
    elif n == 3 and isinstance(args[0], Tensor):
        res, x, e = args
        if isinstance(x, Tensor):
            return _powt(res, x, e)
        if is_number(x) and isinstance(e, Tensor):
            return _tpow(res, x, e)
    raise bad_args("torch.pow", args, "([res,] tensor, number), ([res,] number, tensor) or (number, number)")


def pow_method(self: Tensor, *args) -> Tensor:
    """``x.pow(n)``: x = x**n in place; ``res.pow(x, n)`` = x**n and ``res.pow(n, x)`` = n**x into res."""
    if len(args) == 1:
        return _powt(self, self, args[0])
    if len(args) == 2:
        x, e = args
        if isinstance(x, Tensor):
            return _powt(self, x, e)
        if is_number(x) and isinstance(e, Tensor):
            return _tpow(self, x, e)
    raise bad_args("pow", args, "(number), (tensor, number) or (number, tensor)")


def _lerp(res, a, b, w) -> Tensor:
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        raise bad_args("lerp", (a, b, w), "([res,] tensor, tensor, number)")
    _need_float("lerp", res, a, b)
    w = _number(w, "lerp", "the weight")
    aa, bb, r = _pair(res, a, b, "lerp")
    if r._a.size:
        # Into a temporary first: r may be a or b, which the last step still reads.
        d = np.subtract(bb, aa)
        d *= w
        np.add(aa, d, out=r._a, casting="unsafe")
    return r


def lerp(*args):
    """``lerp([res,] a, b, weight)``: a + weight*(b - a); three numbers give a float.

    Example:
        >>> import torch7 as torch
        >>> torch.lerp(torch.Tensor([0, 10]), torch.Tensor([10, 20]), 0.5).totable()
        [5.0, 15.0]
    """
    n = len(args)
    if n == 3:
        a, b, w = args
        if is_number(a) and is_number(b) and is_number(w):
            a, b = float(a), float(b)
            return a + float(w) * (b - a)
        return _lerp(None, a, b, w)
    if n == 4 and isinstance(args[0], Tensor):
        return _lerp(*args)
    raise bad_args("torch.lerp", args, "([res,] tensor, tensor, number) or (number, number, number)")


def lerp_method(self: Tensor, *args) -> Tensor:
    """``a.lerp(b, w)``: a = a + w*(b - a) in place; ``res.lerp(a, b, w)`` writes into res."""
    if len(args) == 2:
        return _lerp(self, self, *args)
    if len(args) == 3:
        return _lerp(self, *args)
    raise bad_args("lerp", args, "(tensor, number) or (tensor, tensor, number)")


FUNCTIONS: dict = {"atan2": atan2, "pow": pow_, "lerp": lerp}
METHODS: dict = {"atan2": atan2_method, "pow": pow_method, "lerp": lerp_method}

for _name, (_kernel, _float_only, _number_fn) in _UNARY.items():
    FUNCTIONS[_name], METHODS[_name] = unary(_name, _kernel, _float_only, _number_fn)
