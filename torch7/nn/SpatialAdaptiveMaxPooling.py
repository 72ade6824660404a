"""nn.SpatialAdaptiveMaxPooling: max pooling to a fixed output size W x H."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core.backend import xp as engine

from .functional import pool2d as F
from .Module import Module


class SpatialAdaptiveMaxPooling(Module):
    """Max pooling whose windows adapt to the input so the output is always ``H x W``.

    Output cell (i, j) covers rows ``floor(i*iH/H)`` .. ``ceil((i+1)*iH/H) - 1`` (columns likewise).

    Args:
        W, H: output width and height.

    Fields: ``W, H`` and ``indices`` (LongTensor shaped like the output, **0-based** flat in-plane
    position ``h*iW + w`` of each maximum; Torch7 stores them 1-based, older files as two x/y planes:
    the .t7 loader converts).

    Shape:
        input ``C x iH x iW`` or ``N x C x iH x iW``; output ``[N x] C x H x W``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SpatialAdaptiveMaxPooling(2, 1)
        >>> m.forward(torch.range(1, 12).view(1, 3, 4)).numpy().tolist()
        [[[10.0, 12.0]]]
    """

    def __init__(self, W: int, H: int) -> None:
        super().__init__()
        self.W, self.H = int(W), int(H)
        self.indices = torch.LongTensor()

    def _check(self, input) -> None:
        shape = tuple(input._a.shape)
        if len(shape) not in (3, 4) or 0 in shape:
            raise ValueError(f"{self._typename}: 3D or 4D (batch mode) non-empty input expected, got size "
                             f"{'x'.join(map(str, shape)) or 'empty'}")
        if self.W < 1 or self.H < 1:
            raise ValueError(f"{self._typename}: output size must be positive, got {self.W}x{self.H}")

    def updateOutput(self, input):
        self._check(input)
        x = F.as4d(input._a)
        iH, iW = x.shape[-2:]
        sh, eh = F.adaptive_ranges(iH, self.H)
        sw, ew = F.adaptive_ranges(iW, self.W)
        kH, kW = int((eh - sh).max()), int((ew - sw).max())
        rows = np.minimum(sh[:, None] + np.arange(kH), eh[:, None] - 1)[:, None, :]
        cols = np.minimum(sw[:, None] + np.arange(kW), ew[:, None] - 1)[None, :, :]
        if type(self.indices) is not input._long_cls:  # a CudaLongTensor on the GPU
            self.indices = input._long_cls()
        lead = tuple(input._a.shape[:-2])
        self.output.resize(*lead, self.H, self.W)
        self.indices.resize(*lead, self.H, self.W)
        out = engine(x).empty(x.shape[:2] + (self.H, self.W), x.dtype)
        F.gather_max(x, rows, cols, kH, kW, out, F.as4d(self.indices._a))
        np.copyto(F.as4d(self.output._a), out, casting="unsafe")
        return self.output

    def updateGradInput(self, input, gradOutput):
        if tuple(gradOutput._a.shape) != tuple(self.output._a.shape):
            raise ValueError(f"{self._typename}: gradOutput of size {'x'.join(map(str, gradOutput._a.shape))}, "
                             f"expected {'x'.join(map(str, self.output._a.shape))}")
        self.gradInput.resizeAs(input)
        F.scatter_backward(F.as4d(gradOutput._a), F.as4d(self.indices._a.astype(np.int64, copy=False)),
                           F.as4d(self.gradInput._a))
        return self.gradInput

    def clearState(self):
        if torch.isTensor(getattr(self, "indices", None)):
            self.indices.set()
        return super().clearState()
