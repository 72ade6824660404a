"""Views (narrow, select, sub, transpose, ..., expand, squeeze, split, set), copies and Python [].

Every view must share the storage of its source in both directions; the property tests check
that, and the values, against NumPy on random shapes, types and (non-contiguous) layouts.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ALL_TYPES, assert_close, make, np_of
from hypothesis import given, settings
from hypothesis import strategies as st

import torch7 as torch

NC = [False, True]


def check_shared(x, v, f) -> None:
    """``v`` (a view of ``x``) equals ``f(x as numpy)`` and shares memory with ``x`` both ways.

    ``f`` maps a NumPy array to the NumPy equivalent of the view (it may return a read-only view).
    """
    xn = np_of(x)
    assert_close(v, f(xn), typename=x.type())
    assert v.storage() is x.storage()
    # writing through the view changes exactly the covered elements of the source
    pos = np.arange(xn.size).reshape(xn.shape)
    covered = np.asarray(f(pos)).reshape(-1)
    expected = xn.copy()
    expected.reshape(-1)[covered] = 3
    v.fill(3)
    np.testing.assert_array_equal(np_of(x), expected)
    # writing into the source shows through the view
    new = (np.arange(xn.size) % 7 + 1).astype(xn.dtype).reshape(xn.shape)
    x.copy(torch.from_numpy(new))
    assert_close(v, f(new))


# ---- narrow / select / sub ----------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_narrow(typename, noncontig):
    x = make(typename, (4, 5, 3), noncontig=noncontig)
    check_shared(x, x.narrow(1, 1, 3), lambda a: a[:, 1:4])
    check_shared(x, x.narrow(-1, 2, 1), lambda a: a[:, :, 2:3])
    check_shared(x, x.narrow(0, 0, 4), lambda a: a)


def test_narrow_offsets_and_errors():
    x = torch.Tensor(5, 6)
    y = x.narrow(0, 2, 3)
    assert y.storageOffset() == 12 and tuple(y.stride()) == (6, 1) and y.isContiguous()
    z = x.narrow(1, 2, 3)
    assert z.storageOffset() == 2 and not z.isContiguous()
    assert x.narrow(0, 1, 0).nElement() == 0
    with pytest.raises(IndexError, match="narrow: index 4 \\+ size 3 out of range for dimension 0 of size 5"):
        x.narrow(0, 4, 3)
    with pytest.raises(IndexError, match="narrow: dimension 2 out of range"):
        x.narrow(2, 0, 1)


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_select(typename, noncontig):
    x = make(typename, (4, 5, 3), noncontig=noncontig)
    check_shared(x, x.select(0, 2), lambda a: a[2])
    check_shared(x, x.select(1, -1), lambda a: a[:, -1])
    check_shared(x, x.select(2, 0), lambda a: a[:, :, 0])


def test_select_one_dim_returns_number():
    v = torch.Tensor([1.5, 2.5, 3.5])
    assert v.select(0, 1) == 2.5 and isinstance(v.select(0, 1), float)
    assert torch.IntTensor([4, 5]).select(0, -1) == 5
    assert isinstance(torch.LongTensor([4, 5]).select(0, 0), int)
    with pytest.raises(IndexError, match="select: index 3 out of range for dimension 0 of size 3"):
        v.select(0, 3)
    with pytest.raises(IndexError, match="select: dimension 1"):
        v.select(1, 0)


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_sub_inclusive_negative(typename, noncontig):
    x = make(typename, (5, 6, 2), noncontig=noncontig)
    check_shared(x, x.sub(1, 3), lambda a: a[1:4])
    check_shared(x, x.sub(1, 3, 2, 3), lambda a: a[1:4, 2:4])
    check_shared(x, x.sub(-1, -1, 0, -2, 1, 1), lambda a: a[4:5, 0:5, 1:2])


def test_sub_errors():
    x = torch.Tensor(5, 6)
    with pytest.raises(IndexError, match="sub"):
        x.sub(3, 1)
    with pytest.raises(IndexError, match="sub"):
        x.sub(0, 5)
    with pytest.raises(ValueError, match="sub"):
        x.sub(0, 1, 2)


# ---- transpose / t / permute / unfold -----------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_transpose_t_permute(typename, noncontig):
    x = make(typename, (2, 3, 4), noncontig=noncontig)
    check_shared(x, x.transpose(0, 2), lambda a: a.swapaxes(0, 2))
    check_shared(x, x.transpose(-1, 1), lambda a: a.swapaxes(2, 1))
    check_shared(x, x.transpose(1, 1), lambda a: a)
    check_shared(x, x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1))
    check_shared(x, torch.permute(x, 1, 2, 0), lambda a: a.transpose(1, 2, 0))
    m = make(typename, (3, 4), noncontig=noncontig)
    check_shared(m, m.t(), lambda a: a.T)
    assert tuple(m.t().stride()) == tuple(reversed(m.stride()))


def test_transpose_errors():
    with pytest.raises(ValueError, match="t: expected a 2-D tensor, got size 2x3x4"):
        torch.Tensor(2, 3, 4).t()
    with pytest.raises(ValueError, match="permute"):
        torch.Tensor(2, 3, 4).permute(0, 0, 1)
    with pytest.raises(IndexError, match="transpose"):
        torch.Tensor(2, 3).transpose(0, 2)


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_unfold(typename, noncontig):
    x = make(typename, (7, 3), noncontig=noncontig)
    win = np.lib.stride_tricks.sliding_window_view
    check_shared(x, x.unfold(0, 3, 2), lambda a: win(a, 3, axis=0)[::2])
    check_shared(x, x.unfold(1, 2, 1), lambda a: win(a, 2, axis=1))
    # (7 - 2) // 3 + 1 = 2 windows; the trailing 7 is dropped
    assert torch.Tensor([1, 2, 3, 4, 5, 6, 7]).unfold(0, 2, 3).totable() == [[1, 2], [4, 5]]
    with pytest.raises(ValueError, match="unfold"):
        x.unfold(0, 8, 1)


# ---- view / viewAs / expand / squeeze / unsqueeze ---------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_view(typename):
    x = make(typename, (2, 3, 4))
    check_shared(x, x.view(6, 4), lambda a: a.reshape(6, 4))
    check_shared(x, x.view(-1), lambda a: a.reshape(-1))
    check_shared(x, x.view(4, -1, 2), lambda a: a.reshape(4, 3, 2))
    check_shared(x, x.view(torch.LongStorage([3, 8])), lambda a: a.reshape(3, 8))
    check_shared(x, x.view(torch.Size([24, 1])), lambda a: a.reshape(24, 1))
    check_shared(x, x.viewAs(torch.Tensor(12, 2)), lambda a: a.reshape(12, 2))
    check_shared(x, torch.view(x, 8, 3), lambda a: a.reshape(8, 3))
    check_shared(x, torch.viewAs(x, torch.ByteTensor(4, 6)), lambda a: a.reshape(4, 6))
    res = torch.tensor_class(typename)()
    assert torch.view(res, x, 12, 2) is res
    check_shared(x, res, lambda a: a.reshape(12, 2))


def test_view_errors():
    x = torch.Tensor(2, 3)
    with pytest.raises(ValueError, match="Wrong size for view. Input size: 2x3. Output size: 4x2"):
        x.view(4, 2)
    with pytest.raises(ValueError, match="only one dimension can be -1"):
        x.view(-1, -1)
    with pytest.raises(ValueError, match="not contiguous"):
        x.t().view(6)
    with pytest.raises(TypeError, match="view"):
        x.view(2.5, 2)


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_expand_writable_stride0(typename, noncontig):
    x = make(typename, (3, 1), noncontig=noncontig)
    e = x.expand(3, 4)
    assert tuple(e.stride())[1] == 0 and tuple(e.size()) == (3, 4)
    check_shared(x, e, lambda a: np.broadcast_to(a, (3, 4)))
    check_shared(x, x.expand(2, 3, 4), lambda a: np.broadcast_to(a, (2, 3, 4)))
    check_shared(x, x.expandAs(torch.Tensor(3, 5)), lambda a: np.broadcast_to(a, (3, 5)))
    check_shared(x, torch.expand(x, 3, 2), lambda a: np.broadcast_to(a, (3, 2)))
    check_shared(x, torch.expandAs(x, torch.Tensor(3, 6)), lambda a: np.broadcast_to(a, (3, 6)))
    # writing one element of an expanded row writes the single element behind it
    y = torch.Tensor([[1], [2]])
    y.expand(2, 3)[1, 2] = 9
    assert y.totable() == [[1], [9]]


def test_expand_errors():
    with pytest.raises(ValueError, match="expand: cannot expand size 2x3 to 4x3"):
        torch.Tensor(2, 3).expand(4, 3)
    with pytest.raises(ValueError, match="expand"):
        torch.Tensor(2, 3).expand(3)


def test_squeeze_in_place():
    x = torch.Tensor(1, 3, 1, 2)
    s = x.storage()
    assert x.squeeze() is x and tuple(x.size()) == (3, 2) and x.storage() is s
    y = torch.Tensor(1, 3, 1)
    assert tuple(y.squeeze(2).size()) == (1, 3)
    assert tuple(y.squeeze(1).size()) == (1, 3)  # not a size-1 dim: unchanged
    assert tuple(y.squeeze(0).size()) == (3,)
    one = torch.Tensor(1, 1, 1).fill(4.5)
    assert one.squeeze() == 4.5  # one element left: a number, as Torch7


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_unsqueeze(typename, noncontig):
    x = make(typename, (2, 3), noncontig=noncontig)
    check_shared(x, x.unsqueeze(0), lambda a: a[None])
    check_shared(x, x.unsqueeze(1), lambda a: a[:, None])
    check_shared(x, x.unsqueeze(-1), lambda a: a[:, :, None])


# ---- split / chunk ------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_split_chunk(typename, noncontig):
    x = make(typename, (5, 4), noncontig=noncontig)
    parts = x.split(2)
    assert [tuple(p.size()) for p in parts] == [(2, 4), (2, 4), (1, 4)]
    for i, p in enumerate(parts):
        check_shared(x, p, lambda a, i=i: a[2 * i:2 * i + 2])
    parts = torch.split(x, 3, 1)
    assert [tuple(p.size()) for p in parts] == [(5, 3), (5, 1)]
    check_shared(x, parts[1], lambda a: a[:, 3:])
    chunks = x.chunk(2)
    assert [tuple(p.size()) for p in chunks] == [(3, 4), (2, 4)]
    check_shared(x, chunks[1], lambda a: a[3:])
    out = []
    assert torch.chunk(out, x, 4, 1) is out and len(out) == 4
    check_shared(x, out[2], lambda a: a[:, 2:3])


# ---- set ----------------------------------------------------------------------------------------
def test_set_all_forms():
    s = torch.DoubleStorage(list(range(12)))
    x = torch.Tensor()
    assert x.set(s) is x and x.totable() == list(range(12)) and x.storage() is s
    x.set(s, 2, torch.LongStorage([2, 3]))
    assert x.totable() == [[2, 3, 4], [5, 6, 7]] and x.storageOffset() == 2
    x.set(s, 1, torch.Size([2, 2]), torch.Size([4, 1]))
    assert x.totable() == [[1, 2], [5, 6]] and tuple(x.stride()) == (4, 1)
    x.set(s, 3, 2, 4, 3, 2)  # storage, offset, sz1, st1, sz2, st2
    assert x.totable() == [[3, 5, 7], [7, 9, 11]] and tuple(x.stride()) == (4, 2)
    x.set(s, 0, 3)
    assert x.totable() == [0, 1, 2]
    y = torch.Tensor(2, 2).t()
    x.set(y)
    assert x.isSetTo(y) and y.isSetTo(x) and tuple(x.stride()) == (1, 2)
    x.fill(1)
    assert y.totable() == [[1, 1], [1, 1]]
    x.set()
    assert x.nElement() == 0 and x.dim() == 0


def test_set_errors():
    s = torch.DoubleStorage(5)
    with pytest.raises(IndexError, match="offset 3 with sizes 3 .*storage of size 5"):
        torch.Tensor().set(s, 3, torch.LongStorage([3]))
    with pytest.raises(TypeError, match="set"):
        torch.Tensor().set(torch.FloatStorage(3))
    with pytest.raises(TypeError, match="set"):
        torch.Tensor().set(torch.FloatTensor(3))


# ---- contiguous / clone / copy / repeatTensor -----------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_contiguous_clone(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig)
    c = x.contiguous()
    assert c.isContiguous()
    assert_close(c, np_of(x), typename=typename)
    assert (c is x) == (not noncontig)
    k = x.clone()
    assert k.isContiguous() and k.storage() is not x.storage()
    assert_close(k, np_of(x), typename=typename)
    before = np_of(x)
    k.fill(1)
    np.testing.assert_array_equal(np_of(x), before)


@pytest.mark.parametrize("src_type", ALL_TYPES)
@pytest.mark.parametrize("dst_type", ALL_TYPES)
def test_copy_across_types(src_type, dst_type):
    src = make(src_type, (3, 4), noncontig=True, low=0, high=100)
    dst = make(dst_type, (2, 6), noncontig=True, seed=1)  # same nElement, other shape
    s = dst.storage()
    assert dst.copy(src) is dst
    expected = np_of(src).reshape(-1).astype(torch.tensor_class(dst_type)._dtype).reshape(2, 6)
    assert_close(dst, expected, typename=dst_type)
    assert dst.storage() is s


def test_copy_nelement_rule():
    with pytest.raises(ValueError, match="copy: sizes do not match: destination 2x3 vs source 5"):
        torch.Tensor(2, 3).copy(torch.Tensor(5))
    d = torch.ByteTensor(2).copy(torch.Tensor([300, 2.7]))
    assert d.totable() == [44, 2]  # C conversion: wraps, truncates


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_repeatTensor(typename, noncontig):
    x = make(typename, (2, 3), noncontig=noncontig)
    r = x.repeatTensor(2, 1, 3)
    assert_close(r, np.tile(np_of(x), (2, 1, 3)), typename=typename)
    assert r.storage() is not x.storage()
    assert_close(torch.repeatTensor(x, 3, 1), np.tile(np_of(x), (3, 1)))
    res = torch.tensor_class(typename)()
    assert torch.repeatTensor(res, x, 1, 2) is res
    assert_close(res, np.tile(np_of(x), (1, 2)))
    with pytest.raises(ValueError, match="repeatTensor"):
        x.repeatTensor(2)


# ---- Python [] -----------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_getitem_basic_views(typename, noncontig):
    x = make(typename, (4, 5, 3), noncontig=noncontig)
    for key in [1, -1, (1, 2), (slice(None), 2), (slice(1, 3), slice(None), -1), (slice(None, None, 2),),
                (slice(0, 5, 3), slice(1, None, 2)), (None, 1), (Ellipsis, 0), (0, Ellipsis, slice(1, 2)),
                (slice(None), None, slice(2))]:
        check_shared(x, x[key], lambda a, key=key: a[key])


def test_getitem_numbers():
    x = torch.Tensor([[1, 2, 3], [4, 5, 6]])
    assert x[1, 2] == 6.0 and isinstance(x[1, 2], float)
    assert x[1][2] == 6.0 and x[-1][-3] == 4.0
    assert x[torch.LongStorage([0, 1])] == 2.0  # Torch7's full index of one element
    assert isinstance(torch.IntTensor([7])[0], int)
    assert len(x) == 2 and [r.totable() for r in x] == [[1, 2, 3], [4, 5, 6]]


def test_getitem_masks_and_index_tensors():
    x = torch.Tensor([[1, 2, 3], [4, 5, 6]])
    m = torch.ByteTensor([[1, 0, 1], [0, 1, 0]])
    r = x[m]
    assert r.totable() == [1, 3, 5] and r.storage() is not x.storage()
    assert x[torch.LongTensor([1, 0, 1])].totable() == [[4, 5, 6], [1, 2, 3], [4, 5, 6]]
    assert x[:, torch.LongTensor([2, 0])].totable() == [[3, 1], [6, 4]]


X = torch.Tensor(2, 3)
E = torch.Tensor()


# Calls a fuzzer of the tensor API found answering with Python's or NumPy's own words (``'int' object has no
# attribute '_a'``, ``the truth value of a tensor is ambiguous``, ``unary.<locals>.method() takes ...``).
@pytest.mark.parametrize("call,err,msg", [
    (lambda: X.select(1, X), TypeError, r"select: expected an integer index, got a torch.DoubleTensor of size 2x3"),
    (lambda: X.narrow(0, 0.5, 1), TypeError, r"narrow: expected an integer index, got float 0.5"),
    (lambda: X.transpose(E, 1), TypeError, r"transpose: expected an integer dimension, got a torch.DoubleTensor"),
    (lambda: X.sub(0, 1.5), TypeError, r"sub: expected an integer end, got float 1.5"),
    (lambda: X.unfold(1, 2, X), TypeError, r"unfold: expected an integer step"),
    (lambda: X.split(0.5), TypeError, r"split: expected an integer size, got float 0.5"),
    (lambda: X.chunk(X), TypeError, r"chunk: expected an integer number of chunks"),
    (lambda: X.chunk(0), ValueError, r"chunk: the number of chunks must be positive, got 0"),
    (lambda: X.squeeze(-1.5), TypeError, r"squeeze: expected an integer dimension, got float -1.5"),
    (lambda: X.stride(0.5), TypeError, r"stride: expected an integer dimension"),
    (lambda: X.size("x"), TypeError, r"size: expected an integer dimension, got str 'x'"),
    (lambda: X.viewAs(2), TypeError, r"viewAs: expected a template tensor, got int 2"),
    (lambda: X.viewAs(torch.Tensor(4)), ValueError, r"viewAs: cannot view a tensor of size 2x3 as one of size 4"),
    (lambda: X.expandAs(2.0), TypeError, r"expandAs: expected a tensor, got float 2.0"),
    (lambda: X.resizeAs(1), TypeError, r"resizeAs: expected a tensor, got int 1"),
    (lambda: X.typeAs(-1.5), TypeError, r"typeAs: expected a tensor, got float -1.5"),
    (lambda: X.isSetTo(-2), TypeError, r"isSetTo: expected a tensor, got int -2"),
    (lambda: X.isSameSizeAs(None), TypeError, r"isSameSizeAs: expected a tensor, got NoneType None"),
    (lambda: X.map(3, abs), TypeError, r"map: expected a tensor, got int 3"),
    (lambda: X.map(X, X), TypeError, r"map: expected a function, got a torch.DoubleTensor of size 2x3"),
    (lambda: X.map2(-1.5, X, abs), TypeError, r"map2: expected a tensor, got float -1.5"),
    (lambda: X.apply(1), TypeError, r"apply: expected a function, got int 1"),
    (lambda: torch.totable(5), TypeError, r"torch.totable: expected a tensor or a storage, got int 5"),
    (lambda: X.expand(-2, 3), ValueError, r"expand: sizes must not be negative \(-1 keeps a dimension\)"),
    (lambda: E.expand(-1), ValueError, r"expand: -1 keeps an existing dimension; new leading dimensions need a size"),
    (lambda: X.repeatTensor(-2, 1), ValueError, r"repeatTensor: the numbers of repetitions must not be negative"),
    (lambda: torch.view(torch.FloatTensor(), X, 6), TypeError,
     r"torch.view: the result is a torch.FloatTensor but the tensor is a torch.DoubleTensor"),
    (lambda: X.exp(1, 2), TypeError, r"^exp\(\) takes from 1 to 2 positional arguments but 3 were given"),
    (lambda: torch.sum(X, 1, 2, 3), TypeError, r"^sum\(\) takes from 1 to 3 positional arguments"),
])
def test_bad_arguments_name_the_function(call, err, msg):
    with pytest.raises(err, match=msg):
        call()


def test_empty_views_of_empty_tensors():
    """Viewing or permuting an empty tensor as empty is allowed (was NumPy's "axes don't match array")."""
    assert E.permute().nElement() == 0
    assert torch.LongTensor().viewAs(torch.ByteTensor()).nElement() == 0


def test_getitem_errors():
    x = torch.Tensor(3, 4)
    with pytest.raises(IndexError, match="index 3 out of range for dimension 0 of size 3"):
        x[3]
    with pytest.raises(IndexError, match="index -5 out of range for dimension 1 of size 4"):
        x[0, -5]
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0, 0]
    with pytest.raises(ValueError, match="step must be positive"):
        x[::-1]
    with pytest.raises(TypeError, match="index"):
        x[1.5]
    with pytest.raises(TypeError, match="index"):
        x["a"]
    with pytest.raises(TypeError, match="FloatTensor"):
        x[torch.FloatTensor([0])]
    with pytest.raises(IndexError):
        torch.Tensor()[0]


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_setitem(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig)
    s = x.storage()
    e = np_of(x)
    x[1] = 5
    e[1] = 5
    x[0, 2] = 7
    e[0, 2] = 7
    x[:, 3] = torch.IntTensor([1, 2, 3])  # tensor: copy, with type conversion
    e[:, 3] = [1, 2, 3]
    x[1:, :2] = torch.DoubleTensor([9, 8, 7, 6])  # same nElement, other shape
    e[1:, :2] = [[9, 8], [7, 6]]
    x[-1, -1] = 2
    e[-1, -1] = 2
    assert_close(x, e, typename=typename)
    m = np.array([[1, 0, 0, 1], [0, 1, 0, 0], [1, 1, 0, 0]], dtype=np.uint8)
    x[torch.from_numpy(m)] = 4  # maskedFill
    e[m.astype(bool)] = 4
    assert_close(x, e, typename=typename)
    x[torch.from_numpy(m)] = torch.tensor_class(typename)([1, 2, 3, 4, 5, 6])  # maskedCopy: first 5, in order
    e[m.astype(bool)] = [1, 2, 3, 4, 5]
    assert_close(x, e, typename=typename)
    x[torch.LongTensor([2, 0])] = 1
    e[[2, 0]] = 1
    assert_close(x, e, typename=typename)
    assert x.storage() is s


