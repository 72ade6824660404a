"""Element-wise work on OpenBLAS's thread pool (torch7/_core/blaspool.py): bit-identical to NumPy,
declines what it cannot do, safe from several Python threads and after fork."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading

import numpy as np
import pytest

import torch7 as torch
from torch7._core import blaspool

ON = blaspool.available() and blaspool.use_pool()  # not with OPENBLAS_NUM_THREADS=1 or TORCH7_BLASPOOL=0
POOLED = pytest.mark.skipif(not ON, reason="OpenBLAS's pool is off or runs one thread here")
KERNELS = ON and blaspool._kernel("imul", np.dtype(np.float32)) is not None  # Numba's (TORCH7_NUMBA=0: off)
WITH_KERNELS = pytest.mark.skipif(not KERNELS, reason="no Numba kernels: only copies and zero fills are pooled")
DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.int64, np.float16, np.float32, np.float64, np.bool_]
SIZES = [64, 1001, (1 << 16) + 5]


def _values(n: int, dtype) -> np.ndarray:
    rng = np.random.default_rng(n)
    return (rng.standard_normal(n) * 100).astype(dtype)


@contextlib.contextmanager
def pool_runs():
    """Count the pool dispatches made inside the block."""
    real = blaspool.run_items
    calls: list[int] = []
    blaspool.run_items = lambda items: (calls.append(len(items)), real(items))[1]
    try:
        yield calls
    finally:
        blaspool.run_items = real


def _same_bits(got: np.ndarray, exp: np.ndarray) -> None:
    assert got.dtype == exp.dtype and got.shape == exp.shape
    np.testing.assert_array_equal(got.view(np.uint8), exp.view(np.uint8))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_copy_is_bit_identical(dtype, n):
    src = _values(n + 1, dtype)[1:]  # an unaligned start
    dst = np.zeros(n, dtype)
    done = blaspool.copy(dst, src, min_bytes=0)
    if not done:
        np.copyto(dst, src)
    _same_bits(dst, src)
    assert done == (ON and dst.nbytes >= 128)


@pytest.mark.parametrize("value", [0, 1, -0.0, 2.5, float("nan"), float("-inf"), 255, -3])
@pytest.mark.parametrize("dtype", DTYPES)
def test_fill_matches_ndarray_fill(dtype, value):
    exp = np.empty(1001, dtype)
    try:
        exp.fill(value)
    except (OverflowError, ValueError) as e:
        if ON:  # the pool converts as ndarray.fill does, errors included
            with pytest.raises(type(e)):
                blaspool.fill(np.empty(1001, dtype), value, min_bytes=0)
        return
    got = np.ones(1001, dtype)
    if not blaspool.fill(got, value, min_bytes=0):
        got.fill(value)
    _same_bits(got, exp)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_arithmetic_is_bit_identical(dtype, n):
    a, b = _values(n, dtype), _values(n + 7, dtype)[7:]
    a[::97] = np.nan
    b[::89] = np.inf
    for name, uf in (("add", np.add), ("mul", np.multiply)):
        out = np.zeros(n, dtype)
        if not blaspool.binary(name, out, a, b, min_bytes=0):
            uf(a, b, out=out)
        _same_bits(out, uf(a, b))
    x = a.copy()
    if not blaspool.inplace("imul", x, b, min_bytes=0):
        x *= b
    _same_bits(x, a * b)
    x = a.copy()
    if not blaspool.inplace("imul", x, x, min_bytes=0):  # squaring in place
        x *= x
    _same_bits(x, a * a)


def _with_specials(n: int, dtype) -> np.ndarray:
    x = _values(n, dtype)
    x[::97], x[1::89], x[2::83], x[3::79] = np.nan, np.inf, -0.0, 0.0
    return x


INPLACE = {  # kernel: (extra operands, params, the NumPy (Torch7) formula on copies)
    "idiv": (1, (), lambda o, a, b, p: np.divide(o, a, out=o)),
    "imax": (1, (), lambda o, a, b, p: np.copyto(o, np.where(o > a, o, a))),
    "imin": (1, (), lambda o, a, b, p: np.copyto(o, np.where(o < a, o, a))),
    "imuls": (0, (1.5,), lambda o, a, b, p: np.multiply(o, o.dtype.type(p[0]), out=o)),
    "iadds": (0, (-2.25,), lambda o, a, b, p: np.add(o, o.dtype.type(p[0]), out=o)),
    "idivs": (0, (0.3,), lambda o, a, b, p: np.divide(o, o.dtype.type(p[0]), out=o)),
    "iabs": (0, (), lambda o, a, b, p: np.absolute(o, out=o)),
    "ineg": (0, (), lambda o, a, b, p: np.negative(o, out=o)),
    "iclamp": (0, (-30.0, 40.0), lambda o, a, b, p: np.clip(o, o.dtype.type(p[0]), o.dtype.type(p[1]), out=o)),
    "iaddcmul": (2, (0.3,), lambda o, a, b, p: np.add(o, np.multiply(np.multiply(a, o.dtype.type(p[0])), b), out=o)),
}


@pytest.mark.parametrize("name", list(INPLACE))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_inplace_kernels_are_bit_identical(name, dtype):
    nops, params, formula = INPLACE[name]
    n = 40_001
    out, a, b = _with_specials(n, dtype), _values(n + 3, dtype)[3:], _with_specials(n + 5, dtype)[5:]
    ops = [a, b][:nops]
    want = out.copy()
    with np.errstate(all="ignore"):
        formula(want, *(ops + [None] * (2 - nops)), params)
    got = out.copy()
    done = blaspool.inplace(name, got, *ops, params=params, min_bytes=0)
    assert done == KERNELS
    if done:
        _same_bits(got, want)
    if nops:  # an operand that partly overlaps the output is refused
        z = np.ones(2 * n, dtype)
        assert not blaspool.inplace(name, z[:n], z[1:n + 1], *ops[1:], params=params, min_bytes=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_min_sub_abs_into_a_new_array(dtype):
    a, b = _with_specials(40_001, dtype), _values(40_004, dtype)[3:]
    for name, want in (("max", np.where(a > b, a, b)), ("min", np.where(a < b, a, b)), ("sub", a - b)):
        out = np.empty_like(a)
        if blaspool.binary(name, out, a, b, min_bytes=0):
            _same_bits(out, want)
        else:
            assert not KERNELS
    out = np.empty_like(a)
    if blaspool.unary("abs", out, a, min_bytes=0):
        _same_bits(out, np.absolute(a))
    else:
        assert not KERNELS


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_reductions_in_float64(dtype):
    a, b = _values(300_001, dtype), _values(300_002, dtype)[1:]
    A, B = a.astype(np.float64), b.astype(np.float64)
    for name, want, ops in (("sumsq", (A * A).sum(), ()), ("sumabs", np.abs(A).sum(), ()), ("dot", A @ B, (b,))):
        got = blaspool.reduce(name, a, *ops, min_bytes=0)
        if KERNELS:
            assert got == pytest.approx(want, rel=1e-12)
        else:
            assert got is None
    assert blaspool.reduce("dot", a, min_bytes=0) is None          # dot needs a second operand
    assert blaspool.reduce("sum", a, b, min_bytes=0) is None       # and only dot takes one
    assert blaspool.reduce("dot", a, b[:-1].copy(), min_bytes=0) is None


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_total_is_the_float64_sum(dtype):
    a = _values(300_001, dtype)
    got = blaspool.reduce("sum", a, min_bytes=0)
    exact = float(np.sum(a, dtype=np.float64))
    if KERNELS:
        assert got == pytest.approx(exact, rel=1e-12, abs=1e-9)
    else:
        assert got is None
    assert blaspool.reduce("sum", a[::2], min_bytes=0) is None
    assert blaspool.reduce("sum", a) is None or a.nbytes >= blaspool.MIN_BYTES
    assert blaspool.reduce("sum", np.ones(1 << 18, np.int32), min_bytes=0) is None


def test_cos_sin_float64_match_numpy():
    x = _with_specials(70_001, np.float64) * 10
    for name, uf in (("cos", np.cos), ("sin", np.sin)):
        out = np.empty_like(x)
        with np.errstate(invalid="ignore"):
            want = uf(x)
        if blaspool.unary(name, out, x, min_bytes=0):
            _same_bits(out, want)
        else:
            assert not KERNELS
        assert not blaspool.unary(name, np.empty(100, np.float32), x[:100].astype(np.float32), min_bytes=0)


def test_normal_stream_is_the_same_with_and_without_the_pool():
    """Torch7's Box-Muller draws (float64 cos/sin of libm) do not change when they run on the pool."""
    draws = []
    for flag in (True, False):
        old = blaspool.use_pool(flag)
        try:
            torch.manualSeed(7)
            draws.append(torch.randn(300_001).numpy().copy())
            d = torch.DoubleTensor(200_000).uniform(-50, 50)
            draws.append(torch.cos(d).numpy().copy())
        finally:
            blaspool.use_pool(old)
    _same_bits(draws[0], draws[2])
    _same_bits(draws[1], draws[3])


