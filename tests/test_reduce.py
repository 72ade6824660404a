"""Reductions and other dimension-wise functions: sum, prod, mean, var, std, max, min, trace, numel,
norm, dist, renorm, cumsum, cumprod, cross, histc, bhistc.

Each is checked against a NumPy formula (or an explicit loop where Torch7's rule is specific) on
every applicable type, contiguous and not, 1-D to 4-D, every dim including negative ones, in the
function, result-first and method forms.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ALL_TYPES, FLOAT_TYPES, INT_TYPES, assert_close, make, np_of, tol
from hypothesis import given, settings
from hypothesis import strategies as st

import torch7 as torch

NC = [False, True]
SHAPES = [(7,), (3, 5), (2, 3, 4), (2, 3, 2, 3)]


def cases():
    """(shape, dim) for every shape and every dim, negative ones included."""
    for shape in SHAPES:
        for d in range(-len(shape), len(shape)):
            yield shape, d


def wrap(expected: np.ndarray, typename: str) -> np.ndarray:
    """The exact result in the tensor's type (integers wrap as in C)."""
    return expected.astype(torch.tensor_class(typename)._dtype)


# ---- sum / prod ------------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("name,npf", [("sum", np.sum), ("prod", np.prod)])
def test_sum_prod_over_dim(typename, noncontig, name, npf):
    for shape, d in cases():
        lo_hi = {"low": -3, "high": 4} if name == "prod" and typename != "torch.ByteTensor" else {}
        x = make(typename, shape, noncontig=noncontig, **lo_hi)
        arr = np_of(x)
        acc = np.float64 if x._is_float else np.int64
        expected = wrap(npf(arr.astype(acc), axis=d, keepdims=True), typename)
        r = getattr(torch, name)(x, d)
        assert_close(r, expected, tol(typename), typename=typename)
        assert r.isContiguous()
        # method form: a new tensor, x unchanged
        assert_close(getattr(x, name)(d), expected, tol(typename))
        np.testing.assert_array_equal(np_of(x), arr)
        # result-first forms
        res = torch.tensor_class(typename)(5)
        assert getattr(torch, name)(res, x, d) is res
        assert_close(res, expected, tol(typename))
        res2 = torch.tensor_class(typename)()
        assert getattr(res2, name)(x, d) is res2
        assert_close(res2, expected, tol(typename))


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_sum_prod_all_are_numbers(typename, noncontig):
    x = make(typename, (4, 3, 5), noncontig=noncontig)
    arr = np_of(x)
    s = x.sum()
    if x._is_float:
        assert type(s) is float
        assert s == pytest.approx(float(arr.astype(np.float64).sum()), rel=1e-5)
    else:
        # accreal: no wrap-around even for a ByteTensor
        assert type(s) is int and s == int(arr.astype(np.int64).sum())
    y = make(typename, (6,), noncontig=noncontig, low=1, high=4)
    p = torch.prod(y)
    assert type(p) is (float if x._is_float else int)
    assert p == pytest.approx(float(np.prod(np_of(y).astype(np.float64))), rel=1e-5)


def test_sum_integer_overflow_wraps_over_a_dim_but_not_for_the_number():
    x = torch.ByteTensor([[200, 100], [100, 200]])
    assert x.sum() == 600
    assert x.sum(1).tolist() == [[44], [44]]  # 300 mod 256
    assert torch.sum(torch.Tensor()) == 0.0


def test_sum_big_float32_is_accurate():
    a = np.full(10**6, 0.1, np.float32)
    assert torch.from_numpy(a).sum() == pytest.approx(10**5, rel=1e-6)
    col = torch.from_numpy(np.full((10**5, 2), 0.1, np.float32)).select(1, 0)  # strided
    assert col.sum() == pytest.approx(10**4, rel=1e-6)


