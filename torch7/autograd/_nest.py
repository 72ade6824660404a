"""Nested structures (Lua tables as Python lists, tuples and dicts) flattened to leaves and rebuilt.

The functional nn wrappers hand every tensor of a nested argument to ``autograd.primitive`` as its own
positional argument, so that the tape only ever sees plain leaves; these helpers do the packing.
``options`` and ``own`` are the table conventions of the ``autograd.model`` / ``autograd.module`` constructors.
"""

from __future__ import annotations

from typing import Any

import torch7 as torch


def node_class():
    """``autograd.Node`` (imported late: this module is loaded from inside the autograd package)."""
    from torch7 import autograd

    return autograd.Node


def options(opt: dict | None, kwargs: dict) -> dict:
    """torch-autograd's ``opt`` table (may be None) updated with the keyword options: constructors take either."""
    out = dict(opt or {})
    out.update(kwargs)
    return out


def own(params: Any) -> Any:
    """A constructor's own parameters: its ``f(params, ...)`` takes the whole params list (first entry) or that dict."""
    return params[0] if isinstance(params, (list, tuple)) else params


def value(x: Any) -> Any:
    """The plain value of ``x``: the value under an ``autograd.Node`` (at any depth), ``x`` itself otherwise.

    Args:
        x: a Node, a tensor, a number or anything else.

    Example:
        >>> import torch7 as torch
        >>> value(3.0)
        3.0
    """
    node = node_class()
    while isinstance(x, node):  # nested df calls stack Nodes
        x = x.value
    return x


def flatten(obj: Any) -> tuple[list, Any]:
    """``(leaves, spec)``: the leaves of ``obj`` in order and the shape of the nesting.

    Lists, tuples and dicts (in their key order) are walked; anything else is a leaf (spec ``None``).

    Args:
        obj: a tensor, number, Node or a nested list/tuple/dict of them.

    Example:
        >>> leaves, spec = flatten([1, (2, 3), {"a": 4}])
        >>> leaves
        [1, 2, 3, 4]
        >>> unflatten(spec, [5, 6, 7, 8])
        [5, (6, 7), {'a': 8}]
    """
    leaves: list = []
    spec = _flatten(obj, leaves)
    return leaves, spec


def _flatten(obj: Any, leaves: list) -> Any:
    if isinstance(obj, (list, tuple)):
        return (type(obj), [_flatten(v, leaves) for v in obj])
    if isinstance(obj, dict):
        return (dict, [(k, _flatten(v, leaves)) for k, v in obj.items()])
    leaves.append(obj)
    return None


def unflatten(spec: Any, leaves: list) -> Any:
    """Rebuild the structure described by ``spec`` (from :func:`flatten`) with new ``leaves``.

    Args:
        spec: the second value returned by :func:`flatten`.
        leaves: as many leaves as the flattened structure had.

    Example:
        >>> unflatten(flatten([1, [2]])[1], ["a", "b"])
        ['a', ['b']]
    """
    it = iter(leaves)
    out = _unflatten(spec, it)
    return out


def _unflatten(spec: Any, it) -> Any:
    if spec is None:
        return next(it)
    kind, children = spec
    if kind is dict:
        return {k: _unflatten(s, it) for k, s in children}
    items = [_unflatten(s, it) for s in children]
    return tuple(items) if kind is tuple else items


def clone(obj: Any) -> Any:
    """A copy of every tensor in ``obj`` (nested lists/dicts kept); other leaves as they are.

    nn modules return their own ``output`` / ``gradInput`` buffers, which the next call overwrites;
    a recorded value must not change afterwards, so the wrappers keep copies.

    Args:
        obj: a tensor or a nested structure of tensors.

    Example:
        >>> import torch7 as torch
        >>> t = torch.ones(2)
        >>> c = clone([t])
        >>> c[0] is t, c[0].equal(t)
        (False, True)
    """
    leaves, spec = flatten(obj)
    return unflatten(spec, [x.clone() if torch.isTensor(x) else x for x in leaves])


def is_float_tensor(x: Any) -> bool:
    """Whether ``x`` is a tensor of a floating-point type (the ones gradients flow through).

    Args:
        x: anything.

    Example:
        >>> import torch7 as torch
        >>> is_float_tensor(torch.ones(1)), is_float_tensor(torch.LongTensor(1))
        (True, False)
    """
    return torch.isTensor(x) and x.type() in _FLOAT_TYPES


_FLOAT_TYPES = frozenset({
    "torch.FloatTensor", "torch.DoubleTensor", "torch.HalfTensor",
    "torch.CudaTensor", "torch.CudaDoubleTensor", "torch.CudaHalfTensor",
})
