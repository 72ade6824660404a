"""tnt.mAPMeter: the mean over classes of the average precision."""

from __future__ import annotations

from typing import Any

from ._args import parse
from .APMeter import APMeter
from .Meter import Meter


class mAPMeter(Meter):
    """The mean average precision: the mean of ``tnt.APMeter``'s per-class APs.

    Args:
        (none)

    ``add(output, target, weight=None)`` is ``tnt.APMeter``'s (the samples are kept in
    ``apmeter``). ``value()`` is a number: the mean of the K APs (0 before any add).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.mAPMeter()
        >>> m.add(torch.Tensor([[0.9, 0.1], [0.2, 0.8]]), torch.Tensor([[1, 0], [0, 1]]))
        >>> m.value()
        1.0
    """

    _typename = "tnt.mAPMeter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        parse(self._typename, (), args, kwargs)
        self.apmeter = APMeter()

    def reset(self) -> None:
        """Forget every sample."""
        self.apmeter.reset()

    def add(self, output: Any, target: Any, weight: Any = None) -> None:
        """Add N samples (see ``tnt.APMeter.add``)."""
        self.apmeter.add(output, target, weight)

    def value(self) -> float:
        """The mean of the per-class APs."""
        ap = self.apmeter.value()
        return float(ap.numpy().mean()) if ap.nElement() > 0 else 0.0
