"""The shape of a communication tree: who is whose parent, in which order children are served.

The tree is the k-nomial tree of branching factor ``base`` (a binomial tree for ``base=2``, the shape
torch-ipc builds): write a node's 0-based index in base ``base``; its parent is the index with the
lowest non-zero digit cleared, and its children set one digit below that lowest non-zero digit (any
digit for the root). Every node reaches the root in at most ``ceil(log_base(numNodes))`` hops, and a
child set at a lower digit heads a smaller subtree, so ascending child order is torch-ipc's "shortest
branch first" (used to receive) and descending order its "longest branch first" (used to send).

Example:
    >>> from torch7.distributed._shape import childrenOf, parentOf
    >>> childrenOf(0, 8, 2), childrenOf(4, 8, 2), parentOf(6, 8, 2)
    ([1, 2, 4], [5, 6], 4)
    >>> childrenOf(0, 9, 3), parentOf(8, 9, 3)
    ([1, 2, 3, 6], 6)
"""

from __future__ import annotations


def _check(nodeIndex: int, numNodes: int, base: int) -> None:
    if numNodes < 1:
        raise ValueError(f"numNodes must be at least 1, got {numNodes}")
    if base < 2:
        raise ValueError(f"base (the branching factor) must be at least 2, got {base}")
    if not 0 <= nodeIndex < numNodes:
        raise ValueError(f"nodeIndex must be in 0..{numNodes - 1} (0-based), got {nodeIndex}")


def _lowestDigit(nodeIndex: int, base: int) -> int:
    """The place value (a power of base) of the lowest non-zero digit of ``nodeIndex > 0``."""
    place = 1
    while (nodeIndex // place) % base == 0:
        place *= base
    return place


def parentOf(nodeIndex: int, numNodes: int, base: int = 2) -> int | None:
    """The parent of ``nodeIndex`` (``None`` for the root, node 0)."""
    _check(nodeIndex, numNodes, base)
    if nodeIndex == 0:
        return None
    place = _lowestDigit(nodeIndex, base)
    return nodeIndex - ((nodeIndex // place) % base) * place


def childrenOf(nodeIndex: int, numNodes: int, base: int = 2) -> list[int]:
    """The children of ``nodeIndex``, ascending (smallest subtree first)."""
    _check(nodeIndex, numNodes, base)
    top = _lowestDigit(nodeIndex, base) if nodeIndex else numNodes
    children = []
    place = 1
    while place < top and place < numNodes:
        children.extend(c for c in (nodeIndex + d * place for d in range(1, base)) if c < numNodes)
        place *= base
    return children
