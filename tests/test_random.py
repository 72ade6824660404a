"""Random numbers: Torch7's MT19937 sequence, distributions, tensor fills, sampling and RNG state.

The reference is a plain-Python MT19937 (init_genrand, twist, tempering) and plain formulas
from lib/TH/THRandom.c on its words; sampling is checked against straightforward loops.
"""

from __future__ import annotations

import copy
import math
import pickle
import struct

import numpy as np
import pytest
from helpers import ALL_TYPES, FLOAT_TYPES, INT_TYPES, make
from hypothesis import given, settings
from hypothesis import strategies as st

import torch7 as torch


# ---- reference MT19937 -------------------------------------------------------------------------
class RefMT:
    """Plain MT19937 seeded with init_genrand, as in Matsumoto & Nishimura's reference."""

    def __init__(self, seed: int):
        s = seed & 0xFFFFFFFF
        self.mt = [s]
        for i in range(1, 624):
            s = (1812433253 * (s ^ (s >> 30)) + i) & 0xFFFFFFFF
            self.mt.append(s)
        self.idx = 624

    def _twist(self):
        mt = self.mt
        for i in range(624):
            y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7FFFFFFF)
            mt[i] = mt[(i + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
        self.idx = 0

    def word(self) -> int:
        if self.idx == 624:
            self._twist()
        y = self.mt[self.idx]
        self.idx += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    def words(self, n: int) -> np.ndarray:
        return np.array([self.word() for _ in range(n)], dtype=np.uint64)

    def uniforms(self, n: int) -> np.ndarray:
        return self.words(n) / 4294967296.0


def ref_normals(ref: RefMT, n: int, mean=0.0, stdv=1.0) -> np.ndarray:
    """Box-Muller pairs: cos value first, then the sin value."""
    out = []
    while len(out) < n:
        x, y = ref.uniforms(2)
        rho = math.sqrt(-2.0 * math.log(1.0 - y))
        out += [rho * math.cos(2 * math.pi * x) * stdv + mean, rho * math.sin(2 * math.pi * x) * stdv + mean]
    return np.array(out[:n])


def gen(seed: int):
    g = torch.Generator()
    torch.manualSeed(g, seed)
    return g


# ---- Torch7's documented values and the generator object ----------------------------------------
def test_reference_values():
    torch.manualSeed(123)
    got = [torch.uniform() for _ in range(3)]
    assert [round(v, 14) for v in got] == [0.69646918727085, 0.71295532141812, 0.28613933874294]
    torch.manualSeed(0)
    assert torch.random() == 2357136044
    assert torch.random() == 2546248239
    torch.manualSeed(123)
    assert round(torch.uniform(), 14) == 0.69646918727085
    assert torch.initialSeed() == 123


@given(seed=st.integers(-(2 ** 63), 2 ** 64 - 1))
@settings(max_examples=25, deadline=None)
def test_raw_words_match_reference(seed):
    g = gen(seed)
    ref = RefMT(seed)
    first = [torch.random(g) for _ in range(5)]
    assert first == [ref.word() for _ in range(5)]
    # bulk words continue the same sequence across a twist
    t = torch.LongTensor(1300).random(g)
    np.testing.assert_array_equal(t.numpy(), ref.words(1300).astype(np.int64))
    assert torch.random(g) == ref.word()


def test_generator_object():
    g = torch.Generator()
    assert torch.typename(g) == "torch.Generator" and torch.Generator._typename == "torch.Generator"
    assert torch.Generator is torch.Generator and callable(torch.Generator)
    assert isinstance(torch._gen, torch.Generator)
    g1, g2 = gen(5), gen(5)
    a = [torch.uniform(g1) for _ in range(3)]
    torch.uniform()  # the global generator is independent
    assert a == [torch.uniform(g2) for _ in range(3)]
    assert repr(g) == "torch.Generator"


def test_fresh_generators_are_seeded_differently():
    seeds = {torch.initialSeed(torch.Generator()) for _ in range(5)}
    assert len(seeds) == 5


def test_seed_and_initial_seed():
    g = torch.Generator()
    s = torch.seed(g)
    assert isinstance(s, int) and torch.initialSeed(g) == s
    ref = RefMT(s & 0xFFFFFFFFFFFFFFFF)
    assert torch.random(g) == ref.word()
    s2 = torch.seed()
    assert torch.initialSeed() == s2
    torch.manualSeed(g, -1)
    assert torch.initialSeed(g) == -1  # a C long, as Torch7 returns it
    assert torch.random(g) == RefMT(0xFFFFFFFF).word()
    torch.manualSeed(g, 7.9)  # a Lua number is truncated to a long
    assert torch.initialSeed(g) == 7


def test_copy_and_pickle():
    g = gen(11)
    torch.normal(g)  # leaves a cached normal
    for clone in (copy.deepcopy(g), pickle.loads(pickle.dumps(g)), copy.copy(g)):
        assert clone is not g and isinstance(clone, torch.Generator)
        assert clone._state_bytes() == g._state_bytes()
    c = copy.deepcopy(g)
    a = [torch.normal(g), torch.uniform(g), torch.random(g)]
    assert a == [torch.normal(c), torch.uniform(c), torch.random(c)]


# ---- scalar distributions --------------------------------------------------------------------
def test_scalar_formulas():
    g, ref = gen(42), RefMT(42)
    for _ in range(5):
        u = ref.uniforms(1)[0]
        assert torch.uniform(g, -2, 3) == u * 5 - 2
    u = ref.uniforms(1)[0]
    assert torch.uniform(g) == u
    assert torch.normal(g, 1, 2) == pytest.approx(ref_normals(ref, 1, 1, 2)[0], rel=1e-14)
    torch.manualSeed(g, 42)
    ref = RefMT(42)
    expect = ref_normals(ref, 3, -1.0, 0.5)
    np.testing.assert_allclose([torch.normal(g, -1, 0.5) for _ in range(3)], expect, rtol=1e-14)
    torch.manualSeed(g, 3)
    ref = RefMT(3)
    u = ref.uniforms(6)
    assert torch.exponential(g, 2.0) == pytest.approx(-0.5 * math.log(1 - u[0]), rel=1e-14)
    assert torch.cauchy(g, 1, 3) == pytest.approx(1 + 3 * math.tan(math.pi * (u[1] - 0.5)), rel=1e-13)
    assert torch.cauchy(g) == pytest.approx(math.tan(math.pi * (u[2] - 0.5)), rel=1e-13)
    assert torch.geometric(g, 0.3) == int(math.log(1 - u[3]) / math.log(0.3)) + 1
    assert torch.bernoulli(g, 0.4) == int(u[4] <= 0.4)
    assert torch.bernoulli(g) == int(u[5] <= 0.5)
    assert torch.random(g, 6) == int(ref.word() % 6) + 1
    assert torch.random(g, -3, 4) == int(ref.word() % 8) - 3
    assert torch.random(g, 5, 5) == 5 and ref.word() >= 0


def test_log_normal_formula():
    g, ref = gen(9), RefMT(9)
    m, s = 1.5, 0.7
    zm, zs = m * m, s * s
    mu, sd = math.log(zm / math.sqrt(zs + zm)), math.sqrt(math.log(zs / zm + 1))
    expect = np.exp(ref_normals(ref, 3, mu, sd))
    np.testing.assert_allclose([torch.logNormal(g, m, s) for _ in range(3)], expect, rtol=1e-13)
    torch.manualSeed(g, 9)
    d = torch.logNormal(g)  # defaults mean=1, stdv=2
    ref = RefMT(9)
    mu, sd = math.log(1 / math.sqrt(5)), math.sqrt(math.log(5))
    assert d == pytest.approx(math.exp(ref_normals(ref, 1, mu, sd)[0]), rel=1e-13)


def test_normal_cache_is_state_and_reset_by_manual_seed():
    g = gen(1)
    a = torch.normal(g)
    torch.manualSeed(g, 1)
    assert torch.normal(g) == a  # the cached second value was dropped
    b = torch.normal(g)
    torch.manualSeed(g, 1)
    assert [torch.normal(g), torch.normal(g)] == [a, b]
    # the sin value reuses the pair: only two words were drawn for two normals
    ref = RefMT(1)
    ref.words(2)
    assert torch.random(g) == ref.word()


@pytest.mark.parametrize("call,exc", [
    (lambda: torch.normal(0, 0), ValueError), (lambda: torch.normal(0, -1), ValueError),
    (lambda: torch.logNormal(1, 0), ValueError), (lambda: torch.logNormal(1e10, 1e-5), ValueError),
    (lambda: torch.geometric(0), ValueError),
    (lambda: torch.geometric(1), ValueError), (lambda: torch.bernoulli(1.5), ValueError),
    (lambda: torch.bernoulli(-0.1), ValueError), (lambda: torch.random(0), ValueError),
    (lambda: torch.random(5, 4), ValueError), (lambda: torch.exponential(), TypeError),
    (lambda: torch.uniform("a"), TypeError), (lambda: torch.uniform(0, 1, 2), TypeError),
    (lambda: torch.random(1, 2, 3), TypeError), (lambda: torch.manualSeed(), TypeError),
    (lambda: torch.manualSeed("x"), TypeError), (lambda: torch.seed(3), TypeError),
    (lambda: torch.bernoulli(True), TypeError),
])
def test_scalar_errors(call, exc):
    with pytest.raises(exc, match=r"\w+: "):
        call()


# ---- tensor fills equal repeated scalar calls ----------------------------------------------
DISTS = [("uniform", (-1.0, 2.5)), ("uniform", ()), ("normal", (0.5, 2.0)), ("normal", ()),
         ("exponential", (1.5,)), ("cauchy", (0.1, 0.3)), ("cauchy", ()), ("logNormal", (0.5, 0.25)),
         ("logNormal", ()), ("geometric", (0.2,)), ("bernoulli", (0.3,)), ("bernoulli", ())]


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("name,params", DISTS, ids=[f"{n}{p}" for n, p in DISTS])
@pytest.mark.parametrize("noncontig", [False, True])
def test_fill_equals_scalar_calls(typename, name, params, noncontig):
    cls = torch.tensor_class(typename)
    t = make(typename, (3, 5), noncontig=noncontig)
    float_only = name not in ("geometric", "bernoulli")
    if float_only and not cls._is_float:
        with pytest.raises(TypeError, match=f"{name}: not defined for {typename}"):
            getattr(t, name)(*params)
        return
    p = [float(np.float32(v)) for v in params] if typename == "torch.FloatTensor" and float_only else params
    g = gen(17)
    torch.normal(g)  # a pending cached normal must be used first by normal/logNormal
    assert getattr(t, name)(g, *params) is t
    g2 = gen(17)
    torch.normal(g2)
    expect = np.array([getattr(torch, name)(g2, *p) for _ in range(15)]).reshape(3, 5)
    np.testing.assert_array_equal(t.numpy(), expect.astype(cls._dtype))
    assert torch.random(g) == torch.random(g2)  # same number of words consumed
    if name in ("normal", "logNormal"):
        assert torch.normal(g) == torch.normal(g2)  # same cache afterwards


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 131073])
@pytest.mark.parametrize("pending", [False, True])
def test_randn_fill_equals_scalar_normals(n, pending):
    g, g2 = gen(n), gen(n)
    if pending:
        torch.normal(g)
        torch.normal(g2)
    t = torch.randn(g, n)
    expect = [torch.normal(g2) for _ in range(n)]
    assert t.numpy().tolist() == expect
    assert [torch.normal(g), torch.normal(g)] == [torch.normal(g2), torch.normal(g2)]


