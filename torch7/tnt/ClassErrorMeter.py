"""tnt.ClassErrorMeter: top-k classification error (or accuracy), in percent."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._args import parse
from .Meter import Meter, _classes, _host, _levels, _lookup, _matrix


class ClassErrorMeter(Meter):
    """The percentage of samples whose target class is not among the k best-scored classes.

    Args:
        topk: the levels k to measure (a list, default ``[1]``); e.g. ``[1, 5]`` for ImageNet's
            top-1 and top-5 errors. No k may exceed the number of classes.
        accuracy: report accuracies (100 - error) instead of errors (default False).

    ``add(output, target)``: ``output`` is N x K scores, ``target`` N class numbers in 0..K-1;
    one sample may be a K-vector of scores with a number (or one-element tensor) as target.
    Among equal scores the lower class number ranks first.

    ``value(k)`` is the error (or accuracy) at level k, in percent (NaN before any add);
    ``value()`` is the dict ``{k: value(k)}`` over ``topk`` (torchnet's table indexed by k).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.ClassErrorMeter(topk=[1, 2])
        >>> m.add(torch.Tensor([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]]), torch.LongTensor([2, 2]))
        >>> m.value()
        {1: 100.0, 2: 0.0}
        >>> m.value(2)
        0.0
    """

    _typename = "tnt.ClassErrorMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("topk", "accuracy"), args, kwargs, defaults={"topk": [1], "accuracy": False})
        self.topk = _levels(a["topk"], self._typename, "topk")
        self.accuracy = bool(a["accuracy"])
        self.reset()

    def reset(self) -> None:
        """Forget every sample."""
        self.sum = {k: 0 for k in self.topk}  # misclassified counts per k
        self.n = 0

    def add(self, output: Any, target: Any) -> None:
        """Count N samples: ``output`` N x K (or K) scores, ``target`` N (or one) class numbers."""
        fname = f"{self._typename}.add"
        o = _matrix(output, fname, "output").astype(np.float64)
        t = _host(target, fname, "target").reshape(-1)
        no, nc = o.shape
        if t.shape[0] != no:
            raise ValueError(f"{fname}: output has {no} rows but target has {t.shape[0]} values")
        maxk = self.topk[-1]
        if maxk > nc:
            raise ValueError(f"{fname}: output has {nc} columns but topk asks for {maxk}")
        t = _classes(t, nc, fname, "target")
        # The target's rank among its row's scores (a stable descending sort's position) tells
        # at once for every k whether it is in the top k, without sorting.
        ts = o[np.arange(no), t][:, None]
        rank = (o > ts).sum(axis=1) + ((o == ts) & (np.arange(nc) < t[:, None])).sum(axis=1)
        for k in self.topk:
            self.sum[k] += int((rank >= k).sum())
        self.n += no

    def value(self, k: int | None = None) -> float | dict[int, float]:
        """The error (or accuracy) at level ``k`` in percent; without ``k``, a dict over ``topk``."""
        if k is None:
            return {kk: self.value(kk) for kk in self.topk}
        wrong = _lookup(self.sum, k, f"{self._typename}.value", "k")
        with np.errstate(all="ignore"):
            err = np.float64(wrong) / np.float64(self.n)
        return float((1 - err) * 100 if self.accuracy else err * 100)

    def _reprargs(self) -> str:
        return f"topk={self.topk}, accuracy={self.accuracy}"
