"""The error every collective of ``torch7.distributed`` raises when the network lets it down."""

from __future__ import annotations


class DistributedError(RuntimeError):
    """A peer closed its connection, timed out, or sent something this node cannot accept.

    The message names the node that raised it (0-based ``nodeIndex``), the peer and the operation
    (``allReduce``, ``scatter``, the tree's construction), so that in a log of N processes the first
    failure can be told from the ones it caused. After it is raised by a tree operation the tree is
    closed: its neighbours see the connection drop and fail too, instead of waiting for a message
    that will never come.

    Args:
        message: what went wrong, naming the node and the operation.

    Example:
        >>> from torch7.distributed import DistributedError
        >>> issubclass(DistributedError, RuntimeError)
        True
        >>> str(DistributedError("node 1: node 0 closed the connection during allReduce"))
        'node 1: node 0 closed the connection during allReduce'
    """


DistributedError.__module__ = "torch7.distributed"  # how tracebacks name it
