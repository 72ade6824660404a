"""Helpers shared by torch7.image: Lua call forms, tensor <-> NumPy, storing results like the C code.

Torch7's image C kernels compute in floating point and write into the destination's real type;
for ByteTensor they round to nearest and clamp to 0..255 (``FromIntermediate`` in image.c),
other integer types take C's truncating conversion.  ``store`` does exactly that.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from .._core import types as _types
from .._core.tensor import Tensor


def lua_table_args(fn):
    """Accept Lua's table call ``f({'size': 3})`` as well as ``f(size=3)`` and positional args."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if len(args) == 1 and isinstance(args[0], dict):
            kwargs = {**args[0], **kwargs}
            args = ()
        return fn(*args, **kwargs)

    return wrapper


def is_number(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def check_tensor(t, fname: str, what: str = "input") -> Tensor:
    if not isinstance(t, Tensor):
        raise TypeError(f"{fname}: {what} must be a tensor, got {type(t).__name__}")
    return t


def check_image(t, fname: str, what: str = "input", dims=(2, 3)) -> np.ndarray:
    """The NumPy view of ``t`` after checking it is a tensor with one of ``dims`` dimensions."""
    check_tensor(t, fname, what)
    a = t.numpy()
    if t.nDimension() not in dims:
        want = " or ".join(f"{d}-D" for d in dims)
        raise ValueError(f"{fname}: {what} must be {want}, got size {fmt_size(t)}")
    return a


def fmt_size(t) -> str:
    shape = t.size() if isinstance(t, Tensor) else tuple(t)
    return "x".join(str(s) for s in shape) if len(shape) else "[empty]"


def default_class() -> type:
    return _types.DEFAULT.tensor


def tensor_class(typename: str) -> type:
    return _types.tensor_class(typename)


def to_storable(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Convert float results to ``dtype`` as Torch7's image C code does (see module docstring)."""
    dtype = np.dtype(dtype)
    if values.dtype == dtype:
        return values
    if dtype.kind == "f":
        return values.astype(dtype)
    if dtype == np.uint8:
        return np.clip(np.floor(np.asarray(values, np.float64) + 0.5), 0, 255).astype(np.uint8)
    info = np.iinfo(dtype)
    return np.clip(np.trunc(values), info.min, info.max).astype(dtype)


def store(values: np.ndarray, cls: type, dst: Tensor | None = None) -> Tensor:
    """A tensor of class ``cls`` holding ``values`` (converted), or ``dst`` resized and filled."""
    if dst is not None:
        check_tensor(dst, "image", "destination")
        cls = type(dst)
    arr = np.asarray(values)
    data = to_storable(arr, cls._dtype)
    if dst is None:
        if data.size == 0:
            return cls._new(np.empty(0, cls._dtype))
        # A result never shares memory with an input: copy unless the conversion made a new array.
        if data is arr or data.base is not None or not data.flags.c_contiguous:
            data = np.array(data, order="C", copy=True)
        return cls._new(data)
    if tuple(dst.size()) != data.shape:
        dst.resize(*data.shape)
    np.copyto(dst.numpy(), data, casting="unsafe")
    return dst


def as_float(a: np.ndarray) -> np.ndarray:
    """The values as float64 (a new array, never a view of the tensor's memory)."""
    return np.array(a, dtype=np.float64)


def to_int(v, fname: str, what: str) -> int:
    """A Lua number used as a C ``long``: truncated toward zero."""
    if isinstance(v, Tensor):
        v = v.item()
    if not is_number(v):
        raise TypeError(f"{fname}: {what} must be a number, got {type(v).__name__}")
    return int(v)


def c_round(x: np.ndarray) -> np.ndarray:
    """C's ``round``: halves away from zero (NumPy's ``round`` rounds halves to even)."""
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def require_pillow(fname: str):
    """Import Pillow's ``PIL.Image`` or raise an ImportError naming the ``image`` extra."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(f"{fname} needs Pillow: install the 'image' extra "
                          "(pip install 'torch7[image]')") from None
    return Image
