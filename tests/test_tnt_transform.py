"""tnt.transform and tnt.utils (table, nn, sys), against hand-computed values and NumPy formulas."""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pytest

import torch7 as torch
from torch7 import nn, tnt

T = tnt.transform
U = tnt.utils


# ---- tnt.transform --------------------------------------------------------------------------------


def test_identity():
    s = {"input": torch.Tensor([1])}
    assert T.identity(s) is s
    assert T.identity(1, "a") == (1, "a") and T.identity() is None


def test_compose_list_and_dict():
    f = T.compose([lambda x: 2 * x, lambda x: x + 10])
    assert f(3) == 16
    # a dict contributes its entries at 0, 1, ... up to the first gap ("foo" and 3 are ignored)
    f = T.compose({0: lambda x: 2 * x, 1: lambda x: x + 10, "foo": lambda x: x / 2, 3: lambda x: x - x})
    assert f(3) == 16
    assert T.compose(transforms=[])(5) == 5
    with pytest.raises(TypeError, match=r"transforms\[1\] must be a function"):
        T.compose([abs, 3])


def test_merge():
    f = T.merge({"a": lambda x: 2 * x, "b": lambda x: x + 10, "foo": lambda x: x / 2})
    assert f(3) == {"a": 6, "b": 13, "foo": 1.5}
    assert T.merge([lambda x: 2 * x, lambda x: -x])(3) == [6, -3]
    x = torch.Tensor([[1, 2], [3, 4]])
    m = T.merge(transforms=[lambda t: t * 2, lambda t: t.t()])(x)
    np.testing.assert_array_equal(m.numpy(), [[[2, 4], [6, 8]], [[1, 3], [2, 4]]])
    with pytest.raises(TypeError, match=r"transforms\['b'\] must be a function"):
        T.merge({"a": abs, "b": None})


def test_tablenew_and_tableapply():
    src = {1: 1, 2: 2, "foo": 3}
    cp = T.tablenew()(src)
    assert cp == src and cp is not src
    assert T.tablenew()([1, 2]) == [1, 2]
    assert T.tableapply(lambda x: 2 * x)({0: 1, 1: 2, "foo": 3, 3: 4}) == {0: 2, 1: 4, "foo": 6, 3: 8}
    assert T.tableapply({"transform": lambda x: x + 1})([1, 2]) == [2, 3]
    with pytest.raises(TypeError, match="transform must be a function"):
        T.tableapply(4)


def test_tablemergekeys():
    f = T.tablemergekeys()
    x = {"sample1": {"input": 1, "target": "a"}, "sample2": {"input": 2, "target": "b", "flag": "hard"}}
    assert f(x) == {"input": {"sample1": 1, "sample2": 2}, "target": {"sample1": "a", "sample2": "b"},
                    "flag": {"sample2": "hard"}}
    assert f([{"a": 1}, {"b": 2}, {"a": 3}]) == {"a": [1, None, 3], "b": [None, 2, None]}
    with pytest.raises(TypeError, match="sample 1 must be a dict, got int"):
        f([{"a": 1}, 2])
    with pytest.raises(TypeError, match="list or dict of samples expected"):
        f(3)


@pytest.mark.parametrize("typename", ["torch.DoubleTensor", "torch.FloatTensor", "torch.LongTensor"])
@pytest.mark.parametrize("shape", [(3,), (2, 3), (1, 2, 2)])
def test_makebatch_stacks_tensors_along_a_new_first_dimension(typename, shape):
    rng = np.random.default_rng(0)
    arrays = [rng.integers(-5, 5, size=shape) for _ in range(4)]
    samples = [{"input": torch.from_numpy(a).type(typename), "target": k} for k, a in enumerate(arrays)]
    b = T.makebatch()(samples)
    assert b["input"].type() == typename
    np.testing.assert_array_equal(b["input"].numpy(), np.stack(arrays))
    assert b["target"] == [0, 1, 2, 3]  # numbers stay a list, as in torchnet


