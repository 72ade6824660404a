"""tnt.TimeMeter: the time since the last reset, optionally per unit (per batch, per sample)."""

from __future__ import annotations

from typing import Any

import numpy as np

import torch7 as torch

from ._args import parse
from .Meter import Meter, _number


class TimeMeter(Meter):
    """A stopwatch meter: ``value()`` is the wall time (seconds) counted since the last ``reset()``.

    Args:
        unit: when True, ``value()`` is divided by the unit count that ``incUnit()`` increments,
            e.g. the average time per batch (default False).

    Methods: ``reset()`` restarts the clock and zeroes the unit count, ``stop()`` and ``resume()``
    pause and restart counting, ``incUnit(value=1)`` adds to the unit count. With ``unit`` and no
    unit counted yet, ``value()`` is ``inf`` (time / 0, as in torchnet). The clock is
    ``torch.Timer``'s (``time.perf_counter``).

    Example:
        >>> from torch7 import tnt
        >>> m = tnt.TimeMeter(unit=True)
        >>> m.incUnit(); m.incUnit()
        >>> m.stop()
        >>> 0 <= m.value() < 60
        True
    """

    _typename = "tnt.TimeMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("unit",), args, kwargs, defaults={"unit": False})
        self.unit = bool(a["unit"])
        self.timer = torch.Timer()
        self.reset()

    def reset(self) -> None:
        """Restart the clock from 0 (a stopped meter stays stopped) and zero the unit count."""
        self.timer.reset()
        self.n = 0

    def stop(self) -> None:
        """Stop counting time."""
        self.timer.stop()

    def resume(self) -> None:
        """Count time again after ``stop()``."""
        self.timer.resume()

    def incUnit(self, value: float = 1) -> None:
        """Add ``value`` units (batches, samples) to the count ``value()`` divides by."""
        self.n += _number(value, f"{self._typename}.incUnit", "value")

    def add(self, *args: Any) -> None:
        raise NotImplementedError(f"{self._typename}.add: a TimeMeter has no add(); use incUnit()")

    def value(self) -> float:
        """Seconds counted since ``reset()``; per unit when ``unit``."""
        t = self.timer.time().real
        if not self.unit:
            return float(t)
        with np.errstate(all="ignore"):
            return float(np.float64(t) / np.float64(self.n))

    def _reprargs(self) -> str:
        return f"unit={self.unit}"