def test_normal_fill_matches_box_muller_reference():
    t = torch.DoubleTensor(9).normal(gen(4), 2.0, 3.0)
    np.testing.assert_allclose(t.numpy(), ref_normals(RefMT(4), 9, 2.0, 3.0), rtol=1e-13)


def test_function_form_fills_tensor():
    t = torch.FloatTensor(4)
    assert torch.uniform(t, gen(2), 1, 2) is t
    expect = torch.FloatTensor(4).uniform(gen(2), 1, 2)
    np.testing.assert_array_equal(t.numpy(), expect.numpy())
    assert torch.random(torch.IntTensor(3), gen(2), 1, 6).numpy().tolist() == \
        torch.IntTensor(3).random(gen(2), 1, 6).numpy().tolist()
    assert torch.bernoulli(torch.ByteTensor(3), 0.5).size() == torch.Size([3])


def test_float_tensor_parameters_are_c_floats():
    t = torch.FloatTensor(5).uniform(gen(8), 0.1, 0.7)
    u = RefMT(8).uniforms(5)
    a, b = float(np.float32(0.1)), float(np.float32(0.7))
    np.testing.assert_array_equal(t.numpy(), (u * (b - a) + a).astype(np.float32))


def test_empty_tensor_fill_draws_nothing():
    g = gen(3)
    assert torch.DoubleTensor().normal(g).nElement() == 0
    assert torch.random(g) == RefMT(3).word()


