"""Type utilities of the torch.* namespace: default type, typename, isTensor, from_numpy."""

from __future__ import annotations

import numpy as np

from . import types as T
from .backend import require_cuda_tensors
from .storage import Storage
from .tensor import Tensor


def setdefaulttensortype(typename: str) -> None:
    """Make ``torch.Tensor``/``torch.Storage`` build ``typename`` (e.g. 'torch.FloatTensor')."""
    cls = T.tensor_class(typename)
    if typename in T.CUDA_TENSOR_CLASSES:
        require_cuda_tensors(typename)
    if not cls._is_float:
        raise TypeError(f"setdefaulttensortype: only floating types can be the default, not {typename}")
    T.DEFAULT.tensor = cls
    T.DEFAULT.storage = cls._storage_cls


def getdefaulttensortype() -> str:
    return T.DEFAULT.tensor._typename


def typename(obj) -> str | None:
    """The Torch typename of ``obj`` ('torch.FloatTensor', 'nn.Linear', ...), else None."""
    return getattr(type(obj), "_typename", None) if not isinstance(obj, type) else None


def type_(obj) -> str:
    """Torch7's torch.type: the typename, else the Lua-style type name of a Python value."""
    tn = typename(obj)
    if tn is not None:
        return tn
    if obj is None:
        return "nil"
    if isinstance(obj, bool):
        return "boolean"
    if isinstance(obj, (int, float, np.number)):
        return "number"
    if isinstance(obj, (str, bytes)):
        return "string"
    if isinstance(obj, (list, dict, tuple)):
        return "table"
    if callable(obj):
        return "function"
    return type(obj).__name__


def isTensor(obj) -> bool:
    return isinstance(obj, Tensor)


def isStorage(obj) -> bool:
    return isinstance(obj, Storage)


def isTypeOf(obj, spec) -> bool:
    """True if ``obj`` is an instance of ``spec`` (a class or a typename), walking parents."""
    if isinstance(spec, type):
        return isinstance(obj, spec)
    for klass in type(obj).__mro__:
        if getattr(klass, "_typename", None) == spec and "_typename" in vars(klass):
            return True
    return False


def from_numpy(a: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``a`` (bool arrays are viewed as ByteTensor).

    Example:
        >>> import numpy as np, torch7 as torch
        >>> a = np.zeros(3); t = torch.from_numpy(a); t[1] = 5; a[1]
        np.float64(5.0)
    """
    if not isinstance(a, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(a).__name__}")
    if a.dtype == np.bool_:
        a = a.view(np.uint8)
    if a.dtype.byteorder not in "=|":
        raise TypeError(f"from_numpy: non-native byte order {a.dtype} (use a.astype(a.dtype.newbyteorder('='))")
    cls = T.TENSOR_CLASS_OF_DTYPE.get(a.dtype)
    if cls is None:
        raise TypeError(f"from_numpy: no Torch7 tensor type for dtype {a.dtype} "
                        "(supported: uint8, int8, int16, int32, int64, float16, float32, float64)")
    if a.ndim == 0:
        a = a.reshape(1)
    if a.size == 0:
        return cls._new(a.reshape(0))
    if a.flags.c_contiguous:
        return cls._new(a)
    isz = a.itemsize
    if any(s < 0 or s % isz for s in a.strides):
        raise ValueError("from_numpy: arrays with negative or unaligned strides cannot be shared; "
                         "pass a.copy()")
    span = 1 + sum((n - 1) * s // isz for n, s in zip(a.shape, a.strides))
    base = np.lib.stride_tricks.as_strided(a, (span,), (isz,))
    return cls._view(cls._storage_cls._from_array(base), a)


def tensor_class(typename: str) -> type:
    return T.tensor_class(typename)


FUNCTIONS = {
    "setdefaulttensortype": setdefaulttensortype, "getdefaulttensortype": getdefaulttensortype,
    "typename": typename, "type": type_, "isTensor": isTensor, "isStorage": isStorage,
    "isTypeOf": isTypeOf, "from_numpy": from_numpy, "tensor_class": tensor_class,
}
