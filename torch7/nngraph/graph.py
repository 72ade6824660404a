"""Lua's ``graph`` package as nngraph uses it: ``graph.Graph`` and ``graph.Edge`` (also ``.t7`` classes).

A gModule keeps two graphs over its nodes: ``bg`` (edges from a node to its inputs) and ``fg``
(its reverse). The algorithms follow Lua's so node ids and topological orders are the same:
``Node.graph()`` adds edges breadth-first, ``reverse()`` walks the edges in order and
``topsort()`` is a post-order depth-first walk of the reversed graph from its roots.

Example:
    >>> from torch7 import nn
    >>> from torch7.nngraph import graph
    >>> x = nn.Identity()()
    >>> y = nn.Tanh()(x)
    >>> bg = y.graph()
    >>> [n.graphNodeName() for n in bg.nodes], [n.data["module"] for n in bg.reverse().topsort()]
    (['Node1', 'Node2'], [nn.Identity, nn.Tanh])
"""

from __future__ import annotations

import re

from .dot import dot  # noqa: F401  (graph.dot(g, title, filename) as in Lua's graph package)


class Edge:
    """A directed edge with Lua's fields ``from`` and ``to`` (``from`` is a Python keyword: read ``e.from_``)."""

    _typename = "graph.Edge"

    def __init__(self, from_, to) -> None:
        self.__dict__["from"] = from_
        self.to = to

    @property
    def from_(self):
        return self.__dict__["from"]

    def __repr__(self) -> str:
        return f"graph.Edge({self.from_!r} -> {self.to!r})"

    def _t7_payload(self) -> dict:
        from .lua import LuaLayout

        return LuaLayout(itself=self).fieldsOfItself()


class Graph:
    """Nodes and edges in the order they were added; ``node.id`` is the node's 0-based position."""

    _typename = "graph.Graph"

    def __init__(self) -> None:
        self.nodes: list = []
        self.edges: list = []
        self._pos: dict = {}  # node -> position (nodes hash by identity)

    def _reindex(self) -> None:
        self._pos = {n: i for i, n in enumerate(self.nodes)}

    def add(self, edge: Edge | list) -> Graph:
        """Add an edge (or a list of edges): both ends join ``nodes`` and ``from`` gets ``to`` as a child."""
        if isinstance(edge, (list, tuple)):
            for e in edge:
                self.add(e)
            return self
        if not isinstance(edge, Edge):
            raise TypeError(f"graph.Graph.add: expected a graph.Edge or a list of them, got {type(edge).__name__}")
        self.edges.append(edge)
        for n in (edge.from_, edge.to):
            if n not in self._pos:
                self._pos[n] = len(self.nodes)
                self.nodes.append(n)
        edge.from_.add(edge.to)
        edge.from_.id = self._pos[edge.from_]
        edge.to.id = self._pos[edge.to]
        return self

    def _reverse(self) -> tuple[Graph, dict]:
        rg, twin = Graph(), {}
        for e in self.edges:
            for n in (e.from_, e.to):
                if n not in twin:
                    twin[n] = type(n)(n.data)  # a new node sharing the data, as Lua's node.new(data)
            rg.add(Edge(twin[e.to], twin[e.from_]))
        return rg, twin

    def reverse(self) -> Graph:
        """A new graph with every edge reversed; its nodes are new nodes sharing this graph's ``data``."""
        return self._reverse()[0]

    def roots(self) -> list:
        """Nodes with no incoming edge, in node order."""
        targets = {id(e.to) for e in self.edges}
        found = {id(e.from_): e.from_ for e in self.edges if id(e.from_) not in targets}
        return sorted(found.values(), key=lambda n: self._pos[n])

    def leaves(self) -> list:
        """Nodes with no outgoing edge, in node order."""
        sources = {id(e.from_) for e in self.edges}
        found = {id(e.to): e.to for e in self.edges if id(e.to) not in sources}
        return sorted(found.values(), key=lambda n: self._pos[n])

    def topsort(self) -> list:
        """The nodes ordered so every node comes after all nodes with an edge to it (Lua's topsort)."""
        rg, twin = self._reverse()
        back = {id(v): k for k, v in twin.items()}
        roots = rg.roots()
        if not roots and self.edges:
            raise ValueError("graph.Graph.topsort: the graph has cycles")
        order, seen = [], set()
        for root in roots:  # iterative post-order DFS: deep graphs must not hit Python's recursion limit
            seen.add(id(root))
            stack = [(root, 0)]
            while stack:
                node, i = stack[-1]
                if i < len(node.children):
                    stack[-1] = (node, i + 1)
                    child = node.children[i]
                    if id(child) not in seen:
                        seen.add(id(child))
                        stack.append((child, 0))
                else:
                    stack.pop()
                    order.append(back[id(node)])
        if len(order) != len(self.nodes):
            raise ValueError("graph.Graph.topsort: the graph has cycles")
        return order

    def todot(self, title: str | None = None, failed=None) -> str:
        """Graphviz text of the graph (Lua's ``Graph:todot``); ``failed``'s node (same data) is filled red."""
        out = ["digraph G {\n"]
        if title:
            out.append(f'labelloc="t";\nlabel="{title}";\n')
        out.append("node [shape = oval]; ")
        names = {}
        for i, node in enumerate(self.nodes):
            names[id(node)] = f"n{i + 1}"
            name = node.graphNodeName() if hasattr(node, "graphNodeName") else f"Node{i + 1}"
            attrs = ""
            if hasattr(node, "graphNodeAttributes"):
                attrs = " " + " ".join(f"{k}={_dot_escape(str(v))}" for k, v in node.graphNodeAttributes().items())
            out.append(f"\n{names[id(node)]}[label={_dot_escape(name + chr(10) + node.label())}{attrs}];")
        out.append("\n")
        for e in self.edges:
            out.append(f"{names[id(e.from_)]} -> {names[id(e.to)]};\n")
        if failed is not None:
            for i, node in enumerate(self.nodes):
                if node.data is failed.data:
                    out.append(f"n{i + 1}[style=filled, fillcolor=red];\n")
                    break
        out.append("}")
        return "".join(out)

    def __repr__(self) -> str:
        return f"graph.Graph({len(self.nodes)} nodes, {len(self.edges)} edges)"

    # ---- .t7 -------------------------------------------------------------------------------------
    def _t7_loaded(self) -> None:
        from .lua import graphFromLua

        graphFromLua(self)

    def _t7_payload(self) -> dict:
        from .lua import LuaLayout

        return LuaLayout(itself=self).fieldsOfItself()


def _dot_escape(s: str) -> str:
    if re.search("[^a-zA-Z]", s):
        s = '"' + s.replace("\n", "\\n").replace('"', '\\"') + '"'
    return s