def test_makebatch_mixed_fields():
    samples = [{"x": torch.Tensor(2, 2).fill(1), "y": torch.Tensor(4).fill(2)},
               {"x": torch.Tensor(4).fill(3), "y": torch.Tensor(3).fill(4)}]
    b = T.makebatch()(samples)
    # equal element counts merge (shaped like the first); unequal ones stay a list
    np.testing.assert_array_equal(b["x"].numpy(), [[[1, 1], [1, 1]], [[3, 3], [3, 3]]])
    assert isinstance(b["y"], list) and [t.nElement() for t in b["y"]] == [4, 3]
    assert T.makebatch()([]) == {}


def test_makebatch_numbers_into_a_tensor_with_merge():
    merge = T.tableapply(lambda f: torch.Tensor(f) if isinstance(f[0], (int, float)) else f)
    b = T.makebatch(merge)([{"target": 1}, {"target": 2.5}])
    assert torch.typename(b["target"]) == "torch.DoubleTensor" and b["target"].totable() == [1.0, 2.5]
    b = T.makebatch({"merge": lambda fields: sorted(fields)})([{"b": 1, "a": 2}])
    assert b == ["a", "b"]
    with pytest.raises(TypeError, match="a list of samples expected, got int"):
        T.makebatch()(3)
    with pytest.raises(TypeError, match="merge must be a function"):
        T.makebatch(5)


def test_randperm():
    torch.manualSeed(9)
    expected = torch.randperm(6).totable()
    torch.manualSeed(9)
    p = T.randperm(6)
    got = [p(i) for i in range(6)]
    assert got == expected and sorted(got) == list(range(6))
    assert all(isinstance(v, int) for v in got)
    with pytest.raises(ValueError, match="positive integer"):
        T.randperm(0)


def test_normalize():
    a = np.array([1.0, 4.0, 2.0, 9.0])
    z = torch.from_numpy(a.copy())
    out = T.normalize()(z)
    assert out is z  # in place
    np.testing.assert_allclose(z.numpy(), (a - a.mean()) / a.std(ddof=1), rtol=1e-12)
    z = torch.from_numpy(a.copy())
    T.normalize(threshold=10.0)(z)  # std 3.56 <= 10: centred only
    np.testing.assert_allclose(z.numpy(), a - a.mean(), rtol=1e-12)
    z = torch.Tensor([5, 5, 5])
    assert T.normalize()(z).totable() == [0.0, 0.0, 0.0]  # std 0: no division
    with pytest.raises(TypeError, match="a tensor expected"):
        T.normalize()([1, 2])


# ---- tnt.utils.table ------------------------------------------------------------------------------


def test_table_clone_is_deep_and_keeps_sharing():
    t = torch.Tensor([1, 2, 3])
    src = {"t": t, "view": t.narrow(0, 1, 2), "l": [1, {"a": 2}]}
    c = U.table.clone(src)
    c["t"].fill(0)
    c["l"][1]["a"] = 5
    assert t.totable() == [1, 2, 3] and src["l"][1]["a"] == 2
    assert c["view"].totable() == [0, 0]  # the clone's view still views the clone's storage


def test_table_copy_and_merge():
    inner = [1]
    d = {"a": inner}
    c = U.table.copy(d)
    assert c == d and c is not d and c["a"] is inner
    dst = {"a": 1, "b": 2}
    assert U.table.merge(dst, {"b": 3, "c": 4}) is dst and dst == {"a": 1, "b": 3, "c": 4}
    assert U.table.merge([1, 2], [7, 8, 9]) == [7, 8, 9]
    with pytest.raises(TypeError, match="two dicts or two lists"):
        U.table.merge({"a": 1}, [1])
    with pytest.raises(TypeError, match="dict or list expected"):
        U.table.copy(3)


def test_table_foreach():
    tbl = {"a": 1, "b": [2, 3], "c": {"d": 4}}
    assert U.table.foreach([1, [2]], lambda v: v * 2) == [2, [2, 2]]  # not recursive: the list is doubled
    flat = U.table.foreach(tbl, lambda v: type(v).__name__)
    assert flat == {"a": "int", "b": "list", "c": "dict"}
    assert U.table.foreach(tbl, lambda v: v * 2, True) == {"a": 2, "b": [4, 6], "c": {"d": 8}}
    assert U.table.foreach(tbl, lambda v: -v, recursive=True)["c"] == {"d": -4}


