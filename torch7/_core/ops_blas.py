"""BLAS-like products: dot, mv, mm, bmm, ger, addmv, addmm, addr, addbmm, baddbmm and match.

Forms (Torch7's, reference §2.0 and TensorMath.lua):
  * ``torch.mm([res,] a, b)``; the method ``r.mm(a, b)`` writes ``a·b`` into ``r`` (same for mv, bmm, ger).
  * ``torch.addmm([res,] [v1,] M, [v2,] a, b)`` is ``v1·M + v2·(a·b)``.  The method works in place:
    ``M.addmm(a, b)``, ``M.addmm(v2, a, b)``, ``M.addmm(v1, v2, a, b)``, and with an explicit source
    ``r.addmm([v1,] M, [v2,] a, b)`` (r ← v1·M + v2·a·b).  Same for addmv, addr, addbmm, baddbmm.
  * ``torch.dot(a, b)`` returns a Python number (an int for integer types).
  * ``torch.match([res,] m1, m2 [, gain=1])``: ``res[i][j] = gain · ||m1[i] - m2[j]||²``.

Integer types go through NumPy's integer matmul and wrap around as C does.  The plain products
call ``np.matmul(..., out=)`` directly; NumPy copes with a result that overlaps an operand.
"""

from __future__ import annotations

import numpy as np

from . import blaspool
from .backend import ascontig
from .blas1 import MIN_SIZE as MIN_AXPY
from .blas1 import axpy
from .dispatch import bad_args, is_number, prepare
from .tensor import Tensor, _fmt

# kind -> (dims of the added tensor M, dims of the first operand, dims of the second)
_DIMS = {"mv": (1, 2, 1), "mm": (2, 2, 2), "ger": (2, 1, 1), "addbmm": (2, 3, 3), "bmm": (3, 3, 3)}
# add* function -> the product it adds
_KIND = {"addmv": "mv", "addmm": "mm", "addr": "ger", "addbmm": "addbmm", "baddbmm": "bmm"}


def _sz(a: np.ndarray) -> str:
    return _fmt(a.shape if a.size else ())


def _nd(a: np.ndarray) -> int:
    return a.ndim if a.size else 0


def _same_type(fname: str, *ts) -> None:
    cls = type(ts[0])
    for t in ts[1:]:
        if type(t) is not cls:
            raise TypeError(f"{fname}: tensor types do not match: {ts[0]._typename} and {t._typename}")


def _shape(fname: str, kind: str, a: np.ndarray, b: np.ndarray) -> tuple:
    """Size of the product of ``a`` and ``b``; raises naming both sizes when they do not fit."""
    _, da, db = _DIMS[kind]
    if _nd(a) != da or _nd(b) != db:
        raise ValueError(f"{fname}: expected a {da}-D and a {db}-D tensor, got sizes {_sz(a)} and {_sz(b)}")
    if kind == "ger":
        return (a.shape[0], b.shape[0])
    if kind == "mv":
        ok, shape = a.shape[1] == b.shape[0], (a.shape[0],)
    elif kind == "mm":
        ok, shape = a.shape[1] == b.shape[0], (a.shape[0], b.shape[1])
    else:
        ok = a.shape[0] == b.shape[0] and a.shape[2] == b.shape[1]
        shape = (a.shape[1], b.shape[2]) if kind == "addbmm" else (a.shape[0], a.shape[1], b.shape[2])
    if not ok:
        raise ValueError(f"{fname}: sizes do not match: {_sz(a)} and {_sz(b)}")
    return shape


def _product(kind: str, a: np.ndarray, b: np.ndarray, out=None) -> np.ndarray:
    if kind == "ger":
        return np.multiply.outer(a, b, out=out)
    if kind == "addbmm":
        # sum over the batch of a[i]·b[i] is one GEMM over the batch-concatenated inner dim
        nb, n, k = a.shape
        a2 = a.transpose(1, 0, 2).reshape(n, nb * k)
        return np.matmul(a2, b.reshape(nb * k, b.shape[2]), out=out)
    return np.matmul(a, b, out=out)


def _real(v, cls: type, fname: str):
    """A scalar argument converted to the tensor's element type (wrapping for integers, as C)."""
    if not is_number(v):
        raise TypeError(f"{fname}: expected a number, got {type(v).__name__}")
    if cls._is_float:
        return float(v)
    return np.int64(int(v)).astype(cls._dtype)


# ---- plain products: mv, mm, bmm, ger ---------------------------------------------------------
_POOL_OUT = 4096  # result elements: smaller products never pay for the pool


