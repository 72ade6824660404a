"""Basic arithmetic (ops_arith, ops_bitwise): every name against a NumPy formula, in every form.

References are computed in int64 (then wrapped to the tensor's type, as C does) or float64.
Warnings are errors here: Torch7 never warns, so neither may we (integer division by zero included).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import ALL_TYPES, FLOAT_TYPES, INT_TYPES, SIGNED_TYPES, assert_close, axpy_calls, make, np_of, tol
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import torch7 as torch
from torch7._core import blas1

pytestmark = pytest.mark.filterwarnings("error")

SHAPE = (3, 4)
UNSIGNED = {np.int8: np.uint8, np.int16: np.uint16, np.int32: np.uint32, np.int64: np.uint64}


def is_float(typename: str) -> bool:
    return typename in FLOAT_TYPES


def dtype(typename: str) -> np.dtype:
    return torch.tensor_class(typename)._dtype


def wide(x, typename):
    """The values of ``x`` (array or number) in int64 or float64, where references are computed."""
    return np.asarray(x, dtype=np.float64 if is_float(typename) else np.int64)


def back(x, typename):
    """A reference back in the tensor's type: integers wrap as C's conversion does."""
    return np.asarray(x).astype(dtype(typename))


def trunc_div(a, b):
    return np.trunc(a.astype(np.float64) / b).astype(np.int64)


def rshift_ref(a, n, typename):
    dt = dtype(typename)
    u = np.asarray(a).astype(dt).view(UNSIGNED.get(dt.type, dt.type))
    return u >> np.asarray(n).astype(u.dtype)


def remainder_ref(a, b, typename):
    if not is_float(typename):
        return a - b * np.floor(a / b).astype(np.int64)
    # Torch7: the quotient is computed in the tensor's type, the rest in double.
    q = np.floor(np.asarray(a / b).astype(dtype(typename))).astype(np.float64)
    return a - b * q


# ---- references: (a, b, typename) -> expected in wide precision; b is an array or a number ----------
REF = {
    "add": lambda a, b, t: a + b,
    "csub": lambda a, b, t: a - b,
    "mul": lambda a, b, t: a * b,
    "cmul": lambda a, b, t: a * b,
    "div": lambda a, b, t: a / b if is_float(t) else trunc_div(a, b),
    "cdiv": lambda a, b, t: a / b if is_float(t) else trunc_div(a, b),
    "cpow": lambda a, b, t: a ** b if is_float(t) else np.trunc(a.astype(np.float64) ** b).astype(np.int64),
    "fmod": lambda a, b, t: np.fmod(a, b) if is_float(t) else a - b * trunc_div(a, b),
    "remainder": remainder_ref,
    "lshift": lambda a, b, t: a * 2.0 ** b if is_float(t) else a << b,
    "rshift": lambda a, b, t: a / 2.0 ** b if is_float(t) else rshift_ref(a, b, t),
    "bitand": lambda a, b, t: a & b,
    "bitor": lambda a, b, t: a | b,
    "bitxor": lambda a, b, t: a ^ b,
    "cmax": lambda a, b, t: np.where(a > b, a, b),
    "cmin": lambda a, b, t: np.where(a < b, a, b),
}
for _c, _v in [("cfmod", "fmod"), ("cmod", "fmod"), ("mod", "fmod"), ("cremainder", "remainder"),
               ("clshift", "lshift"), ("crshift", "rshift"), ("cbitand", "bitand"), ("cbitor", "bitor"),
               ("cbitxor", "bitxor")]:
    REF[_c] = REF[_v]

# Operations by a number (name, value for integer types, value for float types, float types allowed)
VALUE_OPS = [("add", 7, 1.5), ("csub", 3, 0.25), ("mul", 3, -1.5), ("div", 3, 0.3), ("fmod", 3, 0.7),
             ("mod", 3, 0.7), ("remainder", 3, 0.7), ("lshift", 2, 2.0), ("rshift", 1, 3.0),
             ("bitand", 6, None), ("bitor", 6, None), ("bitxor", 6, None), ("cmax", 4, 0.1),
             ("cmin", 4, 0.1)]
# Element-wise operations of two tensors: name -> (low, high) of the second operand, by int/float
TENSOR_OPS = {
    "add": None, "csub": None, "cmul": None, "cmax": None, "cmin": None,
    "cdiv": "divisor", "cfmod": "divisor", "cmod": "divisor", "cremainder": "divisor",
    "cpow": "exponent", "clshift": "shift", "crshift": "shift",
    "cbitand": None, "cbitor": None, "cbitxor": None,
}
INT_ONLY = {"bitand", "bitor", "bitxor", "cbitand", "cbitor", "cbitxor"}


def first_operand(name, typename, noncontig, seed=0):
    if name in ("cpow",) and is_float(typename):
        return make(typename, SHAPE, noncontig, low=0.5, high=2.0, seed=seed)
    if name in ("cpow",):
        return make(typename, SHAPE, noncontig, low=0 if typename == "torch.ByteTensor" else -4, high=5, seed=seed)
    return make(typename, SHAPE, noncontig, seed=seed)


def second_operand(name, typename, noncontig):
    kind = TENSOR_OPS[name]
    if kind == "divisor":
        if is_float(typename):
            t = make(typename, SHAPE, noncontig, low=0.5, high=2.0, seed=1)
        else:
            t = make(typename, SHAPE, noncontig, low=1, high=6, seed=1)
        if typename != "torch.ByteTensor":
            t.numpy()[0] *= -1  # negative divisors too
        return t
    if kind == "exponent":
        return make(typename, SHAPE, noncontig, low=0 if not is_float(typename) else -2, high=4, seed=1)
    if kind == "shift":
        return make(typename, SHAPE, noncontig, low=0, high=4, seed=1)
    return make(typename, SHAPE, noncontig, seed=1)


def check_all_forms(name, typename, noncontig, make_a, b, expected, tolerance):
    """torch.f(a, b), torch.f(res, a, b), a.f(b) in place and r.f(a, b) all give ``expected``."""
    f = getattr(torch, name)
    cls = torch.tensor_class(typename)
    a = make_a()
    before = np_of(a)
    assert_close(f(a, b), expected, tolerance, typename)
    np.testing.assert_array_equal(np_of(a), before)  # the new-result form leaves its inputs alone
    res = cls()
    assert f(res, a, b) is res
    assert_close(res, expected, tolerance, typename)
    r = cls(7)
    assert getattr(r, name)(a, b) is r
    assert_close(r, expected, tolerance, typename)
    a2 = make_a()
    assert getattr(a2, name)(b) is a2
    assert_close(a2, expected, tolerance, typename)
    assert a2.isContiguous() == (not noncontig)  # in place: written through the original view


# ---- value forms --------------------------------------------------------------------------------
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("name,ival,fval", VALUE_OPS, ids=[v[0] for v in VALUE_OPS])
def test_value_ops(name, ival, fval, typename, noncontig):
    if is_float(typename) and fval is None:
        with pytest.raises(TypeError, match=f"{name}: only supported for integer tensors"):
            getattr(torch, name)(make(typename, SHAPE), 3)
        return
    v = fval if is_float(typename) else ival
    a = make(typename, SHAPE, noncontig)
    expected = back(REF[name](wide(np_of(a), typename), v, typename), typename)
    check_all_forms(name, typename, noncontig, lambda: make(typename, SHAPE, noncontig), v, expected,
                    tol(typename))


# ---- tensor forms -------------------------------------------------------------------------------
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("name", list(TENSOR_OPS))
def test_tensor_ops(name, typename, noncontig):
    if is_float(typename) and name in INT_ONLY:
        with pytest.raises(TypeError, match=f"{name}: only supported for integer tensors, not {typename}"):
            getattr(torch, name)(make(typename, SHAPE), make(typename, SHAPE))
        return
    a = first_operand(name, typename, noncontig)
    b = second_operand(name, typename, noncontig)
    expected = back(REF[name](wide(np_of(a), typename), wide(np_of(b), typename), typename), typename)
    check_all_forms(name, typename, noncontig, lambda: first_operand(name, typename, noncontig), b, expected,
                    tol(typename))


@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("name,sign", [("add", 1), ("csub", -1)])
def test_add_scaled(name, sign, typename, noncontig):
    """add/csub(t1, value, t2) = t1 +- value * t2, in all forms."""
    f = getattr(torch, name)
    cls = torch.tensor_class(typename)
    v = 2.5 if is_float(typename) else 3
    a, b = make(typename, SHAPE, noncontig), make(typename, SHAPE, noncontig, seed=1)
    expected = back(wide(np_of(a), typename) + sign * v * wide(np_of(b), typename), typename)
    assert_close(f(a, v, b), expected, tol(typename), typename)
    res = cls()
    assert f(res, a, v, b) is res
    assert_close(res, expected, tol(typename))
    r = cls(2)
    assert getattr(r, name)(a, v, b) is r
    assert_close(r, expected, tol(typename))
    a2 = make(typename, SHAPE, noncontig)
    assert getattr(a2, name)(v, b) is a2
    assert_close(a2, expected, tol(typename))
    # value 1 is the plain sum / difference
    assert_close(f(a, 1, b), back(wide(np_of(a), typename) + sign * wide(np_of(b), typename), typename))


@pytest.mark.parametrize("typename", ALL_TYPES)
def test_value_converted_to_element_type(typename):
    """A Python number given to an integer tensor becomes a C integer of its type first."""
    x = make(typename, SHAPE)
    a = wide(np_of(x), typename)
    if is_float(typename):
        assert_close(torch.mul(x, 2.5), a * 2.5, tol(typename))
        return
    assert_close(torch.mul(x, 2.7), back(a * 2, typename))  # truncated toward zero
    assert_close(torch.add(x, -2.9), back(a - 2, typename))
    info = np.iinfo(dtype(typename))
    big = int(info.max) + 3  # wraps to min + 2
    assert_close(torch.add(x, big), back(a + info.min + 2, typename))
    assert_close(x.clone().add(-1), back(a - 1, typename))  # ByteTensor: + 255, i.e. - 1 mod 256


# ---- addcmul / addcdiv --------------------------------------------------------------------------
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_addc(name, typename, noncontig):
    f = getattr(torch, name)
    cls = torch.tensor_class(typename)
    x, t1 = make(typename, SHAPE, noncontig), make(typename, SHAPE, noncontig, seed=1)
    t2 = make(typename, SHAPE, noncontig, low=1, high=5, seed=2) if name == "addcdiv" else \
        make(typename, SHAPE, noncontig, seed=2)
    X, A, B = (wide(np_of(t), typename) for t in (x, t1, t2))
    v = 0.5 if is_float(typename) else 3

    def ref(value):
        if name == "addcmul":
            return back(X + value * A * B, typename)
        if is_float(typename):
            return back(X + value * A / B, typename)
        return back(X + trunc_div(value * A, B), typename)  # C: (value * t1) / t2 in integers

    e1, ev = ref(1), ref(v)
    assert_close(f(x, t1, t2), e1, tol(typename), typename)
    assert_close(f(x, v, t1, t2), ev, tol(typename), typename)
    res = cls()
    assert f(res, x, t1, t2) is res
    assert_close(res, e1, tol(typename))
    assert f(res, x, v, t1, t2) is res
    assert_close(res, ev, tol(typename))
    r = cls(1)
    assert getattr(r, name)(x, v, t1, t2) is r
    assert_close(r, ev, tol(typename))
    assert getattr(r, name)(x, t1, t2) is r
    assert_close(r, e1, tol(typename))
    x2 = make(typename, SHAPE, noncontig)
    assert getattr(x2, name)(v, t1, t2) is x2
    assert_close(x2, ev, tol(typename))
    x3 = make(typename, SHAPE, noncontig)
    getattr(x3, name)(t1, t2)
    assert_close(x3, e1, tol(typename))


def test_addcdiv_integer_no_early_wrap():
    # C evaluates value * t1 in int before dividing: 10 * 100 / 10 = 100 even for bytes.
    x = torch.ByteTensor([0])
    assert torch.addcdiv(x, 10, torch.ByteTensor([100]), torch.ByteTensor([10])).tolist() == [100]


def test_addc_errors():
    x = torch.Tensor(3)
    with pytest.raises(TypeError, match="addcmul"):
        torch.addcmul(x, 2)
    with pytest.raises(TypeError, match="addcdiv"):
        x.addcdiv(x, "a", x, x)
    with pytest.raises(ValueError, match="addcmul: sizes do not match: 3 and 4"):
        torch.addcmul(x, x, torch.Tensor(4))


# ---- clamp, cmax/cmin NaNs, sign, equal -----------------------------------------------------------
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_clamp(typename, noncontig):
    cls = torch.tensor_class(typename)
    lo, hi = (-0.5, 1.25) if is_float(typename) else (3, 12)
    if typename == "torch.ByteTensor":
        lo = 5
    a = make(typename, SHAPE, noncontig)
    A = np_of(a)
    expected = np.where(A < lo, lo, np.where(A > hi, hi, A)).astype(A.dtype)
    assert_close(torch.clamp(a, lo, hi), expected, tol(typename), typename)
    res = cls()
    assert torch.clamp(res, a, lo, hi) is res
    assert_close(res, expected)
    r = cls(1)
    assert r.clamp(a, lo, hi) is r
    assert_close(r, expected)
    a2 = make(typename, SHAPE, noncontig)
    assert a2.clamp(lo, hi) is a2
    assert_close(a2, expected)


def test_clamp_c_semantics():
    nan = float("nan")
    x = torch.Tensor([-1, 0.5, 2, nan])
    assert_close(torch.clamp(x, 0, 1), [0, 0.5, 1, nan])
    # min > max: C's `t < min ? min : (t > max ? max : t)`
    assert_close(torch.clamp(torch.Tensor([-1, 0.5, 2]), 1, 0), [1, 1, 0])
    # a NaN bound is never crossed, so it is ignored
    assert_close(torch.clamp(torch.Tensor([-1, 2]), nan, 1), [-1, 1])
    assert_close(torch.clamp(torch.Tensor([-1, 2]), 0, nan), [0, 2])
    assert_close(torch.clamp(torch.ByteTensor([0, 200, 255]), -1, 300), [255, 255, 44])  # bounds wrap: 255, 44
    with pytest.raises(TypeError, match="clamp"):
        torch.clamp(x, 0)
    with pytest.raises(TypeError, match="clamp"):
        x.clamp(x)


def test_cmax_cmin_nan():
    nan = float("nan")
    a, b = torch.Tensor([1, nan, 3, nan]), torch.Tensor([2, 2, nan, nan])
    assert_close(torch.cmax(a, b), [2, 2, nan, nan])  # a > b ? a : b
    assert_close(torch.cmin(a, b), [1, 2, nan, nan])
    assert_close(torch.cmax(a, 2), [2, 2, 3, 2])
    assert_close(torch.cmin(a, 2), [1, 2, 2, 2])
    assert_close(torch.cmax(a, nan), [nan] * 4)


@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("typename", ALL_TYPES)
def test_sign(typename, noncontig):
    cls = torch.tensor_class(typename)
    a = make(typename, SHAPE, noncontig)
    A = np_of(a)
    expected = ((A > 0).astype(np.int64) - (A < 0)).astype(A.dtype)
    assert_close(torch.sign(a), expected, typename=typename)
    assert torch.sign(a).isContiguous()
    res = cls()
    assert torch.sign(res, a) is res
    assert_close(res, expected)
    a2 = make(typename, SHAPE, noncontig)
    assert a2.sign() is a2
    assert_close(a2, expected)
    r = cls(2)
    assert r.sign(a) is r
    assert_close(r, expected)


def test_sign_nan_is_zero():
    assert_close(torch.sign(torch.Tensor([float("nan"), -0.0, -2])), [0, 0, -1])


@pytest.mark.parametrize("typename", ALL_TYPES)
def test_equal(typename):
    a = make(typename, SHAPE, noncontig=True)
    b = make(typename, SHAPE)
    assert torch.equal(a, b) is True
    assert a.equal(b) is True
    b.numpy()[1, 2] += 1
    assert torch.equal(a, b) is False
    assert torch.equal(a, a.view(12) if a.isContiguous() else a.contiguous().view(12)) is False  # sizes differ
    cls = torch.tensor_class(typename)
    assert torch.equal(cls(), cls()) is True
    assert torch.equal(cls(), cls(1)) is False


def test_equal_errors_and_nan():
    assert torch.equal(torch.Tensor([float("nan")]), torch.Tensor([float("nan")])) is False
    with pytest.raises(TypeError, match="equal: cannot compare a torch.DoubleTensor with a torch.FloatTensor"):
        torch.equal(torch.Tensor(2), torch.FloatTensor(2))
    with pytest.raises(TypeError, match="equal"):
        torch.equal(torch.Tensor(2), 3)


# ---- integer semantics --------------------------------------------------------------------------
@pytest.mark.parametrize("typename", SIGNED_TYPES[:4])
def test_integer_division_truncates(typename):
    cls = torch.tensor_class(typename)
    a = cls([7, -7, 7, -7, 6])
    b = cls([2, 2, -2, -2, 3])
    assert torch.cdiv(a, b).tolist() == [3, -3, -3, 3, 2]
    assert torch.div(a, 2).tolist() == [3, -3, 3, -3, 3]
    assert torch.cfmod(a, b).tolist() == [1, -1, 1, -1, 0]  # sign of the dividend
    assert torch.cremainder(a, b).tolist() == [1, 1, -1, -1, 0]  # sign of the divisor
    assert torch.remainder(a, -3).tolist() == [-2, -1, -2, -1, 0]


@pytest.mark.parametrize("typename", INT_TYPES)
def test_integer_division_by_zero_gives_zero(typename):
    cls = torch.tensor_class(typename)
    a, z = cls([5, 0, 3]), cls([0, 0, 0])
    for name in ["cdiv", "cfmod", "cremainder"]:
        assert getattr(torch, name)(a, z).tolist() == [0, 0, 0], name
    for name in ["div", "fmod", "remainder"]:
        assert getattr(torch, name)(a, 0).tolist() == [0, 0, 0], name
    assert torch.addcdiv(a, a, z).tolist() == [5, 0, 3]


def test_float_division_by_zero():
    inf, nan = float("inf"), float("nan")
    x = torch.Tensor([1, -1, 0])
    assert_close(torch.div(x, 0), [inf, -inf, nan])
    assert_close(torch.cdiv(x, torch.Tensor(3).zero()), [inf, -inf, nan])
    assert_close(torch.remainder(x, 0), [nan] * 3)  # Torch7: NaN for a zero divisor
    assert_close(torch.fmod(x, 0), [nan] * 3)


def test_remainder_float_is_torch_formula():
    # a - b*floor(a/b) differs from NumPy's remainder here (NumPy gives ~0.1)
    assert torch.remainder(torch.Tensor([5.0]), 0.1).tolist() == [5.0 - 0.1 * np.floor(5.0 / 0.1)]
    assert torch.remainder(torch.Tensor([-7.5]), 2).tolist() == [0.5]


def test_shifts():
    assert torch.rshift(torch.CharTensor([-8, 8]), 1).tolist() == [124, 4]  # logical, on the unsigned type
    assert torch.rshift(torch.LongTensor([-1]), 60).tolist() == [15]
    assert torch.lshift(torch.CharTensor([64, -3]), 1).tolist() == [-128, -6]  # wraps
    assert torch.lshift(torch.ByteTensor([1]), 9).tolist() == [0]  # out of range count: 0
    assert torch.lshift(torch.IntTensor([1]), -1).tolist() == [0]
    assert torch.rshift(torch.IntTensor([16]), -1).tolist() == [0]
    assert_close(torch.lshift(torch.FloatTensor([1.5]), 2), [6.0])
    assert_close(torch.rshift(torch.Tensor([1.5]), 0.5), [1.5 / 2 ** 0.5])
    assert_close(torch.clshift(torch.Tensor([1, 1]), torch.Tensor([3, -1])), [8, 0.5])
    assert_close(torch.crshift(torch.ShortTensor([-16, 16]), torch.ShortTensor([2, 2])), [16380, 4])


def test_cpow_integer():
    # computed in double and truncated, as C's pow: 2^-1 -> 0, (-2)^3 -> -8
    assert torch.cpow(torch.IntTensor([2, -2, 3, 1]), torch.IntTensor([-1, 3, 0, -5])).tolist() == [0, -8, 1, 1]


# ---- broadcasting, same-nElement rule, aliasing, errors ------------------------------------------
@pytest.mark.parametrize("name", ["add", "csub", "cmul", "cdiv", "cmax", "cremainder"])
def test_broadcasting(name):
    f = getattr(torch, name)
    a = make("torch.DoubleTensor", (3, 1), low=1, high=2)
    b = make("torch.DoubleTensor", (1, 4), low=1, high=2, seed=1)
    ref = REF[name.replace("cremainder", "remainder")] if name != "cdiv" else REF["div"]
    expected = ref(np_of(a), np_of(b), "torch.DoubleTensor")
    assert_close(f(a, b), expected)
    res = torch.Tensor()
    assert_close(f(res, a, b), expected)
    big = make("torch.DoubleTensor", (3, 4), low=1, high=2, seed=2)
    row = make("torch.DoubleTensor", (4,), low=1, high=2, seed=3)
    exp2 = ref(np_of(big), np_of(row), "torch.DoubleTensor")
    assert_close(getattr(big, name)(row), exp2)  # the result fits in self: fine in place
    with pytest.raises(ValueError, match=f"{name}: the result of size 3x4 does not fit in the tensor of size 4"):
        getattr(row, name)(big)


@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("name", ["add", "cmul", "csub", "cbitxor"])
def test_same_nelement_rule(name, noncontig):
    """Shapes that do not broadcast but have the same count: combined in order, shaped like the first."""
    t = "torch.IntTensor"
    a = make(t, (2, 3), noncontig)
    b = make(t, (3, 2), noncontig, seed=1)
    expected = back(REF[name](wide(np_of(a), t), wide(np_of(b), t).reshape(2, 3), t), t)
    assert_close(getattr(torch, name)(a, b), expected, typename=t)
    a2 = make(t, (2, 3), noncontig)
    assert_close(getattr(a2, name)(b), expected)
    c = make(t, (6,), seed=1)
    assert_close(getattr(torch, name)(a, c), back(REF[name](wide(np_of(a), t), wide(np_of(c), t).reshape(2, 3), t), t))


def test_size_errors_name_the_sizes():
    with pytest.raises(ValueError, match="add: sizes do not match: 2x3 and 4"):
        torch.add(torch.Tensor(2, 3), torch.Tensor(4))
    with pytest.raises(ValueError, match="cmul: sizes do not match: 5 and 2x2"):
        torch.Tensor(5).cmul(torch.Tensor(2, 2))
    with pytest.raises(ValueError, match="add: sizes do not match"):
        torch.add(torch.Tensor(2), 3, torch.Tensor(3))


def test_bad_arguments():
    x = torch.Tensor(3)
    for call in [lambda: torch.add(1, 2), lambda: torch.add(x, "a"), lambda: x.add(), lambda: x.mul(x),
                 lambda: torch.cmul(x, 2), lambda: torch.div(x, x), lambda: x.add(x, x, x),
                 lambda: torch.csub(x, x, x, x, x), lambda: torch.fmod(2, x), lambda: x.cmax("a")]:
        with pytest.raises(TypeError, match="invalid arguments"):
            call()
    with pytest.raises(TypeError, match="cbitand: only supported for integer tensors, not torch.DoubleTensor"):
        torch.cbitand(torch.IntTensor(2), torch.Tensor(2))  # a float operand is refused too
    with pytest.raises(ValueError, match="mul: cannot convert nan"):
        torch.IntTensor(2).mul(float("nan"))


@pytest.mark.parametrize("typename", ALL_TYPES)
def test_aliasing(typename):
    x = make(typename, SHAPE)
    X = wide(np_of(x), typename)
    assert torch.add(x, x, x) is x
    assert_close(x, back(2 * X, typename), tol(typename))
    x = make(typename, SHAPE)
    assert_close(torch.cmul(x, x, x), back(X * X, typename), tol(typename))
    x = make(typename, SHAPE)
    assert_close(x.add(2, x), back(3 * X, typename), tol(typename))
    x, y = make(typename, SHAPE), make(typename, SHAPE, seed=1)
    Y = wide(np_of(y), typename)
    assert torch.csub(y, x, y) is y  # result written over the second operand
    assert_close(y, back(X - Y, typename), tol(typename))
    x = make(typename, SHAPE)
    assert_close(torch.add(x, x, 2, x), back(3 * X, typename), tol(typename))
    x = make(typename, SHAPE)
    assert_close(x.addcmul(2, x, x), back(X + 2 * X * X, typename), tol(typename))


def test_overlapping_views():
    # res overlaps an operand without being it: the result must still be the element-wise one
    base = torch.Tensor([1, 2, 3, 4, 5])
    a, r = base.narrow(0, 0, 4), base.narrow(0, 1, 4)
    expected = np_of(a) + 10 * np_of(a)
    torch.add(r, a, 10, a)
    assert_close(r, expected)


def test_empty_tensors():
    e = torch.Tensor()
    assert torch.add(e, e).nElement() == 0
    assert torch.add(e, 3).nElement() == 0
    assert e.add(1) is e and e.cmul(e) is e
    assert torch.clamp(e, 0, 1).nElement() == 0
    assert torch.sign(e).nElement() == 0


def test_mixed_types_cast_to_result():
    x = torch.IntTensor([1, 2])
    x.add(torch.Tensor([0.5, 1.5]))
    assert x.tolist() == [1, 3]  # computed in double, written back as int
    r = torch.FloatTensor()
    torch.cmul(r, torch.IntTensor([2, 3]), torch.IntTensor([4, 5]))
    assert r.tolist() == [8.0, 15.0] and r.type() == "torch.FloatTensor"


def test_result_type_and_contiguity():
    a = make("torch.FloatTensor", (4, 5), noncontig=True)
    r = torch.add(a, a)
    assert r.type() == "torch.FloatTensor" and r.isContiguous()
    assert r.storage() is not None and r.storage().size() == 20


def test_hot_paths_write_in_place():
    x, y = torch.Tensor([1, 2]), torch.Tensor([3, 4])
    buf = x.numpy()
    x.add(y).add(1).mul(2).cmul(y).add(0.5, y)
    assert buf.tolist() == [(((1 + 3) + 1) * 2 * 3) + 1.5, (((2 + 4) + 1) * 2 * 4) + 2.0]
    r = torch.Tensor(2)
    rb = r.numpy()
    r.add(x, y)
    assert rb.tolist() == (np.asarray(buf) + [3, 4]).tolist()


# ---- big in-place add/csub through BLAS axpy (torch7/_core/blas1.py) ----------------------------
BIG = blas1.MIN_SIZE + 3  # an odd tail past the BLAS kernels' unrolled blocks


@pytest.mark.parametrize("typename", ["torch.FloatTensor", "torch.DoubleTensor"])
@pytest.mark.parametrize("name,v", [("add", None), ("csub", None), ("add", 0.3), ("csub", -1.7), ("add", -1)])
def test_big_inplace_add_uses_axpy(name, v, typename):
    """x.add(y) / x.csub(v, y) on big contiguous float tensors: one BLAS call, same values as NumPy's path."""
    cls = torch.tensor_class(typename)
    a, b = make(typename, (BIG,)), make(typename, (BIG,), seed=1)
    args = (b,) if v is None else (v, b)
    x = a.clone()
    with axpy_calls() as calls:
        assert getattr(x, name)(*args) is x
    assert calls == [BIG]
    old = blas1.use_axpy(False)
    try:
        ref = getattr(a.clone(), name)(*args)
    finally:
        blas1.use_axpy(old)
    if v in (None, 1, -1):  # the product by +-1 is exact: bit-identical
        assert np.array_equal(np_of(x), np_of(ref))
    else:  # BLAS fuses v*y into the sum: one rounding fewer than NumPy's two passes
        assert_close(x, np_of(ref), tol(typename))
    sign = 1 if name == "add" else -1
    assert_close(x, wide(np_of(a), typename) + sign * (1 if v is None else v) * wide(np_of(b), typename),
                 tol(typename))
    assert cls is type(x)


