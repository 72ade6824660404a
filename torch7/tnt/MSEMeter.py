"""tnt.MSEMeter: the mean squared error (or its root) between outputs and targets."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._args import parse
from .Meter import Meter, _fmt, _host


class MSEMeter(Meter):
    """The mean of the squared differences of all the elements added so far, or its square root.

    Args:
        root: report the root mean squared error (default False).

    ``add(output, target)`` takes two tensors of the same size (any number of dims); every
    element counts once. ``value()`` is ``sum of squares / max(1, count)`` (0 before any add).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.MSEMeter()
        >>> m.add(torch.Tensor([1, 2]), torch.Tensor([0, 0]))
        >>> m.add(torch.Tensor([3]), torch.Tensor([1]))
        >>> m.value()
        3.0
    """

    _typename = "tnt.MSEMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("root",), args, kwargs, defaults={"root": False})
        self.root = bool(a["root"])
        self.reset()

    def reset(self) -> None:
        """Forget every element."""
        self.n = 0
        self.sesum = 0.0

    def add(self, output: Any, target: Any) -> None:
        """Add the squared differences of ``output`` and ``target`` (same size)."""
        fname = f"{self._typename}.add"
        o = _host(output, fname, "output")
        t = _host(target, fname, "target")
        if o.shape != t.shape:
            raise ValueError(f"{fname}: output (size {_fmt(o.shape)}) and target (size {_fmt(t.shape)}) "
                             "must have the same size")
        d = o.astype(np.float64) - t.astype(np.float64)
        self.n += d.size
        self.sesum += float(np.dot(d.reshape(-1), d.reshape(-1)))

    def value(self) -> float:
        """The mean squared error, or its root when ``root``."""
        mse = self.sesum / max(1, self.n)
        return math.sqrt(mse) if self.root else mse

    def _reprargs(self) -> str:
        return f"root={self.root}"
