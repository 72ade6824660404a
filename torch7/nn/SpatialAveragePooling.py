"""nn.SpatialAveragePooling: 2-D average pooling (stride defaults to 1)."""

from __future__ import annotations

from torch7._core.backend import ascontig

from .functional import pool2d as F
from .Module import Module


class SpatialAveragePooling(Module):
    """Mean over kH x kW windows moved by dW, dH (default **1**, as Torch7), with zero padding padW, padH.

    Output sizes follow SpatialMaxPooling (floor, or ceil after ``:ceil()``). The divisor is the window
    clipped to the padded input (``count_include_pad``, default) or to the input only after
    ``:setCountExcludePad()``. With ``divide = False`` (old saved models) the sum is returned.

    Args:
        kW, kH: window size; dW, dH: stride (default 1); padW, padH: padding, at most half the window.

    Fields: ``kW, kH, dW, dH, padW, padH, ceil_mode=False, count_include_pad=True, divide=True``.

    Shape:
        input ``C x H x W`` or ``N x C x H x W``; output ``[N x] C x OH x OW``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SpatialAveragePooling(2, 2, 2, 2)
        >>> m
        nn.SpatialAveragePooling(2x2, 2,2)
        >>> m.forward(torch.range(1, 16).view(1, 4, 4)).numpy().tolist()
        [[[3.5, 5.5], [11.5, 13.5]]]
    """

    def __init__(self, kW: int, kH: int, dW: int = 1, dH: int = 1, padW: int = 0, padH: int = 0) -> None:
        super().__init__()
        self.kW, self.kH = int(kW), int(kH)
        self.dW, self.dH = int(dW or 1), int(dH or 1)
        self.padW, self.padH = int(padW or 0), int(padH or 0)
        self.ceil_mode = False
        self.count_include_pad = True
        self.divide = True

    def ceil(self) -> SpatialAveragePooling:
        self.ceil_mode = True
        return self

    def floor(self) -> SpatialAveragePooling:
        self.ceil_mode = False
        return self

    def setCountIncludePad(self) -> SpatialAveragePooling:
        self.count_include_pad = True
        return self

    def setCountExcludePad(self) -> SpatialAveragePooling:
        self.count_include_pad = False
        return self

    def _compat(self) -> None:
        # Files saved before padding/ceil mode existed (Torch7's backwardCompatible); a missing ``divide``
        # means the old, undivided sum.
        if getattr(self, "ceil_mode", None) is None:
            self.ceil_mode, self.count_include_pad, self.padW, self.padH = False, True, 0, 0
        if getattr(self, "count_include_pad", None) is None:
            self.count_include_pad = True

    def _matrices(self, input):
        self._compat()
        shape = tuple(input._a.shape)
        F.check_pool(self._typename, shape, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW)
        H, W = shape[-2:]
        OH = F.output_size(H, self.kH, self.dH, self.padH, 1, self.ceil_mode)
        OW = F.output_size(W, self.kW, self.dW, self.padW, 1, self.ceil_mode)
        if OH < 1 or OW < 1:
            raise ValueError(f"{self!r}: given input size {'x'.join(map(str, shape))}, calculated output size "
                             f"{shape[-3]}x{OH}x{OW} is too small")
        dt = input._a.dtype
        A = F.avg_weights(H, self.kH, self.dH, self.padH, OH, self.count_include_pad, dt)
        B = F.avg_weights(W, self.kW, self.dW, self.padW, OW, self.count_include_pad, dt)
        if not getattr(self, "divide", False):
            A *= self.kH * self.kW
        return A, B

    def updateOutput(self, input):
        A, B = self._matrices(input)
        self.output.resize(*input._a.shape[:-2], A.shape[0], B.shape[0])
        F.separable_apply(F.as4d(input._a), A, B, F.as4d(self.output._a))
        return self.output

    def updateGradInput(self, input, gradOutput):
        A, B = self._matrices(input)
        if tuple(gradOutput._a.shape) != (*input._a.shape[:-2], A.shape[0], B.shape[0]):
            raise ValueError(f"{self!r}: gradOutput of size {'x'.join(map(str, gradOutput._a.shape))} does not "
                             f"match the output size for input {'x'.join(map(str, input._a.shape))}")
        self.gradInput.resizeAs(input)
        F.separable_apply(F.as4d(gradOutput._a), ascontig(A.T), ascontig(B.T),
                          F.as4d(self.gradInput._a))
        return self.gradInput

    def __repr__(self) -> str:
        pads = f", {self.padW},{self.padH}" if self.padW or self.padH else ""
        return f"{self._typename}({self.kW}x{self.kH}, {self.dW},{self.dH}{pads})"
