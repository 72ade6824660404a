"""nn.TemporalCrossEntropyCriterion: softmax cross-entropy at every step of (N, T, C) scores."""

from __future__ import annotations

import numpy as np

import torch7 as torch

from .Criterion import Criterion
from .functional.temporal import size_str

NULL = -1  # the target that marks a step to ignore (torch-rnn's null token 0, shifted with the labels)


class TemporalCrossEntropyCriterion(Criterion):
    """Cross-entropy of ``softmax(input[n, t])`` against ``target[n, t]`` summed over batch and time.

    jcjohnson/torch-rnn's criterion, with **0-based** labels: a target ``c`` in ``0 .. C-1`` is a
    class, and ``-1`` marks a step that gives no loss and no gradient (torch-rnn's null token 0).
    The loss is divided by N when ``batch_average`` (default True) and by T when ``time_average``
    (default False), torch-rnn's fields. ``forward`` computes the gradient too (as torch-rnn
    does); ``backward`` returns it. Fields: ``batch_average``, ``time_average``, ``logprobs``
    (N, T, C) and ``losses`` (N, T) of the last forward.

    Shape:
        input ``(N, T, C)`` scores; target ``(N, T)`` integer labels (any tensor type); gradInput
        ``(N, T, C)``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> crit = nn.TemporalCrossEntropyCriterion()
        >>> x = torch.zeros(2, 3, 4)
        >>> round(crit.forward(x, torch.LongTensor([[0, 1, -1], [3, 3, 3]])), 6)  # 5 steps of log(4), / N
        3.465736
        >>> crit.backward(x, None).size()
        torch.Size([2, 3, 4])
    """

    def __init__(self) -> None:
        super().__init__()
        self.batch_average = True
        self.time_average = False
        self.logprobs = torch.Tensor()
        self.losses = torch.Tensor()

    def updateOutput(self, input, target):
        if not torch.isTensor(input) or input._a.ndim != 3:
            got = size_str(input) if torch.isTensor(input) else type(input).__name__
            raise ValueError(f"nn.TemporalCrossEntropyCriterion: input must be N x T x C scores, got {got}")
        a = input._a
        n, t, c = a.shape
        if not torch.isTensor(target) or target._a.shape != (n, t):
            got = size_str(target) if torch.isTensor(target) else type(target).__name__
            raise ValueError(f"nn.TemporalCrossEntropyCriterion: target must be {n}x{t} for input {size_str(input)}, "
                             f"got {got}")
        y = target._a.astype(np.int64, copy=False)
        if y.size and (y.min() < NULL or y.max() >= c):
            bad = y[(y < NULL) | (y >= c)][0]
            raise IndexError(f"nn.TemporalCrossEntropyCriterion: target {bad} out of range [0, {c - 1}] "
                             f"(or -1 to ignore a step)")
        keep = y != NULL
        yy = np.where(keep, y, 0)[..., None]
        # log-softmax (the softmax is its exponential)
        if type(self.logprobs) is not type(input):
            self.logprobs = input.new()
        lp = self.logprobs.resize(n, t, c)._a
        np.subtract(a, a.max(axis=2, keepdims=True), out=lp)
        lp -= np.log(np.exp(lp).sum(axis=2, keepdims=True))
        div = (n if self.batch_average else 1) * (t if self.time_average else 1)
        if type(self.losses) is not type(input):
            self.losses = input.new()
        losses = self.losses.resize(n, t)._a
        losses[...] = np.take_along_axis(lp, yy, axis=2)[..., 0]
        losses *= keep * (-1.0 / div)
        self.output = float(losses.sum(dtype=np.float64))
        # gradient: (softmax - onehot) / div at the kept steps
        g = self.gradInput if type(self.gradInput) is type(input) else input.new()
        ga = g.resize(n, t, c)._a
        np.exp(lp, out=ga)
        np.put_along_axis(ga, yy, np.take_along_axis(ga, yy, axis=2) - 1, axis=2)
        ga *= (keep * (1.0 / div))[..., None]
        self.gradInput = g
        return self.output

    def updateGradInput(self, input, target):
        return self.gradInput

    def clearState(self) -> TemporalCrossEntropyCriterion:
        self.logprobs.set()
        self.losses.set()
        return self
