"""tnt.MovingAverageValueMeter: mean and standard deviation over the last values added."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from ._args import parse
from ._helpers import _positive_int
from .Meter import Meter, _number


class MovingAverageValueMeter(Meter):
    """The mean and (unbiased) standard deviation of the last ``windowsize`` numbers added.

    Args:
        windowsize: how many of the latest values are averaged (required).

    ``value()`` returns ``(mean, std)`` over the ``m = min(#added, windowsize)`` values in the
    window: ``mean = sum / max(1, m)``, ``std = sqrt((sumsq - m * mean**2) / max(1, m - 1))``, so
    both are 0 before any ``add`` and ``std`` is 0 after one (torchnet's conventions).

    Example:
        >>> from torch7 import tnt
        >>> m = tnt.MovingAverageValueMeter(2)
        >>> for v in (10, 1, 3):
        ...     m.add(v)
        >>> m.value()
        (2.0, 1.4142135623730951)
    """

    _typename = "tnt.MovingAverageValueMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("windowsize",), args, kwargs, required=("windowsize",))
        self.windowsize = _positive_int(self._typename, "windowsize", a["windowsize"])
        self.valuequeue = torch.DoubleTensor(self.windowsize)
        self.reset()

    def reset(self) -> None:
        """Forget every value."""
        self.n = 0
        self.valuequeue.fill(0)

    def add(self, value: Any) -> None:
        """Add ``value`` (a number or a one-element tensor), pushing out the oldest when full."""
        self.valuequeue._a[self.n % self.windowsize] = _number(value, f"{self._typename}.add", "value")
        self.n += 1

    def value(self) -> tuple[float, float]:
        """``(mean, std)`` over the window."""
        m = min(self.n, self.windowsize)
        q = self.valuequeue._a[:m]
        # Summed from the window rather than kept as running sums (torchnet's), which drift over
        # long runs; a variance that rounding makes slightly negative is taken as 0.
        mean = float(q.sum()) / max(1, m)
        var = (float(np.dot(q, q)) - m * mean * mean) / max(1, m - 1)
        return mean, float(np.sqrt(max(var, 0.0)))

    def _reprargs(self) -> str:
        return f"windowsize={self.windowsize}"