def test_axpy_declines_what_numpy_must_do():
    """Cases BLAS cannot do as NumPy does are left to NumPy (axpy returns False, y untouched)."""
    y = np.ones(8)
    for x, alpha in [(np.ones(8, np.float32), 1.0),   # dtype mismatch
                     (np.ones(16)[::2], 1.0),          # not contiguous
                     (np.ones(8), 0.0),                # BLAS skips x when alpha is 0; NumPy gives 0*inf = nan
                     (np.ones(8), float("inf")),
                     (np.ones(4), 1.0)]:               # shape mismatch
        assert not blas1.axpy(alpha, x, y, min_size=0)
    z = np.ones(9)
    assert not blas1.axpy(1.0, z[1:], z[:-1], min_size=0)  # overlapping views: order would matter
    assert not blas1.axpy(1.0, np.ones(8, np.int64), np.ones(8, np.int64), min_size=0)
    assert not blas1.axpy(1.0, np.ones(8), y)           # below the size where the call pays
    assert y.tolist() == [1.0] * 8
    assert blas1.axpy(np.float32(2), np.arange(8.0), y, min_size=0)
    assert y.tolist() == [1.0 + 2 * i for i in range(8)]
    assert blas1.axpy(1.0, y, y, min_size=0)  # the same array: each element reads itself only
    assert y.tolist() == [2.0 + 4 * i for i in range(8)]


