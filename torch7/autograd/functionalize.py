"""autograd.functionalize: any nn module or criterion as a function autograd can differentiate.

``functionalize("nn")`` gives an object whose attributes are functional constructors
(``autograd.nn.Linear(100, 50)`` returns ``(f, params)`` with ``f(params, x)``); ``functionalize(module)``
wraps an existing module, container or criterion. Each call records one ``autograd.primitive`` whose
gradients come from the module's own ``backward`` (``updateGradInput`` + ``accGradParameters``), so every
torch7 nn class works without code of its own.

What is returned (as in torch-autograd): a module with parameters gives ``(f, params)`` where ``params``
is the list ``module.parameters()[0]`` and ``f(params, input)``; a module without parameters gives ``f``
alone with ``f(input)``; a criterion gives ``f`` with ``f(input, target)`` returning the loss.
"""

from __future__ import annotations

import importlib
from typing import Any

import torch7 as torch
from torch7.nn.Criterion import Criterion
from torch7.nn.Module import Module

from . import _nest
from ._nest import flatten, is_float_tensor, unflatten


def _input_type(x: Any) -> str | None:
    """The tensor type a module should have for input ``x`` (the first tensor of a table), or None."""
    leaves, _ = flatten(_nest.value(x))
    for v in leaves:
        v = _nest.value(v)
        if torch.isTensor(v):
            return v.type()
    return None


def _scalar(g: Any) -> float:
    """The gradient of a criterion's (number) output as a Python number."""
    g = _nest.value(g)
    if g is None:
        return 0.0
    if torch.isTensor(g):
        return float(g.numpy().reshape(-1)[0])
    return float(g)


def _zeros_like(t):
    return t.new(t.size()).zero()


_NOKEY = object()


class _Call:
    """One recorded call of a wrapper: what the backward needs to find (or rebuild) the module's state."""

    __slots__ = ("rng", "ospec", "key", "grads")

    def __init__(self) -> None:
        self.rng = None
        self.ospec = None
        self.key = _NOKEY
        self.grads = None


