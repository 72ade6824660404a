"""nn.Normalize: divide each vector by its Lp norm."""

from __future__ import annotations

import math

import numpy as np

from torch7._core import backend

from . import utils
from .Module import Module


class Normalize(Module):
    """``output = input / (||input||_p + eps)`` over the last dimension (each row of a batch).

    For finite ``p`` the norm is ``(sum |x|^p + eps)^(1/p)``; for ``p = math.inf`` it is
    ``max |x| + eps``.

    Args:
        p: the norm's order, > 0 (``math.inf`` for the max norm).
        eps: added inside the norm to avoid a division by zero (default 1e-10).

    Shape:
        ``(d)`` or ``(N, d)`` (any leading dims are treated as the batch); output of the same shape.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> nn.Normalize(2).forward(torch.Tensor([[3, 4]])).numpy().round(6).tolist()
        [[0.6, 0.8]]
        >>> nn.Normalize(1.5)
        nn.Normalize(1.500000)
    """

    def __init__(self, p: float, eps: float = 1e-10) -> None:
        super().__init__()
        if p is None or not p > 0:
            raise ValueError(f"nn.Normalize: {p}-norm not supported (p must be > 0)")
        self.p = p
        self.eps = eps

    def _rows(self, t):
        a = t._a
        if a.ndim == 0 or a.size == 0:
            raise ValueError(f"nn.Normalize: expected a vector or a batch of vectors, got size "
                             f"{'x'.join(map(str, t.size())) or '[empty]'}")
        return a.reshape(-1, a.shape[-1])

    def updateOutput(self, input):
        x = self._rows(input)
        self.norm = _buffer(self, "norm", input).resize(x.shape[0], 1)
        norm = self.norm._a
        if self.p == math.inf:
            ax = np.abs(x)
            idx = ax.argmax(1)[:, None]
            self._indices = input._long_cls._new(idx.astype(np.int64))  # 0-based arg-max of each row
            np.add(np.take_along_axis(ax, idx, 1), self.eps, out=norm)
        else:
            self.normp = _buffer(self, "normp", input).resize(x.shape[0], 1)
            ax = np.abs(x) if self.p % 2 != 0 else x
            np.sum(ax ** self.p, axis=1, keepdims=True, out=self.normp._a)
            self.normp._a += self.eps
            np.power(self.normp._a, 1.0 / self.p, out=norm)
        self.output.resizeAs(input)
        np.divide(x, norm, out=self.output._a.reshape(x.shape))
        return self.output

    def updateGradInput(self, input, gradOutput):
        x = self._rows(input)
        g = gradOutput._a.reshape(x.shape)
        norm = self.norm._a
        cross = np.einsum("ij,ij->i", x, g)[:, None]  # <x, gradOutput> per row
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a.reshape(x.shape)
        if self.p == math.inf:
            # d norm / dx = sign(x) at the arg-max only
            np.divide(g, norm, out=gi)
            rows = backend.xp(x).arange(x.shape[0])
            j = self._indices._a[:, 0]
            gi[rows, j] -= (x[rows, j] / norm[:, 0]) * cross[:, 0] / (norm[:, 0] * norm[:, 0])
        else:
            normp = self.normp._a
            p = self.p
            # buffer = x * |x|^(p-2) (with eps inside the abs for p < 2, as Torch7)
            if p == 2:
                buf = x
            elif p % 2 != 0 and p < 2:
                buf = (np.abs(x) + self.eps) ** (p - 2) * x
            elif p % 2 != 0:
                buf = np.abs(x) ** (p - 2) * x
            else:
                buf = x ** (p - 2) * x
            np.multiply(g, normp, out=gi)
            gi -= buf * cross
            gi /= normp * norm
        return self.gradInput

    def clearState(self) -> Normalize:
        utils.clear(self, "norm", "normp", "buffer", "cross", "_output", "_gradInput", "_indices")
        return super().clearState()

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self._indices = None
        return super().type(typename, tensorCache)

    def __repr__(self) -> str:
        if self.p % 1 == 0:
            return f"{self._typename}({int(self.p)})"
        return f"{self._typename}({self.p:f})"


def _buffer(module, name: str, like):
    """The tensor field ``name`` of ``module``, created (of ``like``'s type) on first use."""
    t = getattr(module, name, None)
    if t is None or type(t) is not type(like):
        t = like.new()
    return t
