"""What cudnn.ReLU, Tanh, Sigmoid and ClippedReLU share: the activation and its gradient as cuDNN graphs.

cuDNN's backward activations read the forward *input*. ReLU and ClippedReLU read the output instead (the
same mask, so they also work in place); Tanh and Sigmoid in place have lost their input and use the nn
kernel's output formula for the gradient. A graph cuDNN has no engine for, or a strided input worked in
place, also runs the nn kernel.
"""

from __future__ import annotations

from torch7._core.backend import ascontig

from . import _graphs


class CudnnPointwise:
    """Mixin placed before the nn class, as in ``class ReLU(CudnnPointwise, nn.ReLU)``."""

    _kind = "relu"
    _grad_from_output = False  # True: the gradient graph may take the output where cuDNN asks for the input

    def _params(self) -> dict:
        return {}

    def updateOutput(self, input):
        if not input._is_cuda:
            return super().updateOutput(input)
        a = input._a
        if self.inplace:
            if not a.flags.c_contiguous:
                return super().updateOutput(input)
            y = type(input)._xp.empty_like(a)
            if not _graphs.run(self._kind, {"X": a}, y, **self._params()):
                return super().updateOutput(input)
            a[...] = y
            self.output = input
            return self.output
        x = ascontig(a)
        if type(self.output) is not type(input):
            self.output = input.new()
        self.output.resize(a.shape)
        if not _graphs.run(self._kind, {"X": x}, self.output._a, **self._params()):
            return super().updateOutput(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not input._is_cuda or (self.inplace and not self._grad_from_output):
            return super().updateGradInput(input, gradOutput)
        src = self.output if self._grad_from_output else input
        x, dy = ascontig(src._a), ascontig(gradOutput._a)
        if dy.shape != x.shape:
            raise ValueError(f"{self!r}: gradOutput of size {'x'.join(map(str, dy.shape))}, expected "
                             f"{'x'.join(map(str, x.shape))}")
        if self.inplace:
            out = type(input)._xp.empty_like(dy)
        else:
            if type(self.gradInput) is not type(input):
                self.gradInput = input.new()
            self.gradInput.resize(x.shape)
            out = self.gradInput._a
        if not _graphs.run(self._kind + "_bwd", {"DY": dy, "X": x}, out, **self._params()):
            return super().updateGradInput(input, gradOutput)
        if self.inplace:  # as nn's in-place layers do: the gradient goes where gradOutput was
            gradOutput._a[...] = out
            self.gradInput = gradOutput
        return self.gradInput


class CudnnInplaceFlag(CudnnPointwise):
    """For the activations whose nn twin has no in-place flag (Tanh, Sigmoid): cudnn.torch's ``inplace`` field,
    set by the constructor, added by ``cudnn.convert`` and dropped on the way back to nn."""

    _cudnn_defaults = {"inplace": False}

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = bool(inplace)
