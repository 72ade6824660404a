"""Shared test helpers: the type lists, random tensors (contiguous or not) and comparisons."""

from __future__ import annotations

import contextlib

import numpy as np

import torch7 as torch

ALL_TYPES = ["torch.ByteTensor", "torch.CharTensor", "torch.ShortTensor", "torch.IntTensor",
             "torch.LongTensor", "torch.FloatTensor", "torch.DoubleTensor"]
INT_TYPES = ALL_TYPES[:5]
FLOAT_TYPES = ["torch.FloatTensor", "torch.DoubleTensor"]
SIGNED_TYPES = ALL_TYPES[1:]


def tol(typename: str) -> float:
    return 1e-4 if typename == "torch.FloatTensor" else 1e-10


def make(typename: str, shape: tuple, noncontig: bool = False, low=None, high=None, seed: int = 0):
    """A tensor of ``typename`` and ``shape`` with random values; a non-contiguous view if asked.

    Integers are drawn in [low, high) (default a range valid for the type), floats in [-2, 2).
    """
    rng = np.random.default_rng(seed)
    cls = torch.tensor_class(typename)
    dt = cls._dtype
    if dt.kind == "f":
        lo = -2.0 if low is None else low
        hi = 2.0 if high is None else high
        arr = rng.uniform(lo, hi, size=shape).astype(dt)
    else:
        info = np.iinfo(dt)
        lo = max(info.min, -20) if low is None else low
        hi = min(info.max, 20) if high is None else high
        arr = rng.integers(lo, hi, size=shape).astype(dt)
    if not noncontig:
        return torch.from_numpy(arr)
    # Same values, but laid out transposed in a bigger buffer: strides are not contiguous.
    big = np.zeros(tuple(reversed(shape)) + (2,), dt)
    view = big[..., 0].transpose()
    view[...] = arr
    t = torch.from_numpy(view)
    assert not t.isContiguous() or len(shape) == 0 or arr.size <= 1
    return t


def np_of(t) -> np.ndarray:
    return np.array(t.numpy())


def assert_close(t, expected, tolerance: float = 1e-10, typename: str | None = None) -> None:
    """``t`` (a tensor) equals the NumPy array ``expected`` in shape, type and values."""
    assert torch.isTensor(t), f"expected a tensor, got {type(t).__name__}"
    exp = np.asarray(expected)
    if typename is not None:
        assert t.type() == typename, f"type {t.type()} != {typename}"
    got = t.numpy()
    if exp.size == 0:
        assert t.nElement() == 0
        return
    assert tuple(got.shape) == tuple(exp.shape), f"size {got.shape} != {exp.shape}"
    if got.dtype.kind == "f" or exp.dtype.kind == "f":
        np.testing.assert_allclose(got.astype(np.float64), exp.astype(np.float64), rtol=tolerance, atol=tolerance)
    else:
        np.testing.assert_array_equal(got, exp)


@contextlib.contextmanager
def axpy_calls():
    """Record the element counts of the BLAS axpy calls torch7 makes inside the block (blas1.py)."""
    from torch7._core import blas1
    assert blas1.available(), "NumPy's wheel ships OpenBLAS with CBLAS axpy"
    calls: list[int] = []
    real = blas1._load()

    def spy(f):
        return lambda *args: (calls.append(args[0]), f(*args))[1]

    blas1._STATE["fns"] = {dt: spy(f) for dt, f in real.items()}
    try:
        yield calls
    finally:
        blas1._STATE["fns"] = real
