"""The rest of Torch7's "Basic operations": modulo (fmod, remainder, mod and their ``c`` forms),
shifts (lshift, rshift, clshift, crshift), bit operations (bitand, bitor, bitxor, cbit*), clamp,
cmax, cmin, sign and equal.  The engine (argument forms, broadcasting, number conversion) is in
ops_arith.py.

Semantics are THTensorMath.c's:
  * ``fmod`` is C's fmod / ``%`` (sign of the dividend); ``remainder`` is ``a - b*floor(a/b)`` for
    floats (NaN when b is 0) and C's ``%`` corrected to the sign of the divisor for integers.
    An integer modulo by zero (a crash in C) gives 0 here.
  * shifts on float tensors multiply or divide by ``2^n``; on integer tensors they shift the bits
    of the unsigned type of the same width (so ``rshift`` of a negative CharTensor is logical).
    Shift counts outside ``[0, bits)`` are undefined in C; here they give 0.
  * the bit operations exist for integer tensors only (TypeError on float tensors).
  * ``cmax(a, b)`` is ``a > b ? a : b`` and ``cmin(a, b)`` is ``a < b ? a : b`` element by element
    (so a NaN in ``a`` yields b); ``clamp(t, lo, hi)`` is ``t < lo ? lo : (t > hi ? hi : t)``.
"""

from __future__ import annotations

import numpy as np

from . import blaspool
from .backend import copyto, is_array
from .blaspool import MIN_BYTES as POOL_MIN
from .dispatch import bad_args, unary
from .ops_arith import NUM, binary_op, is_int, num, quiet, run2, ufunc_kernel
from .tensor import Tensor

_UNSIGNED = {np.dtype(np.int8): np.dtype(np.uint8), np.dtype(np.int16): np.dtype(np.uint16),
             np.dtype(np.int32): np.dtype(np.uint32), np.dtype(np.int64): np.dtype(np.uint64)}


# ---- modulo -----------------------------------------------------------------------------------
def _fmod_k(A, B, O):
    with quiet():
        np.fmod(A, B, out=O, casting="unsafe")


def _remainder_k(A, B, O):
    with quiet():
        if is_int(A) and is_int(B):
            np.remainder(A, B, out=O, casting="unsafe")  # C's % corrected to the divisor's sign
            return
        if not is_array(B) and A.dtype.kind == "f":
            B = A.dtype.type(B)  # the value is a C `real` (float for a FloatTensor)
        q = np.divide(A, B)
        np.floor(q, out=q)
        q = q.astype(np.float64, copy=False)  # C: value * floor(...) is computed in double
        np.multiply(q, B, out=q)
        np.subtract(A, q, out=O, casting="unsafe")


_FMOD_DOC = """``{n}([res,] t, value)``: C's fmod (rounds the quotient toward zero: the sign of t).

    Example:
        >>> import torch7 as torch
        >>> torch.{n}(torch.IntTensor([-7, 7]), 3).tolist(), torch.{n}(torch.Tensor([-7.5]), 2).tolist()
        ([-1, 1], [-1.5])
    """
fmod, _fmod_m = binary_op("fmod", None, _fmod_k, doc=_FMOD_DOC.format(n="fmod"))
mod, _mod_m = binary_op("mod", None, _fmod_k, doc=_FMOD_DOC.format(n="mod") + "\n    (Torch7's alias of fmod.)")
cfmod, _cfmod_m = binary_op("cfmod", _fmod_k, doc="``cfmod([res,] t1, t2)``: element-wise C fmod of t1 by t2.")
cmod, _cmod_m = binary_op("cmod", _fmod_k, doc="``cmod([res,] t1, t2)``: element-wise C fmod (alias of cfmod).")
remainder, _remainder_m = binary_op("remainder", None, _remainder_k, doc=
    """``remainder([res,] t, value)`` = t - value * floor(t / value) (as Python's %).

    Example:
        >>> import torch7 as torch
        >>> torch.remainder(torch.IntTensor([-7, 7]), 3).tolist()
        [2, 1]
    """)
cremainder, _cremainder_m = binary_op("cremainder", _remainder_k,
                                      doc="``cremainder([res,] t1, t2)``: element-wise remainder (sign of t2).")


# ---- shifts -----------------------------------------------------------------------------------
def _shift_k(left: bool):
    def k(A, B, O):
        if O.dtype.kind == "f" or A.dtype.kind == "f":  # Torch7: x * 2^n and x / 2^n on floats
            with quiet():
                if is_array(B):
                    p = np.exp2(B)
                else:
                    p = (A.dtype if A.dtype.kind == "f" else O.dtype).type(np.exp2(float(B)))
                (np.multiply if left else np.divide)(A, p, out=O, casting="unsafe")
            return
        if not is_array(B) and not 0 <= B < 8 * A.dtype.itemsize:
            O.fill(0)
            return
        if is_array(B) and B.dtype.kind == "f":  # mixed types: counts become integers
            B = B.astype(np.int64)
        if left:
            np.left_shift(A, B, out=O, casting="unsafe")
        else:  # C shifts the unsigned type: the shift is logical for signed tensors too
            U = A.view(_UNSIGNED[A.dtype]) if A.dtype.kind == "i" else A
            if is_array(B):  # (uint64, int64) has no common type; a negative count becomes huge: 0
                B = B.astype(U.dtype)
            np.right_shift(U, B, out=O, casting="unsafe")
    return k


