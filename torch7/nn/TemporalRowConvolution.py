"""nn.TemporalRowConvolution: depth-wise (per-feature) 1-D convolution."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core.backend import einsum_into

from .functional.temporal import add_windows, n_frames, size_str, windows
from .Module import Module


class TemporalRowConvolution(Module):
    """Convolve each feature row with its own ``kW``-wide kernel (no mixing between features).

    ``output[t, c] = bias[c] + sum_k weight[c, 0, k] * input[t*dW + k, c]``.

    Args:
        inputFrameSize: features per frame.
        kW: kernel width (frames).
        dW: step (default 1).
        featFirst: input (and output) laid out features first, ``(C, T)`` / ``(N, C, T)``, instead of
            ``(T, C)`` / ``(N, T, C)`` (default False).

    Shape:
        input ``(T, C)`` or ``(N, T, C)`` (``featFirst``: ``(C, T)`` or ``(N, C, T)``); output in the same layout
        with ``(T - kW) // dW + 1`` frames. ``weight`` is ``inputFrameSize x 1 x kW``, ``bias`` ``inputFrameSize``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.TemporalRowConvolution(4, 3)
        >>> list(m.forward(torch.randn(2, 7, 4)).size())
        [2, 5, 4]
        >>> m
        nn.TemporalRowConvolution(4, 3)
    """

    def __init__(self, inputFrameSize: int, kW: int, dW: int = 1, featFirst: bool = False) -> None:
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.kW = kW
        self.dW = dW
        self.weight = torch.Tensor(inputFrameSize, 1, kW)
        self.bias = torch.Tensor(inputFrameSize)
        self.gradWeight = torch.Tensor(inputFrameSize, 1, kW)
        self.gradBias = torch.Tensor(inputFrameSize)
        self.featFirst = bool(featFirst)
        self.reset()

    def noBias(self) -> TemporalRowConvolution:
        self.bias = None
        self.gradBias = None
        return self

    def reset(self, stdv: float | None = None) -> TemporalRowConvolution:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.kW * self.inputFrameSize)
        self.weight.uniform(-stdv, stdv)
        if getattr(self, "bias", None) is not None:
            self.bias.uniform(-stdv, stdv)
        return self

    def _tc(self, a: np.ndarray) -> np.ndarray:
        """Batched ``(N, T, C)`` view of an array in the module's layout."""
        if a.ndim == 2:
            a = a[None]
        return a.transpose(0, 2, 1) if self.featFirst else a

    def _windows(self, input) -> np.ndarray:
        a = input._a
        if a.ndim not in (2, 3) or not a.size:
            raise ValueError(f"nn.TemporalRowConvolution: expected a 2-D or 3-D (batch) input, "
                             f"got size {size_str(input)}")
        x = self._tc(a)
        if x.shape[2] != self.inputFrameSize:
            raise ValueError(f"nn.TemporalRowConvolution({self.inputFrameSize}, {self.kW}): input of size "
                             f"{size_str(input)} has {x.shape[2]} features, expected {self.inputFrameSize}")
        if x.shape[1] < self.kW:
            raise ValueError(f"nn.TemporalRowConvolution: input of size {size_str(input)} has {x.shape[1]} frames, "
                             f"fewer than the kernel width {self.kW}")
        return windows(x, self.kW, self.dW)  # (N, nOut, kW, C)

    def updateOutput(self, input):
        w = self._windows(input)
        a = input._a
        tdim = a.ndim - 1 if self.featFirst else a.ndim - 2
        shape = list(a.shape)
        shape[tdim] = n_frames(a.shape[tdim], self.kW, self.dW)
        if list(self.output._a.shape) != shape:
            self.output.resize(shape)
        o = self._tc(self.output._a)
        einsum_into("ntkc,ck->ntc", w, self.weight._a[:, 0, :], out=o)
        if getattr(self, "bias", None) is not None:
            o += self.bias._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        a = input._a
        if self.gradInput._a.shape != a.shape:
            self.gradInput.resize(a.shape)
        gi = self._tc(self.gradInput._a)
        gi.fill(0)
        go = self._tc(gradOutput._a)
        gw = go[:, :, None, :] * self.weight._a[:, 0, :].T  # (N, nOut, kW, C)
        add_windows(gi, gw, self.kW, self.dW)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        w = self._windows(input)
        go = self._tc(gradOutput._a)
        self.gradWeight._a[:, 0, :] += scale * np.einsum("ntkc,ntc->ck", w, go)
        if getattr(self, "bias", None) is not None and getattr(self, "gradBias", None) is not None:
            self.gradBias._a += scale * go.sum((0, 1))

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)

    def clearState(self) -> TemporalRowConvolution:
        torch.nn.utils.clear(self, "finput", "fgradInput", "_input", "_gradOutput")
        return super().clearState()

    def __repr__(self) -> str:
        s = f"{self._typename}({self.inputFrameSize}, {self.kW}"
        if self.dW != 1:
            s += f", {self.dW}"
        return s + (")" if getattr(self, "bias", None) is not None else ") without bias")
