"""nn.WeightedEuclidean: distances to learned templates, each with its own diagonal scaling."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch

from .Euclidean import EPS, rows
from .Module import Module


class WeightedEuclidean(Module):
    """``y_j = || c_j * (x - w_j) ||``: a Euclidean distance per template with a learned diagonal ``c_j``.

    Args:
        inputSize: features per input sample.
        outputSize: number of templates (outputs).

    Shape:
        input ``(inputSize)`` or ``(N, inputSize)``; output ``(outputSize)`` or ``(N, outputSize)``.
        ``weight`` (templates) and ``diagCov`` (their scalings, initialised to 1) are
        ``inputSize x outputSize``, one column per template.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.WeightedEuclidean(2, 1)
        >>> _ = m.weight.zero()
        >>> _ = m.diagCov.fill(2)
        >>> m.forward(torch.Tensor([3, 4])).numpy().tolist()
        [10.0]
    """

    def __init__(self, inputSize: int, outputSize: int) -> None:
        super().__init__()
        self.weight = torch.Tensor(inputSize, outputSize)
        self.gradWeight = torch.Tensor(inputSize, outputSize)
        self.diagCov = torch.Tensor(inputSize, outputSize)
        self.gradDiagCov = torch.Tensor(inputSize, outputSize)
        self.reset()

    def reset(self, stdv: float | None = None) -> WeightedEuclidean:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(0))
        self.weight.uniform(-stdv, stdv)
        self.diagCov.fill(1)
        return self

    def parameters(self):
        return [self.weight, self.diagCov], [self.gradWeight, self.gradDiagCov]

    def updateOutput(self, input):
        x = rows(self, input)
        cd = (x[:, :, None] - self.weight._a[None]) * self.diagCov._a[None]  # N x in x out
        n_out = cd.shape[2]
        self.output.resize(*((x.shape[0], n_out) if input.dim() == 2 else (n_out,)))
        np.sqrt(np.einsum("nij,nij->nj", cd, cd), out=self.output._a.reshape(x.shape[0], n_out))
        return self.output

    def _div(self, input, gradOutput) -> np.ndarray:
        self.updateOutput(input)
        y = self.output._a.reshape(-1, self.weight.size(1))
        return gradOutput._a.reshape(y.shape) / (y + EPS)

    def updateGradInput(self, input, gradOutput):
        x = rows(self, input)
        div = self._div(input, gradOutput)
        c2 = self.diagCov._a ** 2
        # sum_j div_j c_j^2 (x - w_j)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a.reshape(x.shape)
        np.multiply(x, np.matmul(div, c2.T), out=gi)
        gi -= np.matmul(div, (c2 * self.weight._a).T)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        x = rows(self, input)
        div = self._div(input, gradOutput)
        w, c = self.weight._a, self.diagCov._a
        xd = np.matmul(x.T, div)          # sum_n x_ni div_nj
        dsum = div.sum(0)        # sum_n div_nj
        # d y_j / d w_j = c_j^2 (w_j - x) / y_j ;  d y_j / d c_j = c_j (x - w_j)^2 / y_j
        self.gradWeight._a += scale * (c * c) * (w * dsum - xd)
        self.gradDiagCov._a += scale * c * (np.matmul((x * x).T, div) - 2 * w * xd + w * w * dsum)

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        saved = self.gradWeight, self.gradDiagCov
        self.gradWeight, self.gradDiagCov = self.weight.clone().zero(), self.diagCov.clone().zero()
        try:
            self.accGradParameters(input, gradOutput, 1)
            self.weight.add(-lr, self.gradWeight)
            self.diagCov.add(-lr, self.gradDiagCov)
        finally:
            self.gradWeight, self.gradDiagCov = saved

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.clearState()
        return super().type(typename, tensorCache)