@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
def test_transposed_contiguous_copy(typename):
    """``x.t().contiguous()`` of a big matrix is tiled over OpenBLAS's threads: an exact copy."""
    x = torch.Tensor(517, 1031).type(typename).uniform(-1, 1)  # tiles leave row and column tails
    y = x.t().contiguous()
    assert y.isContiguous() and np.array_equal(y.numpy(), x.numpy().T)
    g = torch7_pool_gemm()
    if g is not None:
        assert (g.transposed_copy(x.t().numpy()) is not None) == ON
        assert g.transposed_copy(x.numpy()[:, ::2]) is None      # not a transposed contiguous matrix
        assert g.transposed_copy(x.t().numpy()[:8, :8]) is None  # small: NumPy copies
    z = x.narrow(1, 1, 1000).t().contiguous()                    # a view that is not t() of a whole matrix
    assert np.array_equal(z.numpy(), x.numpy()[:, 1:1001].T)


@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
def test_sigmoid_keeps_torch7s_formula(typename):
    """1 / (1 + exp(-x)) with its negation and last two passes on the pool: the same bits, in every form."""
    from torch7 import nn
    x = torch.Tensor(300_007).type(typename).uniform(-100, 100)
    X = x.numpy().copy()
    X[::101] = np.nan
    x.numpy()[:] = X

    def formula(a, dt):
        t = np.negative(a).astype(dt)
        with np.errstate(over="ignore"):
            np.exp(t, out=t)
        t += 1
        return np.reciprocal(t, out=t)

    want = formula(X, X.dtype)
    _same_bits(torch.sigmoid(x).numpy(), want)
    y = x.clone()
    y.sigmoid()
    _same_bits(y.numpy(), want)
    _same_bits(nn.Sigmoid().type(typename).forward(x).numpy(), want)
    _same_bits(nn.Sigmoid().type("torch.DoubleTensor").forward(x).numpy(), formula(X, np.float64))


