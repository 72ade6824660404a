"""tnt.IndexedDataset / IndexedDatasetWriter / IndexedDatasetReader (torchnet's test/datasets.lua case, and more)."""

from __future__ import annotations

import os
import pickle
import struct

import numpy as np
import pytest
from helpers import ALL_TYPES, make

import torch7 as torch
from torch7 import tnt

MAGIC = 0x584449544E54
SHORT = {"torch.ByteTensor": "byte", "torch.CharTensor": "char", "torch.ShortTensor": "short",
         "torch.IntTensor": "int", "torch.LongTensor": "long", "torch.FloatTensor": "float",
         "torch.DoubleTensor": "double"}
MODES = [(False, False), (True, False), (False, True), (True, True)]  # (mmap, mmapidx)


def files(d, name):
    return str(d / f"{name}.idx"), str(d / f"{name}.bin")


def longs(*v):
    return struct.pack(f"<{len(v)}q", *v)


def write(d, name, typename, items):
    w = tnt.IndexedDatasetWriter(*files(d, name), typename)
    for x in items:
        w.add(x)
    w.close()
    return files(d, name)


# ---- torchnet's case, 0-based ---------------------------------------------------------------------

@pytest.mark.parametrize("mmap, mmapidx", MODES)
def test_torchnet_indexed_dataset(tmp_path, capsys, mmap, mmapidx):
    w = tnt.IndexedDatasetWriter({"indexfilename": str(tmp_path / "ints.idx"),
                                  "datafilename": str(tmp_path / "ints.bin"), "type": "int"})
    for i in range(1, 11):
        w.add(torch.range(1, i).int())
    w.close()
    write(tmp_path, "tables", "table", [["a", "b", i] for i in range(1, 11)])

    d = tnt.IndexedDataset({"path": str(tmp_path), "fields": ["ints", "tables"], "mmap": mmap, "mmapidx": mmapidx})
    assert f"| IndexedDataset: loaded {tmp_path} with 10 examples" in capsys.readouterr().out
    assert d.size() == 10
    s = d.get(3)
    assert list(s) == ["ints", "tables"]
    assert s["ints"].type() == "torch.IntTensor" and s["ints"].tolist() == [1, 2, 3, 4]
    assert s["tables"] == ["a", "b", 4]

    d = tnt.IndexedDataset(fields=["tables"], path=str(tmp_path), standalone=True, mmap=mmap, mmapidx=mmapidx)
    assert [d.get(i) for i in range(10)] == [["a", "b", i] for i in range(1, 11)]
    d = tnt.IndexedDataset(fields=["ints"], path=str(tmp_path), standalone=True, mmap=mmap, mmapidx=mmapidx)
    assert [d.get(i).tolist() for i in range(10)] == [list(range(1, i + 1)) for i in range(1, 11)]


# ---- round trips -----------------------------------------------------------------------------------

@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("mmap, mmapidx", MODES)
def test_tensor_round_trip(tmp_path, typename, mmap, mmapidx):
    items = [make(typename, (3, 4), seed=1), make(typename, (2, 3, 2), noncontig=True, seed=2),
             torch.tensor_class(typename)(), make(typename, (5,), seed=3), make(typename, (1, 1, 1, 1), seed=4)]
    r = tnt.IndexedDatasetReader(*write(tmp_path, "x", SHORT[typename], items), mmap, mmapidx)
    assert r.size() == len(items) and r.typename == SHORT[typename]
    for i, x in enumerate(items):
        got = r.get(i)
        assert got.type() == typename
        assert tuple(got.size()) == tuple(x.size())
        np.testing.assert_array_equal(got.numpy(), x.numpy())
    got = r.get(0)
    got.fill(0)  # a copy, not a view of the archive
    assert r.get(0).numpy().any()
    with pytest.raises(IndexError, match="index 5 out of range for an archive of 5 items"):
        r.get(5)
    r2 = pickle.loads(pickle.dumps(r))
    np.testing.assert_array_equal(r2.get(3).numpy(), items[3].numpy())


