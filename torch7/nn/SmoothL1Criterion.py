"""nn.SmoothL1Criterion: the Huber loss with threshold 1 (squared near zero, absolute beyond)."""

from __future__ import annotations

import numpy as np

from .Criterion import Criterion


class SmoothL1Criterion(Criterion):
    """Smooth L1 loss: ``0.5 * d^2`` where ``|d| < 1``, else ``|d| - 0.5``, with ``d = input - target``.

    The sum over all elements is divided by their number when ``sizeAverage``.

    Args:
        sizeAverage: average over the elements (default True) instead of summing.

    Shape:
        input any shape; target the same number of elements. The loss is a number.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.SmoothL1Criterion().forward(torch.Tensor([0, 3]), torch.Tensor([0.5, 0]))
        1.3125
    """

    def __init__(self, sizeAverage: bool = True) -> None:
        super().__init__()
        self.sizeAverage = sizeAverage

    def _diff(self, input, target) -> np.ndarray:
        if input.nElement() != target.nElement():
            raise ValueError(f"nn.SmoothL1Criterion: input of size {_size(input)} and target of size "
                             f"{_size(target)} have different numbers of elements")
        return input._a - target._a.reshape(input._a.shape).astype(input._a.dtype, copy=False)

    def updateOutput(self, input, target):
        d = np.abs(self._diff(input, target))
        return self._loss(np.where(d < 1, 0.5 * d * d, d - 0.5).sum(), input, d.size if self.sizeAverage else None)

    def updateGradInput(self, input, target):
        d = self._diff(input, target)
        self.gradInput.resizeAs(input)
        g = self.gradInput._a
        np.clip(d, -1, 1, out=g)
        if self.sizeAverage and d.size:
            g /= d.size
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