class FunctionalModule:
    """An nn module or criterion as a function; made by :func:`functionalize`.

    ``f(params, input)`` (modules with parameters), ``f(input)`` (modules without) or
    ``f(input, target)`` (criterions). Outputs are copies of the module's buffers.

    The module computes with the parameter tensors it is given: its own are pointed at them
    (``Tensor.set``), as torch-autograd does. Its type follows the input's floating-point type.

    When the same wrapper is called several times in one differentiated function, the backward of an
    earlier call first runs the module's forward again on that call's input (with the random-number
    state of that call, so that Dropout draws the same mask): nn modules keep one call's state only.

    Args:
        module: the nn.Module or nn.Criterion to wrap.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn, autograd
        >>> tanh = autograd.functionalize(nn.Tanh())
        >>> tanh(torch.zeros(2)).tolist()
        [0.0, 0.0]
    """

    def __init__(self, module: Module | Criterion) -> None:
        self.module = module
        self.isCriterion = isinstance(module, Criterion)
        params = [] if self.isCriterion else _parameters(module)
        self.hasParams = len(params) > 0
        self._lastType = ""
        self._current: _Call | None = None  # the call whose state the module holds

    def __repr__(self) -> str:
        return f"autograd.functionalize({self.module._typename})"

    # ---- entry -------------------------------------------------------------------------------------
    def _split(self, args: tuple) -> tuple[Any, Any, Any]:
        """``(params, input, target)`` from the call's arguments."""
        if self.isCriterion:
            if len(args) not in (1, 2):
                raise TypeError(f"{self!r}: call with (input, target), got {len(args)} arguments")
            return [], args[0], args[1] if len(args) == 2 else None
        if self.hasParams:
            if len(args) != 2:
                raise TypeError(f"{self!r}: call with (params, input), got {len(args)} arguments")
            return args[0], args[1], None
        if len(args) != 1:
            raise TypeError(f"{self!r}: call with (input), got {len(args)} arguments")
        return [], args[0], None

    def __call__(self, *args: Any) -> Any:
        return self._apply(*self._split(args))

    entry = __call__

    def forward(self, *args: Any) -> Any:
        """The module's forward on plain values (arguments as for the call), not recorded."""
        return _nest.clone(self._forward(_Call(), *self._split(args)))

    def backward(self, g: Any, *args: Any) -> Any:
        """Gradients for ``gradOutput`` ``g``: ``[gradParams, gradInput]`` (``gradInput`` without params)."""
        gp, gi = self._backward(_Call(), g, *self._split(args))
        return [gp, gi] if self.hasParams else gi

    # ---- recording ---------------------------------------------------------------------------------
    def _apply(self, params: Any, x: Any, y: Any) -> Any:
        from torch7 import autograd

        pleaves, pspec = flatten(params)
        xleaves, xspec = flatten(x)
        yleaves, yspec = flatten(y)
        n_p, n_x = len(pleaves), len(xleaves)
        call = _Call()
        node = autograd.Node

        def fn(*vals):
            pv = unflatten(pspec, vals[:n_p])
            xv = unflatten(xspec, vals[n_p:n_p + n_x])
            yv = unflatten(yspec, vals[n_p + n_x:])
            out = self._forward(call, pv, xv, yv)
            if self.isCriterion:
                call.ospec = None
                return out
            leaves, call.ospec = flatten(out)
            leaves = [t.clone() if torch.isTensor(t) else t for t in leaves]
            return leaves[0] if call.ospec is None else tuple(leaves)

        def grad_of(i: int):
            def g(gradOutput, output, *vals):
                if any(isinstance(v, node) for v in vals) or isinstance(gradOutput, node):
                    raise NotImplementedError(f"autograd: gradients of gradients through {self!r} are not supported "
                                              f"(its gradient comes from the nn module's backward)")
                if not _same(call.key, gradOutput):  # one backward serves every argument of this call
                    call.key = gradOutput
                    pv = unflatten(pspec, vals[:n_p])
                    xv = unflatten(xspec, vals[n_p:n_p + n_x])
                    yv = unflatten(yspec, vals[n_p + n_x:])
                    go = self._grad_output(call, gradOutput, output)
                    gp, gi = self._backward(call, go, pv, xv, yv)
                    gy = [_zeros_like(t) if is_float_tensor(t) else None for t in vals[n_p + n_x:]]
                    call.grads = _leaves(gp, n_p, "parameters") + _leaves(gi, n_x, "gradInput") + gy
                return call.grads[i]
            return g

        allv = pleaves + xleaves + yleaves
        grads = [grad_of(i) if is_float_tensor(_nest.value(v)) else None for i, v in enumerate(allv)]
        name = f"{self.module._typename}.{'criterion' if self.isCriterion else 'forward'}"
        res = autograd.primitive(fn, grads, name=name)(*allv)
        if self.isCriterion or call.ospec is None:
            return res
        return unflatten(call.ospec, list(res))

    def _grad_output(self, call: _Call, gradOutput: Any, output: Any) -> Any:
        if self.isCriterion:
            return _scalar(gradOutput)
        if call.ospec is None:
            return _zeros_like(output) if gradOutput is None else _nest.value(gradOutput)
        outs = list(output)
        gos = list(gradOutput) if gradOutput is not None else [None] * len(outs)
        filled = [_zeros_like(o) if g is None else _nest.value(g) for g, o in zip(gos, outs)]
        return unflatten(call.ospec, filled)

    # ---- the module ------------------------------------------------------------------------------
    def _prepare(self, params: Any, x: Any) -> None:
        t = _input_type(x)
        if t is None and not self.isCriterion:
            raise TypeError(f"{self!r}: input is neither a tensor nor a table of tensors ({type(x).__name__})")
        # Follow the input's type as torch-autograd does, but only between floating types (a LongTensor
        # input of LookupTable must not turn the weights into integers).
        if t is not None and t in _nest._FLOAT_TYPES and t != self._lastType:
            if getattr(self.module, "_type", None) != t:
                self.module.type(t)
            self._lastType = t
        if self.hasParams:
            own = _parameters(self.module)
            given, _ = flatten(params)
            if len(given) != len(own):
                raise ValueError(f"{self!r}: expected {len(own)} parameter tensors, got {len(given)}")
            for p, q in zip(own, given):
                if p is not q:
                    if not torch.isTensor(q):
                        raise TypeError(f"{self!r}: parameters must be tensors, got {type(q).__name__}")
                    p.set(q)  # the module computes with the given tensors (shares their storage)

    def _run_forward(self, x: Any, y: Any) -> Any:
        return self.module.forward(x, y) if self.isCriterion else self.module.forward(x)

    def _forward(self, call: _Call, params: Any, x: Any, y: Any) -> Any:
        self._prepare(params, x)
        call.rng = torch.getRNGState()
        out = self._run_forward(x, y)
        self._current = call
        return out

    def _backward(self, call: _Call, g: Any, params: Any, x: Any, y: Any) -> tuple[Any, Any]:
        self._prepare(params, x)
        if self._current is not call:
            # The module holds another call's state: rebuild this call's (same random draws).
            saved = torch.getRNGState()
            if call.rng is not None:
                torch.setRNGState(call.rng)
            try:
                self._run_forward(x, y)
            finally:
                torch.setRNGState(saved)
            self._current = call
        if self.isCriterion:
            gi = _nest.clone(self.module.backward(x, y))
            scale = _scalar(g)
            if scale != 1.0:
                leaves, spec = flatten(gi)
                gi = unflatten(spec, [t * scale if torch.isTensor(t) else t for t in leaves])
            return [], gi
        self.module.zeroGradParameters()
        gi = _nest.clone(self.module.backward(x, g))
        gp = [t.clone() for t in self.module.parameters()[1]] if self.hasParams else []
        return gp, gi