def test_sum_dim_arguments_and_errors():
    x = make("torch.DoubleTensor", (3, 4))
    assert_close(x.sum(np.int64(1)), np_of(x).sum(1, keepdims=True))
    with pytest.raises(IndexError, match="sum: dimension 2 out of range"):
        x.sum(2)
    with pytest.raises(IndexError, match="prod"):
        torch.prod(x, -3)
    with pytest.raises(TypeError, match="sum"):
        x.sum(1.5)
    with pytest.raises(TypeError, match="sum"):
        torch.sum([1, 2], 0)
    with pytest.raises(TypeError, match="must be a torch.DoubleTensor"):
        torch.sum(torch.FloatTensor(), x, 0)
    with pytest.raises(IndexError):
        torch.Tensor().sum(0)


# ---- max / min ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_over_dim(typename, noncontig, name):
    npf, arg = (np.max, np.argmax) if name == "max" else (np.min, np.argmin)
    shapes = [(shape, d) for shape, d in cases()] + [((70, 80), 0), ((70, 80), -1), ((9, 30, 20), 1)]
    for shape, d in shapes:
        x = make(typename, shape, noncontig=noncontig, low=0, high=5)  # many ties
        arr = np_of(x)
        ev = npf(arr, axis=d, keepdims=True)
        # the first position holding the extreme value
        ei = (arr == ev).argmax(axis=d, keepdims=True)
        assert (ei == arg(arr, axis=d, keepdims=True)).all()
        v, i = getattr(torch, name)(x, d)
        assert_close(v, ev, typename=typename)
        assert_close(i, ei, typename="torch.LongTensor")
        assert v.isContiguous() and i.isContiguous()
        v, i = getattr(x, name)(d)
        assert_close(v, ev)
        assert_close(i, ei)
        rv, ri = torch.tensor_class(typename)(), torch.LongTensor(3)
        out = getattr(torch, name)(rv, ri, x, d)
        assert out[0] is rv and out[1] is ri
        assert_close(rv, ev)
        assert_close(ri, ei)
        rv2, ri2 = torch.tensor_class(typename)(), torch.LongTensor()
        getattr(rv2, name)(ri2, x, d)
        assert_close(rv2, ev)
        assert_close(ri2, ei)
        # without a dim: the element itself, a Python number
        m = getattr(x, name)()
        assert m == npf(arr).item() and type(m) is (float if x._is_float else int)


def test_max_ties_give_the_first_index():
    x = torch.Tensor([[1, 3, 3], [2, 2, 0], [0, 0, 0]])
    v, i = x.max(1)
    assert v.tolist() == [[3], [2], [0]] and i.tolist() == [[1], [0], [0]]
    v, i = x.min(0)
    assert v.tolist() == [[0, 0, 0]] and i.tolist() == [[2, 2, 1]]


@pytest.mark.parametrize("n", [5, 5000])
def test_max_min_nan_wins_at_its_first_position(n):
    a = np.arange(n, dtype=np.float64)
    a[1] = a[3] = np.nan
    x = torch.from_numpy(a)
    for f in (torch.max, torch.min):
        v, i = f(x, 0)
        assert np.isnan(v.tolist()[0]) and i.tolist() == [1]
        assert np.isnan(f(x))


def test_max_errors():
    x = make("torch.FloatTensor", (2, 3))
    with pytest.raises(ValueError, match="max: the tensor is empty"):
        torch.Tensor().max()
    with pytest.raises(IndexError, match="min: dimension 5"):
        x.min(5)
    with pytest.raises(TypeError, match="LongTensor"):
        torch.max(torch.FloatTensor(), torch.IntTensor(), x, 0)
    with pytest.raises(TypeError, match="max"):
        torch.max(torch.FloatTensor(), x, 0)


