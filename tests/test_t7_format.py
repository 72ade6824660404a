"""The .t7 format core: every type both ways (binary and ascii), references, byte-exact Lua files."""

import io
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

import torch7 as torch
from torch7._core import backend
from torch7.serialization import LuaFunction, SerializationError, TableKey, TorchObject, inspect
from torch7.serialization.api import load as raw_load

DATA = os.path.join(os.path.dirname(__file__), "data", "t7")
FORMATS = ["binary", "ascii"]


def fx(name):
    return os.path.join(DATA, name)


def rt(obj, fmt="binary"):
    return torch.deserialize(torch.serialize(obj, fmt), fmt)


# ---- byte-exact examples of reference §3.7 ---------------------------------------------------------------

def test_hello_byte_exact():
    b = torch.serialize({"hello": 123})
    assert len(b) == 37
    assert b == open(fx("hello=123.t7"), "rb").read()
    assert b == (struct.pack("<iii", 3, 1, 1) + struct.pack("<ii", 2, 5) + b"hello"
                 + struct.pack("<i", 1) + struct.pack("<d", 123.0))


def test_hello_ascii_bytes():
    assert torch.serialize({"hello": 123}, "ascii") == b"3\n1\n1\n2\n5\nhello\n1\n123\n"


def test_doubletensor_byte_exact():
    raw = open(fx("doubletensor.t7"), "rb").read()
    t = torch.load(fx("doubletensor.t7"))
    assert t.type() == "torch.DoubleTensor" and t.tolist() == [[1, 2, 3], [4, 5, 6.9]]
    assert torch.serialize(t) == raw
    assert torch.deserialize(raw).tolist() == t.tolist()


@pytest.mark.parametrize("name", ["hello=123.t7", "doubletensor.t7", "floattensor.t7", "list_table.t7",
                                  "map_table1.t7", "map_table2.t7", "recursive_kv_table.t7", "recursive_class.t7",
                                  "custom_class.t7", "function.t7", "function_upvals.t7", "tds_hash.t7",
                                  "tds_vec.t7", "cpp_x.t7"])
def test_lua_fixtures_rewrite_byte_exact(name):
    raw = open(fx(name), "rb").read()
    assert torch.serialize(raw_load(fx(name), _raw=True)) == raw


def test_ascii_fixture_rewrite_byte_exact():
    raw = open(fx("net_reshape_input.txt"), "rb").read()
    t = torch.load(fx("net_reshape_input.txt"), "ascii")
    assert t.type() == "torch.DoubleTensor" and tuple(t.size()) == (2, 3, 4, 5)
    assert torch.serialize(t, "ascii") == raw


# ---- python-torchfile fixtures: expected values ------------------------------------------------------------

def test_fixture_values():
    assert torch.load(fx("hello=123.t7")) == {"hello": 123}
    f = torch.load(fx("floattensor.t7"))
    assert f.type() == "torch.FloatTensor" and tuple(f.size()) == (2, 3, 4)
    assert abs(f.sum() - 12.97241666913) < 1e-5
    assert torch.load(fx("list_table.t7")) == ["hello", "world", "third item", 123]
    assert torch.load(fx("map_table1.t7")) == {0: "zero", 1: "hello", 2: "world", 3: "third item", 4: 123}
    assert torch.load(fx("map_table2.t7")) == {1: "hello", 2: "world", 3: "third item", 4: 123,
                                               "a": "non number key"}
    t = torch.load(fx("recursive_kv_table.t7"))
    (k, v), = t.items()
    assert isinstance(k, TableKey) and k.value is t and v is t
    a = torch.load(fx("recursive_class.t7"))
    assert isinstance(a, TorchObject) and a.typename == "A" and a.version == 1 and a.a is a
    b = torch.load(fx("custom_class.t7"))
    assert isinstance(b, TorchObject) and b.typename == "Blah" and len(b.fields) == 0
    h = torch.load(fx("tds_hash.t7"))
    assert h.typename == "tds.Hash" and h.fields == {1: 2, 2: 3, 10: 11}
    v = torch.load(fx("tds_vec.t7"))
    assert v.typename == "tds.Vec" and v.fields == [123, 456]


