"""GEMMs through cuBLAS on a handle of torch7's own, usable while a CUDA graph is being captured.

CuPy refuses every cuBLAS call while a stream captures (``NotImplementedError: calling cuBLAS API during
stream capture is currently unsupported``), although cuBLAS itself captures fine once its handle has a
workspace of its own (cuBLAS documentation, "CUDA Graphs Support"; PyTorch captures its GEMMs that way).
This module binds the few cuBLAS entry points a GEMM needs with ctypes, from the library CuPy already loaded,
and gives each device one handle with a 32 MiB workspace (NVIDIA's recommendation for Hopper).

:func:`matmul` takes row-major CuPy arrays and calls column-major cuBLAS on them without copies when each
operand has one unit stride (``C^T = B^T A^T``: a row-major matrix is its transpose in column-major order);
other layouts are copied to contiguous first.  ``cutorch.CudaGraph`` routes ``cupy.matmul``/``cupy.dot``
here while it captures; outside a capture CuPy's own cuBLAS path runs.
"""

from __future__ import annotations

import ctypes
import importlib
import os

import numpy as np

WORKSPACE_BYTES = 32 << 20
_STATE: dict = {"lib": None, "path": os.environ.get("TORCH7_CUBLAS"), "handles": {}}
_OP_N, _OP_T = 0, 1


class CublasError(RuntimeError):
    """A cuBLAS call returned an error status."""


def _loaded_path() -> str | None:
    """The cuBLAS library already mapped into this process (CuPy loads it), else None."""
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.rsplit(None, 1)[-1] if "/" in line else ""
                if "libcublas.so" in os.path.basename(path) and "libcublasLt" not in path:
                    return path
    except OSError:
        pass
    return None


def _library() -> ctypes.CDLL:
    lib = _STATE["lib"]
    if lib is not None:
        return lib
    path = _STATE["path"]
    if path is None:
        for name in ("cupy_backends.cuda.libs.cublas", "cupy.cuda.cublas"):
            try:  # makes CuPy load cuBLAS, so the handle below is the library CuPy itself uses
                importlib.import_module(name)
                break
            except ImportError:
                continue
        path = _loaded_path()
    names = [path] if path else ["libcublas.so.13", "libcublas.so.12", "libcublas.so"]
    for name in names:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    else:
        raise CublasError(f"cutorch: cuBLAS library not found (tried {', '.join(names)}); set TORCH7_CUBLAS "
                          "to its path")
    vp, i = ctypes.c_void_p, ctypes.c_int
    lib.cublasCreate_v2.argtypes = [ctypes.POINTER(vp)]
    lib.cublasSetStream_v2.argtypes = [vp, vp]
    lib.cublasSetWorkspace_v2.argtypes = [vp, vp, ctypes.c_size_t]
    for name in ("cublasSgemm_v2", "cublasDgemm_v2"):
        getattr(lib, name).argtypes = [vp, i, i, i, i, i, vp, vp, i, vp, i, vp, vp, i]
    _STATE["lib"] = lib
    return lib


def _check(status: int, what: str) -> None:
    if status != 0:
        raise CublasError(f"cutorch: {what} failed with cuBLAS status {status}")


def _set_library_for_tests(path: str | None) -> tuple:
    old = (_STATE["lib"], _STATE["path"], _STATE["handles"])
    _STATE.update(lib=None, path=path, handles={})
    return old


def _restore(old: tuple) -> None:
    _STATE["lib"], _STATE["path"], _STATE["handles"] = old


def handle(cp) -> int:
    """The cuBLAS handle of the current device (created with its workspace on first use)."""
    dev = cp.cuda.runtime.getDevice()
    hit = _STATE["handles"].get(dev)
    if hit is None:
        lib = _library()
        h = ctypes.c_void_p()
        _check(lib.cublasCreate_v2(ctypes.byref(h)), "cublasCreate")
        ws = cp.empty(WORKSPACE_BYTES, dtype=np.uint8)
        _check(lib.cublasSetWorkspace_v2(h, ws.data.ptr, WORKSPACE_BYTES), "cublasSetWorkspace")
        hit = _STATE["handles"][dev] = (h.value, ws)
    return hit[0]


