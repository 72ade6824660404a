"""Building a gModule's graphs from its input and output nodes, with Lua nngraph's checks.

Example:
    >>> from torch7 import nn
    >>> from torch7.nngraph.build import buildGraphs
    >>> x = nn.Identity()()
    >>> y = nn.Tanh()(x)
    >>> g = buildGraphs([x], [y])
    >>> [n.data.get("module") for n in g["forwardnodes"]]
    [None, nn.Identity, nn.Tanh, None]
"""

from __future__ import annotations

import torch7 as torch

from .Node import Node


def describeNode(node: Node) -> str:
    """``'name'`` for an annotated node, else ``Node<n>`` and where it was declared (for error messages)."""
    d = node.data
    name = d["annotations"].get("name")
    if name is not None:
        return repr(name)
    fid = d.get("forwardNodeId")
    ident = f"Node{fid + 1}" if isinstance(fid, int) else "a node"
    label = d["annotations"].get("_debugLabel")
    return f"{ident} declared at {label}" if label else ident


def _as_nodes(nodes, what: str) -> list:
    if isinstance(nodes, Node):
        return [nodes]
    if not isinstance(nodes, (list, tuple)):
        raise TypeError(f"nn.gModule: {what} must be a list of nngraph.Node, got {torch.type(nodes)}")
    for i, n in enumerate(nodes):
        if not isinstance(n, Node):
            raise TypeError(f"nn.gModule: {what}[{i}] is {torch.type(n)}, not an nngraph.Node")
    return list(nodes)


def buildGraphs(inputs, outputs) -> dict:
    """The fields Lua's ``gModule.__init`` computes: fg, bg, innode, outnode, forwardnodes, backwardnodes, nInputs."""
    inputs, outputs = _as_nodes(inputs, "inputs"), _as_nodes(outputs, "outputs")
    if not inputs:
        raise ValueError("nn.gModule: a gModule needs at least one input node")
    if not outputs:
        raise ValueError("nn.gModule: a gModule needs at least one output node")
    # A dummy output node gathers the outputs (the start of the backward graph) and a dummy input
    # node, split when there are several inputs, feeds the inputs.
    outnode = Node({"input": []})
    for n in outputs:
        outnode.add(n, True)
    innode = Node({"input": []})
    if len(inputs) == 1:
        inputs[0].add(innode, True)
    else:
        for i, n in enumerate(inputs):
            if n.children:
                raise ValueError(f"nn.gModule: input {i} ({describeNode(n)}) has inputs of its own; the input "
                                 "nodes of a gModule must be made with no argument, e.g. nn.Identity()(), and "
                                 "belong to one gModule only")
        for n, s in zip(inputs, innode.split(len(inputs))):
            n.add(s, True)
    bg = outnode.graph()
    fg = bg.reverse()
    roots = fg.roots()
    stray = [r for r in roots if r.data is not innode.data]
    if stray:
        raise ValueError(f"nn.gModule: {describeNode(stray[0])} has no input and is not one of the gModule's "
                         "inputs (add it to the inputs, or give it an input; a node belongs to one gModule only)")
    forwardnodes, backwardnodes = fg.topsort(), bg.topsort()
    in_graph = {id(n.data) for n in forwardnodes}
    for node in forwardnodes:
        d = node.data
        k = d.get("nSplitOutputs")
        if k is not None and k != len(node.children):
            raise ValueError(f"nn.gModule: {k - len(node.children)} of split({k}) outputs from the node declared at "
                             f"{d['annotations'].get('_debugLabel')} are unused")
        for succ in d.get("reverseMap") or {}:
            if id(succ.data) not in in_graph:
                raise ValueError(f"nn.gModule: the node declared at {succ.data['annotations'].get('_debugLabel')} "
                                 "does not connect to the gModule's outputs")
        d["forwardNodeId"] = node.id
    return {"fg": fg, "bg": bg, "innode": roots[0], "outnode": outnode, "forwardnodes": forwardnodes,
            "backwardnodes": backwardnodes, "nInputs": len(inputs)}
