"""nn.DotProduct: the dot product of two vectors (or of two batches of vectors, row by row)."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core.backend import einsum_into

from ._tables import sz
from .Module import Module


class DotProduct(Module):
    """``output = sum(input[0] * input[1])``, per row for a batch.

    Shape:
        input ``[(D), (D)]`` -> output ``(1)``; ``[(B, D), (B, D)]`` -> ``(B)``. ``gradInput``
        is a list of two tensors sized like the inputs.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.DotProduct().forward([torch.Tensor([1, 2]), torch.Tensor([3, 4])]).tolist()
        [11.0]
        >>> nn.DotProduct().forward([torch.ones(3, 2), torch.ones(3, 2)]).tolist()
        [2.0, 2.0, 2.0]
    """

    def __init__(self) -> None:
        super().__init__()
        self.gradInput = [torch.Tensor(), torch.Tensor()]

    def _pair(self, input):
        if not isinstance(input, (list, tuple)) or len(input) != 2 or not all(torch.isTensor(x) for x in input):
            raise TypeError(f"nn.DotProduct: input must be a list of two tensors, got {type(input).__name__}")
        x, y = input
        if x._a.ndim not in (1, 2) or x._a.shape != y._a.shape or not x._a.size:
            raise ValueError(f"nn.DotProduct: inputs must be two vectors or two matrices of the same size, "
                             f"got {sz(x)} and {sz(y)}")
        return x, y

    def updateOutput(self, input):
        x, y = self._pair(input)
        if type(self.output) is not type(x):
            self.output = x.new()
        a, b = x._a.reshape(-1, x._a.shape[-1]), y._a.reshape(-1, y._a.shape[-1])
        einsum_into("ij,ij->i", a, b, out=self.output.resize(a.shape[0])._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, y = self._pair(input)
        gi = self.gradInput
        if len(gi) != 2 or any(type(g) is not type(x) for g in gi):
            gi = self.gradInput = [x.new(), x.new()]
        rows = 1 if x._a.ndim == 1 else x._a.shape[0]
        if gradOutput._a.size != rows:
            raise ValueError(f"nn.DotProduct: gradOutput of size {sz(gradOutput)} does not match {rows} rows")
        go = gradOutput._a.reshape(-1, 1) if x._a.ndim == 2 else gradOutput._a.reshape(())
        np.multiply(y._a, go, out=gi[0].resizeAs(x)._a)
        np.multiply(x._a, go, out=gi[1].resizeAs(y)._a)
        return self.gradInput
