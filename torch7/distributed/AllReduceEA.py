"""torch-distlearn's ``AllReduceEA``: elastic averaging SGD (Zhang, Choromanska, LeCun 2015) over all-reduce."""

from __future__ import annotations

from typing import Any

from .._core.tensor import Tensor
from ._walk import slots


def _tensors(params: Any, op: str) -> list[Tensor]:
    leaves = [c[k] for c, k in slots(params)]
    if not all(isinstance(t, Tensor) for t in leaves):
        raise TypeError(f"AllReduceEA.{op}: params must be a tensor or a list/dict of tensors")
    return leaves


class AllReduceEA:
    """Elastic averaging: every ``tau`` steps each node and a shared center pull toward each other.

    Each node keeps its own parameters and a copy of the center, which starts (as in torch-distlearn) as
    the node's parameters at its first call, and is the same on all nodes after ``synchronizeCenter``. On every
    ``tau``-th call of ``averageParameters`` each node computes its elastic difference
    ``delta = alpha * (param - center)``, moves ``param -= delta``, and the deltas of all nodes are
    summed by an all-reduce and added to the center. ``synchronizeCenter`` ends an epoch: a node that
    calls it keeps joining the averaging rounds of the nodes still training (moving its parameters toward
    the center, as the zero function of torch-distlearn did) until every node has called it; then the
    root's center is scattered so that rounding cannot let the copies drift apart. The step counter is
    reset, so the next epoch averages after ``tau`` more steps.

    Args:
        tree: a ``Tree``, ``LocalhostTree``, ``StaticTree``, ``MPITree`` or ``NullTree``.
        tau: steps between averaging rounds (at least 1).
        alpha: the elastic weight (the moving rate), typically below ``1 / numNodes``.

    Attributes:
        center: the list of center tensors (``None`` until the first call), in ``walkTable`` order.

    Example:
        >>> import torch7 as torch
        >>> from torch7.distributed import AllReduceEA, NullTree
        >>> ea = AllReduceEA(NullTree(), tau=2, alpha=0.5)
        >>> w = torch.DoubleTensor([1.0])
        >>> _ = ea.averageParameters(w)           # step 1: the center starts at w
        >>> _ = w.fill(3)                         # an SGD step moves w
        >>> _ = ea.averageParameters(w)           # step 2: delta = 0.5 * (3 - 1) = 1
        >>> w[0], ea.center[0][0]
        (2.0, 2.0)
    """

    def __init__(self, tree: Any, tau: int, alpha: float) -> None:
        if not isinstance(tau, int) or tau < 1:
            raise ValueError(f"AllReduceEA: tau must be a positive int, got {tau!r}")
        self.tree, self.tau, self.alpha = tree, tau, float(alpha)
        self.step = 0
        self.center: list[Tensor] | None = None
        self.delta: list[Tensor] | None = None
        self._params: list[Tensor] | None = None

    def _setup(self, params: Any, op: str) -> list[Tensor]:
        leaves = _tensors(params, op)
        if self._params is None:  # the first call: the center starts at this node's parameters
            self.center = [p.clone() for p in leaves]
            self.delta = [p.clone() for p in leaves]
            self._params = leaves
        elif len(leaves) != len(self._params) or any(a is not b for a, b in zip(leaves, self._params)):
            raise ValueError(f"AllReduceEA.{op}: params must be the same tensors as in the first call")
        return leaves

    def _elasticStep(self, i: int) -> Tensor:
        """delta_i = alpha * (param_i - center_i); param_i -= delta_i."""
        d = self.delta[i].add(self._params[i], -1, self.center[i]).mul(self.alpha)
        self._params[i].add(-1, d)
        return d

    def averageParameters(self, params: Any) -> Any:
        """Count a step; on every ``tau``-th, run an elastic averaging round. Returns ``params``."""
        leaves = self._setup(params, "averageParameters")
        self.step += 1
        if self.step % self.tau == 0:
            for i in range(len(leaves)):
                self._elasticStep(i)
            self.tree.allReduce(self.delta, "sum")
            for c, d in zip(self.center, self.delta):
                c.add(d)
        return params

    def synchronizeCenter(self, params: Any) -> Any:
        """End of epoch: join the others' rounds until all are done, then take the root's center."""
        self._setup(params, "synchronizeCenter")
        for d in self.delta:
            d.fill(0)

        def zero(_: Tensor, i: int) -> Tensor:
            # the previous round's summed deltas move the center (0 in the first round), then this node
            # contributes its own elastic step, exactly what averageParameters does around its all-reduce
            self.center[i].add(self.delta[i])
            return self._elasticStep(i)

        self.tree.allReduce(self.delta, "sum", zero)
        self.tree.scatter(self.center)
        self.step = 0
        return params
