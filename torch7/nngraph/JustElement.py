"""nngraph.JustElement: the only element of a one-element list (what ``node.split(1)`` uses)."""

from __future__ import annotations

from torch7.nn.Module import Module


class JustElement(Module):
    """``output = input[0]`` for a list ``input`` of length 1; ``gradInput = [gradOutput]``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nngraph
        >>> x = torch.Tensor([1, 2])
        >>> nngraph.JustElement().forward([x]) is x
        True
    """

    _typename = "nngraph.JustElement"

    def __init__(self) -> None:
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        if not isinstance(input, (list, tuple)) or len(input) != 1:
            got = f"a list of {len(input)}" if isinstance(input, (list, tuple)) else type(input).__name__
            raise ValueError(f"nngraph.JustElement: expecting a list of one element, got {got}")
        self.output = input[0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = [gradOutput]
        return self.gradInput
