"""nngraph.Node: a vertex of a module graph, made by calling a module on other nodes."""

from __future__ import annotations

import os
import sys

import numpy as np

import torch7 as torch
from torch7.nn import utils as nn_utils

from .graph import Edge, Graph
from .MapIndex import MapIndex

_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep
_NN = os.path.join(os.path.dirname(_HERE.rstrip(os.sep)), "nn") + os.sep
# Frames in these files are skipped when a node records where it was declared.
_SKIP = (_HERE, _NN + "Module.py", _NN + "Criterion.py")


def callerLabel() -> str:
    """``[file]:line`` of the first caller outside nngraph and the module ``__call__`` (Lua's ``_debugLabel``)."""
    f = sys._getframe(1)
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(_SKIP):
        f = f.f_back
    if f is None:
        return "[C]:-1"
    path = f.f_code.co_filename
    try:
        rel = os.path.relpath(path)
        path = rel if not rel.startswith("..") else path
    except ValueError:  # another drive (Windows)
        pass
    if len(path) > 60:  # Lua's short_src keeps the tail of long paths
        path = "..." + path[-57:]
    return f"[{path}]:{f.f_lineno}"


class Node:
    """A graph node: ``data`` holds the module and the state Lua's nngraph keeps per node.

    ``data`` keys (Lua's): ``module``, ``mapindex`` (the input nodes' data, in order),
    ``reverseMap`` (consumer node -> True), ``annotations`` (``_debugLabel``, ``name``,
    ``description``, ``graphAttributes``), ``forwardNodeId``, ``selectindex`` (0-based),
    ``nSplitOutputs``, and the buffers ``input``, ``gradOutput``, ``gradOutputBuffer``.
    Node fields: ``data``, ``id`` (0-based position in its graph, -1 before), ``children``,
    ``visited``, ``marked``. Nodes are made by calling a module: ``nn.Linear(3, 4)(x)``.

    Args:
        data: the data dict (shared by the copies of this node in the forward and backward graphs).

    Example:
        >>> from torch7 import nn
        >>> x = nn.Identity()()
        >>> h = nn.Linear(3, 4)(x).annotate(name="h", description="hidden")
        >>> h.data["module"], h.data["mapindex"][0] is x.data, h.graphNodeName()
        (nn.Linear(3 -> 4), True, 'h (0)')
    """

    _typename = "nngraph.Node"

    def __init__(self, data: dict | None = None) -> None:
        d = {} if data is None else data
        if not isinstance(d, dict):
            raise TypeError(f"nngraph.Node: data must be a dict, got {type(d).__name__}")
        mapindex = d.get("mapindex")
        if isinstance(mapindex, dict):  # Lua's layout, as read from a .t7 file
            from .lua import dataFromLua

            dataFromLua(d)
        elif not isinstance(mapindex, MapIndex):
            d["mapindex"] = MapIndex(mapindex or [])
        if not isinstance(d.get("annotations"), dict):
            d["annotations"] = {}
        d.setdefault("reverseMap", {})
        if "_debugLabel" not in d["annotations"]:
            d["annotations"]["_debugLabel"] = callerLabel()
        self.data = d
        self.id = -1
        self.children: list[Node] = []
        self.visited = False
        self.marked = False

    def __getattr__(self, name: str):
        # A node read from a .t7 file while its data dict was still being read keeps that dict
        # aside (lua.nodeFromLua); it is converted on first use, once complete.
        if name == "data" and "_luaData" in self.__dict__:
            from .lua import dataFromLua

            d = self.__dict__.pop("_luaData")
            if d and type(d.get("mapindex")) is not MapIndex:
                dataFromLua(d)
            self.data = d
            return d
        raise AttributeError(f"'nngraph.Node' object has no attribute '{name}'")

    # ---- building -------------------------------------------------------------------------------
    def add(self, child: Node, domap: bool = False) -> None:
        """Add ``child`` to ``children``; with ``domap`` also record it as the next input in ``mapindex``."""
        if not any(c is child for c in self.children):
            self.children.append(child)
        if domap:
            mapindex, cdata = self.data["mapindex"], child.data
            if mapindex.indexOf(cdata) >= 0:
                raise ValueError(f"nngraph.Node.add: the same input node ({child.graphNodeName()}, declared at "
                                 f"{child.data['annotations'].get('_debugLabel')}) was passed twice")
            mapindex.append(cdata)
            rev = cdata.setdefault("reverseMap", {})
            if not isinstance(rev, dict):
                rev = cdata["reverseMap"] = {}
            rev[self] = True

    def split(self, noutput: int):
        """``noutput`` nodes taking the outputs ``0 .. noutput-1`` of this node's (list) output.

        Returns a tuple of nodes; ``split(1)`` returns one node (an ``nngraph.JustElement``), as in Lua.
        """
        if isinstance(noutput, bool) or not isinstance(noutput, int) or noutput < 1:
            raise ValueError(f"nngraph.Node.split: the number of outputs must be a positive int, got {noutput!r}")
        if noutput == 1:
            from .JustElement import JustElement

            return JustElement()(self)
        label = self.data["annotations"].get("_debugLabel", "")
        mnode = Node({"nSplitOutputs": noutput,
                      "annotations": {"_debugLabel": f"{label} split at {callerLabel()}-mnode"}})
        mnode.add(self, True)
        outs = []
        for i in range(noutput):
            node = Node({"selectindex": i, "input": [], "annotations": {"_debugLabel": f"{label}-{i + 1}"}})
            node.add(mnode, True)
            outs.append(node)
        return tuple(outs)

    def annotate(self, annotations: dict | None = None, **kw) -> Node:
        """Merge ``name=``, ``description=``, ``graphAttributes={...}`` (or a dict of them) into the annotations."""
        ann = self.data["annotations"]
        ann.update(annotations or {})
        ann.update(kw)
        return self

    def __sub__(self, module):
        # Lua's sugar: node - module == module(node)
        if callable(module) and hasattr(module, "_typename"):
            return module(self)
        return NotImplemented

    # ---- inspection ------------------------------------------------------------------------------
    def graphNodeName(self) -> str:
        name = self.data["annotations"].get("name")
        return f"{name} ({self.id + 1})" if name is not None else f"Node{self.id + 1}"

    def graphNodeAttributes(self) -> dict:
        ann = self.data["annotations"]
        attrs = ann.get("graphAttributes")
        if not isinstance(attrs, dict):
            attrs = ann["graphAttributes"] = {}
        attrs.setdefault("tooltip", ann.get("_debugLabel"))
        return attrs

    def label(self) -> str:
        """What Lua's drawings show: the module, input/gradOutput sizes and NaN/inf flags, ``\\l``-separated."""
        d = self.data
        parts = []
        for k, v in d.items():
            if k in ("forwardNodeId", "annotations", "reverseMap"):
                continue
            if k == "mapindex":
                if len(v) > 1:
                    ids = [f"Node{p['forwardNodeId'] + 1}" if isinstance(p.get("forwardNodeId"), int) else "Node"
                           for p in v]
                    parts.append("mapindex = {" + ",".join(ids) + "}")
                continue
            parts.append(f"{k} = {_describe(v)}")
        desc = d["annotations"].get("description")
        return (f"desc = {desc}\\n" if desc else "") + "\\l".join(parts)

    def graph(self) -> Graph:
        """The graph of the nodes reachable through ``children``, built breadth-first as Lua's graph package does."""
        g = Graph()
        seen = {id(self)}
        queue = [self]
        i = 0
        while i < len(queue):
            node = queue[i]
            i += 1
            for child in list(node.children):
                g.add(Edge(node, child))
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)
        return g

    def type(self, typename: str, tensorCache: dict | None = None) -> Node:
        """Cast the tensors of the buffers ``input``, ``gradOutput`` and ``gradOutputBuffer``."""
        cache = {} if tensorCache is None else tensorCache
        d = self.data
        for k in ("input", "gradOutput", "gradOutputBuffer"):
            if d.get(k) is not None:
                d[k] = nn_utils.recursiveType(d[k], typename, cache)
        return self

    def __repr__(self) -> str:
        m = self.data.get("module")
        what = "no module" if m is None else repr(m).split("\n")[0]
        return f"nngraph.Node({self.graphNodeName()}: {what})"

    # ---- .t7 -------------------------------------------------------------------------------------
    def _t7_loaded(self) -> None:
        from .lua import nodeFromLua

        nodeFromLua(self)

    def _t7_payload(self) -> dict:
        from .lua import LuaLayout

        return LuaLayout(itself=self).fieldsOfItself()


