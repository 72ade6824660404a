"""tnt.TableDataset: a dataset over a list of samples held in memory."""

from __future__ import annotations

from typing import Any

from ._args import parse
from .ListDataset import ListDataset
from .utils import table as _table


class TableDataset(ListDataset):
    """The i-th sample is a deep copy of ``data[i]``, so changing a sample leaves ``data`` as it was.

    Handy to bring small in-memory data into torchnet. The list itself is kept, not copied.

    Args:
        data: a list (or tuple) of samples, usually dicts.

    Example:
        >>> from torch7 import tnt
        >>> ds = tnt.TableDataset([{"input": 1}, {"input": 2}])
        >>> s = ds.get(1); s["input"] = 5
        >>> ds.size(), ds.get(1)
        (2, {'input': 2})
    """

    _typename = "tnt.TableDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("data",), args, kwargs, required=("data",))
        data = a["data"]
        if not isinstance(data, (list, tuple)):
            raise TypeError(f"{self._typename}: data must be a list of samples, got {type(data).__name__}")
        super().__init__(list=data, load=_table.clone)
        self.data = data

    def __repr__(self) -> str:
        return f"{self._typename}(size {self.size()})"
