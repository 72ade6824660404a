"""nn.FlattenTable: a nested list of tensors flattened into one list, depth first."""

from __future__ import annotations

import torch7 as torch
from torch7._core.backend import check_typename

from .Module import Module


class FlattenTable(Module):
    """``[x, [y, [z]]] -> [x, y, z]`` (the same objects); ``gradInput`` re-nests ``gradOutput``.

    ``input_map`` mirrors the input's nesting with each tensor's position in the output; the
    output list is rebuilt only when the input's structure or tensors change.

    Shape:
        input a nested list of tensors; output a flat list of them in depth-first order.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> x, y, z = torch.ones(1), torch.ones(2), torch.ones(3)
        >>> m = nn.FlattenTable()
        >>> [t.size(0) for t in m.forward([x, [y, [z]]])]
        [1, 2, 3]
        >>> m.input_map
        [0, [1, [2]]]
    """

    def __init__(self) -> None:
        super().__init__()
        self.output = []
        self.input_map = []
        self.gradInput = []

    def updateOutput(self, input):
        if not isinstance(input, (list, tuple)):
            raise TypeError(f"nn.FlattenTable: input must be a list, got {type(input).__name__}")
        if not _same_mapping(self.output, input, self.input_map):
            self.output = []
            self.input_map = _flatten(self.output, input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(input, (list, tuple)):
            raise TypeError(f"nn.FlattenTable: input must be a list, got {type(input).__name__}")
        if not isinstance(gradOutput, (list, tuple)) or len(gradOutput) != len(self.output):
            got = len(gradOutput) if isinstance(gradOutput, (list, tuple)) else type(gradOutput).__name__
            raise ValueError(f"nn.FlattenTable: gradOutput must be a list of {len(self.output)} tensors, got {got}")
        if not _same_mapping(gradOutput, self.gradInput, self.input_map):
            self.gradInput = _unflatten(gradOutput, self.input_map)
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        # Only references to the caller's tensors are held: nothing to convert, just forget them.
        if typename is None:
            return self._type
        check_typename(typename, "nn.FlattenTable.type")
        self.clearState()
        self._type = typename
        return self

    def clearState(self) -> FlattenTable:
        self.input_map = []
        self.output = []
        self.gradInput = []
        return self


def _flatten(output: list, input):
    """Append the tensors of ``input`` to ``output`` depth first; return the map of their positions."""
    if isinstance(input, (list, tuple)):
        return [_flatten(output, v) for v in input]
    if not torch.isTensor(input):
        raise TypeError(f"nn.FlattenTable: the input may hold only tensors and lists, got {type(input).__name__}")
    output.append(input)
    return len(output) - 1


def _same_mapping(flat, nested, input_map) -> bool:
    """Whether ``flat`` already is the flattening of ``nested`` under ``input_map``."""
    if isinstance(nested, (list, tuple)):
        return (isinstance(input_map, list) and len(nested) == len(input_map)
                and all(_same_mapping(flat, v, m) for v, m in zip(nested, input_map)))
    return isinstance(input_map, int) and input_map < len(flat) and flat[input_map] is nested


def _unflatten(flat, input_map):
    if isinstance(input_map, list):
        return [_unflatten(flat, m) for m in input_map]
    return flat[input_map]
