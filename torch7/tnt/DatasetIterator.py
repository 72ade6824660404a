"""tnt.DatasetIterator: go through a dataset (or another iterator) with a ``for`` loop, filtering and transforming."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ._args import parse
from .Dataset import Dataset


def _identity(x: Any) -> Any:
    return x


def _keep(sample: Any) -> bool:
    return True


class DatasetIterator:
    """Iterate over the samples of a dataset, or of another iterator.

    Args (one of two forms):
        dataset: a ``tnt.Dataset``; its samples are visited in the order ``get(perm(0))``,
            ``get(perm(1))``, ... up to ``size() - 1`` (``size()`` is read each time a pass starts).
        perm: maps a position to a dataset index, both 0-based (identity by default). Only with ``dataset``.
        iterator: instead of ``dataset``, another ``tnt.DatasetIterator`` whose samples are visited.
        filter: ``filter(sample)`` true keeps the sample (all kept by default).
        transform: ``transform(sample)`` replaces each sample; it runs before ``filter``, so
            ``filter`` sees transformed samples (identity by default).

    ``iterator()`` (or ``run()``) starts a pass and returns a Python iterator over the samples;
    ``for sample in iterator:`` does the same. ``exec(name, *args)`` calls a method of the
    iterator, else of the dataset (through ``Dataset.exec``) or of the inner iterator.
    ``filter(f)`` and ``transform(f)`` return a new iterator stacked on this one.

    Example:
        >>> from torch7 import tnt
        >>> class Numbers(tnt.Dataset):
        ...     def size(self):
        ...         return 6
        ...     def get(self, idx):
        ...         return idx + 1
        >>> it = tnt.DatasetIterator(Numbers(), transform=lambda x: 10 * x, filter=lambda x: x % 20 == 0)
        >>> [s for s in it()]
        [20, 40, 60]
        >>> list(it.transform(lambda x: x + 1))
        [21, 41, 61]
    """

    _typename = "tnt.DatasetIterator"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        who = self._typename
        first = args[0] if args else kwargs.get("iterator", kwargs.get("dataset"))
        if len(args) == 1 and isinstance(first, dict) and not kwargs:
            first = first.get("iterator", first.get("dataset"))
        if "iterator" in kwargs or isinstance(first, DatasetIterator):
            a = parse(who, ("iterator", "filter", "transform"), args, kwargs, required=("iterator",))
            if not isinstance(a["iterator"], DatasetIterator):
                raise TypeError(f"{who}: iterator must be a tnt.DatasetIterator, got {type(a['iterator']).__name__}")
            self.dataset, self.iterator, self._perm = None, a["iterator"], None
        else:
            a = parse(who, ("dataset", "perm", "filter", "transform"), args, kwargs, required=("dataset",),
                      defaults={"perm": _identity})
            if not isinstance(a["dataset"], Dataset):
                raise TypeError(f"{who}: dataset must be a tnt.Dataset, got {type(a['dataset']).__name__}")
            self.dataset, self.iterator = a["dataset"], None
            self._perm = a["perm"] if a["perm"] is not None else _identity
        self._filter = a["filter"] if a["filter"] is not None else _keep
        self._transform = a["transform"] if a["transform"] is not None else _identity
        for name in ("perm", "filter", "transform"):
            if a.get(name) is not None and not callable(a[name]):
                raise TypeError(f"{who}: {name} must be callable, got {type(a[name]).__name__}")

    def run(self) -> Iterator[Any]:
        """Start a pass: a fresh Python iterator over the (transformed, kept) samples."""
        return self._from_dataset() if self.dataset is not None else self._from_iterator()

    def _from_dataset(self) -> Iterator[Any]:
        dataset, perm, keep, transform = self.dataset, self._perm, self._filter, self._transform
        for idx in range(dataset.size()):
            sample = transform(dataset.get(perm(idx)))
            if keep(sample):
                yield sample

    def _from_iterator(self) -> Iterator[Any]:
        keep, transform = self._filter, self._transform
        for sample in self.iterator.run():
            sample = transform(sample)
            if keep(sample):
                yield sample

    def __call__(self) -> Iterator[Any]:
        return self.run()

    def __iter__(self) -> Iterator[Any]:
        return self.run()

    def exec(self, name: str, *args: Any) -> Any:
        """Call ``name(*args)`` on this iterator if it has such a method, else on what it iterates over."""
        fn = getattr(self, name, None) if not name.startswith("_") else None
        if callable(fn):
            return fn(*args)
        if self.dataset is not None:
            return self.dataset.exec(name, *args)
        if self.iterator is not None:
            return self.iterator.exec(name, *args)
        raise AttributeError(f"{self._typename}.exec: unknown function <{name}>")

    def filter(self, filter: Callable[[Any], bool]) -> DatasetIterator:
        """A new iterator over the samples of this one for which ``filter(sample)`` is true."""
        return DatasetIterator(iterator=self, filter=filter)

    def transform(self, transform: Callable[[Any], Any]) -> DatasetIterator:
        """A new iterator over ``transform(sample)`` for the samples of this one."""
        return DatasetIterator(iterator=self, transform=transform)

    def __repr__(self) -> str:
        inner = f"dataset={self.dataset!r}" if self.dataset is not None else f"iterator={self.iterator!r}"
        return f"{self._typename}({inner})"
