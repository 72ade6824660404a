"""nn.LookupTable: embedding of integer indices (0-based) into rows of a weight matrix."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7._core import backend
from torch7._core.backend import xp as engine

from .functional.temporal import size_str
from .Module import Module


class LookupTable(Module):
    """Map each 0-based index ``i`` of the input to the row ``weight[i]``.

    Args:
        nIndex: number of rows (indices ``0 .. nIndex-1``).
        nOutput: size of each embedding.
        paddingValue: ``None`` (default): no padding row; an int: the 0-based index whose row gets no
            gradient. (Torch7 stored a 1-based index with 0 meaning "none": the .t7 loader maps
            ``p > 0`` to ``p - 1`` and ``0`` to ``None``.)
        maxNorm: when set, every row looked up is first rescaled in place to norm at most ``maxNorm``.
        normType: the p of that norm (default 2).

    Also: ``accUpdateOnly()`` (drop ``gradWeight``), ``setPadding``, ``setMaxNorm``, ``setNormType``,
    ``scaleGradByFreq()`` (divide each row's gradient by the count of its index in the mini-batch).
    Indices may be a LongTensor or any tensor holding integers. ``backward`` gives no gradient for
    the indices: ``gradInput`` is a zero tensor of the input's type and size.

    Shape:
        input ``(L)`` or ``(N, L)``; output ``(L, nOutput)`` or ``(N, L, nOutput)``.
        ``weight`` is ``nIndex x nOutput``, initialised from N(0, 1).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.LookupTable(10, 3)
        >>> list(m.forward(torch.LongTensor([[0, 9], [4, 4]])).size())
        [2, 2, 3]
        >>> bool((m.output[1][0].numpy() == m.weight[4].numpy()).all())
        True
    """

    _version = 4  # Torch7's __version

    def __init__(self, nIndex: int, nOutput: int, paddingValue: int | None = None, maxNorm: float | None = None,
                 normType: float | None = None) -> None:
        super().__init__()
        self.weight = torch.Tensor(nIndex, nOutput)
        self.gradWeight = torch.Tensor(nIndex, nOutput).zero()
        self.paddingValue = paddingValue
        self.maxNorm = maxNorm
        self.normType = normType
        self.shouldScaleGradByFreq = False
        self._count = torch.IntTensor()
        self._input = torch.LongTensor()
        self.reset()

    # ---- configuration ------------------------------------------------------------------------
    def backCompatibility(self) -> None:
        if getattr(self, "_count", None) is None:
            self._count = torch.IntTensor()
        if getattr(self, "_input", None) is None:
            self._input = torch.LongTensor()
        if not getattr(self, "shouldScaleGradByFreq", False):
            self.shouldScaleGradByFreq = False

    def accUpdateOnly(self) -> LookupTable:
        self.gradWeight = None
        return self

    def setPadding(self, paddingValue: int | None) -> LookupTable:
        self.paddingValue = paddingValue
        return self

    def setMaxNorm(self, maxNorm: float | None) -> LookupTable:
        self.maxNorm = maxNorm
        return self

    def setNormType(self, normType: float | None) -> LookupTable:
        self.normType = normType
        return self

    def scaleGradByFreq(self) -> LookupTable:
        self.shouldScaleGradByFreq = True
        return self

    def reset(self, stdv: float | None = None) -> LookupTable:
        self.weight.normal(0, 1 if stdv is None else stdv)
        return self

    # ---- computation ---------------------------------------------------------------------------
    def _indices(self, input) -> np.ndarray:
        """The indices as a flat int64 array (copied into ``_input`` when not a contiguous LongTensor)."""
        if not torch.isTensor(input):
            raise TypeError(f"nn.LookupTable: expected a tensor of indices, got {type(input).__name__}")
        a = input._a
        if a.ndim not in (1, 2) or not a.size:
            raise ValueError(f"nn.LookupTable: input must be a vector or matrix, got size {size_str(input)}")
        if a.dtype == np.int64 and a.flags.c_contiguous:
            idx = a.reshape(-1)
        else:
            if a.dtype.kind == "f" and not np.array_equal(a, np.floor(a)):
                raise TypeError(f"nn.LookupTable: indices must be integers, got {input._typename} with fractions")
            self.backCompatibility()
            if type(self._input) is not type(self.weight)._long_cls:  # a CudaLongTensor on the GPU
                self._input = type(self.weight)._long_cls()
            if self._input._a.shape != a.shape:
                self._input.resize(a.shape)
            self._input._a[...] = a
            idx = self._input._a.reshape(-1)
        n = self.weight._a.shape[0]
        if idx.size and not backend.capturing() and (idx.min() < 0 or idx.max() >= n):  # (a capture cannot read)
            bad = idx[(idx < 0) | (idx >= n)][0]
            raise IndexError(f"nn.LookupTable({n} x {self.weight._a.shape[1]}): index {bad} out of range "
                             f"[0, {n - 1}] in input of size {size_str(input)}")
        return idx

    def renorm(self, idx: np.ndarray) -> None:
        """Rescale the rows of ``weight`` at ``idx`` whose norm exceeds ``maxNorm`` (in place)."""
        if not getattr(self, "maxNorm", None):
            return
        p = getattr(self, "normType", None) or 2
        rows = np.unique(idx)
        w = self.weight._a
        r = w[rows]
        norms = (np.abs(r) ** p).sum(1) ** (1.0 / p)
        big = norms > self.maxNorm
        if big.any():
            w[rows[big]] = r[big] * (self.maxNorm / (norms[big] + 1e-7))[:, None]

    def updateOutput(self, input):
        idx = self._indices(input)
        self.renorm(idx)
        w = self.weight._a
        shape = input._a.shape + (w.shape[1],)
        if type(self.output) is not type(self.weight):
            self.output = self.weight.new()
        if self.output._a.shape != shape:
            self.output.resize(shape)
        np.take(w, idx, axis=0, out=self.output._a.reshape(idx.size, w.shape[1]))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if type(self.gradInput) is not type(input):
            self.gradInput = input.new()
        if self.gradInput._a.shape != input._a.shape:
            self.gradInput.resizeAs(input).zero()
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        if getattr(self, "gradWeight", None) is None:
            raise ValueError("nn.LookupTable: no gradWeight (accUpdateOnly() was called); use accUpdateGradParameters")
        self._acc(self.gradWeight._a, input, gradOutput, scale)

    def _acc(self, target: np.ndarray, input, gradOutput, scale: float) -> None:
        """``target[idx[i]] += scale * g[i]`` for every position, duplicates summed (sort + reduceat)."""
        self.backCompatibility()
        idx = self._indices(input)
        nout = target.shape[1]
        g = gradOutput._a.reshape(idx.size, nout)
        pad = getattr(self, "paddingValue", None)
        keep = None if pad is None else idx != pad
        if keep is not None and not keep.all():
            idx, g = idx[keep], g[keep]
        if not idx.size:
            return
        if not isinstance(target, np.ndarray):  # on the GPU: one atomic scatter-add
            _device_acc(self, target, idx, g, scale)
            return
        order = np.argsort(idx, kind="stable")
        sidx = idx[order]
        starts = np.flatnonzero(np.r_[True, sidx[1:] != sidx[:-1]])
        rows = sidx[starts]
        sums = np.add.reduceat(g[order], starts, axis=0)
        if getattr(self, "shouldScaleGradByFreq", False):
            counts = np.diff(np.r_[starts, sidx.size])
            self._count.resize(idx.size)
            self._count._a[order] = np.repeat(counts, counts)
            sums /= counts[:, None]
        if scale != 1:
            sums *= scale
        target[rows] += sums

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self._acc(self.weight._a, input, gradOutput, -lr)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self.accUpdateGradParameters(input, gradOutput, lr)

    def type(self, typename: str | None = None, tensorCache: dict | None = None):
        if typename is None:
            return super().type()
        super().type(typename, tensorCache)
        self._count = torch.IntTensor()
        self._input = torch.LongTensor()
        return self

    def clearState(self) -> LookupTable:
        torch.nn.utils.clear(self, "_count", "_input", "_gradOutput")
        return super().clearState()


def _device_acc(m, target, idx, g, scale: float) -> None:
    """``target[idx[i]] += scale * g[i]`` on CuPy arrays (repeated indices add up: ``ufunc.at`` is
    CuPy's atomic scatter-add)."""
    xp = engine(idx)
    if getattr(m, "shouldScaleGradByFreq", False):
        counts = xp.bincount(idx)[idx]
        g = g / counts[:, None]
    xp.add.at(target, idx, g * scale if scale != 1 else g)
