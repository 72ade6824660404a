"""autograd.auto: nn classes whose gradients autograd derives (``autograd.nn.AutoModule/AutoCriterion``).

``autograd.nn.AutoModule(name)`` returns a real ``nn.Module`` subclass, typename ``autograd.nn.module.<name>``;
its instances take ``(fn, weight, bias)`` and compute ``fn(input, weight, bias)`` in ``updateOutput``, with
``updateGradInput`` / ``accGradParameters`` from ``autograd.grad``. ``autograd.nn.AutoCriterion(name)``
likewise gives an ``nn.Criterion`` subclass (typename ``autograd.nn.criterion.<name>``) taking
``fn(input, target) -> loss``. The classes made are kept here: ``autograd.auto.<name>``.

Differences from torch-autograd: ``gradWeight`` / ``gradBias`` start at zero (torch-autograd starts them as
copies of the weights); each instance differentiates its own ``fn`` (torch-autograd caches the first
instance's on the class); ``fn`` is a Python function, so these modules cannot be written to ``.t7``
files (``clone()`` and ``copy.deepcopy`` work).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch7 as torch
from torch7.nn.Criterion import Criterion
from torch7.nn.Module import Module

_modules: dict[str, type] = {}
_criterions: dict[str, type] = {}


def _first(res: Any) -> Any:
    return res[0] if isinstance(res, tuple) else res


class _AutoModuleBase(Module):
    """Base of the classes made by :func:`AutoModule`."""

    _typename = "autograd.nn.AutoModule"

    def __init__(self, fn: Callable, weight: Any = None, bias: Any = None) -> None:
        super().__init__()
        if fn is None:
            raise ValueError("An autograd function must be specified as input to AutoModule")
        self.fn = fn
        if weight is not None:
            self.weight, self.gradWeight = weight, weight.clone().zero()
        if bias is not None:
            self.bias, self.gradBias = bias, bias.clone().zero()
        self._grads = None
        self._gradsFor = None

    def _params(self, input: Any) -> dict:
        p = {"input": input}
        for k in ("weight", "bias"):
            v = getattr(self, k, None)
            if v is not None:
                p[k] = v
        return p

    def _wrapper(self, params: dict) -> Any:
        return _first(self.fn(params["input"], params.get("weight"), params.get("bias")))

    def updateOutput(self, input: Any) -> Any:
        self._grads = None
        self.output = _first(self.fn(input, getattr(self, "weight", None), getattr(self, "bias", None)))
        return self.output

    def _gradients(self, input: Any, gradOutput: Any) -> dict:
        if self._grads is None or self._gradsFor is None or self._gradsFor[0] is not input \
                or self._gradsFor[1] is not gradOutput:
            from torch7 import autograd

            b = autograd.grad(self._wrapper, withForward=False, withGradients=True, partialGrad=True)
            self._grads = b(self._params(input), gradOutput)
            self._gradsFor = (input, gradOutput)
        return self._grads

    def updateGradInput(self, input: Any, gradOutput: Any) -> Any:
        self.gradInput = self._gradients(input, gradOutput)["input"]
        return self.gradInput

    def accGradParameters(self, input: Any, gradOutput: Any, scale: float = 1) -> None:
        if getattr(self, "weight", None) is None and getattr(self, "bias", None) is None:
            return
        grads = self._gradients(input, gradOutput)
        if getattr(self, "weight", None) is not None:
            self.gradWeight.add(scale, grads["weight"])
        if getattr(self, "bias", None) is not None:
            self.gradBias.add(scale, grads["bias"])

    def __repr__(self) -> str:
        return self._typename


class _AutoCriterionBase(Criterion):
    """Base of the classes made by :func:`AutoCriterion`."""

    _typename = "autograd.nn.AutoCriterion"

    def __init__(self, fn: Callable) -> None:
        super().__init__()
        if fn is None:
            raise ValueError("An autograd function must be specified as input to AutoCriterion")
        self.fn = fn
        self.predictions = None
        self._grads = None
        self._gradsFor = None

    def _wrapper(self, params: dict, target: Any) -> Any:
        return self.fn(params["input"], target)

    def updateOutput(self, input: Any, target: Any) -> Any:
        from torch7 import autograd

        res = autograd.grad(self._wrapper)({"input": input}, target)
        grads, loss, extra = res[0], res[1], res[2:]
        if torch.isTensor(loss) and loss.nElement() == 1:
            loss = float(loss.numpy().reshape(-1)[0])
        self.output = loss
        self.predictions = extra[0] if extra else None
        self._grads = grads["input"]
        self._gradsFor = (input, target)
        return self.output

    def updateGradInput(self, input: Any, target: Any) -> Any:
        if self._gradsFor is None or self._gradsFor[0] is not input or self._gradsFor[1] is not target:
            self.updateOutput(input, target)
        self.gradInput = self._grads
        return self.gradInput

    def __repr__(self) -> str:
        return self._typename


def _class(name: str, kind: str, base: type, made: dict[str, type]) -> type:
    """The subclass ``name`` of ``base`` (typename ``autograd.nn.<kind>.<name>``), made once and kept in ``made``."""
    if not name or not isinstance(name, str):
        raise ValueError(f"You must provide a name for your auto-differentiated {kind}.")
    cls = made.get(name)
    if cls is None:
        cls = made[name] = type(name, (base,), {"_typename": f"autograd.nn.{kind}.{name}", "__module__": __name__})
    return cls


def AutoModule(moduleName: str) -> type:
    """The nn.Module class ``autograd.nn.module.<moduleName>`` (made on first use) running a given function.

    Instances: ``Cls(fn, weight=None, bias=None)``; ``forward(input)`` returns ``fn(input, weight, bias)``,
    ``backward`` gives ``gradInput`` and accumulates ``gradWeight`` / ``gradBias`` (``scale`` applied) from
    ``autograd.grad(fn)``. ``weight`` and ``bias`` are the module's parameters (``parameters()``,
    ``getParameters()``, optim all work).

    Args:
        moduleName: the class name.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> Lin = autograd.nn.AutoModule("DocLinear")
        >>> m = Lin(lambda x, W, b: W @ x + b, torch.ones(2, 3), torch.zeros(2))
        >>> m.forward(torch.ones(3)).tolist()
        [3.0, 3.0]
        >>> m.backward(torch.ones(3), torch.ones(2)).tolist()
        [2.0, 2.0, 2.0]
        >>> torch.typename(m)
        'autograd.nn.module.DocLinear'
    """
    return _class(moduleName, "module", _AutoModuleBase, _modules)


def AutoCriterion(criterionName: str) -> type:
    """The nn.Criterion class ``autograd.nn.criterion.<criterionName>`` computing ``fn(input, target)``.

    ``forward(input, target)`` returns the loss (the first value ``fn`` returns; a second one is kept in
    ``predictions``) and ``backward`` its gradient, from ``autograd.grad``.

    Args:
        criterionName: the class name.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> Sq = autograd.nn.AutoCriterion("DocSquares")
        >>> c = Sq(lambda x, y: torch.sum((x - y) * (x - y)))
        >>> c.forward(torch.ones(2), torch.zeros(2))
        2.0
        >>> c.backward(torch.ones(2), torch.zeros(2)).tolist()
        [2.0, 2.0]
    """
    return _class(criterionName, "criterion", _AutoCriterionBase, _criterions)


def __getattr__(name: str) -> type:
    # autograd.auto.<name>: a class made by AutoModule / AutoCriterion (torch-autograd's `auto` table).
    if name in _modules:
        return _modules[name]
    if name in _criterions:
        return _criterions[name]
    raise AttributeError(f"module 'torch7.autograd.auto' has no attribute '{name}'")