@pytest.mark.parametrize("typename", ["torch.HalfTensor"])
def test_half_is_refused(typename):
    with pytest.raises(TypeError, match="random: not defined for torch.HalfTensor"):
        torch.HalfTensor(2).random()


# ---- random on tensors -----------------------------------------------------------------------
_MOD = {"torch.ByteTensor": 256, "torch.CharTensor": 128, "torch.ShortTensor": 32768, "torch.IntTensor": 2 ** 31,
        "torch.LongTensor": None, "torch.FloatTensor": 2 ** 24 + 1, "torch.DoubleTensor": None}


@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("noncontig", [False, True])
def test_tensor_random_ranges(typename, noncontig):
    dt = torch.tensor_class(typename)._dtype
    t = make(typename, (4, 6), noncontig=noncontig)
    words = RefMT(21).words(24 * 3).astype(object)
    w0, w1, w2 = words[:24], words[24:48], words[48:]
    g = gen(21)
    assert t.random(g) is t
    mod = _MOD[typename]
    np.testing.assert_array_equal(t.numpy(), np.array([w if mod is None else w % mod for w in w0]).astype(dt)
                                  .reshape(4, 6))
    t.random(g, 100)
    np.testing.assert_array_equal(t.numpy(), np.array([w % 100 + 1 for w in w1], dtype=np.int64).astype(dt)
                                  .reshape(4, 6))
    t.random(g, -5, 5)
    expect = np.array([w % 11 - 5 for w in w2], dtype=np.int64)
    np.testing.assert_array_equal(t.numpy(), expect.astype(dt).reshape(4, 6))
    if dt.kind != "u":
        assert t.min() >= -5 and t.max() <= 5


