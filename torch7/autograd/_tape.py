"""The tape: recording primitives on Nodes, and the backward sweep.

Each ``df`` call opens a Tape one level deeper than the tapes already open.  A primitive called
with Nodes of the innermost tape among its arguments replaces them by their values (which may be
Nodes of outer tapes), calls itself again on those (so outer tapes record the same operation),
and wraps the result in a Node of the innermost tape.  The backward sweep walks the tape's
operations in reverse order and calls the gradient functions of each primitive; as those are
built from primitives too, the sweep itself is recorded on the outer tapes (higher-order
gradients).
"""

from __future__ import annotations

import inspect
import itertools
import time

from .._core.tensor import Tensor
from ._node import Node, plain

_levels = itertools.count(1)


class Tape:
    """The operations recorded during one ``df`` call, in order."""

    __slots__ = ("level", "ops", "profile")

    def __init__(self, profile: dict | None = None) -> None:
        self.level = next(_levels)
        self.ops: list = []
        self.profile = profile


class Op:
    """One recorded call of a primitive: its arguments (raw and unwrapped), output and Nodes."""

    __slots__ = ("name", "grads", "args", "uargs", "kwargs", "value", "outputs", "multi")


def differentiable(v) -> bool:
    """Whether a value can carry a gradient (numbers and float tensors; not integer tensors)."""
    if type(v) is Node:
        return True
    if isinstance(v, Tensor):
        return v._is_float
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _innermost(args, kwargs) -> Tape | None:
    tape = None
    for a in itertools.chain(args, kwargs.values()):
        if type(a) is Node:
            if tape is None or a.tape.level > tape.level:
                tape = a.tape
        elif type(a) in (list, tuple):
            for e in a:
                if type(e) is Node and (tape is None or e.tape.level > tape.level):
                    tape = e.tape
    return tape


def has_node(args, kwargs=None) -> bool:
    """Whether any argument (or an element of a list/tuple argument) is a Node."""
    for a in args:
        if type(a) is Node:
            return True
        if type(a) in (list, tuple) and any(type(e) is Node for e in a):
            return True
    return bool(kwargs) and has_node(tuple(kwargs.values()))


def _unwrap(a, tape: Tape):
    if type(a) is Node:
        return a.value if a.tape is tape else a
    if type(a) in (list, tuple) and any(type(e) is Node for e in a):
        return type(a)(e.value if type(e) is Node and e.tape is tape else e for e in a)
    return a


def primitive(fn, grads, name: str | None = None):
    """Make ``fn`` a recordable function with the given gradients.

    Args:
        fn: the function on plain values.
        grads: one entry per positional argument: ``None`` (no gradient flows to it) or
            ``g(gradOutput, output, *args) -> gradient of that argument``; ``args`` are the plain
            values (Nodes of enclosing tapes under nested ``df`` calls).  When ``fn`` returns a
            tuple or list, ``gradOutput`` is a tuple with ``None`` for the unused outputs.  An
            argument that is a list of Nodes gets a list of gradients.
        name: the name shown in errors and profiles (default ``fn.__name__``).

    Returns:
        A function that calls ``fn`` directly on plain arguments and records it on Nodes.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> cube = autograd.primitive(lambda x: torch.pow(x, 3), [lambda g, ans, x: g * 3 * x * x], "cube")
        >>> autograd.grad(lambda x: torch.sum(cube(x)))(torch.Tensor([1, 2]))[0].totable()
        [3.0, 12.0]
    """
    name = name or getattr(fn, "__name__", "primitive")
    grads = list(grads)

    def wrapped(*args, **kwargs):
        tape = _innermost(args, kwargs)
        if tape is None:
            return fn(*args, **kwargs)
        for v in kwargs.values():
            if type(v) is Node and v.tape is tape:
                raise TypeError(f"autograd: {name}: pass differentiable values as positional arguments")
        uargs = tuple(_unwrap(a, tape) for a in args)
        if tape.profile is not None:
            t0 = time.perf_counter()
            value = wrapped(*uargs, **kwargs)
            entry = tape.profile.setdefault(name, [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - t0
        else:
            value = wrapped(*uargs, **kwargs)
        op = Op()
        op.name, op.grads, op.args, op.uargs, op.kwargs, op.value = name, grads, args, uargs, kwargs, value
        if type(value) in (tuple, list):
            op.multi = True
            outs = [Node(v, tape, op, i) if differentiable(v) else None for i, v in enumerate(value)]
            op.outputs = outs
            tape.ops.append(op)
            return type(value)(o if o is not None else v for o, v in zip(outs, value))
        op.multi = False
        if not differentiable(value):
            return value
        node = Node(value, tape, op)
        op.outputs = node
        tape.ops.append(op)
        return node

    wrapped.__name__ = name
    wrapped.__qualname__ = name
    wrapped.__doc__ = getattr(fn, "__doc__", None)
    wrapped._autograd_primitive = True
    try:  # lets the torch7 namespace guards check the arguments before recording
        wrapped.__signature__ = inspect.signature(fn)
    except (TypeError, ValueError):
        pass
    return wrapped


def _accumulate(node: Node, g, opname: str) -> None:
    if g is None:
        return
    pv, pg = plain(node.value), plain(g)
    if isinstance(pv, Tensor):
        if not isinstance(pg, Tensor) or pg._a.shape != pv._a.shape:
            got = tuple(pg.size()) if isinstance(pg, Tensor) else type(pg).__name__
            raise RuntimeError(f"autograd: the gradient from {opname} has size {got}, expected "
                               f"{tuple(pv.size())} (a bug in its gradient function)")
    elif isinstance(pg, Tensor):
        raise RuntimeError(f"autograd: the gradient from {opname} is a tensor for a number")
    node.grad = g if node.grad is None else node.grad + g


def backward(tape: Tape, out: Node, gradOutput) -> None:
    """Sweep ``tape`` backwards from ``out`` (seeded with ``gradOutput``), filling ``node.grad``."""
    out.grad = gradOutput
    for op in reversed(tape.ops):
        if op.multi:
            gs = tuple(o.grad if o is not None else None for o in op.outputs)
            if all(g is None for g in gs):
                continue
            g = gs
        else:
            g = op.outputs.grad
            if g is None:
                continue
        grads = op.grads
        for i, a in enumerate(op.args):
            if type(a) is Node:
                if a.tape is not tape:
                    continue
                gf = grads[i] if i < len(grads) else None
                if gf is not None:
                    _accumulate(a, gf(g, op.value, *op.uargs, **op.kwargs), op.name)
            elif type(a) in (list, tuple) and any(type(e) is Node and e.tape is tape for e in a):
                gf = grads[i] if i < len(grads) else None
                if gf is None:
                    continue
                ga = gf(g, op.value, *op.uargs, **op.kwargs)
                for e, ge in zip(a, ga):
                    if type(e) is Node and e.tape is tape:
                        _accumulate(e, ge, op.name)
        # Free what the sweep no longer needs: long recurrent graphs would otherwise hold every gradient.
        if op.multi:
            for o in op.outputs:
                if o is not None:
                    o.grad = None
        else:
            op.outputs.grad = None
