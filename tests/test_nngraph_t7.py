"""nngraph in .t7 files: Lua-written gModules (a real char-rnn checkpoint) load and run; ours keep Lua's layout."""

from __future__ import annotations

import io
import os
import warnings

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn, nngraph, serialization
from torch7.nngraph.MapIndex import MapIndex
from torch7.serialization import TableKey, TorchObject

DATA = os.path.join(os.path.dirname(__file__), "data", "t7")


def _np(t):
    return np.array(t.numpy(), np.float64)


def _raw(obj=None, path=None):
    """The object tree of a file with every class kept as a TorchObject (what Lua would read)."""
    if path is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return serialization.load(path, _raw=True)
    return serialization.load(io.BytesIO(torch.serialize(obj)), _raw=True)


def _load(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # CudaTensors load as CPU tensors, with a warning
        return torch.load(os.path.join(DATA, name))


def _lua_list(t) -> list:
    """Check Lua's list-plus-reverse table {1: a, ..., a: 1} and return the list part."""
    if t == [] or t == {}:
        return []
    assert isinstance(t, dict)
    items = [t[i] for i in range(1, sum(isinstance(k, int) for k in t) + 1)]
    assert len(t) == 2 * len(items)
    for i, x in enumerate(items, 1):
        assert t[TableKey(x) if isinstance(x, (dict, list)) else x] == i
    return items


def check_lua_layout(g: TorchObject) -> list:
    """Lua nngraph's invariants on a raw gModule; returns a per-forward-node summary to compare files with."""
    f = g.fields
    assert g.typename == "nn.gModule" and isinstance(f["nInputs"], int) and f["verbose"] is False
    graphs = {}
    for k in ("fg", "bg"):
        assert f[k].typename == "graph.Graph"
        nodes = _lua_list(f[k].fields["nodes"])
        assert [n.fields["id"] for n in nodes] == list(range(1, len(nodes) + 1))
        for e in _lua_list(f[k].fields["edges"]):
            assert e.typename == "graph.Edge"
            assert any(c is e.fields["to"] for c in _lua_list(e.fields["from"].fields["children"]))
        for n in nodes:
            assert n.typename == "nngraph.Node" and {"data", "id", "children", "visited", "marked"} <= set(n.fields)
            assert all(any(c is m for m in nodes) for c in _lua_list(n.fields["children"]))
        graphs[k] = nodes
    fg, bg = graphs["fg"], graphs["bg"]
    assert sorted(id(n.fields["data"]) for n in fg) == sorted(id(n.fields["data"]) for n in bg)
    assert all(any(n is m for m in fg) for n in f["forwardnodes"]) and len(f["forwardnodes"]) == len(fg)
    assert all(any(n is m for m in bg) for n in f["backwardnodes"]) and len(f["backwardnodes"]) == len(bg)
    assert any(f["innode"] is m for m in fg) and any(f["outnode"] is m for m in bg)
    fid = {id(n.fields["data"]): n.fields["id"] for n in fg}
    summary = []
    for n in f["forwardnodes"]:
        d = n.fields["data"]
        assert d["forwardNodeId"] == n.fields["id"]
        parents = _lua_list(d["mapindex"])
        if "selectindex" in d:
            assert 1 <= d["selectindex"] <= parents[0]["nSplitOutputs"]
        m = d.get("module")
        # (char-rnn's global OneHot may be written back as nn.OneHot: compare class names without the package)
        summary.append((n.fields["id"], m.typename.split(".")[-1] if m is not None else None, d.get("selectindex"),
                        d.get("nSplitOutputs"), d["annotations"].get("_debugLabel"), [fid[id(p)] for p in parents],
                        [c.fields["id"] for c in _lua_list(n.fields["children"])]))
    if "modules" in f:  # the same module objects as the nodes'
        mods = [n.fields["data"]["module"] for n in f["forwardnodes"] if "module" in n.fields["data"]]
        assert len(mods) == len(f["modules"]) and all(a is b for a, b in zip(mods, f["modules"]))
    return summary


def _graph():
    x, y = nn.Identity()(), nn.Identity()()
    h = nn.Tanh()(nn.Linear(4, 3)(x)).annotate(name="h", description="hidden")
    a, b = nn.SplitTable(1)(nn.Reshape(2, 3)(nn.Linear(4, 6)(y))).split(2)
    out = nn.CAddTable()([nn.CMulTable()([h, a]), b, h])
    return nn.gModule([x, y], [out, nn.Sigmoid()(b)])


# ---- our files ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["binary", "ascii"])
def test_saved_gmodule_round_trips_and_keeps_lua_layout(tmp_path, fmt):
    torch.manualSeed(4)
    g = _graph()
    inp = [torch.randn(5, 4), torch.randn(5, 4)]
    out = [_np(o) for o in g.forward(inp)]
    gout = [torch.randn(5, 3), torch.randn(5, 3)]
    gin = [_np(t) for t in g.backward(inp, gout)]
    path = tmp_path / "g.t7"
    torch.save(str(path), g, fmt)
    summary = check_lua_layout(serialization.load(str(path), fmt, _raw=True))
    assert summary == check_lua_layout(_raw(g))
    assert [s[1] for s in summary].count("Linear") == 2 and summary[0][1] is None  # the input node first
    g2 = torch.load(str(path), fmt)
    assert type(g2) is nn.gModule and g2 is not g
    for a, b in zip(g2.forward(inp), out):
        np.testing.assert_array_equal(_np(a), b)
    for a, b in zip(g2.backward(inp, gout), gin):
        np.testing.assert_array_equal(_np(a), b)
    # the loaded graph is in this package's layout, and still shared the way Lua shares it
    fn = g2.forwardnodes
    assert all(type(n.data["mapindex"]) is MapIndex and isinstance(n.children, list) for n in fn + g2.backwardnodes)
    assert [n.id for n in fn] == [n.id for n in g.forwardnodes] and all(n.data["forwardNodeId"] == n.id for n in fn)
    assert sorted(id(n.data) for n in fn) == sorted(id(n.data) for n in g2.backwardnodes)
    named = next(n for n in fn if n.data["annotations"].get("name") == "h")
    assert named.data["annotations"]["description"] == "hidden"
    consumers = [n for n in g2.backwardnodes if named.data in n.data["mapindex"]]
    assert set(map(id, named.data["reverseMap"])) == set(map(id, consumers))  # reverseMap holds the consumers
    sel = [n.data["selectindex"] for n in fn if "selectindex" in n.data]
    assert sorted(sel) == [0, 0, 1, 1]  # the two input selectors and the two split outputs, 0-based
    mods = [n.data["module"] for n in fn if "module" in n.data]
    assert all(a is b for a, b in zip(mods, g2.modules))
    assert g2.getParameters()[0].nElement() == g.getParameters()[0].nElement() == 4 * 3 + 3 + 4 * 6 + 6


def test_nested_gmodules_and_single_nodes_round_trip():
    torch.manualSeed(5)
    x = nn.Identity()()
    inner = nn.gModule([x], [nn.Tanh()(nn.Linear(3, 3)(x))])
    inner.name = "inner"
    y = nn.Identity()()
    outer = nn.Sequential().add(nn.gModule([y], [nn.Linear(3, 2)(inner(y))]))
    t = torch.randn(3)
    ref = _np(outer.forward(t))
    back = torch.deserialize(torch.serialize(outer))
    np.testing.assert_array_equal(_np(back.forward(t)), ref)
    assert repr(back.get(0).modules[1]) == "inner"
    # a lone node (with its inputs and the consumers in its reverseMap) is written as Lua writes it
    node = torch.deserialize(torch.serialize(inner.forwardnodes[2]))
    assert isinstance(node, nngraph.Node) and isinstance(node.data["module"], nn.Linear)
    orig = inner.forwardnodes[2]
    assert node.id == orig.id and node.data["forwardNodeId"] == orig.data["forwardNodeId"] == orig.id
    assert [c.data["forwardNodeId"] for c in node.children] == [c.data["forwardNodeId"] for c in orig.children]
    assert type(node.children[0].data["mapindex"]) is MapIndex and node.children[0].data["mapindex"][0] is node.data
    raw = _raw(inner.forwardnodes[2])
    assert raw.typename == "nngraph.Node" and raw.fields["id"] == node.id + 1
    edge = torch.deserialize(torch.serialize(inner.fg.edges[0]))
    assert isinstance(edge, nngraph.Edge) and edge.to in edge.from_.children


# ---- files written by Lua -------------------------------------------------------------------------------------------

def test_lua_gmodule_fixture_runs_and_resaves_alike():
    g = _load("gmodule_with_linear_identity.t7")  # gModule({a, b}, {CAddTable(){b, Linear(1,2)(a)}}) in Lua
    assert type(g) is nn.gModule and g.nInputs == 2
    assert [type(m) for m in g.modules] == [nn.Identity, nn.Identity, nn.Linear, nn.CAddTable]
    lin = g.modules[2]
    a, b = torch.randn(3, 1), torch.randn(3, 2)
    out = g.forward([a, b])
    np.testing.assert_allclose(_np(out), _np(b) + _np(a) @ _np(lin.weight).T + _np(lin.bias), rtol=1e-12)
    ga, gb = g.backward([a, b], torch.ones(3, 2))
    np.testing.assert_allclose(_np(ga), np.ones((3, 2)) @ _np(lin.weight), rtol=1e-12)
    assert _np(gb).tolist() == [[1, 1]] * 3
    lua = check_lua_layout(_raw(path=os.path.join(DATA, "gmodule_with_linear_identity.t7")))
    assert check_lua_layout(_raw(g)) == lua
    node = _load("nngraph_node.t7")
    assert isinstance(node, nngraph.Node) and node.data["annotations"]["hello"] == 123 and node.id == -1
    assert torch.deserialize(torch.serialize(node)).data["annotations"]["hello"] == 123


def _old_char_rnn_lstm(vocab, H, n):
    """char-rnn's model/LSTM.lua of 2015 (gates by Narrow), in the same statement order."""
    inputs = [nn.Identity()()]
    for _ in range(n):
        inputs += [nn.Identity()(), nn.Identity()()]
    outputs = []
    for L in range(1, n + 1):
        prev_c, prev_h = inputs[2 * L - 1], inputs[2 * L]
        x, size = (nn.OneHot(vocab)(inputs[0]), vocab) if L == 1 else (outputs[2 * L - 3], H)
        sums = nn.CAddTable()([nn.Linear(size, 4 * H)(x), nn.Linear(H, 4 * H)(prev_h)])
        sig = nn.Sigmoid()(nn.Narrow(1, 0, 3 * H)(sums))
        in_gate, forget_gate, out_gate = (nn.Narrow(1, k * H, H)(sig) for k in range(3))
        in_transform = nn.Tanh()(nn.Narrow(1, 3 * H, H)(sums))
        next_c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]), nn.CMulTable()([in_gate, in_transform])])
        outputs += [next_c, nn.CMulTable()([out_gate, nn.Tanh()(next_c)])]
    outputs.append(nn.LogSoftMax()(nn.Linear(H, vocab)(outputs[-1])))
    return nn.gModule(inputs, outputs)


