"""tnt.AverageValueMeter: the mean and standard deviation of the numbers added."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._args import parse
from .Meter import Meter, _number


class AverageValueMeter(Meter):
    """The mean and (unbiased) standard deviation of numbers, e.g. the average loss of an epoch.

    ``add(value, n=1)`` adds ``value`` to the running sum, ``value**2`` to the running sum of
    squares, and ``n`` to the count: with ``n > 1``, ``value`` stands for the sum of ``n``
    observations (a batch's summed loss), as in torchnet. ``value()`` returns
    ``(mean, std)`` with ``mean = sum / n`` and ``std = sqrt((sumsq - n * mean**2) / (n - 1))``;
    both are NaN before any ``add``, and ``std`` is NaN after a single one (0 / 0), as in torchnet.

    Args:
        (none)

    Example:
        >>> from torch7 import tnt
        >>> m = tnt.AverageValueMeter()
        >>> m.add(1); m.add(3)
        >>> m.value()
        (2.0, 1.4142135623730951)
    """

    _typename = "tnt.AverageValueMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        parse(self._typename, (), args, kwargs)
        self.reset()

    def reset(self) -> None:
        """Forget every value."""
        self.sum = 0.0
        self.n = 0
        self.var = 0.0  # the sum of squares, torchnet's field name

    def add(self, value: Any, n: float = 1) -> None:
        """Add ``value`` (a number or a one-element tensor) with weight ``n``."""
        v = _number(value, f"{self._typename}.add", "value")
        self.sum += v
        self.var += v * v
        self.n += _number(n, f"{self._typename}.add", "n")

    def value(self) -> tuple[float, float]:
        """``(mean, std)``: NaN where the count makes them undefined, as IEEE division gives."""
        n = np.float64(self.n)
        with np.errstate(all="ignore"):
            mean = np.float64(self.sum) / n
            std = np.sqrt((np.float64(self.var) - n * mean * mean) / (n - 1))
        return float(mean), float(std)
