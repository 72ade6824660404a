"""tnt.AUCMeter: the area under the ROC curve of a binary classifier."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from .Meter import _binary, _fmt, _host, _SampleMeter


def _squeeze1d(x: Any, fname: str, what: str) -> np.ndarray:
    a = _host(x, fname, what)
    if a.size == 1:
        return a.reshape(1)
    a = a.squeeze()
    if a.ndim != 1:
        raise ValueError(f"{fname}: {what} must be 1-D (one score per sample), got size {_fmt(a.shape)}")
    return a


class AUCMeter(_SampleMeter):
    """The area under the receiver-operating characteristic (ROC) curve, for binary problems.

    The AUC is the probability that a random positive sample scores higher than a random
    negative one (ties count one half).

    Args:
        (none)

    ``add(output, target)``: ``output`` N scores (higher means more likely positive), ``target``
    N labels 0 or 1. ``value()`` returns ``(auc, tpr, fpr)``: ``tpr`` and ``fpr`` are
    DoubleTensors of size N+1, the true- and false-positive rates when the 0, 1, ..., N
    best-scored samples are called positive (samples with equal scores are passed together: the
    curve goes straight across their block); ``auc`` is the area under that curve. Before any
    add it returns ``(0.5, None, None)``. Without positives (or negatives) the rates are NaN.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.AUCMeter()
        >>> m.add(torch.Tensor([0.9, 0.8, 0.3, 0.1]), torch.Tensor([1, 0, 1, 0]))
        >>> auc, tpr, fpr = m.value()
        >>> auc, tpr.totable(), fpr.totable()
        (0.75, [0.0, 0.5, 0.5, 1.0, 1.0], [0.0, 0.0, 0.5, 0.5, 1.0])
    """

    _typename = "tnt.AUCMeter"

    def add(self, output: Any, target: Any) -> None:
        """Add N samples: ``output`` N scores, ``target`` N labels 0/1."""
        fname = f"{self._typename}.add"
        o = _squeeze1d(output, fname, "output")
        t = _squeeze1d(target, fname, "target")
        if o.shape[0] != t.shape[0]:
            raise ValueError(f"{fname}: {o.shape[0]} outputs but {t.shape[0]} targets")
        _binary(t, fname, "target")
        self._scores.append(o)
        self._targets.append(t)

    def value(self):
        """``(auc, tpr, fpr)``; ``(0.5, None, None)`` when nothing was added."""
        n = self._scores.n
        if n == 0:
            return 0.5, None, None
        order = np.argsort(-self._scores.view(), kind="stable")
        scores = self._scores.view()[order]
        truth = self._targets.view()[order].astype(np.float64)
        # Cumulative positives at every rank; inside a block of equal scores they grow linearly
        # from the block's start to its end, so that the block's order does not matter.
        ends = np.flatnonzero(np.diff(scores) != 0) + 1  # ranks (counts) where blocks end
        ends = np.append(ends, n)
        starts = np.concatenate(([0], ends[:-1]))
        cum = np.concatenate(([0.0], np.cumsum(truth)))
        block = np.repeat(np.arange(ends.size), ends - starts)
        r = np.arange(1, n + 1)
        s, e = starts[block], ends[block]
        pos = cum[s] + (cum[e] - cum[s]) * (r - s) / (e - s)
        tp = np.concatenate(([0.0], pos))
        fp = np.concatenate(([0.0], r - pos))
        with np.errstate(all="ignore"):  # no positives (negatives): NaN rates, as in torchnet
            tpr = tp / truth.sum()
            fpr = fp / (n - truth.sum())
        auc = float(np.sum((tpr[1:] + tpr[:-1]) * np.diff(fpr)) / 2)
        return auc, torch.DoubleTensor._new(tpr), torch.DoubleTensor._new(fpr)