def test_big_add_keeps_numpy_semantics_for_zero_value():
    """x.add(0, y) with an inf in y gives NaN there, as t1 + 0 * t2 does (BLAS would skip y)."""
    x = torch.FloatTensor(BIG).fill(1)
    y = torch.FloatTensor(BIG).fill(2)
    y[5] = float("inf")
    with np.errstate(invalid="ignore"):
        x.add(0, y)
    assert np.isnan(x[5]) and x[4] == 1


# ---- properties ---------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, min_side=1, max_side=4),
       typename=st.sampled_from(ALL_TYPES), name=st.sampled_from(["add", "csub", "cmul", "cmax", "cmin", "cdiv"]),
       seed=st.integers(0, 10))
def test_broadcast_property(shapes, typename, name, seed):
    (sa, sb), shape = shapes.input_shapes, shapes.result_shape
    a = make(typename, sa, seed=seed)
    b = make(typename, sb, seed=seed + 1, low=1 if name == "cdiv" else None, high=9 if name == "cdiv" else None)
    ref = REF["div" if name == "cdiv" else name]
    expected = back(np.broadcast_to(ref(wide(np_of(a), typename), wide(np_of(b), typename), typename), shape),
                    typename)
    out = getattr(torch, name)(a, b)
    assert_close(out, expected, tol(typename), typename)


