"""tnt.PrecisionMeter: precision of thresholded multi-label predictions, in percent."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from ._args import parse
from .Meter import Meter, _binary, _fmt, _host, _lookup, _matrix


def _thresholds(x: Any, fname: str) -> list[float]:
    vals = _host(x, fname, "threshold").reshape(-1).astype(np.float64)
    if vals.size == 0 or ((vals < 0) | (vals > 1)).any():
        raise ValueError(f"{fname}: thresholds must be between 0 and 1, got {vals.tolist()}")
    return sorted(float(v) for v in vals)


def _counts(meter: Meter, output: Any, target: Any) -> tuple[np.ndarray, np.ndarray, Any]:
    """Checked N x K ``output`` and 0/1 ``target``, and the tensor class per-class results take."""
    fname = f"{meter._typename}.add"
    o = _matrix(output, fname, "output")
    t = _matrix(target, fname, "target")
    if o.shape != t.shape:
        raise ValueError(f"{fname}: output (size {_fmt(o.shape)}) and target (size {_fmt(t.shape)}) do not match")
    _binary(t, fname, "target")
    if meter.nclasses is not None and o.shape[1] != meter.nclasses:
        raise ValueError(f"{fname}: output has {o.shape[1]} classes but the samples added before have "
                         f"{meter.nclasses}")
    # torchnet kept its per-class sums in the output's type: float outputs keep it, others use double
    cls = type(output) if torch.isTensor(output) and output.type() == "torch.FloatTensor" else torch.DoubleTensor
    return o, t, cls


class PrecisionMeter(Meter):
    """The percentage of predicted labels (score >= threshold) that are true labels.

    Args:
        threshold: the thresholds in [0, 1] to measure at (a list, default ``[0.5]``).
        perclass: report one precision per class instead of the precision over all labels
            (default False).

    ``add(output, target)``: ``output`` N x K class probabilities, ``target`` N x K 0/1 labels
    (k-hot); a 1-D pair is one sample. ``value(t)`` is the precision at threshold ``t`` in percent
    (100 when nothing was predicted), or with ``perclass`` a tensor of K such values;
    ``value()`` is the dict ``{t: value(t)}`` over the thresholds.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.PrecisionMeter(threshold=[0.5, 0.7])
        >>> m.add(torch.Tensor([[0.6, 0.9, 0.1], [0.8, 0.2, 0.1]]), torch.Tensor([[0, 1, 0], [1, 0, 1]]))
        >>> m.value()
        {0.5: 66.66666666666666, 0.7: 100.0}
    """

    _typename = "tnt.PrecisionMeter"

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
        self.tpfp: dict[float, np.ndarray] = {t: np.zeros(0) for t in self.threshold}
        self._cls = torch.DoubleTensor

    def add(self, output: Any, target: Any) -> None:
        """Count N samples: ``output`` N x K probabilities, ``target`` N x K 0/1 labels."""
        o, t, self._cls = _counts(self, output, target)
        if self.nclasses is None:
            self.nclasses = o.shape[1]
            for th in self.threshold:
                self.tp[th], self.tpfp[th] = np.zeros(self.nclasses), np.zeros(self.nclasses)
        for th in self.threshold:
            predicted = o >= th
            self.tp[th] += (predicted & (t != 0)).sum(axis=0)
            self.tpfp[th] += predicted.sum(axis=0)

    def value(self, t: float | None = None):
        """Precision at threshold ``t`` in percent (per class with ``perclass``); without ``t``, a dict."""
        if t is None:
            return {th: self.value(th) for th in self.threshold}
        fname = f"{self._typename}.value"
        tp, tpfp = _lookup(self.tp, t, fname, "t"), self.tpfp[t]
        if self.perclass:
            p = np.divide(tp * 100, tpfp, out=np.full(tp.shape, 100.0), where=tpfp != 0)
            return self._cls._new(p.astype(self._cls._dtype))
        return 100.0 if tpfp.sum() == 0 else float(tp.sum() / tpfp.sum() * 100)

    def _reprargs(self) -> str:
        return f"threshold={self.threshold}, perclass={self.perclass}"
