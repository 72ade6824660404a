"""nn.TemporalConvolution: 1-D convolution over a sequence of frames."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core import backend
from torch7._core.backend import ascontig

from .functional.temporal import add_windows, as_batch, n_frames, size_str, windows_flat
from .Module import Module


class TemporalConvolution(Module):
    """Convolution over a sequence of ``inputFrameSize``-feature frames, ``kW`` frames at a time.

    ``output[t] = bias + weight @ concat(input[t*dW], ..., input[t*dW + kW - 1])``.

    Args:
        inputFrameSize: features per input frame.
        outputFrameSize: features per output frame.
        kW: kernel width (frames).
        dW: step (default 1).

    Shape:
        input ``(nInputFrame, inputFrameSize)`` or ``(N, nInputFrame, inputFrameSize)``; output
        ``(nOutputFrame, outputFrameSize)`` (batched alike) with ``nOutputFrame = (nInputFrame - kW) // dW + 1``.
        ``weight`` is ``outputFrameSize x (kW * inputFrameSize)``, frame-major (column ``k*inputFrameSize + c``).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.TemporalConvolution(4, 6, 3, 2)
        >>> list(m.forward(torch.randn(2, 9, 4)).size())
        [2, 4, 6]
        >>> m
        nn.TemporalConvolution
    """

    def __init__(self, inputFrameSize: int, outputFrameSize: int, kW: int, dW: int = 1) -> None:
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.outputFrameSize = outputFrameSize
        self.kW = kW
        self.dW = dW
        self.weight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
        self.bias = torch.Tensor(outputFrameSize)
        self.gradWeight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
        self.gradBias = torch.Tensor(outputFrameSize)
        self.reset()

    def reset(self, stdv: float | None = None) -> TemporalConvolution:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.kW * self.inputFrameSize)
        self.weight.uniform(-stdv, stdv)
        self.bias.uniform(-stdv, stdv)
        return self

    def _cols(self, input) -> np.ndarray:
        """The unfolded input, ``(N * nOutputFrame) x (kW * inputFrameSize)``, C-contiguous (a BLAS operand)."""
        a = input._a
        if a.ndim not in (2, 3) or not a.size:
            raise ValueError(f"nn.TemporalConvolution: expected a 2-D or 3-D (batch) input, got size {size_str(input)}")
        if a.shape[-1] != self.inputFrameSize:
            raise ValueError(f"nn.TemporalConvolution({self.inputFrameSize} -> {self.outputFrameSize}): input of size "
                             f"{size_str(input)} has frames of {a.shape[-1]} features, expected {self.inputFrameSize}")
        if a.shape[-2] < self.kW:
            raise ValueError(f"nn.TemporalConvolution: input of size {size_str(input)} has {a.shape[-2]} frames, "
                             f"fewer than the kernel width {self.kW}")
        view = windows_flat(ascontig(as_batch(a)), self.kW, self.dW)
        if self.kW == self.dW:
            return view.reshape(-1, view.shape[-1])  # non-overlapping windows: a plain reshape, no copy
        cols = backend.xp(a).empty(view.shape, a.dtype)
        np.copyto(cols, view)
        return cols.reshape(-1, view.shape[-1])

    def updateOutput(self, input):
        cols = self._cols(input)
        a = input._a
        shape = a.shape[:-2] + (n_frames(a.shape[-2], self.kW, self.dW), self.outputFrameSize)
        if self.output._a.shape != shape:
            self.output.resize(shape)
        o2 = self.output._a.reshape(-1, self.outputFrameSize)
        np.matmul(cols, self.weight._a.T, out=o2)
        o2 += self.bias._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        a = input._a
        if self.gradInput._a.shape != a.shape:
            self.gradInput.resize(a.shape)
        gi = as_batch(self.gradInput._a)
        gi.fill(0)
        go = as_batch(gradOutput._a)
        gcols = np.matmul(go.reshape(-1, self.outputFrameSize), self.weight._a)  # (N*nOut, kW*C)
        add_windows(gi, gcols.reshape(go.shape[:2] + (self.kW, self.inputFrameSize)), self.kW, self.dW)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        cols = self._cols(input)
        go = gradOutput._a.reshape(-1, self.outputFrameSize)
        gw = np.matmul(go.T, cols)
        gb = go.sum(0)
        if scale != 1:
            gw *= scale
            gb *= scale
        self.gradWeight._a += gw
        self.gradBias._a += gb

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)