def test_setitem_errors_and_conversion():
    b = torch.ByteTensor(3).zero()
    b[0] = 256
    b[1] = -1
    assert b.totable() == [0, 255, 0]
    x = torch.Tensor(2, 3)
    with pytest.raises(ValueError, match="index assignment: source of size 4 does not fit a target of size 3"):
        x[0] = torch.Tensor(4)
    with pytest.raises(IndexError, match="index 2 out of range"):
        x[2] = 1
    with pytest.raises(TypeError, match="index assignment"):
        x[0] = "a"
    with pytest.raises(ValueError, match="maskedCopy"):
        x[torch.ByteTensor([[1, 1, 1], [0, 0, 0]])] = torch.Tensor([1])


# ---- properties ---------------------------------------------------------------------------------
@st.composite
def tensors(draw, min_dims=1):
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=min_dims, max_size=4)))
    typename = draw(st.sampled_from(ALL_TYPES))
    return make(typename, shape, noncontig=draw(st.booleans()), seed=draw(st.integers(0, 99)))


@st.composite
def view_ops(draw):
    """(tensor, torch view function, numpy equivalent)."""
    x = draw(tensors())
    shape = tuple(x.size())
    nd = len(shape)
    d = draw(st.integers(0, nd - 1))
    n = shape[d]
    kind = draw(st.sampled_from(["narrow", "select", "sub", "transpose", "permute", "unfold", "expand",
                                 "unsqueeze", "getitem"]))
    if kind == "narrow":
        i = draw(st.integers(0, n - 1))
        k = draw(st.integers(1, n - i))
        return x, lambda t: t.narrow(d, i, k), lambda a: a[(slice(None),) * d + (slice(i, i + k),)]
    if kind == "select" and nd > 1:
        i = draw(st.integers(-n, n - 1))
        return x, lambda t: t.select(d, i), lambda a: a[(slice(None),) * d + (i,)]
    if kind == "sub":
        ranges, key = [], []
        for size in shape[:draw(st.integers(1, nd))]:
            s = draw(st.integers(0, size - 1))
            e = draw(st.integers(s, size - 1))
            neg = draw(st.booleans())
            ranges += [s - size, e - size] if neg else [s, e]
            key.append(slice(s, e + 1))
        return x, lambda t: t.sub(*ranges), lambda a: a[tuple(key)]
    if kind == "transpose":
        d2 = draw(st.integers(0, nd - 1))
        return x, lambda t: t.transpose(d, d2), lambda a: a.swapaxes(d, d2)
    if kind == "permute":
        perm = draw(st.permutations(list(range(nd))))
        return x, lambda t: t.permute(*perm), lambda a: a.transpose(perm)
    if kind == "unfold":
        size = draw(st.integers(1, n))
        step = draw(st.integers(1, 3))
        win = np.lib.stride_tricks.sliding_window_view
        return (x, lambda t: t.unfold(d, size, step),
                lambda a: win(a, size, axis=d)[(slice(None),) * d + (slice(None, None, step),)])
    if kind == "expand":
        y = x.narrow(d, 0, 1)
        full = list(shape)
        full[d] = draw(st.integers(1, 4))
        lead = draw(st.lists(st.integers(1, 3), max_size=1))
        target = tuple(lead) + tuple(full)
        return (y, lambda t: t.expand(*target),
                lambda a: np.broadcast_to(a, target))
    if kind == "unsqueeze":
        k = draw(st.integers(0, nd))
        return x, lambda t: t.unsqueeze(k), lambda a: np.expand_dims(a, k)
    # getitem with a basic key (at least one slice so the result is a tensor)
    key = []
    for size in shape:
        c = draw(st.sampled_from(["int", "slice", "slice", "none"]))
        if c == "int":
            key.append(draw(st.integers(-size, size - 1)))
        elif c == "none":
            key += [None, slice(None)]
        else:
            start = draw(st.integers(0, size - 1))
            key.append(slice(start, draw(st.integers(start + 1, size)), draw(st.integers(1, 3))))
    if draw(st.booleans()) and None not in key:
        key = [Ellipsis] + key[len(key) // 2:]
    if np.empty(shape)[tuple(key)].ndim == 0:  # all ints: a number, not a view
        key[-1] = slice(None)
    key = tuple(key)
    return x, lambda t: t[key], lambda a: a[key]


@settings(max_examples=150, deadline=None)
@given(view_ops())
def test_views_share_storage_and_match_numpy(case):
    x, tf, nf = case
    check_shared(x, tf(x), nf)


@settings(max_examples=60, deadline=None)
@given(tensors(), st.data())
def test_view_reshape_matches_numpy(x, data):
    x = x.contiguous()
    shape = tuple(x.size())
    n = x.nElement()
    divisors = [k for k in range(1, n + 1) if n % k == 0]
    a = data.draw(st.sampled_from(divisors))
    if data.draw(st.booleans()):
        check_shared(x, x.view(a, -1), lambda arr: arr.reshape(a, -1))
    else:
        check_shared(x, x.view(-1, a), lambda arr: arr.reshape(-1, a))
    assert tuple(x.size()) == shape


@settings(max_examples=60, deadline=None)
@given(tensors(), st.sampled_from(ALL_TYPES))
def test_copy_any_layout_any_type(x, dst_type):
    dst = make(dst_type, tuple(reversed(tuple(x.size()))), noncontig=True)
    dst.copy(x)
    expected = np_of(x).reshape(-1).astype(torch.tensor_class(dst_type)._dtype).reshape(tuple(dst.size()))
    assert_close(dst, expected)


def test_resize_to_no_sizes_is_empty():
    """resize(torch.Size()) gives Torch7's tensor with no dimension, not a one-element 0-d array."""
    x = torch.Tensor(3).fill(1)
    assert x.resize(torch.Size()).nElement() == 0 and x.dim() == 0
    y = torch.Tensor(2, 2)
    assert y.resizeAs(torch.Tensor()).nElement() == 0
