"""nn.MaskedSelect: the elements of a tensor where a ByteTensor mask is 1, as a vector."""

from __future__ import annotations

import torch7 as torch
from torch7._core.tensor import Tensor

from .Module import Module


class MaskedSelect(Module):
    """``output = input.maskedSelect(mask)`` for the input list ``[input, mask]``.

    ``gradInput`` is ``[g, zeros]``: ``g`` has the size of ``input`` and holds ``gradOutput`` at the
    masked positions (row-major order), zero elsewhere; the mask gets a zero ByteTensor.

    Shape:
        input ``[(*), (*)]`` (mask: a ``torch.ByteTensor`` of 0s and 1s with as many elements);
        output ``(count of ones)``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.MaskedSelect()
        >>> x = torch.Tensor([[10, 20], [30, 40]])
        >>> mask = torch.ByteTensor([[1, 0], [0, 1]])
        >>> m.forward([x, mask]).tolist()
        [10.0, 40.0]
        >>> m.backward([x, mask], torch.Tensor([1, 2]))[0].tolist()
        [[1.0, 0.0], [0.0, 2.0]]
    """

    def __init__(self) -> None:
        super().__init__()
        self._gradBuffer = torch.Tensor()
        self._gradMask = torch.ByteTensor()

    @staticmethod
    def _unpack(input):
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            raise TypeError("nn.MaskedSelect: expected the input [tensor, ByteTensor mask]")
        return input[0], input[1]

    def updateOutput(self, input):
        x, mask = self._unpack(input)
        if type(self.output) is not type(x):
            self.output = x.new()
        self.output.maskedSelect(x, mask)
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, mask = self._unpack(input)
        if type(self._gradBuffer) is not type(x):
            self._gradBuffer = x.new()
        self._gradBuffer.resizeAs(x).zero()
        self._gradBuffer.maskedCopy(mask, gradOutput)
        if type(self._gradMask) is not type(mask):  # a CudaByteTensor mask gets a CudaByteTensor gradient
            self._gradMask = mask.new()
        self._gradMask.resizeAs(mask).zero()
        self.gradInput = [self._gradBuffer, self._gradMask]
        return self.gradInput

    def type(self, typename: str | None = None, tensorCache: dict | None = None):
        if typename is None:
            return self._type
        # The mask gradient stays a ByteTensor; gradInput is rebuilt by the next backward.
        mask = self._gradMask
        self._gradMask = None
        self.gradInput = torch.Tensor()
        super().type(typename, tensorCache)
        self._gradMask = mask
        return self

    def clearState(self) -> MaskedSelect:
        for k in ("_gradBuffer", "_gradMask"):
            if isinstance(getattr(self, k, None), Tensor):
                getattr(self, k).set()
        return super().clearState()
