"""Tensor: a strided view over a Storage, with Torch7's constructors and queries.

Representation (see docs/internals.md):
  ``_a``  the NumPy view with the tensor's sizes and strides (shape ``(0,)`` for an
          empty tensor, which Torch7 shows as having no dimension);
  ``_s``  the Storage it views, or ``None`` while ``_a`` is a fresh contiguous array
          owned by this tensor alone (the storage is then made on first demand).
The storage offset is not stored: it is the pointer distance between ``_a`` and ``_s._a``.
"""

from __future__ import annotations

import numpy as np

from . import backend
from . import types as T
from .backend import ascontig, convert
from .size import Size, int_arg, parse_sizes, tensor_arg
from .storage import Storage, _wrap_number


class Tensor:
    """Base class of the typed tensors; ``torch.Tensor(...)`` builds the default type.

    Args:
        () | tensor | sizes... | torch.Size [, strides] | storage [, offset [, sizes [, strides]]]
        | nested list | numpy array (copied)

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor(2, 3).fill(1)
        >>> x.size(), x.type()
        (torch.Size([2, 3]), 'torch.DoubleTensor')
    """

    __slots__ = ("_a", "_s", "__weakref__")
    _dtype: np.dtype = np.dtype(np.float64)
    _typename = "torch.Tensor"
    _storage_cls: type = Storage
    _is_float = True
    _is_cuda = False
    _xp = np  # the array engine: NumPy here, CuPy for the torch.Cuda* classes

    def __new__(cls, *args, **kwargs):
        if cls is Tensor:
            cls = T.DEFAULT.tensor
        return object.__new__(cls)

    def __init__(self, *args) -> None:
        dt = self._dtype
        self._s = None
        if not args:
            self._a = np.empty(0, dt)
            return
        a0 = args[0]
        if isinstance(a0, Tensor) and len(args) == 1:
            if a0._dtype != dt:
                raise TypeError(f"{self._typename}: cannot view a {a0._typename} (use :type())")
            self._a = a0._a
            self._s = a0._st()
            return
        # Torch7: a LongStorage is the sizes of a non-Long tensor, but the storage of a LongTensor.
        sizes_storage = isinstance(a0, Storage) and a0._a.dtype == np.int64 and dt != np.int64
        if isinstance(a0, Storage) and not sizes_storage:
            self._set_storage(a0, *args[1:])
            return
        if isinstance(a0, (int, np.integer)) and not isinstance(a0, (bool, np.bool_)):
            self._a = _zeros(parse_sizes(args, self._typename), dt)
            return
        if sizes_storage or isinstance(a0, Size) or (
                isinstance(a0, tuple) and all(isinstance(v, (int, np.integer)) for v in a0)):
            sizes = parse_sizes((a0,), self._typename)
            if len(args) > 1 and args[1] is not None:
                strides = parse_sizes((args[1],), self._typename)
                n = _span(sizes, _fill_strides(sizes, strides))
                st = self._storage_cls(n)
                self._set_storage(st, 0, sizes, strides)
            else:
                self._a = _zeros(sizes, dt)
            return
        if isinstance(a0, np.ndarray):
            self._a = np.array(a0, dtype=dt, order="C", copy=True)
            if self._a.ndim == 0:
                self._a = self._a.reshape(1)
            return
        if isinstance(a0, (list, tuple)):
            try:
                try:
                    arr = np.array(a0, dtype=dt)
                except OverflowError:  # C converts out-of-range integers by wrapping
                    arr = _wrap_number(a0, dt)
            except (ValueError, TypeError) as e:
                raise TypeError(f"{self._typename}: cannot build a tensor from this list ({e})") from None
            if arr.ndim == 0:
                arr = arr.reshape(1)
            self._a = arr
            return
        raise TypeError(f"{self._typename}: invalid arguments ({', '.join(type(a).__name__ for a in args)})")

    # ---- internal constructors -----------------------------------------------------
    @classmethod
    def _new(cls, arr: np.ndarray) -> Tensor:
        """Wrap a fresh C-contiguous array this tensor will own (no copy)."""
        t = object.__new__(cls)
        t._a = arr
        t._s = None
        return t

    @classmethod
    def _view(cls, storage: Storage, arr: np.ndarray) -> Tensor:
        """A tensor over ``storage`` whose elements are the NumPy view ``arr``."""
        t = object.__new__(cls)
        t._a = arr
        t._s = storage
        return t

    def _st(self) -> Storage:
        """The storage, made on first demand for tensors that own a fresh array."""
        s = self._s
        if s is None:
            a = self._a
            s = self._s = self._storage_cls._from_array(a.reshape(-1))
        return s

    def _set_storage(self, st: Storage, offset=0, *rest) -> None:
        if not isinstance(st, Storage):
            raise TypeError(f"{self._typename}.set: expected a storage, got {type(st).__name__}")
        if st._a.dtype != self._dtype:
            raise TypeError(f"{self._typename}.set: storage type {st._typename} does not match")
        offset = int(offset)
        n = st._a.shape[0]
        if not rest or rest[0] is None:
            if not rest and len(rest) == 0 and offset == 0:
                sizes, strides = (n,), (1,)
            else:
                sizes, strides = (n - offset,), (1,)
        elif isinstance(rest[0], (int, np.integer)):
            # storage, offset, sz1 [, st1 [, sz2 [, st2 ...]]]
            sizes = tuple(int(v) for v in rest[0::2])
            strides = tuple(int(v) for v in rest[1::2])
            strides = strides + (-1,) * (len(sizes) - len(strides))
        else:
            sizes = parse_sizes((rest[0],), f"{self._typename}.set")
            strides = parse_sizes((rest[1],), f"{self._typename}.set") if len(rest) > 1 and rest[1] is not None else ()
        strides = _fill_strides(sizes, strides)
        if any(s == 0 for s in sizes) or not sizes:
            self._a = st._a[0:0]
            self._s = st
            return
        if offset < 0 or offset + _span(sizes, strides) > n:
            raise IndexError(
                f"{self._typename}.set: offset {offset} with sizes {_fmt(sizes)} and strides "
                f"{_fmt(strides)} out of range for a storage of size {n}")
        self._a = backend.strided(st._a, self._dtype, sizes, strides, offset)
        self._s = st

    # ---- type ------------------------------------------------------------------------
    def type(self, typename: str | None = None):
        """With no argument, the typename; otherwise self converted (self if unchanged)."""
        if typename is None:
            return self._typename
        cls = T.tensor_class(typename)
        if cls is type(self):
            return self
        return cls._new(convert(self._a, cls))

    def typeAs(self, other: Tensor) -> Tensor:
        tensor_arg(other, "typeAs")
        return self.type(other._typename)

    def byte(self): return self.type("torch.ByteTensor")
    def char(self): return self.type("torch.CharTensor")
    def short(self): return self.type("torch.ShortTensor")
    def int(self): return self.type("torch.IntTensor")
    def long(self): return self.type("torch.LongTensor")
    def float(self): return self.type("torch.FloatTensor")
    def double(self): return self.type("torch.DoubleTensor")
    def half(self): return self.type("torch.HalfTensor")
    # cutorch's conversions (a new tensor on the current device; self when the type is unchanged)
    def cuda(self): return self.type("torch.CudaTensor")
    def cudaDouble(self): return self.type("torch.CudaDoubleTensor")
    def cudaHalf(self): return self.type("torch.CudaHalfTensor")
    def cudaByte(self): return self.type("torch.CudaByteTensor")
    def cudaChar(self): return self.type("torch.CudaCharTensor")
    def cudaShort(self): return self.type("torch.CudaShortTensor")
    def cudaInt(self): return self.type("torch.CudaIntTensor")
    def cudaLong(self): return self.type("torch.CudaLongTensor")

    def real(self):
        return self.type(T.DEFAULT.tensor._typename)

    def new(self, *args) -> Tensor:
        """A new tensor of the same type (Torch7's ``t.new(...)``)."""
        return type(self)(*args)

    # ---- size and structure ----------------------------------------------------------
    def nDimension(self) -> int:
        a = self._a
        return 0 if a.size == 0 else a.ndim

    dim = nDimension
    ndimension = nDimension

    def size(self, dim: int | None = None):
        a = self._a
        if dim is None:
            return Size(a.shape) if a.size else Size()
        nd = 0 if a.size == 0 else a.ndim
        if type(dim) is not int:
            dim = int_arg(dim, "size", "dimension")
        d = dim + nd if dim < 0 else dim
        if not 0 <= d < nd:
            raise IndexError(f"size: dimension {dim} out of range for a {nd}-D tensor")
        return a.shape[d]

    def stride(self, dim: int | None = None):
        a = self._a
        isz = a.itemsize
        if dim is None:
            return Size(s // isz for s in a.strides) if a.size else Size()
        nd = 0 if a.size == 0 else a.ndim
        if type(dim) is not int:
            dim = int_arg(dim, "stride", "dimension")
        d = dim + nd if dim < 0 else dim
        if not 0 <= d < nd:
            raise IndexError(f"stride: dimension {dim} out of range for a {nd}-D tensor")
        return a.strides[d] // isz

    @property
    def shape(self) -> Size:
        return self.size()

    def nElement(self) -> int:
        return self._a.size

    numel = nElement

    def __len__(self) -> int:
        a = self._a
        return a.shape[0] if a.size else 0

    def elementSize(self) -> int:
        return self._a.itemsize

    def storage(self) -> Storage | None:
        if self._s is None and self._a.size == 0:
            return None
        return self._st()

    def storageOffset(self) -> int:
        """0-based offset of the first element in the storage."""
        if self._s is None:
            return 0
        return (_addr(self._a) - _addr(self._s._a)) // self._a.itemsize

    def isContiguous(self) -> bool:
        return self._a.flags.c_contiguous

    is_contiguous = isContiguous

    def isSameSizeAs(self, other: Tensor) -> bool:
        tensor_arg(other, "isSameSizeAs")
        return self.size() == other.size()

    def isSize(self, sizes) -> bool:
        return self.size() == parse_sizes((sizes,), "isSize")

    def isSetTo(self, other: Tensor) -> bool:
        tensor_arg(other, "isSetTo")
        if self._a.size == 0 or self._st() is not other._st():
            return False
        return (self.storageOffset() == other.storageOffset() and self._a.shape == other._a.shape
                and self._a.strides == other._a.strides)

    def data_ptr(self) -> int:
        return _addr(self._a)

    # ---- NumPy interop ---------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The NumPy view of this tensor (shares memory)."""
        return self._a

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != self._a.dtype:
            return self._a.astype(dtype)
        return self._a

    def totable(self):
        """Nested Python lists (Torch7's totable); a number list for 1-D."""
        if self._a.size == 0:
            return []
        return self._a.tolist()

    tolist = totable

    def item(self):
        if self._a.size != 1:
            raise ValueError(f"item: tensor of size {_fmt(self._a.shape)} has {self._a.size} elements, not 1")
        return self._a.reshape(-1)[0].item()

    # ---- Python protocol -------------------------------------------------------------
    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        if self._a.size == 1:
            return bool(self._a.reshape(-1)[0])
        raise ValueError(
            f"the truth value of a tensor of size {_fmt(self.size())} is ambiguous "
            "(use :all() / :any(), or test 'is not None')")

    def __iter__(self):
        a = self._a
        if a.size == 0:
            return iter(())
        if a.ndim == 1:
            return iter(a.tolist())
        return (self.select(0, i) for i in range(a.shape[0]))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._dtype.kind not in "iu":
            raise TypeError(f"only integer tensors of one element can be used as an index, not {self._typename}")
        return int(self.item())

    def __repr__(self) -> str:
        from .printing import tensor_str

        return tensor_str(self)

    __str__ = __repr__

    def __reduce__(self):
        return (_rebuild, (self._typename, ascontig(self._a) if self._a.size else None,
                           tuple(self.size())))


def _rebuild(typename, arr, sizes):
    cls = T.tensor_class(typename)
    if arr is None:
        return cls()
    return cls._new(np.array(arr, dtype=cls._dtype).reshape(sizes))


# ---- helpers used across _core ------------------------------------------------------------
def _zeros(sizes: tuple, dt: np.dtype) -> np.ndarray:
    for s in sizes:
        if s < 0:
            raise ValueError(f"invalid size {_fmt(sizes)}: sizes must be non-negative")
    if not sizes or 0 in sizes:
        return np.empty(0, dt)
    return np.zeros(sizes, dt)


def _fill_strides(sizes: tuple, strides: tuple) -> tuple:
    """Torch7: a missing or negative stride means 'the contiguous stride'."""
    out = [0] * len(sizes)
    z = 1
    for d in range(len(sizes) - 1, -1, -1):
        st = strides[d] if d < len(strides) else -1
        out[d] = z if st < 0 else st
        z *= max(sizes[d], 1)
    return tuple(out)


def _span(sizes: tuple, strides: tuple) -> int:
    if not sizes or 0 in sizes:
        return 0
    return 1 + sum((sz - 1) * st for sz, st in zip(sizes, strides, strict=True))


_addr = backend.addr


def _fmt(sizes) -> str:
    return "x".join(str(int(s)) for s in sizes) if len(sizes) else "[empty]"


def _make_tensor_classes() -> None:
    for short, dt, is_float in T.TYPE_TABLE:
        name = f"torch.{short}Tensor"
        cls = type(f"{short}Tensor", (Tensor,), {
            "__slots__": (), "_dtype": dt, "_typename": name, "_is_float": is_float,
            "_storage_cls": T.STORAGE_CLASSES[f"torch.{short}Storage"],
        })
        cls.__module__ = "torch7"
        T.TENSOR_CLASSES[name] = cls
        T.TENSOR_CLASS_OF_DTYPE[dt] = cls
        globals()[f"{short}Tensor"] = cls


_make_tensor_classes()
T.DEFAULT.tensor = T.TENSOR_CLASSES["torch.DoubleTensor"]
