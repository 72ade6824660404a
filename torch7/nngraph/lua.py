"""nngraph objects in ``.t7`` files: Lua's stored layout <-> this package's.

Lua keeps list-and-reverse-map tables (``children``, ``mapindex``, ``Graph.nodes``/``edges``: entries
``1..n`` plus ``item -> position``) and 1-based ids. Here those are plain lists (``mapindex`` a
``MapIndex``) and ids, ``selectindex`` and ``forwardNodeId`` are 0-based.

Loading: a node's own ``children`` and ``id`` are converted when the reader fills it, and so is its
``data`` dict (shared by the forward- and backward-graph copies of a node: the ``MapIndex`` type marks
it converted). A data dict still being read at that time (a cycle through ``reverseMap`` led to the
node) is empty: it is kept aside and converted on first use of ``node.data``; a loaded gModule or
graph touches every node, so nothing stays in Lua's layout.

Saving: ``LuaLayout`` builds the Lua-side records (``TorchObject`` nodes, edges, graphs and plain
dict copies of the data) once per object, so the shared data and nodes stay shared in the file.

Example:
    >>> from torch7.nngraph.lua import tableList
    >>> a = {}
    >>> tableList({1: a, 2: "b", "x": 3})[1]
    'b'
"""

from __future__ import annotations

from torch7.serialization.objects import TableKey, TorchObject

from .MapIndex import MapIndex


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def tableList(t) -> list:
    """The array part (keys 1, 2, ...) of a Lua table read as a dict or a list."""
    if isinstance(t, list):
        return t
    out = []
    if isinstance(t, dict):
        i = 1
        while i in t:
            out.append(t[i])
            i += 1
    return out


def _lua_array(items: list) -> dict:
    """Lua's list-plus-reverse table: ``{1: a, 2: b, a: 1, b: 2}``."""
    out: dict = {i: x for i, x in enumerate(items, 1)}
    for i, x in enumerate(items, 1):
        out[TableKey(x) if isinstance(x, (dict, list)) else x] = i
    return out


# ---- load ---------------------------------------------------------------------------------------------------

def dataFromLua(d: dict) -> dict:
    """Convert a node's data dict in place: ``mapindex`` to a ``MapIndex``, 1-based positions to 0-based."""
    d["mapindex"] = MapIndex(tableList(d.get("mapindex")))
    for k in ("selectindex", "forwardNodeId"):
        if _is_int(d.get(k)):
            d[k] -= 1
    for k in ("annotations", "reverseMap"):
        if isinstance(d.get(k), list) and not d[k]:  # an empty Lua table reads as a list
            d[k] = {}
    return d


def nodeFromLua(node) -> None:
    v = node.__dict__
    v["children"] = tableList(v.get("children"))
    if _is_int(v.get("id")):
        v["id"] -= 1
    v.setdefault("visited", False)
    v.setdefault("marked", False)
    d = v.get("data")
    if isinstance(d, dict) and type(d.get("mapindex")) is not MapIndex:
        if d:
            dataFromLua(d)
        else:  # still being read (a cycle through reverseMap led here): converted on first use
            v["_luaData"] = v.pop("data")


def graphFromLua(g) -> None:
    v = g.__dict__
    v["nodes"] = list(tableList(v.get("nodes")))
    v["edges"] = list(tableList(v.get("edges")))
    g._reindex()
    for n in v["nodes"]:
        getattr(n, "data", None)


# ---- save ---------------------------------------------------------------------------------------------------

class LuaLayout:
    """The Lua-side records of nodes, edges, graphs and data, each built once (sharing is kept).

    ``itself`` is the object being written by the ``.t7`` writer: it stays itself (the writer refers
    back to it) and ``fieldsOfItself()`` gives its fields.
    """

    def __init__(self, itself=None) -> None:
        self._memo: dict = {}
        self._alive: list = []  # the originals stay alive while their ids are keys of _memo
        self._todo: list = []
        self._itself = itself
        self._own: dict | None = None

    def _shadow(self, obj, typename: str):
        s = self._memo.get(id(obj))
        if s is None:
            s = obj if obj is self._itself else TorchObject(typename, 1, {})
            self._memo[id(obj)] = s
            self._alive.append(obj)
            self._todo.append((obj, s))
        return s

    def node(self, n):
        from .Node import Node

        return self._shadow(n, "nngraph.Node") if isinstance(n, Node) else n

    def edge(self, e):
        from .graph import Edge

        return self._shadow(e, "graph.Edge") if isinstance(e, Edge) else e

    def graph(self, g):
        from .graph import Graph

        return self._shadow(g, "graph.Graph") if isinstance(g, Graph) else g

    def data(self, d):
        if not isinstance(d, dict):
            return d
        s = self._memo.get(id(d))
        if s is None:
            s = {}
            self._memo[id(d)] = s
            self._alive.append(d)
            self._todo.append((d, s))
        return s

    def run(self) -> LuaLayout:
        from .graph import Edge, Graph
        from .Node import Node

        while self._todo:
            obj, s = self._todo.pop()
            if isinstance(obj, dict):
                s.update(self._data_fields(obj))
                continue
            if isinstance(obj, Node):
                fields = self._node_fields(obj)
            elif isinstance(obj, Edge):
                fields = self._plain_fields(obj, {"from": self.node(obj.from_), "to": self.node(obj.to)})
            elif isinstance(obj, Graph):
                fields = self._plain_fields(obj, {"nodes": _lua_array([self.node(n) for n in obj.nodes]),
                                                  "edges": _lua_array([self.edge(e) for e in obj.edges])})
            if s is obj:
                self._own = fields
            else:
                s.fields.update(fields)
        return self

    def fieldsOfItself(self) -> dict:
        from .graph import Edge, Graph

        obj = self._itself
        {Graph: self.graph, Edge: self.edge}.get(type(obj), self.node)(obj)
        self.run()
        return self._own

    @staticmethod
    def _plain_fields(obj, fields: dict) -> dict:
        for k, v in vars(obj).items():
            if k not in fields and not k.startswith("_") and v is not None:
                fields[k] = v
        return fields

    def _node_fields(self, n) -> dict:
        out = {"data": self.data(n.data)}
        for k, v in vars(n).items():
            if k == "data":
                continue
            if k == "id":
                out[k] = v + 1 if _is_int(v) else v
            elif k == "children":
                out[k] = _lua_array([self.node(c) for c in v])
            elif not k.startswith("_") and v is not None:
                out[k] = v
        return out

    def _data_fields(self, d: dict) -> dict:
        if d and type(d.get("mapindex")) is not MapIndex:
            dataFromLua(d)  # loaded but never reached through its node
        out = {}
        for k, v in d.items():
            if k == "mapindex":
                v = _lua_array([self.data(p) for p in v])
            elif k == "reverseMap" and isinstance(v, dict):
                v = {self.node(n): True for n in v}
            elif k in ("selectindex", "forwardNodeId") and _is_int(v):
                v = v + 1
            if v is not None:
                out[k] = v
        return out