_lshift_k, _rshift_k = _shift_k(True), _shift_k(False)
lshift, _lshift_m = binary_op("lshift", None, _lshift_k, doc="""``lshift([res,] t, n)``: t << n (t * 2^n on floats).

    Example:
        >>> import torch7 as torch
        >>> torch.lshift(torch.ByteTensor([1, 3, 128]), 1).tolist()
        [2, 6, 0]
    """)
rshift, _rshift_m = binary_op("rshift", None, _rshift_k, doc=
    """``rshift([res,] t, n)``: t >> n, logical (t / 2^n on floats).

    Example:
        >>> import torch7 as torch
        >>> torch.rshift(torch.CharTensor([8, -8]), 1).tolist()
        [4, 124]
    """)
clshift, _clshift_m = binary_op("clshift", _lshift_k, doc="``clshift([res,] t1, t2)``: t1 << t2, element-wise.")
crshift, _crshift_m = binary_op("crshift", _rshift_k, doc="``crshift([res,] t1, t2)``: t1 >> t2, element-wise.")


# ---- bit operations ---------------------------------------------------------------------------
def _bit(name: str, uf, sym: str):
    k = ufunc_kernel(uf)
    v = binary_op(name, None, k, int_only=True, doc=f"``{name}([res,] t, value)``: t {sym} value (integer tensors).")
    c = binary_op("c" + name, k, int_only=True, doc=f"``c{name}([res,] t1, t2)``: t1 {sym} t2 (integer tensors).")
    return v + c


bitand, _bitand_m, cbitand, _cbitand_m = _bit("bitand", np.bitwise_and, "&")
bitor, _bitor_m, cbitor, _cbitor_m = _bit("bitor", np.bitwise_or, "|")
bitxor, _bitxor_m, cbitxor, _cbitxor_m = _bit("bitxor", np.bitwise_xor, "^")


# ---- clamp / cmax / cmin ----------------------------------------------------------------------
def _clamp(res, t, lo, hi):
    cls = type(res if res is not None else t)
    lo, hi = num(lo, cls, "clamp"), num(hi, cls, "clamp")

    def k(A, _, O):
        lo_ok, hi_ok = lo == lo, hi == hi  # a NaN bound never wins a comparison: it is ignored
        if lo_ok and hi_ok and lo <= hi:
            if O is A and O.nbytes >= POOL_MIN and blaspool.inplace("iclamp", O, params=(lo, hi)):
                return  # on OpenBLAS's threads
            if isinstance(A, np.ndarray):
                np.clip(A, lo, hi, out=O, casting="unsafe")
            else:  # CuPy's clip takes no casting
                copyto(O, np.clip(A, lo, hi))
        elif lo_ok and hi_ok:  # lo > hi: C's nested conditional gives lo below lo, else hi
            copyto(O, np.where(A < lo, lo, np.where(A > hi, hi, A)))
        elif lo_ok:
            np.maximum(A, lo, out=O, casting="unsafe")
        elif hi_ok:
            np.minimum(A, hi, out=O, casting="unsafe")
        else:
            copyto(O, A)
    return run2(k, "clamp", res, t, None)


def clamp(*args):
    """``clamp([res,] t, min, max)``: t limited to [min, max]; ``x.clamp(min, max)`` in place.

    Example:
        >>> import torch7 as torch
        >>> torch.clamp(torch.Tensor([-2, 0.5, 3]), 0, 1).tolist()
        [0.0, 0.5, 1.0]
    """
    n = len(args)
    if n in (3, 4) and all(isinstance(a, Tensor) for a in args[:n - 2]) and all(isinstance(a, NUM) for a in args[-2:]):
        return _clamp(args[0] if n == 4 else None, args[-3], args[-2], args[-1])
    raise bad_args("torch.clamp", args, "([res,] tensor, number, number)")


def _clamp_m(self, *args):
    n = len(args)
    if n in (2, 3) and all(isinstance(a, NUM) for a in args[-2:]) and (n == 2 or isinstance(args[0], Tensor)):
        return _clamp(self, self if n == 2 else args[0], args[-2], args[-1])
    raise bad_args("clamp", args, "([tensor,] number, number)")


_clamp_m.__doc__ = clamp.__doc__


