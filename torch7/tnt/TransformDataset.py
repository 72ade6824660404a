"""tnt.TransformDataset: a dataset whose samples go through a function when fetched."""

from __future__ import annotations

from typing import Any

from ._args import parse
from ._helpers import _callable, _flex
from .Dataset import Dataset


class TransformDataset(Dataset):
    """Apply a function to each sample of ``dataset`` as it is fetched; the size is ``dataset``'s.

    Two forms, as in torchnet:

    - ``TransformDataset(dataset, transform, key=None)``: without ``key``, the sample becomes
      ``transform(sample, idx)``; with ``key``, only that field is replaced, by
      ``transform(sample[key], idx)``. ``transform`` may take one argument (the index is then not
      passed).
    - ``TransformDataset(dataset, transforms=dict)``: each ``sample[key]`` becomes
      ``transforms[key](sample[key])``. A dict given positionally in place of ``transform`` means
      this form.

    With a key, the sample returned by ``dataset`` is changed in place (as in torchnet); a missing
    key is an error.

    Args:
        dataset: the underlying ``tnt.Dataset``.
        transform: a function of the sample (or of its ``key`` field) and the index.
        key: the field to transform.
        transforms: a dict ``{key: function}``.

    Example:
        >>> from torch7 import tnt
        >>> base = tnt.TableDataset([{"input": 1, "target": 1}, {"input": 2, "target": 2}])
        >>> tnt.TransformDataset(base, lambda x: x * 10, "input").get(1)
        {'input': 20, 'target': 2}
        >>> base.transform(transforms={"input": lambda x: x + 1, "target": str}).get(0)
        {'input': 2, 'target': '1'}
    """

    _typename = "tnt.TransformDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("dataset", "transform", "key", "transforms"), args, kwargs,
                  required=("dataset",))
        if not isinstance(a["dataset"], Dataset):
            raise TypeError(f"{self._typename}: dataset must be a tnt.Dataset, got {type(a['dataset']).__name__}")
        if isinstance(a["transform"], dict) and a["transforms"] is None:
            a["transforms"], a["transform"] = a["transform"], None
        self.dataset = a["dataset"]
        self.key = a["key"]
        if a["transforms"] is not None:
            if a["transform"] is not None or a["key"] is not None:
                raise TypeError(f"{self._typename}: give either transform (and key) or transforms, not both")
            if not isinstance(a["transforms"], dict):
                raise TypeError(f"{self._typename}: transforms must be a dict key -> function, "
                                f"got {type(a['transforms']).__name__}")
            self.transforms = {k: _callable(self._typename, f"transforms[{k!r}]", fn)
                               for k, fn in a["transforms"].items()}
            self._transform = None
        else:
            if a["transform"] is None:
                raise TypeError(f"{self._typename}: missing argument 'transform' (or 'transforms')")
            self.transforms = None
            self._transform = _flex(_callable(self._typename, "transform", a["transform"]), 2)

    def size(self) -> int:
        return self.dataset.size()

    def _field(self, z: Any, key: Any, idx: int) -> Any:
        if not isinstance(z, dict) or key not in z:
            have = list(z) if isinstance(z, dict) else type(z).__name__
            raise KeyError(f"{self._typename}.get: sample {idx} has no key {key!r} (it has {have})")
        return z[key]

    def get(self, idx: int) -> Any:
        z = self.dataset.get(idx)
        if self.transforms is not None:
            for key, fn in self.transforms.items():
                z[key] = fn(self._field(z, key, idx))
            return z
        if self.key is not None:
            z[self.key] = self._transform(self._field(z, self.key, idx), idx)
            return z
        return self._transform(z, idx)

    def __repr__(self) -> str:
        what = f"keys {list(self.transforms)}" if self.transforms is not None else (
            f"key {self.key!r}" if self.key is not None else "whole sample")
        return f"{self._typename}(size {self.size()}, {what}) on {self.dataset!r}"
