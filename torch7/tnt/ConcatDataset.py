"""tnt.ConcatDataset: several datasets read one after another as one."""

from __future__ import annotations

import bisect
from typing import Any

from ._args import parse
from ._helpers import _checkindex
from .Dataset import Dataset


class ConcatDataset(Dataset):
    """The concatenation of a list of datasets: sample ``i`` comes from the dataset covering position ``i``.

    The size is the sum of the sizes, taken when the ConcatDataset is made (as torchnet did).

    Args:
        datasets: a non-empty list of ``tnt.Dataset``.

    Example:
        >>> from torch7 import tnt
        >>> ds = tnt.ConcatDataset([tnt.TableDataset([1, 2]), tnt.TableDataset([3, 4, 5])])
        >>> ds.size(), [ds.get(i) for i in range(5)]
        (5, [1, 2, 3, 4, 5])
    """

    _typename = "tnt.ConcatDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("datasets",), args, kwargs, required=("datasets",))
        datasets = a["datasets"]
        if not isinstance(datasets, (list, tuple)):
            raise TypeError(f"{self._typename}: datasets must be a list of tnt.Dataset, got {type(datasets).__name__}")
        if len(datasets) == 0:
            raise ValueError(f"{self._typename}: datasets should not be an empty list")
        self.datasets = list(datasets)
        self._ends: list[int] = []  # _ends[k]: one past the last position of dataset k
        total = 0
        for k, ds in enumerate(self.datasets):
            if not isinstance(ds, Dataset):
                raise TypeError(f"{self._typename}: datasets[{k}] is a {type(ds).__name__}, not a tnt.Dataset")
            total += ds.size()
            self._ends.append(total)

    def size(self) -> int:
        return self._ends[-1]

    def get(self, idx: int) -> Any:
        i = _checkindex(f"{self._typename}.get", idx, self.size())
        k = bisect.bisect_right(self._ends, i)
        start = self._ends[k - 1] if k > 0 else 0
        return self.datasets[k].get(i - start)

    def __repr__(self) -> str:
        return f"{self._typename}(size {self.size()}, {len(self.datasets)} datasets)"
