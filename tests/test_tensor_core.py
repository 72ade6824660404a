"""Tensor and Storage core: constructors, storages, types, NumPy sharing, resize, queries, apply/map.

Reference: torch7-core.md §1.2-1.8 (with 0-based indices and storage offsets).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from helpers import ALL_TYPES, assert_close, make, np_of
from hypothesis import given, settings
from hypothesis import strategies as st

import torch7 as torch

NC = [False, True]
ALL8 = ALL_TYPES + ["torch.HalfTensor"]
DTYPES = {"torch.ByteTensor": np.uint8, "torch.CharTensor": np.int8, "torch.ShortTensor": np.int16,
          "torch.IntTensor": np.int32, "torch.LongTensor": np.int64, "torch.FloatTensor": np.float32,
          "torch.DoubleTensor": np.float64, "torch.HalfTensor": np.float16}


def cls(typename):
    return torch.tensor_class(typename)


def storage_cls(typename):
    return getattr(torch, typename[len("torch."):-len("Tensor")] + "Storage")


@pytest.fixture
def restore_default_type():
    saved = torch.getdefaulttensortype()
    yield
    torch.setdefaulttensortype(saved)


# ---- constructors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL8)
def test_constructor_sizes(typename):
    C = cls(typename)
    e = C()
    assert e.dim() == 0 and e.nElement() == 0 and e.storage() is None and tuple(e.size()) == ()
    for sizes in [(3,), (2, 3), (2, 3, 4), (1, 2, 3, 4), (2, 1, 2, 1, 2)]:
        t = C(*sizes)
        assert t.type() == typename and tuple(t.size()) == sizes and t.isContiguous()
        assert t.numpy().dtype == DTYPES[typename]
        forms = [torch.Size(sizes), sizes]
        if typename != "torch.LongTensor":  # for a LongTensor, a LongStorage is the storage form
            forms.append(torch.LongStorage(list(sizes)))
        for form in forms:
            u = C(form)
            assert tuple(u.size()) == sizes and u.isContiguous()
    assert C(0).nElement() == 0 and C(2, 0).dim() == 0


def test_constructor_sizes_and_strides():
    t = torch.Tensor(torch.LongStorage([2, 3]), torch.LongStorage([1, 2]))
    assert tuple(t.stride()) == (1, 2) and t.storage().size() == 6
    u = torch.Tensor(torch.LongStorage([2, 3]), torch.LongStorage([-1, -1]))  # negative: contiguous
    assert tuple(u.stride()) == (3, 1)
    z = torch.Tensor(torch.LongStorage([4]), torch.LongStorage([0])).zero()  # stride 0: one element
    assert z.storage().size() == 1
    z[0] = 1
    assert z.totable() == [1, 1, 1, 1]
    s = torch.Tensor(torch.Size([2, 2]), torch.Size([3, 1]))
    assert tuple(s.stride()) == (3, 1) and s.storage().size() == 5


@pytest.mark.parametrize("typename", ALL_TYPES)
def test_constructor_nested_lists(typename):
    rows = [[1, 2, 3], [4, 5, 6]]
    t = cls(typename)(rows)
    assert_close(t, np.array(rows, dtype=DTYPES[typename]), typename=typename)
    assert cls(typename)([7]).totable() == [7]
    assert cls(typename)([[[1], [2]]]).dim() == 3
    with pytest.raises(TypeError, match="cannot build a tensor from this list"):
        cls(typename)([[1, 2], [3]])


def test_constructor_lists_convert_like_C():
    assert torch.ByteTensor([300, -1]).totable() == [44, 255]
    assert torch.IntTensor([1.7, -1.7]).totable() == [1, -1]
    assert torch.Tensor(np.arange(6).reshape(2, 3)).totable() == [[0, 1, 2], [3, 4, 5]]  # numpy: a copy


@pytest.mark.parametrize("typename", ALL8)
def test_constructor_storage_forms(typename):
    C = cls(typename)
    s = storage_cls(typename)(list(range(12)))
    t = C(s)
    assert t.storage() is s and tuple(t.size()) == (12,) and t.storageOffset() == 0
    t[0] = 5
    assert s[0] == 5
    u = C(s, 2, torch.LongStorage([2, 3]))
    assert u.storageOffset() == 2 and u.totable() == [[2, 3, 4], [5, 6, 7]]
    v = C(s, 1, torch.LongStorage([2, 3]), torch.LongStorage([1, 3]))
    assert v.totable() == [[1, 4, 7], [2, 5, 8]] and not v.isContiguous()
    w = C(s, 3, 2, 4, 3, 1)  # storage, offset, sz1, st1, sz2, st2
    assert w.totable() == [[3, 4, 5], [7, 8, 9]] and tuple(w.stride()) == (4, 1)
    w2 = C(s, 3, 2, 4, 3)  # a missing last stride is the contiguous one
    assert w2.totable() == w.totable()
    s[9] = 0
    assert w[1, 2] == 0  # shares the storage
    with pytest.raises(IndexError, match=r"offset 10 with sizes 2x3 and strides 3x1 out of range for a storage of "
                                         r"size 12"):
        C(s, 10, torch.LongStorage([2, 3]))


def test_longstorage_is_the_storage_form_for_LongTensor_only():
    ls = torch.LongStorage([5, 6, 7])
    lt = torch.LongTensor(ls)
    assert lt.totable() == [5, 6, 7] and lt.storage() is ls
    dt = torch.DoubleTensor(ls)
    assert tuple(dt.size()) == (5, 6, 7)
    with pytest.raises(TypeError, match="does not match"):
        torch.FloatTensor(torch.DoubleStorage(3))


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_constructor_from_tensor_shares(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig)
    y = cls(typename)(x)
    assert y is not x and y.isSetTo(x) and x.isSetTo(y)
    assert tuple(y.stride()) == tuple(x.stride()) and y.storageOffset() == x.storageOffset()
    y.fill(1)
    assert np.all(np_of(x) == 1)
    n = x.new(2, 5)
    assert n.type() == typename and tuple(n.size()) == (2, 5)
    with pytest.raises(TypeError, match="cannot view"):
        (torch.FloatTensor if typename != "torch.FloatTensor" else torch.DoubleTensor)(x)


def test_constructor_errors():
    with pytest.raises(ValueError, match="invalid size -1x2"):
        torch.Tensor(-1, 2)
    with pytest.raises(TypeError, match="invalid arguments"):
        torch.Tensor("abc")
    with pytest.raises(TypeError, match="invalid arguments"):
        torch.Tensor(2.5)
    with pytest.raises(TypeError, match="sizes must be integers"):
        torch.Tensor(torch.Size([2]), [1.5])


# ---- storages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL8)
def test_storage_basics(typename):
    S = storage_cls(typename)
    s = S(4)
    assert s.size() == 4 and len(s) == 4 and s.totable() == [0, 0, 0, 0]
    assert s.elementSize() == np.dtype(DTYPES[typename]).itemsize
    assert torch.isStorage(s) and torch.typename(s) == typename.replace("Tensor", "Storage")
    s.fill(3)
    assert s.totable() == [3, 3, 3, 3]
    s[0] = 1
    s[-1] = 2
    assert s[0] == 1 and s[3] == 2 and s[-1] == 2 and list(s) == [1, 3, 3, 2]
    with pytest.raises(IndexError, match="index 4 out of range for storage of size 4"):
        s[4]
    s.resize(6)
    assert s.size() == 6 and s.totable()[:4] == [1, 3, 3, 2]
    s.resize(2)
    assert s.totable() == [1, 3]
    s.copy(torch.IntStorage([7, 8]))  # any type
    assert s.totable() == [7, 8]
    with pytest.raises(ValueError, match="copy: sizes do not match"):
        s.copy(torch.IntStorage([1, 2, 3]))
    assert S([1, 2, 3]).totable() == [1, 2, 3]
    assert S().size() == 0
    with pytest.raises(ValueError, match="non-negative"):
        S(-1)


def test_storage_views_share():
    s = torch.DoubleStorage([1, 2, 3, 4, 5])
    v = torch.DoubleStorage(s, 1, 3)
    assert v.totable() == [2, 3, 4]
    v[0] = 10
    s[3] = 40
    assert s.totable() == [1, 10, 3, 40, 5] and v.totable() == [10, 3, 40]
    assert torch.DoubleStorage(s, 2).totable() == [3, 40, 5]
    with pytest.raises(IndexError, match=r"view \[offset 3, size 3\] out of range for storage of size 5"):
        torch.DoubleStorage(s, 3, 3)
    with pytest.raises(TypeError, match="cannot view"):
        torch.FloatStorage(s)


def test_storage_type_and_default():
    s = torch.DoubleStorage([1.5, -2.5])
    assert s.type() == "torch.DoubleStorage" and s.type("torch.DoubleStorage") is s
    assert s.type("torch.IntStorage").totable() == [1, -2]
    assert torch.Storage(2).type() == "torch.DoubleStorage"
    assert torch.ByteStorage([256, -1]).totable() == [0, 255]


def test_storage_string():
    b = torch.ByteStorage([104, 105])
    assert b.string() == "hi"
    c = torch.CharStorage()
    assert c.string("hello") is c and c.size() == 5 and c.totable() == [104, 101, 108, 108, 111]
    assert c.string() == "hello"
    with pytest.raises(TypeError, match="only for Byte and Char"):
        torch.DoubleStorage(2).string()


def test_storage_mmap(tmp_path):
    fn = str(tmp_path / "data.bin")
    np.arange(6, dtype=np.float32).tofile(fn)
    private = torch.FloatStorage(fn)
    assert private.totable() == [0, 1, 2, 3, 4, 5]
    private[0] = 99  # not shared: the file is unchanged
    assert np.fromfile(fn, np.float32)[0] == 0
    shared = torch.FloatStorage(fn, True)
    shared[1] = 42
    shared._a.flush()
    assert np.fromfile(fn, np.float32)[1] == 42
    t = torch.FloatTensor(shared, 2, torch.LongStorage([2, 2]))
    t.fill(-1)
    shared._a.flush()
    assert np.fromfile(fn, np.float32).tolist() == [0, 42, -1, -1, -1, -1]
    new = str(tmp_path / "new.bin")
    n = torch.DoubleStorage(new, True, 4)
    assert n.size() == 4 and os.path.getsize(new) == 32
    with pytest.raises(FileNotFoundError, match="cannot open file"):
        torch.FloatStorage(str(tmp_path / "missing.bin"))


# ---- types ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("src_type", ALL8)
@pytest.mark.parametrize("dst_type", ALL8)
def test_type_conversions(src_type, dst_type):
    x = make(src_type if src_type != "torch.HalfTensor" else "torch.FloatTensor", (2, 3), noncontig=True, low=0,
             high=50).type(src_type)
    y = x.type(dst_type)
    assert y.type() == dst_type
    if src_type == dst_type:
        assert y is x
    else:
        assert y.isContiguous() and y.storage() is not x.storage()
        assert_close(y, np_of(x).astype(DTYPES[dst_type]), tolerance=1e-3)
    short = dst_type[len("torch."):-len("Tensor")].lower()
    z = getattr(x, short)()
    assert z.type() == dst_type and (z is x) == (src_type == dst_type)
    assert x.typeAs(cls(dst_type)()).type() == dst_type


def test_type_queries(restore_default_type):
    x = torch.Tensor(2)
    assert x.type() == "torch.DoubleTensor" and torch.type(x) == "torch.DoubleTensor"
    assert x.real() is x
    assert torch.IntTensor([1]).real().type() == "torch.DoubleTensor"
    assert torch.typename(x) == "torch.DoubleTensor" and torch.typename(3) is None
    assert [torch.type(v) for v in (3, 2.5, "s", None, True, [1], {}, print)] == [
        "number", "number", "string", "nil", "boolean", "table", "table", "function"]
    assert torch.isTensor(x) and not torch.isTensor(np.zeros(2)) and not torch.isTensor(3)
    assert torch.isStorage(x.storage()) and not torch.isStorage(x)
    with pytest.raises(TypeError, match="unknown tensor type 'torch.FooTensor'"):
        x.type("torch.FooTensor")


def test_setdefaulttensortype(restore_default_type):
    assert torch.getdefaulttensortype() == "torch.DoubleTensor"
    torch.setdefaulttensortype("torch.FloatTensor")
    assert torch.getdefaulttensortype() == "torch.FloatTensor"
    t = torch.Tensor(2, 2)
    assert t.type() == "torch.FloatTensor" and isinstance(t, torch.FloatTensor)
    assert torch.Storage(3).type() == "torch.FloatStorage"
    assert torch.IntTensor(1).real().type() == "torch.FloatTensor"
    with pytest.raises(TypeError, match="only floating types"):
        torch.setdefaulttensortype("torch.IntTensor")
    torch.setdefaulttensortype("torch.DoubleTensor")
    assert torch.Tensor(1).type() == "torch.DoubleTensor"


# ---- NumPy sharing ------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL8)
def test_from_numpy_and_numpy_share(typename):
    a = np.arange(12).reshape(3, 4).astype(DTYPES[typename])
    t = torch.from_numpy(a)
    assert t.type() == typename
    t[0, 0] = 9
    a[2, 3] = 7
    assert a[0, 0] == 9 and t[2, 3] == 7
    n = t.numpy()
    n[1, 1] = 5
    assert t[1, 1] == 5 and a[1, 1] == 5
    tt = t.t()
    assert np.shares_memory(tt.numpy(), a) and tt.numpy().shape == (4, 3)


@pytest.mark.parametrize("key", [(slice(None), slice(None, None, 2)), (slice(1, None), slice(1, None)), "T",
                                 (slice(None, None, 2), 1)])
def test_from_numpy_noncontiguous(key):
    a = np.arange(24.0).reshape(4, 6)
    view = a.T if key == "T" else a[key]
    t = torch.from_numpy(view)
    assert_close(t, view)
    assert tuple(t.stride()) == tuple(s // 8 for s in view.strides)
    assert t.storage()[t.storageOffset()] == view.flat[0]
    assert np.shares_memory(t.storage().numpy(), a)
    t.fill(-1)
    assert np.all(view == -1)
    assert np.sum(a == -1) == view.size  # only the viewed elements changed
    narrowed = t.narrow(0, 0, 1)
    narrowed.fill(5)
    assert np.all(view[0] == 5)


def test_from_numpy_edge_cases():
    b = np.array([True, False])
    tb = torch.from_numpy(b)
    assert tb.type() == "torch.ByteTensor" and tb.totable() == [1, 0]
    assert torch.from_numpy(np.array(3.0)).totable() == [3.0]
    assert torch.from_numpy(np.zeros((2, 0))).nElement() == 0
    with pytest.raises(ValueError, match="negative"):
        torch.from_numpy(np.arange(3.0)[::-1])
    with pytest.raises(TypeError, match="no Torch7 tensor type for dtype complex64"):
        torch.from_numpy(np.zeros(2, np.complex64))
    with pytest.raises(TypeError, match="expected a numpy.ndarray"):
        torch.from_numpy([1, 2])


# ---- resize -------------------------------------------------------------------------------------------
def test_resize_storage_grows_never_shrinks():
    x = torch.Tensor(2, 3)
    s = x.storage()
    assert x.resize(3, 4) is x and tuple(x.size()) == (3, 4) and x.isContiguous()
    assert x.storage() is s and s.size() == 12
    x.resize(2, 2)
    assert s.size() == 12 and tuple(x.stride()) == (2, 1)
    x.resize(torch.LongStorage([3, 1]))
    assert tuple(x.size()) == (3, 1)
    x.resizeAs(torch.IntTensor(4, 3))
    assert tuple(x.size()) == (4, 3)
    x.resize(torch.Size([5]))
    assert tuple(x.size()) == (5,)
    assert torch.Tensor().resize(2, 3).nElement() == 6
    assert x.resize(0).nElement() == 0 and x.dim() == 0
    with pytest.raises(ValueError, match="resize: invalid size"):
        torch.Tensor(2).resize(-1)


def test_resize_same_size_keeps_strides_and_offset():
    base = torch.Tensor(3, 4).t()
    assert base.resize(4, 3) is base and tuple(base.stride()) == (1, 4)  # same size: nothing changes
    base.resize(2, 3)
    assert tuple(base.stride()) == (3, 1)
    x = torch.Tensor(10)
    y = x.narrow(0, 4, 3)
    y.resize(5)
    assert y.storageOffset() == 4 and y.storage() is x.storage()
    y.resize(8)  # past the end: the storage grows
    assert y.storage().size() == 12


# ---- fill / zero / apply / map / map2 -------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_fill_zero(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig)
    s = x.storage()
    assert x.fill(5) is x
    assert_close(x, np.full((3, 4), 5, DTYPES[typename]), typename=typename)
    assert x.zero() is x and np.all(np_of(x) == 0) and x.storage() is s
    with pytest.raises(TypeError, match="fill: expected a number"):
        x.fill("a")


def test_fill_converts_like_C():
    assert torch.ByteTensor(2).fill(-1).totable() == [255, 255]
    assert torch.CharTensor(1).fill(200).totable() == [-56]
    assert torch.IntTensor(1).fill(2.9).totable() == [2]



@pytest.mark.parametrize("typename", ALL8)
@pytest.mark.parametrize("n", [(1 << 15) - 1, 1 << 15, 100003, (1 << 20) + 7])
@pytest.mark.parametrize("value", [0, -0.0, 1.5, -7, float("nan"), float("inf"), 300, 2**40 + 3])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # out-of-range casts, alike on both sides
def test_fill_large_equals_numpy_fill(typename, n, value):
    # Big contiguous fills take a block-copy / byte-fill route: it must match ndarray.fill bit for bit.
    x = cls(typename)(n).fill(3)
    exp = np.empty(n, DTYPES[typename])
    try:
        exp.fill(value)
    except OverflowError:
        exp.fill(np.array(value).astype(DTYPES[typename]))
    except ValueError:  # NaN/inf into an integer type: both sides must refuse it alike
        with pytest.raises((TypeError, ValueError)):
            x.fill(value)
        return
    x.fill(value)
    assert np_of(x).tobytes() == exp.tobytes()
    s = storage_cls(typename)(n).fill(value)
    assert np.asarray(s.tolist(), DTYPES[typename]).tobytes() == exp.tobytes()
    assert np.all(np_of(x.zero()) == 0) and not np.signbit(np_of(x)).any()

@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_apply_map_map2(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig, low=0, high=10)
    e = np_of(x)
    assert x.apply(lambda v: v + 1) is x
    e = e + 1
    assert_close(x, e, typename=typename)
    x.apply(lambda v: None)  # None keeps the element
    assert_close(x, e)
    y = make(typename, (4, 3), noncontig=noncontig, low=0, high=10, seed=1)  # same nElement, other shape
    assert x.map(y, lambda a, b: a + b) is x
    e = e + np_of(y).reshape(3, 4)
    assert_close(x, e, tolerance=1e-5)  # f computes in double, then stores in the tensor's type
    z = make(typename, (12,), low=0, high=3, seed=2)
    assert x.map2(y, z, lambda a, b, c: a - b + c) is x
    e = e - np_of(y).reshape(3, 4) + np_of(z).reshape(3, 4)
    assert_close(x, e, tolerance=1e-5)
    with pytest.raises(ValueError, match="map: tensors of size 3x4 and 5 do not have the same number of elements"):
        x.map(cls(typename)(5), lambda a, b: a)


def test_apply_visits_in_row_major_order():
    counter = iter(range(1, 100))
    t = torch.Tensor(2, 3).t()  # non-contiguous
    t.apply(lambda _: next(counter))
    assert t.totable() == [[1, 2], [3, 4], [5, 6]]
    m = torch.Tensor(2, 2).t()
    m.map(torch.Tensor([10, 20, 30, 40]), lambda a, b: b)
    assert m.totable() == [[10, 20], [30, 40]]
    assert torch.IntTensor([1, 2]).apply(lambda v: v + 0.7).totable() == [1, 2]


# ---- queries -----------------------------------------------------------------------------------------
def test_queries():
    x = torch.Tensor(3, 4, 5)
    assert x.nElement() == 60 and x.numel() == 60 and x.dim() == 3 and x.nDimension() == 3
    assert tuple(x.size()) == (3, 4, 5) and x.size(-1) == 5 and x.size(1) == 4
    assert tuple(x.stride()) == (20, 5, 1) and x.stride(0) == 20 and x.stride(-1) == 1
    assert x.storageOffset() == 0 and x.isContiguous()
    assert isinstance(x.size(), torch.Size) and x.size().numel() == 60
    assert x.isSize(torch.LongStorage([3, 4, 5])) and x.isSize(torch.Size([3, 4, 5])) and not x.isSize([3, 4])
    assert x.isSameSizeAs(torch.IntTensor(3, 4, 5)) and not x.isSameSizeAs(torch.Tensor(60))
    assert x.isSetTo(x) and not x.isSetTo(torch.Tensor(3, 4, 5)) and not x.isSetTo(x.narrow(0, 0, 2))
    y = x.select(1, 2)
    assert y.storageOffset() == 10 and tuple(y.stride()) == (20, 1) and not y.isContiguous()
    assert len(x) == 3 and len(torch.Tensor()) == 0
    with pytest.raises(IndexError, match="size: dimension 3 out of range for a 3-D tensor"):
        x.size(3)
    with pytest.raises(IndexError, match="stride: dimension -4 out of range"):
        x.stride(-4)


@pytest.mark.parametrize("typename", ALL8)
def test_element_size(typename):
    assert cls(typename)(2).elementSize() == np.dtype(DTYPES[typename]).itemsize


def test_totable_and_numbers():
    assert torch.Tensor([[1, 2], [3, 4]]).totable() == [[1.0, 2.0], [3.0, 4.0]]
    assert torch.Tensor([[1, 2], [3, 4]]).t().totable() == [[1.0, 3.0], [2.0, 4.0]]
    assert torch.Tensor().totable() == []
    v = torch.IntTensor([1, 2]).totable()
    assert v == [1, 2] and all(isinstance(i, int) for i in v)
    assert torch.totable(torch.Tensor([5])) == [5.0]
    assert torch.Tensor([2.5]).item() == 2.5 and float(torch.Tensor([2.5])) == 2.5 and int(torch.IntTensor([3])) == 3
    with pytest.raises(ValueError, match="item: tensor of size 2 has 2 elements, not 1"):
        torch.Tensor(2).item()
    with pytest.raises(ValueError, match="ambiguous"):
        bool(torch.Tensor(2))


# ---- property: storage + offset + sizes + strides == numpy as_strided -----------------------------
@settings(max_examples=80, deadline=None)
@given(st.data())
def test_storage_geometry_property(data):
    typename = data.draw(st.sampled_from(ALL_TYPES))
    nd = data.draw(st.integers(1, 4))
    sizes = [data.draw(st.integers(1, 4)) for _ in range(nd)]
    strides = [data.draw(st.integers(0, 6)) for _ in range(nd)]
    offset = data.draw(st.integers(0, 5))
    n = offset + 1 + sum((sz - 1) * s for sz, s in zip(sizes, strides, strict=True)) + data.draw(st.integers(0, 3))
    base = np.arange(n).astype(DTYPES[typename])
    s = storage_cls(typename)(base.copy())
    t = cls(typename)(s, offset, torch.LongStorage(sizes), torch.LongStorage(strides))
    isz = base.itemsize
    expected = np.lib.stride_tricks.as_strided(base[offset:], sizes, [st_ * isz for st_ in strides])
    assert_close(t, expected, typename=typename)
    assert t.storageOffset() == offset and list(t.stride()) == strides and t.storage() is s
    u = cls(typename)()
    u.set(s, offset, torch.LongStorage(sizes), torch.LongStorage(strides))
    assert u.isSetTo(t)
