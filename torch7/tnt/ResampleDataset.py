"""tnt.ResampleDataset: a dataset read through an index mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._args import parse
from ._helpers import _callable, _checkindex
from .Dataset import Dataset


def _same(dataset: Dataset, idx: int) -> int:
    return idx


class ResampleDataset(Dataset):
    """Sample ``i`` is ``dataset.get(sampler(dataset, i))``: shuffling, re-weighting, taking subsets.

    Args:
        dataset: the underlying ``tnt.Dataset``.
        sampler: ``sampler(dataset, idx) -> idx``, both 0-based; it must return an index valid for
            ``dataset``. Default: the identity.
        size: the size of this dataset (it may differ from ``dataset``'s); None or <= 0: the size of
            ``dataset``.

    Example:
        >>> from torch7 import tnt
        >>> base = tnt.TableDataset(["a", "b", "c"])
        >>> ds = tnt.ResampleDataset(base, lambda d, i: d.size() - 1 - i, 2)
        >>> ds.size(), [ds.get(i) for i in range(2)]
        (2, ['c', 'b'])
    """

    _typename = "tnt.ResampleDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("dataset", "sampler", "size"), args, kwargs, required=("dataset",))
        self._setup(a["dataset"], a["sampler"], a["size"])

    def _setup(self, dataset: Any, sampler: Callable | None, size: Any) -> None:
        if not isinstance(dataset, Dataset):
            raise TypeError(f"{self._typename}: dataset must be a tnt.Dataset, got {type(dataset).__name__}")
        if size is not None and (isinstance(size, bool) or not isinstance(size, (int, float))
                                 or size != int(size)):
            raise TypeError(f"{self._typename}: size must be an integer, got {size!r}")
        self.dataset = dataset
        self.sampler = _same if sampler is None else _callable(self._typename, "sampler", sampler)
        self._size = None if size is None else int(size)

    def size(self) -> int:
        if self._size is not None and self._size > 0:
            return self._size
        return self.dataset.size()

    def get(self, idx: int) -> Any:
        i = _checkindex(f"{self._typename}.get", idx, self.size())
        j = self.sampler(self.dataset, i)
        j = _checkindex(f"{self._typename}.get: sampler({i})", j, self.dataset.size())
        return self.dataset.get(j)

    def __repr__(self) -> str:
        return f"{self._typename}(size {self.size()}) on {self.dataset!r}"