def _layout(a) -> tuple[int, int] | None:
    """(cuBLAS op, leading dimension) that reads the row-major 2-D ``a`` as its column-major transpose,
    or None when neither stride of ``a`` is one element."""
    r, c = a.shape
    s0, s1 = (s // a.itemsize for s in a.strides)
    if (s1 == 1 or c == 1) and (r == 1 or s0 >= c):  # rows contiguous: the memory is a^T column-major
        return _OP_N, max(s0 if r > 1 else c, 1)
    if (s0 == 1 or r == 1) and (c == 1 or s1 >= r):  # columns contiguous: the memory is a column-major
        return _OP_T, max(s1 if c > 1 else r, 1)
    return None


def _span(a) -> tuple[int, int]:
    lo = hi = a.data.ptr
    for n, s in zip(a.shape, a.strides):
        if n > 1:
            lo, hi = (lo + (n - 1) * s, hi) if s < 0 else (lo, hi + (n - 1) * s)
    return lo, hi + a.itemsize


def _overlap(a, b) -> bool:
    (a0, a1), (b0, b1) = _span(a), _span(b)
    return a0 < b1 and b0 < a1


def gemm(cp, a, b, out, alpha: float = 1.0, beta: float = 0.0) -> None:
    """``out = alpha * a @ b + beta * out`` for 2-D float32/float64 CuPy arrays, on the current stream."""
    (m, k), n = a.shape, b.shape[1]
    if not m or not n:
        return
    lc = _layout(out)
    if lc is None or lc[0] != _OP_N or _overlap(out, a) or _overlap(out, b):
        tmp = cp.empty((m, n), out.dtype)
        if beta != 0:
            tmp[...] = out
        gemm(cp, a, b, tmp, alpha, beta)
        out[...] = tmp
        return
    la, lb = _layout(a), _layout(b)
    if la is None:
        a, la = cp.ascontiguousarray(a), (_OP_N, max(k, 1))
    if lb is None:
        b, lb = cp.ascontiguousarray(b), (_OP_N, max(n, 1))
    lib = _library()
    h = handle(cp)
    _check(lib.cublasSetStream_v2(h, cp.cuda.get_current_stream().ptr), "cublasSetStream")
    single = out.dtype == np.float32
    real = ctypes.c_float if single else ctypes.c_double
    fn = lib.cublasSgemm_v2 if single else lib.cublasDgemm_v2
    al, be = real(alpha), real(beta)
    # row-major C (m x n) is column-major C^T (n x m) = B^T A^T
    status = fn(h, lb[0], la[0], n, m, k, ctypes.addressof(al), b.data.ptr, lb[1], a.data.ptr, la[1],
                ctypes.addressof(be), out.data.ptr, lc[1])
    _check(status, f"cublas{'S' if single else 'D'}gemm ({m}x{k} @ {k}x{n})")


def supported(a, b, out=None) -> bool:
    """Whether :func:`matmul` computes ``a @ b`` through cuBLAS: float32/float64 operands of one type, 1- to
    3-D, or a stack of any depth times a matrix or vector."""
    dt = a.dtype
    if dt not in (np.float32, np.float64) or b.dtype != dt or (out is not None and out.dtype != dt):
        return False
    return a.ndim >= 1 and 1 <= b.ndim <= (3 if a.ndim <= 3 else 2)


def matmul(cp, a, b, out=None):
    """``numpy.matmul`` semantics for 1- to 3-D float operands of one type (a 3-D operand is a batch; two 3-D
    ones need the same batch size)."""
    if a.ndim >= 3 and b.ndim < 3:
        # a stack of matrices times one matrix or vector: one GEMM over the rows of the whole stack
        shape = (*a.shape[:-1], *b.shape[1:])
        r = cp.empty(shape, a.dtype) if out is None else out
        _check_out(r, shape)
        rows = cp.ascontiguousarray(a).reshape(-1, a.shape[-1])
        if r.flags.c_contiguous:
            matmul(cp, rows, b, r.reshape(rows.shape[0], *b.shape[1:]))
        else:
            r[...] = matmul(cp, rows, b).reshape(shape)
        return r
    if a.ndim == 3 or b.ndim == 3:
        if a.ndim == 3 and b.ndim == 3 and a.shape[0] != b.shape[0]:
            raise ValueError(f"matmul: batch sizes do not match: {a.shape} and {b.shape}")
        n = a.shape[0] if a.ndim == 3 else b.shape[0]
        first = matmul(cp, a[0] if a.ndim == 3 else a, b[0] if b.ndim == 3 else b)
        shape = (n, *first.shape)
        r = cp.empty(shape, a.dtype) if out is None else out
        _check_out(r, shape)
        r[0] = first
        for i in range(1, n):
            matmul(cp, a[i] if a.ndim == 3 else a, b[i] if b.ndim == 3 else b, r[i])
        return r
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    if a2.shape[1] != b2.shape[0]:
        raise ValueError(f"matmul: sizes do not match: {a.shape} and {b.shape}")
    shape = tuple(s for s, keep in ((a2.shape[0], a.ndim == 2), (b2.shape[1], b.ndim == 2)) if keep)
    r = cp.empty(shape, a.dtype) if out is None else out
    _check_out(r, shape)
    gemm(cp, a2, b2, r.reshape(a2.shape[0], b2.shape[1]), 1.0, 0.0)
    return r


def _check_out(r, shape: tuple) -> None:
    if r.shape != shape:
        raise ValueError(f"matmul: out has size {r.shape}, the product has size {shape}")


def einsum(cp, spec: str, *operands):
    """``numpy.einsum`` without cuBLAS, for a capture: every operand broadcast over all the subscripts, their
    product summed over the contracted ones (element-wise kernels only; the temporary spans every subscript).
    Returns None for what it does not handle (ellipses, a subscript repeated in one operand)."""
    if "." in spec:
        return None
    ins, arrow, outs = spec.replace(" ", "").partition("->")
    terms = ins.split(",")
    if len(terms) != len(operands) or any(len(set(t)) != len(t) or len(t) != o.ndim for t, o in zip(terms, operands)):
        return None
    letters = sorted(set("".join(terms)), key="".join(terms).index)
    if not arrow:  # numpy's implicit output: the subscripts seen once, in alphabetical order
        outs = "".join(sorted(c for c in letters if "".join(terms).count(c) == 1))
    prod = None
    for t, o in zip(terms, operands):
        order = sorted(range(len(t)), key=lambda i: letters.index(t[i]))
        view = o.transpose(order).reshape([o.shape[t.index(c)] if c in t else 1 for c in letters])
        prod = view if prod is None else prod * view
    summed = prod.sum(axis=tuple(i for i, c in enumerate(letters) if c not in outs)) if len(outs) < len(letters) \
        else prod
    kept = [c for c in letters if c in outs]
    return summed.transpose([kept.index(c) for c in outs]) if outs else summed


def tensordot(cp, a, b, axes=2):
    """``numpy.tensordot`` as one GEMM through :func:`matmul` (the contracted axes of ``a`` moved last, those
    of ``b`` first, both flattened to matrices)."""
    if isinstance(axes, int):
        axa, axb = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        axa, axb = ([ax] if isinstance(ax, int) else list(ax) for ax in axes)
    axa, axb = [x % a.ndim for x in axa], [x % b.ndim for x in axb]
    if len(axa) != len(axb) or any(a.shape[i] != b.shape[j] for i, j in zip(axa, axb)):
        raise ValueError(f"tensordot: shape mismatch for sum: {a.shape} over {axa} and {b.shape} over {axb}")
    keep_a = [i for i in range(a.ndim) if i not in axa]
    keep_b = [j for j in range(b.ndim) if j not in axb]
    k = int(np.prod([a.shape[i] for i in axa], dtype=np.int64))
    a2 = a.transpose(keep_a + axa).reshape(-1, k)
    b2 = b.transpose(axb + keep_b).reshape(k, -1)
    return matmul(cp, a2, b2).reshape([a.shape[i] for i in keep_a] + [b.shape[j] for j in keep_b])