def torch7_pool_gemm():
    return blaspool.numba_module("pool_gemm")


@WITH_KERNELS
def test_numpy_float64_scalars_keep_numpy_semantics():
    """A NumPy float64 scalar lifts float32 work to float64 in NumPy 2; such calls stay on NumPy."""
    n = 1 << 18
    base = _values(n, np.float32)
    for method, v, uf in (("mul", 0.1, np.multiply), ("div", 0.3, np.divide), ("add", 0.1, np.add)):
        for scalar in (v, np.float64(v)):
            x = torch.FloatTensor(base.copy())
            getattr(x, method)(scalar)
            want = base.copy()
            uf(want, scalar, out=want, casting="unsafe")
            _same_bits(x.numpy(), want)


def _imul(out, a, min_bytes):
    return blaspool.inplace("imul", out, a, min_bytes=min_bytes)


def test_declines_what_it_cannot_do():
    """Every case NumPy must handle returns False and leaves the output untouched."""
    a = np.arange(4096, dtype=np.float32)
    keep = np.full(4096, 7, np.float32)

    def untouched(fn, out, *args):
        out[...] = 7
        assert not fn(out, *args, min_bytes=0)
        assert (out == 7).all()

    untouched(blaspool.copy, keep, a.astype(np.float64))              # dtype differs
    untouched(blaspool.copy, keep[:2048], a[::2])                       # not contiguous
    untouched(blaspool.copy, keep, a.reshape(64, 64))                   # shape differs
    untouched(_imul, keep, np.ones(4096, np.int32))
    untouched(_imul, np.full(4096, 7, np.int64), np.ones(4096, np.int64))  # no integer kernel
    z = np.full(8192, 7, np.float32)
    untouched(_imul, z[:4096], z[1:4097])                       # partial overlap: order matters
    untouched(blaspool.copy, z[:4096], z[1:4097])
    assert not blaspool.binary("add", a, a, np.ones(4096, np.float32), min_bytes=0)  # out is an operand
    ro = np.full(4096, 7, np.float32)
    ro.flags.writeable = False
    assert not blaspool.copy(ro, a, min_bytes=0) and (ro == 7).all()
    assert not blaspool.fill(ro, 1.0, min_bytes=0) and (ro == 7).all()
    assert not blaspool.copy(keep, a)                                   # below the default minimum
    assert not blaspool.fill(np.zeros(8, np.complex64), 1.0, min_bytes=0)


def test_switch_and_single_thread_decline(monkeypatch):
    a, out = np.ones(1 << 18, np.float32), np.zeros(1 << 18, np.float32)
    old = blaspool.use_pool(False)
    try:
        assert not blaspool.copy(out, a)
    finally:
        blaspool.use_pool(old)
    if ON:  # OpenBLAS limited to one thread (threadpoolctl, OPENBLAS_NUM_THREADS=1)
        run, _, memcpy, memset = blaspool._STATE["lib"]
        monkeypatch.setitem(blaspool._STATE, "lib", (run, lambda: 1, memcpy, memset))
        assert not blaspool.copy(out, a)
    assert (out == 0).all()