def test_functions():
    f = torch.load(fx("function.t7"))
    assert isinstance(f, LuaFunction) and f.kind == 8 and f.bytecode.startswith(b"\x1bLJ")
    assert len(f.bytecode) == 218
    with pytest.raises(TypeError):
        f()
    g = torch.load(fx("function_upvals.t7"))
    assert g.upvalues == [{"name": "asdf", "value": 123}]
    for name in ("function.t7", "function_upvals.t7"):
        with pytest.raises(SerializationError, match="strict"):
            torch.load(fx(name), strict=True)


def test_strict_unknown_class():
    with pytest.raises(SerializationError, match="unknown Torch class <Blah>"):
        torch.load(fx("custom_class.t7"), strict=True)
    assert torch.load(fx("hello=123.t7"), strict=True) == {"hello": 123}


# ---- every type, both formats -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_scalars_and_strings(fmt):
    for v in (None, True, False, 0, 1, -7, 2**53, 1.5, -0.25, 1e300, float("inf"), float("-inf"), "hello",
              "", "héllo ✓", b"\xff\x00raw", [], [1, 2, 3], {"a": 1, 2: "b", 2.5: None}, {"x": {"y": {"z": []}}}):
        assert rt(v, fmt) == v, v
    assert np.isnan(rt(float("nan"), fmt))
    assert type(rt(3.0, fmt)) is int and type(rt(2.0**60, fmt)) is float and type(rt(0.5, fmt)) is float
    assert rt((1, "a"), fmt) == [1, "a"]
    assert rt(np.float32(0.5), fmt) == 0.5 and rt(np.int64(4), fmt) == 4 and rt(np.bool_(True), fmt) is True
    assert rt("a\nb c", fmt) == "a\nb c"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("typename", ["Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half"])
def test_tensors_and_storages(fmt, typename):
    cls = getattr(torch, typename + "Tensor")
    vals = np.arange(24).reshape(2, 3, 4) - 5 if typename != "Byte" else np.arange(24).reshape(2, 3, 4) * 10
    t = cls(vals)
    t2 = rt(t, fmt)
    assert type(t2) is cls and tuple(t2.size()) == (2, 3, 4) and (t2._a == t._a).all()
    v = t.transpose(0, 2).narrow(1, 1, 2)  # a non-contiguous view with an offset
    v2 = rt(v, fmt)
    assert tuple(v2.stride()) == tuple(v.stride()) and v2.storageOffset() == v.storageOffset()
    assert (v2._a == v._a).all() and v2.storage().size() == t.storage().size()
    s = t.storage()
    s2 = rt(s, fmt)
    assert type(s2) is type(s) and s2.tolist() == s.tolist()
    e = rt(cls(), fmt)
    assert type(e) is cls and e.nDimension() == 0
    assert rt(cls(0), fmt).nDimension() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_float_values_exact(fmt):
    x = torch.FloatTensor(1000).normal()
    d = torch.DoubleTensor(1000).normal()
    h = torch.FloatTensor(100).uniform(-3, 3).half()
    for t in (x, d, h):
        assert (rt(t, fmt)._a == t._a).all()
    sp = torch.DoubleTensor([float("inf"), -float("inf"), 1e-310, -0.0])
    assert rt(sp, fmt).tolist() == sp.tolist()
    assert np.isnan(rt(torch.FloatTensor([float("nan")]), fmt)._a).all()


