"""Products and row-split work for OpenBLAS's thread pool (optional; needs ``numba``).

:func:`gemm_rows` is a register-blocked product ``c = a @ b.T`` over 4 x 4 blocks of dot products
along K, compiled by Numba for the host's vector width.  NumPy's OpenBLAS runs AVX2 kernels on the
project machine (``OPENBLAS_CORETYPE=Haswell``).  With AVX-512 this kernel goes past them when K is
long and contiguous, and it packs nothing, so many small calls with one fixed operand cost no copies.
:func:`run_rows` splits the rows of a job over OpenBLAS's threads (:mod:`blaspool`), where each work
item is a Numba ``cfunc`` reading its arrays from a table of addresses; ``recurrent_pool`` builds its
time loops on it.  :func:`gemm_nt` is the plain split product, used by ``nn.Linear``'s forward (``mm``
with a transposed weight) and the recurrent layers' input projections.

Results differ from OpenBLAS's only by the order of the additions.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import carray, types
from numba.extending import intrinsic

from . import blaspool

_FAST = {"nsz", "arcp", "contract", "afn", "reassoc"}  # no "nnan"/"ninf": NaN and inf propagate
OPTS = {"cache": True, "fastmath": _FAST, "error_model": "numpy", "nogil": True}
ROWS = 4  # rows per register block; a work item gets at least this many


@intrinsic
def ptr(typingctx, addr, like):
    """The integer ``addr`` as a pointer to elements of ``like``'s type."""
    sig = types.CPointer(like)(addr, like)

    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], context.get_value_type(signature.return_type))
    return sig, codegen


@numba.njit(**OPTS)
def _dot4(a, b0, b1, b2, b3, k):
    s0 = s1 = s2 = s3 = a.dtype.type(0)
    for q in range(k):
        x = a[q]
        s0 += x * b0[q]
        s1 += x * b1[q]
        s2 += x * b2[q]
        s3 += x * b3[q]
    return s0, s1, s2, s3


@numba.njit(**OPTS)
def gemm_rows(a3, t, r0, r1, b, c):
    """``c[i] = a3[i, t] @ b.T`` for ``r0 <= i < r1``: ``b`` (n, K) and each ``a3[i, t]`` (K,) contiguous.

    4 x 4 blocks of dot products along K keep 16 accumulators in registers.
    """
    n, k = b.shape
    i = r0
    while i + 4 <= r1:
        a0, a1, a2, a3_ = a3[i, t], a3[i + 1, t], a3[i + 2, t], a3[i + 3, t]
        j = 0
        while j + 4 <= n:
            b0, b1, b2, b3 = b[j], b[j + 1], b[j + 2], b[j + 3]
            s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = a0.dtype.type(0)
            s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = a0.dtype.type(0)
            for q in range(k):
                x0, x1, x2, x3 = a0[q], a1[q], a2[q], a3_[q]
                y0, y1, y2, y3 = b0[q], b1[q], b2[q], b3[q]
                s00 += x0 * y0
                s01 += x0 * y1
                s02 += x0 * y2
                s03 += x0 * y3
                s10 += x1 * y0
                s11 += x1 * y1
                s12 += x1 * y2
                s13 += x1 * y3
                s20 += x2 * y0
                s21 += x2 * y1
                s22 += x2 * y2
                s23 += x2 * y3
                s30 += x3 * y0
                s31 += x3 * y1
                s32 += x3 * y2
                s33 += x3 * y3
            c[i, j], c[i, j + 1], c[i, j + 2], c[i, j + 3] = s00, s01, s02, s03
            c[i + 1, j], c[i + 1, j + 1], c[i + 1, j + 2], c[i + 1, j + 3] = s10, s11, s12, s13
            c[i + 2, j], c[i + 2, j + 1], c[i + 2, j + 2], c[i + 2, j + 3] = s20, s21, s22, s23
            c[i + 3, j], c[i + 3, j + 1], c[i + 3, j + 2], c[i + 3, j + 3] = s30, s31, s32, s33
            j += 4
        for jj in range(j, n):
            c[i, jj], c[i + 1, jj], c[i + 2, jj], c[i + 3, jj] = _dot4(b[jj], a0, a1, a2, a3_, k)
        i += 4
    for ii in range(i, r1):
        a = a3[ii, t]
        j = 0
        while j + 4 <= n:
            c[ii, j], c[ii, j + 1], c[ii, j + 2], c[ii, j + 3] = _dot4(a, b[j], b[j + 1], b[j + 2], b[j + 3], k)
            j += 4
        for jj in range(j, n):
            s = a.dtype.type(0)
            for q in range(k):
                s += a[q] * b[jj, q]
            c[ii, jj] = s


