"""nn.DistKLDivCriterion: Kullback-Leibler divergence between a target distribution and log-probabilities."""

from __future__ import annotations

import numpy as np

from torch7._core.backend import ufunc_where

from .Criterion import Criterion


class DistKLDivCriterion(Criterion):
    """``loss = sum(target * (log(target) - input))`` over the elements where ``target > 0``.

    ``input`` holds log-probabilities (e.g. from ``nn.LogSoftMax``) and ``target`` probabilities.
    When ``sizeAverage`` (the default, a field) the sum is divided by the number of elements
    (not by the batch size). The gradient is ``-target`` where ``target > 0``, else 0.

    Shape:
        input any shape; target the same number of elements. The loss is a number.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> c = nn.DistKLDivCriterion()
        >>> c.sizeAverage = False
        >>> c.forward(torch.Tensor([0, -1]), torch.Tensor([1, 0]))
        0.0
    """

    def __init__(self) -> None:
        super().__init__()
        self.sizeAverage = True

    def _target(self, input, target) -> np.ndarray:
        if input.nElement() != target.nElement():
            raise ValueError(f"nn.DistKLDivCriterion: input of size {_size(input)} and target of size "
                             f"{_size(target)} have different numbers of elements")
        return target._a.reshape(input._a.shape)

    def updateOutput(self, input, target):
        t = self._target(input, target).astype(np.float64)
        pos = t > 0
        # log only where target > 0: zero-probability targets contribute nothing
        logt = ufunc_where(np.log, t, out=np.zeros_like(t), where=pos)
        loss = float(np.where(pos, t * (logt - input._a), 0.0).sum())
        self.output = loss / t.size if self.sizeAverage and t.size else loss
        return self.output

    def updateGradInput(self, input, target):
        t = self._target(input, target)
        norm = 1.0 / t.size if self.sizeAverage and t.size else 1.0
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(t > 0, -norm * t, 0.0))
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
