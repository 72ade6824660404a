"""autograd.grad: turn ``f(params, ...) -> loss`` into ``df(params, ...) -> (grads, loss, ...)``."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .._core.tensor import Tensor
from . import _overload
from ._node import Node, plain
from ._tape import Tape, backward

_settings = {"optimize": False, "protected": False}
_PROFILES = ("off", "summary", "detailed")


def _map(p, leaf: Callable):
    """``p`` with ``leaf(x)`` for every ``x`` that is not a dict, list or tuple.

    The containers are rebuilt with their types: dict subclasses where their constructor takes a dict,
    namedtuples, tuple subclasses; a list subclass is passed to ``leaf`` whole."""
    t = type(p)
    if isinstance(p, dict):
        items = {k: _map(v, leaf) for k, v in p.items()}
        return items if t is dict else _rebuild(p, items)
    if t is list:
        return [_map(v, leaf) for v in p]
    if isinstance(p, tuple):
        items = [_map(v, leaf) for v in p]
        return t(*items) if hasattr(p, "_fields") else t(items)
    return leaf(p)


def _rebuild(p, items: dict):
    try:
        return type(p)(items)
    except TypeError:
        return items


def _wrap(p, tape: Tape):
    """``p`` with every differentiable leaf (float tensor, float, outer Node) made a Node of ``tape``.

    Integers, integer tensors and other objects stay plain (their gradient is None): an int is taken as
    a setting (a count, an index), not as a real number."""
    def leaf(x):
        if type(x) is Node or isinstance(x, float) or (isinstance(x, Tensor) and x._is_float):
            return Node(x, tape)
        return x

    return _map(p, leaf)


def _collect(w, tape: Tape):
    """The gradients, mirroring the wrapped parameters ``w`` (zeros where no gradient flowed)."""
    def leaf(x):
        if type(x) is not Node or x.tape is not tape:
            return None
        g = x.grad
        if g is not None:
            return g
        v = plain(x.value)
        return v.new(v.size()).zero() if isinstance(v, Tensor) and v.nElement() else (
            v.new() if isinstance(v, Tensor) else 0.0)

    return _map(w, leaf)


def _value(v, tape: Tape):
    """``v`` with the Nodes of ``tape`` replaced by their values (in nested dicts, lists, tuples)."""
    return _map(v, lambda x: x.value if type(x) is Node and x.tape is tape else x)


def _leaves(s, out: list) -> list:
    if isinstance(s, dict):
        for v in s.values():
            _leaves(v, out)
    elif isinstance(s, (list, tuple)):
        for v in s:
            _leaves(v, out)
    elif s is not None:
        out.append(s)
    return out


def _root(a):
    """The array owning ``a``'s memory (NumPy or CuPy), by identity."""
    while getattr(a, "base", None) is not None and hasattr(a.base, "shape"):
        a = a.base
    return id(a)


def _unalias(grads, params, gradOutput):
    """Copy gradient tensors that share memory with another gradient, a parameter or gradOutput, or that
    are stride-0 views: the user (an optimizer) may update them in place."""
    seen = {_root(plain(p)._a) for p in _leaves(params, []) if isinstance(plain(p), Tensor)}
    if isinstance(gradOutput, Tensor):
        seen.add(_root(gradOutput._a))

    def fix(g):
        if isinstance(g, Tensor):
            r = _root(g._a)
            if r in seen or 0 in g._a.strides:
                g = g.clone()
                r = _root(g._a)
            seen.add(r)
        return g

    return _map(grads, fix)


def _finite(v) -> bool:
    v = plain(v)
    if isinstance(v, Tensor):
        return not v._a.size or bool(np.isfinite(v._a).all())
    if isinstance(v, (int, float)):
        return math.isfinite(v)
    return True


def _debug(hook, tape: Tape, loss, value, grads) -> None:
    """Call ``hook(debugger, msg, info)`` when the loss or a gradient is not finite; ``info`` names the first
    operation whose output was not finite (``{"name": ..., "index": ...}``), if any."""
    if _finite(value) and all(_finite(g) for g in _leaves(grads, [])):
        return
    from ._dot import Debugger
    info = {"name": None, "index": None}
    for i, op in enumerate(tape.ops):
        if not all(_finite(v) for v in (op.value if op.multi else (op.value,))):
            info = {"name": op.name, "index": i}
            break
    where = f" (first at operation {info['index']}: {info['name']})" if info["name"] else ""
    hook(Debugger(tape, loss), f"autograd: the loss or a gradient is not finite (nan or inf){where}", info)