def test_tensor_random_die_is_inclusive():
    t = torch.LongTensor(6000).random(gen(1), 1, 6)
    assert set(t.numpy().tolist()) == {1, 2, 3, 4, 5, 6}
    t.random(gen(1), 3)
    assert set(t.numpy().tolist()) == {1, 2, 3}


def test_tensor_random_wraps_like_c():
    t = torch.ByteTensor(50).random(gen(2), 1, 1000)
    expect = (RefMT(2).words(50) % 1000 + 1) % 256
    np.testing.assert_array_equal(t.numpy(), expect.astype(np.uint8))


@pytest.mark.parametrize("typename", ALL_TYPES)
def test_bernoulli_with_probability_tensor(typename):
    for ptype in FLOAT_TYPES:
        p = torch.tensor_class(ptype)(np.linspace(0, 1, 12).reshape(3, 4))
        t = make(typename, (4, 3), noncontig=True)
        t.bernoulli(gen(6), p)
        u = RefMT(6).uniforms(12)
        expect = (u <= p.numpy().reshape(-1).astype(np.float64)).reshape(4, 3)
        np.testing.assert_array_equal(t.numpy(), expect.astype(t.numpy().dtype))
    with pytest.raises(ValueError, match="bernoulli: 12 probabilities for a tensor of 2 elements"):
        torch.tensor_class(typename)(2).bernoulli(p)
    with pytest.raises(TypeError, match="bernoulli: probabilities must be"):
        torch.tensor_class(typename)(2).bernoulli(torch.IntTensor(2))
    with pytest.raises(ValueError, match="must be >= 0 and <= 1"):
        torch.tensor_class(typename)(2).bernoulli(torch.DoubleTensor([0.5, 1.5]))


@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), typename=st.sampled_from(ALL_TYPES),
       seed=st.integers(0, 2 ** 32 - 1), noncontig=st.booleans())
@settings(max_examples=30, deadline=None)
def test_fill_order_property(shape, typename, seed, noncontig):
    t = make(typename, tuple(shape), noncontig=noncontig)
    t.random(gen(seed), 0, 100)
    n = int(np.prod(shape))
    expect = (RefMT(seed).words(n) % 101).astype(t.numpy().dtype).reshape(shape)
    np.testing.assert_array_equal(t.numpy(), expect)