@pytest.mark.parametrize("typename, width", [("byte", 1), ("short", 2), ("int", 4), ("double", 8)])
def test_add_raw_file(tmp_path, typename, width):
    raw = bytes(range(48))
    src = tmp_path / "raw.dat"
    src.write_bytes(raw)
    empty = tmp_path / "empty.dat"
    empty.write_bytes(b"")
    r = tnt.IndexedDatasetReader(*write(tmp_path, "f", typename, [str(src), empty]))
    cls = torch.tensor_class(f"torch.{typename.capitalize()}Tensor")
    got = r.get(0)
    assert got.dim() == 1 and got.size(0) == 48 // width
    np.testing.assert_array_equal(got.numpy(), np.frombuffer(raw, cls._dtype.newbyteorder("<")))
    assert r.get(1).nElement() == 0
    odd = tmp_path / "odd.dat"
    odd.write_bytes(b"12345")
    if width > 1:
        w = tnt.IndexedDatasetWriter(*files(tmp_path, "g"), typename)
        with pytest.raises(ValueError, match=f"has 5 bytes, not a multiple of the {width}-byte"):
            w.add(str(odd))
        w.close()


def test_tables(tmp_path):
    objs = [{"label": 3, "name": "cat", "box": [1.5, 2.5]}, [], ["x", {"nested": [1, 2, 3]}], {"t": True}]
    r = tnt.IndexedDatasetReader(*write(tmp_path, "t", "table", objs))
    assert [r.get(i) for i in range(len(objs))] == objs
    # a 'char' archive stores the same bytes but gives them back undecoded
    rc = tnt.IndexedDatasetReader(*write(tmp_path, "c", "char", objs[:1]))
    got = rc.get(0)
    assert got.type() == "torch.CharTensor"
    assert got.numpy().tobytes() == torch.serialize(objs[0])
    assert torch.deserialize(got.numpy().tobytes()) == objs[0]


def test_writer_type_errors(tmp_path):
    with pytest.raises(ValueError, match="invalid type 'half'"):
        tnt.IndexedDatasetWriter(*files(tmp_path, "a"), "half")
    w = tnt.IndexedDatasetWriter(*files(tmp_path, "a"), "int")
    with pytest.raises(TypeError, match="this int archive takes torch.IntTensor, got torch.FloatTensor"):
        w.add(torch.FloatTensor(3))
    with pytest.raises(TypeError, match="tables can only be added to 'table' or 'char' archives"):
        w.add({"a": 1})
    with pytest.raises(TypeError, match="expected a tensor, a file name or a table, got int"):
        w.add(3)
    w.add(np.arange(4, dtype=np.int32))
    w.close()
    w.close()  # a second close does nothing
    with pytest.raises(ValueError, match="the writer is closed"):
        w.add(torch.IntTensor(2))
    assert tnt.IndexedDatasetReader(*files(tmp_path, "a")).get(0).tolist() == [0, 1, 2, 3]


# ---- the bytes on disk -----------------------------------------------------------------------------

def test_index_and_data_bytes(tmp_path):
    a = torch.IntTensor([[1, 2, 3], [4, 5, 6]])
    b = torch.IntTensor([7, -8, 9, 10])
    idx, bin_ = write(tmp_path, "x", "int", [a, b, torch.IntTensor()])
    expected = (longs(MAGIC, 1, 4, 4, 3, 3)      # magic, version, type code (int), element size, N, S
                + longs(0, 2, 3, 3)                # dimoffsets
                + longs(0, 6, 10, 10)              # datoffsets
                + longs(2, 3, 4))                  # sizes
    data = open(idx, "rb").read()
    assert data == expected
    assert data[:8] == b"TNTIDX\0\0"
    assert open(bin_, "rb").read() == struct.pack("<10i", 1, 2, 3, 4, 5, 6, 7, -8, 9, 10)

    obj = {"k": [1, 2]}
    idx, bin_ = write(tmp_path, "t", "table", [obj])
    blob = torch.serialize(obj)
    assert open(idx, "rb").read() == longs(MAGIC, 1, 8, 1, 1, 1) + longs(0, 1) + longs(0, len(blob)) + longs(len(blob))
    assert open(bin_, "rb").read() == blob


@pytest.mark.parametrize("mmap, mmapidx", MODES)
def test_reads_hand_built_archive(tmp_path, mmap, mmapidx):
    # the bytes a Lua torchnet writer produces for two DoubleTensors, of sizes 2x2 and 3
    (tmp_path / "h.idx").write_bytes(longs(MAGIC, 1, 7, 8, 2, 3) + longs(0, 2, 3) + longs(0, 4, 7) + longs(2, 2, 3))
    (tmp_path / "h.bin").write_bytes(struct.pack("<7d", 0.5, 1.5, 2.5, 3.5, -1, -2, -3))
    d = tnt.IndexedDataset(fields={"h": {"idx": str(tmp_path / "h.idx"), "bin": str(tmp_path / "h.bin")}},
                           mmap=mmap, mmapidx=mmapidx)
    assert d.get(0)["h"].type() == "torch.DoubleTensor"
    assert d.get(0)["h"].tolist() == [[0.5, 1.5], [2.5, 3.5]]
    assert d.get(1)["h"].tolist() == [-1.0, -2.0, -3.0]


