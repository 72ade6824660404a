"""nn.ModuleFromCriterion: a criterion as a module of ``[prediction, target]`` (a criterion called on nodes)."""

from __future__ import annotations

import torch7 as torch
from torch7.nn.Module import Module


def _zeros_like(t, old):
    if isinstance(t, (list, tuple)):
        old = old if isinstance(old, list) else []
        return [_zeros_like(v, old[i] if i < len(old) else None) for i, v in enumerate(t)]
    if not torch.isTensor(t):
        return torch.Tensor()
    g = old if torch.isTensor(old) and type(old) is type(t) else t.new()
    return g.resizeAs(t).zero()


class ModuleFromCriterion(Module):
    """``output`` is a one-element tensor holding ``criterion.forward(prediction, target)``.

    ``gradInput = [dloss/dprediction * gradOutput[0], zeros like target]``.

    Args:
        criterion: the wrapped ``nn.Criterion``.

    Shape:
        input: ``[prediction, target]``; output: a tensor of size 1.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.ModuleFromCriterion(nn.MSECriterion())
        >>> m.forward([torch.Tensor([1, 2]), torch.Tensor([1, 4])]).tolist()
        [2.0]
    """

    def __init__(self, criterion=None) -> None:
        super().__init__()
        self.criterion = criterion
        self.output = torch.Tensor(1)
        self.gradInput = [torch.Tensor(), torch.Tensor()]

    @staticmethod
    def _split(input):
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            raise ValueError("nn.ModuleFromCriterion: expecting the input [prediction, target]")
        return input[0], input[1]

    def updateOutput(self, input):
        prediction, target = self._split(input)
        loss = self.criterion.updateOutput(prediction, target)
        if not torch.isTensor(self.output) or self.output.nElement() != 1:
            self.output = torch.Tensor(1)
        self.output[0] = float(loss)
        return self.output

    def updateGradInput(self, input, gradOutput):
        prediction, target = self._split(input)
        grad = self.criterion.updateGradInput(prediction, target)
        scale = float(gradOutput[0]) if torch.isTensor(gradOutput) else float(gradOutput)
        if not isinstance(self.gradInput, list) or len(self.gradInput) != 2:
            self.gradInput = [None, None]
        g0 = self.gradInput[0]
        if isinstance(grad, (list, tuple)):
            g0 = g0 if isinstance(g0, list) else []
            self.gradInput[0] = [_zeros_like(g, g0[i] if i < len(g0) else None).copy(g).mul(scale)
                                 for i, g in enumerate(grad)]
        else:
            self.gradInput[0] = _zeros_like(grad, g0).copy(grad).mul(scale)
        self.gradInput[1] = _zeros_like(target, self.gradInput[1])
        return self.gradInput

    def __repr__(self) -> str:
        return f"{self._typename}({self.criterion!r})"
