"""nn.Linear: ``y = W x + b``."""

from __future__ import annotations

import math

import torch7 as torch

from .Module import Module


class Linear(Module):
    """Affine map from ``inputSize`` to ``outputSize`` features.

    Args:
        inputSize: features per input sample.
        outputSize: features per output sample.
        bias: keep a bias (default True).

    Shape:
        input ``(inputSize)`` or ``(N, inputSize)``; output ``(outputSize)`` or ``(N, outputSize)``.
        ``weight`` is ``outputSize x inputSize``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Linear(10, 5)
        >>> m.forward(torch.ones(3, 10)).size()
        torch.Size([3, 5])
        >>> m
        nn.Linear(10 -> 5)
    """

    def __init__(self, inputSize: int, outputSize: int, bias: bool = True) -> None:
        super().__init__()
        self.weight = torch.Tensor(outputSize, inputSize)
        self.gradWeight = torch.Tensor(outputSize, inputSize)
        if bias:
            self.bias = torch.Tensor(outputSize)
            self.gradBias = torch.Tensor(outputSize)
        self.reset()

    def noBias(self) -> Linear:
        self.bias = None
        self.gradBias = None
        return self

    def reset(self, stdv: float | None = None) -> Linear:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(1))
        self.weight.uniform(-stdv, stdv)
        if getattr(self, "bias", None) is not None:
            self.bias.uniform(-stdv, stdv)
        return self

    def updateOutput(self, input):
        a = input._a
        w = self.weight._a
        if a.ndim == 1 and a.size:
            self.output.resize(w.shape[0])
            self._check(a.shape[0], input)
            self.output.mv(self.weight, input)
            if getattr(self, "bias", None) is not None:
                self.output.add(self.bias)
        elif a.ndim == 2 and a.size:
            self._check(a.shape[1], input)
            self.output.resize(a.shape[0], w.shape[0])
            self.output.mm(input, self.weight.t())
            if getattr(self, "bias", None) is not None:
                self.output._a += self.bias._a  # broadcast over the batch: no ones buffer needed
        else:
            raise ValueError(f"{self._typename}: input must be a vector or a matrix, got size {_sz(input)}")
        return self.output

    def _check(self, n: int, input) -> None:
        if n != self.weight._a.shape[1]:
            raise ValueError(f"{self._typename}({self.weight.size(1)} -> {self.weight.size(0)}): input of size "
                             f"{_sz(input)} has {n} features, expected {self.weight.size(1)}")

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:  # Torch7's `gradInput = nil`: a first layer whose input gradient nobody reads
            return None
        self.gradInput.resizeAs(input)
        if input._a.ndim == 1:
            self.gradInput.mv(self.weight.t(), gradOutput)
        else:
            self.gradInput.mm(gradOutput, self.weight)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        if input._a.ndim == 1:
            self.gradWeight.addr(scale, gradOutput, input)
            if getattr(self, "bias", None) is not None:
                self.gradBias.add(scale, gradOutput)
        else:
            if scale == 1:
                self.gradWeight.addmm(gradOutput.t(), input)
            else:
                self.gradWeight.addmm(scale, gradOutput.t(), input)
            if getattr(self, "bias", None) is not None:
                self.gradBias._a += scale * gradOutput._a.sum(0) if scale != 1 else gradOutput._a.sum(0)

    def clearState(self) -> Linear:
        if hasattr(self, "addBuffer"):
            self.addBuffer.set()
        return super().clearState()

    def __repr__(self) -> str:
        s = f"{self._typename}({self.weight.size(1)} -> {self.weight.size(0)})"
        if getattr(self, "bias", None) is None:
            s += " without bias"
        return s


def _sz(t) -> str:
    return "x".join(str(s) for s in t.size()) or "[empty]"
