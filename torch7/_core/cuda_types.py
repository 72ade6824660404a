"""The ``torch.Cuda*Tensor`` and ``torch.Cuda*Storage`` classes (cutorch's eight types).

They exist at ``import torch7`` (so ``torch.CudaTensor`` can be named, type-checked and used as a
typename), but making one needs CUDA: every constructor and conversion goes through
``backend.require_cuda_tensors``, which raises :class:`CudaUnavailableError` when CuPy or a device
is missing, and ``NotImplementedError`` while GPU tensors are not built (issue 9).  Nothing falls
back to the host silently.

Example:
    >>> import torch7 as torch
    >>> torch.CudaTensor.__mro__[1].__name__, torch.CudaTensor._host_typename
    ('Tensor', 'torch.FloatTensor')
"""

from __future__ import annotations

from . import types as T
from .backend import require_cuda_tensors
from .storage import Storage
from .tensor import Tensor

# cutorch's prefix -> the CPU type holding the same elements (torch7-core.md §5.1).
CUDA_OF_HOST = {"Float": "Cuda", "Double": "CudaDouble", "Half": "CudaHalf", "Byte": "CudaByte",
                "Char": "CudaChar", "Short": "CudaShort", "Int": "CudaInt", "Long": "CudaLong"}


def _refuse(self_or_cls, *args, **kwargs):
    cls = self_or_cls if isinstance(self_or_cls, type) else type(self_or_cls)
    require_cuda_tensors(cls._typename)


def _make_cuda_classes() -> None:
    for host_short, dt, is_float in T.TYPE_TABLE:
        short = CUDA_OF_HOST[host_short]
        sname, tname = f"torch.{short}Storage", f"torch.{short}Tensor"
        refuse = {"__init__": _refuse, "_new": classmethod(_refuse), "_view": classmethod(_refuse),
                  "_from_array": classmethod(_refuse)}
        scls = type(f"{short}Storage", (Storage,), {
            "__slots__": (), "_dtype": dt, "_typename": sname, "_host_typename": f"torch.{host_short}Storage",
            **refuse})
        tcls = type(f"{short}Tensor", (Tensor,), {
            "__slots__": (), "_dtype": dt, "_typename": tname, "_is_float": is_float, "_storage_cls": scls,
            "_host_typename": f"torch.{host_short}Tensor", **refuse})
        for c in (scls, tcls):
            c.__module__ = "torch7"
        T.CUDA_STORAGE_CLASSES[sname] = scls
        T.CUDA_TENSOR_CLASSES[tname] = tcls


_make_cuda_classes()
