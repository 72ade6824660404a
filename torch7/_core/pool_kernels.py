"""Element-wise kernels as C function pointers for :mod:`torch7._core.blaspool` (needs ``numba``).

Each kernel is compiled by Numba's ``cfunc`` with the signature OpenBLAS's thread server calls a work
item with, ``routine(args, range_m, range_n, sa, sb, position)``; blaspool passes the output pointer as
``args``, the operands as ``range_m``/``range_n``, the element count as ``sa`` and a pointer to scalar
parameters (a clamp's bounds, a scale) as ``sb``.  They touch no Python
object, so OpenBLAS's worker threads run them without the GIL.  Plain IEEE arithmetic (no fast-math):
results are bit-identical to NumPy's ufuncs.  Compiled on first use and cached on disk.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import carray, types

_TYPES = {np.dtype(np.float32): types.float32, np.dtype(np.float64): types.float64}
_WIDTH = {1: types.uint8, 2: types.uint16, 4: types.uint32, 8: types.uint64}
_CACHE: dict = {}


def _sig(t, out=None):
    """(out, a, b, n, params, position); ``out`` defaults to the element type (reductions: float64)."""
    p = types.CPointer(t)
    return types.intp(types.CPointer(out or t), p, p, types.intp, p, types.intp)


# Element-wise kernels.  Names starting with "i" work in place on ``out`` (a and b may be out itself);
# the others write an ``out`` that shares no memory with a or b.  ``p`` points at scalar parameters.
def _imul(out, a, _b, n, _p, _pos):
    """out[i] *= a[i]: two pointers, so LLVM vectorises it even when a is out."""
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] *= x[i]
    return 0


def _idiv(out, a, _b, n, _p, _pos):
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] /= x[i]
    return 0


def _imuls(out, _a, _b, n, p, _pos):
    o = carray(out, n)
    v = p[0]
    for i in range(n):
        o[i] *= v
    return 0


def _idivs(out, _a, _b, n, p, _pos):
    o = carray(out, n)
    v = p[0]
    for i in range(n):
        o[i] /= v
    return 0


def _iadds(out, _a, _b, n, p, _pos):
    o = carray(out, n)
    v = p[0]
    for i in range(n):
        o[i] += v
    return 0


def _imax(out, a, _b, n, _p, _pos):
    """out[i] = out[i] > a[i] ? out[i] : a[i] (C's conditional: a NaN in either gives a[i])."""
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] = o[i] if o[i] > x[i] else x[i]
    return 0


def _imin(out, a, _b, n, _p, _pos):
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] = o[i] if o[i] < x[i] else x[i]
    return 0


def _iclamp(out, _a, _b, n, p, _pos):
    """Torch7's clamp: v < lo ? lo : (v > hi ? hi : v); a NaN stays NaN."""
    o = carray(out, n)
    lo, hi = p[0], p[1]
    for i in range(n):
        v = o[i]
        o[i] = lo if v < lo else (hi if v > hi else v)
    return 0


def _iaddcmul(out, a, b, n, p, _pos):
    """out[i] += (v * a[i]) * b[i]: the products in the order NumPy's path takes them, no FMA."""
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    v = p[0]
    for i in range(n):
        o[i] = o[i] + (v * x[i]) * y[i]
    return 0


def _max(out, a, b, n, _p, _pos):
    """out[i] = a[i] > b[i] ? a[i] : b[i]."""
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    for i in range(n):
        o[i] = x[i] if x[i] > y[i] else y[i]
    return 0


def _min(out, a, b, n, _p, _pos):
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    for i in range(n):
        o[i] = x[i] if x[i] < y[i] else y[i]
    return 0


def _sub(out, a, b, n, _p, _pos):
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    for i in range(n):
        o[i] = x[i] - y[i]
    return 0


def _iabs(out, _a, _b, n, _p, _pos):
    o = carray(out, n)
    for i in range(n):
        o[i] = abs(o[i])
    return 0


def _abs(out, a, _b, n, _p, _pos):
    """out[i] = |a[i]| (the sign bit cleared, NaNs included, as NumPy's absolute)."""
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] = abs(x[i])
    return 0


def _neg(out, a, _b, n, _p, _pos):
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] = -x[i]
    return 0


