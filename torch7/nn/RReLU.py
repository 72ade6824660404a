"""nn.RReLU: the randomized leaky ReLU (random negative slopes while training)."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core.backend import ufunc_where

from . import utils
from .functional.activation import grad_array, nonempty, out_like
from .Module import Module


class RReLU(Module):
    """``f(x) = x`` if ``x > 0``, else ``a * x``, with ``a ~ U(lower, upper)`` while training.

    In training mode every non-positive element gets its own slope (or, with ``channelwise``, each
    channel one slope), drawn from Torch7's generator in the same order as Torch7 draws them, and
    kept in ``noise`` for the backward pass. In evaluation mode the slope is ``(lower + upper) / 2``.

    Args:
        l: lower bound of the slopes (default 1/8; stored as ``lower``).
        u: upper bound (default 1/3; stored as ``upper``), ``0 <= l <= u``.
        ip: write the output into the input and the gradient into gradOutput (default False).
        cw: one slope per channel (dim 1 of a 2-D or 4-D input, dim 0 of a 1-D or 3-D one)
            rather than per element (default False; stored as ``channelwise``).

    Shape:
        any shape (1-D to 4-D with ``channelwise``); the output has the shape of the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.RReLU()
        >>> m
        nn.RReLU (l:0.125000, u:0.333333, channel-wise:false)
        >>> y = m.forward(torch.Tensor([-1, -1, 2]))
        >>> all(-1 / 3 <= v <= -1 / 8 for v in y.tolist()[:2]), y[2]
        (True, 2.0)
        >>> m.evaluate().forward(torch.Tensor([-1, 2])).tolist()
        [-0.22916666666666666, 2.0]
    """

    def __init__(self, l: float = 1 / 8, u: float = 1 / 3, ip: bool = False, cw: bool = False) -> None:
        super().__init__()
        self.lower = l
        self.upper = u
        if not (0 <= self.lower <= self.upper):
            raise ValueError(f"{self._typename}: need 0 <= lower <= upper, got lower={l} upper={u}")
        self.noise = torch.Tensor()
        self.train = True
        self.inplace = bool(ip)
        self.channelwise = bool(cw)

    # ---- helpers -------------------------------------------------------------------------------
    def _channel_shape(self, a: np.ndarray) -> tuple:
        """Shape that broadcasts one value per channel (Torch7: dim (ndim + 1) % 2)."""
        if not 1 <= a.ndim <= 4:
            raise ValueError(f"{self._typename}: channel-wise mode needs a 1D to 4D input, got {a.ndim}D")
        shape = [1] * a.ndim
        shape[(a.ndim + 1) % 2] = a.shape[(a.ndim + 1) % 2]
        return tuple(shape)

    def _draw(self, n: int, like) -> np.ndarray:
        """``n`` slopes from the global generator (in the module's type, as THNN casts them)."""
        if n == 0:
            return np.empty(0, like._a.dtype)
        return like.new(n).uniform(self.lower, self.upper)._a

    # ---- forward / backward --------------------------------------------------------------------
    def updateOutput(self, input):
        a = nonempty(self, input)
        o = a if self.inplace else out_like(self.output, a)
        if self.noise._typename != input._typename:
            self.noise = input.new()
        neg = a <= 0
        if self.train and self.channelwise:
            r = self._draw(a.shape[(a.ndim + 1) % 2], input).reshape(self._channel_shape(a))
            if self.inplace:
                nz = out_like(self.noise, a)
                nz.fill(1)
                np.copyto(nz, np.broadcast_to(r, a.shape), where=neg)
            else:
                self.noise.resize(r.size)
                self.noise._a[...] = r.reshape(-1)
        elif self.train:
            nz = out_like(self.noise, a)
            nz.fill(1)
            nz[neg] = self._draw(int(np.count_nonzero(neg)), input)
            r = nz
        else:
            r = (self.lower + self.upper) / 2
        if not self.inplace:
            np.copyto(o, a)
        ufunc_where(np.multiply, a, r, out=o, where=neg)
        if self.inplace:
            self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        a = input._a
        g = grad_array(self, input, gradOutput)
        gi = g if self.inplace else out_like(self.gradInput, a)
        if self.train and self.upper - self.lower > 1e-6:
            if self.channelwise and not self.inplace:
                r = self.noise._a.reshape(self._channel_shape(a))
                np.copyto(gi, g)
                ufunc_where(np.multiply, g, r, out=gi, where=a <= 0)
            else:
                np.multiply(g, self.noise._a.reshape(a.shape), out=gi)
        else:
            r = (self.lower + self.upper) / 2
            if not self.inplace:
                np.copyto(gi, g)
            ufunc_where(np.multiply, g, r, out=gi, where=a <= 0)
        if self.inplace:
            self.gradInput.set(gradOutput)
        return self.gradInput

    def __repr__(self) -> str:
        cw = "true" if self.channelwise else "false"
        return f"{self._typename} (l:{self.lower:f}, u:{self.upper:f}, channel-wise:{cw})"

    def clearState(self) -> RReLU:
        utils.clear(self, "noise")
        return super().clearState()
