"""nn.OneHot: one-hot encoding of class indices (also char-rnn's global class ``OneHot``)."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core import backend
from torch7._core.backend import xp as engine

from .Module import REGISTRY, Module


class OneHot(Module):
    """Turn class indices (0-based) into one-hot rows of length ``outputSize``.

    torch/nn's ``nn.OneHot``; karpathy/char-rnn's global ``OneHot`` class (``util/OneHot.lua``)
    computes the same and is registered as an alias, so that char-rnn checkpoints load. Indices are 0-based here. The
    gradient with respect to the indices is zero.

    Args:
        outputSize: number of classes.

    Shape:
        indices ``(N)`` (any integer-valued tensor; more dims are allowed); output ``(N, outputSize)``
        (the input's size followed by ``outputSize``).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.OneHot(3).forward(torch.LongTensor([2, 0])).numpy().tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """

    def __init__(self, outputSize: int) -> None:
        super().__init__()
        self.outputSize = outputSize
        # Torch7 caches torch.eye(outputSize) in _eye; rows are written directly here instead.

    def updateOutput(self, input):
        idx = input._a.astype(np.int64)
        if not backend.capturing():  # the checks read device memory from the host, which a CUDA graph cannot
            self._check(idx, input._a)
        self.output.resize(*idx.shape, self.outputSize).zero()
        rows = self.output._a.reshape(-1, self.outputSize)
        rows[engine(rows).arange(rows.shape[0]), idx.reshape(-1)] = 1
        return self.output

    def _check(self, idx, given) -> None:
        if idx.size and (idx.min() < 0 or idx.max() >= self.outputSize):
            bad = idx[(idx < 0) | (idx >= self.outputSize)][0]
            raise IndexError(f"OneHot({self.outputSize}): index {bad} out of range [0, {self.outputSize - 1}]")
        if not np.array_equal(idx, given):
            raise ValueError(f"OneHot({self.outputSize}): indices must be integers")

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        return self.gradInput


class CharRNNOneHot(OneHot):
    """karpathy/char-rnn's global class ``OneHot`` (``util/OneHot.lua``): the same computation as nn.OneHot.

    Lua char-rnn checkpoints load as this class, and it saves under the bare name ``OneHot`` with the
    ``_eye`` matrix Lua's version keeps, so that Lua's ``sample.lua`` reads the files we write.
    """

    _typename = "OneHot"

    def __init__(self, outputSize: int) -> None:
        super().__init__(outputSize)
        self._eye = torch.eye(outputSize)


assert REGISTRY["OneHot"] is CharRNNOneHot
