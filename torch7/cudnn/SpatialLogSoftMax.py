"""cudnn.SpatialLogSoftMax: cudnn.torch's per-pixel LogSoftMax, run by nn.SpatialLogSoftMax's kernel."""

from __future__ import annotations

from torch7 import nn


class SpatialLogSoftMax(nn.SpatialLogSoftMax):
    """LogSoftMax over the feature planes at each pixel, under cudnn.torch's name: ``nn.SpatialLogSoftMax``'s results.

    cudnn.torch runs cuDNN's LOG softmax in ``CHANNEL`` mode: over C at each position of a 3-D
    ``(C, H, W)`` or 4-D ``(N, C, H, W)`` input (over the only dim of a 1-D input, over dim 1 of a
    2-D one), which is ``nn.SpatialLogSoftMax``'s rule. The cuDNN frontend this package drives has
    no softmax operation, so nn's kernel runs (on host and CUDA tensors). cudnn.torch's ``convert``
    leaves this class alone.

    Args:
        fastMode: accepted as cudnn.torch does and kept as the field ``fastMode``; cudnn.torch's
            LOG algorithm ignored it, and so does this class (default False).

    Shape:
        1-D to 4-D; the output has the shape of the input.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        y = cudnn.SpatialLogSoftMax().forward(torch.randn(2, 3, 4, 4).cuda())
        y.exp().sum(1)   # ones: at every pixel the 3 probabilities sum to 1
    """

    _typename = "cudnn.SpatialLogSoftMax"
    _nn_twin = nn.SpatialLogSoftMax
    _cudnn_defaults = {"fastMode": False}

    def __init__(self, fastMode: bool = False) -> None:
        super().__init__()
        self.fastMode = bool(fastMode)