def _describe(v) -> str:
    if v is None:
        return ""
    if torch.isTensor(v):
        kind = "Tensor" if v.type() == torch.getdefaulttensortype() else v.type()
        return f"{kind}[{'x'.join(str(s) for s in v.size())}]{_nan_flag(v)}"
    if isinstance(v, (list, tuple)):
        return "{" + ",".join(_describe(x) for x in v) + "}"
    return str(v).replace("\n", "\\l")


def _nan_flag(t) -> str:
    if t.nElement() == 0 or not getattr(t, "_is_float", True):
        return ""
    a = np.asarray(t.numpy())
    if np.isnan(a).any():
        return "NaN"
    if a.max() == np.inf:
        return "inf"
    if a.min() == -np.inf:
        return "-inf"
    return ""


def callModule(module, *args) -> Node:
    """``module(...)`` on nodes (the Python form of Lua's ``Module.__call__``): a new node with those inputs.

    No argument makes a node with no input; the one argument is a node or a non-empty list of nodes.
    """
    name = repr(module).split("\n")[0]
    if len(args) > 1:
        raise TypeError(f"{name}: pass several input nodes as one list, module([a, b]), not as separate arguments")
    if args and args[0] is None:
        raise TypeError(f"{name}: the input node is None (a misspelt or unset variable?); "
                        "call module() for a node with no input")
    if not args:
        inputs = []
    elif isinstance(args[0], (list, tuple)):
        if not args[0]:
            raise ValueError(f"{name}: cannot pass an empty list of input nodes; to make a node with no incoming "
                             "connection call module() with no argument")
        inputs = list(args[0])
    else:
        inputs = [args[0]]
    for i, x in enumerate(inputs):
        if not isinstance(x, Node):
            raise TypeError(f"{name}: expected an nngraph.Node as input {i}, got {torch.type(x)}")
    node = Node({"module": module})
    for x in inputs:
        node.add(x, True)
    return node
