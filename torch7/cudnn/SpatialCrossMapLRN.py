"""cudnn.SpatialCrossMapLRN: cudnn.torch's cross-channel LRN, run by nn.SpatialCrossMapLRN's kernel."""

from __future__ import annotations

from torch7 import nn


class SpatialCrossMapLRN(nn.SpatialCrossMapLRN):
    """Local response normalization across feature maps, under cudnn.torch's name: ``nn.SpatialCrossMapLRN``'s results.

    ``y[c] = x[c] / (k + alpha / size * sum_{c' near c} x[c']^2)^beta`` at every pixel, the sum over
    ``size`` maps centred on ``c`` (cuDNN's ``CROSS_CHANNEL_DIM1`` mode, which is nn's formula).
    The cuDNN frontend this package drives has no LRN operation, so nn's kernel runs (on host and
    CUDA tensors). ``cudnn.convert`` swaps it with ``nn.SpatialCrossMapLRN`` (no copy).

    Args:
        size: number of maps in the window, 1 to 16 as cuDNN requires (default 5; odd sizes centre it).
        alpha: scaling of the sum of squares (default 1e-4).
        beta: exponent, at least 0.01 (default 0.75).
        k: additive constant, at least 1e-5 (default 1).

    Shape:
        ``(C, H, W)`` or ``(N, C, H, W)``; output of the same shape.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        lrn = cudnn.SpatialCrossMapLRN(5, 1e-4, 0.75, 2)
        y = lrn.forward(torch.randn(8, 96, 27, 27).cuda())
    """

    _typename = "cudnn.SpatialCrossMapLRN"
    _nn_twin = nn.SpatialCrossMapLRN
    _convertible = True

    def __init__(self, size: int = 5, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__(size, alpha, beta, k)
        if not 1 <= self.size <= 16:
            raise ValueError(f"{self._typename}: size has to be between 1 and 16, got {self.size}")
        if self.k < 1e-5:
            raise ValueError(f"{self._typename}: k has to be at least 1e-5, got {self.k}")
        if self.beta < 0.01:
            raise ValueError(f"{self._typename}: beta has to be at least 0.01, got {self.beta}")
