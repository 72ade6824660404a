"""tnt.SGDEngine: plain stochastic gradient descent over a data set iterator, with hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import nn
from ._args import parse
from .Engine import Engine

_HOOKS = ("onStart", "onStartEpoch", "onSample", "onForward", "onForwardCriterion",
         "onBackward", "onBackwardCriterion", "onEndEpoch", "onUpdate", "onEnd")


def _check_models(fname: str, network: Any, criterion: Any, iterator: Any) -> None:
    """Type checks of ``train``/``test`` arguments (argcheck's, in torchnet)."""
    if not isinstance(network, nn.Module):
        raise TypeError(f"{fname}: network must be an nn.Module, got {type(network).__name__}")
    if criterion is not None and not isinstance(criterion, nn.Criterion):
        raise TypeError(f"{fname}: criterion must be an nn.Criterion, got {type(criterion).__name__}")
    if not callable(iterator):
        raise TypeError(f"{fname}: iterator must be callable (a tnt.DatasetIterator: iterator() yields "
                        f"samples), got {type(iterator).__name__}")


class SGDEngine(Engine):
    """Train a network by stochastic gradient descent, one ``updateParameters(lr)`` per sample.

    A sample is a dict with ``"input"`` and ``"target"`` (usually a mini-batch from a
    ``tnt.BatchDataset``). The hooks, called with the ``state`` dict, are ``onStart``,
    ``onStartEpoch``, ``onSample``, ``onForward``, ``onForwardCriterion``, ``onBackward``,
    ``onBackwardCriterion``, ``onEndEpoch``, ``onUpdate`` and ``onEnd``.

    ``train`` state: ``network``, ``criterion``, ``iterator``, ``lr``, ``lrcriterion``, ``maxepoch``,
    ``sample`` (the current one), ``epoch`` (epochs done), ``t`` (samples done), ``training`` (True).
    Hooks may change these (e.g. decay ``state["lr"]`` in ``onEndEpoch``). Per epoch:
    ``network.training()``, ``onStartEpoch``; per sample: ``onSample``, network forward,
    ``onForward``, criterion forward, ``onForwardCriterion``, zero the gradients, criterion backward,
    ``onBackwardCriterion``, network backward, ``onBackward``, the criterion's
    ``updateParameters(lrcriterion)`` if it has one and ``lrcriterion > 0``, the network's
    ``updateParameters(lr)`` if ``lr > 0``, ``t += 1``, ``onUpdate``; then ``epoch += 1``,
    ``onEndEpoch``. ``onStart`` comes first and ``onEnd`` last.

    ``test`` state: ``network``, ``iterator``, ``criterion`` (may be None), ``sample``, ``t``,
    ``training`` (False); it calls ``onStart``, ``network.evaluate()``, then per sample ``onSample``,
    forward, ``t += 1``, ``onForward`` and, with a criterion, its forward and
    ``onForwardCriterion``; then ``onEnd``. Parameters are not changed.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn, tnt
        >>> torch.manualSeed(1)
        >>> x = torch.randn(8, 2)
        >>> samples = [{"input": x, "target": x @ torch.Tensor([[1.0], [-2.0]])}]
        >>> net, crit = nn.Linear(2, 1), nn.MSECriterion()
        >>> engine, losses = tnt.SGDEngine(), []
        >>> engine.hooks.onForwardCriterion = lambda state: losses.append(state["criterion"].output)
        >>> engine.train(net, crit, lambda: iter(samples), lr=0.1, maxepoch=50)
        >>> len(losses), losses[-1] < 0.01 * losses[0]
        (50, True)
    """

    _typename = "tnt.SGDEngine"

    def __init__(self) -> None:
        super().__init__(list(_HOOKS))

    def train(self, *args: Any, **kwargs: Any) -> None:
        """Train ``network`` on ``criterion`` over ``iterator`` for ``maxepoch`` epochs.

        Args (torchnet's order): network (nn.Module), criterion (nn.Criterion), iterator (called once
        per epoch; yields sample dicts), lr (number >= 0), lrcriterion (default lr), maxepoch (1000).
        """
        fname = f"{self._typename}.train"
        a = parse(fname, ("network", "criterion", "iterator", "lr", "lrcriterion", "maxepoch"), args, kwargs,
                  defaults={"maxepoch": 1000}, required=("network", "criterion", "iterator", "lr"))
        _check_models(fname, a["network"], a["criterion"], a["iterator"])
        if a["lrcriterion"] is None:
            a["lrcriterion"] = a["lr"]
        state = {**a, "sample": {}, "epoch": 0, "t": 0, "training": True}

        def update(state: dict) -> None:
            # read per sample: a hook may change the rates during an epoch
            lr, lrc = state["lr"], state["lrcriterion"]
            if lrc < 0:
                raise ValueError(f"{fname}: lrcriterion should be positive or zero, got {lrc}")
            if lrc > 0 and callable(getattr(state["criterion"], "updateParameters", None)):
                state["criterion"].updateParameters(lrc)
            if lr < 0:
                raise ValueError(f"{fname}: lr should be positive or zero, got {lr}")
            if lr > 0:
                state["network"].updateParameters(lr)

        self._train_loop(state, update)

    def _train_loop(self, state: dict, update: Callable[[dict], None]) -> None:
        """The epochs of ``train``, shared with tnt.OptimEngine, which differs only in ``update(state)``,
        the parameter update after each sample's forward and backward."""
        hooks = self.hooks
        hooks("onStart", state)
        while state["epoch"] < state["maxepoch"]:
            state["network"].training()
            hooks("onStartEpoch", state)
            for sample in state["iterator"]():
                state["sample"] = sample
                hooks("onSample", state)
                self._forward_backward(state, hooks)
                update(state)
                state["t"] += 1
                hooks("onUpdate", state)
            state["epoch"] += 1
            hooks("onEndEpoch", state)
        hooks("onEnd", state)

    @staticmethod
    def _forward_backward(state: dict, hooks: Any) -> None:
        """One training step's forward, zero grads and backward, with their hooks."""
        # state is re-read after every hook, which may replace the network, criterion or sample
        state["network"].forward(state["sample"]["input"])
        hooks("onForward", state)
        state["criterion"].forward(state["network"].output, state["sample"]["target"])
        hooks("onForwardCriterion", state)
        state["network"].zeroGradParameters()
        if callable(getattr(state["criterion"], "zeroGradParameters", None)):
            state["criterion"].zeroGradParameters()
        state["criterion"].backward(state["network"].output, state["sample"]["target"])
        hooks("onBackwardCriterion", state)
        state["network"].backward(state["sample"]["input"], state["criterion"].gradInput)
        hooks("onBackward", state)

    def test(self, *args: Any, **kwargs: Any) -> None:
        """Run ``network`` (in evaluate mode) over ``iterator``, and ``criterion`` when given.

        Args (torchnet's order): network (nn.Module), iterator, criterion (optional nn.Criterion).
        """
        fname = f"{self._typename}.test"
        a = parse(fname, ("network", "iterator", "criterion"), args, kwargs, required=("network", "iterator"))
        _check_models(fname, a["network"], a["criterion"], a["iterator"])
        state = {**a, "sample": {}, "t": 0, "training": False}
        hooks = self.hooks

        hooks("onStart", state)
        state["network"].evaluate()
        for sample in state["iterator"]():
            state["sample"] = sample
            hooks("onSample", state)
            state["network"].forward(sample["input"])
            state["t"] += 1
            hooks("onForward", state)
            if state["criterion"] is not None:
                state["criterion"].forward(state["network"].output, sample["target"])
                hooks("onForwardCriterion", state)
        hooks("onEnd", state)
