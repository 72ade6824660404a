"""torch7.nngraph: node call syntax, gModule forward/backward against hand computations, checks and errors."""

from __future__ import annotations

import os
import re
import stat

import numpy as np
import pytest
from nn_checks import check_module, jacobian_input

import torch7 as torch
from torch7 import nn, nngraph


def _np(t):
    return np.array(t.numpy(), np.float64)


_sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731


# ---- call syntax -----------------------------------------------------------------------------------------------

def test_call_syntax_makes_nodes_and_keeps_tensor_calls():
    x = nn.Identity()()
    assert isinstance(x, nngraph.Node) and x.data["mapindex"] == [] and x.children == []
    lin = nn.Linear(3, 2)
    h = lin(x)
    assert h.data["module"] is lin and h.children == [x] and h.data["mapindex"][0] is x.data
    assert x.data["reverseMap"] == {h: True}
    y = nn.Identity()()
    s = nn.CAddTable()([h, y])
    assert [d is e for d, e in zip(s.data["mapindex"], [h.data, y.data])] == [True, True]
    t = h - nn.Tanh()  # Lua's sugar node - module
    assert isinstance(t.data["module"], nn.Tanh) and t.children == [h]
    # tensors still run forward / forward+backward
    v = torch.randn(3)
    np.testing.assert_allclose(_np(lin(v)), _np(lin.weight) @ _np(v) + _np(lin.bias))
    _, gi = lin(v, torch.ones(2))
    np.testing.assert_allclose(_np(gi), _np(lin.weight).sum(0))
    assert nn.CAddTable()([torch.ones(2), torch.ones(2)]).tolist() == [2.0, 2.0]


def test_call_errors():
    x = nn.Identity()()
    with pytest.raises(TypeError, match=r"nn.Linear\(3 -> 2\): the input node is None"):
        nn.Linear(3, 2)(None)
    with pytest.raises(ValueError, match="empty list of input nodes"):
        nn.Tanh()([])
    with pytest.raises(TypeError, match="several input nodes as one list"):
        nn.CAddTable()(x, nn.Identity()())
    with pytest.raises(TypeError, match="expected an nngraph.Node as input 1, got torch.DoubleTensor"):
        nn.CAddTable()([x, torch.ones(2)])
    with pytest.raises(ValueError, match="passed twice"):
        nn.CAddTable()([x, x])


def test_criterion_on_nodes_becomes_module_from_criterion():
    pred, target = nn.Identity()(), nn.Identity()()
    crit = nn.MSECriterion()
    loss = crit([pred, target])
    m = loss.data["module"]
    assert isinstance(m, nn.ModuleFromCriterion) and m.criterion is crit
    g = nn.gModule([pred, target], [loss])
    p, t = torch.randn(5), torch.randn(5)
    out = g.forward([p, t])
    assert out.size() == torch.Size([1]) and out[0] == pytest.approx(((_np(p) - _np(t)) ** 2).mean())
    gi = g.backward([p, t], torch.Tensor([2.0]))
    np.testing.assert_allclose(_np(gi[0]), 2 * 2 * (_np(p) - _np(t)) / 5)
    assert _np(gi[1]).tolist() == [0.0] * 5
    assert crit(p, t)[0] == pytest.approx(out[0])  # a criterion on tensors: forward + backward as before


# ---- the tutorial graph and the char-rnn LSTM cell ---------------------------------------------------------------

def test_tutorial_graph_values_and_gradients():
    x, y, z = nn.Identity()(), nn.Identity()(), nn.Identity()()
    a = nn.CAddTable()([x, y])
    b = nn.CMulTable()([a, z])
    c = nn.CAddTable()([a, b])
    mod = nn.gModule([x, y, z], [c])
    X, Y, Z = torch.randn(4, 5), torch.randn(4, 5), torch.randn(4, 5)
    A = _np(X) + _np(Y)
    np.testing.assert_allclose(_np(mod.forward([X, Y, Z])), A + A * _np(Z), rtol=1e-12)
    G = torch.randn(4, 5)
    gx, gy, gz = mod.backward([X, Y, Z], G)
    g = _np(G)
    np.testing.assert_allclose(_np(gx), g * (1 + _np(Z)), rtol=1e-12)  # a has two consumers: summed
    np.testing.assert_allclose(_np(gy), g * (1 + _np(Z)), rtol=1e-12)
    np.testing.assert_allclose(_np(gz), g * A, rtol=1e-12)
    assert mod.nInputs == 3 and len(mod.forwardnodes) == 12 and mod.parameters() == ([], [])


