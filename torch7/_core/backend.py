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
    st.mod = cupy


def cupy(what: str = "CUDA"):
    """The ``cupy`` module; raises :class:`CudaUnavailableError` (naming ``what``) when CUDA cannot run."""
    st = _STATE
    if not st.tried:
        _probe()
    if st.mod is None:
        raise CudaUnavailableError(f"{what}: CUDA is not available: {st.why}")
    return st.mod


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
    """Called by every constructor of a ``torch.Cuda*`` type: CUDA must run, and CUDA tensors exist.

    CUDA tensor storage and math on CuPy are not built yet (issue 9): with a device present this
    raises ``NotImplementedError`` rather than silently computing on the host.
    """
    cupy(typename)
    raise NotImplementedError(f"{typename}: tensors on the GPU (CuPy) are not implemented in this version of "
                              "torch7; use the CPU types (x.float(), net.float())")


def check_typename(typename, what: str) -> None:
    """Refuse a conversion to a ``torch.Cuda*`` type up front (before any field is touched)."""
    if isinstance(typename, str) and typename.startswith("torch.Cuda"):
        require_cuda_tensors(f"{what}('{typename}')")


def _set_for_tests(mod, why: str | None = None) -> tuple:
    """Swap the probed state (tests only); returns the previous state for restoring."""
    st = _STATE
    old = (st.mod, st.why, st.tried)
    st.mod, st.why, st.tried = mod, why, True
    return old


def _restore(old: tuple) -> None:
    _STATE.mod, _STATE.why, _STATE.tried = old
