"""cudnn.VolumetricLogSoftMax: cudnn.torch's per-voxel LogSoftMax over feature planes, on nn's kernel."""

from __future__ import annotations

from torch7.nn.functional.activation import log_softmax, log_softmax_backward

from .VolumetricSoftMax import VolumetricSoftMax


class VolumetricLogSoftMax(VolumetricSoftMax):
    """LogSoftMax over the feature planes at each voxel of a 4-D ``(C, T, H, W)`` or 5-D ``(N, C, T, H, W)`` input.

    A ``cudnn.VolumetricSoftMax`` with cuDNN's LOG algorithm, as in cudnn.torch (which folds T and
    H together and runs a per-pixel LogSoftMax). nn has no such class; the cuDNN frontend this
    package drives has no softmax operation, so nn's log-softmax kernel runs (on host and CUDA
    tensors). The gradient is ``gradOutput - exp(output) * sum_c gradOutput``.

    Args:
        fastMode: accepted as cudnn.torch does and kept as the field ``fastMode``; cudnn.torch's
            LOG algorithm ignored it, and so does this class (default False).

    Shape:
        ``(C, T, H, W)`` or ``(N, C, T, H, W)``; the output has the shape of the input.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        y = cudnn.VolumetricLogSoftMax().forward(torch.randn(2, 3, 4, 5, 5).cuda())
        y.exp().sum(1)   # ones: at every voxel the 3 probabilities sum to 1
    """

    _typename = "cudnn.VolumetricLogSoftMax"
    _kernels = (log_softmax, log_softmax_backward)
