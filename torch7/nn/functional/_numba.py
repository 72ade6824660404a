"""Shared on/off switch for every optional Numba kernel (convolution, pooling, batch norm, recurrent gates).

The kernel modules (``conv_numba``, ``pool2d_numba``) import ``numba`` at import time; this module
imports them lazily and caches an ImportError as "not available", so the NumPy paths run wherever
``numba`` is missing. ``TORCH7_NUMBA=0`` in the environment turns the kernels off at start-up and
:func:`use_numba` switches them at run time (tests use it to compare both paths).

Example:
    >>> from torch7.nn.functional import _numba
    >>> old = _numba.use_numba(False)
    >>> _numba.kernels("conv_numba", "float32") is None
    True
    >>> _ = _numba.use_numba(old)
"""

from __future__ import annotations

import importlib
import os

import numpy as np

_STATE: dict = {"want": os.environ.get("TORCH7_NUMBA", "1") != "0", "mods": {}}
_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def use_numba(flag: bool | None = None) -> bool:
    """Whether the conv/pool Numba kernels may run; ``flag`` sets it, the previous value is returned.

    Args:
        flag: ``True``/``False`` to switch, ``None`` to only query.

    Returns:
        The setting before the call (``False`` when ``numba`` cannot be imported).
    """
    old = _STATE["want"] and _load("conv_numba") is not None
    if flag is not None:
        _STATE["want"] = bool(flag)
    return old


def _load(name: str):
    mods = _STATE["mods"]
    if name not in mods:
        try:
            mods[name] = importlib.import_module(f"{__package__}.{name}")
        except ImportError:
            mods[name] = None
    return mods[name]


def kernels(name: str, dtype):
    """The kernel module ``name`` when Numba is on and ``dtype`` is float32/float64, else ``None``.

    Args:
        name: module name inside ``torch7.nn.functional`` (``"conv_numba"`` or ``"pool2d_numba"``).
        dtype: dtype of the arrays the caller is about to pass, or one of those arrays (None for
            a device array).
    """
    if isinstance(dtype, np.ndarray):
        dtype = dtype.dtype
    elif hasattr(dtype, "__cuda_array_interface__"):  # a CuPy array: compiled CPU kernels cannot read it
        return None
    if not _STATE["want"] or np.dtype(dtype) not in _DTYPES:
        return None
    return _load(name)
