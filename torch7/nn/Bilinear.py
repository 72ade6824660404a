"""nn.Bilinear: ``y_k = x1^T W_k x2 + b_k`` on a pair of inputs."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core.backend import einsum_into

from .Linear import _sz
from .Module import Module


class Bilinear(Module):
    """Bilinear map of two inputs: ``output[n, k] = input[0][n] @ weight[k] @ input[1][n] + bias[k]``.

    Args:
        inputSize1: features of the first input.
        inputSize2: features of the second input.
        outputSize: number of outputs.
        bias: keep a bias (default True).

    Shape:
        input ``[(N, inputSize1), (N, inputSize2)]`` (a list; a pair of vectors is also accepted
        as one sample); output ``(N, outputSize)`` (or ``(outputSize)``). ``weight`` is
        ``outputSize x inputSize1 x inputSize2``; ``gradInput`` is a list of two tensors.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Bilinear(3, 4, 2)
        >>> m.forward([torch.randn(5, 3), torch.randn(5, 4)]).size()
        torch.Size([5, 2])
        >>> repr(m)  # Torch7's print, trailing space included
        'nn.Bilinear(3x4 -> 2) '
    """

    def __init__(self, inputSize1: int, inputSize2: int, outputSize: int, bias: bool = True) -> None:
        for v in (inputSize1, inputSize2, outputSize):
            if not isinstance(v, (int, np.integer)) or v <= 0:
                raise ValueError("nn.Bilinear: inputSize1, inputSize2 and outputSize must be positive integers, "
                                 f"got {inputSize1}, {inputSize2}, {outputSize}")
        super().__init__()
        self.weight = torch.Tensor(outputSize, inputSize1, inputSize2)
        self.gradWeight = torch.Tensor(outputSize, inputSize1, inputSize2)
        if bias is not None and bias is not False:
            self.bias = torch.Tensor(outputSize)
            self.gradBias = torch.Tensor(outputSize)
        self.gradInput = [torch.Tensor(), torch.Tensor()]
        self.reset()

    def reset(self, stdv: float | None = None) -> Bilinear:
        if stdv is not None:
            if not stdv > 0:
                raise ValueError(f"nn.Bilinear: standard deviation should be a positive number, got {stdv}")
            stdv = stdv * math.sqrt(3)
        else:
            stdv = 1.0 / math.sqrt(self.weight.size(1))
        self.weight.uniform(-stdv, stdv)
        if getattr(self, "bias", None) is not None:
            self.bias.uniform(-stdv, stdv)
        return self

    def _name(self) -> str:
        k, i, j = self.weight.size()
        return f"{self._typename}({i}x{j} -> {k})"

    def _inputs(self, input) -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            raise TypeError(f"{self._name()}: input should be a list of two tensors")
        a, b = input[0]._a, input[1]._a
        if a.ndim != b.ndim or a.ndim not in (1, 2) or a.size == 0 or b.size == 0:
            raise ValueError(f"{self._name()}: inputs should be two matrices (or two vectors), got sizes "
                             f"{_sz(input[0])} and {_sz(input[1])}")
        a, b = a.reshape(-1, a.shape[-1]), b.reshape(-1, b.shape[-1])
        _, n1, n2 = self.weight._a.shape
        if a.shape[0] != b.shape[0] or a.shape[1] != n1 or b.shape[1] != n2:
            raise ValueError(f"{self._name()}: inputs of sizes {_sz(input[0])} and {_sz(input[1])} do not match "
                             f"(expected N x {n1} and N x {n2})")
        return a, b

    def updateOutput(self, input):
        a, b = self._inputs(input)
        w = self.weight._a
        n_out = w.shape[0]
        self.output.resize(*((a.shape[0], n_out) if input[0].dim() == 2 else (n_out,)))
        out = self.output._a.reshape(a.shape[0], n_out)
        einsum_into("ni,kij,nj->nk", a, w, b, optimize=True, out=out)
        if getattr(self, "bias", None) is not None:
            out += self.bias._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b = self._inputs(input)
        w = self.weight._a
        g = gradOutput._a.reshape(a.shape[0], w.shape[0])
        if len(self.gradInput) != 2:
            self.gradInput = [input[0].new(), input[1].new()]
        g1, g2 = self.gradInput
        g1.resizeAs(input[0])
        g2.resizeAs(input[1])
        einsum_into("nk,kij,nj->ni", g, w, b, optimize=True, out=g1._a.reshape(a.shape))
        einsum_into("nk,kij,ni->nj", g, w, a, optimize=True, out=g2._a.reshape(b.shape))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        a, b = self._inputs(input)
        g = gradOutput._a.reshape(a.shape[0], self.weight._a.shape[0])
        self.gradWeight._a += scale * np.einsum("nk,ni,nj->kij", g, a, b, optimize=True)
        if getattr(self, "bias", None) is not None:
            self.gradBias._a += scale * g.sum(0)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)

    def clearState(self) -> Bilinear:
        for k in ("buff1", "buff2"):
            if getattr(self, k, None) is not None:
                getattr(self, k).set()
        return super().clearState()

    def __repr__(self) -> str:
        # Torch7's format, trailing space included: '(%dx%d -> %d) %s'
        return f"{self._name()} {'' if getattr(self, 'bias', None) is not None else ' without bias'}"
