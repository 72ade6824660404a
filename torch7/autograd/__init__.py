"""torch7.autograd: torch-autograd (twitter/torch-autograd) for torch7.

``autograd.grad(f)`` (or ``autograd(f)``, as in Lua) returns ``df``: ``f(params, ...)`` computes a
scalar loss with the ordinary torch7 functions and operators, ``df(params, ...)`` returns
``(grads, loss, ...)`` with ``grads`` shaped like ``params`` (nested dicts, lists, tuples).
The graph is recorded on every call (direct mode), so Python control flow works in ``f``;
``optimize=True`` is accepted and gives the same results (no code generation in this version).
Nested calls work: ``df`` inside ``f``, and the gradient of a gradient.

Example:
    >>> import torch7 as torch
    >>> from torch7 import autograd
    >>> def f(params, x, y):
    ...     h = x @ params["W"] + params["b"]
    ...     return torch.sum((h - y) ** 2)
    >>> params = {"W": torch.ones(2, 1), "b": torch.zeros(1)}
    >>> df = autograd(f)
    >>> grads, loss = df(params, torch.Tensor([[1, 2]]), torch.Tensor([[1]]))
    >>> loss, grads["W"].totable(), grads["b"].totable()
    (4.0, [[4.0], [8.0]], [4.0])
"""

from __future__ import annotations

import importlib
import sys
import types

from . import gradfuns  # noqa: F401  (registers the gradients of the torch7 functions)
from ._grad import grad, optimize, optimizing, protected
from ._node import Node
from ._tape import primitive

_LAZY = ("loss", "util", "model", "module", "optim", "auto")
_cache: dict = {}


class _CallableSubmodule(types.ModuleType):
    """A submodule that can be called as its same-named function (``autograd.gradcheck(f, params)``,
    ``autograd.functionalize('nn')``) and still imported as a module."""

    def __call__(self, *args, **kwargs):
        return getattr(self, self.__name__.rpartition(".")[2])(*args, **kwargs)


def _callable_submodule(name: str):
    mod = importlib.import_module(f"{__name__}.{name}")
    if type(mod) is types.ModuleType:
        mod.__class__ = _CallableSubmodule
    return mod


gradcheck = _callable_submodule("gradcheck")


def __getattr__(name: str):
    if name == "nn":
        if "nn" not in _cache:
            _cache["nn"] = _callable_submodule("functionalize")("nn")
        return _cache["nn"]
    if name == "functionalize":
        return _callable_submodule("functionalize")
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'torch7.autograd' has no attribute '{name}'")


class _AutogradModule(types.ModuleType):
    """The module object is callable: ``autograd(f, **opts)`` is ``autograd.grad(f, **opts)``."""

    def __call__(self, f, **opts):
        return grad(f, **opts)

    def __getattribute__(self, name):
        # Whoever imported the submodule first, `autograd.functionalize` is the callable submodule.
        if name == "functionalize":
            return _callable_submodule("functionalize")
        return super().__getattribute__(name)


sys.modules[__name__].__class__ = _AutogradModule

__all__ = ["Node", "grad", "gradcheck", "optimize", "optimizing", "primitive", "protected"]
