"""Storage: a flat, typed, 1-D array, the memory every Tensor views.

A Storage wraps one contiguous 1-D NumPy array (``_a``).  Views of a storage
(``torch.DoubleStorage(s, offset, size)``) share its memory.  Indices are 0-based.
"""

from __future__ import annotations

import numpy as np

from . import types as T
from .backend import ascontig
from .fastfill import fill_array


class Storage:
    """Base class of the typed storages; ``torch.Storage(...)`` builds the default type.

    Args:
        size or list or storage [, offset [, size]] or filename [, shared [, size]]

    Example:
        >>> import torch7 as torch
        >>> s = torch.DoubleStorage([1, 2, 3])
        >>> s.size(), s[0]
        (3, 1.0)
    """

    __slots__ = ("_a", "__weakref__")
    _dtype: np.dtype = np.dtype(np.float64)
    _typename = "torch.Storage"
    _is_cuda = False
    _xp = np

    def __new__(cls, *args, **kwargs):
        if cls is Storage:
            cls = T.DEFAULT.storage
        return object.__new__(cls)

    def __init__(self, *args) -> None:
        dt = self._dtype
        if not args:
            self._a = np.empty(0, dt)
            return
        a0 = args[0]
        if isinstance(a0, (bool, np.bool_)):
            raise TypeError(f"{self._typename}: invalid size {a0!r}")
        if isinstance(a0, (int, np.integer)):
            if a0 < 0:
                raise ValueError(f"{self._typename}: size must be non-negative, got {a0}")
            self._a = np.zeros(int(a0), dt)
        elif isinstance(a0, Storage):
            src = a0._a
            offset = int(args[1]) if len(args) > 1 else 0
            size = int(args[2]) if len(args) > 2 else src.shape[0] - offset
            if offset < 0 or size < 0 or offset + size > src.shape[0]:
                raise IndexError(
                    f"{self._typename}: view [offset {offset}, size {size}] out of range for "
                    f"storage of size {src.shape[0]}")
            if src.dtype != dt:
                raise TypeError(f"{self._typename}: cannot view a {a0._typename}")
            self._a = src[offset:offset + size]
        elif isinstance(a0, str):
            shared = bool(args[1]) if len(args) > 1 else False
            size = int(args[2]) if len(args) > 2 else 0
            self._a = _map_file(a0, dt, shared, size)
        elif isinstance(a0, np.ndarray):
            if a0.ndim != 1 or a0.dtype != dt or not a0.flags.c_contiguous:
                self._a = ascontig(a0, dtype=dt).reshape(-1)
            else:
                self._a = a0
        else:
            try:
                try:
                    self._a = np.array(list(a0), dtype=dt).reshape(-1)
                except OverflowError:
                    self._a = _wrap_number(list(a0), dt).reshape(-1)
            except (TypeError, ValueError) as e:
                raise TypeError(f"{self._typename}: cannot build from {type(a0).__name__}: {e}") from None

    @classmethod
    def _from_array(cls, a: np.ndarray) -> Storage:
        """Wrap a contiguous 1-D array without copying (internal fast path)."""
        s = object.__new__(cls)
        s._a = a
        return s

    # ---- queries -------------------------------------------------------------------
    def size(self) -> int:
        return self._a.shape[0]

    def __len__(self) -> int:
        return self._a.shape[0]

    def elementSize(self) -> int:
        return self._a.itemsize

    def type(self, typename: str | None = None):
        if typename is None:
            return self._typename
        cls = T.STORAGE_CLASSES.get(typename) or T.CUDA_STORAGE_CLASSES.get(typename)
        if cls is None:
            raise TypeError(f"{self._typename}.type: unknown storage type '{typename}'")
        if cls is type(self):
            return self
        from .backend import convert

        return cls._from_array(convert(self._a, cls))

    def data_ptr(self) -> int:
        from .backend import addr

        return addr(self._a)

    # ---- elements --------------------------------------------------------------------
    def _check(self, i: int) -> int:
        n = self._a.shape[0]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"{self._typename}: index {i} out of range for storage of size {n}")
        return i

    def __getitem__(self, i):
        if isinstance(i, slice):
            start, stop, step = i.indices(self._a.shape[0])
            if step != 1:
                raise IndexError(f"{self._typename}: slices must have step 1")
            return type(self)._from_array(self._a[start:max(start, stop)])
        return self._a[self._check(int(i))].item()

    def __setitem__(self, i, v) -> None:
        try:
            self._a[self._check(int(i))] = v
        except OverflowError:
            self._a[self._check(int(i))] = _wrap_number(v, self._dtype)

    def __iter__(self):
        return iter(self._a.tolist())

    def tolist(self) -> list:
        return self._a.tolist()

    totable = tolist

    def fill(self, v) -> Storage:
        try:
            fill_array(self._a, v)
        except OverflowError:
            fill_array(self._a, _wrap_number(v, self._dtype))
        return self

    def zero(self) -> Storage:
        return self.fill(0)

    def resize(self, n: int) -> Storage:
        """Resize to ``n`` elements, keeping the leading contents (new memory)."""
        n = int(n)
        if n != self._a.shape[0]:
            new = self._xp.zeros(n, self._dtype)
            k = min(n, self._a.shape[0])
            new[:k] = self._a[:k]
            self._a = new
        return self

    def copy(self, src) -> Storage:
        from .backend import copyto

        s = src._a if isinstance(src, Storage) else np.asarray(src)
        if s.size != self._a.shape[0]:
            raise ValueError(
                f"{self._typename}.copy: sizes do not match ({self._a.shape[0]} vs {s.size})")
        copyto(self._a, s.reshape(-1))
        return self

    def string(self, s: str | bytes | None = None):
        """Byte/Char storages: read (no argument) or write the bytes as a string."""
        if self._dtype.itemsize != 1 or self._dtype.kind == "f":
            raise TypeError(f"{self._typename}.string: only for Byte and Char storages")
        if s is None:
            return self._a.tobytes().decode("latin-1")
        b = s.encode("latin-1") if isinstance(s, str) else bytes(s)
        self._a = np.frombuffer(bytearray(b), dtype=self._dtype).copy()
        return self

    def numpy(self) -> np.ndarray:
        return self._a

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        from .printing import storage_str

        return storage_str(self)

    __str__ = __repr__