def test_failed_selftest_leaves_numpy(monkeypatch):
    monkeypatch.setitem(blaspool._STATE, "lib", None)
    monkeypatch.setattr(blaspool, "_selftest", lambda: False)
    assert not blaspool.available()
    out = np.zeros(1 << 18)
    assert not blaspool.copy(out, np.ones(1 << 18))


def test_without_numba_only_libc_work(monkeypatch):
    monkeypatch.setenv("TORCH7_NUMBA", "0")
    monkeypatch.setattr(blaspool, "_KERNELS", {})
    monkeypatch.setattr(blaspool, "_MODULES", {})
    a = np.ones(1 << 18, np.float32)
    assert not blaspool.inplace("imul", a.copy(), a)
    assert not blaspool.fill(a, 2.5)          # needs the Numba fill kernel
    assert blaspool.fill(a, 0.0) == ON  # memset
    assert (a == 0).all() == ON


@WITH_KERNELS
def test_tensor_methods_use_the_pool_and_match_numpy():
    n = 3 * (1 << 17) + 11
    x, y = torch.FloatTensor(n).uniform(-1, 1), torch.FloatTensor(n).uniform(-1, 1)
    X, Y = x.numpy().copy(), y.numpy().copy()
    with pool_runs() as calls:
        r = torch.add(x, y)
        c = torch.cmul(x, y)
        d = torch.FloatTensor(n)
        d.add(x, y)
        x.cmul(y)
        z = torch.FloatTensor(n).copy(y)
        f = torch.FloatTensor(n).fill(-1.25)
        total = f.sum()
        g = y.clone()
        h = torch.FloatTensor(n).fill(2).cmax(y)
        k = torch.FloatTensor(n).fill(3).mul(2).add(1).cdiv(f).clamp(-5, 0).addcmul(0.5, y, y)
        stats = (y.norm(), y.norm(1), y.mean(), y.dot(y))
        ones, zeros = torch.ones(n), torch.zeros(n)  # the default DoubleTensor
        torch.abs(y)
    assert len(calls) == 23 and min(calls) >= 2
    assert (ones.numpy() == 1).all() and (zeros.numpy() == 0).all() and not np.signbit(zeros.numpy()).any()
    _same_bits(h.numpy(), np.maximum(np.float32(2), Y))
    K = np.clip(np.float32(7) / np.float32(-1.25), -5, 0) + np.float32(0.5) * Y * Y
    np.testing.assert_allclose(k.numpy(), K, rtol=1e-6)
    Y64 = Y.astype(np.float64)
    np.testing.assert_allclose(stats, [np.sqrt(Y64 @ Y64), np.abs(Y64).sum(), Y64.mean(), Y64 @ Y64], rtol=1e-12)
    _same_bits(g.numpy(), Y)
    assert total == -1.25 * n
    _same_bits(r.numpy(), X + Y)
    _same_bits(c.numpy(), X * Y)
    _same_bits(d.numpy(), X + Y)
    _same_bits(x.numpy(), X * Y)
    _same_bits(z.numpy(), Y)
    _same_bits(f.numpy(), np.full(n, -1.25, np.float32))
    with pool_runs() as calls:  # small tensors stay on NumPy
        torch.FloatTensor(1000).fill(1).cmul(torch.FloatTensor(1000).fill(2))
    assert calls == []


@WITH_KERNELS
def test_several_python_threads_at_once():
    n = 1 << 17
    errors: list = []

    def work(seed: int) -> None:
        rng = np.random.default_rng(seed)
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        out = np.empty(n)
        for _ in range(40):
            x = a.copy()
            assert blaspool.inplace("imul", x, b, min_bytes=0) and blaspool.binary("add", out, x, b, min_bytes=0)
            if not (np.array_equal(x, a * b) and np.array_equal(out, a * b + b)):
                errors.append(seed)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads) and errors == []


def _child(q) -> None:
    a = np.arange(1 << 18, dtype=np.float64)
    out = np.zeros_like(a)
    q.put(bool(blaspool.copy(out, a) and np.array_equal(out, a)))


@POOLED
def test_pool_works_after_fork():
    blaspool.copy(np.zeros(1 << 18), np.ones(1 << 18))  # the parent's pool has run
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q,))
    p.start()
    p.join(60)
    assert p.exitcode == 0 and q.get(timeout=5) is True
