"""nngraph's ``data['mapindex']``: the ordered inputs of a node, looked up by identity."""

from __future__ import annotations


class MapIndex(list):
    """The ``data`` dicts of a node's inputs, in the order they were given (position 0 first).

    Lua keeps a second, reverse part in the same table (``mapindex[data] = position``); here
    ``indexOf(data)`` finds the 0-based position by identity, since dicts are neither hashable
    nor compared by identity in Python. Being a distinct type also tells a converted node
    apart from one just read from a ``.t7`` file.

    Example:
        >>> a, b = {}, {}
        >>> m = MapIndex([a, b])
        >>> m.indexOf(b), m.indexOf({})
        (1, -1)
    """

    __slots__ = ()

    def indexOf(self, data: dict) -> int:
        """The 0-based position of ``data`` (compared by identity), or -1 when absent."""
        for i, d in enumerate(self):
            if d is data:
                return i
        return -1
