"""Large element-wise operations on OpenBLAS's own thread pool.

NumPy's ufuncs, copies and fills run on one thread; PyTorch splits them over its OpenMP pool, so on
arrays of ~10^6 elements it was 1.5-3x faster than torch7 (benchmarks/RESULTS.md, tensor_ops).  A
second pool of our own fought OpenBLAS's for the cores: OpenBLAS's idle workers spin after each GEMM,
and a spinning pool of ours took the cores back, which made a GEMM + add loop 3.6x slower.  So the work
goes to OpenBLAS's pool itself, the one NumPy's GEMMs (and torch7's axpy, :mod:`blas1`) already use,
through the scheduler OpenBLAS's own threaded kernels use, ``exec_blas(n, queue)``: it runs the first
work item on the calling thread and hands the others to its workers.  One pool, so nothing competes.

A work item (``blas_queue_t``) starts with nine pointer-sized fields that have not changed since
GotoBLAS (routine, position, assigned, args, range_m, range_n, sa, sb, next); the rest (locks, ``mode``)
is left zero, which asks for a plain call ``routine(args, range_m, range_n, sa, sb, position)``.  The
routines are libc's ``memcpy``/``memset`` (their three arguments arrive in the first three registers)
and Numba-compiled kernels (:mod:`pool_kernels`).  Used only with NumPy's pthreads OpenBLAS on Linux
(the OpenMP build schedules differently), when it runs more than one thread, and after a self-test;
``TORCH7_BLASPOOL=0`` turns it off.  Every entry point returns False (nothing done) when it does not
apply, and the caller runs NumPy.  Results are bit-identical to NumPy's, except that :func:`reduce` adds
in another order.  :func:`run_items` takes other modules' work items too (``pool_gemm``).

Example:
    >>> import numpy as np
    >>> from torch7._core import blaspool
    >>> a = np.arange(1e5); b = np.zeros(100000)
    >>> _ = blaspool.copy(b, a, min_bytes=0) or np.copyto(b, a)  # False: NumPy copies
    >>> bool((b == a).all())
    True
"""

from __future__ import annotations

import ctypes
import importlib
import os
import struct
import sys
import threading

import numpy as np

from .blas1 import _libraries, switch

MIN_BYTES = 1 << 19  # measured break-even against one NumPy thread: 2^17 float32 elements
_PART = 1 << 18      # bytes: no work item smaller than this
_ENTRY = 512         # bytes reserved per work item (blas_queue_t is 168-176 on 64-bit Linux)

_STATE: dict = {"want": os.environ.get("TORCH7_BLASPOOL", "1") != "0", "lib": None}
_LOCAL = threading.local()


def _bind():
    """(exec_blas, get_num_threads, memcpy, memset) or None where the pool cannot be used."""
    if not sys.platform.startswith("linux") or ctypes.sizeof(ctypes.c_void_p) != 8:  # work items use 64-bit fields
        return None
    for path in _libraries():
        try:
            lib = ctypes.CDLL(path)
            run = lib.exec_blas
        except (OSError, AttributeError):
            continue
        config = threads = None
        for name in ("scipy_openblas_get_config64_", "scipy_openblas_get_config", "openblas_get_config64_",
                     "openblas_get_config"):
            if hasattr(lib, name):
                config = getattr(lib, name)
                threads = getattr(lib, name.replace("get_config", "get_num_threads"), None)
                break
        if config is None or threads is None:
            continue
        config.restype = ctypes.c_char_p
        text = config() or b""
        if not text.startswith(b"OpenBLAS 0.3.") or b"USE_OPENMP" in text:
            continue
        run.argtypes, run.restype = [ctypes.c_long, ctypes.c_void_p], ctypes.c_int
        threads.argtypes, threads.restype = [], ctypes.c_int
        libc = ctypes.CDLL(None)
        addr = (ctypes.cast(libc.memcpy, ctypes.c_void_p).value, ctypes.cast(libc.memset, ctypes.c_void_p).value)
        return run, threads, addr[0], addr[1]
    return None


def _lib():
    lib = _STATE["lib"]
    if lib is None:
        _STATE["lib"] = _bind() or ()
        if _STATE["lib"] and not _selftest():
            _STATE["lib"] = ()
        lib = _STATE["lib"]
    return lib


