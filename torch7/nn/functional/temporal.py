"""Stateless NumPy kernels for the Temporal* modules (sequences laid out as ``(..., T, C)``).

Windows are strided views (no copy); their adjoint adds ``kW`` strided slices, so there is no
Python loop over output positions and no ``np.add.at``.  NumPy and CuPy arrays alike.
"""

from __future__ import annotations

import numpy as np

from ..._core import backend


def size_str(t) -> str:
    return "x".join(str(s) for s in t.size()) or "[empty]"


def n_frames(T: int, kW: int, dW: int) -> int:
    return (T - kW) // dW + 1


def windows(a: np.ndarray, kW: int, dW: int) -> np.ndarray:
    """View of ``a`` (..., T, C) as (..., nOut, kW, C): window ``t`` holds frames ``t*dW .. t*dW+kW-1``."""
    nout = n_frames(a.shape[-2], kW, dW)
    st = a.strides
    shape = a.shape[:-2] + (nout, kW, a.shape[-1])
    strides = st[:-2] + (st[-2] * dW, st[-2], st[-1])
    return backend.as_strided(a, shape, strides, writeable=False)


def windows_flat(a: np.ndarray, kW: int, dW: int) -> np.ndarray:
    """For C-contiguous ``a`` (..., T, C): view (..., nOut, kW*C), each row ``kW`` whole frames."""
    nout = n_frames(a.shape[-2], kW, dW)
    st = a.strides
    shape = a.shape[:-2] + (nout, kW * a.shape[-1])
    strides = st[:-2] + (st[-2] * dW, st[-1])
    return backend.as_strided(a, shape, strides, writeable=False)


def add_windows(gi: np.ndarray, gw: np.ndarray, kW: int, dW: int) -> None:
    """Adjoint of :func:`windows`: ``gi`` (..., T, C) += the window gradients ``gw`` (..., nOut, kW, C)."""
    nout = gw.shape[-3]
    stop = dW * (nout - 1) + 1
    for k in range(kW):
        gi[..., k:k + stop:dW, :] += gw[..., k, :]


def as_batch(a: np.ndarray) -> np.ndarray:
    """(T, C) -> (1, T, C); (N, T, C) unchanged."""
    return a[None] if a.ndim == 2 else a
