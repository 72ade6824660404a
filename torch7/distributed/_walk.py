"""Walking a value: a tensor, a number, or nested lists/tuples/dicts of them (Lua tables).

torch-ipc's ``walkTable`` visits a table's entries in sorted key order so that every node sends its
tensors in the same order; here lists and tuples go by position and dicts by sorted keys (by ``repr``
when the keys do not sort), nested containers depth first.

Example:
    >>> from torch7.distributed import walkTable
    >>> walkTable({"b": [1, 2], "a": 3}, lambda v: v * 10)
    {'b': [10, 20], 'a': 30}
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from .._core.tensor import Tensor

_CONTAINERS = (list, tuple, dict)


def _keys(container) -> list:
    if isinstance(container, dict):
        try:
            return sorted(container)
        except TypeError:  # keys of mixed types: still one order on every node
            return sorted(container, key=repr)
    return list(range(len(container)))


def slots(value: Any) -> list[tuple[Any, Any]]:
    """Every leaf's ``(container, key)`` in walk order; a bare leaf is boxed in a one-element list."""
    if not isinstance(value, _CONTAINERS):
        return [([value], 0)]
    out: list[tuple[Any, Any]] = []
    stack = [value]

    def visit(container) -> None:
        if any(container is s for s in stack[:-1]):
            raise ValueError("walkTable: the value contains itself")
        for k in _keys(container):
            v = container[k]
            if isinstance(v, _CONTAINERS):
                stack.append(v)
                visit(v)
                stack.pop()
            else:
                out.append((container, k))

    visit(value)
    return out


def setSlot(slot: tuple[Any, Any], new: Any) -> None:
    """Replace a leaf; a tensor leaf keeps its identity (the new value is copied into it)."""
    container, key = slot
    old = container[key]
    if new is None or new is old:
        return
    if isinstance(old, Tensor) and isinstance(new, Tensor):
        old.copy(new)
        return
    if isinstance(container, tuple):
        raise TypeError(f"cannot replace element {key} of a tuple (use a list to hold numbers)")
    container[key] = new


def isNumber(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, Tensor)


def plainNumber(v: Any) -> int | float:
    """A Python int/float for a number leaf (NumPy scalars included)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, bool | int | float):
        return v
    return float(v)


def checkLeaf(v: Any, op: str) -> None:
    if isinstance(v, Tensor):
        return
    if not isNumber(v):
        raise TypeError(f"{op}: values must be tensors or numbers (or lists/dicts of them), got {type(v).__name__}")


def walkTable(value: Any, fn: Callable[[Any], Any]) -> Any:
    """Apply ``fn`` to every leaf of ``value`` in the deterministic walk order; returns ``value``.

    A leaf is anything that is not a list, tuple or dict. When ``fn`` returns something other than
    ``None`` it replaces the leaf (as Lua's ``walkTable`` did; a tuple's entries cannot be replaced).
    A bare leaf (not in a container) is passed to ``fn`` and the replacement, if any, is returned.

    Args:
        value: a tensor, a number, or nested lists/tuples/dicts of them.
        fn: called as ``fn(leaf)``.

    Example:
        >>> import torch7 as torch
        >>> from torch7.distributed import walkTable
        >>> ts = [torch.FloatTensor(2).fill(1), [torch.FloatTensor(3).fill(2)]]
        >>> _ = walkTable(ts, lambda t: t.mul(3))
        >>> ts[1][0].sum()
        18.0
    """
    if not isinstance(value, _CONTAINERS):
        new = fn(value)
        return value if new is None else new
    for container, key in slots(value):
        new = fn(container[key])
        if new is not None and new is not container[key]:
            if isinstance(container, tuple):
                raise TypeError(f"walkTable: cannot replace element {key} of a tuple")
            container[key] = new
    return value