def _pool_mm(a, b, r) -> bool:
    """``r = a @ b`` on OpenBLAS's threads when ``b`` is a transposed contiguous matrix (nn.Linear's
    ``input @ weight.t()``; :func:`torch7._core.pool_gemm.gemm_nt` says which sizes pay); False: not done."""
    if type(b) is not np.ndarray or not b.T.flags.c_contiguous:
        return False
    mod = blaspool.numba_module("pool_gemm")
    return mod is not None and mod.gemm_nt(a, b.T, r)


def _make_product(kind: str):
    expected = f"(tensor, tensor): r.{kind}(a, b) writes the product into r; use torch.{kind}(a, b) for a new tensor"
    prod = np.multiply.outer if kind == "ger" else np.matmul

    def fn(*args):
        if len(args) == 2:
            a, b = args
            if isinstance(a, Tensor) and type(b) is type(a):
                aa, ba = a._a, b._a
                if kind == "mm" and aa.ndim == 2 and ba.ndim == 2 and aa.shape[1] == ba.shape[0] and aa.size:
                    return type(a)._new(np.dot(aa, ba))  # np.dot: ~0.3 us less call overhead than matmul
                _shape(kind, kind, aa, ba)
                return type(a)._new(ascontig(prod(aa, ba)))
            if isinstance(a, Tensor) and isinstance(b, Tensor):
                _same_type(kind, a, b)
        elif len(args) == 3 and isinstance(args[0], Tensor):
            return method(*args)
        raise bad_args(f"torch.{kind}", args, "([res,] tensor, tensor)")

    def method(self, *args):
        if len(args) == 2:
            a, b = args
            cls = type(self)
            if type(a) is cls and type(b) is cls:
                aa, ba, r = a._a, b._a, self._a
                if kind == "mm" and aa.ndim == 2 and ba.ndim == 2 and aa.shape[1] == ba.shape[0] and aa.size:
                    shape = (aa.shape[0], ba.shape[1])
                else:
                    shape = _shape(kind, kind, aa, ba)
                if r.shape != shape:
                    prepare(self, cls, shape)
                    r = self._a
                if r.size < _POOL_OUT or kind != "mm" or not _pool_mm(aa, ba, r):
                    prod(aa, ba, out=r)
                return self
            if isinstance(a, Tensor) and isinstance(b, Tensor):
                _same_type(kind, self, a, b)
        raise bad_args(kind, args, expected)

    fn.__name__ = method.__name__ = kind
    return fn, method


mm, _mm_method = _make_product("mm")
mm.__doc__ = _mm_method.__doc__ = """Matrix product of two 2-D tensors (``r.mm(a, b)`` writes into r).

    Example:
        >>> import torch7 as torch
        >>> torch.mm(torch.ones(2, 3), torch.ones(3, 4)).size()
        torch.Size([2, 4])
    """
mv, _mv_method = _make_product("mv")
mv.__doc__ = _mv_method.__doc__ = "Matrix-vector product (``r.mv(m, v)`` writes into r)."
bmm, _bmm_method = _make_product("bmm")
bmm.__doc__ = _bmm_method.__doc__ = "Batched matrix product of two 3-D tensors (``r.bmm(a, b)`` writes into r)."
ger, _ger_method = _make_product("ger")
ger.__doc__ = _ger_method.__doc__ = "Outer product of two vectors (``r.ger(u, v)`` writes into r)."


# ---- res = v1·M + v2·(a·b) -------------------------------------------------------------------
def _addcore(fname: str, res, beta, M: Tensor, alpha, a: Tensor, b: Tensor):
    cls = type(M)
    if type(a) is not cls or type(b) is not cls or (res is not None and type(res) is not cls):
        _same_type(fname, *(t for t in (res, M, a, b) if t is not None))
    kind = _KIND[fname]
    Ma, aa, ba = M._a, a._a, b._a
    shape = _shape(fname, kind, aa, ba)
    if Ma.shape != shape or not Ma.size:
        raise ValueError(f"{fname}: sizes do not match: the added tensor has size {_sz(Ma)}, the product of "
                         f"{_sz(aa)} and {_sz(ba)} has size {_fmt(shape)}")
    if beta != 1:
        beta = _real(beta, cls, fname)
    if alpha != 1:
        alpha = _real(alpha, cls, fname)
    if res is M:
        r = Ma
        if beta == 0:
            _product(kind, aa, ba, out=r)
        else:
            p = _product(kind, aa, ba)  # measured: as fast as a reused scratch buffer
            if beta != 1:
                r *= beta
            if r.size < MIN_AXPY or not axpy(alpha, p, r):  # BLAS axpy: one pass, alpha fused
                if alpha != 1:
                    p *= alpha
                r += p
            return res
    else:
        if res is None:
            res = cls._new(np.empty(shape, cls._dtype))
        elif res._a.shape != shape:
            prepare(res, cls, shape)
        r = res._a
        if beta != 0 and np.may_share_memory(r, Ma):
            tmp = _product(kind, aa, ba)
            r[...] = Ma * beta + tmp * alpha if (beta != 1 or alpha != 1) else Ma + tmp
            return res
        _product(kind, aa, ba, out=r)
        if beta != 0:
            if alpha != 1:
                r *= alpha
            if beta == 1:
                r += Ma
            else:
                r += Ma * beta
            return res
    if alpha != 1:
        r *= alpha
    return res


