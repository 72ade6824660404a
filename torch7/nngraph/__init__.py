"""torch7.nngraph: Lua's nngraph, graphs of modules.

Calling a module on nodes makes a node; ``nn.gModule(inputs, outputs)`` turns the graph into a
module::

    x = nn.Identity()()                   # a node with no input (Lua: nn.Identity()())
    h = nn.Linear(10, 20)(x)              # one input
    s = nn.CAddTable()([h, x2])           # several inputs: one list (Lua: {h, x2})
    a, b = nn.SplitTable(1)(s).split(2)   # the elements of a list output
    g = nn.gModule([x, x2], [a, b])       # one input: g takes a tensor; k > 1 inputs: a list of k

A module called on a tensor (or a list of tensors) still runs ``forward`` (and ``backward`` when
a ``gradOutput`` is given); ``module(None)`` and ``module([])`` are errors, as in Lua. A criterion
called on nodes becomes an ``nn.ModuleFromCriterion``. ``node - module`` is ``module(node)``.

Nodes: ``nngraph.Node`` keeps Lua's ``data`` dict (``module``, ``mapindex``, ``reverseMap``,
``annotations``, ``forwardNodeId``, ``selectindex``, ``nSplitOutputs``, ``input``, ``gradOutput``);
``node.annotate(name=..., description=..., graphAttributes={...})`` returns the node;
``nngraph.annotateNodes()`` names the caller's node variables; ``graphNodeName()`` and ``label()``
give what the drawings show.

gModule: forward in topological order; the gradients of a node used several times are summed;
``modules``/``parameters()`` follow the forward order, so ``getParameters()`` lays parameters out
as Lua does. A failing node is named in the error (``In node 'i2h_1' (nn.Linear(10 -> 20)) of
nn.gModule: ...``); ``nngraph.setDebug(True)`` also writes the graph with that node in red.

Drawing: ``nngraph.dot(g.fg, title, filename)`` returns Graphviz text and writes ``filename.dot``
(and ``filename.svg`` when the ``dot`` program exists).

``.t7`` files: gModules written by Lua (``nn.gModule``, ``nngraph.Node``, ``graph.Graph``,
``graph.Edge``, ``nngraph.JustElement``/``JustTable``, ``nn.ModuleFromCriterion``) load and run, and
saved gModules keep Lua's layout. Ids, ``selectindex`` and ``forwardNodeId`` are 0-based here
(printed names such as ``Node3`` keep Lua's 1-based numbers).

Example:
    >>> import torch7 as torch
    >>> from torch7 import nn, nngraph
    >>> x, y, z = nn.Identity()(), nn.Identity()(), nn.Identity()()
    >>> a = nn.CAddTable()([x, y])
    >>> b = nn.CMulTable()([a, z])
    >>> c = nn.CAddTable()([a, b])
    >>> mod = nn.gModule([x, y, z], [c])
    >>> ones = torch.ones(2)
    >>> mod.forward([ones, ones, ones * 3]).tolist()
    [8.0, 8.0]
"""

from __future__ import annotations

from . import graph
from .debug import annotateNodes, setDebug
from .dot import dot
from .gModule import gModule
from .graph import Edge, Graph
from .JustElement import JustElement
from .JustTable import JustTable
from .ModuleFromCriterion import ModuleFromCriterion
from .nest import nest
from .Node import Node

# The .t7 classes of this package, by Torch typename (the serialization registry looks here).
T7_CLASSES = {"nn.gModule": gModule, "nngraph.Node": Node, "graph.Graph": Graph, "graph.Edge": Edge,
              "nngraph.JustElement": JustElement, "nngraph.JustTable": JustTable,
              "nn.ModuleFromCriterion": ModuleFromCriterion}

__all__ = ["Edge", "Graph", "JustElement", "JustTable", "ModuleFromCriterion", "Node", "T7_CLASSES", "annotateNodes",
           "dot", "gModule", "graph", "nest", "setDebug"]
