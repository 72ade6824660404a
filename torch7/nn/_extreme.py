"""The shared implementation of nn.Max and nn.Min: an extreme over one dimension, which is removed."""

from __future__ import annotations

from torch7._core.tensor import Tensor

from . import utils
from .Module import REGISTRY, Module


class _Extreme(Module):
    """``output = reduce(input, dimension)`` squeezed; gradients go to the arg-extreme positions.

    Subclasses set ``_reduce`` to ``torch.max`` or ``torch.min``.
    """

    _typename = "nn._Extreme"
    _reduce = None

    def __init__(self, dimension: int = 0, nInputDims: int | None = None) -> None:
        super().__init__()
        self.dimension = dimension
        self.nInputDims = nInputDims

    def _getPositiveDimension(self, input) -> int:
        return utils.positiveDimension(self.dimension, self.nInputDims, input.dim(), self._typename,
                                       "x".join(map(str, input.size())) or "[empty]")

    def _lazyInit(self, input) -> None:
        if not isinstance(getattr(self, "_output", None), Tensor) or type(self._output) is not type(input):
            self._output = input.new()
        if type(getattr(self, "_indices", None)) is not input._long_cls:  # a CudaLongTensor on the GPU
            self._indices = input._long_cls()

    def updateOutput(self, input):
        self._lazyInit(input)
        d = self._getPositiveDimension(input)
        type(self)._reduce(self._output, self._indices, input, d)
        self.output = self._output.select(d, 0) if input.dim() > 1 else self._output
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._lazyInit(input)
        d = self._getPositiveDimension(input)
        g = gradOutput.unsqueeze(d) if input.dim() > 1 else gradOutput
        if type(self.gradInput) is not type(input):
            self.gradInput = input.new()
        self.gradInput.resizeAs(input).zero().scatter(d, self._indices, g)
        return self.gradInput

    def type(self, typename: str | None = None, tensorCache: dict | None = None):
        if typename is not None:
            self._indices = None  # stays a LongTensor: rebuilt by the next forward
        return super().type(typename, tensorCache)

    def clearState(self) -> _Extreme:
        for k in ("_indices", "_output"):
            if isinstance(getattr(self, k, None), Tensor):
                getattr(self, k).set()
        return super().clearState()


del REGISTRY["nn._Extreme"]  # a private base, not a Torch7 class
