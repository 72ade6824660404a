"""torch-ipc's ``NullTree``: the tree of a single process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._base import TreeBase, checkReduce


class NullTree(TreeBase):
    """A tree of one node, for running distributed training code in a single process.

    As torch-ipc's ``NullTree``: ``allReduce`` returns ``(value, 1)`` and leaves the value alone (even
    when a finished node passes ``zero``), ``scatter`` returns its value, ``netStats`` is all zeros.
    No sockets are opened. (A one-node ``Tree`` runs the full protocol instead: there a ``zero`` call
    zeroes the value and reports 0 contributors.)

    Example:
        >>> import torch7 as torch
        >>> from torch7.distributed import NullTree
        >>> tree = NullTree()
        >>> tree.nodeIndex, tree.numNodes
        (0, 1)
        >>> g, n = tree.allReduce(torch.DoubleTensor(2).fill(3), "sum")
        >>> g.sum(), n
        (6.0, 1)
        >>> tree.scatter([1, 2])
        [1, 2]
    """

    def __init__(self) -> None:
        super().__init__()
        self.nodeIndex, self.numNodes = 0, 1

    def allReduce(self, value: Any = None, reduce: str | Callable = "sum",
                  zero: Callable[[Any, int], Any] | None = None) -> tuple[Any, int]:
        """``(value, 1)``: one node's reduction is its own value."""
        self._checkOpen("allReduce")
        checkReduce(reduce, "allReduce")
        return value, 1

    def scatter(self, value: Any) -> Any:
        """``value``: the root already has it."""
        self._checkOpen("scatter")
        return value
