"""cudnn.TemporalConvolution: cudnn.torch's 1-D convolution over frames, with its zero padding, on nn's kernel."""

from __future__ import annotations

from torch7 import nn
from torch7.serialization import convert


class TemporalConvolution(nn.TemporalConvolution):
    """``nn.TemporalConvolution`` with cudnn.torch's optional zero padding of the sequence (``padH`` frames each end).

    cudnn.torch computes it as a ``cudnn.SpatialConvolution`` over one ``nInputFrame x inputFrameSize``
    plane, which gives nn's result (same weight layout, ``outputFrameSize x (kH * inputFrameSize)``)
    on the sequence padded with ``padH`` zero frames at each end. Here the fields are nn's (cudnn.torch's
    ``kH``/``dH`` are ``kW``/``dW``) plus ``padH``, and nn's kernel runs on the padded sequence, on host and
    CUDA tensors. In a ``.t7`` file it is written in cudnn.torch's layout (a 2-D convolution's fields),
    which Lua's cudnn.torch reads and which loads here as ``nn.TemporalConvolution`` when ``padH`` is 0.
    cudnn.torch's ``convert`` leaves this class alone.

    Args:
        inputFrameSize: features per input frame.
        outputFrameSize: features per output frame.
        kH: kernel width in frames (the field ``kW``).
        dH: step in frames (default 1; the field ``dW``).
        padH: zero frames added before and after the sequence (default 0).

    Shape:
        input ``(nInputFrame, inputFrameSize)`` or ``(N, nInputFrame, inputFrameSize)``; output
        ``([N,] nOutputFrame, outputFrameSize)``, ``nOutputFrame = (nInputFrame + 2*padH - kH) // dH + 1``.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        conv = cudnn.TemporalConvolution(64, 128, 3, 1, 1).cuda()   # keeps the sequence length
        y = conv.forward(torch.randn(8, 50, 64).cuda())              # 8 x 50 x 128
    """

    _typename = "cudnn.TemporalConvolution"
    _nn_twin = nn.TemporalConvolution

    def __init__(self, inputFrameSize: int, outputFrameSize: int, kH: int, dH: int = 1, padH: int = 0) -> None:
        if int(padH or 0) < 0:
            raise ValueError(f"{self._typename}: padH must be at least 0, got {padH}")
        super().__init__(inputFrameSize, outputFrameSize, kH, 1 if dH is None else dH)
        self.padH = int(padH or 0)

    def _padded(self, input):
        """``input`` with ``padH`` zero frames at each end of its time dim (``input`` itself without padding)."""
        p = int(getattr(self, "padH", 0) or 0)
        if not p or input.dim() not in (2, 3):
            return input  # (a bad input gets nn's error)
        t = input.dim() - 2
        size = list(input.size())
        size[t] += 2 * p
        out = input.new().resize(*size).zero()
        out.narrow(t, p, input.size(t)).copy(input)
        return out

    def updateOutput(self, input):
        return super().updateOutput(self._padded(input))

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x = self._padded(input)
        if x is input:
            return super().updateGradInput(input, gradOutput)
        gradInput, self.gradInput = self.gradInput, input.new()
        try:
            full = super().updateGradInput(x, gradOutput)
        finally:
            self.gradInput = gradInput
        t = input.dim() - 2
        gradInput.resizeAs(input).copy(full.narrow(t, self.padH, input.size(t)))
        return gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        super().accGradParameters(self._padded(input), gradOutput, scale)

    def _t7_payload(self) -> dict:
        """cudnn.torch's fields: a SpatialConvolution over 1 plane, kernel ``kH x inputFrameSize``."""
        f = convert.to_lua(self)
        kw, dw = f.pop("kW"), f.pop("dW")
        f.update(nInputPlane=1, nOutputPlane=self.outputFrameSize, kW=self.inputFrameSize, kH=kw, dW=1, dH=dw,
                 padW=0, padH=int(getattr(self, "padH", 0) or 0), groups=1)
        return f