# ---- atomic writes, appending ----------------------------------------------------------------------

def test_nothing_visible_before_close(tmp_path):
    old = write(tmp_path, "x", "long", [torch.LongTensor([1, 2])])
    w = tnt.IndexedDatasetWriter(*files(tmp_path, "x"), "long")
    w.add(torch.LongTensor([7, 8, 9]))
    assert tnt.IndexedDatasetReader(*old).get(0).tolist() == [1, 2]  # the old archive is intact meanwhile
    w.close()
    r = tnt.IndexedDatasetReader(*old)
    assert r.size() == 1 and r.get(0).tolist() == [7, 8, 9]
    assert sorted(os.listdir(tmp_path)) == ["x.bin", "x.idx"]  # no temporary file left

    w = tnt.IndexedDatasetWriter(*files(tmp_path, "y"), "long")
    w.add(torch.LongTensor([1]))
    assert not os.path.exists(tmp_path / "y.idx") and not os.path.exists(tmp_path / "y.bin")
    with pytest.warns(ResourceWarning, match="dropped without close"):
        del w
    assert sorted(os.listdir(tmp_path)) == ["x.bin", "x.idx"]


def test_append(tmp_path):
    idx, bin_ = write(tmp_path, "x", "short", [torch.ShortTensor([1, 2]), torch.ShortTensor([[3], [4]])])
    with open(bin_, "ab") as f:
        f.write(b"\x99\x99\x99")  # left by an append that was never closed: not indexed, dropped
    with tnt.IndexedDatasetWriter(idx, bin_) as w:
        assert w.typename == "short" and w.N == 2
        w.add(torch.ShortTensor([5, 6, 7]))
    r = tnt.IndexedDatasetReader(idx, bin_)
    assert [r.get(i).tolist() for i in range(3)] == [[1, 2], [[3], [4]], [5, 6, 7]]
    assert os.path.getsize(bin_) == 7 * 2
    with pytest.raises(FileNotFoundError):
        tnt.IndexedDatasetWriter(*files(tmp_path, "missing"))


# ---- truncated and hostile files -------------------------------------------------------------------

GOOD_IDX = longs(MAGIC, 1, 4, 4, 2, 2) + longs(0, 1, 2) + longs(0, 3, 5) + longs(3, 2)
GOOD_BIN = struct.pack("<5i", 1, 2, 3, 4, 5)


def patch(i, v):
    return GOOD_IDX[:8 * i] + longs(v) + GOOD_IDX[8 * i + 8:]


@pytest.mark.parametrize("idx, message", [
    (b"", "fewer than the 48-byte header"),
    (GOOD_IDX[:47], "fewer than the 48-byte header"),
    (GOOD_IDX[:48], "needs 112"),
    (GOOD_IDX[:-8], "has 104 bytes but its header"),
    (GOOD_IDX + b"\0", "has 113 bytes"),
    (patch(0, 0x1234), "not a torchnet index"),
    (patch(1, 2), "unsupported format version 2"),
    (patch(2, 9), "unrecognized type code 9"),
    (patch(3, 8), "int elements have 8 bytes"),
    (patch(4, 2**60), "needs"),
    (patch(4, -1), "needs -1"),
    (patch(5, 2**62), "needs"),
    (patch(6, 1), "inconsistent offsets"),
    (patch(8, 3), "inconsistent offsets"),   # dimoffsets[N] != S
    (patch(9, 7), "inconsistent offsets"),   # datoffsets[0] != 0
    (patch(11, 9), "needs 36"),              # datoffsets[N] past the data file
])
@pytest.mark.parametrize("mmapidx", [False, True])
def test_bad_index_raises_at_open(tmp_path, idx, message, mmapidx):
    (tmp_path / "b.idx").write_bytes(idx)
    (tmp_path / "b.bin").write_bytes(GOOD_BIN)
    with pytest.raises(torch.SerializationError, match=message):
        tnt.IndexedDatasetReader(str(tmp_path / "b.idx"), str(tmp_path / "b.bin"), False, mmapidx)


