"""nn.TemporalDynamicKMaxPooling: keep the k largest frames of each feature, in order."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core import backend

from .functional.temporal import size_str
from .Module import Module


class TemporalDynamicKMaxPooling(Module):
    """Dynamic k-max pooling (Kalchbrenner et al., 2014) along the sequence dimension.

    For each feature, the ``k`` largest values of the sequence are kept in their original order, with
    ``k = max(minK, ceil(factor * T))``. ``indices`` (LongTensor, shaped like the output) holds their
    0-based frame positions (Torch7 stored them 1-based; the .t7 loader converts).

    Args:
        minK: the smallest k (the sequence must have at least ``minK`` frames).
        factor: fraction of the sequence length to keep (default 0).

    Shape:
        input ``(T, C)`` or ``(N, T, C)``; output ``(k, C)`` or ``(N, k, C)``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.TemporalDynamicKMaxPooling(2)
        >>> m.forward(torch.Tensor([[1], [4], [2], [3]])).numpy().ravel().tolist()
        [4.0, 3.0]
    """

    def __init__(self, minK: int, factor: float = 0) -> None:
        super().__init__()
        self.minK = minK
        self.factor = factor or 0

    def updateOutput(self, input):
        a = input._a
        if a.ndim not in (2, 3) or not a.size:
            raise ValueError("nn.TemporalDynamicKMaxPooling: only 2-D or 3-D (batch) inputs, "
                             f"got size {size_str(input)}")
        d = a.ndim - 2
        T = a.shape[d]
        k = max(self.minK, math.ceil(self.factor * T))
        if T < k:
            raise ValueError(f"nn.TemporalDynamicKMaxPooling: input of size {size_str(input)}: sequence length {T} "
                             f"too small for k = {k}")
        ar = backend.xp(a).arange
        top = np.argpartition(-a, k - 1, axis=d) if k < T else np.broadcast_to(ar(T)[:, None], a.shape)
        idx = np.sort(np.take(top, ar(k), axis=d), axis=d)
        if not isinstance(getattr(self, "indices", None), input._long_cls):  # a CudaLongTensor on the GPU
            self.indices = input._long_cls()
        self.indices.resize(idx.shape)
        self.indices._a[...] = idx
        if self.output._a.shape != idx.shape:
            self.output.resize(idx.shape)
        self.output._a[...] = np.take_along_axis(a, idx, d)
        return self.output

    def updateGradInput(self, input, gradOutput):
        a = input._a
        if self.gradInput._a.shape != a.shape:
            self.gradInput.resize(a.shape)
        gi = self.gradInput._a
        gi.fill(0)
        # The kept positions are distinct along the sequence: a scatter, not an accumulation.
        np.put_along_axis(gi, self.indices._a, gradOutput._a, a.ndim - 2)
        return self.gradInput

    def clearState(self) -> TemporalDynamicKMaxPooling:
        torch.nn.utils.clear(self, "indices")
        return super().clearState()
