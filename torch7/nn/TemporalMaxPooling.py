"""nn.TemporalMaxPooling: max over windows of frames, per feature."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core import backend

from .functional.temporal import as_batch, n_frames, size_str
from .Module import Module


class TemporalMaxPooling(Module):
    """Max of each feature over ``kW`` consecutive frames, every ``dW`` frames.

    ``indices`` (a LongTensor shaped like the output) holds, for each output element, the 0-based
    offset of the maximum inside its window (input frame ``t*dW + indices[t, c]``); ties keep the first.
    Torch7's THNN kept the same within-window offset; the .t7 loader converts it if it was stored 1-based.

    Args:
        kW: window width (frames).
        dW: step (default ``kW``).

    Shape:
        input ``(nInputFrame, C)`` or ``(N, nInputFrame, C)``; output ``((nInputFrame - kW) // dW + 1, C)``
        (batched alike).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.TemporalMaxPooling(2)
        >>> m.forward(torch.Tensor([[1, 5], [3, 2], [0, 1], [4, 0]])).numpy().tolist()
        [[3.0, 5.0], [4.0, 1.0]]
        >>> m.indices.numpy().tolist()
        [[1, 0], [1, 0]]
    """

    def __init__(self, kW: int, dW: int | None = None) -> None:
        super().__init__()
        self.kW = kW
        self.dW = kW if dW is None else dW
        self.indices = torch.LongTensor()

    def updateOutput(self, input):
        a = input._a
        if a.ndim not in (2, 3) or not a.size:
            raise ValueError(f"nn.TemporalMaxPooling: expected a 2-D or 3-D (batch) input, got size {size_str(input)}")
        if a.shape[-2] < self.kW:
            raise ValueError(f"nn.TemporalMaxPooling: input of size {size_str(input)} has {a.shape[-2]} frames, "
                             f"fewer than the kernel width {self.kW}")
        shape = a.shape[:-2] + (n_frames(a.shape[-2], self.kW, self.dW), a.shape[-1])
        if not isinstance(self.indices, input._long_cls):  # a CudaLongTensor on the GPU
            self.indices = input._long_cls()
        if self.indices._a.shape != shape:
            self.indices.resize(shape)
        if self.output._a.shape != shape:
            self.output.resize(shape)
        x = as_batch(a)
        out = as_batch(self.output._a)
        idx = as_batch(self.indices._a)
        stop = self.dW * (shape[-2] - 1) + 1
        # kW passes over strided frame slices with branch-free ufuncs (masked copies are slow): the max first,
        # then, from the last offset down to the first, idx <- k where the frame equals the max (ties: first).
        np.copyto(out, x[:, 0:stop:self.dW])
        for k in range(1, self.kW):
            np.maximum(out, x[:, k:k + stop:self.dW], out=out)
        idx.fill(self.kW - 1)
        xp = backend.xp(a)
        eq = xp.empty(out.shape, bool)
        step = xp.empty(out.shape, np.int64)
        for k in range(self.kW - 2, -1, -1):
            np.equal(x[:, k:k + stop:self.dW], out, out=eq)
            np.subtract(k, idx, out=step)
            np.multiply(step, eq, out=step)
            idx += step
        return self.output

    def updateGradInput(self, input, gradOutput):
        a = input._a
        if self.gradInput._a.shape != a.shape:
            self.gradInput.resize(a.shape)
        gi = as_batch(self.gradInput._a)
        gi.fill(0)
        go = as_batch(gradOutput._a)
        idx = as_batch(self.indices._a)
        nout = go.shape[1]
        stop = self.dW * (nout - 1) + 1
        xp = backend.xp(go)
        hit = xp.empty(go.shape, bool)
        part = xp.empty(go.shape, go.dtype)
        for k in range(self.kW):
            np.equal(idx, k, out=hit)
            np.multiply(go, hit, out=part)
            gi[:, k:k + stop:self.dW, :] += part
        return self.gradInput

    def clearState(self) -> TemporalMaxPooling:
        self.indices.set()
        return super().clearState()
