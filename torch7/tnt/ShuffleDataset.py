"""tnt.ShuffleDataset: a dataset read in a random order, redrawn on request."""

from __future__ import annotations

from typing import Any

import torch7 as torch

from ._args import parse
from .ResampleDataset import ResampleDataset


class ShuffleDataset(ResampleDataset):
    """Sample ``i`` is ``dataset.get(perm[i])`` for a random ``perm``, drawn at construction and by ``resample()``.

    Without replacement ``perm`` is the start of ``torch.randperm(dataset.size())``; with
    replacement it holds ``size`` uniform draws from ``0..dataset.size()-1`` (Torch7's
    ``LongTensor(size):random(n)``, minus one). Both use Torch7's generator, so ``torch.manualSeed``
    makes the order reproducible.

    Args:
        dataset: the underlying ``tnt.Dataset``.
        size: the size of this dataset; default (None or <= 0) ``dataset.size()``. Without
            replacement it cannot exceed ``dataset.size()``.
        replacement: draw with replacement (default False).

    Fields: ``perm``, the LongTensor of the current 0-based indices.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> torch.manualSeed(1)
        >>> ds = tnt.TableDataset([10, 11, 12, 13]).shuffle()
        >>> sorted(ds.get(i) for i in range(ds.size()))
        [10, 11, 12, 13]
        >>> tnt.ShuffleDataset(tnt.TableDataset([7]), 3, True).perm.totable()
        [0, 0, 0]
    """

    _typename = "tnt.ShuffleDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("dataset", "size", "replacement"), args, kwargs,
                  defaults={"replacement": False}, required=("dataset",))
        self.replacement = bool(a["replacement"])
        self._setup(a["dataset"], self._draw, a["size"])
        if self._size is not None and not self.replacement and self._size > self.dataset.size():
            raise ValueError(f"{self._typename}: size {self._size} cannot be larger than the underlying dataset "
                             f"size {self.dataset.size()} when sampling without replacement")
        self.resample()

    def _draw(self, dataset: Any, idx: int) -> int:
        return int(self.perm[idx])

    def resample(self) -> None:
        """Draw a new random order (the order stays fixed between calls)."""
        n, size = self.dataset.size(), self.size()
        if size == 0:
            self.perm = torch.LongTensor()
        elif n == 0:
            raise ValueError(f"{self._typename}.resample: cannot draw {size} samples from an empty dataset")
        elif self.replacement:
            self.perm = torch.LongTensor(size).random(0, n - 1)
        else:
            self.perm = torch.randperm(n).long().narrow(0, 0, size)

    def __repr__(self) -> str:
        kind = "with" if self.replacement else "without"
        return f"{self._typename}(size {self.size()}, {kind} replacement) on {self.dataset!r}"
