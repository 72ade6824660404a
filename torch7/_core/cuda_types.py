"""The ``torch.Cuda*Tensor`` and ``torch.Cuda*Storage`` classes (cutorch's eight types), on CuPy.

They exist at ``import torch7`` (so ``torch.CudaTensor`` can be named, type-checked and used as a
typename); making one needs CUDA, else :class:`CudaUnavailableError` says why.  A CUDA tensor is
the CPU tensor with a CuPy array as ``_a`` (its class's ``_xp`` is ``cupy``): views, math and
printing are the CPU code, which NumPy hands to CuPy through ``__array_function__`` and
``__array_ufunc__``.  What must differ is here: construction (uploads), the memory views, and the
refusal to hand out a NumPy view (``numpy()``) of device memory.

Example:
    >>> import torch7 as torch
    >>> issubclass(torch.CudaTensor, torch.Tensor), torch.CudaTensor._host_typename
    (True, 'torch.FloatTensor')
"""

from __future__ import annotations

import numpy as np

from . import types as T
from .backend import require_cuda_tensors, to_host
from .size import parse_sizes
from .storage import Storage
from .tensor import Tensor

CUDA_OF_HOST = T.CUDA_PREFIX  # cutorch's prefix -> the CPU type holding the same elements


def _device_array(cls, a):
    """``a`` (a host or device array) as an array of ``cls``'s engine (uploaded when on the host)."""
    if isinstance(a, np.ndarray):
        xp = cls._xp or require_cuda_tensors(cls._typename)
        return xp.asarray(a)
    return a


def _no_numpy(self, *args, **kwargs):
    raise TypeError(f"{self._typename}: its memory is on the GPU and cannot be viewed as a NumPy array; copy it "
                    "to the host first (x.float(), x.double(), or x.type('torch.FloatTensor'))")


class CudaTensorBase(Tensor):
    """What the eight ``torch.Cuda*Tensor`` classes share (never instantiated itself)."""

    __slots__ = ()
    _is_cuda = True
    _xp = None  # set to cupy by backend._install once a device is found
    _host_cls: type = Tensor

    def __init__(self, *args) -> None:
        xp = require_cuda_tensors(self._typename)
        self._s = None
        a0 = args[0] if args else None
        if not args:
            self._a = xp.empty(0, self._dtype)
        elif isinstance(a0, Tensor):
            if not a0._is_cuda:
                raise TypeError(f"{self._typename}: cannot view the host tensor {a0._typename} (use :cuda())")
            Tensor.__init__(self, *args)  # shares a0's memory (same type required there)
        elif isinstance(a0, Storage) and a0._is_cuda:
            self._set_storage(a0, *args[1:])
        elif isinstance(a0, (int, np.integer)) and not isinstance(a0, (bool, np.bool_)):
            self._a = _device_zeros(xp, parse_sizes(args, self._typename), self._dtype)
        else:  # sizes with strides, lists, host arrays: built on the host, then uploaded
            host = self._host_cls(*args)
            self._a = xp.asarray(host._a) if host._a.size else xp.empty(0, self._dtype)

    @classmethod
    def _new(cls, arr) -> Tensor:
        t = object.__new__(cls)
        t._a = _device_array(cls, arr)
        t._s = None
        return t

    @classmethod
    def _view(cls, storage, arr) -> Tensor:
        t = object.__new__(cls)
        t._a = _device_array(cls, arr)
        t._s = storage
        return t

    numpy = _no_numpy

    def __array__(self, dtype=None, copy=None):
        _no_numpy(self)

    def __reduce__(self):
        host = to_host(self._a)
        return (_rebuild_cuda, (self._typename, host.copy() if host.size else None, tuple(self.size())))

    def getDevice(self) -> int:
        """cutorch's ``x:getDevice()``: the 0-based device the memory is on."""
        return int(self._a.device.id) if hasattr(self._a, "device") else 0


class CudaStorageBase(Storage):
    """What the eight ``torch.Cuda*Storage`` classes share."""

    __slots__ = ()
    _is_cuda = True
    _xp = None
    _host_cls: type = Storage

    def __init__(self, *args) -> None:
        xp = require_cuda_tensors(self._typename)
        a0 = args[0] if args else None
        if isinstance(a0, Storage) and a0._is_cuda:
            Storage.__init__(self, *args)  # a view of a0 (offset, size)
        elif isinstance(a0, (int, np.integer)) and not isinstance(a0, (bool, np.bool_)):
            if a0 < 0:
                raise ValueError(f"{self._typename}: size must be non-negative, got {a0}")
            self._a = xp.zeros(int(a0), self._dtype)
        else:
            host = self._host_cls(*args)
            self._a = xp.asarray(host._a)

    @classmethod
    def _from_array(cls, a) -> Storage:
        s = object.__new__(cls)
        s._a = _device_array(cls, a)
        return s

    numpy = _no_numpy

    def string(self, s=None):
        host = self._host_cls._from_array(to_host(self._a))
        if s is None:
            return host.string()
        self._a = _device_array(type(self), host.string(s)._a)
        return self


def _device_zeros(xp, sizes: tuple, dt):
    if any(s < 0 for s in sizes):
        raise ValueError(f"invalid size {'x'.join(map(str, sizes))}: sizes must be non-negative")
    return xp.zeros(sizes, dt) if sizes and 0 not in sizes else xp.empty(0, dt)


def _rebuild_cuda(typename, arr, sizes):
    cls = T.tensor_class(typename)
    return cls() if arr is None else cls._new(arr.reshape(sizes))


def _make_cuda_classes() -> None:
    for host_short, dt, is_float in T.TYPE_TABLE:
        short = CUDA_OF_HOST[host_short]
        sname, tname = f"torch.{short}Storage", f"torch.{short}Tensor"
        scls = type(f"{short}Storage", (CudaStorageBase,), {
            "__slots__": (), "_dtype": dt, "_typename": sname, "_host_typename": f"torch.{host_short}Storage",
            "_host_cls": T.STORAGE_CLASSES[f"torch.{host_short}Storage"]})
        tcls = type(f"{short}Tensor", (CudaTensorBase,), {
            "__slots__": (), "_dtype": dt, "_typename": tname, "_is_float": is_float, "_storage_cls": scls,
            "_host_typename": f"torch.{host_short}Tensor", "_host_cls": T.TENSOR_CLASSES[f"torch.{host_short}Tensor"]})
        for c in (scls, tcls):
            c.__module__ = "torch7"
        T.CUDA_STORAGE_CLASSES[sname] = scls
        T.CUDA_TENSOR_CLASSES[tname] = tcls
    # Index and mask results live with their input (hot paths read these class attributes).
    for cls in (*T.TENSOR_CLASSES.values(), *T.CUDA_TENSOR_CLASSES.values()):
        cls._byte_cls = T.sibling(cls, "Byte")
        cls._long_cls = T.sibling(cls, "Long")


_make_cuda_classes()
