"""nn.Abs: element-wise absolute value."""

from __future__ import annotations

import numpy as np

from torch7._core.backend import ufunc_where

from .Module import Module


class Abs(Module):
    """``output = |input|`` element-wise.

    The gradient is ``gradOutput`` where ``input >= 0`` and ``-gradOutput`` elsewhere
    (Torch7's convention: the slope at 0 is +1).

    Shape:
        any shape; the output has the shape of the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.Abs().forward(torch.Tensor([-2, 3])).numpy().tolist()
        [2.0, 3.0]
    """

    def updateOutput(self, input):
        self.output.resizeAs(input)
        np.abs(input._a, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input)
        g = gradOutput._a.reshape(input._a.shape)
        np.copyto(self.gradInput._a, g)
        ufunc_where(np.negative, g, out=self.gradInput._a, where=input._a < 0)
        return self.gradInput
