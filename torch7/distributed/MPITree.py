"""A tree on MPI (mpi4py): the same collectives as ``Tree``, run by the MPI library."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._core.tensor import Tensor
from ._base import TreeBase
from ._walk import plainNumber, setSlot

_INSTALL = "MPITree needs mpi4py and an MPI library: pip install torch7[mpi] (extra mpi)"


def _numberArray(v: Any) -> np.ndarray:
    v = plainNumber(v)
    return np.array([v], np.float64 if isinstance(v, float) else np.int64)


class MPITree(TreeBase):
    """The tree interface (``allReduce``, ``scatter``, ``walkTable``, ``netStats``) on an MPI communicator.

    ``nodeIndex`` is the MPI rank, ``numNodes`` the communicator's size. A named reduce (``"sum"``, the
    default, ``"max"``, ``"min"``, ``"prod"``) becomes one ``comm.Allreduce`` per tensor on its NumPy buffer,
    in place (a non-contiguous tensor goes through a contiguous copy); any other ``reduce`` function
    falls back to ``comm.Allgather`` and every rank reducing the gathered values in rank order, so all
    ranks still end bit-identical. ``scatter`` is ``comm.Bcast`` from rank 0. Numbers travel as one-element
    int64 or float64 arrays (the ranks must agree on which), and the uneven-ending ``zero`` protocol adds
    one int64 ``Allreduce`` of the finished-node count per round, as ``Tree`` sends it. MPI checks neither
    types nor sizes: the ranks must pass matching values. ``close`` does not free the communicator.
    Start the processes with ``mpiexec -n N python script.py``.

    Args:
        comm: an mpi4py communicator (default ``MPI.COMM_WORLD``), or an object with its ``Get_rank``,
            ``Get_size``, ``Allreduce``, ``Allgather`` and ``Bcast`` methods.
        mpi: the module holding ``SUM``, ``MAX``, ``MIN``, ``PROD`` and ``IN_PLACE`` (default ``mpi4py.MPI``).

    Raises:
        ImportError: without mpi4py (unless both ``comm`` and ``mpi`` are given), saying which extra to install.

    Example:
        >>> from torch7.distributed import MPITree
        >>> try:
        ...     tree = MPITree()
        ... except ImportError as e:
        ...     print("extra mpi" in str(e))
        ... else:
        ...     print(tree.numNodes >= 1)
        True
    """

    def __init__(self, comm: Any = None, mpi: Any = None) -> None:
        super().__init__()
        if comm is None or mpi is None:
            try:
                from mpi4py import MPI
            except ImportError as e:
                raise ImportError(_INSTALL) from e
            comm = MPI.COMM_WORLD if comm is None else comm
            mpi = MPI if mpi is None else mpi
        self.comm, self._mpi = comm, mpi
        self.nodeIndex, self.numNodes = int(comm.Get_rank()), int(comm.Get_size())
        self._ops = {"sum": mpi.SUM, "max": mpi.MAX, "min": mpi.MIN, "prod": mpi.PROD}
        self._stats = {"bytesSent": 0, "bytesReceived": 0, "messagesSent": 0, "messagesReceived": 0}

    def _count(self, sent: int, received: int) -> None:
        s = self._stats
        s["bytesSent"] += sent
        s["bytesReceived"] += received
        s["messagesSent"] += 1
        s["messagesReceived"] += 1

    @staticmethod
    def _buffer(leaf: Any) -> tuple[np.ndarray, bool]:
        """A C-contiguous array for ``leaf`` and whether it must be copied back (False: it is the leaf's memory)."""
        if isinstance(leaf, Tensor):
            arr = leaf.numpy()
            if arr.flags.c_contiguous:
                return arr, False
            return np.ascontiguousarray(arr), True
        return _numberArray(leaf), True

    @staticmethod
    def _store(slot: tuple, buf: np.ndarray) -> None:
        leaf = slot[0][slot[1]]
        if isinstance(leaf, Tensor):
            leaf.numpy()[...] = buf
        else:
            setSlot(slot, buf[0].item())

    def _round(self, sl: list, reduce, numDone: int) -> int:
        for slot in sl:
            buf, copyBack = self._buffer(slot[0][slot[1]])
            if isinstance(reduce, str):
                self.comm.Allreduce(self._mpi.IN_PLACE, buf, op=self._ops[reduce])
                self._count(buf.nbytes, buf.nbytes)
                if copyBack:
                    self._store(slot, buf)
            else:
                self._gatherReduce(slot, buf, reduce)
        count = np.array([numDone], np.int64)
        self.comm.Allreduce(self._mpi.IN_PLACE, count, op=self._mpi.SUM)
        self._count(count.nbytes, count.nbytes)
        return int(count[0])

    def _gatherReduce(self, slot: tuple, buf: np.ndarray, fn: Callable) -> None:
        everyone = np.empty((self.numNodes, *buf.shape), buf.dtype)
        self.comm.Allgather(buf, everyone)
        self._count(buf.nbytes, everyone.nbytes)
        leaf = slot[0][slot[1]]
        if isinstance(leaf, Tensor):
            # rank 0's value, then each rank's in turn: the same sequence of operations on every rank
            leaf.numpy()[...] = everyone[0]
            wrap = type(leaf)._new
            for r in range(1, self.numNodes):
                setSlot(slot, fn(leaf, wrap(everyone[r])))
        else:
            acc = everyone[0][0].item()
            for r in range(1, self.numNodes):
                acc = fn(acc, everyone[r][0].item())
            setSlot(slot, acc)

    def _scatter(self, sl: list) -> None:
        for slot in sl:
            buf, copyBack = self._buffer(slot[0][slot[1]])
            self.comm.Bcast(buf, root=0)
            self._count(buf.nbytes if self.nodeIndex == 0 else 0, 0 if self.nodeIndex == 0 else buf.nbytes)
            if copyBack:
                self._store(slot, buf)

    def netStats(self) -> dict[str, int]:
        """Bytes of the buffers this rank handed to MPI and got back, and the number of collectives.

        These count buffers, not network traffic (MPI's algorithms decide that).
        """
        return dict(self._stats)
