"""nn.SpatialFullConvolutionMap: a full (transposed) convolution with a connection table."""

from __future__ import annotations

import numpy as np

import torch7 as torch

from .functional import conv_local as F
from .Module import Module


class SpatialFullConvolutionMap(Module):
    """Sparse full convolution: input plane ``connTable[k][0]``, upsampled by the stride, is fully convolved with
    kernel ``k`` into output plane ``connTable[k][1]`` (the adjoint of ``SpatialConvolutionMap``'s
    cross-correlation; PyTorch: ``conv_transpose2d``); each output plane adds its bias.

    Args:
        connTable: ``K x 2`` tensor of **0-based** plane numbers (``nn.tables.*``); Torch7's were 1-based
            (the ``.t7`` loader converts ``connTable``).
        kW, kH: kernel size.
        dW, dH: stride (default 1).

    Shape:
        input ``(C, H, W)`` (Torch7) or ``(N, C, H, W)`` (an extension) with ``C >= nInputPlane``;
        output ``(nOutputPlane, (H-1)*dH + kH, (W-1)*dW + kW)``. ``weight`` is ``K x kH x kW``;
        ``bias`` has ``nOutputPlane`` elements.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SpatialFullConvolutionMap(nn.tables.oneToOne(2), 3, 3, 2, 2)
        >>> m.forward(torch.randn(2, 4, 4)).size()
        torch.Size([2, 9, 9])
        >>> m
        nn.SpatialFullConvolutionMap
    """

    def __init__(self, connTable, kW: int, kH: int, dW: int = 1, dH: int = 1) -> None:
        super().__init__()
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.connTable, _, self.nInputPlane, self.nOutputPlane = F.conn_table("nn.SpatialFullConvolutionMap",
                                                                              connTable)
        k = self.connTable.size(0)
        self.weight = torch.Tensor(k, kH, kW)
        self.gradWeight = torch.Tensor(k, kH, kW)
        self.bias = torch.Tensor(self.nOutputPlane)
        self.gradBias = torch.Tensor(self.nOutputPlane)
        self.reset()

    def _conn(self, like=None) -> np.ndarray:
        return F.conn_rows(self.connTable, like)

    def reset(self, stdv: float | None = None) -> SpatialFullConvolutionMap:
        return F.reset_map(self, stdv)

    def _dense(self, nin: int) -> np.ndarray:
        # nIn x nOut x kH x kW: the cross-correlation whose adjoint this module computes
        w = self.weight._a
        return F.dense_from_table(w, self._conn(w), nin, self.nOutputPlane).transpose(1, 0, 2, 3)

    def updateOutput(self, input):
        x, batched = F.batch_view(self, input, self.nInputPlane, exact=False)
        H, W = (x.shape[2] - 1) * self.dH + self.kH, (x.shape[3] - 1) * self.dW + self.kW
        out = F.xcorr_grad_input(x, self._dense(x.shape[1]), H, W, self.dH, self.dW)
        out += self.bias._a.reshape(1, -1, 1, 1)
        return F.write(self.output, out, batched)

    def updateGradInput(self, input, gradOutput):
        x, batched = F.batch_view(self, input, self.nInputPlane, exact=False)
        g = F.grad_view(self, gradOutput, self.output)
        gi = F.xcorr(g, self._dense(x.shape[1]), self.dH, self.dW)
        return F.write(self.gradInput, gi, batched)

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        x, _ = F.batch_view(self, input, self.nInputPlane, exact=False)
        g = F.grad_view(self, gradOutput, self.output)
        conn = self._conn(self.gradWeight._a)
        full = F.xcorr_grad_weight(g, x, self.kH, self.kW, self.dH, self.dW)  # C x nOut x kH x kW
        self.gradWeight._a += scale * full[conn[:, 0], conn[:, 1]]
        self.gradBias._a += scale * g.sum(axis=(0, 2, 3))
