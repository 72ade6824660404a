"""The table of Torch7 element types: names, NumPy dtypes and the default type."""

from __future__ import annotations

import numpy as np

# (short name, numpy dtype, is floating point) in Torch7's order.
TYPE_TABLE: list[tuple[str, np.dtype, bool]] = [
    ("Byte", np.dtype(np.uint8), False),
    ("Char", np.dtype(np.int8), False),
    ("Short", np.dtype(np.int16), False),
    ("Int", np.dtype(np.int32), False),
    ("Long", np.dtype(np.int64), False),
    ("Float", np.dtype(np.float32), True),
    ("Double", np.dtype(np.float64), True),
    ("Half", np.dtype(np.float16), True),
]

SHORT_OF_DTYPE: dict[np.dtype, str] = {dt: short for short, dt, _ in TYPE_TABLE}
DTYPE_OF_SHORT: dict[str, np.dtype] = {short: dt for short, dt, _ in TYPE_TABLE}

# Filled by tensor.py / storage.py once the classes exist: typename -> class.
TENSOR_CLASSES: dict[str, type] = {}
STORAGE_CLASSES: dict[str, type] = {}
TENSOR_CLASS_OF_DTYPE: dict[np.dtype, type] = {}
STORAGE_CLASS_OF_DTYPE: dict[np.dtype, type] = {}
# cutorch's types (torch.CudaTensor, ...), filled by cuda_types.py; kept apart so that code
# iterating over the CPU types (and the .t7 reader's host mapping) is unaffected.
CUDA_TENSOR_CLASSES: dict[str, type] = {}
CUDA_STORAGE_CLASSES: dict[str, type] = {}


class _Default:
    """Holds the current default tensor type (Torch7 starts with DoubleTensor)."""

    tensor: type | None = None
    storage: type | None = None


DEFAULT = _Default()


def default_tensor_class() -> type:
    return DEFAULT.tensor


def tensor_class(typename_or_dtype) -> type:
    """The tensor class for a typename ('torch.FloatTensor') or a NumPy dtype."""
    if isinstance(typename_or_dtype, str):
        try:
            return TENSOR_CLASSES[typename_or_dtype]
        except KeyError:
            cls = CUDA_TENSOR_CLASSES.get(typename_or_dtype)
            if cls is not None:
                return cls
            raise TypeError(f"unknown tensor type '{typename_or_dtype}'") from None
    dt = np.dtype(typename_or_dtype)
    try:
        return TENSOR_CLASS_OF_DTYPE[dt]
    except KeyError:
        raise TypeError(f"no Torch7 tensor type holds NumPy dtype {dt}") from None


def sibling(cls: type, short: str) -> type:
    """The class of element type ``short`` ('Long', 'Byte', ...) on the same device as ``cls``.

    Index and mask results follow their input: a CudaTensor's ``max`` indices are a CudaLongTensor.
    """
    if getattr(cls, "_is_cuda", False):
        return CUDA_TENSOR_CLASSES[CUDA_NAME_OF_SHORT[short]]
    return TENSOR_CLASSES[f"torch.{short}Tensor"]


# cutorch's name of each element type's GPU tensor (torch7-core.md §5.1).
CUDA_PREFIX = {"Float": "Cuda", "Double": "CudaDouble", "Half": "CudaHalf", "Byte": "CudaByte",
               "Char": "CudaChar", "Short": "CudaShort", "Int": "CudaInt", "Long": "CudaLong"}
CUDA_NAME_OF_SHORT = {short: f"torch.{pre}Tensor" for short, pre in CUDA_PREFIX.items()}
