"""nn.SpatialMaxUnpooling: the partial inverse of a SpatialMaxPooling, using its indices."""

from __future__ import annotations

import numpy as np

from .functional import pool2d as F
from .Module import Module
from .SpatialMaxPooling import SpatialMaxPooling


class SpatialMaxUnpooling(Module):
    """Puts each input value back at the position its pooling module took the maximum from; zeros elsewhere.

    The pooling module must be an ``nn.SpatialMaxPooling`` whose kernel equals its stride, and must have run
    forward first: its ``indices`` (0-based in-plane positions) and input size ``iheight x iwidth`` are read
    at every call (fields ``indices``, ``oheight``, ``owidth`` mirror them).

    Args:
        poolingModule: the ``nn.SpatialMaxPooling`` (field ``pooling``).

    Shape:
        input shaped like the pooling output ``[N x] C x OH x OW``; output ``[N x] C x iheight x iwidth``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> pool = nn.SpatialMaxPooling(2, 2)
        >>> unpool = nn.SpatialMaxUnpooling(pool)
        >>> unpool
        nn.SpatialMaxUnpooling associated to nn.SpatialMaxPooling(2x2, 2,2)
        >>> unpool.forward(pool.forward(torch.Tensor([[[1, 2], [4, 3]]]))).numpy().tolist()
        [[[0.0, 0.0], [4.0, 0.0]]]
    """

    def __init__(self, poolingModule) -> None:
        super().__init__()
        if type(poolingModule) is not SpatialMaxPooling:
            raise TypeError(f"{self._typename}: argument must be a nn.SpatialMaxPooling module, got "
                            f"{getattr(poolingModule, '_typename', type(poolingModule).__name__)}")
        if poolingModule.kH != poolingModule.dH or poolingModule.kW != poolingModule.dW:
            raise ValueError(f"{self._typename}: the size of the pooling module's kernel must equal its stride, "
                             f"got {poolingModule!r}")
        self.pooling = poolingModule

    def setParams(self) -> None:
        if getattr(self.pooling, "iheight", None) is None:
            raise ValueError(f"{self._typename}: the pooling module {self.pooling!r} must run forward first")
        self.indices = self.pooling.indices
        self.oheight = self.pooling.iheight
        self.owidth = self.pooling.iwidth

    def _check(self, input, what: str = "input") -> None:
        if tuple(input._a.shape) != tuple(self.indices._a.shape):
            raise ValueError(f"{self._typename}: {what} of size {'x'.join(map(str, input._a.shape))} does not match "
                             f"the pooling indices of size {'x'.join(map(str, self.indices._a.shape))}")

    def updateOutput(self, input):
        self.setParams()
        self._check(input)
        self.output.resize(*input._a.shape[:-2], self.oheight, self.owidth)
        idx = F.as4d(self.indices._a.astype(np.int64, copy=False))
        F.scatter_backward(F.as4d(input._a), idx, F.as4d(self.output._a), unique=True)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.setParams()
        self._check(input)
        lead = tuple(input._a.shape[:-2])
        if tuple(gradOutput._a.shape) != (*lead, self.oheight, self.owidth):
            raise ValueError(f"{self._typename}: gradOutput of size {'x'.join(map(str, gradOutput._a.shape))}, "
                             f"expected {'x'.join(map(str, (*lead, self.oheight, self.owidth)))}")
        self.gradInput.resizeAs(input)
        g = F.as4d(gradOutput._a)
        N, C = g.shape[:2]
        idx = F.as4d(self.indices._a.astype(np.int64, copy=False)).reshape(N, C, -1)
        vals = np.take_along_axis(g.reshape(N, C, -1), idx, axis=2)
        np.copyto(F.as4d(self.gradInput._a), vals.reshape(F.as4d(self.gradInput._a).shape))
        return self.gradInput

    def __repr__(self) -> str:
        return f"{self._typename} associated to {self.pooling!r}"
