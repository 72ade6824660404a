"""Element-wise kernels as C function pointers for :mod:`torch7._core.blaspool` (needs ``numba``).

Each kernel is compiled by Numba's ``cfunc`` with the signature OpenBLAS's thread server calls a work
item with, ``routine(args, range_m, range_n, sa, sb, position)``; blaspool passes the output pointer as
``args``, the operands as ``range_m``/``range_n`` and the element count as ``sa``.  They touch no Python
object, so OpenBLAS's worker threads run them without the GIL.  Plain IEEE arithmetic (no fast-math):
results are bit-identical to NumPy's ufuncs.  Compiled on first use and cached on disk.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import carray, types

_TYPES = {np.dtype(np.float32): types.float32, np.dtype(np.float64): types.float64}
_WIDTH = {1: types.uint8, 2: types.uint16, 4: types.uint32, 8: types.uint64}
_CACHE: dict = {}


def _sig(t):
    p = types.CPointer(t)
    return types.intp(p, p, p, types.intp, types.intp, types.intp)


def _imul(out, a, _b, n, _sb, _pos):
    """out[i] *= a[i]: two pointers, so LLVM vectorises it even when a is out."""
    o = carray(out, n)
    x = carray(a, n)
    for i in range(n):
        o[i] *= x[i]
    return 0


def _mul(out, a, b, n, _sb, _pos):
    """out[i] = a[i] * b[i]; out shares no memory with a or b."""
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    for i in range(n):
        o[i] = x[i] * y[i]
    return 0


def _add(out, a, b, n, _sb, _pos):
    """out[i] = a[i] + b[i]; out shares no memory with a or b."""
    o = carray(out, n)
    x = carray(a, n)
    y = carray(b, n)
    for i in range(n):
        o[i] = x[i] + y[i]
    return 0


def _fill(out, a, _b, n, _sb, _pos):
    """out[i] = a[0]: one bit pattern of the element's width."""
    o = carray(out, n)
    v = a[0]
    for i in range(n):
        o[i] = v
    return 0


def _sum(out, a, _b, n, _sb, _pos):
    """out[0] = sum of a[:n], accumulated in float64 (Torch7's accreal) in SIMD lanes."""
    x = carray(a, n)
    s = 0.0
    for i in range(n):
        s += x[i]
    out[0] = s
    return 0


_BODIES = {"imul": _imul, "mul": _mul, "add": _add, "fill": _fill}
# Reassociation lets LLVM keep several partial sums (SIMD lanes): the order differs from a serial loop,
# as a threaded sum's must; accumulating in float64 keeps float32 sums more accurate than NumPy's.
_SUM_OPTS = {"fastmath": {"reassoc", "nsz", "contract"}}


def address(name: str, dtype: np.dtype) -> int | None:
    """The C address of kernel ``name`` ("imul", "mul", "add", "fill", "sum") for ``dtype``, or None.

    Arithmetic kernels exist for float32/float64; "fill" works on any element width of 1-8 bytes
    (it copies bit patterns); "sum" writes one float64 partial sum through its output pointer.
    """
    key = (name, dtype.itemsize) if name == "fill" else (name, dtype)
    f = _CACHE.get(key)
    if f is None:
        t = _WIDTH.get(dtype.itemsize) if name == "fill" else _TYPES.get(dtype)
        if t is None:
            return None
        if name == "sum":
            p = types.CPointer(types.float64)
            sig = types.intp(p, types.CPointer(t), p, types.intp, types.intp, types.intp)
            f = numba.cfunc(sig, cache=True, nogil=True, **_SUM_OPTS)(_sum)
        else:
            f = numba.cfunc(_sig(t), cache=True, nogil=True)(_BODIES[name])
        _CACHE[key] = f
    return f.address
