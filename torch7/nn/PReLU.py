"""nn.PReLU: a leaky ReLU whose negative slope is learnt (one shared or one per channel)."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core.backend import ufunc_where

from . import utils
from .functional.activation import grad_array, nonempty, out_like, size_str
from .Module import Module


class PReLU(Module):
    """``f(x) = max(0, x) + a * min(0, x)`` with learnt slopes ``a`` (``weight``, initialised to 0.25).

    With ``nOutputPlane = 0`` one slope is shared by every element; otherwise there is one slope
    per channel: dim 1 of an input with 2 or more dimensions (dim 0 is the batch, the trailing
    dims are spatial), and each element of a 1-D input.

    Args:
        nOutputPlane: number of channels, or 0 for a single shared slope (default 0).

    Shape:
        any shape; for ``nOutputPlane > 0``, ``(nOutputPlane)`` or ``(N, nOutputPlane, *)``.
        ``weight`` is ``(max(nOutputPlane, 1))``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.PReLU()
        >>> m.forward(torch.Tensor([-4, 2])).tolist()
        [-1.0, 2.0]
        >>> nn.PReLU(3).forward(torch.ones(2, 3, 4, 4).mul(-1)).size()
        torch.Size([2, 3, 4, 4])
    """

    def __init__(self, nOutputPlane: int = 0) -> None:
        super().__init__()
        self.nOutputPlane = nOutputPlane or 0
        n = self.nOutputPlane or 1
        self.weight = torch.Tensor(n).fill(0.25)
        self.gradWeight = torch.Tensor(n).zero()
        self.gradWeightBuf = torch.Tensor()
        self.gradWeightBuf2 = torch.Tensor()

    def _slopes(self, a: np.ndarray, input) -> np.ndarray:
        """The weight shaped to broadcast against ``a`` along the channel dimension."""
        w = self.weight._a
        n = self.nOutputPlane
        if n == 0:
            return w[0]
        cdim = 1 if a.ndim > 1 else 0
        if a.shape[cdim] != n:
            raise ValueError(f"{self._typename}: wrong number of input planes: expected {n} but got "
                             f"{a.shape[cdim]} (input of size {size_str(input)})")
        shape = [1] * a.ndim
        shape[cdim] = n
        return w[:n].reshape(shape)

    def updateOutput(self, input):
        a = nonempty(self, input)
        w = self._slopes(a, input)
        o = out_like(self.output, a)
        np.copyto(o, a)
        ufunc_where(np.multiply, a, w, out=o, where=a <= 0)
        return self.output

    def updateGradInput(self, input, gradOutput):
        a = input._a
        w = self._slopes(a, input)
        g = grad_array(self, input, gradOutput)
        gi = out_like(self.gradInput, a)
        np.copyto(gi, g)
        ufunc_where(np.multiply, g, w, out=gi, where=a <= 0)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        a = input._a
        self._slopes(a, input)
        g = grad_array(self, input, gradOutput)
        prod = np.multiply(a, g)
        prod[a > 0] = 0
        gw = self.gradWeight._a
        if self.nOutputPlane == 0:
            gw[0] += scale * prod.sum()
        else:
            axes = tuple(d for d in range(a.ndim) if d != (1 if a.ndim > 1 else 0))
            gw[:self.nOutputPlane] += scale * prod.sum(axis=axes)

    def clearState(self) -> PReLU:
        utils.clear(self, "gradWeightBuf", "gradWeightBuf2")
        return super().clearState()