def lstm_cell(D, H):
    """char-rnn's LSTM layer (model/LSTM.lua) with one layer: inputs [x, prev_c, prev_h], outputs [next_c, next_h]."""
    x, prev_c, prev_h = nn.Identity()(), nn.Identity()(), nn.Identity()()
    i2h = nn.Linear(D, 4 * H)(x).annotate(name="i2h_1")
    h2h = nn.Linear(H, 4 * H)(prev_h).annotate({"name": "h2h_1"})
    sums = nn.CAddTable()([i2h, h2h])
    reshaped = nn.Reshape(4, H)(sums)
    n1, n2, n3, n4 = nn.SplitTable(1)(reshaped).split(4)
    in_gate, forget_gate, out_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2), nn.Sigmoid()(n3)
    in_transform = nn.Tanh()(n4)
    next_c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]), nn.CMulTable()([in_gate, in_transform])])
    next_h = nn.CMulTable()([out_gate, nn.Tanh()(next_c)])
    return nn.gModule([x, prev_c, prev_h], [next_c, next_h]), i2h.data["module"], h2h.data["module"]


def _lstm_by_hand(Wi, bi, Wh, bh, x, c, h, dc_out, dh_out):
    H = c.shape[1]
    a = x @ Wi.T + bi + h @ Wh.T + bh
    i, f, o, g = _sig(a[:, :H]), _sig(a[:, H:2 * H]), _sig(a[:, 2 * H:3 * H]), np.tanh(a[:, 3 * H:])
    nc = f * c + i * g
    tc = np.tanh(nc)
    nh = o * tc
    dc = dc_out + dh_out * o * (1 - tc ** 2)
    da = np.concatenate([dc * g * i * (1 - i), dc * c * f * (1 - f), dh_out * tc * o * (1 - o),
                         dc * i * (1 - g ** 2)], 1)
    grads = {"x": da @ Wi, "c": dc * f, "h": da @ Wh, "Wi": da.T @ x, "bi": da.sum(0), "Wh": da.T @ h, "bh": da.sum(0)}
    return nc, nh, grads


def test_lstm_cell_matches_hand_computation():
    torch.manualSeed(7)
    D, H, N = 5, 3, 4
    g, i2h, h2h = lstm_cell(D, H)
    x, c, h, dc, dh = torch.randn(N, D), torch.randn(N, H), torch.randn(N, H), torch.randn(N, H), torch.randn(N, H)
    nc, nh = g.forward([x, c, h])
    ref_c, ref_h, grads = _lstm_by_hand(_np(i2h.weight), _np(i2h.bias), _np(h2h.weight), _np(h2h.bias),
                                        _np(x), _np(c), _np(h), _np(dc), _np(dh))
    np.testing.assert_allclose(_np(nc), ref_c, rtol=1e-10)
    np.testing.assert_allclose(_np(nh), ref_h, rtol=1e-10)
    g.zeroGradParameters()
    gx, gc, gh = g.backward([x, c, h], [dc, dh])
    for name, got in (("x", gx), ("c", gc), ("h", gh), ("Wi", i2h.gradWeight), ("bi", i2h.gradBias),
                      ("Wh", h2h.gradWeight), ("bh", h2h.gradBias)):
        np.testing.assert_allclose(_np(got), grads[name], rtol=1e-9, atol=1e-12, err_msg=name)
    # parameters in forward topological order, as Lua's getParameters lays them out
    assert [m for m in g.modules if isinstance(m, nn.Linear)] == [i2h, h2h]
    flat, gflat = g.getParameters()
    assert flat.nElement() == (D + 1) * 4 * H + (H + 1) * 4 * H
    np.testing.assert_allclose(_np(gflat)[:4 * H * D], grads["Wi"].reshape(-1), rtol=1e-9)


