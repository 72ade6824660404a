"""torch-ipc's ``StaticTree``: a tree whose root listens at a known address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .Tree import DEFAULT_TIMEOUT, Tree


class StaticTree(Tree):
    """A ``Tree`` whose root (node 0) binds ``host:port`` and whose other nodes connect there.

    For processes on several machines started by hand or by a scheduler: every node gets the same
    ``host`` (an address of the root's machine) and ``port``. Each non-root node listens for its own
    children on the local address of its connection to the root (``nodeHost`` overrides it) at a port
    its OS chooses, so only the root's port must be free and reachable. Non-root nodes retry until the
    root listens, for up to ``timeout`` seconds. torch-ipc's version took each node's own host and port
    too and a one-node ``StaticTree`` was a ``NullTree``; here a one-node tree opens no socket.

    Args:
        nodeIndex: this node, 0-based (0 is the root).
        numNodes: the number of nodes.
        host: the root's address.
        port: the root's port (0 on the root: its OS chooses; tell the others through ``publish``).
        base: the branching factor.
        nodeHost: the address this node listens on for its children.
        timeout: seconds allowed for each socket operation and for the construction.
        publish: on the root, ``publish(host, port)`` once it listens.

    Example:
        >>> import torch7 as torch
        >>> from torch7.distributed import StaticTree
        >>> with StaticTree(0, 1, "127.0.0.1", 0) as tree:
        ...     print(tree.scatter(torch.LongTensor([7])).sum())
        7
    """

    def __init__(self, nodeIndex: int, numNodes: int, host: str, port: int, base: int = 2, *,
                 nodeHost: str | None = None, timeout: float | None = DEFAULT_TIMEOUT,
                 publish: Callable[[str, int], Any] | None = None) -> None:
        super().__init__(nodeIndex, numNodes, base, host=host, port=port, publish=publish,
                         nodeHost=nodeHost, timeout=timeout)