def grad(f: Callable, optimize: bool | None = None, withForward: bool = True, withGradients: bool = True,
         partialGrad: bool = False, gradArg: int = 0, protected: bool | None = None, debugHook=None,
         profile: str = "off", reduceFootprint: bool = False, stableGradients: bool = False,
         showCode: bool = False, dotFile: str | None = None, profileReportFrequency: int = 10) -> Callable:
    """The gradient of ``f`` with respect to its argument ``gradArg`` (0-based).

    Args:
        f: ``f(params, *args)`` returning a scalar loss (a number or a one-element tensor), optionally
            followed by more values; with ``partialGrad`` it may return a tensor.
        optimize: accepted for compatibility; this version always runs the direct (tape) mode, which
            gives the same results (there is no code generation).  Default ``autograd.optimizing()``.
        withForward: return the forward values after the gradients (default True).
        withGradients: compute gradients (default True); False returns only ``f``'s values.
        partialGrad: ``df(params, ..., gradOutput)`` takes the gradient of the output last.
        gradArg: which argument of ``f`` is differentiated (0-based, default 0).
        protected, reduceFootprint, stableGradients: accepted, no effect in direct mode.
        debugHook: ``debugHook(debugger, msg, info)`` is called when the loss or a gradient is not finite;
            ``debugger.generateDot(path)`` writes the recorded graph, ``info["name"]`` names the first
            operation whose output was not finite.
        profile: ``'off'``, ``'summary'`` or ``'detailed'`` (both print time per primitive every
            ``profileReportFrequency`` calls).
        showCode: not supported (no code generation): raises NotImplementedError when True.
        dotFile: write the recorded graph of each call to this Graphviz file.

    Returns:
        ``df(params, *args)`` returning ``(grads, loss, *extra)``.  ``grads`` mirrors ``params`` (dicts,
        lists, tuples, namedtuples): float tensors and floats get gradients of their type (zeros where
        the loss does not depend on them); ints, integer tensors and other objects get None.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> def f(p, x):
        ...     return torch.sum(torch.tanh(x @ p["W"] + p["b"]))
        >>> p = {"W": torch.ones(3, 2), "b": torch.zeros(2)}
        >>> grads, loss = autograd.grad(f)(p, torch.Tensor([[0, 0, 0]]))
        >>> grads["b"].totable(), loss
        ([1.0, 1.0], 0.0)
    """
    if profile not in _PROFILES:
        raise ValueError(f"autograd: profile must be one of {_PROFILES}, got {profile!r}")
    if showCode:
        raise NotImplementedError("autograd: showCode is not supported (this version has no code generation; "
                                  "optimize=True runs the direct mode)")
    stats: dict | None = {} if profile != "off" else None
    calls = [0]

    def df(*args):
        if not withGradients:
            return f(*(args[:-1] if partialGrad else args))
        args = list(args)
        gradOutput = args.pop() if partialGrad else None
        if not -len(args) <= gradArg < len(args):
            raise IndexError(f"autograd: gradArg {gradArg} is out of range for {len(args)} arguments")
        params = args[gradArg]
        tape = Tape(stats)
        _overload.install()
        try:
            args[gradArg] = wrapped = _wrap(params, tape)
            out = f(*args)
            loss, extra = (out[0], out[1:]) if isinstance(out, tuple) else (out, ())
            if type(loss) is Node and loss.tape is tape:
                if partialGrad:
                    seed = gradOutput
                else:
                    v = plain(loss)
                    if isinstance(v, Tensor):
                        if v.nElement() != 1:
                            raise ValueError(f"autograd: f must return a scalar (got a tensor of size "
                                             f"{tuple(v.size())}); use partialGrad=True for a tensor output")
                        seed = v.new(v.size()).fill(1)
                    else:
                        seed = 1.0
                backward(tape, loss, seed)
            # else: the output does not depend on the parameters: every gradient is zero
            grads = _collect(wrapped, tape)
        finally:
            _overload.uninstall()
        if not _overload.active():
            grads = _unalias(grads, params, gradOutput)
        value = loss.value if type(loss) is Node and loss.tape is tape else loss
        extra = tuple(_value(e, tape) for e in extra)
        if debugHook is not None:
            _debug(debugHook, tape, loss, value, grads)
        if dotFile is not None:
            from ._dot import write_dot
            write_dot(tape, loss, dotFile)
        if stats is not None:
            calls[0] += 1
            if calls[0] % max(1, profileReportFrequency) == 0:
                from ._dot import print_profile
                print_profile(stats, calls[0])
        if not withForward:
            return grads
        return (grads, value, *extra)

    df.__name__ = f"d{getattr(f, '__name__', 'f')}"
    df.__doc__ = f"Gradient of {getattr(f, '__name__', 'f')} (autograd.grad)."
    return df


def optimize(flag: bool = True) -> None:
    """Set the default of ``grad(..., optimize=)``; accepted for compatibility (direct mode either way).

    Args:
        flag: the new default.

    Example:
        >>> from torch7 import autograd
        >>> autograd.optimize(True); autograd.optimizing()
        True
        >>> autograd.optimize(False)
    """
    _settings["optimize"] = bool(flag)


def optimizing() -> bool:
    """The current default of ``optimize`` (see :func:`optimize`).

    Example:
        >>> from torch7 import autograd
        >>> autograd.optimizing()
        False
    """
    return _settings["optimize"]


def protected(flag: bool = True) -> None:
    """Set the default of ``grad(..., protected=)``; accepted for compatibility (no effect in direct mode).

    Args:
        flag: torch-autograd's protected mode (copies in optimize mode); direct mode never needs it.

    Example:
        >>> from torch7 import autograd
        >>> autograd.protected(True); autograd.protected(False)
    """
    _settings["protected"] = bool(flag)
