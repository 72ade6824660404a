"""cudnn.SpatialMaxPooling: cudnn.torch's 2-D max pooling, run by nn.SpatialMaxPooling's kernel."""

from __future__ import annotations

from torch7 import nn


class SpatialMaxPooling(nn.SpatialMaxPooling):
    """2-D max pooling under cudnn.torch's name: ``nn.SpatialMaxPooling``'s fields and results.

    The cuDNN frontend this package drives has no pooling operation, so this layer runs nn's
    kernel, on host tensors and on CUDA tensors alike. ``cudnn.convert`` swaps it with
    ``nn.SpatialMaxPooling`` (no copy). ``:ceil()`` and ``:floor()`` pick the output size rule, as
    in cudnn.torch; padding counts as -inf. ``indices`` holds the 0-based argmax of each output
    (nn's field; cudnn.torch kept none).

    Args:
        kW, kH: window size.
        dW, dH: stride (default: the window size).
        padW, padH: padding on each side (default 0), at most half the window.

    Shape:
        input ``(C, H, W)`` or ``(N, C, H, W)``; output ``[N x] C x OH x OW`` with
        ``OH = floor((H + 2*padH - kH) / dH) + 1`` (``ceil`` after ``:ceil()``).

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        pool = cudnn.SpatialMaxPooling(2, 2, 2, 2)
        y = pool.forward(torch.randn(8, 16, 32, 32).cuda())   # 8 x 16 x 16 x 16
    """

    _typename = "cudnn.SpatialMaxPooling"
    _nn_twin = nn.SpatialMaxPooling
    _convertible = True
