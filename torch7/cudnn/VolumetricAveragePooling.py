"""cudnn.VolumetricAveragePooling: cudnn.torch's 3-D average pooling, run by nn.VolumetricAveragePooling's kernel."""

from __future__ import annotations

from torch7 import nn


class VolumetricAveragePooling(nn.VolumetricAveragePooling):
    """3-D average pooling under cudnn.torch's name: ``nn.VolumetricAveragePooling``'s fields and kernel.

    The cuDNN frontend this package drives has no pooling operation, so this layer runs nn's
    kernel, on host tensors and on CUDA tensors alike. ``cudnn.convert`` swaps it with
    ``nn.VolumetricAveragePooling`` (no copy). The constructor is cudnn.torch's, which is nn's
    (strides default to the window); the mean divides by the whole window, padding included, as
    cuDNN's ``AVERAGE_COUNT_INCLUDE_PADDING`` does (``count_include_pad = True``, nn's default; a
    module converted from nn keeps its own setting).

    Args:
        kT, kW, kH: window size.
        dT, dW, dH: strides (default: the window size).
        padT, padW, padH: zero padding on each side (default 0).

    Shape:
        input ``(C, T, H, W)`` or ``(N, C, T, H, W)``; output ``[N x] C x OT x OH x OW`` with
        ``OT = floor((T + 2*padT - kT) / dT) + 1`` (``ceil`` after ``:ceil()``).

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        pool = cudnn.VolumetricAveragePooling(2, 2, 2)
        y = pool.forward(torch.randn(2, 4, 8, 16, 16).cuda())   # 2 x 4 x 4 x 8 x 8
    """

    _typename = "cudnn.VolumetricAveragePooling"
    _nn_twin = nn.VolumetricAveragePooling
    _convertible = True

    def __init__(self, kT: int, kW: int, kH: int, dT: int | None = None, dW: int | None = None,
                 dH: int | None = None, padT: int = 0, padW: int = 0, padH: int = 0) -> None:
        super().__init__(kT, kW, kH, dT, dW, dH, padT, padW, padH)
        self.count_include_pad = True
