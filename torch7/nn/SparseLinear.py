"""nn.SparseLinear: a Linear layer on sparse (index, value) inputs."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Linear import _sz
from .Module import Module

# states of the sparse update (does lastInput describe every accumulated gradient?)
NO_LAST_INPUT = 0
ONE_LAST_INPUT = 1
ACC_MULTIPLE_TIMES = 2


class SparseLinear(Module):
    """``output = weight @ x + bias`` where ``x`` is given by its non-zero entries.

    A sample is an ``nnz x 2`` tensor of rows ``(index, value)``, 0-based indices stored as numbers
    of the tensor's type. Three input forms, as in Torch7:

    * one ``nnz x 2`` tensor: a single sample, output ``(outputSize)``;
    * a list of ``nnz_i x 2`` tensors: a batch, output ``(N, outputSize)``;
    * a ``N x nnz x 2`` tensor (legacy batch form, every sample with ``nnz`` entries; entries with
      value 0 are padding and ignored).

    When only one gradient has been accumulated since ``zeroGradParameters``,
    ``updateParameters`` and ``zeroGradParameters`` touch only the weight columns of the last
    input (the sparse update). ``weightDecay`` (default 0) adds ``weightDecay * weight`` to the
    gradient. ``gradInput`` is empty unless ``doGradInput``; then it is dense: per sample an
    ``inputSize x 2`` tensor of ``(index, gradient)`` (a list; the legacy form gives ``N x inputSize x 2``).

    Args:
        inputSize: number of input features (the range of the indices).
        outputSize: number of outputs.
        doGradInput: compute ``gradInput`` (default False).

    Shape:
        see above; ``weight`` is ``outputSize x inputSize``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.SparseLinear(10, 2)
        >>> _ = m.weight.fill(1); _ = m.bias.zero()
        >>> m.forward(torch.Tensor([[0, 2.0], [7, 3.0]])).numpy().tolist()
        [5.0, 5.0]
        >>> m.forward([torch.Tensor([[1, 1.0]]), torch.Tensor([[2, -1.0], [3, 4.0]])]).size()
        torch.Size([2, 2])
    """

    def __init__(self, inputSize: int, outputSize: int, doGradInput: bool = False) -> None:
        super().__init__()
        if not isinstance(doGradInput, bool):
            raise TypeError(f"nn.SparseLinear: doGradInput must be a bool, got {type(doGradInput).__name__}")
        self.weightDecay = 0
        self.doGradInput = doGradInput
        self.weight = torch.Tensor(outputSize, inputSize).zero()
        self.bias = torch.Tensor(outputSize).zero()
        self.gradWeight = torch.Tensor(outputSize, inputSize).zero()
        self.gradBias = torch.Tensor(outputSize).zero()
        self.lastInput = None
        self.sparseUpdate = NO_LAST_INPUT
        self.formatted_input = None
        self.gradInput = []
        self.output.resize(outputSize)
        self.reset()

    def reset(self, stdv: float | None = None) -> SparseLinear:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(1))
        self.weight.uniform(-stdv, stdv)
        self.bias.uniform(-stdv, stdv).mul(0.000001)
        return self

    def _name(self) -> str:
        return f"{self._typename}({self.weight.size(1)} -> {self.weight.size(0)})"

    # ---- input forms ---------------------------------------------------------------------
    def reshapeInput(self, input):
        """``(samples, batchMode, legacyMode)``: Torch7's classification of the input form."""
        if isinstance(input, (list, tuple)):
            return list(input), True, False
        if not torch.isTensor(input):
            raise TypeError(f"{self._name()}: input must be a tensor or a list of tensors, got {type(input).__name__}")
        if input.dim() == 2:
            return [input], False, False
        return input, True, True

    def _coo(self, input):
        """(rows, cols, vals, nbatch, batchMode, legacyMode) of the non-padding entries, indices checked."""
        samples, batchMode, legacyMode = self.reshapeInput(input)
        xp = backend.xp(self.weight._a)
        if legacyMode:
            a = samples._a
            if a.ndim != 3 or a.shape[2] != 2:
                raise ValueError(f"{self._name()}: input size must be batchsize x nnz x 2 (or nnz x 2, or a list), "
                                 f"got {_sz(samples)}")
            nb = a.shape[0]
            rows = xp.repeat(xp.arange(nb), a.shape[1])
            flat = a.reshape(-1, 2)
            cols, vals = flat[:, 0], flat[:, 1]
        else:
            for s in samples:
                if s.dim() != 2 or s.size(1) != 2:
                    raise ValueError(f"{self._name()}: each sample must be nnz x 2 (index, value), got {_sz(s)}")
            nb = len(samples)
            sizes = [s.size(0) for s in samples]
            rows = xp.repeat(xp.arange(nb), sizes)
            cat = xp.concatenate([s._a for s in samples]) if nb else xp.zeros((0, 2))
            cols, vals = cat[:, 0], cat[:, 1]
            self.formatted_input = self.formatted_input if torch.isTensor(self.formatted_input) else \
                (samples[0].new() if nb else self.weight.new())
            self.formatted_input.resize(rows.size, 3)
            if rows.size:  # no entries at all: Torch7's empty tensor has no columns to fill
                fi = self.formatted_input._a
                fi[:, 0], fi[:, 1], fi[:, 2] = rows, cols, vals
        keep = vals != 0  # zero entries contribute nothing (and may be padding)
        rows, cols, vals = rows[keep], cols[keep].astype(np.int64), vals[keep]
        n_in = self.weight.size(1)
        bad = (cols < 0) | (cols >= n_in)
        if bad.any():
            raise IndexError(f"{self._name()}: index {cols[bad][0]} out of range [0, {n_in})")
        return rows, cols, vals, nb, batchMode, legacyMode

    # ---- forward / backward ------------------------------------------------------------------
    def updateOutput(self, input):
        if self.sparseUpdate == ONE_LAST_INPUT:
            self.sparseUpdate = ACC_MULTIPLE_TIMES
        rows, cols, vals, nb, batchMode, legacyMode = self._coo(input)
        self.legacyMode = legacyMode
        w, b = self.weight._a, self.bias._a
        if batchMode:
            self.output.resize(nb, w.shape[0])
        else:
            self.output.resize(w.shape[0])
        out = self.output._a.reshape(-1, w.shape[0])
        out[:] = b
        np.add.at(out, rows, vals[:, None] * w[:, cols].T)
        return self.output

    def updateGradInput(self, input, gradOutput):
        samples, batchMode, legacyMode = self.reshapeInput(input)
        self.legacyMode = legacyMode
        n_in = self.weight.size(1)
        if legacyMode:
            if not torch.isTensor(self.gradInput):
                self.gradInput = gradOutput.new()
            self.gradInput.resizeAs(input).zero()
        else:
            self.gradInput = []
        if self.doGradInput:
            gi = np.matmul(gradOutput._a.reshape(-1, self.weight.size(0)), self.weight._a)  # dense, N x inputSize
            idx = backend.xp(gi).arange(n_in)
            if legacyMode:
                self.gradInput.resize(gi.shape[0], n_in, 2)
                self.gradInput._a[:, :, 0] = idx
                self.gradInput._a[:, :, 1] = gi
            else:
                for row in gi:
                    t = gradOutput.new(n_in, 2)
                    t._a[:, 0] = idx
                    t._a[:, 1] = row
                    self.gradInput.append(t)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        rows, cols, vals, nb, batchMode, legacyMode = self._coo(input)
        self.legacyMode = legacyMode
        if self.sparseUpdate == NO_LAST_INPUT:
            v = input if legacyMode else self.formatted_input
            self.lastInput = self.lastInput if torch.isTensor(self.lastInput) else gradOutput.new()
            self.lastInput.resizeAs(v).copy(v)
            self.sparseUpdate = ONE_LAST_INPUT
        elif self.sparseUpdate == ONE_LAST_INPUT:
            self.sparseUpdate = ACC_MULTIPLE_TIMES
        g = gradOutput._a.reshape(-1, self.weight.size(0))
        gwt = self.gradWeight._a.T  # inputSize x outputSize view: one row per input index
        np.add.at(gwt, cols, (scale * vals)[:, None] * g[rows])
        self.gradBias._a += scale * g.sum(0)
        if self.weightDecay:
            self.gradWeight._a += self.weightDecay * self.weight._a

    # ---- sparse updates ------------------------------------------------------------------------
    def _last_columns(self) -> np.ndarray:
        a = self.lastInput._a
        flat = a.reshape(-1, 2) if a.ndim == 3 else a[:, 1:3]  # legacy input, or (row, col, value)
        cols = flat[flat[:, 1] != 0, 0].astype(np.int64)
        return np.unique(cols)

    def _sparse(self) -> bool:
        return torch.isTensor(self.lastInput) and self.lastInput.nElement() > 0 \
            and self.sparseUpdate == ONE_LAST_INPUT

    def updateParameters(self, learningRate: float) -> None:
        if self._sparse():
            cols = self._last_columns()
            self.bias._a -= learningRate * self.gradBias._a
            self.weight._a[:, cols] -= learningRate * self.gradWeight._a[:, cols]
        else:
            super().updateParameters(learningRate)

    def zeroGradParameters(self) -> None:
        if self._sparse():
            self.gradBias.zero()
            self.gradWeight._a[:, self._last_columns()] = 0
        else:
            super().zeroGradParameters()
        self.sparseUpdate = NO_LAST_INPUT

    def clearState(self) -> SparseLinear:
        if torch.isTensor(self.lastInput):
            self.lastInput.set()
        if torch.isTensor(self.formatted_input):
            self.formatted_input.set()
        self.sparseUpdate = NO_LAST_INPUT
        return super().clearState()
