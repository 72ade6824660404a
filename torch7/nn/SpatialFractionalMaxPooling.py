"""nn.SpatialFractionalMaxPooling: max pooling over pseudo-random overlapping windows (Graham, 2014)."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core import backend
from torch7._core.backend import xp as engine

from .functional import pool2d as F
from .Module import Module


class SpatialFractionalMaxPooling(Module):
    """Max over poolSizeH x poolSizeW windows whose starts are drawn per (sample, plane) from ``randomSamples``.

    For a sample ``u`` in [0, 1) and ``a = (in - pool) / (out - 1)``, window ``i`` starts at
    ``floor((i + u) * a) - floor(u * a)`` (the last at ``in - pool``), computed in the input's precision.
    ``randomSamples`` (``N x C x 2``: [..., 0] for width, [..., 1] for height) is redrawn from torch's
    generator at every forward unless ``fixPoolingRegions()`` was called.

    Args:
        poolSizeW, poolSizeH: window size (>= 2).
        arg1, arg2: output width and height (``outW``, ``outH``) when both >= 1, else ratios in (0, 1)
            (``ratioW``, ``ratioH``): the output is ``floor(in * ratio)``.

    Fields: ``poolSizeW, poolSizeH, outW, outH`` or ``ratioW, ratioH``, ``newRandomPool``, ``randomSamples``,
    ``indices`` (LongTensor, **0-based** in-plane position ``h*W + w``; Torch7: 1-based, converted on load).

    Shape:
        input ``C x H x W`` or ``N x C x H x W``; output ``[N x] C x outH x outW``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SpatialFractionalMaxPooling(2, 2, 3, 3)
        >>> m
        nn.SpatialFractionalMaxPooling(3,3,2,2)
        >>> tuple(m.forward(torch.randn(2, 5, 5)).size())
        (2, 3, 3)
    """

    def __init__(self, poolSizeW: int, poolSizeH: int, arg1: float, arg2: float) -> None:
        super().__init__()
        if poolSizeW < 2 or poolSizeH < 2:
            raise ValueError(f"{self._typename}: pool size must be >= 2, got {poolSizeW}x{poolSizeH}")
        self.poolSizeW, self.poolSizeH = int(poolSizeW), int(poolSizeH)
        self.indices = torch.LongTensor()
        self.randomSamples = None
        self.newRandomPool = False
        if arg1 >= 1 and arg2 >= 1:
            self.outW, self.outH = int(arg1), int(arg2)
        else:
            if not (0 < arg1 < 1 and 0 < arg2 < 1):
                raise ValueError(f"{self._typename}: ratios must be in (0, 1), got {arg1}, {arg2}")
            self.ratioW, self.ratioH = float(arg1), float(arg2)

    def fixPoolingRegions(self, val: bool = True) -> SpatialFractionalMaxPooling:
        self.newRandomPool = val
        return self

    def getBufferSize_(self, input) -> tuple[int, int, int]:
        shape = tuple(input._a.shape)
        if len(shape) not in (3, 4) or 0 in shape:
            raise ValueError(f"{self._typename}: 3D or 4D (batch mode) non-empty input expected, got size "
                             f"{'x'.join(map(str, shape)) or 'empty'}")
        return (1, shape[0], 2) if len(shape) == 3 else (shape[0], shape[1], 2)

    def initSampleBuffer_(self, input) -> None:
        size = self.getBufferSize_(input)
        rs = self.randomSamples
        if rs is None or not torch.isTensor(rs) or rs.nDimension() != 3:
            self.randomSamples = input.new().resize(*size).uniform()
        elif tuple(rs.size())[:2] != size[:2]:
            rs.resize(*size).uniform()
        elif not self.newRandomPool:
            rs.uniform()

    def getOutputSizes_(self, input) -> tuple[int, int]:
        if getattr(self, "ratioW", None) is not None and getattr(self, "ratioH", None) is not None:
            outW = int(np.floor(input._a.shape[-1] * self.ratioW))
            outH = int(np.floor(input._a.shape[-2] * self.ratioH))
            if outW < 1 or outH < 1:
                raise ValueError(f"{self._typename}: reduction ratio or input size "
                                 f"{'x'.join(map(str, input._a.shape))} too small")
            return outW, outH
        return self.outW, self.outH

    def updateOutput(self, input):
        self.initSampleBuffer_(input)
        outW, outH = self.getOutputSizes_(input)
        x = F.as4d(input._a)
        H, W = x.shape[-2:]
        if outW + self.poolSizeW - 1 > W or outH + self.poolSizeH - 1 > H:
            raise ValueError(f"{self._typename}: pool size {self.poolSizeW}x{self.poolSizeH} too large for output "
                             f"{outW}x{outH} and input size {'x'.join(map(str, input._a.shape))}")
        rs = self.randomSamples._a  # a few samples: the window starts are worked out on the host
        samples = np.asarray(backend.to_host(rs), x.dtype)
        seqW = F.fractional_intervals(samples[..., 0], W, outW, self.poolSizeW)  # (N, C, outW)
        seqH = F.fractional_intervals(samples[..., 1], H, outH, self.poolSizeH)
        rows = (seqH[..., :, None] + np.arange(self.poolSizeH))[..., :, None, :]
        cols = (seqW[..., :, None] + np.arange(self.poolSizeW))[..., None, :, :]
        if type(self.indices) is not input._long_cls:  # a CudaLongTensor on the GPU
            self.indices = input._long_cls()
        lead = tuple(input._a.shape[:-2])
        self.output.resize(*lead, outH, outW)
        self.indices.resize(*lead, outH, outW)
        out = engine(x).empty(x.shape[:2] + (outH, outW), x.dtype)
        F.gather_max(x, rows, cols, self.poolSizeH, self.poolSizeW, out, F.as4d(self.indices._a))
        np.copyto(F.as4d(self.output._a), out, casting="unsafe")
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.randomSamples is None:
            raise ValueError(f"{self._typename}: must call updateOutput/forward first")
        if tuple(gradOutput._a.shape) != tuple(self.indices._a.shape):
            raise ValueError(f"{self._typename}: gradOutput of size {'x'.join(map(str, gradOutput._a.shape))}, "
                             f"expected {'x'.join(map(str, self.indices._a.shape))}")
        self.gradInput.resizeAs(input)
        F.scatter_backward(F.as4d(gradOutput._a), F.as4d(self.indices._a.astype(np.int64, copy=False)),
                           F.as4d(self.gradInput._a))
        return self.gradInput

    def empty(self) -> None:
        """Frees the buffers and drops ``randomSamples`` (Torch7's ``empty``)."""
        self.clearState()
        self.randomSamples = None

    def clearState(self):
        if torch.isTensor(getattr(self, "indices", None)):
            self.indices.set()
        return super().clearState()

    def __repr__(self) -> str:
        def fmt(n, r):
            return f"{n:d}" if n is not None else f"{r:g}"
        return (f"{self._typename}({fmt(getattr(self, 'outW', None), getattr(self, 'ratioW', None))},"
                f"{fmt(getattr(self, 'outH', None), getattr(self, 'ratioH', None))},"
                f"{self.poolSizeW},{self.poolSizeH})")
