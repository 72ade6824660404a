"""tnt.SplitDataset: a dataset cut into named consecutive partitions, one of them selected at a time."""

from __future__ import annotations

import math
import numbers
from typing import Any

from ._args import parse
from ._helpers import _checkindex
from .Dataset import Dataset


class SplitDataset(Dataset):
    """Cut ``dataset`` into consecutive named partitions; ``select(name)`` picks the one ``size``/``get`` see.

    ``partitions`` maps names to weights. When the weights sum to 1 they are fractions: partition
    ``k`` gets ``floor(weight_k * dataset.size())`` samples. Otherwise they are sizes (integers).
    Partitions follow one another in the dict's order (torchnet used Lua's ``pairs`` order, which
    is unspecified), without shuffling: wrap the dataset in ``tnt.ShuffleDataset`` first for a
    random split.

    Args:
        dataset: the underlying ``tnt.Dataset``.
        partitions: a dict ``{name: fraction or size}`` with at least two entries, none negative,
            not all zero.
        initialpartition: the partition selected at first; default the first one.

    Example:
        >>> from torch7 import tnt
        >>> ds = tnt.TableDataset(list(range(10))).split({"train": 0.7, "val": 0.3}, "val")
        >>> ds.size(), ds.get(0)
        (3, 7)
        >>> ds.select("train"); ds.size()
        7
    """

    _typename = "tnt.SplitDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("dataset", "partitions", "initialpartition"), args, kwargs,
                  required=("dataset", "partitions"))
        dataset, partitions = a["dataset"], a["partitions"]
        if not isinstance(dataset, Dataset):
            raise TypeError(f"{self._typename}: dataset must be a tnt.Dataset, got {type(dataset).__name__}")
        if not isinstance(partitions, dict):
            raise TypeError(f"{self._typename}: partitions must be a dict name -> fraction or size, "
                            f"got {type(partitions).__name__}")
        if len(partitions) < 2:
            raise ValueError(f"{self._typename}: at least two partitions are needed, got {len(partitions)}")
        for name, w in partitions.items():
            if isinstance(w, bool) or not isinstance(w, numbers.Real):
                raise TypeError(f"{self._typename}: partition {name!r} has a non-numeric weight {w!r}")
            if w < 0:
                raise ValueError(f"{self._typename}: partition {name!r} has a negative size {w}")
        if max(partitions.values()) <= 0:
            raise ValueError(f"{self._typename}: all partitions are empty")
        n, total = dataset.size(), sum(partitions.values())
        if abs(total - 1) < 1e-5:
            sizes = {k: int(math.floor(w * n / total)) for k, w in partitions.items()}
        else:
            for name, w in partitions.items():
                if w != int(w):
                    raise ValueError(f"{self._typename}: partition {name!r} has size {w}: sizes must be integers "
                                     f"(or the weights fractions summing to 1, here they sum to {total})")
            sizes = {k: int(w) for k, w in partitions.items()}
            if sum(sizes.values()) > n:
                raise ValueError(f"{self._typename}: the partition sizes sum to {sum(sizes.values())}, more than "
                                 f"the dataset size {n}")
        self.dataset = dataset
        self.partitionsizes = sizes
        self._offsets, start = {}, 0
        for k, s in sizes.items():
            self._offsets[k] = start
            start += s
        self.partition = next(iter(sizes))
        if a["initialpartition"] is not None:
            self.select(a["initialpartition"])

    def select(self, partition: str) -> None:
        """Make ``partition`` (one of the names given at construction) the one ``size`` and ``get`` see."""
        if partition not in self.partitionsizes:
            raise ValueError(f"{self._typename}.select: partition {partition!r} not found "
                           f"(partitions: {', '.join(map(repr, self.partitionsizes))})")
        self.partition = partition

    def size(self) -> int:
        return self.partitionsizes[self.partition]

    def get(self, idx: int) -> Any:
        i = _checkindex(f"{self._typename}.get", idx, self.size())
        return self.dataset.get(self._offsets[self.partition] + i)

    def __repr__(self) -> str:
        return (f"{self._typename}(partition {self.partition!r} of {self.partitionsizes}, size {self.size()}) "
                f"on {self.dataset!r}")
