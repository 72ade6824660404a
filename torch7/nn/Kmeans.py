"""nn.Kmeans: online (hard) k-means; the output is each sample's nearest centroid."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core import backend

from .Linear import _sz
from .Module import Module


class Kmeans(Module):
    """Online k-means layer: ``output[n]`` is the 0-based index of the centroid nearest to ``input[n]``.

    The centroids are the rows of ``weight``. ``loss`` holds the summed squared distance of the
    last forward. ``accGradParameters`` stores in ``gradWeight`` the update direction
    ``-scale * mean(x - c_k)`` over the samples assigned to each centroid ``c_k``, so that
    ``updateParameters(lr)`` moves each centroid toward its samples. ``gradInput`` is zero (the
    layer has its own criterion). Use ``initRandom`` or ``initKmeansPlus`` to seed the centroids.

    Args:
        k: number of clusters.
        dim: features per sample.
        scale: factor of the centroid update; when set, it overrides the ``scale`` passed to
            ``accGradParameters``.

    Shape:
        input ``(N, dim)``; output ``(N)`` (indices, in the module's tensor type). ``weight`` is ``k x dim``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Kmeans(2, 1)
        >>> _ = m.weight.copy(torch.Tensor([[0], [10]]))
        >>> m.forward(torch.Tensor([[1], [9], [-2]])).numpy().tolist(), m.loss
        ([0.0, 1.0, 0.0], 6.0)
    """

    def __init__(self, k: int, dim: int, scale: float | None = None) -> None:
        super().__init__()
        if not k > 0:
            raise ValueError(f"nn.Kmeans: clusters cannot be 0 or negative (k = {k})")
        if not dim > 0:
            raise ValueError(f"nn.Kmeans: dimensionality cannot be 0 or negative (dim = {dim})")
        self.k = k
        self.dim = dim
        self.scale = scale
        self.weight = torch.Tensor(k, dim)
        self.gradWeight = torch.Tensor(k, dim)
        self.loss = 0
        self.clusterSampleCount = torch.Tensor(k)
        self.reset()

    def reset(self, stdev: float | None = None) -> Kmeans:
        stdev = 1 if stdev is None else stdev
        self.weight.uniform(-stdev, stdev)
        return self

    def _check(self, input, what: str) -> np.ndarray:
        x = input._a
        if x.ndim != 2:
            raise ValueError(f"nn.Kmeans({self.k}, {self.dim}).{what}: expecting a 2D input, got size {_sz(input)}")
        if x.shape[1] != self.dim:
            raise ValueError(f"nn.Kmeans({self.k}, {self.dim}).{what}: input of size {_sz(input)} has "
                             f"{x.shape[1]} features, expected {self.dim}")
        return x

    def initRandom(self, input) -> None:
        """Centroids = ``k`` samples of ``input`` drawn uniformly (with replacement), as Torch7 does."""
        x = self._check(input, "initRandom")
        if x.shape[0] < self.k:
            raise ValueError(f"nn.Kmeans.initRandom: need at least k = {self.k} samples, got {x.shape[0]}")
        indices = torch.zeros(self.k).random(0, x.shape[0] - 1)
        self.weight._a[:] = x[backend.like(x, indices._a.astype(np.int64))]

    def initKmeansPlus(self, input, p: float | None = None) -> None:
        """k-means++ style seeding: each new centroid is drawn among the ``ceil((1-p) N)`` samples
        farthest from the centroids chosen so far (``p`` defaults to 0.95)."""
        if p is None:
            p = getattr(self, "p", None)
        self.p = 0.95 if p is None else p
        if not 0 <= self.p <= 1:
            raise ValueError(f"nn.Kmeans.initKmeansPlus: p should be between 0 and 1, got {self.p}")
        x = self._check(input, "initKmeansPlus")
        n = x.shape[0]
        pcount = max(math.ceil((1 - self.p) * n), 1)
        w = self.weight._a
        w[0] = x[torch.random(0, n - 1)]
        distances = backend.xp(x).full(n, math.inf, x.dtype)
        for k in range(1, self.k):
            d = x - w[k - 1]
            distances = np.minimum(distances, np.einsum("ij,ij->i", d, d))
            order = np.argsort(-distances, kind="stable")
            w[k] = x[int(order[torch.random(0, pcount - 1)])]

    def updateOutput(self, input):
        x = self._check(input, "updateOutput")
        d = x[None, :, :] - self.weight._a[:, None, :]   # k x N x dim
        dist = np.einsum("knd,knd->kn", d, d)
        idx = dist.argmin(0)
        self._minIndx = input._long_cls._new(idx.astype(np.int64))
        self.output.resize(x.shape[0])
        self.output._a[:] = idx
        self.loss = float(dist[idx, backend.xp(x).arange(x.shape[0])].sum())
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        scale = self.scale if self.scale is not None else scale
        if not scale > 0:
            raise ValueError(f"nn.Kmeans.accGradParameters: scale has to be positive, got {scale}")
        x = self._check(input, "accGradParameters")
        idx = self._minIndx._a
        counts = backend.xp(x).bincount(idx, minlength=self.k).astype(x.dtype)
        self.clusterSampleCount._a[:] = counts
        grad = np.zeros_like(self.weight._a)
        np.add.at(grad, idx, -scale * (x - self.weight._a[idx]))
        grad /= (counts + 1e-7)[:, None]
        self.gradWeight._a += grad

    def clearState(self) -> Kmeans:
        for k in ("_expandedSamples", "_clusterDistances", "_temp", "_tempExpanded", "_tempWeight",
                  "_tempWeightExp", "_expandedWeight", "_minScore", "_minIndx", "_cscAdder"):
            if k in vars(self):
                setattr(self, k, None)
        return super().clearState()

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.clearState()
        return super().type(typename, tensorCache)