# ---- mean / var / std -------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_mean_var_std_over_dim(typename, noncontig):
    for shape, d in cases():
        x = make(typename, shape, noncontig=noncontig)
        arr = np_of(x).astype(np.float64)
        for name, flag, expected in [
            ("mean", None, arr.mean(axis=d, keepdims=True)),
            ("var", None, arr.var(axis=d, ddof=1, keepdims=True)),
            ("var", False, arr.var(axis=d, ddof=1, keepdims=True)),
            ("var", True, arr.var(axis=d, ddof=0, keepdims=True)),
            ("std", None, arr.std(axis=d, ddof=1, keepdims=True)),
            ("std", True, arr.std(axis=d, ddof=0, keepdims=True)),
        ]:
            extra = () if flag is None else (flag,)
            assert_close(getattr(torch, name)(x, d, *extra), expected, tol(typename), typename=typename)
            assert_close(getattr(x, name)(d, *extra), expected, tol(typename))
            res = torch.tensor_class(typename)(2, 2)
            assert getattr(torch, name)(res, x, d, *extra) is res
            assert_close(res, expected, tol(typename))
            res2 = torch.tensor_class(typename)()
            assert getattr(res2, name)(x, d, *extra) is res2
            assert_close(res2, expected, tol(typename))


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_mean_var_std_all_are_floats(typename, noncontig):
    x = make(typename, (3, 4, 5), noncontig=noncontig)
    arr = np_of(x).astype(np.float64)
    assert x.mean() == pytest.approx(arr.mean(), rel=1e-6) and type(x.mean()) is float
    assert x.var() == pytest.approx(arr.var(ddof=1), rel=1e-6)
    assert torch.var(x, True) == pytest.approx(arr.var(), rel=1e-6)
    assert x.std() == pytest.approx(arr.std(ddof=1), rel=1e-6)
    assert torch.std(x, True) == pytest.approx(arr.std(), rel=1e-6)


def test_var_of_one_element_is_nan_and_never_negative():
    assert np.isnan(torch.Tensor([3]).var())
    assert np.isnan(torch.Tensor([[3, 4]]).std(0).tolist()[0][0])
    assert torch.Tensor([[3, 4]]).std(0, True).tolist() == [[0.0, 0.0]]
    big = torch.Tensor([1e8 + 1, 1e8 + 1, 1e8 + 1])
    assert big.var() == 0.0 and big.var(0).tolist() == [0.0]


@pytest.mark.parametrize("typename", INT_TYPES)
@pytest.mark.parametrize("name", ["mean", "var", "std", "norm", "histc", "bhistc", "renorm"])
def test_float_only_functions_reject_integer_tensors(typename, name):
    x = make(typename, (3, 3))
    args = (2, 0, 1) if name == "renorm" else ()
    with pytest.raises(TypeError, match=f"{name}: not defined for {typename}"):
        getattr(torch, name)(x, *args)
    with pytest.raises(TypeError, match="dist"):
        torch.dist(x, x)


# ---- trace / numel -----------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_trace_numel(typename, noncontig):
    for shape in [(3, 5), (5, 3), (4, 4)]:
        x = make(typename, shape, noncontig=noncontig)
        t = x.trace()
        assert t == np.trace(np_of(x).astype(np.float64)) and type(t) is (float if x._is_float else int)
        assert torch.trace(x) == t
        assert torch.numel(x) == x.nElement() == shape[0] * shape[1]
    with pytest.raises(ValueError, match="trace: expected a 2-D tensor, got size 7"):
        make(typename, (7,)).trace()


# ---- norm / dist / renorm ---------------------------------------------------------------------------
def np_norm(arr, p, axis=None, keepdims=False):
    arr = arr.astype(np.float64)
    if p == 0:
        return (arr != 0).sum(axis=axis, keepdims=keepdims).astype(np.float64)
    return (np.abs(arr) ** p).sum(axis=axis, keepdims=keepdims) ** (1.0 / p)


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_norm(typename, noncontig):
    for shape, d in cases():
        x = make(typename, shape, noncontig=noncontig)
        arr = np_of(x)
        arr[arr > 1.5] = 0  # zeros for p = 0
        x.copy(torch.from_numpy(arr.copy()))
        for p in (0, 1, 2, 3, 0.5):
            expected = np_norm(arr, p, d, keepdims=True)
            assert_close(torch.norm(x, p, d), expected, tol(typename), typename=typename)
            assert_close(x.norm(p, d), expected, tol(typename))
            res = torch.tensor_class(typename)()
            assert torch.norm(res, x, p, d) is res
            assert_close(res, expected, tol(typename))
            assert x.norm(p) == pytest.approx(np_norm(arr, p), rel=1e-6)
        assert x.norm() == pytest.approx(np_norm(arr, 2), rel=1e-6)
        assert type(torch.norm(x)) is float
    assert torch.norm(torch.Tensor([3, -4]), float("inf")) == 4.0


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_dist(typename, noncontig):
    x = make(typename, (3, 4), noncontig=noncontig, seed=1)
    y = make(typename, (3, 4), noncontig=not noncontig, seed=2)
    diff = np_of(x).astype(np.float64) - np_of(y)
    for p in (1, 2, 3.5):
        assert torch.dist(x, y, p) == pytest.approx(np_norm(diff, p), rel=1e-6)
        assert x.dist(y, p) == pytest.approx(np_norm(diff, p), rel=1e-6)
    assert torch.dist(x, y) == pytest.approx(np.sqrt((diff ** 2).sum()), rel=1e-6)
    # Torch7's rule: only the element counts must match
    assert torch.dist(x, y.contiguous().view(12)) == pytest.approx(np.sqrt((diff ** 2).sum()), rel=1e-6)
    with pytest.raises(ValueError, match="dist: sizes do not match"):
        torch.dist(x, make(typename, (5,)))


