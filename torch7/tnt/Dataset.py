"""tnt.Dataset: the base of every torchnet dataset."""

from __future__ import annotations

from typing import Any

_SUGAR = ("batch", "resample", "shuffle", "split", "transform", "iterator", "parallel")


class Dataset:
    """A sized collection of samples: ``size()`` and ``get(idx)``, with ``idx`` from 0 to ``size() - 1``.

    A sample is a ``dict`` (torchnet's Lua table), usually of tensors. Subclasses implement ``size``
    and ``get``; the rest is sugar that wraps this dataset in another one, as torchnet's
    ``dataset:batch(...)`` does: ``ds.batch(4)`` is ``tnt.BatchDataset(ds, 4)``. ``len(ds)`` and
    ``ds[i]`` are the Python spellings of ``size()`` and ``get(i)``.

    Example:
        >>> from torch7 import tnt
        >>> class Squares(tnt.Dataset):
        ...     def size(self):
        ...         return 3
        ...     def get(self, idx):
        ...         return {"input": idx * idx}
        >>> ds = Squares()
        >>> [ds.get(i)["input"] for i in range(ds.size())], len(ds), ds[2]
        ([0, 1, 4], 3, {'input': 4})
    """

    _typename = "tnt.Dataset"

    def size(self) -> int:
        raise NotImplementedError(f"size not implemented for class <{self._typename}>")

    def get(self, idx: int) -> dict:
        raise NotImplementedError(f"get not implemented for class <{self._typename}>")

    def __len__(self) -> int:
        return int(self.size())

    def __getitem__(self, idx: int) -> dict:
        n = self.size()
        if not isinstance(idx, int) or isinstance(idx, bool):
            raise TypeError(f"{self._typename}: index must be an int, got {type(idx).__name__}")
        if idx < 0:
            idx += n
        if not 0 <= idx < n:
            raise IndexError(f"{self._typename}: index {idx} out of range for a dataset of size {n}")
        return self.get(idx)

    def exec(self, name: str, *args: Any) -> Any:
        """Call method ``name`` of this dataset, or else of the dataset it wraps (torchnet's ``exec``).

        The wrapping sugar (``resample``, ``shuffle``, ``batch`` ...) of this base class is not a
        method of the dataset for ``exec``: ``it.exec("resample")`` on batches of a ``ShuffleDataset``
        reaches the shuffle's own ``resample()`` (torchnet's idiom), not a new ``ResampleDataset``.
        """
        fn = getattr(self, name, None) if not name.startswith("_") else None
        sugar = name in _SUGAR and getattr(type(self), name, None) is getattr(Dataset, name)
        if callable(fn) and not sugar:
            return fn(*args)
        inner = getattr(self, "dataset", None)
        if isinstance(inner, Dataset):
            return inner.exec(name, *args)
        if callable(fn):
            return fn(*args)
        raise AttributeError(f"{self._typename}.exec: unknown function <{name}>")

    # ---- sugar: this dataset wrapped in another -------------------------------------------------

    def batch(self, *args: Any, **kwargs: Any) -> Dataset:
        """``tnt.BatchDataset(self, ...)``."""
        from .BatchDataset import BatchDataset
        return BatchDataset(self, *args, **kwargs)

    def resample(self, *args: Any, **kwargs: Any) -> Dataset:
        """``tnt.ResampleDataset(self, ...)``."""
        from .ResampleDataset import ResampleDataset
        return ResampleDataset(self, *args, **kwargs)

    def shuffle(self, *args: Any, **kwargs: Any) -> Dataset:
        """``tnt.ShuffleDataset(self, ...)``."""
        from .ShuffleDataset import ShuffleDataset
        return ShuffleDataset(self, *args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> Dataset:
        """``tnt.SplitDataset(self, ...)``."""
        from .SplitDataset import SplitDataset
        return SplitDataset(self, *args, **kwargs)

    def transform(self, *args: Any, **kwargs: Any) -> Dataset:
        """``tnt.TransformDataset(self, ...)``."""
        from .TransformDataset import TransformDataset
        return TransformDataset(self, *args, **kwargs)

    def iterator(self, *args: Any, **kwargs: Any):
        """``tnt.DatasetIterator(self, ...)``."""
        from .DatasetIterator import DatasetIterator
        return DatasetIterator(self, *args, **kwargs)

    def parallel(self, *args: Any, **kwargs: Any):
        """A ``tnt.ParallelDatasetIterator`` whose every worker reads this dataset.

        Args (torchnet's order): init, nthread, perm, filter, transform, ordered.
        """
        from ._args import parse
        from .ParallelDatasetIterator import ParallelDatasetIterator
        a = parse(f"{self._typename}.parallel", ("init", "nthread", "perm", "filter", "transform", "ordered"),
                  args, kwargs, required=("nthread",))
        a["closure"] = lambda threadid: self
        return ParallelDatasetIterator(**{k: v for k, v in a.items() if v is not None})

    def __repr__(self) -> str:
        try:
            return f"{self._typename}(size {self.size()})"
        except NotImplementedError:
            return self._typename
