"""cudnn.LogSoftMax: cudnn.torch's LogSoftMax (cuDNN's INSTANCE mode) on nn.LogSoftMax's kernel."""

from __future__ import annotations

from torch7 import nn
from torch7.nn.functional.activation import log_softmax, log_softmax_backward

from .SoftMax import InstanceSoftMax


class LogSoftMax(InstanceSoftMax, nn.LogSoftMax):
    """LogSoftMax as cudnn.torch computes it: over all of C x H x W for each sample of a 3-D or 4-D input.

    cudnn.torch's ``LogSoftMax`` runs cuDNN's LOG softmax in ``INSTANCE`` mode, which normalises
    each sample's C x H x W values together; ``nn.LogSoftMax`` normalises over C at each pixel. On
    1-D and 2-D inputs the two agree. ``cudnn.convert`` swaps this class and ``nn.LogSoftMax`` (no
    copy), which changes that rule on 3-D and 4-D inputs exactly as it did in Lua; for the per-pixel
    rule use ``cudnn.SpatialLogSoftMax``. The cuDNN frontend this package drives has no softmax
    operation, so nn's kernel runs (on host and CUDA tensors).

    Args:
        fastMode: accepted as cudnn.torch does and kept as the field ``fastMode``; cudnn.torch's
            LOG algorithm ignored it, and so does this class (default False).

    Shape:
        1-D ``(C)``, 2-D ``(N, C)``, 3-D ``(C, H, W)`` or 4-D ``(N, C, H, W)``; output of the same shape.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        y = cudnn.LogSoftMax().forward(torch.randn(2, 3, 4, 4).cuda())
        y.exp().view(2, -1).sum(1)   # ones: each sample's 48 probabilities sum to 1
    """

    _typename = "cudnn.LogSoftMax"
    _nn_twin = nn.LogSoftMax
    _convertible = True
    _cudnn_defaults = {"fastMode": False}  # set on an nn module converted here, dropped on the way back

    _kernels = (log_softmax, log_softmax_backward)