@pytest.mark.parametrize("fmt", FORMATS)
def test_shared_references(fmt):
    t = torch.FloatTensor(4, 5).uniform()
    v = t.narrow(0, 1, 2)
    lst = [1, 2]
    obj = {"t": t, "t_again": t, "view": v, "lst": lst, "lst2": lst, "nested": {"l": lst}}
    r = rt(obj, fmt)
    assert r["t"] is r["t_again"] and r["lst"] is r["lst2"] is r["nested"]["l"]
    assert r["view"].storage() is r["t"].storage()
    r["t"].fill(7)
    assert r["view"].sum() == 70
    # views over the whole storage (read as reshapes of it), in several shapes, after the storage was read
    whole = [t, t.view(20), t.view(2, 10), t.view(2, 2, 5), t.view(1, 1, 2, 2, 5)]
    r = rt(whole, fmt)
    assert all(x.storage() is r[0].storage() for x in r)
    assert [x.size() for x in r] == [x.size() for x in whole] and [x.stride() for x in r] == [x.stride() for x in whole]
    assert [x.tolist() for x in r] == [x.tolist() for x in whole]
    r[1].fill(2)
    assert r[4].sum() == 40
    ob = TorchObject("my.Thing", 3, {"w": t})
    r = rt([ob, ob], fmt)
    assert r[0] is r[1] and r[0].typename == "my.Thing" and r[0].version == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_cycles(fmt):
    d = {}
    d["self"] = d
    r = rt(d, fmt)
    assert r["self"] is r
    lst = [1]
    lst.append(lst)
    r = rt(lst, fmt)
    assert isinstance(r, list) and r[1] is r
    outer = {"inner": [0]}
    outer["inner"].append(outer)
    r = rt(outer, fmt)
    assert r["inner"][1] is r
    key = {}
    key[TableKey(key)] = key
    r = rt(key, fmt)
    (k, v), = r.items()
    assert k.value is r and v is r
    o = TorchObject("A", 1, {})
    o.fields["a"] = o
    r = rt(o, fmt)
    assert r.a is r


@pytest.mark.parametrize("fmt", FORMATS)
def test_generator(fmt):
    g = torch.Generator()
    torch.manualSeed(g, 123)
    torch.uniform(g)
    g2 = rt(g, fmt)
    assert type(g2) is type(g)
    assert [torch.random(g) for _ in range(5)] == [torch.random(g2) for _ in range(5)]
    assert len(torch.serialize(g)) == 4 + 4 + 4 + 3 + 4 + len("torch.Generator") + 5048


@pytest.mark.parametrize("fmt", FORMATS)
def test_lua_objects_round_trip(fmt):
    for name in ("function_upvals.t7", "recursive_class.t7", "tds_hash.t7", "tds_vec.t7"):
        o = torch.load(fx(name))
        assert torch.serialize(rt(o, fmt)) == open(fx(name), "rb").read()


@pytest.mark.skipif(backend.is_available(), reason="the refusal without a GPU (test_cuda_tensor covers the GPU)")
def test_cuda_types_load_as_cpu():
    raw = open(fx("doubletensor.t7"), "rb").read()
    raw = raw.replace(b"\x12\x00\x00\x00torch.DoubleTensor", b"\x16\x00\x00\x00torch.CudaDoubleTensor")
    raw = raw.replace(b"\x13\x00\x00\x00torch.DoubleStorage", b"\x17\x00\x00\x00torch.CudaDoubleStorage")
    with pytest.warns(UserWarning, match="CPU"):
        t = torch.deserialize(raw)
    assert t.type() == "torch.DoubleTensor" and t.tolist() == [[1, 2, 3], [4, 5, 6.9]]
    with pytest.raises(torch.CudaUnavailableError, match=r"torch.load\(map_location='cuda'\): CUDA is not available"):
        torch.load(io.BytesIO(raw), map_location="cuda")
    with pytest.raises(ValueError, match="map_location must be None, 'cpu' or 'cuda'"):
        torch.load(io.BytesIO(raw), map_location="tpu")


def test_b32_long_size():
    raw = open(fx("doubletensor.t7"), "rb").read()
    t = torch.load(fx("doubletensor.t7"))
    buf = io.BytesIO()
    torch.save(buf, t, "b32")
    b32 = buf.getvalue()
    assert len(b32) == len(raw) - 4 * (2 + 2 + 1 + 1)
    assert b32[37:49] == struct.pack("<iii", 2, 2, 3)  # nDim, then 4-byte sizes
    assert torch.load(io.BytesIO(b32), "b32").tolist() == t.tolist()
    assert torch.load(io.BytesIO(b32), longSize=4).tolist() == t.tolist()
    assert torch.load(io.BytesIO(raw), "b64").tolist() == t.tolist()


def test_save_load_paths_and_files(tmp_path):
    p = tmp_path / "a.t7"
    torch.save(str(p), {"x": torch.Tensor([1, 2])})
    assert torch.load(p)["x"].tolist() == [1.0, 2.0]
    torch.save(p, [1], "ascii")
    assert torch.load(str(p), "ascii") == [1]
    with open(p, "wb") as f:  # several objects in one open file, like a Lua File
        torch.save(f, "one")
        torch.save(f, "two")
    with open(p, "rb") as f:
        assert torch.load(f) == "one" and torch.load(f) == "two"
    assert sorted(os.listdir(tmp_path)) == ["a.t7"]  # no temporary files left
    with pytest.raises(ValueError, match="format"):
        torch.save(p, 1, "yaml")