# Argument kinds (T = tensor, N = number) -> positions of (res, v1, M, v2, m1, m2).
_FN_FORMS = {
    "TTT": (None, None, 0, None, 1, 2), "NTTT": (None, 0, 1, None, 2, 3),
    "TNTT": (None, None, 0, 1, 2, 3), "NTNTT": (None, 0, 1, 2, 3, 4),
    "TTTT": (0, None, 1, None, 2, 3), "TNTTT": (0, 1, 2, None, 3, 4),
    "TTNTT": (0, None, 1, 2, 3, 4), "TNTNTT": (0, 1, 2, 3, 4, 5),
}
# Method forms (self is the result; a missing M means M = self, so the method works in place).
_METHOD_FORMS = {
    "TT": (None, None, None, 0, 1), "NTT": (None, None, 0, 1, 2), "NNTT": (0, None, 1, 2, 3),
    "TTT": (None, 0, None, 1, 2), "TNTT": (None, 0, 1, 2, 3), "NTNTT": (0, 1, 2, 3, 4),
}
_EXPECTED = "([res,] [v1,] M, [v2,] a, b)"


def _kinds(args: tuple) -> str:
    return "".join("T" if isinstance(x, Tensor) else "N" if is_number(x) else "?" for x in args)


def _pick(args: tuple, i):
    return 1 if i is None else args[i]


_dot = np.dot


def _make_add(fname: str):
    fast = fname == "addmm"  # the hot one (nn.Linear): plain M + m1·m2 skips the generic path

    def fn(*args):
        if len(args) == 3:
            M, a, b = args
            if isinstance(M, Tensor) and isinstance(a, Tensor) and isinstance(b, Tensor):
                if fast and type(a) is type(M) and type(b) is type(M):
                    Ma, aa, ba = M._a, a._a, b._a
                    if (aa.ndim == 2 and ba.ndim == 2 and aa.shape[1] == ba.shape[0] and aa.size
                            and Ma.shape == (aa.shape[0], ba.shape[1])):
                        p = np.dot(aa, ba)
                        p += Ma
                        return type(M)._new(p)
                return _addcore(fname, None, 1, M, 1, a, b)
        form = _FN_FORMS.get(_kinds(args))
        if form is None:
            raise bad_args(f"torch.{fname}", args, _EXPECTED)
        ri, v1, mi, v2, ai, bi = form
        res = None if ri is None else args[ri]
        return _addcore(fname, res, _pick(args, v1), args[mi], _pick(args, v2), args[ai], args[bi])

    def method(self, *args):
        if len(args) == 2:
            a, b = args
            t = type(self)
            if fast and type(a) is t and type(b) is t:
                # Let dot check the inner sizes and compare shapes once after: cheaper than checking before.
                r, aa = self._a, a._a
                try:  # NumPy's bound method is ~0.15 us cheaper than np.dot (CuPy's must go through cupy.dot)
                    p = aa.dot(b._a) if type(aa) is np.ndarray else _dot(aa, b._a)
                except ValueError:  # the generic path below says which sizes differ
                    p = None
                if p is not None and p.shape == r.shape and r.ndim == 2 and p.size:
                    if r.size < MIN_AXPY or not axpy(1.0, p, r):
                        r += p
                    return self
            if isinstance(a, Tensor) and isinstance(b, Tensor):
                return _addcore(fname, self, 1, self, 1, a, b)
        form = _METHOD_FORMS.get(_kinds(args))
        if form is None:
            raise bad_args(fname, args, "([v1,] [M,] [v2,] a, b): in place on self")
        v1, mi, v2, ai, bi = form
        M = self if mi is None else args[mi]
        return _addcore(fname, self, _pick(args, v1), M, _pick(args, v2), args[ai], args[bi])

    fn.__name__ = method.__name__ = fname
    return fn, method


addmm, _addmm_method = _make_add("addmm")
addmm.__doc__ = _addmm_method.__doc__ = """``v1·M + v2·(m1·m2)`` for matrices; ``M.addmm(m1, m2)`` works in place.

    Args:
        [res,] [v1=1,] M, [v2=1,] m1, m2

    Example:
        >>> import torch7 as torch
        >>> M = torch.ones(2, 2)
        >>> M.addmm(torch.ones(2, 3), torch.ones(3, 2)).totable()
        [[4.0, 4.0], [4.0, 4.0]]
    """
