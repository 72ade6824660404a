"""``y += alpha * x`` through the BLAS that NumPy already loaded (Torch7's ``THBlas_(axpy)``).

NumPy has no axpy: ``x.add(v, y)`` costs a temporary and two passes, and its ufuncs run on one
thread.  Lua Torch7's ``cadd`` on contiguous tensors called BLAS axpy instead, and the OpenBLAS inside
NumPy's wheels runs axpy on its own thread pool (the one its GEMMs use, so the two never compete for
cores).  Measured on the project machine, float32 (benchmarks/RESULTS.md, tensor_ops): ``x.add(y)`` at
2^20 elements 99 -> 51 us, ``x.add(0.5, y)`` 165 -> 51 us; below ~2^16 elements the ctypes call costs
more than it saves, so small arrays stay on NumPy.

The library is found by its exported CBLAS symbols (``scipy_cblas_saxpy64_`` in NumPy >= 2 wheels,
ILP64; the LP64 and unprefixed names too).  Where none is found (NumPy built on MKL or Accelerate),
:func:`axpy` returns False and callers keep their NumPy path.  ``TORCH7_AXPY=0`` turns it off; results
differ from the NumPy path only by the rounding of ``alpha * x`` (the BLAS kernels fuse it), exactly
as Lua Torch7's did, and are identical for ``alpha = +-1``.

Example:
    >>> import numpy as np
    >>> from torch7._core import blas1
    >>> y = np.ones(4); x = np.arange(4.0)
    >>> _ = blas1.axpy(2.0, x, y, min_size=0) or np.add(y, 2.0 * x, out=y)
    >>> y.tolist()
    [1.0, 3.0, 5.0, 7.0]
"""

from __future__ import annotations

import ctypes
import glob
import os

import numpy as np

MIN_SIZE = 1 << 16  # elements; measured break-even of the call against np.add (see the docstring)

_STATE: dict = {"want": os.environ.get("TORCH7_AXPY", "1") != "0", "fns": None}
_NAMES = (("scipy_cblas_{}axpy64_", ctypes.c_int64), ("cblas_{}axpy64_", ctypes.c_int64),
          ("scipy_cblas_{}axpy", ctypes.c_int32), ("cblas_{}axpy", ctypes.c_int32))


def _libraries() -> list[str]:
    """Shared libraries shipped inside NumPy's wheel (Linux ``numpy.libs``, macOS ``.dylibs``)."""
    root = os.path.dirname(np.__file__)
    found = []
    for pattern in (root + ".libs/*openblas*", os.path.join(root, ".dylibs", "*openblas*")):
        found += sorted(glob.glob(pattern))
    return found


def _bind(lib: ctypes.CDLL) -> dict | None:
    for name, cint in _NAMES:
        try:
            fs, fd = getattr(lib, name.format("s")), getattr(lib, name.format("d"))
        except AttributeError:
            continue
        for f, real in ((fs, ctypes.c_float), (fd, ctypes.c_double)):
            f.argtypes = [cint, real, ctypes.c_void_p, cint, ctypes.c_void_p, cint]
            f.restype = None
        return {np.dtype(np.float32): fs, np.dtype(np.float64): fd}
    return None


def _selftest(fns: dict) -> bool:
    """Check the binding on a small case before trusting it with user arrays."""
    for dt, f in fns.items():
        x = np.arange(5, dtype=dt)
        y = np.full(5, 1, dtype=dt)
        f(5, 2.0, x.ctypes.data, 1, y.ctypes.data, 1)
        if y.tolist() != [1.0, 3.0, 5.0, 7.0, 9.0]:
            return False
    return True


def _load() -> dict:
    fns = _STATE["fns"]
    if fns is None:
        fns = {}
        for path in _libraries():
            try:
                bound = _bind(ctypes.CDLL(path))
            except OSError:
                continue
            if bound is not None and _selftest(bound):
                fns = bound
                break
        _STATE["fns"] = fns
    return fns


def available() -> bool:
    """Whether a BLAS axpy was found (whatever :func:`use_axpy` says)."""
    return bool(_load())


def switch(state: dict, flag: bool | None) -> bool:
    """Set ``state["want"]`` to ``flag`` unless it is None; return the setting before the call."""
    old = state["want"]
    if flag is not None:
        state["want"] = bool(flag)
    return old


def use_axpy(flag: bool | None = None) -> bool:
    """Query or switch the BLAS path; returns the setting before the call.

    Args:
        flag: ``True``/``False`` to switch, ``None`` to only query.
    """
    return switch(_STATE, flag)


def axpy(alpha, x: np.ndarray, y: np.ndarray, min_size: int = MIN_SIZE) -> bool:
    """``y += alpha * x`` in one BLAS call when it pays; returns False (nothing done) otherwise.

    Args:
        alpha: a Python or NumPy number.
        x: the array added; same shape and dtype as ``y``.
        y: the array updated in place.
        min_size: below this many elements nothing is done (tests pass 0).

    Returns:
        True when ``y`` was updated; the caller runs its NumPy path on False.  Only C-contiguous,
        same-shape float32/float64 host arrays qualify (the same array, or two that
        do not share memory), with a finite, non-zero ``alpha``.
    """
    n = y.size
    if n < min_size or not _STATE["want"] or type(y) is not np.ndarray or type(x) is not np.ndarray:
        return False
    if x.shape != y.shape or x.dtype != y.dtype or not (x.flags.c_contiguous and y.flags.c_contiguous):
        return False
    f = _load().get(y.dtype)
    if f is None or not y.flags.writeable or (x is not y and np.may_share_memory(x, y)):
        return False
    alpha = float(alpha)
    if alpha == 0 or not np.isfinite(alpha):  # BLAS skips x when alpha is 0 (NumPy: y + 0*inf is nan)
        return False
    f(n, alpha, x.ctypes.data, 1, y.ctypes.data, 1)
    return True
