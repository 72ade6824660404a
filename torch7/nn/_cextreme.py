"""The shared implementation of nn.CMaxTable and nn.CMinTable (a private base, not a Torch7 class)."""

from __future__ import annotations

import numpy as np

import torch7 as torch

from ._tables import check_grad, check_tensors
from .Module import REGISTRY, Module


class _CExtremeTable(Module):
    """Element-wise extreme of a list of tensors; the gradient goes to the winning input.

    Subclasses set ``_idx`` (the Torch7 field holding the 0-based winner per element, first on ties)
    and ``_beats`` (the ufunc telling when a later input replaces the current extreme).
    """

    _idx = ""
    _beats = np.greater

    def __init__(self) -> None:
        super().__init__()
        self.gradInput = []
        setattr(self, self._idx, torch.Tensor())

    def updateOutput(self, input):
        check_tensors(self._typename, input)
        first = input[0]
        if type(self.output) is not type(first):
            self.output = first.new()
        o = self.output.resizeAs(first)._a
        np.copyto(o, first._a)
        idx = getattr(self, self._idx).resize(*o.shape)._a
        idx.fill(0)
        for i, x in enumerate(input[1:], 1):
            xa = x._a.reshape(o.shape)
            mask = self._beats(xa, o)
            np.copyto(o, xa, where=mask)
            np.copyto(idx, i, where=mask)
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_tensors(self._typename, input)
        check_grad(self._typename, gradOutput, input[0])
        idx = getattr(self, self._idx)._a
        go = gradOutput._a.reshape(idx.shape)
        gi = self.gradInput
        for i, x in enumerate(input):
            if i >= len(gi) or type(gi[i]) is not type(x):
                gi[i:i + 1] = [x.new()]
            g = gi[i].resizeAs(x)._a.reshape(idx.shape)
            g.fill(0)
            np.copyto(g, go, where=idx == i)
        del gi[len(input):]
        return self.gradInput

    def clearState(self):
        getattr(self, self._idx).set()
        return super().clearState()


del REGISTRY["nn._CExtremeTable"]