@settings(max_examples=40, deadline=None)
@given(typename=st.sampled_from(INT_TYPES), v=st.integers(-2 ** 70, 2 ** 70), seed=st.integers(0, 10))
def test_integer_value_wraps_property(typename, v, seed):
    x = make(typename, (5,), seed=seed)
    info = np.iinfo(dtype(typename))
    vw = (v - int(info.min)) % (int(info.max) - int(info.min) + 1) + int(info.min)
    assert_close(torch.add(x, v), back(wide(np_of(x), typename) + vw, typename))
    assert_close(torch.bitxor(x, v), back(wide(np_of(x), typename) ^ vw, typename))


def test_value_with_mixed_types_joins_the_promotion():
    """r.remainder(byte_tensor, -2) into a CharTensor: -2 is a valid Char, so it must not have to fit uint8."""
    r = torch.CharTensor(3)
    r.remainder(torch.ByteTensor([0, 1, 5]), -2)
    assert r.tolist() == torch.CharTensor([0, 1, 5]).remainder(-2).tolist() == [0, -1, -1]
    d = torch.DoubleTensor(3)
    d.add(torch.ByteTensor([0, 1, 5]), -2)
    assert d.tolist() == [-2.0, -1.0, 3.0]
    r = torch.IntTensor(3)  # the scaled form: -1 * a ByteTensor
    torch.csub(r, torch.DoubleTensor([1, 2, 3]), -1, torch.ByteTensor([254, 1, 0]))
    assert r.tolist() == [255, 3, 3]