def _wrap_number(v, dt: np.dtype) -> np.ndarray:
    """``v`` converted the way C converts a number to ``dt`` (integers wrap, floats truncate)."""
    with np.errstate(all="ignore"):
        return np.array(v).astype(dt)


def _map_file(name: str, dt: np.dtype, shared: bool, size: int) -> np.ndarray:
    import os

    if size <= 0:
        if not os.path.exists(name):
            raise FileNotFoundError(f"Storage: cannot open file '{name}'")
        size = os.path.getsize(name) // dt.itemsize
    if size == 0:
        return np.empty(0, dt)
    mode = "r+" if shared else "c"
    if shared and (not os.path.exists(name) or os.path.getsize(name) < size * dt.itemsize):
        with open(name, "ab") as f:
            f.truncate(size * dt.itemsize)
    return np.memmap(name, dtype=dt, mode=mode, shape=(size,))


def _make_storage_classes() -> None:
    for short, dt, _ in T.TYPE_TABLE:
        name = f"torch.{short}Storage"
        cls = type(f"{short}Storage", (Storage,), {"__slots__": (), "_dtype": dt, "_typename": name})
        cls.__module__ = "torch7"
        T.STORAGE_CLASSES[name] = cls
        T.STORAGE_CLASS_OF_DTYPE[dt] = cls
        globals()[f"{short}Storage"] = cls


_make_storage_classes()
T.DEFAULT.storage = T.STORAGE_CLASSES["torch.DoubleStorage"]
