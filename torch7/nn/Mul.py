"""nn.Mul: multiply the input by one learnable scalar."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch

from .Module import Module


class Mul(Module):
    """``output = weight[0] * input`` with a single learned factor.

    Shape:
        any shape; output of the input's shape. ``weight`` is ``(1)``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Mul()
        >>> _ = m.weight.fill(3)
        >>> m.forward(torch.Tensor([1, 2])).numpy().tolist()
        [3.0, 6.0]
    """

    def __init__(self) -> None:
        super().__init__()
        self.weight = torch.Tensor(1)
        self.gradWeight = torch.Tensor(1)
        self.reset()

    def reset(self, stdv: float | None = None) -> Mul:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(0))
        self.weight.uniform(-stdv, stdv)
        return self

    def updateOutput(self, input):
        self.output.resizeAs(input)
        np.multiply(input._a, self.weight._a[0], out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        np.multiply(gradOutput._a.reshape(gi.shape), self.weight._a[0], out=gi)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        x = input._a.reshape(-1)
        d = np.dot(x, gradOutput._a.reshape(x.shape))
        # on the host a number (the product in double, as before); on a device a 0-d array that stays there
        self.gradWeight._a[0] += scale * (float(d) if isinstance(d, np.generic) else d)