def _same(a: Any, b: Any) -> bool:
    """Whether ``b`` is the gradOutput ``a`` again (the same object, or a sequence of the same objects)."""
    if a is b:
        return True
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b):
        return all(x is y for x, y in zip(a, b))
    return False


def _parameters(module: Module) -> list:
    try:
        res = module.parameters()
    except (AttributeError, TypeError, NotImplementedError):
        return []
    if not res:
        return []
    params = res[0] if isinstance(res, tuple) else res
    return list(params or [])


def _leaves(obj: Any, n: int, what: str) -> list:
    leaves, _ = flatten(obj)
    if n == 0:
        return []
    if len(leaves) != n:
        raise RuntimeError(f"autograd.functionalize: the module's {what} has {len(leaves)} tensors, expected {n}")
    return [v if is_float_tensor(v) else None for v in leaves]


class FunctionalPackage:
    """The functional constructors of a package of nn classes (``autograd.nn``); see :func:`functionalize`.

    ``pkg.Name(*args)`` builds ``Name(*args)`` and returns ``functionalize`` of it.

    Args:
        name: the package name (``"nn"``, ``"cudnn"``, ...).
        package: the Python module holding the classes.

    Example:
        >>> from torch7 import autograd
        >>> f, params = autograd.functionalize("nn").Linear(3, 2)
        >>> [p.size(0) for p in params]
        [2, 2]
    """

    def __init__(self, name: str, package: Any) -> None:
        self.__dict__["_name"] = name
        self.__dict__["_package"] = package

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        cls = getattr(self._package, name, None)
        if not (isinstance(cls, type) and issubclass(cls, (Module, Criterion))):
            raise AttributeError(f"autograd.{self._name} has no module or criterion named '{name}'")

        def constructor(*args: Any, **kwargs: Any) -> Any:
            return functionalize(cls(*args, **kwargs))

        constructor.__name__ = constructor.__qualname__ = name
        constructor.__doc__ = f"Functional {self._name}.{name}: functionalize({self._name}.{name}(...))."
        self.__dict__[name] = constructor
        return constructor

    def __dir__(self) -> list[str]:
        names = [n for n in dir(self._package)
                 if isinstance(getattr(self._package, n, None), type)
                 and issubclass(getattr(self._package, n), (Module, Criterion))]
        return sorted(set(names) | set(self.__dict__) - {"_name", "_package"})

    def __repr__(self) -> str:
        return f"autograd.functionalize('{self._name}')"


def functionalizePackage(packageName: str) -> FunctionalPackage:
    """Functional constructors for every nn class of ``torch7.<packageName>`` (or of ``packageName``).

    Args:
        packageName: ``"nn"``, ``"cudnn"``, ``"nngraph"``, or an importable module name.

    Example:
        >>> functionalizePackage("nn").Tanh.__name__
        'Tanh'
    """
    if not isinstance(packageName, str):
        raise TypeError("functionalizePackage: expected a package name")
    pkg = None
    for full in (f"torch7.{packageName}", packageName):
        try:
            pkg = importlib.import_module(full)
            break
        except ImportError:
            continue
    if pkg is None:
        raise ImportError(f"Could not load package '{packageName}'")
    out = FunctionalPackage(packageName, pkg)
    if packageName == "nn":
        from .auto import AutoCriterion, AutoModule

        out.__dict__["AutoModule"] = AutoModule
        out.__dict__["AutoCriterion"] = AutoCriterion
    return out


def functionalize(nnObject: str | Module | Criterion) -> Any:
    """An nn object as a function autograd differentiates, or a package of functional constructors.

    Args:
        nnObject: a package name (``"nn"``), an ``nn.Module`` (layer or container) or an ``nn.Criterion``.

    Returns:
        For a package name, a :class:`FunctionalPackage`. For a module with parameters, ``(f, params)``
        (``params`` = ``module.parameters()[0]``, ``f(params, input)``); for a module without parameters,
        ``f`` (``f(input)``); for a criterion, ``f`` (``f(input, target)`` returns the loss).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn, autograd
        >>> lin = nn.Linear(3, 2)
        >>> f, params = autograd.functionalize(lin)
        >>> params[0] is lin.weight
        True
        >>> df = autograd(lambda p, x: torch.sum(f(p, x)))
        >>> grads, loss = df(params, torch.ones(3))
        >>> grads[1].tolist()
        [1.0, 1.0]
    """
    if isinstance(nnObject, str):
        return functionalizePackage(nnObject)
    if isinstance(nnObject, Module):
        f = FunctionalModule(nnObject)
        return (f, _parameters(nnObject)) if f.hasParams else f
    if isinstance(nnObject, Criterion):
        return FunctionalModule(nnObject)
    raise TypeError(f"functionalize: input is not a package name or nn object ({type(nnObject).__name__})")
