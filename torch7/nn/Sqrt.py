"""nn.Sqrt: element-wise square root."""

from __future__ import annotations

import numpy as np

from torch7._core.backend import ufunc_where

from .Module import Module


class Sqrt(Module):
    """``output = sqrt(input + eps)`` element-wise.

    ``gradInput = 0.5 * gradOutput / output``, and 0 where the output is 0 (as Torch7's kernel).

    Args:
        b: ``eps``, added to the input before the root (default 0).

    Shape:
        any shape; the output has the shape of the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.Sqrt().forward(torch.Tensor([4, 9])).numpy().tolist()
        [2.0, 3.0]
    """

    eps = 0  # files written before the field existed

    def __init__(self, b: float = 0) -> None:
        super().__init__()
        self.eps = b or 0

    def updateOutput(self, input):
        self.output.resizeAs(input)
        out = self.output._a
        if self.eps:
            np.add(input._a, self.eps, out=out)
            np.sqrt(out, out=out)
        else:
            np.sqrt(input._a, out=out)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input)
        gi, out = self.gradInput._a, self.output._a
        gi.fill(0)
        ufunc_where(np.divide, gradOutput._a.reshape(out.shape), out, out=gi, where=out != 0)
        gi *= 0.5
        return self.gradInput