# ---- rand / randn ----------------------------------------------------------------------------
def test_rand_forms():
    torch.manualSeed(123)
    x = torch.rand(3)
    assert x.type() == "torch.DoubleTensor" and x.size() == torch.Size([3])
    assert [round(v, 14) for v in x.totable()] == [0.69646918727085, 0.71295532141812, 0.28613933874294]
    np.testing.assert_array_equal(torch.rand(gen(5), 2, 3).numpy(), RefMT(5).uniforms(6).reshape(2, 3))
    f = torch.rand(gen(5), torch.Size([2, 3]), "torch.FloatTensor")
    assert f.type() == "torch.FloatTensor"
    np.testing.assert_array_equal(f.numpy(), RefMT(5).uniforms(6).reshape(2, 3).astype(np.float32))
    res = make("torch.DoubleTensor", (4, 4), noncontig=True)
    assert torch.rand(res, gen(5), 6) is res and res.size() == torch.Size([6])
    np.testing.assert_array_equal(res.numpy(), RefMT(5).uniforms(6))
    m = torch.FloatTensor()
    assert m.rand(gen(5), 2, 3) is m and m.size() == torch.Size([2, 3])
    assert torch.rand(torch.LongStorage([2, 2])).size() == torch.Size([2, 2])
    assert torch.rand().nElement() == 0


def test_randn_forms():
    x = torch.randn(gen(7), 5, "torch.FloatTensor")
    assert x.type() == "torch.FloatTensor"
    np.testing.assert_allclose(x.numpy(), ref_normals(RefMT(7), 5), rtol=1e-6)
    m = torch.DoubleTensor(7)
    assert m.randn(gen(7), 5) is m
    np.testing.assert_allclose(m.numpy(), ref_normals(RefMT(7), 5), rtol=1e-13)


@pytest.mark.parametrize("typename", INT_TYPES)
def test_rand_refuses_integer_types(typename):
    with pytest.raises(TypeError, match=f"rand: not defined for {typename}"):
        torch.rand(3, typename)
    with pytest.raises(TypeError, match=f"randn: not defined for {typename}"):
        torch.tensor_class(typename)().randn(3)


def test_randn_is_vectorised():
    x = torch.randn(10 ** 6)
    a = x.numpy()
    assert abs(a.mean()) < 0.01 and abs(a.std() - 1) < 0.01


# ---- randperm --------------------------------------------------------------------------------
def ref_randperm(seed: int, n: int) -> list:
    ref, r = RefMT(seed), list(range(n))
    for i in range(n - 1):
        z = ref.word() % (n - i)
        r[i], r[i + z] = r[i + z], r[i]
    return r


@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(1, 300))
@settings(max_examples=40, deadline=None)
def test_randperm_matches_torch7_shuffle(seed, n):
    assert torch.randperm(gen(seed), n).numpy().astype(np.int64).tolist() == ref_randperm(seed, n)


@pytest.mark.parametrize("typename", ALL_TYPES)
def test_randperm_types_and_forms(typename):
    x = torch.randperm(gen(3), 20, typename)
    assert x.type() == typename
    assert x.numpy().astype(np.int64).tolist() == ref_randperm(3, 20)
    res = make(typename, (2, 3), noncontig=True)
    assert torch.randperm(res, gen(3), 20) is res and res.numpy().astype(np.int64).tolist() == ref_randperm(3, 20)
    m = torch.tensor_class(typename)()
    assert m.randperm(gen(3), 20) is m and m.numpy().astype(np.int64).tolist() == ref_randperm(3, 20)


def test_randperm_large_and_errors():
    p = torch.randperm(gen(0), 5000, "torch.LongTensor").numpy()
    assert sorted(p.tolist()) == list(range(5000))
    assert p.tolist() == ref_randperm(0, 5000)
    with pytest.raises(ValueError, match="randperm: n must be strictly positive"):
        torch.randperm(0)
    with pytest.raises(TypeError, match="randperm: expected"):
        torch.randperm()


# ---- multinomial -----------------------------------------------------------------------------
def ref_multinomial(seed: int, p: np.ndarray, n: int, replacement: bool) -> np.ndarray:
    """THTensor_(multinomial)'s loops, 0-based."""
    ref, out = RefMT(seed), []
    for row in np.atleast_2d(p):
        k = row.size
        cum = np.cumsum(row.astype(np.float64))
        cum = cum / cum[-1]
        got = []
        for _ in range(n):
            u = ref.uniforms(1)[0]
            cum[-1] = 1.0
            lo, hi = 0, k
            while hi > lo:
                mid = lo + (hi - lo) // 2
                if cum[mid] < u:
                    lo = mid + 1
                else:
                    hi = mid
            got.append(lo)
            if not replacement:
                diff = cum[lo] - (cum[lo - 1] if lo else 0.0)
                for j in range(k):
                    cum[j] = ((cum[j] - diff) if j >= lo else cum[j]) / (1.0 - diff)
        out.append(got)
    return np.array(out)


