"""tnt.PrecisionAtKMeter: precision@k of a ranking, in percent."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._args import parse
from .Meter import Meter, _levels, _lookup, _pair


class PrecisionAtKMeter(Meter):
    """The percentage of the k best-scored candidates that are relevant, at levels k.

    Args:
        topk: the levels k (a list, default ``[10]``).
        dim: the dim along which candidates are ranked: 1 (default; each row is a query, each
            column a candidate) or 0 (the transpose). torchnet's 2 and 1, made 0-based.
        online: the queries stay the same and each ``add`` brings more candidates for them (for
            many candidates, few queries): the best ``max(topk)`` candidates of each query seen so
            far are kept (default False: each ``add`` brings new queries with all their candidates).

    ``add(output, target)``: ``output`` N x C scores, ``target`` N x C 0/1 relevance (k-hot);
    a 1-D pair is one query. Offline, C must be at least ``max(topk)``. Among equal scores the
    candidate added first ranks first.

    ``value(k)`` is ``100 * relevant in top k / (queries * k)`` (NaN before any add); ``value()``
    is the dict ``{k: value(k)}`` over ``topk``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.PrecisionAtKMeter(topk=[1, 2])
        >>> m.add(torch.Tensor([[0.5, 0.1, 0.4], [0.1, 0.5, 0.4]]), torch.Tensor([[1, 0, 0], [1, 0, 0]]))
        >>> m.value()
        {1: 50.0, 2: 25.0}
    """

    _typename = "tnt.PrecisionAtKMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("topk", "dim", "online"), args, kwargs,
                  defaults={"topk": [10], "dim": 1, "online": False})
        if a["dim"] not in (0, 1) or isinstance(a["dim"], bool):
            raise ValueError(f"{self._typename}: dim must be 0 or 1, got {a['dim']!r}")
        self.topk = _levels(a["topk"], self._typename, "topk")
        self.maxk = self.topk[-1]
        self.dim = int(a["dim"])
        self.online = bool(a["online"])
        self.reset()

    def reset(self) -> None:
        """Forget every query (and, online, every kept candidate)."""
        self.tp = {k: 0.0 for k in self.topk}
        self.n = 0
        self._topkoutput = self._topktarget = None

    def add(self, output: Any, target: Any) -> None:
        """Add queries (or, online, candidates): ``output`` scores and ``target`` 0/1, same size."""
        fname = f"{self._typename}.add"
        o, t = _pair(output, target, fname)
        o = o.astype(np.float64)
        if self.dim == 0:  # rank down the columns: the same as ranking along the rows of the transpose
            o, t = o.T, t.T
        if self.online:
            self._updatetopk(o, t, self.maxk, dim=1, desc=True)
            self.n = o.shape[0]
            return
        if o.shape[1] < self.maxk:
            raise ValueError(f"{fname}: {o.shape[1]} candidates per query but topk asks for {self.maxk}")
        order = np.argsort(-o, axis=1, kind="stable")[:, :self.maxk]
        hits = np.cumsum(np.take_along_axis(t, order, axis=1), axis=1).sum(axis=0)
        for k in self.topk:
            self.tp[k] += float(hits[k - 1])
        self.n += o.shape[0]

    def value(self, k: int | None = None) -> float | dict[int, float]:
        """Precision@k in percent; without ``k``, a dict over ``topk``."""
        if self.online and self._topktarget is not None:
            hits = np.cumsum(self._topktarget, axis=1).sum(axis=0)  # kept sorted best first
            self.tp = {kk: float(hits[kk - 1]) for kk in self.topk}
        if k is None:
            return {kk: self.value(kk) for kk in self.topk}
        tp = _lookup(self.tp, k, f"{self._typename}.value", "k")
        with np.errstate(all="ignore"):
            return float(np.float64(tp) / np.float64(self.n * k) * 100)

    def _reprargs(self) -> str:
        return f"topk={self.topk}, dim={self.dim}, online={self.online}"
