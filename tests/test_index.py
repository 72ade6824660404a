"""Index functions: index, indexCopy, indexAdd, indexFill, gather, scatter, masked*, nonzero.

Every function is checked against a NumPy formula (or an explicit loop for the order-sensitive
ones), for every type, on contiguous and non-contiguous inputs, in method and result-first forms.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ALL_TYPES, assert_close, make, np_of
from hypothesis import given, settings
from hypothesis import strategies as st

import torch7 as torch

NC = [False, True]


def long(values) -> torch.LongTensor:
    return torch.LongTensor(list(values))


def long_nc(values) -> torch.LongTensor:
    """A non-contiguous 1-D LongTensor holding ``values``."""
    big = torch.LongTensor(len(values), 2).zero()
    col = big.select(1, 0)
    col.copy(long(values))
    assert not col.isContiguous() or len(values) <= 1
    return col


def byte_mask(arr, noncontig=False) -> torch.ByteTensor:
    arr = np.asarray(arr, dtype=np.uint8)
    if not noncontig:
        return torch.from_numpy(arr.copy())
    t = make("torch.ByteTensor", arr.shape, noncontig=True)
    t.copy(torch.from_numpy(arr.copy()))
    return t


# ---- index ------------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_index_method_and_result_form(typename, noncontig, dim):
    x = make(typename, (4, 5, 3), noncontig=noncontig)
    ids = [2, 0, 2, 1]
    for idx in (long(ids), long_nc(ids)):
        expected = np.take(np_of(x), ids, axis=dim)
        r = x.index(dim, idx)
        assert_close(r, expected, typename=typename)
        # a copy: writing into it leaves x alone
        before = np_of(x)
        r.fill(7)
        np.testing.assert_array_equal(np_of(x), before)
        res = torch.tensor_class(typename)(2, 2)
        assert res.index(x, dim, idx) is res
        assert_close(res, expected, typename=typename)


@pytest.mark.parametrize("typename", ["torch.DoubleTensor", "torch.IntTensor"])
def test_index_one_dim_and_empty_index(typename):
    x = make(typename, (6,), noncontig=True)
    assert_close(x.index(0, long([5, 5, 0])), np_of(x)[[5, 5, 0]])
    assert x.index(0, torch.LongTensor()).nElement() == 0


def test_index_is_method_only():
    assert not hasattr(torch, "index")
    assert not hasattr(torch, "indexCopy")
    assert not hasattr(torch, "maskedSelect")


def test_index_errors():
    x = torch.Tensor(5, 3)
    with pytest.raises(IndexError, match=r"index: index 5 out of range for dimension 0 of size 5"):
        x.index(0, long([1, 5]))
    with pytest.raises(IndexError, match=r"index -1 out of range for dimension 1 of size 3"):
        x.index(1, long([-1]))
    with pytest.raises(IndexError, match="index: dimension 2"):
        x.index(2, long([0]))
    with pytest.raises(TypeError, match="LongTensor"):
        x.index(0, torch.IntTensor([0]))
    with pytest.raises(ValueError, match="vector"):
        x.index(0, torch.LongTensor(2, 2).zero())
    with pytest.raises(TypeError, match="torch.FloatTensor"):
        torch.FloatTensor().index(x, 0, long([0]))
    with pytest.raises(ValueError, match="empty"):
        torch.Tensor().index(0, long([0]))


@pytest.mark.parametrize("n", [1, 48, 49, 500])  # short index vectors are checked in Python, long ones by NumPy
@pytest.mark.parametrize("bad", [-1, -(2 ** 63), 5, 2 ** 62])
def test_index_range_checked_for_any_length(n, bad):
    x = torch.Tensor(5, 3)
    ids = [i % 5 for i in range(n)]
    ids[n // 2] = bad
    with pytest.raises(IndexError, match=rf"index {bad} out of range for dimension 0 of size 5"):
        x.index(0, long(ids))
    ids[n // 2] = 4
    assert_close(x.index(0, long(ids)), np_of(x)[ids])


# ---- indexCopy / indexAdd / indexFill -------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("dim", [0, 1])
def test_indexCopy(typename, noncontig, dim):
    x = make(typename, (5, 4), noncontig=noncontig)
    n = x.size(dim)
    ids = [n - 1, 0, 2]
    shape = (3, 4) if dim == 0 else (5, 3)
    src = make(typename, shape, noncontig=noncontig, seed=1)
    expected = np_of(x)
    if dim == 0:
        expected[ids] = np_of(src)
    else:
        expected[:, ids] = np_of(src)
    storage = x.storage()
    assert x.indexCopy(dim, long_nc(ids), src) is x
    assert_close(x, expected, typename=typename)
    assert x.storage() is storage


def test_indexCopy_repeated_index_last_wins_and_slice_count_rule():
    x = torch.Tensor(3, 2).zero()
    x.indexCopy(0, long([1, 1, 1]), torch.Tensor([[1, 2], [3, 4], [5, 6]]))
    np.testing.assert_array_equal(np_of(x), [[0, 0], [5, 6], [0, 0]])
    # Torch7 copies slices by element count: a 2x2 slice accepts a 4-element slice of the source.
    y = torch.Tensor(3, 2, 2).zero()
    y.indexCopy(0, long([2]), torch.Tensor([[1, 2, 3, 4]]))
    np.testing.assert_array_equal(np_of(y)[2], [[1, 2], [3, 4]])
    v = torch.Tensor(4).zero()
    v.indexCopy(0, long([3, 0]), torch.Tensor([7, 8]))
    np.testing.assert_array_equal(np_of(v), [8, 0, 0, 7])


def test_indexCopy_errors():
    x = torch.Tensor(5, 3)
    with pytest.raises(IndexError, match=r"^indexCopy: index 7 out of range for dimension 0 of size 5$"):
        x.indexCopy(0, long([7]), torch.Tensor(1, 3))
    with pytest.raises(ValueError, match=r"indexCopy: .*size 2 .*dimension 0"):
        x.indexCopy(0, long([0, 1]), torch.Tensor(3, 3))
    with pytest.raises(ValueError, match="indexCopy"):
        x.indexCopy(0, long([0]), torch.Tensor(1, 4))
    with pytest.raises(TypeError, match="indexCopy: source is a torch.FloatTensor"):
        x.indexCopy(0, long([0]), torch.FloatTensor(1, 3))


def _index_add_loop(x: np.ndarray, dim: int, ids, src: np.ndarray) -> np.ndarray:
    out = x.copy()
    for i, j in enumerate(ids):
        if dim == 0:
            out[j] += src[i]
        else:
            out[:, j] += src[:, i]
    return out


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("dim", [0, 1])
def test_indexAdd_accumulates_repeats(typename, noncontig, dim):
    x = make(typename, (4, 5), noncontig=noncontig, low=0, high=10)
    ids = [1, 3, 1, 1, 0]
    shape = (5, 5) if dim == 0 else (4, 5)
    src = make(typename, shape, noncontig=noncontig, low=0, high=10, seed=2)
    expected = _index_add_loop(np_of(x), dim, ids, np_of(src))
    assert x.indexAdd(dim, long(ids), src) is x
    assert_close(x, expected, typename=typename)


def test_indexAdd_one_dim_and_errors():
    v = torch.Tensor([1, 2, 3])
    v.indexAdd(0, long([2, 2, 0]), torch.Tensor([10, 20, 30]))
    np.testing.assert_array_equal(np_of(v), [31, 2, 33])
    with pytest.raises(IndexError, match="indexAdd: index 3 out of range for dimension 0 of size 3"):
        v.indexAdd(0, long([3]), torch.Tensor([1]))
    with pytest.raises(ValueError, match="indexAdd"):
        v.indexAdd(0, long([0, 1]), torch.Tensor([1]))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_indexAdd_property(data):
    typename = data.draw(st.sampled_from(["torch.DoubleTensor", "torch.LongTensor", "torch.FloatTensor"]))
    shape = tuple(data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    dim = data.draw(st.integers(0, len(shape) - 1))
    ids = data.draw(st.lists(st.integers(0, shape[dim] - 1), min_size=0, max_size=6))
    noncontig = data.draw(st.booleans())
    x = make(typename, shape, noncontig=noncontig, low=0, high=10)
    sshape = shape[:dim] + (len(ids),) + shape[dim + 1:]
    expected = np.moveaxis(np_of(x), dim, 0).copy()
    if ids:
        src = make(typename, sshape, noncontig=noncontig, low=0, high=10, seed=3)
        s = np.moveaxis(np_of(src), dim, 0)
        for i, j in enumerate(ids):
            expected[j] += s[i]
        x.indexAdd(dim, long(ids), src)
    assert_close(x, np.moveaxis(expected, 0, dim), tolerance=1e-5)


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_indexFill(typename, noncontig):
    x = make(typename, (4, 3, 2), noncontig=noncontig)
    expected = np_of(x)
    expected[:, [2, 0]] = 5
    assert x.indexFill(1, long([2, 0, 2]), 5) is x
    assert_close(x, expected, typename=typename)


def test_indexFill_converts_like_C():
    x = torch.IntTensor(3).zero()
    x.indexFill(0, long([1]), 2.7)
    assert x.totable() == [0, 2, 0]
    b = torch.ByteTensor(2).zero().indexFill(0, long([0]), -1)
    assert b.totable() == [255, 0]
    with pytest.raises(TypeError, match="indexFill"):
        x.indexFill(0, long([0]), "a")
    with pytest.raises(IndexError, match="indexFill: index 3 out of range for dimension 0 of size 3"):
        x.indexFill(0, long([3]), 1)


# ---- gather / scatter ---------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("dim", [0, 1, 2])
def test_gather(typename, noncontig, dim):
    x = make(typename, (3, 4, 5), noncontig=noncontig)
    ishape = list(x.size())
    ishape[dim] = 6
    idx = make("torch.LongTensor", tuple(ishape), noncontig=noncontig, low=0, high=x.size(dim), seed=5)
    expected = np.take_along_axis(np_of(x), np_of(idx), axis=dim)
    assert_close(x.gather(dim, idx), expected, typename=typename)
    assert_close(torch.gather(x, dim, idx), expected, typename=typename)
    res = torch.tensor_class(typename)()
    assert torch.gather(res, x, dim, idx) is res
    assert_close(res, expected, typename=typename)
    res2 = torch.tensor_class(typename)(1)
    assert res2.gather(x, dim, idx) is res2
    assert_close(res2, expected, typename=typename)


def test_gather_example_and_errors():
    x = torch.Tensor([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(np_of(x.gather(1, torch.LongTensor([[2, 0], [1, 1]]))), [[3, 1], [5, 5]])
    np.testing.assert_array_equal(np_of(x.gather(0, torch.LongTensor([[1, 0, 1]]))), [[4, 2, 6]])
    with pytest.raises(IndexError, match="gather: index 3 out of range for dimension 1 of size 3"):
        x.gather(1, torch.LongTensor([[3], [0]]))
    with pytest.raises(IndexError, match="gather: index -1 out of range"):
        x.gather(1, torch.LongTensor([[-1], [0]]))
    with pytest.raises(ValueError, match=r"gather: index of size 3x1 does not match the source of size 2x3"):
        x.gather(1, torch.LongTensor([[0], [0], [0]]))
    with pytest.raises(ValueError, match="gather"):
        x.gather(1, torch.LongTensor([0, 1]))
    with pytest.raises(TypeError, match="gather: indices must be a torch.LongTensor"):
        x.gather(1, torch.IntTensor([[0], [0]]))


def _scatter_loop(x: np.ndarray, dim: int, idx: np.ndarray, src) -> np.ndarray:
    out = x.copy()
    for pos in np.ndindex(*idx.shape):
        target = list(pos)
        target[dim] = idx[pos]
        out[tuple(target)] = src if np.isscalar(src) else src[pos]
    return out


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("dim", [0, 1])
def test_scatter_tensor_and_value(typename, noncontig, dim):
    x = make(typename, (4, 5), noncontig=noncontig)
    ishape = (3, 5) if dim == 0 else (4, 3)
    idx = make("torch.LongTensor", ishape, noncontig=noncontig, low=0, high=x.size(dim), seed=7)
    src = make(typename, (4, 5), noncontig=noncontig, seed=8)  # bigger than idx along dim: allowed
    expected = _scatter_loop(np_of(x), dim, np_of(idx), np_of(src))  # sequential: last repeat wins
    assert x.scatter(dim, idx, src) is x
    assert_close(x, expected, typename=typename)
    expected = _scatter_loop(np_of(x), dim, np_of(idx), 3)
    assert torch.scatter(x, dim, idx, 3) is x
    assert_close(x, expected, typename=typename)


def test_scatter_repeats_and_errors():
    x = torch.Tensor(3).zero()
    x.scatter(0, long([1, 1, 2, 1]), torch.Tensor([1, 2, 3, 4]))
    assert x.totable() == [0, 4, 3]
    m = torch.Tensor(2, 3).zero()
    with pytest.raises(IndexError, match="scatter: index 2 out of range for dimension 0 of size 2"):
        m.scatter(0, torch.LongTensor([[2, 0, 0]]), 1)
    with pytest.raises(ValueError, match="scatter"):
        m.scatter(0, torch.LongTensor([[0, 0]]), 1)
    with pytest.raises(ValueError, match="scatter: index of size 2x3 does not match the source of size 1x3"):
        m.scatter(0, torch.LongTensor([[0, 0, 0], [1, 1, 1]]), torch.Tensor(1, 3))
    with pytest.raises(TypeError, match="scatter"):
        m.scatter(0, torch.LongTensor([[0, 0, 0]]), torch.FloatTensor(1, 3))
    np.testing.assert_array_equal(np_of(m), np.zeros((2, 3)))  # failed calls changed nothing


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_gather_scatter_property(data):
    shape = tuple(data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    dim = data.draw(st.integers(0, len(shape) - 1))
    k = data.draw(st.integers(1, 5))
    ishape = shape[:dim] + (k,) + shape[dim + 1:]
    seed = data.draw(st.integers(0, 1000))
    x = make("torch.DoubleTensor", shape, noncontig=data.draw(st.booleans()), seed=seed)
    idx = make("torch.LongTensor", ishape, noncontig=data.draw(st.booleans()), low=0, high=shape[dim], seed=seed)
    assert_close(x.gather(dim, idx), np.take_along_axis(np_of(x), np_of(idx), axis=dim))
    src = make("torch.DoubleTensor", ishape, seed=seed + 1)
    expected = _scatter_loop(np_of(x), dim, np_of(idx), np_of(src))
    assert_close(x.scatter(dim, idx, src), expected)


# ---- masks ------------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_maskedSelect(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig)
    m = np.random.default_rng(1).integers(0, 2, (3, 4))
    mask = byte_mask(m, noncontig)
    expected = np_of(x)[m.astype(bool)]
    r = x.maskedSelect(mask)
    assert r.dim() == 1
    assert_close(r, expected, typename=typename)
    res = torch.tensor_class(typename)(7)
    assert res.maskedSelect(x, mask) is res
    assert_close(res, expected, typename=typename)
    assert_close(x[mask], expected, typename=typename)


def test_maskedSelect_shapes():
    x = torch.Tensor([[1, 2, 3], [4, 5, 6]])
    # broadcast (NumPy rules) and Torch7's same-element-count rule
    assert x.maskedSelect(torch.ByteTensor([1, 0, 1])).totable() == [1, 3, 4, 6]
    assert x.maskedSelect(torch.ByteTensor([[1, 0], [0, 1], [1, 0]])).totable() == [1, 4, 5]
    assert x.maskedSelect(torch.ByteTensor(2, 3).zero()).nElement() == 0
    with pytest.raises(ValueError, match=r"maskedSelect: mask of size 4 does not fit a tensor of size 2x3"):
        x.maskedSelect(torch.ByteTensor([1, 0, 1, 0]))
    with pytest.raises(ValueError, match="0 and 1"):
        x.maskedSelect(torch.ByteTensor([[1, 2, 0], [0, 0, 0]]))
    with pytest.raises(TypeError, match="torch.ByteTensor"):
        x.maskedSelect(torch.LongTensor([[1, 0, 0], [0, 0, 0]]))


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_maskedFill(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig)
    m = np.random.default_rng(2).integers(0, 2, (3, 4))
    expected = np_of(x)
    expected[m.astype(bool)] = 9
    assert x.maskedFill(byte_mask(m, noncontig), 9) is x
    assert_close(x, expected, typename=typename)


def test_maskedFill_converts_like_C():
    b = torch.ByteTensor([1, 2, 3])
    b.maskedFill(torch.ByteTensor([1, 0, 1]), 257)
    assert b.totable() == [1, 2, 1]
    i = torch.IntTensor([1, 2]).maskedFill(torch.ByteTensor([0, 1]), -3.9)
    assert i.totable() == [1, -3]


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_maskedCopy(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig)
    m = np.random.default_rng(3).integers(0, 2, (3, 4))
    cnt = int(m.sum())
    src = make(typename, (2, 10), noncontig=noncontig, seed=4)  # more elements than needed
    expected = np_of(x)
    expected[m.astype(bool)] = np_of(src).reshape(-1)[:cnt]
    assert x.maskedCopy(byte_mask(m, noncontig), src) is x
    assert_close(x, expected, typename=typename)


def test_maskedCopy_errors():
    x = torch.Tensor(2, 2).zero()
    with pytest.raises(ValueError, match="maskedCopy: the source of size 1 has fewer elements than the 2 ones"):
        x.maskedCopy(torch.ByteTensor([[1, 0], [0, 1]]), torch.Tensor([5]))
    with pytest.raises(TypeError, match="maskedCopy"):
        x.maskedCopy(torch.ByteTensor([[1, 0], [0, 1]]), torch.IntTensor([5, 6]))
    with pytest.raises(ValueError, match="0 and 1"):
        x.maskedFill(torch.ByteTensor([[3, 0], [0, 1]]), 1)
    np.testing.assert_array_equal(np_of(x), np.zeros((2, 2)))


# ---- nonzero ------------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_nonzero(typename, noncontig):
    x = make(typename, (3, 4, 2), noncontig=noncontig, low=0, high=3)
    expected = np.argwhere(np_of(x))
    r = x.nonzero()
    assert_close(r, expected, typename="torch.LongTensor")
    assert r.isContiguous()
    assert_close(torch.nonzero(x), expected, typename="torch.LongTensor")
    res = torch.LongTensor()
    assert torch.nonzero(res, x) is res
    assert_close(res, expected, typename="torch.LongTensor")
    res2 = torch.LongTensor(1)
    assert res2.nonzero(x) is res2
    assert_close(res2, expected)


def test_nonzero_shapes_and_errors():
    assert torch.nonzero(torch.Tensor([0, 3, 0, 5])).totable() == [[1], [3]]
    assert torch.nonzero(torch.Tensor(3).zero()).nElement() == 0
    assert torch.nonzero(torch.Tensor()).nElement() == 0
    with pytest.raises(TypeError, match="nonzero: the result must be a torch.LongTensor"):
        torch.nonzero(torch.Tensor(), torch.Tensor([1]))
    with pytest.raises(TypeError, match="torch.nonzero"):
        torch.nonzero([1, 2])


def test_torch_gather_names_itself_on_a_non_tensor():
    with pytest.raises(TypeError, match=r"torch.gather: invalid arguments \(str, int, LongTensor 1\)"):
        torch.gather("x", 0, torch.LongTensor([0]))
