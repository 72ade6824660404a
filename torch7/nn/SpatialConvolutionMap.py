"""nn.SpatialConvolutionMap: a convolution whose input-output plane connections come from a table."""

from __future__ import annotations

import numpy as np

import torch7 as torch

from .functional import conv_local as F
from .Module import Module


class SpatialConvolutionMap(Module):
    """Sparse 2-D cross-correlation: kernel ``k`` maps input plane ``connTable[k][0]`` to output plane
    ``connTable[k][1]`` (valid, no padding); each output plane adds its bias.

    Args:
        connTable: ``K x 2`` tensor of **0-based** plane numbers (``nn.tables.full/oneToOne/random``);
            Torch7's tables were 1-based (the ``.t7`` loader converts ``connTable``).
        kW, kH: kernel size.
        dW, dH: stride (default 1).

    Shape:
        input ``(C, H, W)`` or ``(N, C, H, W)`` with ``C >= nInputPlane = max(connTable[:, 0]) + 1``;
        output ``(nOutputPlane, oH, oW)`` (batched likewise), ``oH = (H - kH) // dH + 1``.
        ``weight`` is ``K x kH x kW``; ``bias`` has ``nOutputPlane = max(connTable[:, 1]) + 1`` elements.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SpatialConvolutionMap(nn.tables.random(4, 3, 2), 3, 3)
        >>> m.forward(torch.randn(4, 7, 7)).size()
        torch.Size([3, 5, 5])
        >>> m
        nn.SpatialConvolutionMap
    """

    def __init__(self, connTable, kW: int, kH: int, dW: int = 1, dH: int = 1) -> None:
        super().__init__()
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.connTable, _, self.nInputPlane, self.nOutputPlane = F.conn_table("nn.SpatialConvolutionMap", connTable)
        k = self.connTable.size(0)
        self.weight = torch.Tensor(k, kH, kW)
        self.bias = torch.Tensor(self.nOutputPlane)
        self.gradWeight = torch.Tensor(k, kH, kW)
        self.gradBias = torch.Tensor(self.nOutputPlane)
        self.reset()

    def _conn(self, like=None) -> np.ndarray:
        return F.conn_rows(self.connTable, like)

    def reset(self, stdv: float | None = None) -> SpatialConvolutionMap:
        return F.reset_map(self, stdv)

    def _prep(self, input):
        x, batched = F.batch_view(self, input, self.nInputPlane, exact=False)
        F.check_window(self, x.shape[2], x.shape[3], self.kH, self.kW, self.dH, self.dW, input=input)
        return x, batched

    def updateOutput(self, input):
        x, batched = self._prep(input)
        dense = F.dense_from_table(self.weight._a, self._conn(self.weight._a), x.shape[1], self.nOutputPlane)
        out = F.xcorr(x, dense, self.dH, self.dW)
        out += self.bias._a.reshape(1, -1, 1, 1)
        return F.write(self.output, out, batched)

    def updateGradInput(self, input, gradOutput):
        x, batched = self._prep(input)
        g = F.grad_view(self, gradOutput, self.output)
        dense = F.dense_from_table(self.weight._a, self._conn(self.weight._a), x.shape[1], self.nOutputPlane)
        gi = F.xcorr_grad_input(g, dense, x.shape[2], x.shape[3], self.dH, self.dW)
        return F.write(self.gradInput, gi, batched)

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        x, _ = self._prep(input)
        g = F.grad_view(self, gradOutput, self.output)
        conn = self._conn(self.gradWeight._a)
        full = F.xcorr_grad_weight(x, g, self.kH, self.kW, self.dH, self.dW)  # nOut x C x kH x kW
        self.gradWeight._a += scale * full[conn[:, 1], conn[:, 0]]
        self.gradBias._a += scale * g.sum(axis=(0, 2, 3))

    def decayParameters(self, decay: float) -> None:
        self.weight.add(-decay, self.weight)
        self.bias.add(-decay, self.bias)
