"""nn.Euclidean: distances from the input to ``outputSize`` learned templates."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch

from .Linear import _sz
from .Module import Module

EPS = 1e-7  # added to the distance in the backward pass (Torch7's guard against 0/0)


def rows(module, input) -> np.ndarray:
    """The input as a (N, inputSize) array (N = 1 for a vector), with its size checked."""
    x = input._a
    n_in = module.weight.size(0)
    if x.ndim not in (1, 2) or x.size == 0:
        raise ValueError(f"{module._typename}({n_in} -> {module.weight.size(1)}): expected a 1D or 2D input, "
                         f"got size {_sz(input)}")
    if x.shape[-1] != n_in:
        raise ValueError(f"{module._typename}({n_in} -> {module.weight.size(1)}): input of size {_sz(input)} "
                         f"has {x.shape[-1]} features, expected {n_in}")
    return x.reshape(-1, n_in)


class Euclidean(Module):
    """``y_j = || x - w_j ||``: the Euclidean distance from the input to each column of ``weight``.

    Args:
        inputSize: features per input sample.
        outputSize: number of templates (outputs).

    Shape:
        input ``(inputSize)`` or ``(N, inputSize)``; output ``(outputSize)`` or ``(N, outputSize)``.
        ``weight`` is ``inputSize x outputSize`` (one template per column).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Euclidean(2, 1)
        >>> _ = m.weight.zero()
        >>> m.forward(torch.Tensor([[3, 4]])).numpy().tolist()
        [[5.0]]
    """

    def __init__(self, inputSize: int, outputSize: int) -> None:
        super().__init__()
        self.weight = torch.Tensor(inputSize, outputSize)
        self.gradWeight = torch.Tensor(inputSize, outputSize)
        self.gradInput.resize(inputSize)
        self.output.resize(outputSize)
        self.fastBackward = True
        self.reset()

    def reset(self, stdv: float | None = None) -> Euclidean:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(0))
        self.weight.uniform(-stdv, stdv)
        return self

    def updateOutput(self, input):
        x = rows(self, input)
        diff = x[:, :, None] - self.weight._a[None]  # N x in x out
        shape = (x.shape[0], diff.shape[2]) if input.dim() == 2 else (diff.shape[2],)
        self.output.resize(*shape)
        np.sqrt(np.einsum("nij,nij->nj", diff, diff), out=self.output._a.reshape(x.shape[0], -1))
        return self.output

    def _div(self, input, gradOutput) -> np.ndarray:
        # gradOutput / (y + eps), as (N, out)
        if not self.fastBackward:
            self.updateOutput(input)
        y = self.output._a.reshape(-1, self.weight.size(1))
        return gradOutput._a.reshape(y.shape) / (y + EPS)

    def updateGradInput(self, input, gradOutput):
        x = rows(self, input)
        div = self._div(input, gradOutput)
        # sum_j div_j (x - w_j)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a.reshape(x.shape)
        np.multiply(x, div.sum(1, keepdims=True), out=gi)
        gi -= np.matmul(div, self.weight._a.T)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        x = rows(self, input)
        div = self._div(input, gradOutput)
        w = self.weight._a
        # d y_j / d w_j = (w_j - x) / y_j, summed over the batch
        self.gradWeight._a += scale * (w * div.sum(0) - np.matmul(x.T, div))

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.clearState()
        return super().type(typename, tensorCache)