def _extreme(greater: bool):
    cmp = np.greater if greater else np.less
    ext, fext = (np.maximum, np.fmax) if greater else (np.minimum, np.fmin)
    pool = "max" if greater else "min"

    def k(A, B, O):
        if is_int(A) and is_int(B):
            ext(A, B, out=O, casting="unsafe")
        elif O.nbytes >= POOL_MIN and (blaspool.inplace("i" + pool, O, B) if O is A else
                                       blaspool.binary(pool, O, A, B)):
            pass  # a > b ? a : b on OpenBLAS's threads
        else:  # a > b ? a : b exactly, NaNs included
            copyto(O, np.where(cmp(A, B), A, B))

    def kv(A, v, O):
        if v != v:  # nothing compares greater than NaN: every element takes the value
            O.fill(v)
        elif A.dtype.kind == "f":
            fext(A, v, out=O, casting="unsafe")  # a NaN element yields the value, as in C
        else:
            ext(A, v, out=O, casting="unsafe")
    return k, kv


_cmax_ks, _cmin_ks = _extreme(True), _extreme(False)
cmax, _cmax_m = binary_op("cmax", *_cmax_ks, doc=
    """``cmax([res,] t1, t2 | value)``: element-wise maximum; in place: ``x.cmax(y)``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([1, 5])
        >>> torch.cmax(x, torch.Tensor([3, 2])).tolist(), torch.cmax(x, 2).tolist()
        ([3.0, 5.0], [2.0, 5.0])
    """)
cmin, _cmin_m = binary_op("cmin", *_cmin_ks, doc=
    """``cmin([res,] t1, t2 | value)``: element-wise minimum; in place: ``x.cmin(y)``.

    Example:
        >>> import torch7 as torch
        >>> torch.cmin(torch.Tensor([1, 5]), 2).tolist()
        [1.0, 2.0]
    """)


# ---- sign / equal -----------------------------------------------------------------------------
def _sign_uf(a, out=None, casting="same_kind", **order):
    """np.sign with C's convention for NaN (neither > 0 nor < 0: 0); ``order`` only when given (CuPy has none)."""
    nan = np.isnan(a) if a.dtype.kind == "f" else None
    r = np.sign(a, **order) if out is None else np.sign(a, out=out, casting=casting)
    if nan is not None and nan.any():
        np.copyto(r, 0, where=nan)
    return r


sign, _sign_m = unary("sign", _sign_uf, float_only=False)
sign.__doc__ = _sign_m.__doc__ = """\
``sign([res,] t)``: 1, -1 or 0 by the sign of each element (0 for NaN); methods in place.

    Example:
        >>> import torch7 as torch
        >>> torch.sign(torch.Tensor([-3, 0, 2])).tolist()
        [-1.0, 0.0, 1.0]
    """


def equal(a, b) -> bool:
    """``equal(t1, t2)``: True when both tensors have the same size and the same elements.

    Example:
        >>> import torch7 as torch
        >>> torch.equal(torch.Tensor([1, 2]), torch.Tensor([1, 2])), torch.Tensor([1]).equal(torch.Tensor([1, 2]))
        (True, False)
    """
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        raise bad_args("equal", (a, b), "(tensor, tensor)")
    if a._dtype != b._dtype:
        raise TypeError(f"equal: cannot compare a {a._typename} with a {b._typename} (convert one with :type())")
    A, B = a._a, b._a
    if A.size == 0 or B.size == 0:
        return A.size == B.size
    return A.shape == B.shape and bool(np.array_equal(A, B))


# Functions built by the factories of ops_arith/dispatch are not found by doctest here: list them.
__test__ = {f.__name__: f.__doc__ for f in (fmod, mod, remainder, lshift, rshift, cmax, cmin, sign)}

METHODS = {
    "fmod": _fmod_m, "mod": _mod_m, "cfmod": _cfmod_m, "cmod": _cmod_m, "remainder": _remainder_m,
    "cremainder": _cremainder_m, "lshift": _lshift_m, "rshift": _rshift_m, "clshift": _clshift_m,
    "crshift": _crshift_m, "bitand": _bitand_m, "cbitand": _cbitand_m, "bitor": _bitor_m, "cbitor": _cbitor_m,
    "bitxor": _bitxor_m, "cbitxor": _cbitxor_m, "clamp": _clamp_m, "cmax": _cmax_m, "cmin": _cmin_m,
    "sign": _sign_m, "equal": equal,
}
FUNCTIONS = {
    "fmod": fmod, "mod": mod, "cfmod": cfmod, "cmod": cmod, "remainder": remainder, "cremainder": cremainder,
    "lshift": lshift, "rshift": rshift, "clshift": clshift, "crshift": crshift, "bitand": bitand,
    "cbitand": cbitand, "bitor": bitor, "cbitor": cbitor, "bitxor": bitxor, "cbitxor": cbitxor,
    "clamp": clamp, "cmax": cmax, "cmin": cmin, "sign": sign, "equal": equal,
}