def test_lstm_cell_jacobian_with_list_input():
    torch.manualSeed(3)
    g, i2h, _ = lstm_cell(3, 2)
    inp = [torch.randn(2, 3), torch.randn(2, 2), torch.randn(2, 2)]
    jacobian_input(g, inp)
    jac_a = nn.Jacobian.backward(g, inp, i2h.weight, i2h.gradWeight)
    jac_n = nn.Jacobian.forward(g, inp, i2h.weight)
    assert np.abs(jac_a - jac_n).max() < 1e-6


def _mlp_graph():
    x = nn.Identity()()
    h, skip = nn.Tanh()(nn.Linear(4, 3)(x)), nn.Linear(4, 3)(x)
    return nn.gModule([x], [nn.CMulTable()([nn.Linear(3, 3)(h), nn.Sigmoid()(skip)])])


def test_graph_passes_the_shared_module_checks():
    # Jacobians (input, parameters, accUpdate), float/double, .t7 round trip, repr
    check_module(_mlp_graph, lambda: torch.randn(2, 4))


# ---- split, annotations, several outputs, shared weights -------------------------------------------------------

def test_split_outputs_and_errors():
    x = nn.Identity()()
    a, b, c = nn.SplitTable(0)(x).split(3)
    assert (a.data["selectindex"], c.data["selectindex"]) == (0, 2)
    g = nn.gModule([x], [c, a, nn.MulConstant(0)(b)])
    t = torch.randn(3, 2)
    out = g.forward(t)
    assert _np(out[0]).tolist() == _np(t)[2].tolist() and _np(out[1]).tolist() == _np(t)[0].tolist()
    gi = g.backward(t, [torch.ones(2), torch.ones(2) * 2, torch.ones(2)])
    assert _np(gi).tolist() == [[2, 2], [0, 0], [1, 1]]
    one = nn.SplitTable(0)(x).split(1)
    assert isinstance(one.data["module"], nngraph.JustElement)
    y = nn.Identity()()
    p, _ = nn.SplitTable(0)(y).split(2)
    with pytest.raises(ValueError, match=r"1 of split\(2\) outputs from the node declared at .*test_nngraph.py.* are "
                                         "unused"):
        nn.gModule([y], [p])
    z = nn.Identity()()
    u, v = nn.SplitTable(0)(z).split(2)
    g2 = nn.gModule([z], [u, v])
    with pytest.raises(ValueError, match=r"split\(2\) cannot split 3 outputs"):
        g2.forward(torch.randn(3, 2))


def test_annotations_names_and_labels():
    x = nn.Identity()()
    h = nn.Linear(3, 2)(x)
    assert h.annotate(name="hidden", description="the layer", graphAttributes={"color": "red"}) is h
    ann = h.data["annotations"]
    assert ann["name"] == "hidden" and ann["graphAttributes"] == {"color": "red"}
    assert ann["_debugLabel"].startswith("[") and "test_nngraph.py]:" in ann["_debugLabel"]
    g = nn.gModule([x], [h])
    fnode = next(n for n in g.forwardnodes if n.data is h.data)
    assert fnode.graphNodeName() == f"hidden ({fnode.id + 1})"
    g.forward(torch.randn(7, 3))
    lbl = fnode.label()
    assert lbl.startswith("desc = the layer\\n") and "module = nn.Linear(3 -> 2)" in lbl
    assert "input = {Tensor[7x3]}" in lbl
    assert fnode.graphNodeAttributes()["tooltip"] == ann["_debugLabel"]

    def build():
        inp = nn.Identity()()
        named = nn.Tanh()(inp).annotate(name="kept")
        other = nn.Sigmoid()(named)
        nngraph.annotateNodes()
        return inp, named, other

    inp, named, other = build()
    assert [n.data["annotations"]["name"] for n in (inp, named, other)] == ["inp", "kept", "other"]
    bad = nn.Linear(2, 2)(nn.Identity()())
    bad.data["input"] = [torch.Tensor([float("nan"), 1])]
    assert "input = {Tensor[2]NaN}" in bad.label()
    bad.data["input"] = [torch.FloatTensor([-float("inf")])]
    assert "input = {torch.FloatTensor[1]-inf}" in bad.label()


