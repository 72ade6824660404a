"""nn.LeakyReLU: a ReLU with a small slope for negative inputs."""

from __future__ import annotations

import numpy as np

from torch7._core.backend import ufunc_where

from .functional.activation import grad_array, nonempty, out_like
from .Module import Module


class LeakyReLU(Module):
    """``f(x) = x`` if ``x > 0``, else ``negval * x``; the gradient uses the same slopes.

    Args:
        negval: slope for ``x <= 0`` (default 0.01).
        ip: write the output into the input and the gradient into gradOutput (default False).

    Shape:
        any shape; the output has the shape of the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.LeakyReLU(0.1)
        >>> m.forward(torch.Tensor([-2, 3])).tolist()
        [-0.2, 3.0]
        >>> nn.LeakyReLU()
        nn.LeakyReLU(0.01)
    """

    def __init__(self, negval: float = 1 / 100, ip: bool = False) -> None:
        super().__init__()
        if isinstance(negval, bool) or not isinstance(negval, (int, float, np.integer, np.floating)):
            raise TypeError(f"{self._typename}(value): the slope must be a number, got {negval!r}")
        if not isinstance(ip, (bool, np.bool_)):
            raise TypeError(f"{self._typename}: in-place flag must be boolean, got {ip!r}")
        self.negval = negval
        self.inplace = bool(ip)

    def updateOutput(self, input):
        a = nonempty(self, input)
        if self.inplace:
            ufunc_where(np.multiply, a, self.negval, out=a, where=a <= 0)
            self.output.set(input)
        else:
            o = out_like(self.output, a)
            np.copyto(o, a)
            ufunc_where(np.multiply, a, self.negval, out=o, where=a <= 0)
        return self.output

    def updateGradInput(self, input, gradOutput):
        a = input._a
        g = grad_array(self, input, gradOutput)
        if self.inplace:
            ufunc_where(np.multiply, g, self.negval, out=g, where=a <= 0)
            self.gradInput.set(gradOutput)
        else:
            gi = out_like(self.gradInput, a)
            np.copyto(gi, g)
            ufunc_where(np.multiply, g, self.negval, out=gi, where=a <= 0)
        return self.gradInput

    def __repr__(self) -> str:
        return f"{self._typename}({self.negval:g})"
