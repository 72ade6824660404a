"""tnt.MultiLabelConfusionMeter: a confusion matrix for multi-label classification."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from ._args import parse
from ._helpers import _positive_int
from .Meter import Meter, _pair


class MultiLabelConfusionMeter(Meter):
    """A k x k confusion matrix for samples with several target classes.

    For each sample with ``p`` positive labels, the ``p`` best-scored classes are the predictions
    (the lower class number first among equal scores). Each predicted label that is a target adds
    1 on the diagonal; each remaining (missed) target label spreads 1 evenly over the remaining
    (wrongly) predicted labels: ``conf[target][prediction] += 1 / #wrong predictions``.

    Args:
        k: the number of classes (required).
        normalized: ``value()`` divides each row by its sum (+1e-8) (default True).

    ``add(output, target)``: ``output`` N x k scores, ``target`` N x k rows of 0/1 labels (one
    sample may be a k-vector of each). ``value()`` is a new k x k DoubleTensor; rows are targets,
    columns predictions.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.MultiLabelConfusionMeter(k=3, normalized=False)
        >>> m.add(torch.Tensor([[0.9, 0.8, 0.1]]), torch.Tensor([[1, 0, 1]]))
        >>> m.value().totable()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """

    _typename = "tnt.MultiLabelConfusionMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("k", "normalized"), args, kwargs, defaults={"normalized": True},
                  required=("k",))
        k = _positive_int(self._typename, "k", a["k"])
        self.conf = torch.DoubleTensor(k, k)
        self.normalized = bool(a["normalized"])
        self.reset()

    def reset(self) -> None:
        """Zero the matrix."""
        self.conf.zero()

    def add(self, output: Any, target: Any) -> None:
        """Count N samples: ``output`` N x k scores, ``target`` N x k 0/1 labels."""
        fname = f"{self._typename}.add"
        o, t = _pair(output, target, fname)
        o = o.astype(np.float64)
        k = self.conf.size(0)
        if t.shape[1] != k:
            raise ValueError(f"{fname}: target has {t.shape[1]} columns but the matrix is {k}x{k}")
        tb = t.astype(bool)
        order = np.argsort(-o, axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(k)[None, :].repeat(o.shape[0], axis=0), axis=1)
        pred = rank < tb.sum(axis=1, keepdims=True)
        conf = self.conf.numpy()
        conf[np.diag_indices(k)] += (tb & pred).sum(axis=0)
        missed = tb & ~pred
        wrong = pred & ~tb
        nwrong = wrong.sum(axis=1, keepdims=True)
        share = np.divide(1.0, nwrong, out=np.zeros(nwrong.shape), where=nwrong > 0)
        conf += (missed * share).T @ wrong

    def value(self):
        """The k x k matrix (a new DoubleTensor), row-normalized when ``normalized``."""
        m = self.conf.numpy().copy()
        if self.normalized:
            m /= m.sum(axis=1, keepdims=True) + 1e-8
        return torch.DoubleTensor._new(m)

    def _reprargs(self) -> str:
        return f"k={self.conf.size(0)}, normalized={self.normalized}"
