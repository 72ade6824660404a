"""torch7.cutorch: Torch7's CUDA package, on CuPy (extra ``cuda``).

Device, memory, stream and seed functions keep cutorch's names with 0-based device ids. The tensor
types (``torch.CudaTensor``, ``torch.CudaDoubleTensor``, ...) exist at ``import torch7``; making one
needs CUDA (CuPy and a device), else ``CudaUnavailableError`` says what is missing. Their memory is
CuPy arrays; ``x.cuda()``, ``net.cuda()`` and ``torch.load(f, map_location='cuda')`` move data there.

Example:
    >>> from torch7 import cutorch
    >>> cutorch.getDeviceCount() > 0 or not cutorch.isAvailable()
    True
"""

from __future__ import annotations

from torch7._core.backend import CudaUnavailableError
from torch7._core.size import parse_sizes
from torch7._core.tensor import Tensor

from .CudaGraph import CaptureError, CudaGraph
from .device import (
    getDevice,
    getDeviceCount,
    getDeviceProperties,
    getDriverVersion,
    getMemoryUsage,
    getPeerToPeerAccess,
    getRuntimeVersion,
    isAvailable,
    setDevice,
    synchronize,
    synchronizeAll,
    withDevice,
)
from .rng import initialSeed, manualSeed, manualSeedAll, seed, seedAll
from .streams import (
    getNumStreams,
    getStream,
    reserveStreams,
    setDefaultStream,
    setStream,
    streamBarrier,
    streamSynchronize,
    streamWaitFor,
)

hasHalf = True  # CuPy computes in float16 on every device it supports


def createCudaHostTensor(*sizes) -> Tensor:
    """A FloatTensor in page-locked (pinned) host memory, for fast asynchronous copies to the GPU."""
    from torch7._core import types as T
    from torch7._core.backend import cupy

    cupy("cutorch.createCudaHostTensor")  # pinned memory is a CUDA driver allocation
    import cupyx

    shape = parse_sizes(sizes, "cutorch.createCudaHostTensor")
    arr = cupyx.empty_pinned(shape or (0,), dtype="float32")
    arr.fill(0)
    return T.TENSOR_CLASSES["torch.FloatTensor"]._new(arr)


__all__ = [
    "CaptureError", "CudaGraph", "CudaUnavailableError", "createCudaHostTensor", "getDevice", "getDeviceCount",
    "getDeviceProperties", "getDriverVersion", "getMemoryUsage", "getNumStreams", "getPeerToPeerAccess",
    "getRuntimeVersion", "getStream", "hasHalf", "initialSeed", "isAvailable", "manualSeed", "manualSeedAll",
    "reserveStreams", "seed", "seedAll", "setDefaultStream", "setDevice", "setStream", "streamBarrier",
    "streamSynchronize", "streamWaitFor", "synchronize", "synchronizeAll", "withDevice",
]
