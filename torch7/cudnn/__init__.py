"""torch7.cudnn: cuDNN-backed layers through NVIDIA's cuDNN frontend (extra ``cudnn``).

CuPy 14 has no cuDNN bindings; NVIDIA's ``nvidia-cudnn-frontend`` package (imported as ``cudnn``) builds
cuDNN graphs and runs them on CuPy device pointers. Without that package, or without CUDA, importing this
module raises an ``ImportError`` that names what to install; the ``nn`` modules keep working.

What runs as cuDNN graphs on CUDA tensors (each built once per shape and cached; ``_graphs``):
SpatialConvolution (with groups), VolumetricConvolution, SpatialFullConvolution and
VolumetricFullConvolution (forward, input and weight gradients), and ReLU, Tanh, Sigmoid, ClippedReLU
(activation and gradient). The frontend (1.32) has no pooling, softmax or LRN operation, so
SpatialMaxPooling, SpatialAveragePooling, the Volumetric poolings, SoftMax/LogSoftMax (cudnn's
per-sample normalisation), the Spatial/Volumetric softmaxes, the batch normalizations,
SpatialCrossMapLRN, TemporalConvolution and the two cross-entropy criterions take cudnn.torch's
arguments and semantics but run nn's kernels (on CUDA through CuPy). A graph cuDNN has no engine for
also falls back to the nn kernel. On host tensors every class runs nn's kernel.

``convert(net, cudnn|nn[, exclusion_fn])`` swaps cudnn.torch's list of layers between nn and cudnn
without copying tensors. The switches ``benchmark`` and ``fastest`` (and a layer's ``:fastest()``) make
cuDNN choose engines with its thorough heuristic; ``allow_tf32`` (default True, as in PyTorch) lets float32
convolutions use TF32 tensor cores; ``verbose`` reports fallbacks. cudnn.torch's RNN classes are not
provided (``cudnn.LSTM`` raises ``NotImplementedError`` naming nn.LSTM). ``.t7`` files that contain
``cudnn.*`` modules load without this package, as their ``nn`` equivalents.
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
from .BatchNormalization import BatchNormalization  # noqa: E402
from .ClippedReLU import ClippedReLU  # noqa: E402
from .convert import convert  # noqa: E402
from .LogSoftMax import LogSoftMax  # noqa: E402
from .ReLU import ReLU  # noqa: E402
from .Sigmoid import Sigmoid  # noqa: E402
from .SoftMax import SoftMax  # noqa: E402
from .SpatialAveragePooling import SpatialAveragePooling  # noqa: E402
from .SpatialBatchNormalization import SpatialBatchNormalization  # noqa: E402
from .SpatialConvolution import SpatialConvolution  # noqa: E402
from .SpatialCrossEntropyCriterion import SpatialCrossEntropyCriterion  # noqa: E402
from .SpatialCrossMapLRN import SpatialCrossMapLRN  # noqa: E402
from .SpatialFullConvolution import SpatialFullConvolution  # noqa: E402
from .SpatialLogSoftMax import SpatialLogSoftMax  # noqa: E402
from .SpatialMaxPooling import SpatialMaxPooling  # noqa: E402
from .SpatialSoftMax import SpatialSoftMax  # noqa: E402
from .Tanh import Tanh  # noqa: E402
from .TemporalConvolution import TemporalConvolution  # noqa: E402
from .VolumetricAveragePooling import VolumetricAveragePooling  # noqa: E402
from .VolumetricBatchNormalization import VolumetricBatchNormalization  # noqa: E402
from .VolumetricConvolution import VolumetricConvolution  # noqa: E402
from .VolumetricCrossEntropyCriterion import VolumetricCrossEntropyCriterion  # noqa: E402
from .VolumetricFullConvolution import VolumetricFullConvolution  # noqa: E402
from .VolumetricLogSoftMax import VolumetricLogSoftMax  # noqa: E402
from .VolumetricMaxPooling import VolumetricMaxPooling  # noqa: E402
from .VolumetricSoftMax import VolumetricSoftMax  # noqa: E402

benchmark = False  # True: cuDNN's thorough engine heuristic (cudnn.torch: time the algorithms)
fastest = False    # True: the same thorough heuristic (cudnn.torch: fastest algorithm, any workspace)
verbose = False    # True: say when cuDNN has no engine for a graph and the nn kernel runs instead
allow_tf32 = True  # float32 convolutions may use TF32 tensor cores (PyTorch's default); False: full float32

_graphs.bind(_frontend, sys.modules[__name__])

# cudnn.torch names that are not provided, and why.
_MISSING = dict.fromkeys(("RNN", "RNNReLU", "RNNTanh", "LSTM", "GRU", "BLSTM", "BGRU"),
                         "cuDNN's packed-weight RNNs are not provided; use nn.LSTM / nn.GRU / nn.RNN "
                         "(torch-rnn's fused layers, which run on CUDA tensors too)")
_MISSING["SpatialDivisiveNormalization"] = ("cudnn.torch's class never ran (it calls a cuDNN function that does "
                                            "not exist); use nn.SpatialDivisiveNormalization")


def __getattr__(name: str):
    why = _MISSING.get(name)
    if why is not None:
        raise NotImplementedError(f"cudnn.{name}: {why}")
    raise AttributeError(f"module 'torch7.cudnn' has no attribute {name!r}")


def version() -> int:
    """The cuDNN backend's version number (e.g. 91900)."""
    return int(_frontend.backend_version())


__all__ = [
    "BatchNormalization",
    "ClippedReLU",
    "LogSoftMax",
    "ReLU",
    "Sigmoid",
    "SoftMax",
    "SpatialAveragePooling",
    "SpatialBatchNormalization",
    "SpatialConvolution",
    "SpatialCrossEntropyCriterion",
    "SpatialCrossMapLRN",
    "SpatialFullConvolution",
    "SpatialLogSoftMax",
    "SpatialMaxPooling",
    "SpatialSoftMax",
    "Tanh",
    "TemporalConvolution",
    "VolumetricAveragePooling",
    "VolumetricBatchNormalization",
    "VolumetricConvolution",
    "VolumetricCrossEntropyCriterion",
    "VolumetricFullConvolution",
    "VolumetricLogSoftMax",
    "VolumetricMaxPooling",
    "VolumetricSoftMax",
    "allow_tf32",
    "benchmark",
    "convert",
    "fastest",
    "verbose",
    "version",
]
