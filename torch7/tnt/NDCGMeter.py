"""tnt.NDCGMeter: normalized discounted cumulative gain of rankings, at levels K."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._args import parse
from .Meter import Meter, _fmt, _levels, _lookup, _matrix


def _dcg(rel_sorted: np.ndarray, levels: list[int]) -> np.ndarray:
    """DCG at each level for rows of relevances in ranked order: rel_1 + sum_{i=2..k} rel_i / log2(i)."""
    ranks = np.arange(1, rel_sorted.shape[1] + 1, dtype=np.float64)
    discount = np.ones_like(ranks)
    discount[1:] = 1.0 / np.log2(ranks[1:])
    gains = np.cumsum(rel_sorted * discount, axis=1)
    return gains[:, np.asarray(levels) - 1]


class NDCGMeter(Meter):
    """The normalized discounted cumulative gain (NDCG@k) of rankings, averaged over examples.

    For one example, rank the C candidates by decreasing score (equal scores keep their order);
    with ``rel_i`` the relevance of the candidate at rank i,
    ``DCG_k = rel_1 + sum_{i=2..k} rel_i / log2(i)``, and ``NDCG_k = DCG_k / IDCG_k`` where
    ``IDCG_k`` is the DCG of the best possible ranking (relevances sorted decreasingly).

    Args:
        K: the levels k (a list, default ``[1]``); C must be at least ``max(K)``.

    ``add(output, relevance)``: ``output`` N x C scores, ``relevance`` N x C non-negative
    relevances (rater grades); a 1-D pair is one example. Each example needs a positive relevance
    among its best ``k`` (else ``IDCG_k`` is 0 and its NDCG undefined: an error, as in torchnet).
    ``value(K)`` is the mean NDCG@K (NaN before any add); ``value()`` is the dict over ``K``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.NDCGMeter(K=[1, 2])
        >>> m.add(torch.Tensor([0.2, 0.9, 0.5]), torch.Tensor([3, 0, 2]))
        >>> {k: round(v, 6) for k, v in m.value().items()}
        {1: 0.0, 2: 0.4}
    """

    _typename = "tnt.NDCGMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("K",), args, kwargs, defaults={"K": [1]})
        self.K = _levels(a["K"], self._typename, "K")
        self.reset()

    def reset(self) -> None:
        """Forget every example."""
        self.ndcg = {k: 0.0 for k in self.K}
        self.n = 0

    def add(self, output: Any, relevance: Any) -> None:
        """Add N examples: ``output`` N x C scores, ``relevance`` N x C relevances."""
        fname = f"{self._typename}.add"
        o = _matrix(output, fname, "output").astype(np.float64)
        r = _matrix(relevance, fname, "relevance").astype(np.float64)
        if o.shape != r.shape:
            raise ValueError(f"{fname}: output (size {_fmt(o.shape)}) and relevance (size {_fmt(r.shape)}) "
                             "do not match")
        if o.shape[1] < self.K[-1]:
            raise ValueError(f"{fname}: {o.shape[1]} results per example but K asks for {self.K[-1]}")
        if (r < 0).any():
            raise ValueError(f"{fname}: relevances must be non-negative, got {r[r < 0][0]}")
        order = np.argsort(-o, axis=1, kind="stable")
        dcg = _dcg(np.take_along_axis(r, order, axis=1), self.K)
        idcg = _dcg(-np.sort(-r, axis=1), self.K)
        if (idcg <= 0).any():
            row, col = np.argwhere(idcg <= 0)[0]
            raise ValueError(f"{fname}: example {row} has no positive relevance among its best {self.K[col]} "
                             "(NDCG is undefined)")
        ndcg = dcg / idcg
        for i, k in enumerate(self.K):
            self.ndcg[k] += float(ndcg[:, i].sum())
        self.n += o.shape[0]

    def value(self, K: int | None = None) -> float | dict[int, float]:
        """The mean NDCG at level ``K``; without ``K``, a dict over the levels."""
        if K is None:
            return {k: self.value(k) for k in self.K}
        total = _lookup(self.ndcg, K, f"{self._typename}.value", "K")
        with np.errstate(all="ignore"):
            return float(np.float64(total) / np.float64(self.n))

    def _reprargs(self) -> str:
        return f"K={self.K}"
