"""BLAS-like products (ops_blas): dot, mv, mm, bmm, ger, addmv, addmm, addr, addbmm, baddbmm, match.

Every result is checked against a NumPy formula computed in a wide type (int64 / float64) and
converted back to the tensor's type, so integer results wrap around exactly as C does.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ALL_TYPES, FLOAT_TYPES, INT_TYPES, assert_close, axpy_calls, make, np_of, tol
from hypothesis import given, settings
from hypothesis import strategies as st

import torch7 as torch


def wide(t) -> np.ndarray:
    a = np_of(t)
    return a.astype(np.float64 if a.dtype.kind == "f" else np.int64)


def back(x: np.ndarray, typename: str) -> np.ndarray:
    """A wide NumPy result converted to the element type of ``typename`` (wrapping for integers)."""
    return np.asarray(x).astype(torch.tensor_class(typename)._dtype)


def check(t, expected: np.ndarray, typename: str) -> None:
    assert_close(t, back(expected, typename), tol(typename), typename)


# kind -> (sizes of the two operands, NumPy formula on the wide arrays)
PRODUCTS = {
    "mm": (((3, 4), (4, 5)), lambda a, b: a @ b),
    "mv": (((3, 4), (4,)), lambda a, b: a @ b),
    "bmm": (((2, 3, 4), (2, 4, 5)), lambda a, b: a @ b),
    "ger": (((3,), (4,)), np.outer),
}
# add* -> (size of M, product kind)
ADDS = {
    "addmm": ((3, 5), "mm"), "addmv": ((3,), "mv"), "addr": ((3, 4), "ger"),
    "baddbmm": ((2, 3, 5), "bmm"), "addbmm": ((3, 5), "bmm"),
}


def product_ref(fname: str, a, b) -> np.ndarray:
    kind = ADDS[fname][1] if fname in ADDS else fname
    p = PRODUCTS[kind][1](wide(a), wide(b))
    return p.sum(0) if fname == "addbmm" else p


def operands(kind: str, typename: str, noncontig: bool, seed: int = 1):
    sa, sb = PRODUCTS[kind][0]
    return make(typename, sa, noncontig, seed=seed), make(typename, sb, noncontig, seed=seed + 1)


# ---- plain products ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(PRODUCTS))
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_product_forms(kind, noncontig, typename):
    a, b = operands(kind, typename, noncontig)
    a0, b0 = np_of(a), np_of(b)
    expected = product_ref(kind, a, b)
    fn = getattr(torch, kind)
    check(fn(a, b), expected, typename)
    res = torch.tensor_class(typename)(7)  # wrong size: resized
    out = fn(res, a, b)
    assert out is res
    check(res, expected, typename)
    r = torch.tensor_class(typename)()
    assert getattr(r, kind)(a, b) is r
    check(r, expected, typename)
    np.testing.assert_array_equal(np_of(a), a0)
    np.testing.assert_array_equal(np_of(b), b0)


def test_mm_result_is_fresh_and_contiguous():
    a = make("torch.DoubleTensor", (4, 3), noncontig=True)
    b = make("torch.DoubleTensor", (3, 2), noncontig=True)
    c = torch.mm(a, b)
    assert c.isContiguous() and c.storageOffset() == 0
    np.testing.assert_allclose(c.numpy(), np_of(a) @ np_of(b))


def test_mm_into_keeps_result_memory():
    a, b = operands("mm", "torch.FloatTensor", False)
    r = torch.FloatTensor(3, 5)
    ptr = r.data_ptr()
    r.mm(a, b)
    assert r.data_ptr() == ptr


def test_mm_into_noncontiguous_result():
    a, b = operands("mm", "torch.DoubleTensor", False)
    big = torch.DoubleTensor(5, 3).zero()
    r = big.t()  # 3x5, not contiguous: Torch7 keeps its strides
    r.mm(a, b)
    assert not r.isContiguous()
    np.testing.assert_allclose(big.numpy().T, wide(a) @ wide(b))


@pytest.mark.parametrize("typename", FLOAT_TYPES)
def test_mm_with_transposed_weight_on_the_pool(typename):
    """``r.mm(x, W.t())`` (nn.Linear's forward) may run on OpenBLAS's threads: same product as NumPy's."""
    pytest.importorskip("numba")
    from torch7._core import blaspool, ops_blas
    x = make(typename, (130, 257), False, seed=1)  # odd sizes: row, column and K tails
    w = make(typename, (131, 257), False, seed=2)
    r = torch.Tensor().type(typename)
    r.mm(x, w.t())
    np.testing.assert_allclose(r.numpy(), np_of(x) @ np_of(w).T, rtol=tol(typename), atol=tol(typename) * 257)
    done = ops_blas._pool_mm(x.numpy(), w.t().numpy(), np.empty((130, 131), np_of(x).dtype))
    assert done == (blaspool.available() and blaspool.use_pool() and blaspool.numba_module("pool_gemm") is not None)
    assert not ops_blas._pool_mm(x.numpy(), np.ascontiguousarray(w.t().numpy()), r.numpy())  # not a transposed view
    dt = np_of(x).dtype
    a100, w100 = np.ones((1000, 100), dt), np.ones((200, 100), dt)
    assert not ops_blas._pool_mm(a100, w100.T, np.empty((1000, 200), dt))  # K < 128: OpenBLAS is faster
    y, sw = make(typename, (257, 257), False, seed=3), make(typename, (257, 257), False, seed=4)
    want = np_of(y) @ np_of(sw).T
    y.mm(y, sw.t())  # the result overwrites an operand: left to NumPy, which buffers
    np.testing.assert_allclose(y.numpy(), want, rtol=tol(typename), atol=tol(typename) * 257)


# ---- add* functions ------------------------------------------------------------------------------
def add_operands(fname: str, typename: str, noncontig: bool):
    msize, kind = ADDS[fname]
    sa, sb = PRODUCTS[kind][0]
    M = make(typename, msize, noncontig, seed=3)
    return M, make(typename, sa, noncontig, seed=4), make(typename, sb, noncontig, seed=5)


@pytest.mark.parametrize("fname", list(ADDS))
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_add_function_forms(fname, noncontig, typename):
    M, a, b = add_operands(fname, typename, noncontig)
    M0 = np_of(M)
    p, m = product_ref(fname, a, b), wide(M)
    fn = getattr(torch, fname)
    cls = torch.tensor_class(typename)
    check(fn(M, a, b), m + p, typename)
    check(fn(2, M, a, b), 2 * m + p, typename)
    check(fn(M, 3, a, b), m + 3 * p, typename)
    check(fn(2, M, 3, a, b), 2 * m + 3 * p, typename)
    for args, exp in [((M, a, b), m + p), ((2, M, a, b), 2 * m + p), ((M, 3, a, b), m + 3 * p),
                      ((2, M, 3, a, b), 2 * m + 3 * p)]:
        res = cls(2, 2)
        assert fn(res, *args) is res
        check(res, exp, typename)
    np.testing.assert_array_equal(np_of(M), M0)  # the source is left alone


@pytest.mark.parametrize("fname", list(ADDS))
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_add_method_forms(fname, noncontig, typename):
    M, a, b = add_operands(fname, typename, noncontig)
    p, m = product_ref(fname, a, b), wide(M)
    cases = [((), m + p), ((3,), m + 3 * p), ((2, 3), 2 * m + 3 * p)]
    for scalars, exp in cases:
        X = M.clone()
        assert getattr(X, fname)(*scalars, a, b) is X
        check(X, exp, typename)
    # explicit source: r <- [v1*]M + [v2*]a.b, M untouched
    for pre, mid, exp in [((), (), m + p), ((), (3,), m + 3 * p), ((2,), (3,), 2 * m + 3 * p)]:
        r = torch.tensor_class(typename)()
        assert getattr(r, fname)(*pre, M, *mid, a, b) is r
        check(r, exp, typename)
    check(M, m, typename)


@pytest.mark.parametrize("typename", ["torch.DoubleTensor", "torch.IntTensor"])
def test_addmm_aliasing(typename):
    M = make(typename, (3, 3), seed=1)
    A = make(typename, (3, 3), seed=2)
    m, a = wide(M), wide(A)
    X = M.clone()
    assert torch.addmm(X, X, A, A) is X  # in place
    check(X, m + a @ a, typename)
    X = M.clone()
    X.addmm(X, X)  # operands are the result itself
    check(X, m + m @ m, typename)
    Y = A.clone()
    torch.addmm(Y, M, Y, A)  # result aliases the first operand
    check(Y, m + a @ a, typename)
    Y = A.clone()
    torch.mm(Y, Y, Y)
    check(Y, a @ a, typename)
    v = make(typename, (3,), seed=3)
    vv = wide(v)
    v.addmv(A, v)
    check(v, vv + a @ vv, typename)


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("args", [(), (0.5,), (2, 0.25)], ids=["M+ab", "M+v2ab", "v1M+v2ab"])
def test_big_addmm_in_place_accumulates_through_axpy(typename, args):
    """gradWeight-sized in-place addmm adds the product with one BLAS axpy (v2 fused), same values."""
    M = make(typename, (256, 260), seed=1)
    a, b = make(typename, (256, 7), seed=2), make(typename, (7, 260), seed=3)
    v1, v2 = (args[0], args[1]) if len(args) == 2 else (1, args[0] if args else 1)
    X = M.clone()
    with axpy_calls() as calls:
        assert X.addmm(*args, a, b) is X
    assert calls == [256 * 260]
    check(X, v1 * wide(M) + v2 * (wide(a) @ wide(b)), typename)


def test_addmm_result_overlapping_source():
    M = make("torch.DoubleTensor", (3, 3), seed=1)
    A = make("torch.DoubleTensor", (3, 3), seed=2)
    m, a = wide(M), wide(A)
    r = M.t()  # shares memory with M without being M
    torch.addmm(r, 2, M, A, A)
    np.testing.assert_allclose(r.numpy(), 2 * m + a @ a)


def test_beta_zero_ignores_nan():
    M = torch.DoubleTensor(2, 2).fill(float("nan"))
    a = torch.ones(2, 3)
    b = torch.ones(3, 2)
    assert_close(torch.addmm(0, M, 1, a, b), np.full((2, 2), 3.0))
    M.addmm(0, 2, a, b)
    assert_close(M, np.full((2, 2), 6.0))


def test_integer_scalars_wrap_like_c():
    M = torch.ByteTensor([[1, 2], [3, 4]])
    a = torch.ByteTensor([[1, 0], [0, 1]])
    r = torch.addmm(-1, M, 300, a, a)  # -1 -> 255, 300 -> 44 as unsigned char
    exp = (np.int64(255) * wide(M) + 44 * np.eye(2, dtype=np.int64)).astype(np.uint8)
    assert_close(r, exp, typename="torch.ByteTensor")


def test_float_scalars_truncate_for_integers():
    M = torch.IntTensor([[1, 2], [3, 4]])
    a = torch.IntTensor([[1, 0], [0, 1]])
    assert_close(torch.addmm(2.9, M, 1.5, a, a), 2 * wide(M) + np.eye(2, dtype=np.int64))


def test_addbmm_sums_the_batch():
    b1 = make("torch.DoubleTensor", (4, 2, 3), seed=1)
    b2 = make("torch.DoubleTensor", (4, 3, 2), seed=2)
    M = torch.zeros(2, 2)
    exp = sum(wide(b1)[i] @ wide(b2)[i] for i in range(4))
    assert_close(torch.addbmm(M, b1, b2), exp)


# ---- dot and match -------------------------------------------------------------------------------
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_dot(noncontig, typename):
    a = make(typename, (3, 4), noncontig, seed=1)
    b = make(typename, (3, 4), noncontig, seed=2)
    r = torch.dot(a, b)
    exp = (wide(a) * wide(b)).sum()
    if typename in INT_TYPES:
        assert isinstance(r, int) and r == int(exp)  # accreal is a long: no wrap-around
    else:
        assert isinstance(r, float) and r == pytest.approx(float(exp), rel=tol(typename))
    assert a.dot(b) == r
    assert torch.dot(a, b.contiguous().view(12)) == r  # only the element counts must match


def test_dot_wide_accumulation():
    a = torch.ByteTensor(100).fill(200)
    assert torch.dot(a, a) == 100 * 200 * 200


@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_match(noncontig, typename):
    m1 = make(typename, (4, 3), noncontig, seed=1, low=0, high=6)
    m2 = make(typename, (5, 3), noncontig, seed=2, low=0, high=6)
    a, b = wide(m1), wide(m2)
    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    check(torch.match(m1, m2), d2, typename)
    check(torch.match(m1, m2, 3), 3 * d2, typename)
    res = torch.tensor_class(typename)()
    assert torch.match(res, m1, m2, 2) is res
    check(res, 2 * d2, typename)
    r = torch.tensor_class(typename)(1)
    assert r.match(m1, m2) is r
    check(r, d2, typename)


def test_match_flattens_trailing_dims():
    m1 = make("torch.DoubleTensor", (3, 2, 2), seed=1)
    m2 = make("torch.DoubleTensor", (2, 4), seed=2)
    a, b = wide(m1).reshape(3, 4), wide(m2)
    assert_close(torch.match(m1, m2, -1), -((a[:, None] - b[None]) ** 2).sum(-1))


# ---- errors ----------------------------------------------------------------------------------------
def test_error_messages():
    a, b = torch.ones(2, 3), torch.ones(4, 5)
    with pytest.raises(ValueError, match=r"^mm: sizes do not match: 2x3 and 4x5$"):
        torch.mm(a, b)
    with pytest.raises(ValueError, match=r"mm: sizes do not match: 2x3 and 4x5"):
        torch.DoubleTensor().mm(a, b)
    with pytest.raises(ValueError, match=r"mm: expected a 2-D and a 2-D tensor, got sizes 2x3 and 3"):
        torch.mm(a, torch.ones(3))
    with pytest.raises(ValueError, match=r"mv: sizes do not match: 2x3 and 4"):
        torch.mv(a, torch.ones(4))
    with pytest.raises(ValueError, match=r"bmm: sizes do not match: 2x2x3 and 3x3x2"):
        torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2))
    with pytest.raises(ValueError, match=r"addmm: sizes do not match: the added tensor has size 3x3, "
                                         r"the product of 2x3 and 3x2 has size 2x2"):
        torch.addmm(torch.ones(3, 3), a, torch.ones(3, 2))
    # The in-place method's short path must not broadcast a product that is smaller than self.
    with pytest.raises(ValueError, match=r"addmm: sizes do not match: the added tensor has size 2x2, "
                                         r"the product of 1x3 and 3x2 has size 1x2"):
        torch.ones(2, 2).addmm(torch.ones(1, 3), torch.ones(3, 2))
    with pytest.raises(ValueError, match=r"addmm: expected a 2-D and a 2-D tensor, got sizes 2x3 and 3"):
        torch.ones(2).addmm(a, torch.ones(3))
    with pytest.raises(ValueError, match=r"addmm: sizes do not match: 2x3 and 4x5"):
        torch.ones(2, 5).addmm(a, b)
    with pytest.raises(ValueError, match=r"ger: expected a 1-D and a 1-D tensor, got sizes \[empty\] and 3"):
        torch.ger(torch.DoubleTensor(), torch.ones(3))
    with pytest.raises(ValueError, match=r"dot: sizes do not match: 2x3 and 4x5"):
        torch.dot(a, b)
    with pytest.raises(ValueError, match=r"match: m1 and m2 must have the same inner vector size: 2x3 and 4x5"):
        torch.match(a, b)