def test_several_outputs_and_gradoutput_count():
    x = nn.Identity()()
    g, t = nn.gModule([x], [nn.Tanh()(x), nn.Sigmoid()(x)]), torch.randn(3)
    out = g.forward(t)
    assert isinstance(out, list) and len(out) == 2
    np.testing.assert_allclose(_np(out[1]), _sig(_np(t)))
    gi = g.backward(t, [torch.ones(3), torch.ones(3)])
    np.testing.assert_allclose(_np(gi), 1 - np.tanh(_np(t)) ** 2 + _sig(_np(t)) * (1 - _sig(_np(t))))
    with pytest.raises(ValueError, match=r"nn.gModule: got 1 gradOutputs instead of 2 \(sizes \{3\}\)"):
        g.backward(t, [torch.ones(3)])


def test_shared_weights_in_two_nodes():
    torch.manualSeed(1)
    lin = nn.Linear(3, 3)
    twin = lin.clone("weight", "bias", "gradWeight", "gradBias")
    x = nn.Identity()()
    y = twin(nn.Tanh()(lin(x)))
    g = nn.gModule([x], [y])
    flat, gflat = g.getParameters()
    assert flat.nElement() == 12  # counted once
    assert lin.weight.storage() is twin.weight.storage()
    t = torch.randn(3)
    W, B = _np(lin.weight), _np(lin.bias)
    h = np.tanh(W @ _np(t) + B)
    np.testing.assert_allclose(_np(g.forward(t)), W @ h + B, rtol=1e-12)
    g.zeroGradParameters()
    g.backward(t, torch.ones(3))
    dh = W.T @ np.ones(3) * (1 - h ** 2)
    np.testing.assert_allclose(_np(lin.gradWeight), np.outer(np.ones(3), h) + np.outer(dh, _np(t)), rtol=1e-10)
    # the same module object in two nodes: in `modules` twice (as in Lua), in parameters() once
    same = nn.Linear(2, 2)
    p = nn.Identity()()
    g2 = nn.gModule([p], [same(nn.Tanh()(same(p)))])
    assert g2.modules.count(same) == 2 and len(g2.parameters()[0]) == 2 and g2.getParameters()[0].nElement() == 6


def test_checklist_names():
    with open(os.path.join(os.path.dirname(__file__), "data", "other_packages.tsv")) as f:
        names = [ln.split("\t")[1].split()[0] for ln in f if ln.startswith("nngraph\t")]
    assert names == ["gModule", "Node", "annotateNodes", "setDebug", "dot"]
    assert all(callable(getattr(nngraph, n)) for n in names) and nn.gModule is nngraph.gModule


# ---- errors -----------------------------------------------------------------------------------------------------

def test_failing_node_is_named_in_the_error():
    x = nn.Identity()()
    h = nn.Linear(10, 20)(x).annotate(name="i2h_1")
    g = nn.gModule([x], [nn.Tanh()(h)])
    with pytest.raises(Exception, match=r"^In node 'i2h_1' \(nn.Linear\(10 -> 20\)\) of nn.gModule: "):
        g.forward(torch.randn(3, 7))
    g.forward(torch.randn(3, 10))
    with pytest.raises(Exception, match=r"^In node Node\d+ declared at .* \(nn.Tanh\) of nn.gModule: "):
        g.backward(torch.randn(3, 10), torch.randn(4, 4))  # a failure in backward names its node too
    y = nn.Identity()()
    g2 = nn.gModule([y], [nn.Linear(4, 2)(y)])
    g2.name = "mynet"
    with pytest.raises(Exception, match=r"^In node Node\d+ declared at \[.*test_nngraph.py\]:\d+ "
                                        r"\(nn.Linear\(4 -> 2\)\) of mynet: "):
        g2.forward(torch.randn(3))
    assert repr(g2) == "mynet"