def test_unwritable_object_message():
    with pytest.raises(SerializationError, match=r"cannot write object of type .*object at a\.b\.2"):
        torch.serialize({"a": {"b": [1, object()]}})
    with pytest.raises(SerializationError, match="too large"):
        torch.serialize(10**400)


def test_atomic_save_keeps_previous_file(tmp_path):
    p = tmp_path / "model.t7"
    torch.save(p, {"v": 1})
    before = p.read_bytes()
    big = torch.FloatTensor(100000).fill(1)
    with pytest.raises(SerializationError):
        torch.save(p, [big, big.clone(), object()])
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.t7"]


def test_import_is_lazy():
    code = "import sys, torch7; print('torch7.serialization.reader' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    assert torch.SerializationError is SerializationError and issubclass(SerializationError, ValueError)


def test_inspect_and_cli(tmp_path):
    text = inspect(fx("recursive_class.t7"))
    assert "A (V 1)" in text and "reference to #1" in text
    p = tmp_path / "m.t7"
    torch.save(p, {"model": TorchObject("nn.Linear", 1, {"weight": torch.FloatTensor(2, 3)}), "epoch": 3})
    text = inspect(p)
    assert "nn.Linear (V 1)" in text and "weight: torch.FloatTensor 2x3" in text and "epoch: 3" in text
    out = subprocess.run([sys.executable, "-m", "torch7.serialization", str(p), fx("net_reshape_input.txt")],
                         capture_output=True, text=True, check=True).stdout
    assert "nn.Linear" in out and "torch.DoubleTensor 2x3x4x5" in out


def test_torchfile_reads_our_files(tmp_path):
    tf = pytest.importorskip("torchfile")
    t = torch.FloatTensor(3, 4).uniform()
    obj = {"t": t, "v": t.t(), "l": [1, 2.5, "x", True], "d": torch.DoubleTensor([1, 2]),
           "i": torch.LongTensor([-1, 5]), "o": TorchObject("Blah", 1, {"k": 1})}
    p = tmp_path / "x.t7"
    torch.save(p, obj)
    r = tf.load(str(p))
    np.testing.assert_array_equal(r[b"t"], t.numpy())
    np.testing.assert_array_equal(r[b"v"], t.t().numpy())
    assert r[b"l"] == [1, 2.5, b"x", True]
    assert r[b"i"].tolist() == [-1, 5] and r[b"d"].tolist() == [1.0, 2.0]
    assert r[b"o"][b"k"] == 1
    # torchfile has no ascii reader: ascii output is checked against Lua's own files above.


def test_shared_converted_tensors_and_children_first():
    """What OpenCV's importer relies on: a max pooling's indices (converted to 1-based on writing) are one tensor
    shared with its unpooling, and a container's ``modules`` come before fields that refer to its children."""
    from torch7 import nn

    pool = nn.SpatialMaxPooling(2, 2)
    net = nn.Sequential().add(pool).add(nn.SpatialMaxUnpooling(pool))
    net.forward(torch.randn(1, 2, 4, 4))
    for fmt in FORMATS:
        raw = raw_load(io.BytesIO(torch.serialize(net, fmt)), fmt, _raw=True)
        p, u = raw.fields["modules"]
        assert p.fields["indices"] is u.fields["indices"] and u.fields["pooling"] is p
        np.testing.assert_array_equal(p.fields["indices"].numpy(), pool.indices.numpy() + 1)
        back = rt(net, fmt)
        assert back.modules[1].indices is back.modules[0].indices
        inc = nn.Inception(inputSize=2, outputSize=[2], reduceSize=[1], kernelSize=[3], kernelStride=[1])
        fields = raw_load(io.BytesIO(torch.serialize(inc, fmt)), fmt, _raw=True).fields
        assert next(iter(fields)) == "modules" and "pool" in fields


