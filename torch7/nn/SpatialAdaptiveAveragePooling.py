"""nn.SpatialAdaptiveAveragePooling: average pooling to a fixed output size W x H."""

from __future__ import annotations

from torch7._core.backend import ascontig

from .functional import pool2d as F
from .Module import Module


class SpatialAdaptiveAveragePooling(Module):
    """Average pooling whose windows adapt to the input so the output is always ``H x W``.

    Output cell (i, j) averages rows ``floor(i*iH/H)`` .. ``ceil((i+1)*iH/H) - 1`` (columns likewise).

    Args:
        W, H: output width and height (fields ``W``, ``H``).

    Shape:
        input ``C x iH x iW`` or ``N x C x iH x iW``; output ``[N x] C x H x W``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SpatialAdaptiveAveragePooling(2, 1)
        >>> m.forward(torch.range(1, 12).view(1, 3, 4)).numpy().tolist()
        [[[5.5, 7.5]]]
    """

    def __init__(self, W: int, H: int) -> None:
        super().__init__()
        self.W, self.H = int(W), int(H)

    def _matrices(self, input):
        shape = tuple(input._a.shape)
        if len(shape) not in (3, 4) or 0 in shape:
            raise ValueError(f"{self._typename}: 3D or 4D (batch mode) non-empty input expected, got size "
                             f"{'x'.join(map(str, shape)) or 'empty'}")
        if self.W < 1 or self.H < 1:
            raise ValueError(f"{self._typename}: output size must be positive, got {self.W}x{self.H}")
        dt = input._a.dtype
        return F.adaptive_weights(shape[-2], self.H, dt), F.adaptive_weights(shape[-1], self.W, dt)

    def updateOutput(self, input):
        A, B = self._matrices(input)
        self.output.resize(*input._a.shape[:-2], self.H, self.W)
        F.separable_apply(F.as4d(input._a), A, B, F.as4d(self.output._a))
        return self.output

    def updateGradInput(self, input, gradOutput):
        A, B = self._matrices(input)
        if tuple(gradOutput._a.shape) != (*input._a.shape[:-2], self.H, self.W):
            raise ValueError(f"{self._typename}: gradOutput of size {'x'.join(map(str, gradOutput._a.shape))}, "
                             f"expected {'x'.join(map(str, (*input._a.shape[:-2], self.H, self.W)))}")
        self.gradInput.resizeAs(input)
        F.separable_apply(F.as4d(gradOutput._a), ascontig(A.T), ascontig(B.T),
                          F.as4d(self.gradInput._a))
        return self.gradInput