@pytest.mark.parametrize("tbl, ok", [
    ([torch.Tensor(2, 3), torch.Tensor(6), torch.Tensor(3, 2)], True),
    ([torch.Tensor(2), torch.Tensor(3)], False),
    ([torch.Tensor(2), 5], False),
    ([1, 2], False),
    ([], False),
    (torch.Tensor(3), False),
    ({"a": torch.Tensor(2)}, False),
    ([np.zeros(4), np.ones((2, 2))], True),
    ([np.zeros(4), torch.Tensor(4)], False),
])
def test_table_canmergetensor(tbl, ok):
    assert U.table.canmergetensor(tbl) is ok


def test_table_mergetensor():
    a = torch.IntTensor([[1, 2, 3]])
    b = torch.IntTensor([4, 5, 6])
    m = U.table.mergetensor([a, b])
    assert m.type() == "torch.IntTensor" and tuple(m.size()) == (2, 1, 3)
    np.testing.assert_array_equal(m.numpy(), [[[1, 2, 3]], [[4, 5, 6]]])
    m = U.table.mergetensor([np.arange(4.0), np.arange(4.0).reshape(2, 2) + 10])
    assert m.type() == "torch.DoubleTensor"
    np.testing.assert_array_equal(m.numpy(), [[0, 1, 2, 3], [10, 11, 12, 13]])
    with pytest.raises(ValueError, match=r"equal numbers of elements expected, got \[2, 3\]"):
        U.table.mergetensor([torch.Tensor(2), torch.Tensor(3)])
    with pytest.raises(ValueError, match="non-empty"):
        U.table.mergetensor([])


# ---- tnt.utils.nn ---------------------------------------------------------------------------------


def conv_out(w, k, d=1, p=0):
    return (w + 2 * p - k) // d + 1


SPECS = [{"kw": 5, "dw": 1, "pw": 2}, {"kw": 3, "dw": 2}, {"kw": 4, "dw": 2, "pw": 1}, {"kw": 3}]


@pytest.mark.parametrize("width", [16, 33, 64])
def test_inferoutputsize_specs(width):
    expected = width
    for s in SPECS:
        expected = conv_out(expected, s["kw"], s.get("dw", 1), s.get("pw", 0))
    assert U.nn.inferoutputsize(SPECS, width) == (expected, 4)


@pytest.mark.parametrize("out", [1, 2, 5])
def test_inferinputsize_is_the_smallest_input(out):
    w, stride = U.nn.inferinputsize(SPECS, out)
    assert stride == 4
    assert U.nn.inferoutputsize(SPECS, w)[0] == out
    assert U.nn.inferoutputsize(SPECS, w - 1)[0] == out - 1
    assert U.nn.inferinputsize(SPECS + [{"name": "relu"}], out) == (w, stride)  # dicts without kw are skipped


def test_infer_from_an_nn_module_matches_forward():
    net = nn.Sequential()
    net.add(nn.SpatialConvolution(1, 2, 5, 3, 2, 1, 1, 1)).add(nn.ReLU())
    net.add(nn.Sequential().add(nn.SpatialMaxPooling(3, 2, 2, 2)))
    net.add(nn.SpatialConvolution(2, 2, 3, 3))
    win, stride = U.nn.inferinputsize(net, 2)
    assert stride == 4
    y = net.forward(torch.Tensor(1, 16, win).zero())
    assert y.size(2) == 2
    for w in (win, win + 7):
        wout, _ = U.nn.inferoutputsize(net, w)
        assert net.forward(torch.Tensor(1, 16, w).zero()).size(2) == wout


def test_infer_dilated_and_temporal_layers():
    m = nn.SpatialDilatedConvolution(1, 1, 3, 3, 1, 1, 0, 0, 2, 2)
    assert U.nn.inferoutputsize(m, 10)[0] == m.forward(torch.Tensor(1, 10, 10).zero()).size(2) == 6
    t = nn.TemporalConvolution(4, 2, 3, 2)
    assert U.nn.inferoutputsize(t, 11) == (t.forward(torch.Tensor(11, 4).zero()).size(0), 2) == (5, 2)


