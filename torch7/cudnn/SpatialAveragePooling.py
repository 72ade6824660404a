"""cudnn.SpatialAveragePooling: cudnn.torch's 2-D average pooling, run by nn.SpatialAveragePooling's kernel."""

from __future__ import annotations

from torch7 import nn


class SpatialAveragePooling(nn.SpatialAveragePooling):
    """2-D average pooling under cudnn.torch's name: ``nn.SpatialAveragePooling``'s fields and kernel.

    The cuDNN frontend this package drives has no pooling operation, so this layer runs nn's
    kernel, on host tensors and on CUDA tensors alike. ``cudnn.convert`` swaps it with
    ``nn.SpatialAveragePooling`` (no copy).

    Two things differ from ``nn.SpatialAveragePooling``'s constructor, as in cudnn.torch: the
    stride defaults to the window size (nn's to 1), and the mean always divides by the whole
    window, padding included (cuDNN's ``AVERAGE_COUNT_INCLUDE_PADDING``): the fields are set to
    ``count_include_pad = True`` and ``divide = True``. A module converted from nn keeps its own
    ``count_include_pad`` (cudnn.torch's class ignored that field).

    Args:
        kW, kH: window size.
        dW, dH: stride (default: the window size).
        padW, padH: zero padding on each side (default 0), at most half the window.

    Shape:
        input ``(C, H, W)`` or ``(N, C, H, W)``; output ``[N x] C x OH x OW`` with
        ``OH = floor((H + 2*padH - kH) / dH) + 1`` (``ceil`` after ``:ceil()``).

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        pool = cudnn.SpatialAveragePooling(2, 2)         # stride 2, as cudnn.torch
        y = pool.forward(torch.randn(8, 16, 32, 32).cuda())   # 8 x 16 x 16 x 16
    """

    _typename = "cudnn.SpatialAveragePooling"
    _nn_twin = nn.SpatialAveragePooling
    _convertible = True

    def __init__(self, kW: int, kH: int, dW: int | None = None, dH: int | None = None, padW: int = 0,
                 padH: int = 0) -> None:
        super().__init__(kW, kH, kW if dW is None else dW, kH if dH is None else dH, padW, padH)
        self.count_include_pad = True
        self.divide = True
