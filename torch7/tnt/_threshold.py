"""The part tnt.PrecisionMeter and tnt.RecallMeter share: per-threshold, per-class counts in percent."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from ._args import parse
from .Meter import Meter, _host, _lookup, _pair


def _thresholds(x: Any, fname: str) -> list[float]:
    vals = _host(x, fname, "threshold").reshape(-1).astype(np.float64)
    if vals.size == 0 or ((vals < 0) | (vals > 1)).any():
        raise ValueError(f"{fname}: thresholds must be between 0 and 1, got {vals.tolist()}")
    return sorted(float(v) for v in vals)


def _counts(meter: Meter, output: Any, target: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """Checked N x K ``output`` and 0/1 ``target``, and the tensor class per-class results take."""
    fname = f"{meter._typename}.add"
    o, t = _pair(output, target, fname)
    if meter.nclasses is not None and o.shape[1] != meter.nclasses:
        raise ValueError(f"{fname}: output has {o.shape[1]} classes but the samples added before have "
                         f"{meter.nclasses}")
    # torchnet kept its per-class sums in the output's type: float outputs keep it, others use double
    cls = type(output) if torch.isTensor(output) and output.type() == "torch.FloatTensor" else torch.DoubleTensor
    return o, t, cls


class _ThresholdMeter(Meter):
    """``100 * tp / total`` per threshold, over all labels or per class. ``tp`` counts the true labels
    scored >= the threshold; subclasses name ``total`` (``_total``, the attribute holding it) and
    say what it counts (``_count``)."""

    _total = ""  # "tpfp" (precision) or "tpfn" (recall), torchnet's field names

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("threshold", "perclass"), args, kwargs,
                  defaults={"threshold": [0.5], "perclass": False})
        self.threshold = _thresholds(a["threshold"], self._typename)
        self.perclass = bool(a["perclass"])
        self.reset()

    @staticmethod
    def _count(predicted: np.ndarray, positives: np.ndarray) -> np.ndarray:
        """The per-class counts added to the denominator, from N x K boolean predictions and truths."""
        raise NotImplementedError("a threshold meter (tnt.PrecisionMeter, tnt.RecallMeter) defines _count")

    def reset(self) -> None:
        """Forget every sample."""
        self.nclasses = None
        self.tp: dict[float, np.ndarray] = {t: np.zeros(0) for t in self.threshold}
        setattr(self, self._total, {t: np.zeros(0) for t in self.threshold})
        self._cls = torch.DoubleTensor

    def add(self, output: Any, target: Any) -> None:
        """Count N samples: ``output`` N x K probabilities, ``target`` N x K 0/1 labels."""
        o, t, self._cls = _counts(self, output, target)
        total = getattr(self, self._total)
        if self.nclasses is None:
            self.nclasses = o.shape[1]
            for th in self.threshold:
                self.tp[th], total[th] = np.zeros(self.nclasses), np.zeros(self.nclasses)
        positives = t != 0
        for th in self.threshold:
            predicted = o >= th
            self.tp[th] += (predicted & positives).sum(axis=0)
            total[th] += self._count(predicted, positives)

    def value(self, t: float | None = None):
        """The measure at threshold ``t`` in percent (per class with ``perclass``); without ``t``, a dict."""
        if t is None:
            return {th: self.value(th) for th in self.threshold}
        fname = f"{self._typename}.value"
        tp, total = _lookup(self.tp, t, fname, "t"), getattr(self, self._total)[t]
        if self.perclass:
            r = np.divide(tp * 100, total, out=np.full(tp.shape, 100.0), where=total != 0)
            return self._cls._new(r.astype(self._cls._dtype))
        return 100.0 if total.sum() == 0 else float(tp.sum() / total.sum() * 100)

    def _reprargs(self) -> str:
        return f"threshold={self.threshold}, perclass={self.perclass}"
