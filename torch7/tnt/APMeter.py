"""tnt.APMeter: the average precision of each class."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from .Meter import _host, _pair, _Rows, _SampleMeter


class APMeter(_SampleMeter):
    """The average precision (AP) of each of K classes, over all the samples added.

    For one class, sort the samples by decreasing score (equal scores keep the order they were
    added in); the precision at rank r is (positives in the first r) / r, and the AP is the mean
    of the precisions at the ranks of the positives (0 for a class without positives). With
    sample weights, both counts are weighted: (weight of positives in the first r) / (weight of
    the first r); the mean is still over the positives.

    Args:
        (none)

    ``add(output, target, weight=None)``: ``output`` N x K scores, ``target`` N x K 0/1 labels;
    a 1-D ``output``/``target`` is N samples of one class; ``weight`` N non-negative weights.
    Weights must be given with every ``add`` or with none. ``value()`` is a DoubleTensor of the
    K APs (size 0 before any add). The samples are kept, as DoubleTensor ``scores``, LongTensor
    ``targets`` and DoubleTensor ``weights``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.APMeter()
        >>> m.add(torch.Tensor([0.1, 0.2, 0.3, 4]), torch.Tensor([0, 1, 0, 1]))
        >>> round(m.value()[0], 6)   # positives at ranks 1 and 3: (1/1 + 2/3) / 2
        0.833333
    """

    _typename = "tnt.APMeter"

    def reset(self) -> None:
        """Forget every sample."""
        super().reset()
        self._weights = _Rows(np.float64)

    @property
    def weights(self):
        return torch.from_numpy(self._weights.view())

    def add(self, output: Any, target: Any, weight: Any = None) -> None:
        """Add N samples: ``output`` and ``target`` N x K (or N), ``weight`` N (optional)."""
        fname = f"{self._typename}.add"
        o, t = _pair(output, target, fname, vector="column")
        if self._scores.n > 0 and o.shape[1] != self._scores.view().shape[1]:
            raise ValueError(f"{fname}: output has {o.shape[1]} classes but the samples added before "
                             f"have {self._scores.view().shape[1]}")
        if weight is not None:
            w = _host(weight, fname, "weight").reshape(-1)
            if w.shape[0] != o.shape[0]:
                raise ValueError(f"{fname}: {w.shape[0]} weights for {o.shape[0]} samples")
            if (w < 0).any():
                raise ValueError(f"{fname}: weights must be non-negative, got {w[w < 0][0]}")
        if self._scores.n > 0 and (weight is not None) != (self._weights.n > 0):
            raise ValueError(f"{fname}: weights must be given with every add or with none")
        self._scores.append(o)
        self._targets.append(t)
        if weight is not None:
            self._weights.append(w)

    def value(self):
        """The AP of each class, a DoubleTensor of size K."""
        if self._scores.n == 0:
            return torch.DoubleTensor()
        scores, truth = self._scores.view(), self._targets.view()
        order = np.argsort(-scores, axis=0, kind="stable")
        truth = np.take_along_axis(truth, order, axis=0).astype(np.float64)
        if self._weights.n > 0:
            w = self._weights.view()[order]
            tp = np.cumsum(truth * w, axis=0)
            seen = np.cumsum(w, axis=0)
        else:
            tp = np.cumsum(truth, axis=0)
            seen = np.arange(1, scores.shape[0] + 1, dtype=np.float64)[:, None]
        with np.errstate(all="ignore"):  # zero leading weights give 0/0, as in torchnet
            precision = tp / seen
        ap = np.where(truth > 0, precision, 0).sum(axis=0) / np.maximum(truth.sum(axis=0), 1)
        return torch.DoubleTensor._new(ap)
