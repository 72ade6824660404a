"""torch-distlearn's ``AllReduceSGD``: data-parallel SGD, every node computing part of each mini-batch."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._core import types as T
from .._core.tensor import Tensor
from ._walk import walkTable


def _zero(v: Any, i: int = 0) -> Any:
    return v.fill(0) if isinstance(v, Tensor) else 0


class AllReduceSGD:
    """Sum (or average) the gradients of all nodes at every step; re-synchronize parameters per epoch.

    Each node computes gradients on its own share of the data, then ``sumAndNormalizeGradients`` leaves
    every node holding the mean over the nodes that took this step, so that identical updates keep the
    parameters identical. When the shares end after different numbers of steps, a node that is done calls
    ``synchronizeParameters``: it joins the remaining steps with zero gradients (the tree's ``zero``
    protocol), then the node that took the most steps (the lowest index among ties) hands its parameters
    to everyone. If no step was taken since the last synchronization the root's parameters are scattered.
    As in torch-distlearn, the nodes must agree on that: either every node took at least one step, or none.

    Args:
        tree: a ``Tree``, ``LocalhostTree``, ``StaticTree``, ``MPITree`` or ``NullTree``.

    Example:
        >>> import torch7 as torch
        >>> from torch7.distributed import AllReduceSGD, NullTree
        >>> sgd = AllReduceSGD(NullTree())
        >>> params, grads = torch.DoubleTensor(3).fill(1), torch.DoubleTensor(3).fill(0.5)
        >>> _ = sgd.sumAndNormalizeGradients(grads)
        >>> _ = params.add(-0.5, grads)
        >>> int(sgd.stepsPerNode[0])
        1
        >>> sgd.synchronizeParameters(params).sum(), int(sgd.stepsPerNode[0])
        (2.25, 0)
    """

    def __init__(self, tree: Any) -> None:
        self.tree = tree
        self.stepsPerNode = T.TENSOR_CLASSES["torch.LongTensor"](tree.numNodes).fill(0)

    def _stepped(self) -> None:
        i = self.tree.nodeIndex
        self.stepsPerNode[i] = self.stepsPerNode[i] + 1

    def sumGradients(self, grads: Any) -> Any:
        """All-reduce ``grads`` (a tensor or a list/dict of tensors) to their sum over the nodes, in place."""
        self.tree.allReduce(grads, "sum")
        self._stepped()
        return grads

    def sumAndNormalizeGradients(self, grads: Any) -> Any:
        """All-reduce ``grads`` in place to their mean over the nodes that contributed to this step."""
        _, n = self.tree.allReduce(grads, "sum")
        if n > 1:  # fewer than numNodes once some nodes have run out of data
            walkTable(grads, lambda g: g.mul(1.0 / n) if isinstance(g, Tensor) else g / n)
        self._stepped()
        return grads

    def synchronizeParameters(self, params: Any) -> Any:
        """Give every node the same ``params`` (in place) at the end of an epoch; returns ``params``."""
        tree = self.tree
        if self.stepsPerNode[tree.nodeIndex] > 0:
            # this node is done: join the others' remaining steps with zero gradients until all are done
            tree.allReduce(None, "sum", _zero)
            tree.allReduce(self.stepsPerNode, "sum")
            winner = int(np.argmax(self.stepsPerNode.numpy()))
            if tree.nodeIndex != winner:
                walkTable(params, _zero)
            tree.allReduce(params, "sum")  # zeros everywhere but on the winner: its parameters
            self.stepsPerNode.fill(0)
        else:
            tree.scatter(params)
        return params