@pytest.mark.parametrize("typename", FLOAT_TYPES)
@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("noncontig", [False, True])
def test_multinomial_matches_reference(typename, replacement, noncontig):
    p = make(typename, (3, 7), noncontig=noncontig, low=0.0, high=1.0, seed=5)
    s = torch.multinomial(gen(10), p, 5, replacement)
    assert s.type() == "torch.LongTensor" and s.size() == torch.Size([3, 5])
    np.testing.assert_array_equal(s.numpy(), ref_multinomial(10, p.numpy(), 5, replacement))
    if not replacement:
        assert all(len(set(r)) == 5 for r in s.totable())
    v = p.select(0, 1)
    s1 = torch.multinomial(gen(10), v, 4, replacement)
    assert s1.size() == torch.Size([4])
    np.testing.assert_array_equal(s1.numpy(), ref_multinomial(10, v.numpy(), 4, replacement)[0])
    res = torch.LongTensor(2, 2)
    assert torch.multinomial(res, gen(10), v, 4, replacement) is res
    np.testing.assert_array_equal(res.numpy(), s1.numpy())
    m = v.multinomial(gen(10), 4, replacement)  # method: self is the distribution
    np.testing.assert_array_equal(m.numpy(), s1.numpy())
    res2 = torch.LongTensor()
    assert res2.multinomial(gen(10), v, 4, replacement) is res2  # method on the result
    np.testing.assert_array_equal(res2.numpy(), s1.numpy())


def test_multinomial_all_categories_without_replacement():
    p = torch.Tensor([0.1, 0.2, 0.3, 0.4])
    s = torch.multinomial(gen(0), p, 4)
    assert sorted(s.totable()) == [0, 1, 2, 3]
    np.testing.assert_array_equal(s.numpy(), ref_multinomial(0, p.numpy(), 4, False)[0])


