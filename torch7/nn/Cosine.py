"""nn.Cosine: cosine similarity between the input and each row of a learned weight."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch

from .Linear import _sz
from .Module import Module

EPS = 1e-12  # added to both norms, as Torch7 does


class Cosine(Module):
    """``y_j = <w_j, x> / ((||w_j|| + eps) (||x|| + eps))`` for each row ``w_j`` of ``weight``.

    Args:
        inputSize: features per input sample.
        outputSize: number of weight rows (outputs).

    Shape:
        input ``(inputSize)`` or ``(N, inputSize)``; output ``(outputSize)`` or ``(N, outputSize)``.
        ``weight`` is ``outputSize x inputSize``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Cosine(2, 1)
        >>> _ = m.weight.copy(torch.Tensor([[1, 0]]))
        >>> round(m.forward(torch.Tensor([1, 1]))[0], 6)
        0.707107
    """

    def __init__(self, inputSize: int, outputSize: int) -> None:
        super().__init__()
        self.weight = torch.Tensor(outputSize, inputSize)
        self.gradWeight = torch.Tensor(outputSize, inputSize)
        self.reset()

    def reset(self, stdv: float | None = None) -> Cosine:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(0))
        self.weight.uniform(-stdv, stdv)
        return self

    def _rows(self, input) -> np.ndarray:
        x = input._a
        n_out, n_in = self.weight.size()
        if x.ndim not in (1, 2) or x.size == 0:
            raise ValueError(f"nn.Cosine({n_in} -> {n_out}): input must be a vector or a matrix, "
                             f"got size {_sz(input)}")
        if x.shape[-1] != n_in:
            raise ValueError(f"nn.Cosine({n_in} -> {n_out}): input of size {_sz(input)} has {x.shape[-1]} "
                             f"features, expected {n_in}")
        return x.reshape(-1, n_in)

    def _norms(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = self.weight._a
        wn = np.sqrt(np.einsum("ij,ij->i", w, w)) + EPS       # (out,)
        xn = np.sqrt(np.einsum("ij,ij->i", x, x))[:, None] + EPS  # (N, 1)
        return wn, xn

    def updateOutput(self, input):
        x = self._rows(input)
        wn, xn = self._norms(x)
        n_out = wn.shape[0]
        self.output.resize(*((x.shape[0], n_out) if input.dim() == 2 else (n_out,)))
        out = self.output._a.reshape(x.shape[0], n_out)
        np.matmul(x, self.weight._a.T, out=out)
        out /= wn
        out /= xn
        return self.output

    def updateGradInput(self, input, gradOutput):
        # dy_j/dx = w_j / (|w_j| |x|) - y_j x / |x|^2
        x = self._rows(input)
        wn, xn = self._norms(x)
        y = self.output._a.reshape(x.shape[0], -1)
        g = gradOutput._a.reshape(y.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a.reshape(x.shape)
        np.matmul(g / wn, self.weight._a, out=gi)
        gi -= x * ((g * y).sum(1, keepdims=True) / xn)
        gi /= xn
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        # dy_j/dw_j = x / (|w_j| |x|) - y_j w_j / |w_j|^2
        x = self._rows(input)
        wn, xn = self._norms(x)
        y = self.output._a.reshape(x.shape[0], -1)
        g = gradOutput._a.reshape(y.shape)
        w = self.weight._a
        grad = (np.matmul(g.T, x / xn) - w * (g * y).sum(0)[:, None] / wn[:, None]) / wn[:, None]
        self.gradWeight._a += scale * grad

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.clearState()
        return super().type(typename, tensorCache)
