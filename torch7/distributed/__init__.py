"""Distributed training: torch-ipc's trees and torch-distlearn's algorithms.

Used as ``from torch7 import distributed`` (or ``import torch7.distributed as dist``); nothing here
is imported by ``import torch7`` itself. Lua's ``require 'ipc.LocalhostTree'(nodeIndex, numNodes)``
is ``distributed.LocalhostTree(nodeIndex, numNodes)`` with a 0-based ``nodeIndex``, and
``require 'distlearn.AllReduceSGD'(tree)`` is ``distributed.AllReduceSGD(tree)``. See
``docs/distributed.md``.

- Trees (``allReduce``, ``scatter``, ``walkTable``, ``netStats``, ``close``): ``Tree`` (TCP, the root's
  address given), ``LocalhostTree`` (one machine, rendezvous by file or port), ``StaticTree`` (root at a
  known host:port), ``NullTree`` (one process), ``MPITree`` (mpi4py, extra ``mpi``).
- Algorithms: ``AllReduceSGD`` (sum / average gradients, re-synchronize parameters after uneven
  epochs) and ``AllReduceEA`` (elastic averaging).
- ``launch(fn, numNodes, *args)`` runs ``fn(tree, *args)`` in ``numNodes`` local processes.
- A small process group on top of a tree: ``init``, ``rank``, ``size``, ``allreduce``, ``broadcast``,
  ``barrier``.
"""

from __future__ import annotations

from ._group import allreduce, barrier, broadcast, init, rank, size
from ._launch import launch
from ._walk import walkTable
from .AllReduceEA import AllReduceEA
from .AllReduceSGD import AllReduceSGD
from .DistributedError import DistributedError
from .LocalhostTree import LocalhostTree
from .MPITree import MPITree
from .NullTree import NullTree
from .StaticTree import StaticTree
from .Tree import DEFAULT_TIMEOUT, Tree

__all__ = ["AllReduceEA", "AllReduceSGD", "DEFAULT_TIMEOUT", "DistributedError", "LocalhostTree", "MPITree",
           "NullTree", "StaticTree", "Tree", "allreduce", "barrier", "broadcast", "init", "launch", "rank", "size",
           "walkTable"]