def test_infer_errors_and_verbose(capsys):
    with pytest.raises(ValueError, match="spec 1 has no kernel width"):
        U.nn.inferoutputsize([{"kw": 3}, {"dw": 2}], 10)
    with pytest.raises(TypeError, match="list of"):
        U.nn.inferoutputsize(5, 10)
    with pytest.raises(NotImplementedError, match="ceil mode"):
        U.nn.inferoutputsize(nn.SpatialMaxPooling(2, 2, 2, 2).ceil(), 10)
    with pytest.raises(NotImplementedError, match="transposed"):
        U.nn.inferinputsize(nn.SpatialFullConvolution(1, 1, 3, 3), 10)
    assert U.nn.inferoutputsize([{"kw": 3}, {"kw": 2, "dw": 2}], 10, True) == (4, 2)
    assert capsys.readouterr().out == "|| layer 0: size=8 stride=1\n|| layer 1: size=4 stride=2\n"
    assert U.nn.inferinputsize([{"kw": 3}, {"kw": 2, "dw": 2}], 4, verbose=True) == (10, 2)
    assert capsys.readouterr().out == "|| layer 1: size=8 stride=2\n|| layer 0: size=10 stride=2\n"


# ---- tnt.utils.sys --------------------------------------------------------------------------------


def test_md5():
    obj = {"lr": 0.1, "sizes": [1, 2]}
    h = U.sys.md5(obj)
    assert h == hashlib.md5(torch.serialize(obj)).hexdigest() and len(h) == 32
    assert U.sys.md5(torch.Tensor([1, 2])) == U.sys.md5(torch.Tensor([1, 2]))
    assert U.sys.md5(torch.Tensor([1, 2])) != U.sys.md5(torch.Tensor([1, 3]))
    assert U.sys.md5("abc") != U.sys.md5("abd")


def test_mkdir(tmp_path):
    p = tmp_path / "a" / "b" / "c"
    U.sys.mkdir(str(p))
    assert p.is_dir()
    U.sys.mkdir(p)  # already there: fine
    (tmp_path / "f").write_text("x")
    with pytest.raises(OSError, match="could not create directory"):
        U.sys.mkdir(tmp_path / "f" / "g")


def test_cmdline():
    env = {"lr": 1.0, "name": "x"}
    out = U.sys.cmdline(["lr = 0.5", "bsz = 2 ** 5", "name = name + str(bsz)", "s = math.sqrt(16)",
                         "t = torch.Tensor(2).fill(lr).sum()"], env)
    assert out is env
    assert env == {"lr": 0.5, "name": "x32", "bsz": 32, "s": 4.0, "t": 1.0}
    with pytest.raises(SyntaxError, match="compilation error"):
        U.sys.cmdline(["lr = = 1"], {})
    with pytest.raises(NameError):
        U.sys.cmdline(["x = undefined_name"], {})
    with pytest.raises(TypeError, match="env must be a dict"):
        U.sys.cmdline(["x = 1"], None)


def test_loadlist(tmp_path):
    p = tmp_path / "l.txt"
    p.write_text("cat\ndog\nemu\n")
    assert U.sys.loadlist(p) == ["cat", "dog", "emu"]
    assert U.sys.loadlist(str(p), maxload=2) == ["cat", "dog"]
    assert U.sys.loadlist(p, True) == {0: "cat", 1: "dog", 2: "emu", "cat": 0, "dog": 1, "emu": 2}


def test_listimgfiles(tmp_path, capsys):
    for rel in ["b.jpg", "a.PNG", "notes.txt", "sub/c.jpeg", "sub/deeper/d.png", "sub/x.gif", "trailing."]:
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("")
    base = str(tmp_path)
    got = U.sys.listimgfiles(base)
    assert got == [f"{base}/a.PNG", f"{base}/b.jpg", f"{base}/sub/c.jpeg", f"{base}/sub/deeper/d.png"]
    out = capsys.readouterr().out
    assert f"ignoring <{base}/notes.txt>" in out and f"ignoring <{base}/sub/x.gif>" in out
    assert "trailing" not in out
    lst = ["first"]
    assert U.sys.listimgfiles(os.path.join(base, "sub", "deeper"), lst) is lst
    assert lst == ["first", f"{base}/sub/deeper/d.png"]


def test_utils_namespaces():
    assert repr(U.table) == "tnt.utils.table" and repr(U.nn) == "tnt.utils.nn" and repr(U.sys) == "tnt.utils.sys"
    assert tnt.utils.table.merge is U.table.merge and callable(tnt.utils.sys.md5)
