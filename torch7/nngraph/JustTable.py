"""nngraph.JustTable: wraps its input in a one-element list."""

from __future__ import annotations

from torch7.nn.Module import Module


class JustTable(Module):
    """``output = [input]``; ``gradInput = gradOutput[0]``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nngraph
        >>> x = torch.Tensor([1, 2])
        >>> nngraph.JustTable().forward(x)[0] is x
        True
    """

    _typename = "nngraph.JustTable"

    def __init__(self) -> None:
        super().__init__()
        self.output = []

    def updateOutput(self, input):
        self.output = [input]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(gradOutput, (list, tuple)) or len(gradOutput) != 1:
            raise ValueError("nngraph.JustTable: expecting a gradOutput list of one element")
        self.gradInput = gradOutput[0]
        return self.gradInput
