"""nn.Inception: dpnn's GoogLeNet inception block, a Decorator around a DepthConcat of columns."""

from __future__ import annotations

from .Container import rethrow
from .Decorator import Decorator
from .DepthConcat import DepthConcat
from .ReLU import ReLU
from .Sequential import Sequential
from .SpatialBatchNormalization import SpatialBatchNormalization
from .SpatialConvolution import SpatialConvolution
from .SpatialMaxPooling import SpatialMaxPooling

_REQUIRED = ("inputSize", "outputSize", "reduceSize")


class Inception(Decorator):
    """Parallel columns over the same image, concatenated along the feature planes (dpnn's ``nn.Inception``).

    Columns, in order (each convolution is followed by ``batchNorm`` when set and a clone of ``transfer``):

    * for each ``i`` in ``kernelSize``: 1x1 convolution to ``reduceSize[i]`` planes (stride ``reduceStride[i]``),
      then a ``kernelSize[i]`` square convolution to ``outputSize[i]`` planes (stride ``kernelStride[i]``,
      padded by ``kernelSize[i] // 2`` when ``padding``);
    * ``pool`` (by default ``SpatialMaxPooling(poolSize, poolSize, poolStride, poolStride)``), then a 1x1
      convolution when ``reduceSize`` has an entry for this column;
    * a 1x1 convolution alone, when ``reduceSize`` has an entry for it.

    The columns' outputs are joined by ``DepthConcat`` on the plane dimension (smaller maps centred, zero
    padded). The block is ``modules[0]``, as in every Decorator.

    Args:
        config: a dict with the keys below (dpnn's Lua table); keywords work as well and take precedence.
            Required: ``inputSize`` (input planes), ``outputSize`` (list, one per kernel size),
            ``reduceSize`` (list: one per kernel size, then the pooling column's and the 1x1 column's).
            Optional: ``reduceStride`` (list, default 1 each), ``transfer`` (module, default ``nn.ReLU()``),
            ``batchNorm`` (bool), ``padding`` (default True), ``kernelSize`` (default ``[5, 3]``),
            ``kernelStride`` (default ``[1, 1]``), ``poolSize`` (3), ``poolStride`` (1), ``pool`` (a module).

    Shape:
        input ``(N, inputSize, H, W)`` or ``(inputSize, H, W)`` (run as a batch of one, as dpnn's ``toBatch``
        does; dpnn removed the added dimension at the wrong position, which only worked for ``H == 1``);
        output ``(N, sum of column planes, H', W')``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Inception(inputSize=3, outputSize=[4], reduceSize=[2, 5, 6], kernelSize=[3], kernelStride=[1])
        >>> m.forward(torch.randn(2, 3, 8, 8)).size()
        torch.Size([2, 15, 8, 8])
        >>> m.forward(torch.randn(3, 8, 8)).size()
        torch.Size([15, 8, 8])
    """

    def __init__(self, config: dict | None = None, **kwargs) -> None:
        cfg = dict(config or {}, **kwargs)
        missing = [k for k in _REQUIRED if cfg.get(k) is None]
        if missing:
            raise ValueError(f"nn.Inception: missing required config {', '.join(missing)}")
        self.inputSize = cfg["inputSize"]
        self.outputSize = list(cfg["outputSize"])
        self.reduceSize = list(cfg["reduceSize"])
        self.reduceStride = list(cfg.get("reduceStride") or [])
        self.transfer = cfg.get("transfer") or ReLU()
        self.batchNorm = cfg.get("batchNorm")
        self.padding = True if cfg.get("padding") is None else cfg["padding"]
        self.kernelSize = list(cfg.get("kernelSize") or [5, 3])
        self.kernelStride = list(cfg.get("kernelStride") or [1, 1])
        self.poolSize = cfg.get("poolSize") or 3
        self.poolStride = cfg.get("poolStride") or 1
        self.pool = cfg.get("pool") or SpatialMaxPooling(self.poolSize, self.poolSize, self.poolStride,
                                                         self.poolStride)
        if len(self.reduceSize) < len(self.kernelSize) or len(self.outputSize) < len(self.kernelSize):
            raise ValueError(f"nn.Inception: {len(self.kernelSize)} kernel sizes need as many outputSize and "
                             f"at least as many reduceSize entries, got {len(self.outputSize)} and "
                             f"{len(self.reduceSize)}")
        if len(self.kernelStride) < len(self.kernelSize):
            raise ValueError(f"nn.Inception: {len(self.kernelSize)} kernel sizes need as many kernelStride "
                             f"entries, got {len(self.kernelStride)}")
        depth = DepthConcat(1)  # the plane dimension of a batch
        for i, k in enumerate(self.kernelSize):
            col = self._reduce(Sequential(), i)
            pad = k // 2 if self.padding else 0
            self._add(col, SpatialConvolution(self.reduceSize[i], self.outputSize[i], k, k, self.kernelStride[i],
                                              self.kernelStride[i], pad), self.outputSize[i])
            depth.add(col)
        i = len(self.kernelSize)
        col = Sequential().add(self.pool)
        depth.add(self._reduce(col, i) if i < len(self.reduceSize) else col)
        if i + 1 < len(self.reduceSize):
            depth.add(self._reduce(Sequential(), i + 1))
        super().__init__(depth)
        self.dpnn_online = False

    def _add(self, col: Sequential, conv, planes: int) -> Sequential:
        col.add(conv)
        if self.batchNorm:
            col.add(SpatialBatchNormalization(planes))
        return col.add(self.transfer.clone())

    def _reduce(self, col: Sequential, i: int) -> Sequential:
        s = self.reduceStride[i] if i < len(self.reduceStride) and self.reduceStride[i] else 1
        return self._add(col, SpatialConvolution(self.inputSize, self.reduceSize[i], 1, 1, s, s), self.reduceSize[i])

    # dpnn's toBatch/fromBatch: a single 3-D image runs as a batch of one.
    def _toBatch(self, t, remember: bool = False):
        online = t.dim() == 3
        if remember:
            self.dpnn_online = online
        if not online:
            return t
        return (t if t.isContiguous() else t.contiguous()).view(1, *t.size())

    def _fromBatch(self, t):
        return t.view(*t.size()[1:]) if getattr(self, "dpnn_online", False) else t

    def updateOutput(self, input):
        out = rethrow(self, 0, self.modules[0].updateOutput, self._toBatch(input, True))
        self.output = self._fromBatch(out)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = rethrow(self, 0, self.modules[0].updateGradInput, self._toBatch(input, True),
                     self._toBatch(gradOutput))
        self.gradInput = self._fromBatch(gi)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        rethrow(self, 0, self.modules[0].accGradParameters, self._toBatch(input), self._toBatch(gradOutput), scale)

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        rethrow(self, 0, self.modules[0].accUpdateGradParameters, self._toBatch(input), self._toBatch(gradOutput),
                lr)