def _lstm_numpy(linears, x_idx, states, vocab):
    """The same 2-layer LSTM with plain NumPy from the checkpoint's Linear weights."""
    (i1, h1, i2, h2, dec), H = linears, states[0].shape[1]
    W = [(_np(m.weight), _np(m.bias)) for m in (i1, h1, i2, h2, dec)]
    x = np.eye(vocab)[x_idx]
    out = []
    for L in range(2):
        c, h = states[2 * L], states[2 * L + 1]
        (wi, bi), (wh, bh) = W[2 * L], W[2 * L + 1]
        a = x @ wi.T + bi + h @ wh.T + bh
        s = 1 / (1 + np.exp(-a[:, :3 * H]))
        nc = s[:, H:2 * H] * c + s[:, :H] * np.tanh(a[:, 3 * H:])
        nh = s[:, 2 * H:] * np.tanh(nc)
        out += [nc, nh]
        x = nh
    z = x @ W[4][0].T + W[4][1]
    z = z - z.max(1, keepdims=True)
    return out + [z - np.log(np.exp(z).sum(1, keepdims=True))]


def test_char_rnn_checkpoint_runs():
    cp = _load("obama_rnn.t7")
    rnn = cp["protos"]["rnn"]
    assert type(rnn) is nn.gModule and rnn.nInputs == 5 and rnn._type == "torch.FloatTensor"
    vocab, H = len(cp["vocab"]), cp["opt"]["rnn_size"]
    # the Lua file's graph is exactly the one the same statements build here (ids, orders, labels aside)
    ours = _old_char_rnn_lstm(vocab, H, 2)
    key = [(n.id, type(n.data.get("module")).__name__.replace("CharRNN", ""), n.data.get("selectindex"),
            [p["forwardNodeId"] for p in n.data["mapindex"]], [c.id for c in n.children]) for n in rnn.forwardnodes]
    assert key == [(n.id, type(n.data.get("module")).__name__, n.data.get("selectindex"),
                    [p["forwardNodeId"] for p in n.data["mapindex"]], [c.id for c in n.children])
                   for n in ours.forwardnodes]
    assert [n.id for n in rnn.backwardnodes] == [n.id for n in ours.backwardnodes]
    assert rnn.getParameters()[0].nElement() == ours.getParameters()[0].nElement() == 276858
    labels = {"[./model/LSTM.lua]:29": "i2h", "[./model/LSTM.lua]:30": "h2h", "[./model/LSTM.lua]:56": "dec"}
    lin = [(labels[n.data["annotations"]["_debugLabel"]], n.data["module"]) for n in rnn.forwardnodes
           if isinstance(n.data.get("module"), nn.Linear)]
    assert [k for k, _ in lin] == ["i2h", "h2h", "i2h", "h2h", "dec"]
    rnn.double()
    torch.manualSeed(0)
    idx = [3, 0, 121, 57]
    states = [torch.randn(4, H).mul(0.5) for _ in range(4)]
    out = rnn.forward([torch.LongTensor(idx)] + states)
    ref = _lstm_numpy([m for _, m in lin], idx, [_np(s) for s in states], vocab)
    assert len(out) == 5
    for a, b in zip(out, ref):
        np.testing.assert_allclose(_np(a), b, rtol=1e-9, atol=1e-12)
    assert np.exp(_np(out[4])).sum(1) == pytest.approx([1.0] * 4)
    # backward: the gradient reaching prev_h of layer 2 matches central differences
    gout = [torch.zeros(4, H) for _ in range(4)] + [torch.randn(4, vocab)]
    gin = rnn.backward([torch.LongTensor(idx)] + states, gout)
    assert len(gin) == 5 and gin[4].size() == torch.Size([4, H])
    s = states[3].numpy()
    for i, j in ((0, 0), (2, 77), (3, 127)):
        old = s[i, j]
        vals = []
        for d in (1e-6, -1e-6):
            s[i, j] = old + d
            vals.append((_np(rnn.forward([torch.LongTensor(idx)] + states)[4]) * _np(gout[4])).sum())
        s[i, j] = old
        assert _np(gin[4])[i, j] == pytest.approx((vals[0] - vals[1]) / 2e-6, abs=1e-6)
    # and it saves in Lua's layout, with the same graph as the Lua file
    lua = check_lua_layout(_raw(path=os.path.join(DATA, "obama_rnn.t7"))["protos"]["rnn"])
    assert check_lua_layout(_raw(rnn)) == lua
    expect = [_np(o) for o in rnn.forward([torch.LongTensor(idx)] + states)]
    back = torch.deserialize(torch.serialize(rnn))
    for a, b in zip(back.forward([torch.LongTensor(idx)] + states), expect):
        np.testing.assert_array_equal(_np(a), b)