def renorm_loop(arr, p, d, maxnorm):
    out = arr.astype(np.float64).copy()
    for i in range(arr.shape[d]):
        sl = np.take(out, i, axis=d)
        n = np_norm(sl, p)
        if n > maxnorm:
            idx = (slice(None),) * d + (i,)
            out[idx] = sl * (maxnorm / (n + 1e-7))
    return out


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_renorm(typename, noncontig):
    for shape, d in cases():
        if len(shape) < 2:
            continue
        x = make(typename, shape, noncontig=noncontig)
        arr = np_of(x)
        for p in (1, 2, 3):
            maxnorm = float(np.median(np_norm(np.moveaxis(arr, d, 0).reshape(arr.shape[d], -1), p, 1)))
            expected = renorm_loop(arr, p, d % len(shape), maxnorm)
            assert_close(torch.renorm(x, p, d, maxnorm), expected, tol(typename), typename=typename)
            res = torch.tensor_class(typename)()
            assert torch.renorm(res, x, p, d, maxnorm) is res
            assert_close(res, expected, tol(typename))
            res2 = torch.tensor_class(typename)(1)
            assert res2.renorm(x, p, d, maxnorm) is res2
            assert_close(res2, expected, tol(typename))
            np.testing.assert_array_equal(np_of(x), arr)
            # the method works in place
            y = x.clone()
            assert y.renorm(p, d, maxnorm) is y
            assert_close(y, expected, tol(typename))


def test_renorm_errors():
    x = torch.Tensor(3, 4).fill(1)
    with pytest.raises(ValueError, match="renorm: p must be positive"):
        torch.renorm(x, 0, 0, 1)
    with pytest.raises(ValueError, match="renorm: need at least 2 dimensions"):
        torch.renorm(torch.Tensor(4), 2, 0, 1)
    with pytest.raises(IndexError, match="renorm"):
        x.renorm(2, 2, 1)


# ---- cumsum / cumprod --------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
@pytest.mark.parametrize("name,npf", [("cumsum", np.cumsum), ("cumprod", np.cumprod)])
def test_cumsum_cumprod(typename, noncontig, name, npf):
    for shape, d in cases():
        lo_hi = {"low": -3, "high": 4} if name == "cumprod" and typename != "torch.ByteTensor" else {}
        x = make(typename, shape, noncontig=noncontig, **lo_hi)
        arr = np_of(x)
        acc = np.float64 if x._is_float else np.int64
        expected = wrap(npf(arr.astype(acc), axis=d), typename)
        assert_close(getattr(torch, name)(x, d), expected, tol(typename), typename=typename)
        assert_close(getattr(x, name)(d), expected, tol(typename))
        np.testing.assert_array_equal(np_of(x), arr)
        res = torch.tensor_class(typename)()
        assert getattr(torch, name)(res, x, d) is res
        assert_close(res, expected, tol(typename))
        res2 = torch.tensor_class(typename)(3)
        assert getattr(res2, name)(x, d) is res2
        assert_close(res2, expected, tol(typename))
        # the default dim is the first one
        assert_close(getattr(torch, name)(x), wrap(npf(arr.astype(acc), axis=0), typename), tol(typename))


