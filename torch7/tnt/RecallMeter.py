"""tnt.RecallMeter: recall of thresholded multi-label predictions, in percent."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from ._args import parse
from .Meter import Meter, _lookup
from .PrecisionMeter import _counts, _thresholds


class RecallMeter(Meter):
    """The percentage of true labels that are predicted (score >= threshold).

    Args:
        threshold: the thresholds in [0, 1] to measure at (a list, default ``[0.5]``).
        perclass: report one recall per class instead of the recall over all labels
            (default False).

    ``add(output, target)``: ``output`` N x K class probabilities, ``target`` N x K 0/1 labels
    (k-hot); a 1-D pair is one sample. ``value(t)`` is the recall at threshold ``t`` in percent
    (100 when there were no true labels), or with ``perclass`` a tensor of K such values;
    ``value()`` is the dict ``{t: value(t)}`` over the thresholds.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.RecallMeter(threshold=[0.5, 0.7])
        >>> m.add(torch.Tensor([[0.6, 0.9, 0.1], [0.8, 0.2, 0.1]]), torch.Tensor([[0, 1, 0], [1, 0, 1]]))
        >>> m.value()
        {0.5: 66.66666666666666, 0.7: 66.66666666666666}
    """

    _typename = "tnt.RecallMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("threshold", "perclass"), args, kwargs,
                  defaults={"threshold": [0.5], "perclass": False})
        self.threshold = _thresholds(a["threshold"], self._typename)
        self.perclass = bool(a["perclass"])
        self.reset()

    def reset(self) -> None:
        """Forget every sample."""
        self.nclasses = None
        self.tp: dict[float, np.ndarray] = {t: np.zeros(0) for t in self.threshold}
        self.tpfn: dict[float, np.ndarray] = {t: np.zeros(0) for t in self.threshold}
        self._cls = torch.DoubleTensor

    def add(self, output: Any, target: Any) -> None:
        """Count N samples: ``output`` N x K probabilities, ``target`` N x K 0/1 labels."""
        o, t, self._cls = _counts(self, output, target)
        if self.nclasses is None:
            self.nclasses = o.shape[1]
            for th in self.threshold:
                self.tp[th], self.tpfn[th] = np.zeros(self.nclasses), np.zeros(self.nclasses)
        positives = t != 0
        npos = positives.sum(axis=0)
        for th in self.threshold:
            self.tp[th] += ((o >= th) & positives).sum(axis=0)
            self.tpfn[th] += npos

    def value(self, t: float | None = None):
        """Recall at threshold ``t`` in percent (per class with ``perclass``); without ``t``, a dict."""
        if t is None:
            return {th: self.value(th) for th in self.threshold}
        fname = f"{self._typename}.value"
        tp, tpfn = _lookup(self.tp, t, fname, "t"), self.tpfn[t]
        if self.perclass:
            r = np.divide(tp * 100, tpfn, out=np.full(tp.shape, 100.0), where=tpfn != 0)
            return self._cls._new(r.astype(self._cls._dtype))
        return 100.0 if tpfn.sum() == 0 else float(tp.sum() / tpfn.sum() * 100)

    def _reprargs(self) -> str:
        return f"threshold={self.threshold}, perclass={self.perclass}"