def _selftest() -> bool:
    """Copy a known array in two work items before trusting the pool with user arrays."""
    run, threads, memcpy, _ = _STATE["lib"]
    if threads() < 2:  # OpenBLAS started on one thread: no worker to hand work to
        return False
    src = np.arange(1 << 12, dtype=np.float64)
    dst = np.zeros_like(src)
    run_items([(memcpy, _ptr(dst) + lo, _ptr(src) + lo, size, 1, 1) for lo, size in _split(src.nbytes, 2)])
    return bool((dst == src).all())


def available() -> bool:
    """Whether OpenBLAS's pool can take work here (whatever :func:`use_pool` says)."""
    return bool(_lib())


def use_pool(flag: bool | None = None) -> bool:
    """Query or switch the pool path; returns the setting before the call.

    Args:
        flag: ``True``/``False`` to switch, ``None`` to only query.
    """
    return switch(_STATE, flag)


def threads() -> int:
    """How many threads OpenBLAS runs now (0 where the pool is unavailable)."""
    lib = _lib()
    return lib[1]() if lib else 0


def _parts(nbytes: int, min_bytes: int) -> int:
    """How many work items ``nbytes`` of work makes (0 or 1: not worth the pool); each gets at least
    ``_PART`` bytes, or 64 when the caller asked for no minimum (tests)."""
    lib = _lib()
    if not lib or not _STATE["want"] or nbytes < min_bytes:
        return 0
    return min(lib[1](), nbytes // (_PART if min_bytes else 64))


def _split(nbytes: int, parts: int):
    """(offset, size) of each part, offsets on 64-byte boundaries."""
    step = (nbytes // parts) // 64 * 64
    return [(i * step, step if i < parts - 1 else nbytes - i * step) for i in range(parts)]


_ITEM = struct.Struct("=q16x6q")  # routine, (position, assigned: OpenBLAS's), args, range_m, range_n, sa, sb, next


def run_items(items: list) -> None:
    """Run the work items ``(routine, args, range_m, range_n, sa, sb)`` on the pool; returns when all
    are done (the first runs on this thread)."""
    n = len(items)
    q = getattr(_LOCAL, "q", None)
    if q is None or len(q) < n * _ENTRY:  # one queue per Python thread: exec_blas may be re-entered
        q = _LOCAL.q = ctypes.create_string_buffer(max(n, 2) * _ENTRY)  # zeroed: mode 0, a plain call
        _LOCAL.view = memoryview(q).cast("B")
    base, view = ctypes.addressof(q), _LOCAL.view
    for i, item in enumerate(items):
        _ITEM.pack_into(view, i * _ENTRY, *item, base + (i + 1) * _ENTRY if i < n - 1 else 0)
    _STATE["lib"][0](n, base)


def _ptr(a: np.ndarray) -> int:
    """The address of ``a``'s first element (``from_buffer`` costs a third of ``a.ctypes.data``)."""
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(a))
    except (TypeError, ValueError):  # read-only, or a size-0 array
        return a.ctypes.data


def _like(out: np.ndarray, x) -> bool:
    """``out`` and ``x`` are C-contiguous host arrays of one dtype and shape."""
    return (type(x) is np.ndarray and type(out) is np.ndarray and x.dtype == out.dtype and x.shape == out.shape
            and out.flags.c_contiguous and x.flags.c_contiguous)


def _plain(*arrays) -> bool:
    return all(type(x) is np.ndarray and x.flags.c_contiguous for x in arrays)


_KERNELS: dict = {}
_MODULES: dict = {}


def numba_module(name: str):
    """``torch7._core.<name>`` (a module that imports numba), or None without Numba or with
    ``TORCH7_NUMBA=0``; imported on first use only, so ``import torch7`` stays NumPy-only."""
    if name not in _MODULES:
        mod = None
        if os.environ.get("TORCH7_NUMBA", "1") != "0":
            try:
                mod = importlib.import_module(f"{__package__}.{name}")
            except ImportError:  # no numba: every caller keeps its NumPy path
                mod = None
        _MODULES[name] = mod
    return _MODULES[name]


def _kernel(name: str, dtype: np.dtype) -> int | None:
    """A Numba kernel's address, or None without Numba (``TORCH7_NUMBA=0`` counts as without)."""
    key = (name, dtype)
    k = _KERNELS.get(key, False)
    if k is False:
        mod = numba_module("pool_kernels")
        k = _KERNELS[key] = None if mod is None else mod.address(name, dtype)
    return k


def copy(dst: np.ndarray, src: np.ndarray, min_bytes: int = MIN_BYTES) -> bool:
    """``dst[...] = src`` for same-dtype, same-shape C-contiguous arrays that share no memory.

    Args:
        dst: the array written.
        src: the array read.
        min_bytes: smaller copies are left to the caller (tests pass 0).

    Returns:
        True when copied; False when nothing was done.
    """
    nbytes = dst.nbytes
    if nbytes < min_bytes or not _like(dst, src):
        return False
    parts = _parts(nbytes, min_bytes)
    if parts < 2 or not dst.flags.writeable:
        return False
    memcpy = _STATE["lib"][2]
    d, s = _ptr(dst), _ptr(src)
    if abs(d - s) < nbytes:  # overlapping (contiguous, same size)
        return False
    run_items([(memcpy, d + lo, s + lo, size, 1, 1) for lo, size in _split(nbytes, parts)])
    return True


def fill(a: np.ndarray, value, min_bytes: int = MIN_BYTES) -> bool:
    """``a.fill(value)`` (same conversions and errors) on a C-contiguous array.

    Args:
        a: the array written.
        value: a number.
        min_bytes: smaller arrays are left to the caller (tests pass 0).

    Returns:
        True when filled; False when nothing was done.
    """
    nbytes = a.nbytes
    if nbytes < min_bytes or not _plain(a) or a.itemsize not in (1, 2, 4, 8) or a.dtype.kind not in "biuf":
        return False
    parts = _parts(nbytes, min_bytes)
    if parts < 2 or not a.flags.writeable:
        return False
    one = np.empty(1, a.dtype)
    one.fill(value)  # NumPy's conversion, and its errors
    bits = one.view(f"u{a.itemsize}")
    d = _ptr(a)
    if bits[0] == 0 or a.itemsize == 1:
        memset = _STATE["lib"][3]
        run_items([(memset, d + lo, int(one.view(np.uint8)[0]), size, 1, 1) for lo, size in _split(nbytes, parts)])
        return True
    k = _kernel("fill", a.dtype)
    if k is None:
        return False
    p, isz = _ptr(bits), a.itemsize
    run_items([(k, d + lo, p, 0, size // isz, 1) for lo, size in _split(nbytes, parts)])
    return True


def _elementwise(name: str, out: np.ndarray, a, b, params: tuple, min_bytes: int) -> bool:
    """Kernel ``name`` over ``out`` (and ``a``, ``b`` of its dtype and shape).  In-place kernels
    (names starting with "i") accept an ``a`` or ``b`` that is ``out`` itself; the others need
    operands that share no memory with ``out``.  ``params``: the kernel's scalar parameters."""
    nbytes = out.nbytes
    if (nbytes < min_bytes or type(out) is not np.ndarray or (a is not None and not _like(out, a))
            or (b is not None and not _like(out, b)) or not out.flags.c_contiguous):
        return False
    parts = _parts(nbytes, min_bytes)
    k = _kernel(name, out.dtype) if parts >= 2 and out.flags.writeable else None
    if k is None:
        return False
    o = _ptr(out)
    same_ok = name[0] == "i"
    ptrs = []
    for x in (a, b):
        px = 0 if x is None else _ptr(x)
        # C-contiguous operands of one size overlap exactly when their starts are closer than that size.
        if px and abs(px - o) < nbytes and not (same_ok and px == o):
            return False
        ptrs.append(px)
    pa, pb = ptrs
    pp = 1  # non-zero: OpenBLAS keeps sb as given
    if any(type(v) not in (int, float) for v in params):
        # NumPy 2 computes float32 work with a NumPy float64 scalar in float64; Python numbers join
        # in the array's precision, as the kernels compute.  So only those come here.
        return False
    if params:
        vals = _LOCAL.params = np.array(params, out.dtype)  # kept alive until the items have run
        pp = _ptr(vals)
    isz = out.itemsize
    run_items([(k, o + lo, pa + lo if pa else 0, pb + lo if pb else 0, size // isz, pp)
               for lo, size in _split(nbytes, parts)])
    return True


def binary(name: str, out: np.ndarray, a: np.ndarray, b: np.ndarray, min_bytes: int = MIN_BYTES) -> bool:
    """``out = a + b`` (``name`` "add"), ``a - b`` ("sub"), ``a * b`` ("mul"), ``a > b ? a : b`` ("max")
    or ``a < b ? a : b`` ("min") into an ``out`` that shares no memory with ``a`` or ``b``; same-shape
    C-contiguous float32/float64 arrays.

    Returns:
        True when done; False when nothing was done.
    """
    return _elementwise(name, out, a, b, (), min_bytes)


def inplace(name: str, out: np.ndarray, a=None, b=None, params: tuple = (), min_bytes: int = MIN_BYTES) -> bool:
    """An in-place kernel on a C-contiguous float32/float64 ``out``; True when done.

    ``name``: "idiv" (out /= a), "imax"/"imin" (out = out > a ? out : a, C's conditional),
    "imuls"/"idivs"/"iadds" (out *= v, out /= v, out += v; params (v,)), "iclamp" (Torch7's clamp;
    params (lo, hi)), "iaddcmul" (out += v * a * b; params (v,)), "isigtail" (out = 1 / (out + 1);
    params (1,)).  Results are bit-identical to NumPy's ufuncs.
    """
    return _elementwise(name, out, a, b, params, min_bytes)


def unary(name: str, out: np.ndarray, a: np.ndarray, min_bytes: int = MIN_BYTES) -> bool:
    """``out = |a|`` (``name`` "abs"), ``-a`` ("neg"), ``cos(a)`` or ``sin(a)`` for an ``out`` sharing no
    memory with ``a``, or ``|out|``/``-out`` in place ("iabs", "ineg"); C-contiguous float32/float64
    arrays (cos and sin: float64 only, where NumPy calls the same libm; its float32 loops are its
    own).  True when done."""
    if name in ("cos", "sin") and out.dtype != np.float64:
        return False
    return _elementwise(name, out, None if name[0] == "i" else a, None, (), min_bytes)


def reduce(name: str, a: np.ndarray, b: np.ndarray | None = None, min_bytes: int = MIN_BYTES) -> float | None:
    """A float64 reduction of C-contiguous float32/float64 arrays; None when not done.

    ``name``: "sum", "sumsq" (sum of squares), "sumabs", "dot" (with ``b``).  Each work item reduces
    its part in SIMD lanes and the parts are added in order, so the last bits may differ from a
    serial or pairwise sum.
    """
    nbytes = a.nbytes
    if nbytes < min_bytes or type(a) is not np.ndarray or not a.flags.c_contiguous:
        return None
    if (b is None) != (name != "dot") or (b is not None and not _like(a, b)):
        return None
    parts = _parts(nbytes, min_bytes)
    k = _kernel(name, a.dtype) if parts >= 2 else None
    if k is None:
        return None
    sums = getattr(_LOCAL, "sums", None)
    if sums is None or len(sums) < parts:
        sums = _LOCAL.sums = (ctypes.c_double * max(parts, 8))()
    r, pa, pb, isz = ctypes.addressof(sums), _ptr(a), (0 if b is None else _ptr(b)), a.itemsize
    run_items([(k, r + 8 * i, pa + lo, pb + lo if pb else 0, size // isz, 1)
               for i, (lo, size) in enumerate(_split(nbytes, parts))])
    return sum(sums[:parts])


def pooled_ufunc(uf, name: str, dtypes: tuple, inplace_name: str | None = None):
    """``uf`` (a NumPy ufunc of one operand, same keywords) whose big contiguous host arrays of
    ``dtypes`` go to the pool's kernel ``name`` (``inplace_name`` when the output is the input;
    without one, a temporary and a copy).  The kernel must give ``uf``'s bits."""
    def f(a, out=None, **kw):
        if type(a) is np.ndarray and a.nbytes >= MIN_BYTES and a.dtype in dtypes:
            if out is a and inplace_name is not None:
                if unary(inplace_name, a, a):
                    return a
            else:
                o = np.empty(a.shape, a.dtype) if out is None or out is a else out
                if unary(name, o, a):
                    if out is a:
                        np.copyto(a, o)
                    return a if out is a else o
        return uf(a, **kw) if out is None else uf(a, out=out, **kw)
    f.__name__ = uf.__name__
    return f