def test_cumsum_errors():
    with pytest.raises(IndexError, match="cumsum: dimension 2"):
        torch.Tensor(2, 2).cumsum(2)
    with pytest.raises(TypeError, match="cumprod"):
        torch.cumprod(torch.Tensor(2), 0, 1)


# ---- cross -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_cross(typename, noncontig):
    for shape, d in [((3,), 0), ((3, 5), 0), ((4, 3), 1), ((2, 3, 3), 2), ((2, 4, 3, 3), -2), ((3, 2, 3), -1)]:
        a = make(typename, shape, noncontig=noncontig, low=0, high=8, seed=1)
        b = make(typename, shape, noncontig=not noncontig, low=0, high=8, seed=2)
        na, nb = np_of(a).astype(np.int64 if not a._is_float else np.float64), np_of(b)
        expected = wrap(np.cross(na, nb.astype(na.dtype), axis=d), typename)
        assert_close(torch.cross(a, b, d), expected, tol(typename), typename=typename)
        assert_close(a.cross(b, d), expected, tol(typename))
        res = torch.tensor_class(typename)()
        assert torch.cross(res, a, b, d) is res
        assert_close(res, expected, tol(typename))
        res2 = torch.tensor_class(typename)(2)
        assert res2.cross(a, b, d) is res2
        assert_close(res2, expected, tol(typename))
        # without a dim: the first dim of size 3
        first = list(shape).index(3)
        assert_close(torch.cross(a, b), wrap(np.cross(na, nb.astype(na.dtype), axis=first), typename), tol(typename))


def test_cross_errors():
    with pytest.raises(ValueError, match="cross: no dimension of size 3 in the tensors of size 2x4"):
        torch.cross(torch.Tensor(2, 4), torch.Tensor(2, 4))
    with pytest.raises(ValueError, match="cross: inconsistent tensor sizes 3x4 and 4x3"):
        torch.cross(torch.Tensor(3, 4), torch.Tensor(4, 3))
    with pytest.raises(ValueError, match="does not have size 3"):
        torch.cross(torch.Tensor(3, 4), torch.Tensor(3, 4), 1)
    with pytest.raises(TypeError, match="same type"):
        torch.cross(torch.Tensor(3), torch.FloatTensor(3))


