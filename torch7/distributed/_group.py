"""A process group for PyTorch habits: ``init(tree)``, then ``rank``, ``size``, ``allreduce``, ...

The functions work on the tree given to ``init`` (any tree: ``LocalhostTree``, ``MPITree``, ...); there is
one group per process (a process is a node).

Example:
    >>> import torch7 as torch
    >>> from torch7 import distributed as dist
    >>> _ = dist.init(dist.NullTree())
    >>> dist.rank(), dist.size()
    (0, 1)
    >>> dist.allreduce(torch.FloatTensor(2).fill(3)).sum()
    6.0
    >>> dist.barrier()
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import types as T
from .._core.tensor import Tensor

_current: list = [None]  # the tree given to init


def init(tree: Any) -> Any:
    """Make ``tree`` the group's tree (``None`` forgets it); returns it."""
    _current[0] = tree
    return tree


def _tree(op: str):
    tree = _current[0]
    if tree is None:
        raise RuntimeError(f"torch7.distributed.{op}: call torch7.distributed.init(tree) first")
    return tree


def rank() -> int:
    """This node's 0-based index."""
    return _tree("rank").nodeIndex


def size() -> int:
    """The number of nodes."""
    return _tree("size").numNodes


def allreduce(tensor: Tensor, op: str = "sum") -> Tensor:
    """Reduce ``tensor`` (or a list of tensors) in place over all nodes: ``op`` is sum, max, min or prod."""
    _tree("allreduce").allReduce(tensor, op)
    return tensor


def broadcast(tensor: Tensor, root: int = 0) -> Tensor:
    """Copy node ``root``'s ``tensor`` into every node's ``tensor`` (in place); returns it.

    From the tree's root this is ``scatter``. From another node the tensor's bytes, viewed as a
    ``ByteTensor``, are summed with zeros from every other node: integer sums are exact, so the
    values arrive bit for bit (NaNs and signed zeros included), at the price of an all-reduce.
    """
    tree = _tree("broadcast")
    if not 0 <= root < tree.numNodes:
        raise ValueError(f"broadcast: root must be in 0..{tree.numNodes - 1}, got {root}")
    if not isinstance(tensor, Tensor):
        raise TypeError(f"broadcast: expected a tensor, got {type(tensor).__name__}")
    if root == 0:
        tree.scatter(tensor)
        return tensor
    work = tensor if tensor.isContiguous() else tensor.clone()
    raw = T.TENSOR_CLASSES["torch.ByteTensor"]._new(work.numpy().reshape(-1).view(np.uint8))
    if tree.nodeIndex != root:
        raw.fill(0)
    tree.allReduce(raw, "sum")
    if work is not tensor:
        tensor.copy(work)
    return tensor


def barrier() -> None:
    """Return once every node has called ``barrier``."""
    _tree("barrier").allReduce(0, "sum")