def test_input_count_and_connection_errors():
    x, y = nn.Identity()(), nn.Identity()()
    g = nn.gModule([x, y], [nn.CAddTable()([x, y])])
    with pytest.raises(TypeError, match=r"nn.gModule: expecting a list of 2 inputs, got a torch.DoubleTensor of "
                                        r"size 3x4"):
        g.forward(torch.randn(3, 4))
    with pytest.raises(ValueError, match=r"nn.gModule: got 3 inputs instead of 2 \(sizes \{3, 3, 2x2\}\)"):
        g.forward([torch.randn(3), torch.randn(3), torch.randn(2, 2)])
    a = nn.Identity()()
    b, _ = nn.Tanh()(a), nn.Sigmoid()(a)  # the Sigmoid is a dangling consumer
    with pytest.raises(ValueError, match="does not connect to the gModule's outputs"):
        nn.gModule([a], [b])
    c, d = nn.Identity()(), nn.Identity()()
    with pytest.raises(ValueError, match="has no input and is not one of the gModule's inputs"):
        nn.gModule([c], [nn.CAddTable()([c, d])])
    with pytest.raises(TypeError, match=r"outputs\[0\] is torch.DoubleTensor"):
        nn.gModule([c], [torch.ones(1)])


# ---- module methods ---------------------------------------------------------------------------------------------

def test_type_clear_state_training_replace_clone_map():
    torch.manualSeed(2)
    x = nn.Identity()()
    drop = nn.Dropout(0.5)
    g = nn.gModule([x], [nn.Linear(3, 2)(drop(x))])
    t = torch.randn(4, 3)
    g.evaluate()
    assert drop.train is False and g.train is False
    ref = _np(g.forward(t))
    g.float()
    assert g.type() == "torch.FloatTensor" and g.modules[-1].weight.type() == "torch.FloatTensor"
    out = g.forward(t.float())
    np.testing.assert_allclose(_np(out), ref, rtol=1e-5)
    assert all(v.type() == "torch.FloatTensor" for n in g.forwardnodes for v in (n.data.get("input") or [])
               if torch.isTensor(v))
    g.double()
    ref = _np(g.forward(t))  # the weights went through float32
    assert g.clearState() is g and all("input" not in n.data for n in g.forwardnodes)
    c = g.clone()
    assert c.modules[-1] is not g.modules[-1] and c.forwardnodes[-2].data["module"] is c.modules[-1]
    np.testing.assert_allclose(_np(c.forward(t)), ref, rtol=1e-12)
    seen = []
    g.map(c, lambda a, b: seen.append((type(a), type(b))))
    assert seen == [(nn.Identity, nn.Identity), (nn.Dropout, nn.Dropout), (nn.Linear, nn.Linear)]
    g.replace(lambda m: nn.Identity() if isinstance(m, nn.Dropout) else m)
    assert not any(isinstance(m, nn.Dropout) for m in g.modules)
    assert not any(isinstance(n.data.get("module"), nn.Dropout) for n in g.forwardnodes)
    np.testing.assert_allclose(_np(g.forward(t)), ref, rtol=1e-12)


def test_nest_and_verbose(capsys):
    a, b, c = nn.Identity()(), nn.Identity()(), nn.Identity()()
    g = nn.gModule([a, b, c], [nngraph.nest([a, [b, c]])])
    ta, tb, tc = torch.ones(1), torch.ones(2), torch.ones(3)
    out = g.forward([ta, tb, tc])
    assert out[0] is ta and out[1][0] is tb and out[1][1] is tc and nngraph.nest(a) is a
    with pytest.raises(TypeError, match="nngraph.nest"):
        nngraph.nest([])
    g.verbose = True
    g.forward([ta, tb, tc])
    assert " V : " in capsys.readouterr().out


# ---- drawing and debugging --------------------------------------------------------------------------------------

