"""torch7.cudnn: cuDNN-backed layers through NVIDIA's cuDNN frontend (extra ``cudnn``).

CuPy 14 has no cuDNN bindings; NVIDIA's ``nvidia-cudnn-frontend`` package (imported as ``cudnn``) builds
cuDNN graphs and runs them on CuPy device pointers. Without that package, or without CUDA, importing this
module raises an ``ImportError`` that names what to install; the ``nn`` modules keep working.

What is here: ``SpatialConvolution`` (with groups) and ``VolumetricConvolution``, whose CUDA forward,
input gradient and weight gradient are cuDNN convolution graphs (built once per shape and cached), and
``convert(net, cudnn|nn[, exclusion_fn])``, which swaps a network's nn convolutions for these and back
without copying tensors. The switches ``benchmark`` and ``fastest`` (and a layer's ``:fastest()``) make
cuDNN choose engines with its thorough heuristic; ``allow_tf32`` (default True, as in PyTorch) lets float32
convolutions use TF32 tensor cores; ``verbose`` is kept for scripts that set it.
cudnn.torch's other classes (pooling, activations, softmax, batch normalization, LRN, RNNs) are not
provided: ``convert`` leaves those layers as nn modules, which run on CUDA through nn's kernels.
``.t7`` files that contain ``cudnn.*`` modules load without this package, as their ``nn`` equivalents.
"""

from __future__ import annotations

import sys

from torch7._core.backend import CudaUnavailableError, cupy

_HINT = ("pip install 'torch7[cudnn]' (nvidia-cudnn-frontend and cupy-cuda13x) on a machine with an NVIDIA GPU; "
         "the nn modules run without it")

try:
    import cudnn as _frontend  # NVIDIA's cuDNN frontend
except ImportError as e:
    raise ImportError(f"torch7.cudnn needs NVIDIA's cuDNN frontend, which is not installed ({e}): {_HINT}") from None

try:
    cupy("torch7.cudnn")
except CudaUnavailableError as e:
    raise ImportError(f"torch7.cudnn: {e}") from None

from . import _graphs  # noqa: E402
from .convert import convert  # noqa: E402
from .SpatialConvolution import SpatialConvolution  # noqa: E402
from .VolumetricConvolution import VolumetricConvolution  # noqa: E402

benchmark = False  # True: cuDNN's thorough engine heuristic (cudnn.torch: time the algorithms)
fastest = False    # True: the same thorough heuristic (cudnn.torch: fastest algorithm, any workspace)
verbose = False
allow_tf32 = True  # float32 convolutions may use TF32 tensor cores (PyTorch's default); False: full float32

_graphs.bind(_frontend, sys.modules[__name__])


def version() -> int:
    """The cuDNN backend's version number (e.g. 91900)."""
    return int(_frontend.backend_version())


__all__ = ["SpatialConvolution", "VolumetricConvolution", "allow_tf32", "benchmark", "convert", "fastest", "verbose",
           "version"]
