"""cudnn.SpatialSoftMax: cudnn.torch's per-pixel SoftMax (cuDNN's CHANNEL mode), run by nn.SpatialSoftMax's kernel."""

from __future__ import annotations

from torch7 import nn


class SpatialSoftMax(nn.SpatialSoftMax):
    """SoftMax over the feature planes at each pixel, under cudnn.torch's name: ``nn.SpatialSoftMax``'s results.

    cudnn.torch runs cuDNN's softmax in ``CHANNEL`` mode: over C at each position of a 3-D
    ``(C, H, W)`` or 4-D ``(N, C, H, W)`` input, over the only dim of a 1-D input and over dim 1 of
    a 2-D one, which is ``nn.SpatialSoftMax``'s rule. The cuDNN frontend this package drives has no
    softmax operation, so nn's kernel runs (on host and CUDA tensors), always subtracting the
    maximum first. cudnn.torch's ``convert`` leaves this class alone.

    Args:
        fastMode: cudnn.torch's choice of cuDNN's FAST algorithm (no max subtraction); kept as the
            field ``fastMode``, with no effect here (default False).

    Shape:
        1-D to 4-D; the output has the shape of the input.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        y = cudnn.SpatialSoftMax().forward(torch.randn(2, 3, 4, 4).cuda())
        y.sum(1)   # ones: at every pixel the 3 planes sum to 1
    """

    _typename = "cudnn.SpatialSoftMax"
    _nn_twin = nn.SpatialSoftMax
    _cudnn_defaults = {"fastMode": False}

    def __init__(self, fastMode: bool = False) -> None:
        super().__init__()
        self.fastMode = bool(fastMode)