@pytest.mark.parametrize("idx, item, message", [
    (patch(10, 2), 0, "sizes \\[3\\] but 2 elements"),          # datoffsets[1] disagrees with the sizes
    (patch(10, 2), 1, "sizes \\[2\\] but 3 elements"),
    (patch(10, 6), 1, "corrupt offsets"),                      # decreasing datoffsets
    (patch(7, 3), 0, "corrupt offsets"),                        # dimoffsets[1] past S
    (patch(12, -3), 0, "sizes \\[-3\\]"),
    (patch(12, 2**40), 0, "sizes \\[1099511627776\\] but 3 elements"),
])
@pytest.mark.parametrize("mmap, mmapidx", MODES)
def test_bad_item_raises_at_get(tmp_path, idx, item, message, mmap, mmapidx):
    (tmp_path / "b.idx").write_bytes(idx)
    (tmp_path / "b.bin").write_bytes(GOOD_BIN)
    r = tnt.IndexedDatasetReader(str(tmp_path / "b.idx"), str(tmp_path / "b.bin"), mmap, mmapidx)
    with pytest.raises(torch.SerializationError, match=message):
        r.get(item)


def test_short_data_file(tmp_path):
    idx, bin_ = write(tmp_path, "x", "int", [torch.IntTensor([1, 2, 3])])
    with open(bin_, "r+b") as f:
        f.truncate(10)
    with pytest.raises(torch.SerializationError, match="has 10 bytes but the index needs 12"):
        tnt.IndexedDatasetReader(idx, bin_)
    r = tnt.IndexedDatasetReader(*write(tmp_path, "y", "int", [torch.IntTensor([1, 2, 3])]))
    with open(tmp_path / "y.bin", "r+b") as f:
        f.truncate(4)  # shrunk after opening
    with pytest.raises(torch.SerializationError, match="shorter than at opening"):
        r.get(0)


def test_corrupt_table_item(tmp_path):
    idx, bin_ = write(tmp_path, "t", "table", [{"a": [1, 2, 3]}])
    blob = bytearray(open(bin_, "rb").read())
    blob[0] = 77  # not a .t7 type tag
    open(bin_, "wb").write(bytes(blob))
    with pytest.raises(torch.SerializationError, match="item 0 of"):
        tnt.IndexedDatasetReader(idx, bin_).get(0)


# ---- tnt.IndexedDataset ----------------------------------------------------------------------------

def test_indexed_dataset_options(tmp_path):
    write(tmp_path, "a", "long", [torch.LongTensor([i]) for i in range(6)])
    write(tmp_path, "b", "float", [torch.FloatTensor([i / 2]) for i in range(6)])
    write(tmp_path, "c", "byte", [torch.ByteTensor([i]) for i in range(5)])
    d = tnt.IndexedDataset(["a", "b"], str(tmp_path), 4)  # positional: fields, path, maxload
    assert d.size() == 4 and len(d) == 4
    assert d.get(3)["a"].tolist() == [3] and d.get(3)["b"].tolist() == [1.5]
    with pytest.raises(IndexError, match="index 4 out of range for a dataset of size 4"):
        d.get(4)
    assert tnt.IndexedDataset(["a"], str(tmp_path), 100).size() == 6   # maxload beyond the size
    assert tnt.IndexedDataset(["a"], str(tmp_path), 0).size() == 6     # maxload 0: everything
    fields = {"first": {"idx": str(tmp_path / "a.idx"), "bin": str(tmp_path / "a.bin")}}
    assert tnt.IndexedDataset(fields).get(2)["first"].tolist() == [2]  # a lone dict of fields
    with pytest.raises(ValueError, match="inconsistent index data size"):
        tnt.IndexedDataset(["a", "c"], str(tmp_path))
    with pytest.raises(ValueError, match="standalone expects exactly one field, got 2"):
        tnt.IndexedDataset(["a", "b"], str(tmp_path), standalone=True)
    with pytest.raises(ValueError, match="fields should not be empty"):
        tnt.IndexedDataset([], str(tmp_path))
    with pytest.raises(TypeError, match="without path, fields must be a dict"):
        tnt.IndexedDataset(["a"])
    with pytest.raises(FileNotFoundError):
        tnt.IndexedDataset(["zzz"], str(tmp_path))
    assert torch.typename(d) == "tnt.IndexedDataset" and repr(d) == "tnt.IndexedDataset(a, b; size 4)"


def test_parallel_over_indexed_dataset(tmp_path):
    items = [torch.range(0, i).long() for i in range(30)]
    write(tmp_path, "x", "long", items)
    d = tnt.IndexedDataset(["x"], str(tmp_path), standalone=True)
    serial = [t.tolist() for t in tnt.DatasetIterator(d)]
    it = tnt.ParallelDatasetIterator(closure=lambda tid: d, nthread=4, ordered=True)
    assert [t.tolist() for t in it] == serial == [list(range(i + 1)) for i in range(30)]
    it.close()
