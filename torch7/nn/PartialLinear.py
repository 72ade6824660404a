"""nn.PartialLinear: a Linear layer restricted to a chosen subset of its outputs."""

from __future__ import annotations

import numpy as np

import torch7 as torch

from .Linear import _sz
from .Module import Module


class PartialLinear(Module):
    """A Linear map whose output can be restricted to a subset ("partition") of its rows.

    After ``setPartition(indices)`` (0-based output indices) the layer computes only those outputs,
    ``output = input @ weight[partition].T + bias[0, partition]``, and only those rows of the
    parameters receive gradients; ``resetPartition()`` restores the full layer. The weight rows are
    initialised from N(0, 1) (they live in a LookupTable in Torch7).

    Args:
        inputsize: features per input sample.
        outputsize: number of outputs of the full layer.
        bias: keep a bias (default True).

    Shape:
        input ``(N, inputsize)`` (a vector is also accepted as one sample); output
        ``(N, len(partition))``. ``weight`` is ``outputsize x inputsize``, ``bias`` is ``1 x outputsize``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.PartialLinear(5, 4)
        >>> m.setPartition(torch.LongTensor([0, 2]))
        >>> m.forward(torch.randn(3, 5)).size()
        torch.Size([3, 2])
        >>> m
        nn.PartialLinear(5 -> 4)
    """

    def __init__(self, inputsize: int, outputsize: int, bias: bool = True) -> None:
        super().__init__()
        self.weight = torch.Tensor(outputsize, inputsize).normal(0, 1)
        self.gradWeight = torch.Tensor(outputsize, inputsize).zero()
        if bias is not None and bias is not False:
            self.bias = torch.Tensor(1, outputsize).zero()
            self.gradBias = torch.Tensor(1, outputsize).zero()
        self.inputsize = inputsize
        self.outputsize = outputsize
        self.allcolumns = torch.range(0, outputsize - 1)
        self.resetPartition()

    def setPartition(self, indices) -> None:
        """Restrict the layer to the 0-based outputs ``indices``."""
        idx = np.asarray(indices._a if torch.isTensor(indices) else indices).reshape(-1)
        if idx.size and (idx.min() < 0 or idx.max() >= self.outputsize):
            raise IndexError(f"{self!r}.setPartition: indices must be in [0, {self.outputsize}), "
                             f"got min {idx.min()} max {idx.max()}")
        self.partition = self.allcolumns.new(idx.astype(self.allcolumns._a.dtype).tolist()) \
            if idx.size else self.allcolumns.new()

    def resetPartition(self) -> None:
        self.partition = self.allcolumns

    def _part(self) -> np.ndarray:
        return self.partition._a.astype(np.int64).reshape(-1)

    def _rows(self, input) -> np.ndarray:
        x = input._a
        if x.ndim not in (1, 2) or x.size == 0 or x.shape[-1] != self.inputsize:
            raise ValueError(f"{self!r}: input of size {_sz(input)}, expected N x {self.inputsize}")
        return x.reshape(-1, self.inputsize)

    def updateOutput(self, input):
        x = self._rows(input)
        p = self._part()
        self.output.resize(*((x.shape[0], p.size) if input.dim() == 2 else (p.size,)))
        out = self.output._a.reshape(x.shape[0], p.size)
        np.matmul(x, self.weight._a[p].T, out=out)
        if getattr(self, "bias", None) is not None:
            out += self.bias._a[0, p]
        return self.output

    def updateGradInput(self, input, gradOutput):
        x = self._rows(input)
        p = self._part()
        self.gradInput.resizeAs(input)
        np.matmul(gradOutput._a.reshape(x.shape[0], p.size), self.weight._a[p], out=self.gradInput._a.reshape(x.shape))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        x = self._rows(input)
        p = self._part()
        g = gradOutput._a.reshape(x.shape[0], p.size)
        np.add.at(self.gradWeight._a, p, scale * np.matmul(g.T, x))  # repeated indices accumulate
        if getattr(self, "bias", None) is not None:
            np.add.at(self.gradBias._a[0], p, scale * g.sum(0))

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)

    def __repr__(self) -> str:
        s = f"{self._typename}({self.inputsize} -> {self.outputsize})"
        if getattr(self, "bias", None) is None:
            s += " without bias"
        return s
