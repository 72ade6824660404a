"""nn.ClassNLLCriterion: negative log-likelihood of the target class (0-based labels)."""

from __future__ import annotations

import numbers

import numpy as np

import torch7 as torch
from torch7._core import backend
from torch7._core.backend import amax
from torch7._core.backend import xp as engine

from .Criterion import Criterion, _fill1


class ClassNLLCriterion(Criterion):
    """``loss = -sum_i w[t_i] * input[i, t_i]``, divided by the total weight ``sum_i w[t_i]`` when ``sizeAverage``.

    The input holds log-probabilities (e.g. from ``nn.LogSoftMax``). Class labels are **0-based**
    (Torch7: 1-based). Samples whose target equals ``ignoreIndex`` add nothing to the loss, the
    total weight or the gradient. ``forward`` returns the loss; ``total_weight_tensor[0]`` holds the
    total weight. When the total weight is 0 the loss is not divided and the gradient is zero.
    While a ``cutorch.CudaGraph`` captures, ``forward`` returns ``output_tensor``, the 1-element device
    tensor it writes the loss into (as THNN does), since a number would wait for the device.

    Args:
        weights: optional 1-D tensor of ``C`` class weights.
        sizeAverage: divide by the total weight (default True) instead of summing.
        ignoreIndex: a target value to skip (default -100).

    Shape:
        input ``(C)`` with a number or 1-element tensor target, or ``(N, C)`` with a 1-D target of
        ``N`` labels (LongTensor, or a float tensor holding whole numbers) in ``0 .. C-1``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> x = torch.Tensor([[-1, -2, -3], [-4, -5, -6]])
        >>> nn.ClassNLLCriterion().forward(x, torch.LongTensor([0, 2]))
        3.5
    """

    def __init__(self, weights=None, sizeAverage: bool = True, ignoreIndex: int = -100) -> None:
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if not torch.isTensor(weights):
                raise TypeError(f"nn.ClassNLLCriterion: weights must be a 1-D tensor, got {type(weights).__name__}")
            if weights.dim() != 1:
                raise ValueError("nn.ClassNLLCriterion: weights input should be 1-D Tensor")
        self.weights = weights
        self.ignoreIndex = -100 if ignoreIndex is None else ignoreIndex
        self.output_tensor = torch.zeros(1)
        self.total_weight_tensor = torch.ones(1)
        self.target = torch.zeros(1).long()

    def _prepare(self, input, target):
        fast = self._fast(input, target)
        if fast is not None:
            return fast
        name = "nn.ClassNLLCriterion"
        if not torch.isTensor(input) or input.dim() not in (1, 2):
            size = _size(input) if torch.isTensor(input) else type(input).__name__
            raise ValueError(f"{name}: input of size {size}: a 1D (C) or 2D (NxC) tensor expected")
        if isinstance(target, numbers.Real):
            t = backend.like(input._a, np.array([target]))
        elif torch.isTensor(target):
            t = target._a
            if target.dim() > 1:
                raise ValueError(f"{name}: target of size {_size(target)}: multi-target not supported "
                                 f"(a 1-D tensor of class indices expected)")
        else:
            raise TypeError(f"{name}: target must be a tensor or a number, got {type(target).__name__}")
        n = 1 if input.dim() == 1 else input.size(0)
        c = input.size(input.dim() - 1)
        if t.size != n:
            what = "a single sample" if input.dim() == 1 else f"a batch of {n}"
            raise ValueError(f"{name}: target of {t.size} elements for input of size {_size(input)} ({what})")
        ti = t.astype(np.int64)
        if np.any(ti != t):
            raise ValueError(f"{name}: class indices must be whole numbers, got {t.reshape(-1).tolist()}")
        kept = ti != self.ignoreIndex
        bad = kept & ((ti < 0) | (ti >= c))
        if np.any(bad):
            raise ValueError(f"{name}: target {int(ti[bad][0])} out of range: class indices must be in "
                             f"0..{c - 1} (input of size {_size(input)})")
        if torch.isTensor(target) and type(target) is input._long_cls:
            self.target = target
        else:
            self.target = input._long_cls._new(ti.reshape(-1).copy())
        wt = self.weights
        safe = np.where(kept, ti, 0)
        if wt is not None:
            if wt.nElement() != c:
                raise ValueError(f"{name}: {wt.nElement()} weights for {c} classes: weight tensor should be "
                                 f"defined either for all or no classes")
            pw = np.where(kept, wt._a.astype(np.float64)[safe], 0.0)
        else:
            pw = kept.astype(np.float64)
        x = input._a if input.dim() == 2 else input._a[None]
        return x, safe, kept, pw, float(pw.sum())

    def _fast(self, input, target):
        """The common case (batch, LongTensor targets all in range, no weights) without the general checks."""
        x = input._a
        if (self.weights is not None or x.ndim != 2 or type(target) is not input._long_cls
                or target._a.shape != (x.shape[0],) or not x.shape[0]):
            return None
        c = x.shape[1]
        ti = target._a
        if 0 <= self.ignoreIndex < c or (not backend.capturing() and amax(ti.view(np.uint64)) >= c):
            return None  # an ignored class or an index out of range: the general path decides
        n = x.shape[0]
        self.target = target
        return x, ti, slice(None), engine(x).ones(n), float(n)

    def updateOutput(self, input, target):
        x, ti, kept, pw, total = self._prepare(input, target)
        # ignored samples are skipped, not multiplied by 0 (their log-probability may be -inf)
        picked = (x[engine(x).arange(x.shape[0]), ti][kept] * pw[kept]).sum()
        self.total_weight_tensor = _fill1(self.total_weight_tensor, input, total)
        loss = self._loss(-picked, input, total if self.sizeAverage else None)
        if not backend.capturing():  # (capturing, the loss is in output_tensor already)
            self.output_tensor = _fill1(self.output_tensor, input, loss)
        return self.output

    def updateGradInput(self, input, target):
        x, ti, kept, pw, total = self._prepare(input, target)
        self.gradInput.resizeAs(input).zero()
        if not total > 0:  # Torch7 leaves the gradient at zero when the total weight is not positive
            return self.gradInput
        g = self.gradInput._a if input.dim() == 2 else self.gradInput._a[None]
        if self.sizeAverage:
            pw = pw / total
        rows = engine(x).arange(x.shape[0])[kept]
        g[rows, ti[kept]] = -pw[kept]
        return self.gradInput


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"
