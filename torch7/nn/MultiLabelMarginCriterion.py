"""nn.MultiLabelMarginCriterion: multi-class multi-label hinge loss."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Criterion import Criterion


class MultiLabelMarginCriterion(Criterion):
    """Hinge loss between the scores of each sample's target classes and those of its other classes.

    For a sample ``x`` of ``dim`` scores whose target classes are ``y``:
    ``loss = sum_{j in y} sum_{i not in y} max(0, 1 - (x[j] - x[i])) / dim``, summed over the
    samples and divided by their number when ``sizeAverage`` (a field, default True).

    Targets: a tensor shaped like the input whose leading entries are the **0-based** target class
    indices, ended by the first ``-1`` (the rest is ignored): ``[3, 0, -1, 1]`` means classes 3 and 0.
    Torch7 used 1-based indices ended by 0; this is the same encoding shifted by one (and the one
    PyTorch's ``MultiLabelMarginLoss`` uses). ``isTarget`` holds the 0/1 mask of target classes
    after each forward.

    Shape:
        input ``(dim)`` or ``(N, dim)``; target the same shape, integer values in ``-1 .. dim-1``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> c = nn.MultiLabelMarginCriterion()
        >>> round(c.forward(torch.Tensor([0.1, 0.2, 0.4, 0.8]), torch.LongTensor([3, 0, -1, 1])), 6)
        0.85
    """

    def __init__(self) -> None:
        super().__init__()
        self.sizeAverage = True
        self.isTarget = torch.Tensor()

    def _prepare(self, input, target):
        """Return (x as N x dim, targets as N x dim int64, valid mask, isTarget mask as bool)."""
        if not torch.isTensor(target):
            raise TypeError(f"nn.MultiLabelMarginCriterion: target must be a tensor, got {type(target).__name__}")
        if input.dim() not in (1, 2):
            raise ValueError(f"nn.MultiLabelMarginCriterion: vector or matrix expected, got input of size "
                             f"{_size(input)}")
        if tuple(target.size()) != tuple(input.size()):
            raise ValueError(f"nn.MultiLabelMarginCriterion: target of size {_size(target)} does not match "
                             f"input of size {_size(input)}")
        x = input._a.reshape(-1, input._a.shape[-1])
        dim = x.shape[1]
        t = target._a.reshape(x.shape)
        ti = t.astype(np.int64)
        if t.size and (np.any(ti != t) or ti.min() < -1 or ti.max() >= dim):
            raise ValueError(f"nn.MultiLabelMarginCriterion: target out of range: class indices must be "
                             f"integers in 0..{dim - 1}, ended by -1")
        valid = np.cumprod(ti >= 0, axis=1).astype(bool)  # entries before the first -1
        xp = backend.xp(x)
        ist = xp.zeros(x.shape, bool)
        rows = xp.broadcast_to(xp.arange(x.shape[0])[:, None], x.shape)
        ist[rows[valid], ti[valid]] = True
        return x, np.where(valid, ti, 0), valid, ist

    def _hinge(self, x, ti, valid, ist):
        """Yield (target column j, active N x dim mask) for each target position j."""
        rows = backend.xp(x).arange(x.shape[0])
        for j in range(int(valid.sum(axis=1).max()) if valid.size else 0):
            xt = x[rows, ti[:, j]]
            z = 1 - xt[:, None] + x
            yield j, (z > 0) & ~ist & valid[:, j:j + 1], z

    def updateOutput(self, input, target):
        x, ti, valid, ist = self._prepare(input, target)
        self.isTarget = self.isTarget if type(self.isTarget) is type(input) else input.new()
        self.isTarget.resizeAs(input)
        self.isTarget._a[...] = ist.reshape(input._a.shape)
        total = 0.0
        for _, active, z in self._hinge(x, ti, valid, ist):
            total += float(z[active].sum())
        total /= x.shape[1]
        if self.sizeAverage:
            total /= x.shape[0]
        self.output = total
        return self.output

    def updateGradInput(self, input, target):
        x, ti, valid, ist = self._prepare(input, target)
        g = 1.0 / x.shape[1] / (x.shape[0] if self.sizeAverage else 1)
        xp = backend.xp(x)
        grad = xp.zeros(x.shape, np.float64)
        rows = xp.arange(x.shape[0])
        for j, active, _ in self._hinge(x, ti, valid, ist):
            grad += g * active
            np.add.at(grad, (rows, ti[:, j]), -g * active.sum(axis=1))
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = grad.reshape(input._a.shape)
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