def _gemm_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: rows [r0, r1) of ``c = a @ b.T`` (see :func:`gemm_nt`)."""
    like = like_ptr[0]
    tk = carray(task, 8)
    m, n, k = tk[0], tk[1], tk[2]
    a = carray(ptr(tk[3], like), (m, 1, k))
    b = carray(ptr(tk[4], like), (n, k))
    c = carray(ptr(tk[5], like), (m, n))
    gemm_rows(a, 0, r0, r1, b, c)
    return 0


def _transpose_item(task, r0, like_ptr, r1, _sb, _pos):
    """Work item: rows [r0, r1) of ``out = src.T`` in 32 x 32 tiles (``src`` (n, m), ``out`` (m, n))."""
    like = like_ptr[0]
    tk = carray(task, 16)
    m, n = tk[0], tk[1]
    out = carray(ptr(tk[3], like), (m, n))
    src = carray(ptr(tk[4], like), (n, m))
    for i0 in range(r0, r1, 32):
        i1 = min(i0 + 32, r1)
        for j0 in range(0, n, 32):
            j1 = min(j0 + 32, n)
            for i in range(i0, i1):
                for j in range(j0, j1):
                    out[i, j] = src[j, i]
    return 0


MIN_TRANSPOSE = 1 << 19  # bytes; smaller copies stay with NumPy


def transposed_copy(a: np.ndarray) -> np.ndarray | None:
    """A C-contiguous copy of ``a``, a 2-D float view whose transpose is C-contiguous (``x.t()``),
    made by tiles on OpenBLAS's threads; None where that does not apply."""
    if a.ndim != 2 or a.nbytes < MIN_TRANSPOSE or not a.T.flags.c_contiguous or a.dtype not in TYPES:
        return None
    m, n = a.shape
    out = np.empty((m, n), a.dtype)
    if not usable([out, a.T], [(m, n), (n, m)]) or not run_rows(_transpose_item, [out, a.T], m, n, 0, out):
        return None
    return out


_CFUNCS: dict = {}
TYPES = {np.dtype(np.float32): types.float32, np.dtype(np.float64): types.float64}


def item(body, dtype: np.dtype) -> int:
    """The address of ``body`` compiled as a work item for ``dtype``: ``(task, r0, like, r1, sb, pos)``,
    where ``like`` points at any element of that type and ``task`` at ``[n, steps, hid, *addresses]``."""
    key = (body.__name__, dtype)
    f = _CFUNCS.get(key)
    if f is None:
        sig = types.intp(types.CPointer(types.int64), types.intp, types.CPointer(TYPES[dtype]), types.intp,
                         types.intp, types.intp)
        f = _CFUNCS[key] = numba.cfunc(sig, **OPTS)(body)
    return f.address


def usable(arrays: list, shapes: list) -> bool:
    """All host arrays of one float dtype, C-contiguous, of the given shapes, and the pool on.  The
    kernels index without bounds checks, so any other layout stays on the checked NumPy path."""
    dt = arrays[0].dtype
    if dt not in TYPES or not blaspool.available() or not blaspool.use_pool():
        return False
    return all(type(a) is np.ndarray and a.dtype == dt and a.flags.c_contiguous and a.shape == shape
               for a, shape in zip(arrays, shapes, strict=True))


def run_rows(body, arrays: list, n: int, steps: int, hid: int, like: np.ndarray) -> bool:
    """Run ``body`` on row ranges of ``n`` rows; the task is ``[n, steps, hid, *addresses]``."""
    parts = min(blaspool.threads(), n // ROWS)
    if parts < 2:
        return False
    task = np.zeros(16, np.int64)
    task[:3 + len(arrays)] = [n, steps, hid] + [a.ctypes.data for a in arrays]
    k, tp, lp = item(body, like.dtype), task.ctypes.data, like.ctypes.data
    bounds = [n * i // parts for i in range(parts + 1)]
    blaspool.run_items([(k, tp, bounds[i], lp, bounds[i + 1], 1) for i in range(parts)])
    return True


MIN_PROJECT = 1 << 22  # multiply-adds; below this OpenBLAS's call is as fast (measured)
MIN_K = 128


def gemm_nt(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> bool:
    """``c = a @ b.T`` for row-contiguous ``a`` (M, K), ``b`` (N, K) and ``c`` (M, N), rows split over
    the pool; returns False (nothing done) where it does not apply.

    OpenBLAS's Haswell kernels (what NumPy runs on the project machine) reach the AVX2 peak, and
    :func:`gemm_rows` compiled for the host's vector width goes past it when K is long and contiguous.
    """
    m, k = a.shape
    n = b.shape[0]
    # K below 128 leaves the dot products too short for their final reductions (K = 65: slower than OpenBLAS).
    if k < MIN_K or m * k * n < MIN_PROJECT or not usable([a, b, c], [(m, k), (n, k), (m, n)]):
        return False
    if np.may_share_memory(c, a) or np.may_share_memory(c, b):  # r.mm(r, w.t()): NumPy buffers, we would not
        return False
    return run_rows(_gemm_item, [a, b, c], m, n, k, c)
