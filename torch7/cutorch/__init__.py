"""torch7.cutorch: Torch7's CUDA package, on CuPy (extra ``cuda``).

Device, memory, stream and seed functions keep cutorch's names with 0-based device ids. The tensor
types (``torch.CudaTensor``, ``torch.CudaDoubleTensor``, ...) exist at ``import torch7``; making one
needs CUDA and, in this version, raises ``NotImplementedError`` even with a GPU (GPU tensors and
cunn kernels are issue 9's unfinished part; nothing silently runs on the host instead).

Example:
    >>> from torch7 import cutorch
    >>> cutorch.getDeviceCount() > 0 or not cutorch.isAvailable()
    True
"""

from __future__ import annotations

from torch7._core.backend import CudaUnavailableError, require_cuda_tensors
from torch7._core.size import parse_sizes
from torch7._core.tensor import Tensor

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


class CudaGraph:
    """CUDA-graph capture of a training step (one launch instead of hundreds of small kernels).

    Not implemented in this version: it needs the GPU tensors of issue 9.
    """

    def __init__(self, *args, **kwargs) -> None:
        require_cuda_tensors("cutorch.CudaGraph")


__all__ = [
    "CudaGraph", "CudaUnavailableError", "createCudaHostTensor", "getDevice", "getDeviceCount",
    "getDeviceProperties", "getDriverVersion", "getMemoryUsage", "getNumStreams", "getPeerToPeerAccess",
    "getRuntimeVersion", "getStream", "hasHalf", "initialSeed", "isAvailable", "manualSeed", "manualSeedAll",
    "reserveStreams", "seed", "seedAll", "setDefaultStream", "setDevice", "setStream", "streamBarrier",
    "streamSynchronize", "streamWaitFor", "synchronize", "synchronizeAll", "withDevice",
]
