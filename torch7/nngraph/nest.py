"""``nngraph.nest``: one node whose output has the nested list structure of the given nodes."""

from __future__ import annotations

from .Node import Node


def nest(input):
    """A node outputting ``input``'s nested lists of node outputs (a node itself is returned as is).

    Args:
        input: a node, or a non-empty (nested) list of nodes.

    Returns:
        an ``nngraph.Node``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn, nngraph
        >>> a, b = nn.Identity()(), nn.Identity()()
        >>> g = nn.gModule([a, b], [nngraph.nest([a, [b]])])
        >>> out = g.forward([torch.Tensor([1]), torch.Tensor([2])])
        >>> out[0].tolist(), out[1][0].tolist()
        ([1.0], [2.0])
    """
    from torch7 import nn

    from .JustTable import JustTable

    if isinstance(input, Node):
        return input
    if not isinstance(input, (list, tuple)) or not input:
        raise TypeError(f"nngraph.nest: expected a node or a non-empty list of nodes, got {input!r}")
    if len(input) == 1:
        return JustTable()(nest(input[0]))
    return nn.Identity()([nest(x) for x in input])
