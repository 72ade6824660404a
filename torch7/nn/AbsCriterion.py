"""nn.AbsCriterion: mean (or sum) absolute error."""

from __future__ import annotations

import numpy as np

from .Criterion import Criterion


class AbsCriterion(Criterion):
    """``loss = sum(|input - target|)``, divided by the number of elements when ``sizeAverage``.

    The gradient is ``+1`` where ``input - target >= 0`` and ``-1`` elsewhere (Torch7 takes ``+1``
    at zero), scaled by ``1/n`` when ``sizeAverage``.

    Args:
        sizeAverage: average over the elements (default True) instead of summing.

    Shape:
        input any shape; target the same number of elements. The loss is a number.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.AbsCriterion().forward(torch.Tensor([1, 2]), torch.Tensor([2, 5]))
        2.0
    """

    def __init__(self, sizeAverage: bool = True) -> None:
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def _diff(self, input, target) -> np.ndarray:
        if input.nElement() != target.nElement():
            raise ValueError(f"nn.AbsCriterion: input of size {_size(input)} and target of size {_size(target)} "
                             f"have different numbers of elements")
        return input._a - target._a.reshape(input._a.shape).astype(input._a.dtype, copy=False)

    def updateOutput(self, input, target):
        d = self._diff(input, target)
        return self._loss(np.abs(d).sum(dtype=np.float64), input, d.size if self.sizeAverage else None)

    def updateGradInput(self, input, target):
        d = self._diff(input, target)
        norm = 1.0 / d.size if self.sizeAverage and d.size else 1.0
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(d >= 0, norm, -norm))
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
