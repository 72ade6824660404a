"""What every tree shares: the allReduce driver (the uneven-ending rounds), scatter, walkTable.

A concrete tree implements two collectives over the leaves of one value, in walk order:
``_round(slots, reduce, numDone) -> numDone`` (reduce every leaf across the nodes, write the result
into every node's leaves, sum ``numDone``) and ``_scatter(slots)`` (node 0's leaves to every node).
The rest (boxing a bare leaf, re-using the last value, calling ``zero``, repeating rounds until every
node has finished, the contributor count) is torch-ipc's protocol and lives here once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core.tensor import Tensor
from ._walk import checkLeaf, setSlot, slots, walkTable
from .DistributedError import DistributedError

REDUCE_NAMES = ("sum", "max", "min", "prod")


def _sum(a, b):
    return a.add(b) if isinstance(a, Tensor) else a + b


def _max(a, b):
    return a.cmax(b) if isinstance(a, Tensor) else max(a, b)


def _min(a, b):
    return a.cmin(b) if isinstance(a, Tensor) else min(a, b)


def _prod(a, b):
    return a.cmul(b) if isinstance(a, Tensor) else a * b


NAMED_REDUCE = {"sum": _sum, "max": _max, "min": _min, "prod": _prod}


def checkReduce(reduce: str | Callable, op: str) -> None:
    if isinstance(reduce, str):
        if reduce not in NAMED_REDUCE:
            raise ValueError(f"{op}: unknown reduce '{reduce}' (one of {', '.join(REDUCE_NAMES)} or a function)")
    elif not callable(reduce):
        raise TypeError(f"{op}: reduce must be a function reduce(a, b) or one of {', '.join(REDUCE_NAMES)}")


def _checkedSlots(box: Any, op: str) -> list:
    """The leaves' slots, checked before anything is sent: a failure here leaves the tree usable."""
    sl = slots(box)
    for container, key in sl:
        leaf = container[key]
        checkLeaf(leaf, op)
        if isinstance(container, tuple) and not isinstance(leaf, Tensor):
            raise TypeError(f"{op}: a number inside a tuple cannot receive its result (use a list)")
    return sl


def _staged(sl: list) -> tuple[list, list]:
    """CUDA leaves go through host copies (the bytes travel from host memory; no NCCL, no CUDA IPC):
    the slots to run the collective on, and the (CUDA leaf, host copy) pairs to copy back afterwards."""
    out, back = [], []
    for slot in sl:
        leaf = slot[0][slot[1]]
        if isinstance(leaf, Tensor) and leaf._is_cuda:
            host = leaf.type(leaf._host_typename)
            out.append(([host], 0))
            back.append((leaf, host))
        else:
            out.append(slot)
    return out, back


def _unstage(back: list) -> None:
    for leaf, host in back:
        leaf.copy(host)


class TreeBase:
    """The interface of ``Tree``, ``MPITree`` and ``NullTree`` (see ``Tree`` for the full story)."""

    nodeIndex: int
    numNodes: int

    def __init__(self) -> None:
        self._last: tuple[Any, bool] | None = None  # torch-ipc's lastValue: (the boxed value, was it bare)
        self._closed = False

    # A concrete tree defines _round(slots, reduce, numDone) -> numDone and _scatter(slots).

    def _shutdown(self) -> None:
        """Release connections (called once by close)."""

    # ---- the collectives ------------------------------------------------------------------
    walkTable = staticmethod(walkTable)

    def _checkOpen(self, op: str) -> None:
        if self._closed:
            raise DistributedError(f"node {self.nodeIndex}: {op} on a closed tree")

    @staticmethod
    def _box(value: Any) -> tuple[Any, bool]:
        return (value, False) if isinstance(value, list | tuple | dict) else ([value], True)

    def allReduce(self, value: Any = None, reduce: str | Callable = "sum",
                  zero: Callable[[Any, int], Any] | None = None) -> tuple[Any, int]:
        """Reduce ``value`` across all nodes; every node ends with the same result. See ``Tree.allReduce``."""
        self._checkOpen("allReduce")
        checkReduce(reduce, "allReduce")
        if value is None or (zero is not None and isinstance(value, list | dict) and not value):
            if zero is None:
                raise ValueError("allReduce: value is None (only a finished node, passing zero, "
                                 "may re-use its last value)")
            if self._last is None:
                raise ValueError("allReduce: no earlier allReduce value to re-use on this node")
            box, bare = self._last
        else:
            box, bare = self._box(value)
            if zero is None:
                self._last = (box, bare)
        sl, back = _staged(_checkedSlots(box, "allReduce"))
        try:
            while True:
                numDone = 0
                if zero is not None:
                    # a finished node contributes zeros (by default its last value, zeroed) and counts itself done
                    for i, slot in enumerate(sl):
                        setSlot(slot, zero(slot[0][slot[1]], i))
                    numDone = 1
                numDone = self._round(sl, reduce, numDone)
                if zero is None or numDone >= self.numNodes:
                    break
        except BaseException:
            self.close()  # a half-done round leaves the streams out of step: make the neighbours fail too
            raise
        _unstage(back)
        return (box[0] if bare else box), self.numNodes - numDone

    def scatter(self, value: Any) -> Any:
        """Copy node 0's ``value`` into every node's ``value`` (in place) and return it."""
        self._checkOpen("scatter")
        box, bare = self._box(value)
        sl, back = _staged(_checkedSlots(box, "scatter"))
        try:
            self._scatter(sl)
        except BaseException:
            self.close()
            raise
        _unstage(back)
        return box[0] if bare else box

    def netStats(self) -> dict[str, int]:
        """Bytes and messages this node sent and received."""
        return {"bytesSent": 0, "bytesReceived": 0, "messagesSent": 0, "messagesReceived": 0}

    def close(self) -> None:
        """Close the connections; later collectives raise ``DistributedError``. Closing twice is fine."""
        if not self._closed:
            self._closed = True
            self._shutdown()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        state = ", closed" if self._closed else ""
        return f"{type(self).__name__}(nodeIndex={self.nodeIndex}, numNodes={self.numNodes}{state})"
