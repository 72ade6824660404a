"""Which array engine a tensor lives on: NumPy for CPU types, CuPy for the ``torch.Cuda*`` types.

CuPy is imported on first use, never at ``import torch7``.  When it is missing, or imported but
without a usable device (no driver, no GPU), every CUDA entry point raises
:class:`CudaUnavailableError` saying why and what to install; the CPU types never notice.

Example:
    >>> import numpy as np
    >>> from torch7._core import backend
    >>> backend.array_module(np.zeros(2)) is np
    True
"""

from __future__ import annotations

import numpy as np

INSTALL_HINT = ("install the 'cuda' extra on a machine with an NVIDIA GPU: pip install 'torch7[cuda]' "
                "(CuPy for CUDA 13, cupy-cuda13x; use cupy-cuda12x with CUDA 12 drivers)")


class CudaUnavailableError(RuntimeError):
    """A CUDA type or ``torch7.cutorch`` function was used where CUDA cannot run."""


class _State:
    mod = None  # the cupy module once it imported and found a device
    why: str | None = None  # why CUDA cannot be used, once that is known
    tried = False
    capturing = False  # a cutorch.CudaGraph is recording: checks that read device memory are skipped


_STATE = _State()


def _probe() -> None:
    st = _STATE
    st.tried = True
    try:
        import cupy
    except ImportError as e:
        st.why = f"CuPy is not installed ({e}); {INSTALL_HINT}"
        return
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as e:  # CuPy raises CUDARuntimeError when the driver is missing or too old
        st.why = f"CuPy {cupy.__version__} found no usable CUDA device ({e})"
        return
    if n <= 0:
        st.why = f"CuPy {cupy.__version__} found no CUDA device"
        return
    _install(cupy)


def _install(mod) -> None:
    """Make ``mod`` the engine of the ``torch.Cuda*`` classes (their ``_xp``; None: no CUDA)."""
    from . import types as T

    _STATE.mod = mod
    for cls in (*T.CUDA_TENSOR_CLASSES.values(), *T.CUDA_STORAGE_CLASSES.values()):
        cls._xp = mod


def cupy(what: str = "CUDA"):
    """The ``cupy`` module; raises :class:`CudaUnavailableError` (naming ``what``) when CUDA cannot run."""
    st = _STATE
    if not st.tried:
        _probe()
    if st.mod is None:
        raise CudaUnavailableError(f"{what}: CUDA is not available: {st.why}")
    return st.mod


def capturing() -> bool:
    """Whether a ``cutorch.CudaGraph`` is capturing now (validity checks that would read device memory from
    the host, a synchronisation a capture refuses, are left out while it does)."""
    return _STATE.capturing


def is_available() -> bool:
    """Whether CuPy imports and sees at least one CUDA device."""
    if not _STATE.tried:
        _probe()
    return _STATE.mod is not None


def array_module(x):
    """``numpy`` or ``cupy``: the engine of a tensor, storage or array ``x``."""
    a = getattr(x, "_a", x)
    if isinstance(a, np.ndarray) or _STATE.mod is None:
        return np
    return _STATE.mod.get_array_module(a)


def require_cuda_tensors(typename: str):
    """Called by every constructor of a ``torch.Cuda*`` type: CUDA must run (else a clear error)."""
    return cupy(typename)


# ---- arrays on either engine ---------------------------------------------------------------------
# These dispatch on the array's own type, so a device engine that is NumPy itself (the tests'
# emulation of CuPy) takes the host branch and still runs.
def to_host(a):
    """``a`` as a NumPy array (a copy from the device for CuPy arrays; ``a`` itself on the host)."""
    return a if isinstance(a, np.ndarray) else a.get()


def addr(a) -> int:
    """The address of an array's first element."""
    if isinstance(a, np.ndarray):
        return a.__array_interface__["data"][0]
    return a.data.ptr


def strided(base, dtype, sizes: tuple, strides: tuple, offset: int):
    """A view of the 1-D array ``base``: ``sizes`` and element ``strides`` from element ``offset``."""
    isz = base.itemsize
    bstrides = tuple(s * isz for s in strides)
    if isinstance(base, np.ndarray):
        return np.ndarray(sizes, dtype, buffer=base, offset=offset * isz, strides=bstrides)
    return _STATE.mod.ndarray(sizes, dtype, memptr=base.data + offset * isz, strides=bstrides)


def as_strided(a, shape: tuple, strides: tuple, writeable: bool = True):
    """``numpy.lib.stride_tricks.as_strided`` on either engine (``strides`` in bytes; CuPy's views are
    always writeable)."""
    if isinstance(a, np.ndarray):
        return np.lib.stride_tricks.as_strided(a, shape, strides, writeable=writeable)
    return _STATE.mod.lib.stride_tricks.as_strided(a, shape, strides)


def copyto(dst, src) -> None:
    """``dst[...] = src`` with C's conversions, whichever engines hold ``dst`` and ``src``."""
    if isinstance(dst, np.ndarray):
        np.copyto(dst, to_host(src), casting="unsafe")
        return
    cp = _STATE.mod
    if isinstance(src, np.ndarray) and cp is not np:
        src = cp.asarray(src)
    cp.copyto(dst, src, casting="unsafe")


def check_typename(typename, what: str) -> None:
    """Refuse a conversion to a ``torch.Cuda*`` type up front (before any field is touched)."""
    if isinstance(typename, str) and typename.startswith("torch.Cuda"):
        require_cuda_tensors(f"{what}('{typename}')")