class _Legacy:
    """Builds files by hand in the pre-versioning layout: a class name with no "V n" line before it."""

    def __init__(self, fmt: str) -> None:
        self.ascii = fmt == "ascii"
        self.out = b""
        self.n = 0

    def int(self, v: int) -> None:
        self.out += b"%d\n" % v if self.ascii else struct.pack("<i", v)

    def longs(self, vs) -> None:
        if vs:
            self.out += (b" ".join(b"%d" % v for v in vs) + b"\n") if self.ascii else struct.pack(f"<{len(vs)}q", *vs)

    def string(self, b: bytes) -> None:
        self.int(len(b))
        self.out += b + b"\n" if self.ascii else b

    def number(self, v: float) -> None:
        self.int(1)
        self.out += b"%.17g\n" % v if self.ascii else struct.pack("<d", v)

    def key(self, k: str) -> None:
        self.int(2)
        self.string(k.encode())

    def torch(self, name: str) -> None:
        self.n += 1
        self.int(4)
        self.int(self.n)
        self.string(name.encode())  # the class name directly: no "V n" line

    def table(self, n: int) -> None:
        self.n += 1
        self.int(3)
        self.int(self.n)
        self.int(n)

    def tensor(self, values, sizes) -> None:
        self.torch("torch.DoubleTensor")
        self.int(len(sizes))
        strides = [int(np.prod(sizes[i + 1:])) for i in range(len(sizes))]
        self.longs(list(sizes))
        self.longs(strides)
        self.longs([1])
        self.torch("torch.DoubleStorage")
        self.longs([len(values)])
        if self.ascii:
            self.out += b" ".join(b"%.17g" % v for v in values) + b"\n"
        else:
            self.out += struct.pack(f"<{len(values)}d", *values)

    def module(self, name: str, fields: dict) -> None:
        self.torch(name)
        self.table(len(fields))
        for k, v in fields.items():
            self.key(k)
            v(self) if callable(v) else self.number(v)


@pytest.mark.parametrize("fmt", FORMATS)
def test_legacy_files_without_version_lines(fmt):
    """Files from before Torch7 wrote "V <n>": every class reads with version 0 (old layouts upgraded)."""
    from torch7 import nn

    w = _Legacy(fmt)
    w.table(3)
    w.key("t")
    w.tensor([1, 2, 3, 4, 5, 6.5], (2, 3))
    w.key("obj")
    w.torch("lua.Unknown")
    w.table(1)
    w.key("x")
    w.number(3)
    w.key("net")
    w.module("nn.Sequential", {"modules": lambda w: (w.table(2), w.number(1), w.module("nn.Linear", {
        "weight": lambda w: w.tensor([1, 0, 2, 0, 1, -1], (2, 3)),
        "bias": lambda w: w.tensor([0.5, -0.5], (2,))}), w.number(2), w.module("nn.BatchNormalization", {
            "running_mean": lambda w: w.tensor([1, 2], (2,)),
            "running_std": lambda w: w.tensor([2, 0.5], (2,)),  # BN before version 2: 1/sqrt(var + eps)
            "eps": 1e-5, "momentum": 0.1, "train": lambda w: (w.int(5), w.int(0))}))})
    got = torch.load(io.BytesIO(w.out), fmt)
    assert got["t"].tolist() == [[1, 2, 3], [4, 5, 6.5]]
    assert isinstance(got["obj"], TorchObject) and got["obj"].typename == "lua.Unknown"
    assert got["obj"].version == 0 and got["obj"].x == 3
    net = got["net"]
    lin, bn = net.modules
    assert isinstance(lin, nn.Linear) and isinstance(bn, nn.BatchNormalization) and not bn.train
    assert "running_std" not in vars(bn)
    np.testing.assert_allclose(bn.running_var.numpy(), [0.25 - 1e-5, 4 - 1e-5])
    y = net.forward(torch.Tensor([[1, 1, 1]]))  # linear: [3.5, -0.5]; BN: (h - mean) * std
    np.testing.assert_allclose(y.numpy(), [[(3.5 - 1) * 2, (-0.5 - 2) * 0.5]], rtol=1e-9)
    # written back, the file has "V n" lines and reads the same
    again = rt(got, fmt)
    assert again["t"].tolist() == got["t"].tolist() and again["obj"].version == 0
    assert again["net"].forward(torch.Tensor([[1, 1, 1]])).tolist() == y.tolist()
