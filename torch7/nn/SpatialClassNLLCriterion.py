"""nn.SpatialClassNLLCriterion: negative log-likelihood of a class at every pixel."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Criterion import Criterion, _fill1


class SpatialClassNLLCriterion(Criterion):
    """Per-pixel NLL: ``loss = -sum w[t] * input[n, t, h, w]`` over all pixels, ``t = target[n, h, w]``.

    When ``sizeAverage`` the sum is divided by the total weight ``sum w[t]`` (the pixel count
    without weights). The input holds log-probabilities (e.g. from ``nn.SpatialLogSoftMax`` or
    ``nn.LogSoftMax`` over the plane dim). Class labels are **0-based** (Torch7: 1-based).
    ``forward`` returns the loss; ``total_weight_tensor[0]`` holds the total weight.

    Args:
        weights: optional 1-D tensor of ``C`` class weights.
        sizeAverage: divide by the total weight (default True).

    Shape:
        input ``(N, C, H, W)`` with target ``(N, H, W)``, or ``(C, H, W)`` with target ``(H, W)``;
        target values in ``0 .. C-1``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> x = torch.Tensor([[[[-1, -2]], [[-3, -4]]]])    # 1 x 2 x 1 x 2
        >>> nn.SpatialClassNLLCriterion().forward(x, torch.LongTensor([[[0, 1]]]))
        2.5
    """

    def __init__(self, weights=None, sizeAverage: bool = True) -> None:
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if not torch.isTensor(weights) or weights.dim() != 1:
                raise ValueError("nn.SpatialClassNLLCriterion: weights input should be 1-D Tensor")
            self.weights = weights
        self.output_tensor = torch.zeros(1)
        self.total_weight_tensor = torch.ones(1)
        self.target = torch.zeros(1).long()

    def __len__(self) -> int:
        w = getattr(self, "weights", None)
        return w.nElement() if w is not None else 0

    def __bool__(self) -> bool:  # __len__ must not make an unweighted criterion falsy
        return True

    def _prepare(self, input, target):
        if not torch.isTensor(target):
            raise TypeError(f"nn.SpatialClassNLLCriterion: target must be a tensor, got {type(target).__name__}")
        if input.dim() not in (3, 4):
            raise ValueError(f"nn.SpatialClassNLLCriterion: input of size {_size(input)}: NxCxHxW or CxHxW expected")
        x = input._a if input.dim() == 4 else input._a[None]
        n, c, h, w = x.shape
        if target.dim() != input.dim() - 1 or tuple(target.size()) != ((n, h, w) if input.dim() == 4 else (h, w)):
            raise ValueError(f"nn.SpatialClassNLLCriterion: target of size {_size(target)} does not match input of "
                             f"size {_size(input)} (expected {'x'.join(map(str, (n, h, w)[4 - input.dim():]))})")
        t = target._a.reshape(n, h, w)
        ti = t.astype(np.int64)
        if ti.size and (np.any(ti != t) or ti.min() < 0 or ti.max() >= c):
            raise ValueError(f"nn.SpatialClassNLLCriterion: target out of range: class indices must be integers in "
                             f"0..{c - 1}")
        L = input._long_cls  # a CudaLongTensor for CUDA input
        self.target = target if type(target) is L else target.type(L._typename)
        wt = getattr(self, "weights", None)
        if wt is not None:
            if wt.nElement() != c:
                raise ValueError(f"nn.SpatialClassNLLCriterion: weight tensor should be defined either for all or "
                                 f"no classes ({wt.nElement()} weights, {c} classes)")
            pw = wt._a.astype(np.float64)[ti]
        else:
            pw = backend.xp(ti).ones(ti.shape)
        total = float(pw.sum())
        self.total_weight_tensor = _fill1(self.total_weight_tensor, input, total)
        return x, ti, pw, total

    def updateOutput(self, input, target):
        x, ti, pw, total = self._prepare(input, target)
        picked = np.take_along_axis(x, ti[:, None], axis=1)[:, 0]
        loss = -float((picked * pw).sum())
        if self.sizeAverage and total != 0:
            loss /= total
        self.output_tensor = _fill1(self.output_tensor, input, loss)
        self.output = loss
        return self.output

    def updateGradInput(self, input, target):
        x, ti, pw, total = self._prepare(input, target)
        self.gradInput.resizeAs(input).zero()
        g = self.gradInput._a if input.dim() == 4 else self.gradInput._a[None]
        if self.sizeAverage and total != 0:
            pw = pw / total
        np.put_along_axis(g, ti[:, None], -pw[:, None], axis=1)
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