def _set_for_tests(mod, why: str | None = None) -> tuple:
    """Swap the probed state (tests only); returns the previous state for restoring."""
    st = _STATE
    old = (st.mod, st.why, st.tried)
    st.why, st.tried = why, True
    _install(mod)
    return old


def _restore(old: tuple) -> None:
    mod, _STATE.why, _STATE.tried = old
    _install(mod)


def xp(a):
    """The engine (``numpy`` or ``cupy``) of array ``a``: where new arrays that meet it must live."""
    return np if isinstance(a, np.ndarray) else _STATE.mod


def is_array(x) -> bool:
    """Whether ``x`` is an array of either engine (not a number, NumPy scalars included)."""
    return isinstance(x, np.ndarray) or hasattr(x, "__cuda_array_interface__")


def like(a, host):
    """``host`` (a NumPy array or a list) on the engine of array ``a``: itself on the host, uploaded to
    ``a``'s device otherwise (small index tables and constants that meet device data)."""
    return host if isinstance(a, np.ndarray) else _STATE.mod.asarray(host)


_CONSTANTS: dict = {}
_HOST_COPIES: dict = {}  # id(device array) -> (the array, its values on the host at the last eager read)


def table_on_host(a):
    """The values of a small device table that steer host code (a kernel's taps, a connection table), read
    with a copy; while a ``cutorch.CudaGraph`` captures (when no copy may be made) the copy from the last
    read outside the capture, so the graph keeps the values the table had then."""
    if isinstance(a, np.ndarray):
        return a
    hit = _HOST_COPIES.get(id(a))
    if _STATE.capturing and hit is not None and hit[0] is a:
        return hit[1]
    host = a.get()
    if len(_HOST_COPIES) >= 64:
        _HOST_COPIES.clear()
    _HOST_COPIES[id(a)] = (a, host)
    return host


def constant(a, host: np.ndarray):
    """:func:`like` for a table that is only read (window indices, interpolation weights): uploaded once per
    device and content, so later calls skip the upload, and a ``cutorch.CudaGraph`` capture has none to
    refuse. The device copy is shared: never write into it."""
    if isinstance(a, np.ndarray):
        return host
    key = (id(_STATE.mod), a.device.id, host.dtype.str, host.shape, host.tobytes())
    hit = _CONSTANTS.get(key)
    if hit is None:
        if len(_CONSTANTS) >= 256:  # shapes come and go: keep the table small
            _CONSTANTS.clear()
        hit = _CONSTANTS[key] = _STATE.mod.asarray(host)
    return hit


def einsum_into(spec: str, *operands, out, **kwargs):
    """``numpy.einsum(spec, *operands, out=out)`` on either engine (CuPy's einsum takes no ``out=``)."""
    if isinstance(out, np.ndarray):
        return np.einsum(spec, *operands, out=out, **kwargs)
    out[...] = _STATE.mod.einsum(spec, *operands, **kwargs)
    return out


def segment_ids(sizes):
    """``[0]*sizes[0] + [1]*sizes[1] + ...`` as an array on the engine of the integer array ``sizes``
    (CuPy's ``repeat`` takes no array of repeats, so there it is a search in the running sums)."""
    if isinstance(sizes, np.ndarray):
        return np.repeat(np.arange(sizes.size), sizes)
    xp = _STATE.mod
    ends = xp.cumsum(sizes)
    total = int(ends[-1]) if sizes.size else 0
    return xp.searchsorted(ends, xp.arange(total), side="right")


_np_amax = np.maximum.reduce


def amax(a):
    """The largest element: ``np.maximum.reduce`` (no ndarray.max wrapper, a microsecond less per call)
    on the host; CuPy has only the array method."""
    return _np_amax(a, None) if isinstance(a, np.ndarray) else a.max()


def ascontig(a, dtype=None):
    """``numpy.ascontiguousarray`` on either engine (NumPy's would pull a CuPy array to the host)."""
    if isinstance(a, np.ndarray):
        return np.ascontiguousarray(a, dtype)
    if not hasattr(a, "__cuda_array_interface__"):  # a number or a list
        return np.ascontiguousarray(a, dtype)
    return _STATE.mod.ascontiguousarray(a, dtype)


def fresh(uf, *args):
    """``uf(*args)`` as a new C-contiguous array: NumPy's ``order='C'`` (CuPy's results always are,
    and its ufuncs take no ``order``)."""
    for a in args:
        if isinstance(a, np.ndarray):
            return uf(*args, order="C")
    if any(hasattr(a, "__cuda_array_interface__") for a in args):
        return uf(*args)
    return uf(*args, order="C")


def ufunc_where(uf, *args, out, where):
    """``uf(*args, out=out, where=where)`` (entries outside ``where`` keep ``out``'s values) on either
    engine: CuPy's ufuncs take no ``where``, so there the result is merged with ``where`` afterwards."""
    if isinstance(out, np.ndarray):
        return uf(*args, out=out, where=where)
    _STATE.mod.copyto(out, uf(*args), where=where)
    return out


def convert(a, cls: type):
    """The elements of array ``a`` as a fresh C-contiguous array for tensor class ``cls`` (any device)."""
    if cls._is_cuda:
        xp = require_cuda_tensors(cls._typename)
        if isinstance(a, np.ndarray):  # convert on the host: fewer bytes cross the bus when narrowing
            return xp.asarray(a.astype(cls._dtype, order="C"))
        return a.astype(cls._dtype, order="C")
    if isinstance(a, np.ndarray):
        return a.astype(cls._dtype, order="C")
    return to_host(a.astype(cls._dtype, order="C"))
