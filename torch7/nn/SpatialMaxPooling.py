"""nn.SpatialMaxPooling: 2-D max pooling with padding and ceil/floor output sizes."""

from __future__ import annotations

import numpy as np

import torch7 as torch

from .functional import pool2d as F
from .Module import Module


class SpatialMaxPooling(Module):
    """Max over kH x kW windows moved by dW, dH, with implicit -inf padding of padW, padH.

    Output size per axis: ``floor((H + 2*padH - kH) / dH) + 1`` (``ceil`` after ``:ceil()``), minus one
    when padding is used and the last window would start beyond ``H + padH``.

    Args:
        kW, kH: window size.
        dW, dH: stride (default: the window size).
        padW, padH: zero-based padding on each side, at most half the window.

    Fields: ``kW, kH, dW, dH, padW, padH, ceil_mode`` and ``indices`` (LongTensor shaped like the output,
    holding the **0-based** flat position ``h*W + w`` of each maximum in its input plane; Torch7 stores
    these 1-based and the .t7 loader converts). ``iheight, iwidth`` record the last input size (for
    SpatialMaxUnpooling).

    Shape:
        input ``C x H x W`` or ``N x C x H x W``; output ``[N x] C x OH x OW``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SpatialMaxPooling(2, 2, 2, 2)
        >>> m
        nn.SpatialMaxPooling(2x2, 2,2)
        >>> m.forward(torch.range(1, 16).view(1, 4, 4)).numpy().tolist()
        [[[6.0, 8.0], [14.0, 16.0]]]
        >>> m.indices.numpy().tolist()
        [[[5, 7], [13, 15]]]
    """

    def __init__(self, kW: int, kH: int, dW: int | None = None, dH: int | None = None, padW: int = 0,
                 padH: int = 0) -> None:
        super().__init__()
        self.kW, self.kH = int(kW), int(kH)
        self.dW = int(dW) if dW is not None else self.kW
        self.dH = int(dH) if dH is not None else self.kH
        self.padW, self.padH = int(padW or 0), int(padH or 0)
        self.ceil_mode = False
        self.indices = torch.LongTensor()

    def ceil(self) -> SpatialMaxPooling:
        self.ceil_mode = True
        return self

    def floor(self) -> SpatialMaxPooling:
        self.ceil_mode = False
        return self

    def _dilation(self) -> tuple[int, int]:
        return 1, 1

    def _sizes(self, input) -> tuple[int, int]:
        # Older saved modules lack these fields (Torch7 fills them the same way).
        self.ceil_mode = bool(getattr(self, "ceil_mode", False))
        self.padW, self.padH = getattr(self, "padW", 0) or 0, getattr(self, "padH", 0) or 0
        dilW, dilH = self._dilation()
        shape = tuple(input._a.shape)
        F.check_pool(self._typename, shape, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW, dilH, dilW)
        H, W = shape[-2:]
        OH = F.output_size(H, self.kH, self.dH, self.padH, dilH, self.ceil_mode)
        OW = F.output_size(W, self.kW, self.dW, self.padW, dilW, self.ceil_mode)
        if OH < 1 or OW < 1:
            raise ValueError(f"{self!r}: given input size {'x'.join(map(str, shape))}, calculated output size "
                             f"{shape[-3]}x{OH}x{OW} is too small")
        return OH, OW

    def updateOutput(self, input):
        OH, OW = self._sizes(input)
        dilW, dilH = self._dilation()
        x = F.as4d(input._a)
        lead = tuple(input._a.shape[:-2])
        self.iheight, self.iwidth = input._a.shape[-2:]
        if type(self.indices) is not input._long_cls:  # a CudaLongTensor on the GPU
            self.indices = input._long_cls()
        self.output.resize(*lead, OH, OW)
        self.indices.resize(*lead, OH, OW)
        out = F.as4d(self.output._a)
        if out.dtype == x.dtype:
            F.max_forward(x, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW, dilH, dilW, OH, OW,
                          out, F.as4d(self.indices._a))
        else:
            tmp = np.empty(out.shape, x.dtype)
            F.max_forward(x, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW, dilH, dilW, OH, OW,
                          tmp, F.as4d(self.indices._a))
            np.copyto(out, tmp, casting="unsafe")
        return self.output

    def updateGradInput(self, input, gradOutput):
        dilW, dilH = self._dilation()
        if tuple(gradOutput._a.shape) != tuple(self.output._a.shape):
            raise ValueError(f"{self!r}: gradOutput of size {'x'.join(map(str, gradOutput._a.shape))}, expected "
                             f"{'x'.join(map(str, self.output._a.shape))}")
        self.gradInput.resizeAs(input)
        unique = (self.kH - 1) * dilH + 1 <= self.dH and (self.kW - 1) * dilW + 1 <= self.dW
        H, W = input._a.shape[-2:]
        OH, OW = self.output._a.shape[-2:]
        empty = (OH - 1) * self.dH - self.padH >= H or (OW - 1) * self.dW - self.padW >= W
        F.scatter_backward(F.as4d(gradOutput._a), F.as4d(self.indices._a.astype(np.int64, copy=False)),
                           F.as4d(self.gradInput._a), unique, empty)
        return self.gradInput

    def clearState(self):
        if torch.isTensor(getattr(self, "indices", None)):
            self.indices.set()
        return super().clearState()

    def _pads(self) -> str:
        return f", {self.padW},{self.padH}" if self.padW or self.padH else ""

    def __repr__(self) -> str:
        return f"{self._typename}({self.kW}x{self.kH}, {self.dW},{self.dH}{self._pads()})"
