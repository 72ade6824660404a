"""nn.BCECriterion: binary cross-entropy between probabilities and 0/1 targets."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Criterion import Criterion

EPS = 1e-12


class BCECriterion(Criterion):
    """``loss = -sum(w * (t * log(x + eps) + (1 - t) * log(1 - x + eps)))`` with ``eps = 1e-12``.

    The sum is divided by the number of elements when ``sizeAverage``. The gradient is
    ``-w * (t - x) / ((1 - x + eps) * (x + eps))``. Inputs must lie in ``[0, 1]`` (e.g. after ``nn.Sigmoid``).

    Args:
        weights: optional 1-D tensor of weights: one per element for a 1-D input, one per column
            (broadcast over the rows) for a 2-D batch input.
        sizeAverage: average over the elements (default True) instead of summing.

    Shape:
        input ``(n)`` or ``(N, n)`` (no weights: any shape); target the same number of elements.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> round(nn.BCECriterion().forward(torch.Tensor([0.5, 0.5]), torch.Tensor([1, 0])), 6)
        0.693147
    """

    def __init__(self, weights=None, sizeAverage: bool = True) -> None:
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None and not torch.isTensor(weights):
            raise TypeError(f"nn.BCECriterion: weights must be a 1-D tensor, got {type(weights).__name__}")
        if weights is not None and weights.dim() != 1:
            raise ValueError("nn.BCECriterion: weights input should be 1-D Tensor")
        self.weights = weights

    def _prepare(self, input, target):
        if not torch.isTensor(target):
            raise TypeError(f"nn.BCECriterion: target must be a tensor, got {type(target).__name__}")
        if input.nElement() != target.nElement():
            raise ValueError(f"nn.BCECriterion: input of size {_size(input)} and target of size {_size(target)} "
                             f"have different numbers of elements")
        x = input._a
        if x.size and not backend.capturing() and (x.min() < 0 or x.max() > 1):  # a capture cannot read them
            raise ValueError(f"nn.BCECriterion: input values should be between 0 and 1, got "
                             f"{float(x.min()):g}..{float(x.max()):g}")
        return x, target._a.reshape(x.shape), self._weights(input)

    def _weights(self, input):
        w = self.weights
        if w is None:
            return None
        wa = w._a
        if input.dim() == 1 and wa.size == input.nElement():
            return wa
        if input.dim() == 2 and wa.size == input.size(1):
            return wa.reshape(1, -1)
        raise ValueError(f"nn.BCECriterion: {wa.size} weights do not fit an input of size {_size(input)} "
                         f"(one weight per element of a 1-D input or per column of a 2-D input)")

    def updateOutput(self, input, target):
        x, t, w = self._prepare(input, target)
        x = x.astype(np.float64)
        terms = t * np.log(x + EPS) + (1 - t) * np.log(1 - x + EPS)
        if w is not None:
            terms = terms * w
        return self._loss(-terms.sum(), input, x.size if self.sizeAverage else None)

    def updateGradInput(self, input, target):
        x, t, w = self._prepare(input, target)
        norm = 1.0 / x.size if self.sizeAverage and x.size else 1.0
        g = -norm * (t - x) / ((1 - x + EPS) * (x + EPS))
        if w is not None:
            g = g * w
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, g)
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
