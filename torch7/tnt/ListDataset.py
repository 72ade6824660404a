"""tnt.ListDataset: a dataset whose i-th sample is ``load(list[i])``."""

from __future__ import annotations

import os
from typing import Any

import torch7 as torch

from ._args import parse
from ._helpers import _callable, _checkindex
from .Dataset import Dataset
from .transform import identity


class ListDataset(Dataset):
    """The i-th sample is ``load(list[i])``, or ``load(path + "/" + list[i])`` when ``path`` is given.

    Many small and medium datasets are a list of files (or of ids) plus a function reading one.
    Two forms, as in torchnet:

    - ``ListDataset(list, load, path)``: ``list`` is a Python list, a LongTensor (its entries come
      back as ints), a NumPy array or anything with ``len`` and indexing;
    - ``ListDataset(filename, load, maxload, path)``: the list is the lines of text file
      ``filename``, at most ``maxload`` of them (all when None or <= 0). A string third positional
      argument is the ``path`` (torchnet dispatched on its type).

    Args:
        list / filename: the items, or the file listing them one per line.
        load: the function from an item (a string when ``path`` is given) to a sample; default
            identity.
        maxload: with ``filename``, how many lines to read at most.
        path: a prefix joined to each item with ``/``.

    Example:
        >>> from torch7 import tnt
        >>> ds = tnt.ListDataset(["a.png", "b.png"], lambda f: {"file": f}, "imgs")
        >>> ds.size(), ds.get(1)
        (2, {'file': 'imgs/b.png'})
    """

    _typename = "tnt.ListDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
            args, kwargs = (), dict(args[0])
        from_file = "filename" in kwargs or "maxload" in kwargs or (
            bool(args) and isinstance(args[0], (str, os.PathLike)))
        if from_file:
            a = parse(self._typename, ("filename", "load", "maxload", "path"), args, kwargs,
                      required=("filename",))
            if isinstance(a["maxload"], str) and a["path"] is None:
                a["path"], a["maxload"] = a["maxload"], None
            items = self._readlines(a["filename"], a["maxload"])
        else:
            a = parse(self._typename, ("list", "load", "path"), args, kwargs, required=("list",))
            items = a["list"]
            if not (torch.isTensor(items) or (hasattr(items, "__len__") and hasattr(items, "__getitem__"))):
                raise TypeError(f"{self._typename}: list must be a list, a tensor or an indexable sequence, "
                                f"got {type(items).__name__}")
            if torch.isTensor(items) and items.dim() > 1:
                raise ValueError(f"{self._typename}: a tensor list must be 1-D, got size "
                                 f"{'x'.join(map(str, items.size()))}")
        if a["path"] is not None and not isinstance(a["path"], (str, os.PathLike)):
            raise TypeError(f"{self._typename}: path must be a string, got {type(a['path']).__name__}")
        self.list = items
        self.load = _callable(self._typename, "load", identity if a["load"] is None else a["load"])
        self.path = None if a["path"] is None else os.fspath(a["path"])
        if from_file:
            print(f"| loaded <{os.fspath(a['filename'])}> with {self.size()} examples")

    @staticmethod
    def _readlines(filename: Any, maxload: Any) -> list[str]:
        if maxload is not None and (isinstance(maxload, bool) or not isinstance(maxload, int)):
            raise TypeError(f"tnt.ListDataset: maxload must be an int, got {type(maxload).__name__}")
        lines: list[str] = []
        with open(filename) as f:
            for line in f:
                lines.append(line.rstrip("\n"))
                if maxload is not None and maxload > 0 and len(lines) == maxload:
                    break
        return lines

    def size(self) -> int:
        if torch.isTensor(self.list):
            return self.list.size(0) if self.list.dim() > 0 else 0
        return len(self.list)

    def get(self, idx: int) -> Any:
        item = self.list[_checkindex(f"{self._typename}.get", idx, self.size())]
        if self.path is not None:
            return self.load(f"{self.path}/{item}")
        return self.load(item)

    def __repr__(self) -> str:
        path = f", path {self.path!r}" if self.path is not None else ""
        return f"{self._typename}(size {self.size()}{path})"

