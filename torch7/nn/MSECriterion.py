"""nn.MSECriterion: mean squared error."""

from __future__ import annotations

import numpy as np

from .Criterion import Criterion


class MSECriterion(Criterion):
    """``loss = sum((input - target)^2)``, divided by the number of elements when ``sizeAverage``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.MSECriterion().forward(torch.Tensor([1, 2]), torch.Tensor([1, 4]))
        2.0
    """

    def __init__(self, sizeAverage: bool = True) -> None:
        super().__init__()
        self.sizeAverage = sizeAverage

    def updateOutput(self, input, target):
        if input.nElement() != target.nElement():
            raise ValueError(f"nn.MSECriterion: input and target sizes do not match "
                             f"({input.nElement()} vs {target.nElement()} elements)")
        d = input._a - target._a.reshape(input._a.shape)
        return self._loss(np.dot(d.reshape(-1), d.reshape(-1)), input, d.size if self.sizeAverage else None)

    def updateGradInput(self, input, target):
        norm = 2.0 / input.nElement() if self.sizeAverage else 2.0
        self.gradInput.resizeAs(input)
        np.subtract(input._a, target._a.reshape(input._a.shape), out=self.gradInput._a)
        self.gradInput._a *= norm
        return self.gradInput