addmv, _addmv_method = _make_add("addmv")
addmv.__doc__ = _addmv_method.__doc__ = "``v1·vec + v2·(mat·vec2)``; the method ``y.addmv(mat, x)`` works in place."
addr, _addr_method = _make_add("addr")
addr.__doc__ = _addr_method.__doc__ = "``v1·M + v2·(u ⊗ v)``; the method ``M.addr(u, v)`` works in place."
addbmm, _addbmm_method = _make_add("addbmm")
addbmm.__doc__ = _addbmm_method.__doc__ = "``v1·M + v2·Σᵢ b1[i]·b2[i]`` (2-D result); the method works in place."
baddbmm, _baddbmm_method = _make_add("baddbmm")
baddbmm.__doc__ = _baddbmm_method.__doc__ = "``v1·M + v2·(b1[i]·b2[i])`` for every i (3-D); the method works in place."


# ---- dot and match ----------------------------------------------------------------------------
def dot(a: Tensor, b: Tensor):
    """Sum of the element-wise products of two tensors with the same number of elements (a number).

    Example:
        >>> import torch7 as torch
        >>> torch.dot(torch.Tensor([1, 2, 3]), torch.Tensor([4, 5, 6]))
        32.0
    """
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise bad_args("dot", (a, b), "(tensor, tensor)")
    if type(a) is not type(b):
        _same_type("dot", a, b)
    x, y = a._a, b._a
    if x.size != y.size:
        raise ValueError(f"dot: sizes do not match: {_sz(x)} and {_sz(y)} (they must have the same number of elements)")
    x = x.reshape(-1)
    y = y.reshape(-1)
    if a._is_float:
        r = blaspool.reduce("dot", x, y) if x.nbytes >= blaspool.MIN_BYTES else None  # float64 lanes, 2 threads
        return float(np.dot(x, y)) if r is None else r
    # accreal is a C long for every integer type
    return int(np.dot(x.astype(np.int64), y.astype(np.int64)))


def match(*args):
    """``res[i][j] = gain · Σₖ (m1[i][k] - m2[j][k])²`` over the rows of m1 and m2 (Torch7's match).

    Args:
        [res,] m1, m2 [, gain=1]; each operand is viewed as (size(0), nElement/size(0)).
    """
    n = len(args)
    gain = 1
    if n and is_number(args[-1]):
        gain, args = args[-1], args[:-1]
        n -= 1
    if n == 2:
        res, (m1, m2) = None, args
    elif n == 3:
        res, m1, m2 = args
    else:
        raise bad_args("torch.match", args, "([res,] m1, m2 [, gain])")
    if not all(isinstance(t, Tensor) for t in (m1, m2)) or (res is not None and not isinstance(res, Tensor)):
        raise bad_args("torch.match", args, "([res,] m1, m2 [, gain])")
    _same_type("match", *(t for t in (res, m1, m2) if t is not None))
    cls = type(m1)
    a, b = m1._a, m2._a
    if not a.size or not b.size:
        raise ValueError(f"match: expected non-empty tensors, got sizes {_sz(a)} and {_sz(b)}")
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"match: m1 and m2 must have the same inner vector size: {_sz(m1._a)} and {_sz(m2._a)}")
    g = _real(gain, cls, "match")
    out = np.empty((a.shape[0], b.shape[0]), cls._dtype)
    # exact differences (as C computes them), in row chunks so the temporary stays ~1M elements
    step = max(1, (1 << 20) // max(1, b.shape[0] * b.shape[1]))
    for i in range(0, a.shape[0], step):
        d = a[i:i + step, None, :] - b[None, :, :]
        d *= d
        np.sum(d, axis=2, dtype=cls._dtype, out=out[i:i + step])
    if g != 1:
        out *= g
    if res is None:
        return cls._new(out)
    prepare(res, cls, out.shape)
    res._a[...] = out
    return res


def _match_method(self, *args):
    """``r.match(m1, m2 [, gain])`` writes the pairwise squared distances into r."""
    return match(self, *args)


def _dot_method(self, other):
    """``a.dot(b)``: a number."""
    return dot(self, other)


METHODS = {
    "dot": _dot_method, "mv": _mv_method, "mm": _mm_method, "bmm": _bmm_method, "ger": _ger_method,
    "addmv": _addmv_method, "addmm": _addmm_method, "addr": _addr_method, "addbmm": _addbmm_method,
    "baddbmm": _baddbmm_method, "match": _match_method,
}

FUNCTIONS = {
    "dot": dot, "mv": mv, "mm": mm, "bmm": bmm, "ger": ger, "addmv": addmv, "addmm": addmm,
    "addr": addr, "addbmm": addbmm, "baddbmm": baddbmm, "match": match,
}