def _ineg(out, _a, _b, n, _p, _pos):
    o = carray(out, n)
    for i in range(n):
        o[i] = -o[i]
    return 0


def _isigtail(out, _a, _b, n, p, _pos):
    """out[i] = 1 / (out[i] + 1) (p[0] is 1 in the element type): the sigmoid's last two passes."""
    o = carray(out, n)
    one = p[0]
    for i in range(n):
        o[i] = one / (o[i] + one)
    return 0


def _cos(out, a, _b, n, _p, _pos):
    """out[i] = cos(a[i]) through libm, as NumPy's float64 loop (float64 only: NumPy's float32 is SIMD)."""
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] = math.cos(x[i])
    return 0


def _sin(out, a, _b, n, _p, _pos):
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] = math.sin(x[i])
    return 0


def _mul(out, a, b, n, _p, _pos):
    """out[i] = a[i] * b[i]."""
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    for i in range(n):
        o[i] = x[i] * y[i]
    return 0


def _add(out, a, b, n, _p, _pos):
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    for i in range(n):
        o[i] = x[i] + y[i]
    return 0


def _fill(out, a, _b, n, _p, _pos):
    """out[i] = a[0]: one bit pattern of the element's width."""
    o = carray(out, n)
    v = a[0]
    for i in range(n):
        o[i] = v
    return 0


# Reductions write one float64 partial result through ``out``; the caller adds the parts.
def _sum(out, a, _b, n, _p, _pos):
    x = carray(a, n)
    s = 0.0
    for i in range(n):
        s += x[i]
    out[0] = s
    return 0


def _sumsq(out, a, _b, n, _p, _pos):
    x = carray(a, n)
    s = 0.0
    for i in range(n):
        v = np.float64(x[i])
        s += v * v
    out[0] = s
    return 0


def _sumabs(out, a, _b, n, _p, _pos):
    x = carray(a, n)
    s = 0.0
    for i in range(n):
        s += abs(np.float64(x[i]))
    out[0] = s
    return 0


def _dot(out, a, b, n, _p, _pos):
    x = carray(a, n)
    y = carray(b, n)
    s = 0.0
    for i in range(n):
        s += np.float64(x[i]) * np.float64(y[i])
    out[0] = s
    return 0


_BODIES = {"imul": _imul, "idiv": _idiv, "imuls": _imuls, "idivs": _idivs, "iadds": _iadds, "imax": _imax,
           "imin": _imin, "iclamp": _iclamp, "iaddcmul": _iaddcmul, "max": _max, "min": _min, "mul": _mul,
           "add": _add, "sub": _sub, "iabs": _iabs, "abs": _abs, "cos": _cos, "sin": _sin, "neg": _neg, "ineg": _ineg,
           "isigtail": _isigtail, "fill": _fill}
REDUCTIONS = {"sum": _sum, "sumsq": _sumsq, "sumabs": _sumabs, "dot": _dot}
# Reassociation lets LLVM keep several partial sums (SIMD lanes): the order differs from a serial loop,
# as a threaded sum's must; accumulating in float64 keeps float32 sums more accurate than NumPy's.
_SUM_OPTS = {"fastmath": {"reassoc", "nsz", "contract"}}
# NumPy's error model: a division by zero gives inf/NaN as in C, with no check that stops vectorisation.
_OPTS = {"cache": True, "nogil": True, "error_model": "numpy"}


def address(name: str, dtype: np.dtype) -> int | None:
    """The C address of kernel ``name`` for ``dtype``, or None.

    Arithmetic kernels and reductions (:data:`REDUCTIONS`) exist for float32/float64; "fill" works on
    any element width of 1-8 bytes (it copies bit patterns).
    """
    key = (name, dtype.itemsize) if name == "fill" else (name, dtype)
    f = _CACHE.get(key)
    if f is None:
        t = _WIDTH.get(dtype.itemsize) if name == "fill" else _TYPES.get(dtype)
        if t is None:
            return None
        if name in REDUCTIONS:
            f = numba.cfunc(_sig(t, types.float64), **_OPTS, **_SUM_OPTS)(REDUCTIONS[name])
        else:
            f = numba.cfunc(_sig(t), **_OPTS)(_BODIES[name])
        _CACHE[key] = f
    return f.address
