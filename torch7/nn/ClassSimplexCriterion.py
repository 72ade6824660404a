"""nn.ClassSimplexCriterion: MSE to the vertex of a regular simplex that stands for the target class."""

from __future__ import annotations

import math
import numbers

import numpy as np

import torch7 as torch
from torch7._core import backend

from .MSECriterion import MSECriterion


def _regsplex(n: int) -> np.ndarray:
    """The ``n + 1`` unit-norm vertices (rows) of a regular simplex in ``R^n`` centred at the origin."""
    a = np.zeros((n + 1, n))
    for k in range(n):
        a[k, k] = 1.0 if k == 0 else math.sqrt(1 - float(np.dot(a[k, :k], a[k, :k])))
        # every later vertex gets the same k-th coordinate, fixed by the unit norm and the equal angles
        a[k + 1:, k] = (a[k, k] ** 2 - 1 - 1 / n) / a[k, k]
    return a


class ClassSimplexCriterion(MSECriterion):
    """Multi-class loss: the MSE between the input and the simplex vertex of the target class.

    Each of the ``nClasses`` classes is a unit vector, vertex of a regular simplex embedded in
    ``nClasses`` dimensions (``simplex`` holds them as rows; the last column is 0). Class labels
    are **0-based**. ``getPredictions(input)`` gives the dot products with every vertex and
    ``getTopPrediction(input)`` the 0-based index of the best class. ``sizeAverage`` is MSECriterion's.

    Args:
        nClasses: number of classes (an integer > 1).

    Shape:
        input ``(nClasses)`` with a number target, or ``(N, nClasses)`` with a 1-D target of ``N`` labels.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> c = nn.ClassSimplexCriterion(3)
        >>> c.forward(c.simplex[1].clone(), 1)
        0.0
    """

    def __init__(self, nClasses: int) -> None:
        super().__init__()
        if not isinstance(nClasses, numbers.Integral) or isinstance(nClasses, bool) or nClasses <= 1:
            raise ValueError(f"nn.ClassSimplexCriterion: required positive integer argument nClasses > 1, "
                             f"got {nClasses!r}")
        self.nClasses = int(nClasses)
        simp = _regsplex(self.nClasses - 1)
        self.simplex = torch.zeros(self.nClasses, self.nClasses)
        self.simplex._a[:, :simp.shape[1]] = simp
        self._target = torch.Tensor(self.nClasses)

    def _transformTarget(self, input, target) -> None:
        name = "nn.ClassSimplexCriterion"
        if isinstance(target, numbers.Real):
            labels = backend.like(self.simplex._a, np.array([target]))
            shape = (self.nClasses,)
        elif torch.isTensor(target):
            if target.dim() != 1:
                raise ValueError(f"{name}: target of size {_size(target)}: 1-D tensors of class indices only")
            labels = target._a
            shape = (labels.size, self.nClasses)
        else:
            raise TypeError(f"{name}: target must be a number or a 1-D tensor, got {type(target).__name__}")
        li = labels.astype(np.int64)
        if np.any(li != labels) or np.any(li < 0) or np.any(li >= self.nClasses):
            raise ValueError(f"{name}: target out of range: class indices must be integers in 0..{self.nClasses - 1}, "
                             f"got {labels.tolist()}")
        if type(self._target) is not type(self.simplex):
            self._target = self.simplex.new()
        self._target.resize(*shape)
        self._target._a[...] = self.simplex._a[li].reshape(shape)
        if input.nElement() != self._target.nElement():
            raise ValueError(f"{name}: input of size {_size(input)} does not match the target: "
                             f"{_size(self._target)} expected")

    def updateOutput(self, input, target):
        self._transformTarget(input, target)
        return super().updateOutput(input, self._target)

    def updateGradInput(self, input, target):
        self._transformTarget(input, target)
        return super().updateGradInput(input, self._target)

    def getPredictions(self, input):
        """Dot products of each sample with every class vertex: ``(N, nClasses)`` (a 1-D input is one sample)."""
        if input.dim() == 1:
            input = input.view(1, -1)
        return torch.mm(input, self.simplex.t())

    def getTopPrediction(self, input):
        """The 0-based index of the closest class per sample (a 1-D LongTensor)."""
        prod = self.getPredictions(input)
        _, idx = prod.max(prod.dim() - 1)
        return idx.view(-1)


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
