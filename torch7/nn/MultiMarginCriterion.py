"""nn.MultiMarginCriterion: multi-class hinge loss (one-versus-all margin)."""

from __future__ import annotations

import numbers

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Criterion import Criterion


class MultiMarginCriterion(Criterion):
    """Multi-class hinge loss: ``sum_{i != y} max(0, margin - x[y] + x[i])^p * w[y] / dim`` per sample.

    Summed over the samples and divided by their number when ``sizeAverage`` (a field, default True).
    Class labels are **0-based** (Torch7: 1-based).

    Args:
        p: 1 or 2, the power of the hinge (default 1).
        weights: optional 1-D tensor of ``dim`` class weights (the weight of the target class scales
            the sample's loss).
        margin: the margin (default 1).

    Shape:
        input ``(dim)`` with a number or 1-element tensor target, or ``(N, dim)`` with a target of N
        class indices in ``0 .. dim-1``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> c = nn.MultiMarginCriterion()
        >>> round(c.forward(torch.Tensor([0.1, 0.2, 0.4, 0.8]), 3), 6)
        0.325
    """

    def __init__(self, p: int = 1, weights=None, margin: float = 1) -> None:
        super().__init__()
        p = 1 if p is None else p
        if p not in (1, 2):
            raise ValueError(f"nn.MultiMarginCriterion: only p=1 and p=2 supported, got {p}")
        self.p = p
        self.margin = 1.0 if margin is None else margin
        self.sizeAverage = True
        if weights is not None:
            if not torch.isTensor(weights) or weights.dim() != 1:
                raise ValueError("nn.MultiMarginCriterion: weights input should be 1-D Tensor")
            self.weights = weights

    def _prepare(self, input, target):
        if input.dim() not in (1, 2):
            raise ValueError(f"nn.MultiMarginCriterion: vector or matrix expected, got input of size {_size(input)}")
        x = input._a.reshape(-1, input._a.shape[-1])
        n, dim = x.shape
        if isinstance(target, numbers.Number):
            t = backend.like(x, np.array([target]))
        elif torch.isTensor(target):
            t = target._a.reshape(-1)
        else:
            raise TypeError(f"nn.MultiMarginCriterion: target must be a number or a tensor, "
                            f"got {type(target).__name__}")
        if t.size != n or (input.dim() == 2 and torch.isTensor(target) and target.dim() != 1):
            raise ValueError(f"nn.MultiMarginCriterion: inconsistent target size: input of size {_size(input)} "
                             f"needs {n} class indices, got {t.size}")
        ti = t.astype(np.int64)
        if np.any(ti != t) or np.any(ti < 0) or np.any(ti >= dim):
            raise ValueError(f"nn.MultiMarginCriterion: target out of range: class indices must be integers in "
                             f"0..{dim - 1}, got {t.tolist()}")
        w = getattr(self, "weights", None)
        if w is not None:
            if w.nElement() != dim:
                raise ValueError(f"nn.MultiMarginCriterion: {w.nElement()} weights for {dim} classes")
            w = w._a.astype(x.dtype, copy=False)[ti]
        rows = backend.xp(x).arange(n)
        z = self.margin - x[rows, ti][:, None] + x
        active = z > 0
        active[rows, ti] = False
        return x, ti, w, z, active

    def updateOutput(self, input, target):
        x, _, w, z, active = self._prepare(input, target)
        h = np.where(active, z if self.p == 1 else z * z, 0)
        per = h.sum(axis=1)
        if w is not None:
            per = per * w
        total = float(per.sum()) / x.shape[1]
        self.output = total / x.shape[0] if self.sizeAverage else total
        return self.output

    def updateGradInput(self, input, target):
        x, ti, w, z, active = self._prepare(input, target)
        n, dim = x.shape
        g = 1.0 / dim / (n if self.sizeAverage else 1)
        grad = np.where(active, g if self.p == 1 else 2 * g * z, 0)
        if w is not None:
            grad = grad * w[:, None]
        grad[backend.xp(x).arange(n), ti] = -grad.sum(axis=1)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = grad.reshape(input._a.shape)
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