def _fake_dot(tmp_path, monkeypatch):  # a stand-in for Graphviz's dot program: copies its input to the -o file
    (tmp_path / "bin").mkdir()
    exe = tmp_path / "bin" / "dot"
    exe.write_text('#!/bin/sh\n# dot -Tsvg -o OUT IN\ncp "$4" "$3"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tmp_path / "bin") + os.pathsep + os.environ.get("PATH", ""))


def test_dot_output(tmp_path, monkeypatch):
    x = nn.Identity()()
    h = nn.Linear(3, 2)(x).annotate(name="h", graphAttributes={"color": "blue"})
    g = nn.gModule([x], [h])
    text = nngraph.dot(g.fg, "my net", str(tmp_path / "net"))
    lines = (tmp_path / "net.dot").read_text().splitlines()
    assert lines[:4] == ["digraph G {", 'labelloc="t";', 'label="my net";', "node [shape = oval]; "]
    assert any(ln.startswith("n") and '[label="h (' in ln and "color=blue" in ln for ln in lines)
    assert sum(re.fullmatch(r"n\d+ -> n\d+;", ln) is not None for ln in lines) == len(g.fg.edges) == 3
    assert nngraph.dot(g, "my net") == g.fg.todot("my net") == text  # a gModule draws its forward graph
    _fake_dot(tmp_path, monkeypatch)
    nngraph.graph.dot(g.bg, "bg", str(tmp_path / "bg"))
    assert (tmp_path / "bg.svg").read_text() == (tmp_path / "bg.dot").read_text()


def test_set_debug_draws_the_failing_node(tmp_path, monkeypatch):
    _fake_dot(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Tanh()(nn.Linear(5, 2)(x))])
    nngraph.setDebug(True)
    try:
        with pytest.raises(Exception, match="In node"):
            g.forward(torch.randn(3))
        with pytest.raises(Exception, match="In node"):
            g.forward(torch.randn(4))
    finally:
        nngraph.setDebug(False)
    dots = sorted(p.name for p in tmp_path.glob("nngraph_1in_1out*.dot"))
    assert dots[0] == "nngraph_1in_1out.dot" and len(dots) == 2  # the second error does not overwrite the first
    assert len(list(tmp_path.glob("nngraph_1in_1out*.svg"))) == 2
    text = (tmp_path / "nngraph_1in_1out.dot").read_text()
    failed = next(n for n in g.fg.nodes if isinstance(n.data.get("module"), nn.Linear))
    assert f"n{g.fg.nodes.index(failed) + 1}[style=filled, fillcolor=red];" in text
    with pytest.raises(Exception, match="In node"):
        g.forward(torch.randn(3))
    assert len(list(tmp_path.glob("nngraph_*"))) == 4  # debug off: nothing written


def test_lua_minus_sugar():
    x, y = -nn.Identity(), -nn.Identity()  # Lua: -nn.Identity()
    h = ([x, y] - nn.CAddTable()) - nn.Tanh()  # Lua: {x, y} - nn.CAddTable() - nn.Tanh()
    g = nn.gModule([x, y], [h])
    a, b = torch.randn(3), torch.randn(3)
    assert np.allclose(g.forward([a, b]).numpy(), np.tanh(a.numpy() + b.numpy()))
    with pytest.raises(TypeError):
        [1, 2] - nn.Tanh()  # a list without nodes is not graph sugar


def test_wrong_kind_of_input_names_the_node_and_the_module():
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Tanh()(nn.Linear(3, 4)(x).annotate(name="hidden"))])
    with pytest.raises(TypeError, match=r"^In node 'hidden' \(nn.Linear\(3 -> 4\)\) of nn.gModule: nn.Linear: wrong "
                                        r"kind of argument: input a table of 2 \(a torch.DoubleTensor of size 2x3"):
        g.forward([torch.Tensor(2, 3), torch.Tensor(2, 3)])
    with pytest.raises(TypeError, match=r"^In node 'hidden' .* nn.Linear: wrong kind of argument: input int 3"):
        g.forward(3)
