"""nn.ELU: the exponential linear unit."""

from __future__ import annotations

import numpy as np

from torch7._core.backend import ufunc_where

from .functional.activation import grad_array, nonempty, out_like
from .Module import Module


class ELU(Module):
    """``f(x) = x`` if ``x > 0``, else ``alpha (exp(x) - 1)``.

    The gradient is computed from the output, as THNN does: ``gradOutput * (f(x) + alpha)`` where
    ``f(x) <= 0``, else ``gradOutput``.

    Args:
        alpha: the saturation value for negative inputs is ``-alpha`` (default 1).
        inplace: write the output into the input and the gradient into gradOutput (default False).

    Shape:
        any shape; the output has the shape of the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.ELU()
        >>> [round(v, 4) for v in m.forward(torch.Tensor([-1, 0, 2])).tolist()]
        [-0.6321, 0.0, 2.0]
        >>> m
        nn.ELU (alpha:1.000000)
    """

    def __init__(self, alpha: float = 1, inplace: bool = False) -> None:
        super().__init__()
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)):
            raise TypeError(f"{self._typename}: alpha must be a number, got {alpha!r}")
        if not isinstance(inplace, (bool, np.bool_)):
            raise TypeError(f"{self._typename}: in-place flag must be boolean, got {inplace!r}")
        self.alpha = alpha
        self.inplace = bool(inplace)

    def updateOutput(self, input):
        a = nonempty(self, input)
        inplace = getattr(self, "inplace", False)
        o = a if inplace else out_like(self.output, a)
        neg = a <= 0
        if not inplace:
            np.copyto(o, a)
        ufunc_where(np.expm1, a, out=o, where=neg)
        ufunc_where(np.multiply, o, self.alpha, out=o, where=neg)
        if inplace:
            self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        o = self.output._a
        g = grad_array(self, self.output, gradOutput)
        inplace = getattr(self, "inplace", False)
        gi = g if inplace else out_like(self.gradInput, o)
        neg = o <= 0
        if not inplace:
            np.copyto(gi, g)
        ufunc_where(np.multiply, g, np.add(o, self.alpha), out=gi, where=neg)
        if inplace:
            self.gradInput.set(gradOutput)
        return self.gradInput

    def __repr__(self) -> str:
        return f"{self._typename} (alpha:{self.alpha:f})"
