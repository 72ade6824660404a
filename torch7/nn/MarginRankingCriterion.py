"""nn.MarginRankingCriterion: hinge loss on the ranking of two scores."""

from __future__ import annotations

import numbers

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Criterion import Criterion


class MarginRankingCriterion(Criterion):
    """Ranking hinge loss ``max(0, -y * (x1 - x2) + margin)`` for an input pair ``[x1, x2]``.

    ``y = 1`` asks for ``x1`` to rank above ``x2`` by at least ``margin``, ``y = -1`` the reverse.
    With a number ``y`` the input is one pair of 1-element tensors; with a tensor ``y`` of size N the
    input is two tensors of N scores, and the loss is summed (divided by N when ``sizeAverage``).

    Args:
        margin: the required gap (default 1).

    Shape:
        input ``[x1, x2]``, each ``(1)`` (target a number) or ``(N)`` (target a tensor of N values
        +1/-1); ``gradInput`` is a list of two tensors shaped like ``x1``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> c = nn.MarginRankingCriterion(0.5)
        >>> c.forward([torch.Tensor([1, 3]), torch.Tensor([2, 1])], torch.Tensor([1, 1]))
        0.75
        >>> c.backward([torch.Tensor([1, 3]), torch.Tensor([2, 1])], torch.Tensor([1, 1]))[0].tolist()
        [-0.5, 0.0]
    """

    def __init__(self, margin: float = 1) -> None:
        super().__init__()
        self.margin = margin
        self.gradInput = [torch.Tensor(1), torch.Tensor(1)]
        self.sizeAverage = True

    def _pair(self, input, y):
        if not isinstance(input, (list, tuple)) or len(input) != 2 or not all(torch.isTensor(t) for t in input):
            raise TypeError("nn.MarginRankingCriterion: input must be a list of two tensors [x1, x2]")
        x1, x2 = input
        if x1.nElement() != x2.nElement():
            raise ValueError(f"nn.MarginRankingCriterion: x1 has {x1.nElement()} elements, x2 has {x2.nElement()}")
        if isinstance(y, numbers.Number):
            if x1.nElement() < 1:
                raise ValueError("nn.MarginRankingCriterion: empty input")
            a1, a2 = x1._a.reshape(-1)[:1], x2._a.reshape(-1)[:1]
            return a1, a2, backend.like(a1, np.array([y], dtype=x1._a.dtype)), 1
        if not torch.isTensor(y):
            raise TypeError(f"nn.MarginRankingCriterion: target must be a number or a tensor, "
                            f"got {type(y).__name__}")
        if y.nElement() != x1.nElement():
            raise ValueError(f"nn.MarginRankingCriterion: target has {y.nElement()} elements, "
                             f"input has {x1.nElement()}")
        n = y.size(0) if y.dim() > 0 else 1
        return x1._a, x2._a, y._a.reshape(x1._a.shape).astype(x1._a.dtype, copy=False), n

    def updateOutput(self, input, y):
        a1, a2, yy, n = self._pair(input, y)
        dist = self.margin - yy * (a1 - a2)
        loss = float(np.maximum(dist, 0).sum())
        self.output = loss / n if self.sizeAverage and not isinstance(y, numbers.Number) else loss
        return self.output

    def updateGradInput(self, input, y):
        a1, a2, yy, n = self._pair(input, y)
        batch = not isinstance(y, numbers.Number)
        mask = (self.margin - yy * (a1 - a2)) >= 0
        scale = 1.0 / n if self.sizeAverage and batch else 1.0
        for i, sign in ((0, -1), (1, 1)):
            gi = self.gradInput[i] if i < len(self.gradInput) else None
            if not torch.isTensor(gi) or type(gi) is not type(input[i]):
                gi = input[i].new()
            gi.resize(*(input[i].size() if batch else (1,)))
            gi._a[...] = np.where(mask, sign * scale * yy, 0).reshape(gi._a.shape)
            if i < len(self.gradInput):
                self.gradInput[i] = gi
            else:
                self.gradInput.append(gi)
        return self.gradInput
