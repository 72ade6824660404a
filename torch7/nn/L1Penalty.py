"""nn.L1Penalty: an L1 regulariser on the activations that pass through it."""

from __future__ import annotations

import numpy as np

from torch7._core import backend

from .Module import Module


class L1Penalty(Module):
    """Pass the input through and add the gradient of ``l1weight * ||input||_1`` on the way back.

    ``output`` is the input itself; the penalty's value is kept in ``self.loss``.
    ``gradInput = m * sign(input) (+ gradOutput when provideOutput)``, ``m = l1weight`` divided by
    the number of elements when ``sizeAverage``.

    Args:
        l1weight: weight of the penalty.
        sizeAverage: divide the penalty by the number of elements (default False).
        provideOutput: add ``gradOutput`` to the gradient, i.e. the output is used downstream
            (default True).

    Shape:
        any shape; the output is the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.L1Penalty(0.1)
        >>> x = torch.Tensor([1, -2])
        >>> m.forward(x) is x, round(m.loss, 6)
        (True, 0.3)
        >>> m.backward(x, torch.zeros(2)).numpy().tolist()
        [0.1, -0.1]
    """

    def __init__(self, l1weight: float, sizeAverage: bool = False, provideOutput: bool = True) -> None:
        super().__init__()
        self.l1weight = l1weight
        self.sizeAverage = bool(sizeAverage)
        self.provideOutput = True if provideOutput is None else bool(provideOutput)

    def _m(self, input) -> float:
        return self.l1weight / (input.nElement() or 1) if self.sizeAverage else self.l1weight  # empty: loss 0

    def updateOutput(self, input):
        total = np.abs(input._a).sum()
        # a number; while a CUDA graph captures, a 0-d device array (reading it would wait for the device)
        self.loss = self._m(input) * (total if backend.capturing() else float(total))
        self.output = input
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        np.sign(input._a, out=gi)
        gi *= self._m(input)
        if self.provideOutput:
            gi += gradOutput._a.reshape(gi.shape)
        return self.gradInput

    def clearState(self) -> L1Penalty:
        # output aliases the input: drop the reference instead of emptying the caller's tensor.
        self.output = self.gradInput.new()
        self.gradInput.set()
        return self
