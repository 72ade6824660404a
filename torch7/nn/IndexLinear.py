"""nn.IndexLinear: a Linear layer on sparse (keys, values) inputs with sparse updates."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Module import Module


def _rounds(rows: np.ndarray):
    """Index arrays splitting ``rows`` into rounds where each row occurs at most once, in order.

    Processing the rounds one after another reproduces a sequential loop over the entries
    (an entry sees the effect of the earlier entries with the same row) without a Python loop
    per entry.
    """
    n = rows.size
    if n == 0:
        return
    xp = backend.xp(rows)
    order = xp.argsort(rows, kind="stable")
    srt = rows[order]
    start = xp.concatenate([xp.zeros(1, np.int64), xp.flatnonzero(srt[1:] != srt[:-1]) + 1])
    first = start[backend.segment_ids(xp.diff(xp.concatenate([start, xp.full(1, n, np.int64)])))]
    rank = xp.empty(n, np.int64)
    rank[order] = xp.arange(n) - first
    top = int(rank.max())
    if top == 0:
        yield xp.arange(n)
        return
    for r in range(top + 1):
        yield xp.flatnonzero(rank == r)


class IndexLinear(Module):
    """``output = bias + sum_i values_i * weight[keys_i]``: a Linear layer whose input is given as
    feature keys (0-based rows of ``weight``) and their values, for very large sparse inputs.

    Input forms (as in Torch7):

    * ``[keys, values]``: one sample (two 1-D tensors of the same length), output ``(outputSize)``;
    * ``[[keys_1, ..., keys_N], [values_1, ..., values_N]]``: a batch, output ``(N, outputSize)``;
    * ``[keys, values, sizes]``: a batch concatenated, ``sizes[n]`` entries per sample.

    The row used for a key is ``key + keysOffset``. ``weight`` is ``inputSize x outputSize``
    (transposed with respect to nn.Linear). Gradients are kept sparse: ``accGradParameters``
    stores one dense block per call in ``running`` (keys and rows of gradient) and
    ``updateParameters`` applies them to the touched rows only; ``parameters()`` therefore returns
    ``running`` in place of ``gradWeight`` (as Torch7), and ``getParameters`` does not apply.
    ``weightDecay`` (default 0) decays the touched rows at update time.

    With ``normalize``, ``weight`` has 4 extra leading columns per row: the largest ``|value|``
    seen for the key, its inverse, an update scale and a per-key bias. In training mode the
    forward pass updates them; values are divided by the largest ``|value|`` (clamped to
    ``[-1, 1]``) and shifted by the per-key bias before the product.

    Args:
        inputSize: number of rows (distinct keys).
        outputSize: number of outputs.
        doGradInput: compute a dense ``gradInput`` (default False; not with ``normalize``).
        keysOffset: added to each key to get its row (default 0).
        weight: a tensor to use as ``weight`` (shared, not copied).
        bias: a tensor to use as ``bias``.
        normalize: the max-abs normalisation above (default False).

    Shape:
        see above. The weight starts at zero, as in Torch7 (call ``reset()`` for random values).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.IndexLinear(100, 2)
        >>> _ = m.weight.fill(1)
        >>> m.forward([torch.LongTensor([3, 42]), torch.Tensor([0.5, 2])]).numpy().tolist()
        [2.5, 2.5]
    """

    def __init__(self, inputSize: int, outputSize: int, doGradInput: bool = False, keysOffset: int = 0,
                 weight=None, bias=None, normalize: bool = False) -> None:
        super().__init__()
        self.normalize = 4 if normalize else 0
        self.weight = weight if weight is not None else torch.Tensor(inputSize, outputSize + self.normalize).zero()
        self.bias = bias if bias is not None else torch.Tensor(outputSize).zero()
        self.inputSize = self.weight.size(0)
        self.outputSize = self.weight.size(1) - self.normalize
        self.gradWeight = torch.Tensor()  # sparse gradients live in running.gradWeight
        self.gradBias = torch.Tensor(self.outputSize).zero()
        self.gradWeightBuffer = torch.Tensor()
        self.valuesBuffer = torch.Tensor()
        self.normalizedValues = torch.Tensor()
        self.running = {"cumSumSizes": [], "keys": [], "gradWeight": [], "counter": 1}
        self.sizesCache = []
        self.cumSumSizesCache = []
        self.weightDecay = 0
        self.doGradInput = doGradInput or False
        self.offset = keysOffset or 0

    def reset(self, stdv: float | None = None) -> IndexLinear:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(1))
        self.weight.uniform(-stdv, stdv)
        self.bias.uniform(-stdv, stdv).mul(0.000001)
        if self.normalize:
            self.weight._a[:, :self.normalize] = 0
        return self

    def _name(self) -> str:
        return f"{self._typename}({self.inputSize} -> {self.outputSize})"

    # ---- input forms -------------------------------------------------------------------------
    def reshapeInput(self, input):
        if not isinstance(input, (list, tuple)) or len(input) not in (2, 3):
            raise TypeError(f"{self._name()}: input must be a list [keys, values] or [keys, values, sizes]")
        if len(input) == 3:
            keys, vals, sizes = input
            sizes = sizes if torch.isTensor(sizes) else torch.LongTensor([int(sizes)])
            if keys.dim() != 1 or keys.nElement() != vals.nElement():
                raise ValueError(f"{self._name()}: keys and values should be 1D and of the same size")
            self.isFlat, self.noBatch = True, False
            return keys, vals, sizes
        keys, vals = input
        if isinstance(keys, (list, tuple)) and isinstance(vals, (list, tuple)):
            self.isFlat, self.noBatch = False, False
            lkeys, lvals = list(keys), list(vals)
        elif torch.isTensor(keys) and torch.isTensor(vals):
            self.isFlat, self.noBatch = False, True
            lkeys, lvals = [keys], [vals]
        else:
            raise TypeError(f"{self._name()}: wrong input format (keys and values must be both tensors or both lists)")
        for k, v in zip(lkeys, lvals, strict=True):
            if k.dim() != 1 or v.dim() != 1 or k.nElement() != v.nElement():
                raise ValueError(f"{self._name()}: keys and values should be 1D and of the same size")
        return lkeys, lvals, None

    def flattenInputs(self, input) -> None:
        """Fill ``keys`` (a slot of ``running.keys``), ``values``, ``sizes`` and ``cumSumSizes``."""
        lkeys, lvals, sizes = self.reshapeInput(input)
        slot = self.running["counter"] - 1
        rk = self.running["keys"]
        L = self.weight._long_cls  # keys live with the weights (CudaLongTensor on a GPU)
        xp = backend.xp(self.weight._a)
        while len(rk) <= slot:
            rk.append(L())
        if type(rk[slot]) is not L:
            rk[slot] = L()
        self.keys = rk[slot]
        if not torch.isTensor(getattr(self, "values", None)) or self.values._typename != self.weight._typename:
            self.values = self.weight.new()
        if self.isFlat:
            k = lkeys._a.astype(np.int64)
            v = lvals._a
            sz = sizes._a.astype(np.int64).reshape(-1)
            self.lkeys, self.lvalues = [], []
        else:
            self.lkeys, self.lvalues = lkeys, lvals
            k = xp.concatenate([t._a.astype(np.int64) for t in lkeys]) if lkeys else xp.zeros(0, np.int64)
            v = xp.concatenate([t._a for t in lvals]) if lvals else xp.zeros(0)
            sz = backend.like(self.weight._a, np.array([t.nElement() for t in lkeys], np.int64))
        if sz.sum() != k.size:
            raise ValueError(f"{self._name()}: sizes add up to {int(sz.sum())} but there are {k.size} keys")
        rows = k + self.offset
        bad = (rows < 0) | (rows >= self.inputSize)
        if bad.any():
            raise IndexError(f"{self._name()}: key {k[bad][0]} (row {rows[bad][0]}) out of range for "
                             f"{self.inputSize} rows (keysOffset {self.offset})")
        self.keys.resize(k.size)
        self.keys._a[:] = k
        self.values.resize(k.size)
        self.values._a[:] = v
        self.sizes = L(sz.size)
        self.sizes._a[:] = sz
        self.cumSumSizes = L(sz.size)
        np.cumsum(sz, out=self.cumSumSizes._a)
        rc = self.running["cumSumSizes"]
        while len(rc) <= slot:
            rc.append(None)
        rc[slot] = self.cumSumSizes

    def _entries(self):
        """(rows, sample of each entry, number of samples) of the last flattened input."""
        sz = self.sizes._a
        return self.keys._a + self.offset, backend.segment_ids(sz), sz.size

    # ---- forward / backward ------------------------------------------------------------------
    def _normalized(self, rows: np.ndarray, vals: np.ndarray) -> np.ndarray:
        w = self.weight._a
        nv = backend.xp(w).empty(vals.shape, w.dtype)
        for idx in _rounds(rows):
            r, v = rows[idx], vals[idx]
            a = np.abs(v)
            if self.train:
                up = a > w[r, 0]
                w[r[up], 0] = a[up]
                w[r[up], 1] = 1 / a[up]
                w[r, 2] = 1
            nv[idx] = np.where(a > w[r, 0], np.sign(v), v * w[r, 1]) + w[r, 3]
        return nv

    def updateOutput(self, input):
        self.flattenInputs(input)
        rows, sample, nb = self._entries()
        vals = self.values._a
        if self.normalize:
            self.normalizedValues.resize(vals.size)
            self.normalizedValues._a[:] = self._normalized(rows, vals)
            vals = self.normalizedValues._a
        w = self.weight._a[:, self.normalize:]
        self.output.resize(nb, self.outputSize)
        out = self.output._a
        out[:] = self.bias._a
        np.add.at(out, sample, vals[:, None] * w[rows])
        if self.noBatch:
            self.output.resize(self.outputSize)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = []
        if self.doGradInput and self.normalize:
            raise NotImplementedError(f"{self._name()}: updateGradInput is not implemented in max-normalize mode")
        if not self.doGradInput:
            return self.gradInput
        ini = self.inputSize
        gi = np.matmul(gradOutput._a.reshape(-1, self.outputSize), self.weight._a.T)  # N x inputSize, dense
        L = self.weight._long_cls
        indices = backend.xp(gi).arange(ini)
        if self.isFlat:
            k = L(gi.shape[0], ini)
            k._a[:] = indices
            g = gradOutput.new(*gi.shape)
            g._a[:] = gi
            self.gradInput = [k, g]
        else:
            ks, gs = [], []
            for row in gi:
                k = L(ini)
                k._a[:] = indices
                g = gradOutput.new(ini)
                g._a[:] = row
                ks.append(k)
                gs.append(g)
            self.gradInput = [ks, gs]
        if self.noBatch:
            self.gradInput = [self.gradInput[0][0], self.gradInput[1][0]]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        slot = self.running["counter"] - 1
        rg = self.running["gradWeight"]
        while len(rg) <= slot:
            rg.append(self.values.new())
        rows, sample, nb = self._entries()
        vals = self.normalizedValues._a if self.normalize else self.values._a
        g = gradOutput._a.reshape(nb, self.outputSize)
        gs = scale * g[sample]  # keys x outputSize
        n_out = self.outputSize
        buf = rg[slot].resize(rows.size, 2 * n_out if self.normalize else n_out)._a
        if self.normalize:
            buf[:, :n_out] = gs
            np.multiply(gs, vals[:, None], out=buf[:, n_out:])
        else:
            np.multiply(gs, vals[:, None], out=buf)
        self.gradBias._a += scale * g.sum(0)
        self.running["counter"] += 1

    # ---- sparse updates -------------------------------------------------------------------------
    def _apply(self, rows: np.ndarray, grads: np.ndarray, lr: float) -> None:
        """``weight[rows] -= lr * grads`` entry by entry, with weight decay and the normalisation columns."""
        w, wd, n = self.weight._a, self.weightDecay, self.normalize
        n_out = self.outputSize
        if not n and not wd:
            np.add.at(w, rows, -lr * grads)
            return
        for idx in _rounds(rows):
            r = rows[idx]
            if n:
                s = w[r, 2:3]
                g1, g2 = grads[idx, :n_out], grads[idx, n_out:]
                w[r, 3] -= lr * s[:, 0] * (g1 * w[r, n:]).sum(1)
                ww = w[r, n:]
                if wd:
                    ww -= ww * (wd * s)
                ww -= g2 * (lr * s)
                w[r, n:] = ww
            else:
                ww = w[r]
                ww -= ww * wd
                ww -= lr * grads[idx]
                w[r] = ww

    def updateParameters(self, learningRate: float) -> None:
        counter = self.running["counter"]
        if counter <= 1:
            return
        if counter == 2:
            self.updateKeys = self.running["keys"][0]
            self.gradWeight = self.running["gradWeight"][0]
        else:
            keys = [self.running["keys"][i]._a for i in range(counter - 1)]
            grads = [self.running["gradWeight"][i]._a for i in range(counter - 1)]
            self.updateKeysBuffer = self.weight._long_cls(sum(k.size for k in keys))
            np.concatenate(keys, out=self.updateKeysBuffer._a)
            self.gradWeightBuffer = self.gradWeightBuffer.new(self.updateKeysBuffer.nElement(), grads[0].shape[1])
            np.concatenate(grads, out=self.gradWeightBuffer._a)
            self.updateKeys, self.gradWeight = self.updateKeysBuffer, self.gradWeightBuffer
        self.bias._a -= learningRate * self.gradBias._a
        self._apply(self.updateKeys._a + self.offset, self.gradWeight._a, learningRate)

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        rows, sample, nb = self._entries()
        vals = self.normalizedValues._a if self.normalize else self.values._a
        g = gradOutput._a.reshape(nb, self.outputSize)
        self.bias._a -= lr * g.sum(0)
        gs = g[sample]
        grads = np.concatenate([gs, gs * vals[:, None]], 1) if self.normalize else gs * vals[:, None]
        self._apply(rows, grads, lr)

    def zeroGradParameters(self) -> None:
        self.gradBias.zero()
        self.running["counter"] = 1

    def parameters(self):
        return [self.weight, self.bias], [self.running, self.gradBias]

    def clearState(self) -> IndexLinear:
        self.running["keys"] = []
        self.running["gradWeight"] = []
        self.running["cumSumSizes"] = []
        self.running["counter"] = 1
        for k in ("keys", "zerokeys", "updateKeys", "values", "sizes", "updateKeysBuffer"):
            setattr(self, k, None)
        self.lkeys, self.lvalues = [], []
        self.gradWeightBuffer = self.gradWeightBuffer.new()
        self.valuesBuffer = self.valuesBuffer.new()
        return super().clearState()

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.clearState()
        return super().type(typename, tensorCache)
