"""nn.Replicate: repeats the input along a new dimension without copying (stride 0)."""

from __future__ import annotations

import numpy as np

from .Module import Module


class Replicate(Module):
    """Inserts a dimension of size ``nFeature`` at ``dim``; ``output`` is a stride-0 view of the input.

    The gradient sums ``gradOutput`` over the replicated dimension. Fields: ``nfeatures``, ``dim``
    (0-based; Torch7 stores it 1-based and the ``.t7`` reader converts), ``ndim``.

    Args:
        nFeature: number of copies.
        dim: position of the new dimension in the output (0-based, default 0; negative counts from
            the end of the output's dimensions).
        ndim: number of non-batch dimensions; inputs with more dimensions are batches and the new
            dimension goes at ``dim + 1``.

    Shape:
        input ``(d0, ..., dk)``; output with ``nFeature`` inserted at ``dim``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> x = torch.Tensor([1, 2, 3])
        >>> o = nn.Replicate(2).forward(x)
        >>> o.tolist()
        [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
        >>> _ = x.fill(7); o.tolist()  # a view: no copy was made
        [[7.0, 7.0, 7.0], [7.0, 7.0, 7.0]]
        >>> nn.Replicate(4, 0, 1).forward(torch.ones(5, 3)).size()  # ndim=1: dim 0 of each sample
        torch.Size([5, 4, 3])
    """

    def __init__(self, nFeature: int, dim: int = 0, ndim: int | None = None) -> None:
        super().__init__()
        self.nfeatures = nFeature
        self.dim = dim
        self.ndim = ndim

    def _rdim(self, input) -> int:
        nd = input.dim()
        d = self.dim
        if d < 0:
            d += nd + 1
        elif self.ndim is not None and nd > self.ndim:
            d += 1
        if not 0 <= d <= nd:
            raise IndexError(f"nn.Replicate: cannot replicate along dimension {self.dim} of an input of size "
                             f"{'x'.join(map(str, input.size())) or '[empty]'}")
        return d

    def updateOutput(self, input):
        d = self._rdim(input)
        if input.nElement() == 0:
            raise ValueError(f"{self._typename}: cannot replicate an empty tensor")
        sizes = list(input.size())
        strides = list(input.stride())
        sizes.insert(d, self.nfeatures)
        strides.insert(d, 0)
        if type(self.output) is not type(input):
            self.output = input.new()
        self.output.set(input.storage(), input.storageOffset(), sizes, strides)
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._rdim(input)
        self.gradInput.resizeAs(input)
        np.sum(gradOutput._a, axis=d, out=self.gradInput._a)
        return self.gradInput