def test_multinomial_frequencies():
    p = torch.Tensor([1, 2, 7])
    s = torch.multinomial(gen(1), p, 20000, True).numpy()
    np.testing.assert_allclose(np.bincount(s, minlength=3) / 20000, [0.1, 0.2, 0.7], atol=0.015)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: torch.multinomial(torch.IntTensor([1, 2]), 1), TypeError, "not defined for torch.IntTensor"),
    (lambda: torch.multinomial(torch.Tensor([1, 2]), 3), ValueError, "without replacement"),
    (lambda: torch.multinomial(torch.Tensor([1, 2]), 0), ValueError, "n_sample <= 0"),
    (lambda: torch.multinomial(torch.Tensor([0, 0]), 1), ValueError, "sum of probabilities"),
    (lambda: torch.multinomial(torch.Tensor([1, -1, 2]), 1), ValueError, "negative"),
    (lambda: torch.multinomial(torch.Tensor(2, 2, 2), 1), ValueError, "1-D or 2-D"),
    (lambda: torch.multinomial(torch.IntTensor(2), torch.Tensor([1, 2]), 1), TypeError, "LongTensor"),
    (lambda: torch.multinomial(torch.Tensor([1, 2])), TypeError, "expected"),
])
def test_multinomial_errors(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


# ---- the alias method ------------------------------------------------------------------------
def ref_alias(p: np.ndarray):
    """THTensor_(multinomialAliasSetup)'s stacks, with 0-based aliases; unaliased slots keep q = 1."""
    k = p.size
    q = k * p.astype(np.float64)
    J, has = np.zeros(k, np.int64), np.zeros(k, bool)
    smaller = [i for i in range(k) if q[i] < 1]
    larger = [i for i in range(k) if q[i] >= 1]
    while smaller and larger:
        large, small = larger[-1], smaller[-1]
        J[small], has[small] = large, True
        q[large] -= 1.0 - q[small]
        if q[large] < 1.0:
            smaller[-1] = large
            larger.pop()
        else:
            smaller.pop()
    if q.max() > 1:
        q /= q.max()
    q[~has] = 1.0
    return J, q


@given(k=st.integers(1, 60), seed=st.integers(0, 1000), zeros=st.booleans())
@settings(max_examples=40, deadline=None)
def test_alias_setup_matches_reference(k, seed, zeros):
    p = np.random.default_rng(seed).random(k) ** 2
    if zeros and k > 1:
        p[seed % k] = 0.0
    p /= p.sum()
    J, q = torch.multinomialAliasSetup(torch.DoubleTensor(p))
    rJ, rq = ref_alias(p)
    assert J.type() == "torch.LongTensor" and q.type() == "torch.DoubleTensor"
    np.testing.assert_array_equal(J.numpy(), rJ)
    np.testing.assert_allclose(q.numpy(), rq, atol=1e-12)


def test_alias_draws_and_state_reuse():
    p = torch.FloatTensor([0.1, 0.2, 0.3, 0.4])
    state = torch.multinomialAliasSetup(p)
    J, q = state
    out = torch.LongTensor(3, 4)
    assert torch.multinomialAlias(gen(2), out, state) is out
    u = RefMT(2).uniforms(24).reshape(12, 2)
    slot = (u[:, 0] * 4).astype(np.int64)
    expect = np.where(u[:, 1] <= q.numpy().astype(np.float64)[slot], slot, J.numpy()[slot]).reshape(3, 4)
    np.testing.assert_array_equal(out.numpy(), expect)
    big = torch.multinomialAlias(gen(3), torch.LongTensor(40000), state).numpy()
    np.testing.assert_allclose(np.bincount(big, minlength=4) / 40000, [0.1, 0.2, 0.3, 0.4], atol=0.015)
    reuse = [torch.LongTensor(), torch.FloatTensor()]
    assert torch.multinomialAliasSetup(p, reuse) is reuse
    np.testing.assert_array_equal(reuse[0].numpy(), J.numpy())
    np.testing.assert_array_equal(reuse[1].numpy(), q.numpy())


def test_alias_errors():
    with pytest.raises(TypeError, match="multinomialAliasSetup: probs must be"):
        torch.multinomialAliasSetup(torch.IntTensor([1, 2]))
    with pytest.raises(ValueError, match="must be 1-D"):
        torch.multinomialAliasSetup(torch.Tensor(2, 2))
    with pytest.raises(ValueError, match="non-negative"):
        torch.multinomialAliasSetup(torch.Tensor([0.5, -0.5, 1.0]))
    state = torch.multinomialAliasSetup(torch.Tensor([0.5, 0.5]))
    with pytest.raises(TypeError, match="output must be a LongTensor"):
        torch.multinomialAlias(torch.Tensor(3), state)
    with pytest.raises(TypeError, match="state must be"):
        torch.multinomialAlias(torch.LongTensor(3), state[0])


# ---- RNG state -------------------------------------------------------------------------------
def fields(state) -> dict:
    b = state.numpy().tobytes()
    seed, left, seeded, nxt = struct.unpack_from("<QiiQ", b, 0)
    words = np.frombuffer(b, "<u8", 624, 24)
    x, y, rho, valid = struct.unpack_from("<dddi", b, 5016)
    return dict(seed=seed, left=left, seeded=seeded, next=nxt, words=words, x=x, y=y, rho=rho, valid=valid)


def test_state_layout():
    g = gen(77)
    s = torch.getRNGState(g)
    assert s.type() == "torch.ByteTensor" and s.size() == torch.Size([5048])
    f = fields(s)
    ref = RefMT(77)
    assert (f["seed"], f["left"], f["seeded"], f["next"], f["valid"]) == (77, 1, 1, 0, 0)
    np.testing.assert_array_equal(f["words"], ref.mt)
    torch.random(g)
    ref.word()
    f = fields(torch.getRNGState(g))
    assert (f["left"], f["next"]) == (624, 1)
    np.testing.assert_array_equal(f["words"], ref.mt)  # the twisted state
    for _ in range(623):
        torch.random(g)
    f = fields(torch.getRNGState(g))
    assert (f["left"], f["next"]) == (1, 624)
    torch.normal(g)
    x, y = RefMT(77).uniforms(626)[624:]
    f = fields(torch.getRNGState(g))
    assert (f["x"], f["y"], f["valid"]) == (x, y, 1)
    assert f["rho"] == pytest.approx(math.sqrt(-2 * math.log(1 - y)), rel=1e-15)
    torch.normal(g)
    assert fields(torch.getRNGState(g))["valid"] == 0
    res = torch.ByteTensor(3)
    assert torch.getRNGState(g, res) is res and res.size() == torch.Size([5048])
    torch.manualSeed(g, 5)
    f = fields(torch.getRNGState(g))
    assert (f["x"], f["y"], f["rho"], f["valid"], f["left"], f["next"]) == (0, 0, 0, 0, 1, 0)


@pytest.mark.parametrize("advance", [0, 1, 5, 623, 624, 625, 1300])
@pytest.mark.parametrize("pending_normal", [False, True])
def test_state_round_trip(advance, pending_normal):
    g = gen(advance)
    for _ in range(advance):
        torch.random(g)
    if pending_normal:
        torch.normal(g)
    s = torch.getRNGState(g)
    a = torch.randn(g, 5).totable() + [torch.random(g), torch.normal(g)] + torch.rand(g, 700).totable()
    assert torch.setRNGState(g, s) is s
    assert torch.getRNGState(g).numpy().tobytes() == s.numpy().tobytes()
    b = torch.randn(g, 5).totable() + [torch.random(g), torch.normal(g)] + torch.rand(g, 700).totable()
    assert a == b
    other = torch.Generator()
    torch.setRNGState(other, s)
    assert torch.randn(other, 5).totable() == a[:5]
    g2 = torch.Generator()
    g2._set_state_bytes(g._state_bytes())
    assert g2._state_bytes() == g._state_bytes()


def test_global_state_round_trip():
    s = torch.getRNGState()
    a = [torch.normal(), torch.uniform()]
    torch.setRNGState(s)
    assert [torch.normal(), torch.uniform()] == a


def test_set_state_validation():
    good = torch.getRNGState(gen(1))
    with pytest.raises(ValueError, match="setRNGState: RNG state is wrong size"):
        torch.setRNGState(torch.ByteTensor(100))
    with pytest.raises(TypeError, match="setRNGState: expected"):
        torch.setRNGState(torch.IntTensor(5048))
    bad = [(12, "<i", 0), (8, "<i", 0), (8, "<i", 625), (16, "<Q", 625), (8, "<i", 5), (24, "<Q", 2 ** 40)]
    for off, fmt, val in bad:  # seeded, left, next, left/next consistency, a word over 32 bits
        b = bytearray(good.numpy().tobytes())
        struct.pack_into(fmt, b, off, val)
        with pytest.raises(ValueError, match="setRNGState: Invalid RNG state"):
            torch.setRNGState(torch.ByteTensor(np.frombuffer(bytes(b), np.uint8)))
    g = gen(2)
    torch.setRNGState(g, good)  # after the failures, a valid state still loads
    assert torch.random(g) == RefMT(1).word()


def test_functions_exported():
    for name in ("Generator", "seed", "initialSeed", "manualSeed", "getRNGState", "setRNGState", "random",
                 "uniform", "normal", "exponential", "cauchy", "logNormal", "geometric", "bernoulli", "rand",
                 "randn", "randperm", "multinomial", "multinomialAliasSetup", "multinomialAlias"):
        assert callable(getattr(torch, name)), name
    for name in ("random", "uniform", "normal", "exponential", "cauchy", "logNormal", "geometric", "bernoulli",
                 "rand", "randn", "randperm", "multinomial"):
        assert callable(getattr(torch.FloatTensor, name)), name


def test_argument_errors_name_the_function():
    """Found by fuzzing the API: these answered with NumPy's or Python's own words."""
    with pytest.raises(ValueError, match=r"^rand: invalid size -1: sizes must be non-negative"):
        torch.rand(-1)
    with pytest.raises(ValueError, match=r"^randn: invalid size 2x-3"):
        torch.randn(2, -3)
    with pytest.raises(TypeError, match=r"multinomial: replacement must be a boolean, got a torch.DoubleTensor"):
        torch.multinomial(torch.DoubleTensor([1, 2]), 2, torch.DoubleTensor(2))
    assert torch.multinomial(torch.DoubleTensor([0, 1]), 2, 1).tolist() == [1, 1]  # 1 counts as true


def test_exponential_lambda_zero_is_infinite():
    """-1/lambda * log(1-u) with lambda 0 is +inf in C (was Python's ZeroDivisionError)."""
    assert torch.exponential(0) == math.inf
