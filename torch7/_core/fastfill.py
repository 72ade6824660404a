"""Filling large contiguous arrays faster than ``ndarray.fill``.

NumPy fills wider-than-byte types element by element with scalar stores, while its
contiguous copy loop and its byte fill (``memset``) move memory at full width.  So a large
C-contiguous array is filled by writing one small block (which stays in L1/L2) and
broadcast-copying it over the rest, and a fill with zero bits is a byte fill.  The result is
bit-identical to ``ndarray.fill``; measured 1.3-2x faster from 2^15 elements up
(benchmarks/RESULTS.md, tensor_ops "fill" rows).  From 512 KiB up the fill is split over OpenBLAS's
threads (:mod:`blaspool`) where that pool is available.
"""

from __future__ import annotations

import numpy as np

from . import blaspool
from .blaspool import MIN_BYTES as POOL_MIN

_BIG = 1 << 15  # elements; smaller arrays are fastest with ndarray.fill itself


def fill_array(a: np.ndarray, value) -> None:
    """``a.fill(value)`` with the same conversion rules and errors, faster on big arrays."""
    n = a.size
    if n < _BIG or a.itemsize == 1 or not a.flags.c_contiguous or type(a) is not np.ndarray:
        a.fill(value)
        return
    if a.nbytes >= POOL_MIN and blaspool.fill(a, value):
        return
    flat = a.reshape(-1)
    if value == 0 and not np.signbit(value):
        flat.view(np.uint8).fill(0)
        return
    # A 64 KiB block once the array outgrows the caches, else 16 KiB (measured best).
    blk = (65536 if n * a.itemsize >= 1 << 22 else 16384) // a.itemsize
    k = n // blk
    rows = flat[:k * blk].reshape(k, blk)
    rows[0].fill(value)  # raises exactly as ndarray.fill would
    rows[1:] = rows[0]
    if k * blk < n:
        flat[k * blk:] = rows[0, :n - k * blk]


def filled(sizes: tuple, dt: np.dtype, value) -> np.ndarray:
    """``np.full(sizes, value, dt)``; from 512 KiB the fill runs on OpenBLAS's threads (3x faster than
    ``np.ones`` at 4 MB)."""
    arr = np.empty(sizes, dt)
    fill_array(arr, value) if arr.nbytes >= POOL_MIN else arr.fill(value)
    return arr