# ---- histc / bhistc ----------------------------------------------------------------------------------
def histc_loop(values, nbins, lo, hi, real):
    """Torch7's rule, one value at a time, in the tensor's precision."""
    lo, hi = real(lo), real(hi)
    if lo == hi:
        lo, hi = real(values.min()), real(values.max())
    if lo == hi:
        lo, hi = lo - real(1), hi + real(1)
    h = np.zeros(nbins)
    for v in values.ravel():
        if lo <= v <= hi:
            h[min(int((v - lo) / (hi - lo) * real(nbins)), nbins - 1)] += 1
    return h


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_histc(typename, noncontig):
    real = torch.tensor_class(typename)._dtype.type
    for shape in [(50,), (6, 7), (2, 3, 4)]:
        x = make(typename, shape, noncontig=noncontig)
        arr = np_of(x)
        for args in [(), (10,), (7, -1, 1), (5, 0.5, 0.5), (4, 1, -1)]:
            expected = histc_loop(arr, *(args + (100, 0, 0)[len(args):]), real)
            assert_close(torch.histc(x, *args), expected, typename=typename)
            assert_close(x.histc(*args), expected)
            res = torch.tensor_class(typename)(2, 2)
            assert torch.histc(res, x, *args) is res
            assert_close(res, expected)
    # values on the edges: the max goes into the last bin, outside values are ignored
    x = torch.Tensor([0, 1, 2, 3, 4, 5, 9, -1])
    assert torch.histc(x, 5, 0, 5).tolist() == [1, 1, 1, 1, 2]
    assert torch.histc(torch.Tensor([2, 2, 2]), 4).tolist() == [0, 0, 3, 0]  # range 1..3


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("noncontig", NC)
def test_bhistc(typename, noncontig):
    real = torch.tensor_class(typename)._dtype.type
    x = make(typename, (4, 9), noncontig=noncontig)
    arr = np_of(x)
    for args in [(), (6,), (5, -1, 1)]:
        nbins, lo, hi = args + (100, 0, 0)[len(args):]
        if lo == hi:  # one range for the whole tensor
            lo, hi = arr.min(), arr.max()
        expected = np.stack([histc_loop(row, nbins, lo, hi, real) for row in arr])
        assert_close(torch.bhistc(x, *args), expected, typename=typename)
        assert_close(x.bhistc(*args), expected)
        res = torch.tensor_class(typename)()
        assert torch.bhistc(res, x, *args) is res
        assert_close(res, expected)
    # the example of Torch7's manual
    y = torch.Tensor([[2, 4, 2, 2, 5, 4], [3, 5, 1, 5, 3, 5], [3, 4, 2, 5, 5, 1]])
    assert torch.bhistc(y, 5, 1, 5).tolist() == [[0, 3, 0, 2, 1], [1, 0, 2, 0, 3], [1, 1, 1, 1, 2]]
    # range 2..5, bins of width 0.6: 2 -> 0, 4 -> 3, 5 -> 4 (the manual prints 3 0 2 0 1, which
    # THTensor_(bhistc)'s formula does not give)
    assert torch.bhistc(y.narrow(0, 0, 1), 5).tolist() == [[3, 0, 0, 2, 1]]
    with pytest.raises(ValueError, match="bhistc: expected a 2-D tensor, got size 2x2x2"):
        torch.bhistc(torch.Tensor(2, 2, 2))
    with pytest.raises(ValueError, match="number of bins"):
        torch.histc(torch.Tensor(3), 0)


# ---- hypothesis ----------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4), typename=st.sampled_from(ALL_TYPES),
       noncontig=st.booleans(), data=st.data())
def test_property_sum_max_cumsum_match_numpy(shape, typename, noncontig, data):
    shape = tuple(shape)
    d = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = make(typename, shape, noncontig=noncontig, seed=data.draw(st.integers(0, 1000)), low=0, high=6)
    arr = np_of(x)
    acc = np.float64 if x._is_float else np.int64
    assert_close(x.sum(d), wrap(arr.astype(acc).sum(axis=d, keepdims=True), typename), tol(typename))
    v, i = x.max(d)
    assert_close(v, arr.max(axis=d, keepdims=True))
    assert_close(i, (arr == arr.max(axis=d, keepdims=True)).argmax(axis=d, keepdims=True))
    v, i = torch.min(x, d)
    np.testing.assert_array_equal(np.take_along_axis(arr, np_of(i), d), np_of(v))
    assert_close(v, arr.min(axis=d, keepdims=True))
    assert_close(x.cumsum(d), wrap(np.cumsum(arr.astype(acc), axis=d), typename), tol(typename))
    assert x.sum() == pytest.approx(float(arr.astype(np.float64).sum()), rel=1e-5)


@pytest.mark.parametrize("shape", [(2**16 + 3,), (300, 400), (40, 30, 50), (3, 20000), (20000, 3)])
@pytest.mark.parametrize("typename", FLOAT_TYPES)
def test_sum_large_contiguous_matches_float64(shape, typename):
    # large contiguous float tensors take the BLAS path; it must agree with a float64 sum
    x = make(typename, shape, seed=3)
    ref = np_of(x).astype(np.float64)
    assert x.sum() == pytest.approx(ref.sum(), rel=1e-5, abs=1e-3)
    for d in range(len(shape)):
        assert_close(torch.sum(x, d), ref.sum(d, keepdims=True), 1e-4 if typename == "torch.FloatTensor" else 1e-10)


def test_histc_nan_bins_named():
    with pytest.raises(ValueError, match=r"histc: the number of bins must be a positive integer, got nan"):
        torch.histc(torch.Tensor(3).fill(1), float("nan"))
