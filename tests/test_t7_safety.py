"""Hostile .t7 input: truncation, corruption, huge sizes and deep nesting raise SerializationError only."""

import os
import random
import struct
import time
import warnings

import pytest

import torch7 as torch
from torch7.serialization import SerializationError

DATA = os.path.join(os.path.dirname(__file__), "data", "t7")
FIXTURES = ["hello=123.t7", "doubletensor.t7", "floattensor.t7", "list_table.t7", "map_table2.t7",
            "recursive_kv_table.t7", "recursive_class.t7", "custom_class.t7", "function_upvals.t7", "tds_hash.t7",
            "tds_vec.t7", "cpp_x.t7"]


def raw(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


def i32(*v):
    return struct.pack(f"<{len(v)}i", *v)


def header(name):
    return i32(3) + b"V 1" + i32(len(name)) + name.encode()


@pytest.mark.parametrize("name", ["hello=123.t7", "doubletensor.t7", "function_upvals.t7", "tds_hash.t7",
                                  "recursive_class.t7"])
def test_truncation_at_every_offset(name):
    data = raw(name)
    for n in range(len(data)):
        with pytest.raises(SerializationError) as e:
            torch.deserialize(data[:n])
        assert e.value.offset is not None and 0 <= e.value.offset <= n


def test_ascii_truncation():
    data = torch.serialize({"a": torch.FloatTensor(2, 3).fill(0.5), "b": "text", "c": [1, 2]}, "ascii")
    for n in range(len(data)):
        cut = data[:n]
        try:
            torch.deserialize(cut, "ascii")
        except SerializationError:
            continue
        # a cut inside the last number can still parse ("12" -> "1"); anything else must fail
        assert n >= len(data) - 3, n


def test_mutation_fuzz():
    rng = random.Random(1234)
    corpus = [raw(n) for n in FIXTURES]
    corpus.append(torch.serialize({"a": torch.FloatTensor(3, 2), "s": torch.LongStorage(3), "g": [1, {"x": 2}]}))
    corpus += [raw(n) for n in ("cpp_net.t7", "nngraph_node.t7", "net_batch_norm_net.dat")]  # nn modules
    ascii_corpus = [torch.serialize({"a": torch.DoubleTensor(2, 2).fill(1.25), "k": [1, "two"]}, "ascii"),
                    raw("hello=123.t7") and torch.serialize({"hello": 123}, "ascii"),
                    raw("net_reshape_batch_net.txt"), raw("net_concat_net.txt")]
    deadline = time.monotonic() + 6
    count = 0
    interesting = [0, 1, 0xFF, 0x7F, 0x80]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        while time.monotonic() < deadline and count < 30000:
            fmt = "ascii" if count % 5 == 4 else "binary"
            src = bytearray(rng.choice(ascii_corpus if fmt == "ascii" else corpus))
            for _ in range(rng.randint(1, 4)):
                p = rng.randrange(len(src))
                src[p] = rng.choice(interesting) if rng.random() < 0.5 else rng.randrange(256)
            if rng.random() < 0.1:
                del src[rng.randrange(len(src)):]
            try:
                torch.deserialize(bytes(src), fmt)
            except SerializationError:
                pass
            count += 1
    assert count > 1000


# Found by mutating net_reshape_batch_net.txt: a class name corrupted to "torc\x1a.LongStorage" makes the
# Reshape module's field table take a table as a key, inside a reference cycle (the fixup pass).
CORRUPT_RESHAPE = (
    b'4\n1\n3\nV 1\n13\nnn.Sequential\n3\n2\n'
    b'2\n2\n5\n_type\n2\n18\ntorch.DoubleTensor\n2\n'
    b'7\nmodules\n3\n3\n1\n1\n1\n4\n'
    b'4\n3\nV 1\n10\nnn.Reshape\n3\n5\n5\n'
    b'2\n5\n_type\n2\n18\ntorch.DoubleTensor\n2\n4\n'
    b'size\n4\n6\n3\nV 1\n17\ntorc\x1a.LongStorage\n3\n'
    b'5 4 3\n2\n9\nbatchsize\n4\n7\n3\nV 1\n'
    b'17\ntorch.LongStorage\n4\n2 5 4 3\n2\n9\nbatchMode\n5\n'
    b'1\n2\n8\nnelement\n1\n60\n'
)


def test_cycle_fixups_with_non_string_field_keys():
    """Patching placeholders inside a cycle copes with fields whose keys are tables (was a TypeError)."""
    net = torch.deserialize(CORRUPT_RESHAPE, "ascii")  # loads: unknown classes are kept as TorchObjects
    assert type(net).__name__ == "Sequential"
    assert any(not isinstance(k, str) for m in net.modules for k in vars(m))


def test_huge_sizes_do_not_allocate():
    big = 2**62
    cases = [
        i32(2, 2**31 - 1),                                                    # string length
        i32(3, 1, 2**31 - 1),                                                 # table entries
        i32(4, 1) + header("torch.DoubleStorage") + struct.pack("<q", big),    # storage size
        i32(4, 1) + header("torch.FloatStorage") + struct.pack("<q", 10**9),   # 4 GB storage, 0 bytes present
        i32(4, 1) + header("torch.DoubleTensor") + i32(2**30),                # nDimension
        i32(4, 1) + header("tds.Vec") + struct.pack("<q", big),
        i32(4, 1) + header("tds.Hash") + struct.pack("<q", -5),
        i32(4, 1) + header("torch.DoubleStorage") + struct.pack("<q", -1),
        i32(8, 1, 2**31 - 1),                                                 # function bytecode
        i32(4, 1, 2**31 - 1),                                                 # class header length
    ]
    for data in cases:
        t = time.monotonic()
        with pytest.raises(SerializationError):
            torch.deserialize(data)
        assert time.monotonic() - t < 0.5
    with pytest.raises(SerializationError):
        torch.deserialize(b"999999999\n", "ascii")
    with pytest.raises(SerializationError):
        torch.deserialize(b"3\n1\n2000000000\n", "ascii")


def test_tensor_header_checked_against_storage():
    st = i32(4, 2) + header("torch.DoubleStorage") + struct.pack("<q", 4) + struct.pack("<4d", 1, 2, 3, 4)

    def tensor(sizes, strides, offset):
        n = len(sizes)
        return (i32(4, 1) + header("torch.DoubleTensor") + i32(n) + struct.pack(f"<{n}q", *sizes)
                + struct.pack(f"<{n}q", *strides) + struct.pack("<q", offset) + st)

    assert torch.deserialize(tensor([2, 2], [2, 1], 1)).tolist() == [[1, 2], [3, 4]]
    for sizes, strides, offset in [([2, 3], [2, 1], 1), ([4], [1], 2), ([2], [-1], 2), ([-1], [1], 1),
                                   ([2], [1], 0), ([2**40, 2**40], [2**40, 1], 1), ([-2, -2], [-2, 1], 1),
                                   ([-4, -1], [-1, 1], 1), ([1, -2, -2], [4, -2, 1], 1), ([-1, 4], [4, 1], 1)]:
        with pytest.raises(SerializationError, match="storage|negative"):
            torch.deserialize(tensor(sizes, strides, offset))
    with pytest.raises(SerializationError, match="more bytes than an array can address"):  # stride 0: in range
        torch.deserialize(tensor([2**62, 2], [0, 1], 1))
    # a size-1 dimension's stride is never used: any value loads (a huge one overflowed NumPy's byte strides)
    assert torch.deserialize(tensor([1, 2, 2], [7782220156096217208, 2, 1], 1)).tolist() == [[[1, 2], [3, 4]]]
    for nd in (65, 70):  # more dimensions than NumPy arrays have: refused, binary and ascii
        with pytest.raises(SerializationError, match=f"tensor with {nd} dimensions \\(at most 64"):
            torch.deserialize(tensor([1] * (nd - 1) + [4], [1] * nd, 1))
        text = torch.serialize(torch.DoubleTensor(4).fill(1), "ascii").replace(b"\n1\n4\n1\n", f"\n{nd}\n".encode()
                                                                                + b"1 " * (nd - 1) + b"4\n"
                                                                                + b"1 " * (nd - 1) + b"1\n", 1)
        with pytest.raises(SerializationError, match=f"tensor with {nd} dimensions \\(at most 64"):
            torch.deserialize(text, "ascii")
    wrong = i32(4, 1) + header("torch.FloatTensor") + i32(1) + struct.pack("<3q", 1, 1, 1) + st
    with pytest.raises(SerializationError, match="FloatStorage"):
        torch.deserialize(wrong)


def test_bad_tags_and_headers():
    for data in [i32(9), i32(-1), i32(4, 1, 3) + b"V x", i32(4, 1, 2) + b"\xff\xfe" + i32(0), i32(3, 1, 1, 0, 1, 0),
                 i32(4, 1) + header("torch.Generator") + b"\x00" * 5048, i32(4, 1) + header("torch.FooTensor")]:
        with pytest.raises(SerializationError):
            torch.deserialize(data)


def test_deep_nesting():
    depth = 10000
    data = b"".join(i32(3, i, 1, 1) + struct.pack("<d", 1.0) for i in range(1, depth + 1)) + i32(0)
    with pytest.raises(SerializationError, match="nested"):
        torch.deserialize(data)
    nested = []
    for _ in range(depth):
        nested = [nested]
    with pytest.raises(SerializationError, match="nested"):
        torch.serialize(nested)
    ok = []
    for _ in range(1000):
        ok = [ok]
    r = torch.deserialize(torch.serialize(ok))
    for _ in range(1000):
        (r,) = r
    assert r == []


def test_errors_name_offset():
    with pytest.raises(SerializationError, match=r"double.*at byte offset 4\)") as e:
        torch.deserialize(i32(1) + b"\x00" * 4)
    assert isinstance(e.value, ValueError) and e.value.offset == 4


def test_never_executes_code(tmp_path):
    marker = tmp_path / "pwned"
    code = f"os.execute('touch {marker}')".encode()
    data = i32(8, 1, len(code)) + code + i32(3, 2, 0)
    f = torch.deserialize(data)
    assert f.bytecode == code and not marker.exists()