def test_type_and_argument_errors():
    a = torch.ones(2, 2)
    f = torch.FloatTensor(2, 2).fill(1)
    with pytest.raises(TypeError, match="mm: tensor types do not match: torch.DoubleTensor and torch.FloatTensor"):
        torch.mm(a, f)
    with pytest.raises(TypeError, match="addmm: tensor types do not match"):
        torch.addmm(a, a, f)
    with pytest.raises(TypeError, match="dot: tensor types do not match"):
        torch.dot(a, f)
    with pytest.raises(TypeError, match=r"torch.mm: invalid arguments"):
        torch.mm(a)
    with pytest.raises(TypeError, match=r"mm: invalid arguments .*use torch.mm\(a, b\)"):
        a.mm(a)
    with pytest.raises(TypeError, match=r"torch.addmm: invalid arguments"):
        torch.addmm(a, "x", a, a)
    with pytest.raises(TypeError, match=r"addmm: invalid arguments"):
        a.addmm(1, 2, 3, a, a)
    with pytest.raises(TypeError, match=r"torch.addmm: invalid arguments"):
        torch.addmm(a, a, a, a, a, a)


# ---- properties --------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.sampled_from(ALL_TYPES), st.integers(1, 6), st.integers(1, 6), st.integers(1, 6),
       st.booleans(), st.integers(-3, 3), st.integers(-3, 3))
def test_addmm_property(typename, n, k, m, noncontig, beta, alpha):
    M = make(typename, (n, m), noncontig, seed=n)
    a = make(typename, (n, k), noncontig, seed=k)
    b = make(typename, (k, m), noncontig, seed=m)
    exp = beta * wide(M) + alpha * (wide(a) @ wide(b))
    check(torch.addmm(beta, M, alpha, a, b), exp, typename)
    check(torch.mm(a, b), wide(a) @ wide(b), typename)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(FLOAT_TYPES), st.integers(1, 4), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_baddbmm_property(typename, nb, n, k, m):
    M = make(typename, (nb, n, m), seed=1)
    a = make(typename, (nb, n, k), seed=2)
    b = make(typename, (nb, k, m), seed=3)
    X = M.clone()
    X.baddbmm(2, -1, a, b)
    check(X, 2 * wide(M) - wide(a) @ wide(b), typename)
    check(torch.addbmm(M.select(0, 0), a, b), wide(M)[0] + (wide(a) @ wide(b)).sum(0), typename)
