"""tnt.ConfusionMeter: the confusion matrix of a multi-class classifier."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch
from torch7.optim.ConfusionMatrix import ConfusionMatrix

from ._args import parse
from ._helpers import _positive_int
from .Meter import Meter, _binary, _classes, _fmt, _host, _matrix


class ConfusionMeter(Meter):
    """A k x k confusion matrix: ``conf[target][prediction]`` counts, the prediction being the
    best-scored class (the first one among equal scores).

    Args:
        k: the number of classes (required).
        normalized: ``value()`` divides each row by its sum, giving per-target fractions
            (default False: counts).

    ``add(output, target)``: ``output`` is N x k scores (or one k-vector); ``target`` N class
    numbers in 0..k-1 (an N x 1 tensor too), or N x k one-hot rows. For multi-label targets use
    ``tnt.MultiLabelConfusionMeter``. The counting is ``optim.ConfusionMatrix``'s: ``conf`` is
    the ``mat`` of the ``optim.ConfusionMatrix`` kept in ``matrix``, which also gives its
    accuracies and its print.

    ``value()`` is ``conf`` itself (a LongTensor that later adds keep updating), or a new
    normalized DoubleTensor, rows summing to 1 (empty rows stay 0).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.ConfusionMeter(3)
        >>> m.add(torch.Tensor([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.6, 0.3]]), torch.LongTensor([0, 1, 2]))
        >>> m.value().totable()
        [[1, 0, 0], [0, 1, 0], [0, 1, 0]]
    """

    _typename = "tnt.ConfusionMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("k", "normalized"), args, kwargs, defaults={"normalized": False},
                  required=("k",))
        self.matrix = ConfusionMatrix(_positive_int(self._typename, "k", a["k"]))
        self.conf = self.matrix.mat
        self.normalized = bool(a["normalized"])

    def reset(self) -> None:
        """Zero the counts (in place: the tensor ``value()`` returned is zeroed too)."""
        self.matrix.zero()

    def add(self, output: Any, target: Any) -> None:
        """Count N samples: ``output`` N x k scores, ``target`` N class numbers or N x k one-hot."""
        fname = f"{self._typename}.add"
        k = self.conf.size(0)
        o = _matrix(output, fname, "output")
        n = o.shape[0]
        if o.shape[1] != k:
            raise ValueError(f"{fname}: output has {o.shape[1]} columns but the matrix is {k}x{k}")
        t = _host(target, fname, "target")
        if t.ndim == 2 and t.shape[1] == 1:
            t = t[:, 0]
        if t.ndim <= 1:
            t = _classes(t.reshape(-1), k, fname, "target")
        elif t.ndim == 2:
            if t.shape[1] != k:
                raise ValueError(f"{fname}: one-hot target has {t.shape[1]} columns, expected {k}")
            _binary(t, fname, "one-hot target")
            ones = t.sum(axis=1)
            if (ones != 1).any():
                raise ValueError(f"{fname}: a one-hot target row must hold exactly one 1 (row "
                                 f"{int(np.flatnonzero(ones != 1)[0])} has {ones[ones != 1][0]:g}); "
                                 "multi-label targets are not supported")
            t = np.argmax(t, axis=1)
        else:
            raise ValueError(f"{fname}: target must be 1-D or 2-D, got size {_fmt(t.shape)}")
        if t.shape[0] != n:
            raise ValueError(f"{fname}: output has {n} rows but there are {t.shape[0]} targets")
        pred = np.argmax(o.astype(np.float64), axis=1)
        self.matrix.batchAdd(pred, t)

    def value(self):
        """The k x k matrix: counts (``conf``), or row-normalized fractions."""
        if not self.normalized:
            return self.conf
        m = self.conf.numpy().astype(np.float64)
        m /= np.maximum(m.sum(axis=1, keepdims=True), 1e-12)
        return torch.DoubleTensor._new(m)

    def _reprargs(self) -> str:
        return f"k={self.conf.size(0)}, normalized={self.normalized}"
