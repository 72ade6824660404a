"""Private argument checks and calling conventions shared by the tnt datasets, iterators, meters and transforms."""

from __future__ import annotations

import inspect
import numbers
import operator
from collections.abc import Callable
from typing import Any


def _flex(fn: Callable, nmax: int) -> Callable:
    """``fn`` callable with ``nmax`` arguments, passing only as many as it takes (as Lua drops extra ones)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # builtins such as float or str, which take one argument
        return lambda *a: fn(*a[:1])
    count = 0
    for p in params:
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            return fn
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            count += 1
    if count >= nmax:
        return fn
    return lambda *a: fn(*a[:count])


def _checkindex(where: str, idx: Any, size: int) -> int:
    """``idx`` as an int in ``[0, size)``; integral floats pass, since torchnet's indices were Lua numbers."""
    if isinstance(idx, bool):
        raise TypeError(f"{where}: index must be an integer, got bool")
    try:
        i = operator.index(idx)
    except TypeError:
        if isinstance(idx, float) and idx.is_integer():
            i = int(idx)
        else:
            raise TypeError(f"{where}: index must be an integer, got {type(idx).__name__} {idx!r}") from None
    if not 0 <= i < size:
        raise IndexError(f"{where}: index {i} out of range [0, {size})")
    return i


def _callable(where: str, name: str, fn: Any) -> Callable:
    """``fn``, after checking that it can be called."""
    if not callable(fn):
        raise TypeError(f"{where}: {name} must be a function, got {type(fn).__name__}")
    return fn


def _positive_int(where: str, name: str, x: Any) -> int:
    """``x`` as an int, after checking that it is an integer >= 1 (not a bool)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < 1:
        raise ValueError(f"{where}: {name} must be a positive integer, got {x!r}")
    return int(x)
