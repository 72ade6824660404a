"""tnt.OptimEngine: tnt.SGDEngine's loop with the update done by an optim method (optim.sgd, optim.adam, ...)."""

from __future__ import annotations

from typing import Any

from ._args import parse
from .SGDEngine import SGDEngine, _check_models


class OptimEngine(SGDEngine):
    """Train a network with an ``optim`` method over the flat parameters of ``getParameters()``.

    Same hooks and same ``test`` as ``tnt.SGDEngine``. ``train`` takes the flat parameter and
    gradient vectors once, from ``network.getParameters()`` or from ``paramFun()``, then, per
    sample, runs forward and backward as ``tnt.SGDEngine`` does and calls
    ``optimMethod(feval, params, config, optimState)``, where ``feval`` returns what was just
    computed, ``(criterion.output, gradParams)``, without evaluating anything again.

    The ``train`` state holds ``network``, ``criterion``, ``iterator``, ``maxepoch``,
    ``optimMethod``, ``config``, ``optim`` (the optimizer state), ``params``, ``gradParams``,
    ``sample``, ``epoch``, ``t`` and ``training``. Without ``optimState``, the optimizer state is a
    new empty dict, separate from ``config`` (as in torchnet).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn, optim, tnt
        >>> torch.manualSeed(1)
        >>> x = torch.randn(8, 2)
        >>> samples = [{"input": x, "target": x @ torch.Tensor([[1.0], [-2.0]])}]
        >>> net, crit = nn.Linear(2, 1), nn.MSECriterion()
        >>> engine, losses = tnt.OptimEngine(), []
        >>> engine.hooks.onForwardCriterion = lambda state: losses.append(state["criterion"].output)
        >>> engine.train(net, crit, lambda: iter(samples), maxepoch=100, optimMethod=optim.adam,
        ...              config={"learningRate": 0.1})
        >>> losses[-1] < 0.01 * losses[0]
        True
    """

    _typename = "tnt.OptimEngine"

    def train(self, *args: Any, **kwargs: Any) -> None:
        """Train ``network`` on ``criterion`` over ``iterator`` with ``optimMethod``.

        Args (torchnet's order): network (nn.Module), criterion (nn.Criterion), iterator (called once
        per epoch; yields sample dicts), maxepoch (1000), optimMethod (e.g. ``optim.sgd``), config
        (dict of optimizer settings), optimState (dict of optimizer state), paramFun (returns
        ``(params, gradParams)``; default ``network.getParameters()``).
        """
        fname = f"{self._typename}.train"
        a = parse(fname, ("network", "criterion", "iterator", "maxepoch", "optimMethod", "config", "optimState",
                          "paramFun"), args, kwargs, defaults={"maxepoch": 1000},
                  required=("network", "criterion", "iterator", "optimMethod"))
        _check_models(fname, a["network"], a["criterion"], a["iterator"])
        if not callable(a["optimMethod"]):
            raise TypeError(f"{fname}: optimMethod must be a function such as optim.sgd, "
                            f"got {type(a['optimMethod']).__name__}")
        for k in ("config", "optimState"):
            if a[k] is not None and not isinstance(a[k], dict):
                raise TypeError(f"{fname}: {k} must be a dict, got {type(a[k]).__name__}")
        if a["paramFun"] is not None and not callable(a["paramFun"]):
            raise TypeError(f"{fname}: paramFun must be a function, got {type(a['paramFun']).__name__}")
        state = {
            "network": a["network"], "criterion": a["criterion"], "iterator": a["iterator"],
            "maxepoch": a["maxepoch"], "optimMethod": a["optimMethod"], "sample": {},
            # `is None`, not `or`: an empty dict passed by the caller is theirs to keep reading
            "config": {} if a["config"] is None else a["config"],
            "optim": {} if a["optimState"] is None else a["optimState"],
            "epoch": 0, "t": 0, "training": True,
        }
        pf = a["paramFun"]
        state["params"], state["gradParams"] = pf() if pf is not None else state["network"].getParameters()

        def feval(x: Any = None) -> tuple[Any, Any]:
            return state["criterion"].output, state["gradParams"]

        self._train_loop(state, lambda st: st["optimMethod"](feval, st["params"], st["config"], st["optim"]))
