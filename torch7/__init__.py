"""torch7: Lua Torch7 re-created in Python.

Use it as ``import torch7 as torch`` and ``from torch7 import nn, optim``.  Indices, dims and
class labels are 0-based; everything else (names, default DoubleTensor, in-place methods,
print formats) is Torch7's.  See docs/porting.md.
"""

from __future__ import annotations

import importlib as _importlib

from . import _core
from ._core import types as _types
from ._core.size import Size
from ._core.storage import Storage
from ._core.tensor import Tensor

__version__ = "0.1.0"

for _name, _cls in _types.TENSOR_CLASSES.items():
    globals()[_name[len("torch."):]] = _cls
for _name, _cls in _types.STORAGE_CLASSES.items():
    globals()[_name[len("torch."):]] = _cls
for _name, _cls in (*_types.CUDA_TENSOR_CLASSES.items(), *_types.CUDA_STORAGE_CLASSES.items()):
    globals()[_name[len("torch."):]] = _cls
globals().update(_core.FUNCTIONS)
from ._core.backend import CudaUnavailableError  # noqa: E402

LongStorage = globals()["LongStorage"]

# Sub-packages load on first use so that `import torch7` stays fast (numpy only).
_SUBPACKAGES = ("nn", "nngraph", "optim", "image", "gnuplot", "tnt", "cutorch", "cudnn", "xlua",
                "autograd", "distributed", "serialization", "apps", "cli")


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        try:
            mod = _importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as e:
            if e.name == f"{__name__}.{name}":
                raise AttributeError(f"torch7.{name} is not available in this version") from None
            raise
        globals()[name] = mod
        return mod
    raise AttributeError(f"module 'torch7' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | set(_SUBPACKAGES))
