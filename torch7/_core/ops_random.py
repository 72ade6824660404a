"""Random numbers: seeds and RNG state, Torch7's scalar draws, in-place tensor fills, rand/randn.

Every function takes an optional ``torch.Generator`` first; without one the global generator
(``torch._gen``, seeded from /dev/urandom at import) is used.  The numbers are Torch7's
(lib/TH/THRandom.c, THTensorRandom.c): after the same ``manualSeed`` the same calls give the
same values.  Tensor fills draw in the tensor's logical (row-major) order, exactly as the same
number of scalar calls would.  Integer ranges are inclusive, as in Torch7 (``random(1, 6)``).
``randperm`` and ``multinomial`` live in ops_random_sampling.py.
"""

from __future__ import annotations

import math

import numpy as np

from . import mt19937 as mt
from . import types as T
from .backend import ascontig, copyto, to_host
from .dispatch import pop_typename, prepare
from .mt19937 import Generator
from .ops_random_cuda import device_fill
from .size import parse_sizes
from .tensor import Tensor

_LONG_MAX = (1 << 63) - 1
# Tensor:random() with no bounds: THTensorRandom.c keeps random() % (max of the type + 1)
# (for floats: % (2^mantissa + 1)); None means the 32-bit word is kept whole.
_RANDOM_MOD = {np.dtype(np.uint8): 256, np.dtype(np.int8): 128, np.dtype(np.int16): 1 << 15,
               np.dtype(np.int32): 1 << 31, np.dtype(np.int64): None, np.dtype(np.float32): (1 << 24) + 1,
               np.dtype(np.float64): None}
_FLOAT32 = np.dtype(np.float32)


# ---- argument helpers (shared with ops_random_sampling) ---------------------------------------
def split_gen(args: tuple) -> tuple[Generator, tuple]:
    """(generator, remaining args): an optional leading Generator, else the global one."""
    if args and isinstance(args[0], Generator):
        return args[0], args[1:]
    return mt.GLOBAL, args


def number(v, fname: str, what: str) -> float:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{fname}: {what} must be a number, got {type(v).__name__}")
    return float(v)


def long_arg(v, fname: str, what: str) -> int:
    """A C ``long`` argument: ints as they are, floats truncated toward zero as C does."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError(f"{fname}: {what} must be an integer, got {type(v).__name__}")
    if isinstance(v, (float, np.floating)) and not math.isfinite(v):
        raise ValueError(f"{fname}: {what} must be finite, got {v}")
    v = int(v)
    if not -_LONG_MAX - 1 <= v <= _LONG_MAX:
        raise ValueError(f"{fname}: {what} {v} does not fit in a 64-bit integer")
    return v


def check_random_type(t: Tensor, fname: str, float_only: bool) -> None:
    dt = t._dtype
    if dt not in _RANDOM_MOD or (float_only and not t._is_float):
        kinds = "Float or Double tensors" if float_only else "Byte, Char, Short, Int, Long, Float and Double tensors"
        raise TypeError(f"{fname}: not defined for {t._typename} (only for {kinds})")


def write(t: Tensor, vals: np.ndarray) -> Tensor:
    """Store n values, in logical order, into ``t`` (C conversion to its type)."""
    a = t._a
    if t._is_cuda:
        copyto(a, vals.reshape(a.shape))
    else:
        np.copyto(a, vals.reshape(a.shape), casting="unsafe")
    return t


_DEVICE_DRAWS = ("uniform", "normal", "bernoulli")


# ---- distributions: parameters and checks ---------------------------------------------------
# name -> ((param, default or None if required), ...); defaults are Torch7's (TensorMath.lua).
_PARAMS = {
    "uniform": (("a", 0.0), ("b", 1.0)),
    "normal": (("mean", 0.0), ("stdv", 1.0)),
    "cauchy": (("median", 0.0), ("sigma", 1.0)),
    "logNormal": (("mean", 1.0), ("stdv", 2.0)),
    "exponential": (("lambda", None),),
    "geometric": (("p", None),),
    "bernoulli": (("p", 0.5),),
}


def _params(fname: str, args: tuple, real32: bool = False) -> list:
    spec = _PARAMS[fname]
    if len(args) > len(spec):
        raise TypeError(f"{fname}: too many arguments ({len(args)}); expected "
                        f"([gen,] {', '.join(f'[{n}]' if d is not None else n for n, d in spec)})")
    out = []
    for i, (nm, dflt) in enumerate(spec):
        if i < len(args) and args[i] is not None:
            v = number(args[i], fname, nm)
            # Float tensors take their parameters as C floats (TensorMath.lua: name=real).
            out.append(float(np.float32(v)) if real32 else v)
        elif dflt is None:
            raise TypeError(f"{fname}: missing argument '{nm}'")
        else:
            out.append(dflt)
    _check(fname, out)
    return out


def _check(fname: str, ps: list) -> None:
    if fname in ("normal", "logNormal") and not ps[1] > 0:
        raise ValueError(f"{fname}: standard deviation must be strictly positive (got {ps[1]})")
    if fname == "geometric" and not 0 < ps[0] < 1:
        raise ValueError(f"geometric: p must be > 0 and < 1 (got {ps[0]})")
    if fname == "bernoulli" and not 0 <= ps[0] <= 1:
        raise ValueError(f"bernoulli: p must be >= 0 and <= 1 (got {ps[0]})")


def _uniform_n(gen: Generator, n: int, a: float, b: float) -> np.ndarray:
    u = gen._uniforms(n)
    if a == 0.0 and b == 1.0:
        return u  # u * 1 + 0 is u
    u *= b - a
    u += a
    return u


# (generator, n or None for one number, *params) -> values; n=None gives one Python number.
_DRAW = {
    "uniform": lambda g, n, a, b: g._uniform1() * (b - a) + a if n is None else _uniform_n(g, n, a, b),
    "normal": lambda g, n, m, s: g._normal1(m, s) if n is None else g._normals(n, m, s),
    "cauchy": lambda g, n, m, s: g._cauchy(n, m, s),
    "logNormal": lambda g, n, m, s: g._log_normal(n, m, s),
    "exponential": lambda g, n, lam: g._exponential(n, lam),
    "geometric": lambda g, n, p: g._geometric(n, p),
    "bernoulli": lambda g, n, p: g._bernoulli(n, p),
}


def _make_dist(name: str, float_only: bool):
    draw = _DRAW[name]

    def method(self: Tensor, *args) -> Tensor:
        check_random_type(self, name, float_only)
        gen, rest = split_gen(args)
        ps = _params(name, rest, real32=float_only and self._dtype == _FLOAT32)
        n = self._a.size
        if self._is_cuda and n and rest is args and name in _DEVICE_DRAWS:
            return device_fill(self, name, ps)
        return write(self, draw(gen, n, *ps)) if n else self

    def fn(*args) -> float | int | Tensor:
        if args and isinstance(args[0], Tensor):
            return method(*args)
        gen, rest = split_gen(args)
        return draw(gen, None, *_params(name, rest))

    spec = ", ".join(f"[{n}={d:g}]" if d is not None else n for n, d in _PARAMS[name])
    method.__name__ = fn.__name__ = name
    method.__doc__ = f"Fill self in place with {name}({spec}) draws (optional generator first); returns self."
    fn.__doc__ = (f"torch.{name}([gen,] {spec}): one {name} draw as a number; torch.{name}(t, ...) fills t "
                  "in place.")
    return fn, method


# ---- random: raw words and inclusive integer ranges -----------------------------------------
def _random_bounds(fname: str, rest: tuple) -> tuple:
    if len(rest) > 2:
        raise TypeError(f"{fname}: too many arguments ({len(rest)}); expected ([gen,] [a,] [b])")
    if len(rest) == 1:
        b = long_arg(rest[0], fname, "upper bound")
        if b <= 0:
            raise ValueError(f"{fname}: upper bound must be strictly positive (got {b})")
        return (b,)
    if len(rest) == 2:
        a, b = long_arg(rest[0], fname, "lower bound"), long_arg(rest[1], fname, "upper bound")
        if b < a:
            raise ValueError(f"{fname}: upper bound must be larger than lower bound (got {a}, {b})")
        return (a, b)
    return ()


def random_method(self: Tensor, *args) -> Tensor:
    """Fill self with random integers: [gen,] () per-type range, (b) in 1..b, (a, b) in a..b."""
    check_random_type(self, "random", False)
    gen, rest = split_gen(args)
    bounds = _random_bounds("random", rest)
    n = self._a.size
    if not n:
        return self
    r = gen._raw(n)
    if not bounds:
        mod = _RANDOM_MOD[self._dtype]
        return write(self, r if mod is None else np.remainder(r, np.uint32(mod)))
    if len(bounds) == 1:
        v = r.astype(np.uint64)
        v %= np.uint64(bounds[0])
        v += np.uint64(1)
        return write(self, v)
    a, b = bounds
    m = b + 1 - a
    v = (r if m > 0xFFFFFFFF else np.remainder(r, np.uint32(m))).astype(np.int64)
    # Torch7 adds in unsigned arithmetic, which turns negative results into huge numbers in
    # Float/Double tensors; we keep the mathematical value a + random % (b - a + 1).
    v += a
    return write(self, v)


def random(*args) -> int | Tensor:
    """torch.random([gen,] [a,] [b]): a raw 32-bit word, 1..b, or a..b (inclusive); random(t, ...) fills t.

    Example:
        >>> import torch7 as torch
        >>> torch.manualSeed(0)
        >>> torch.random(), torch.random()
        (2357136044, 2546248239)
        >>> 1 <= torch.random(1, 6) <= 6
        True
    """
    if args and isinstance(args[0], Tensor):
        return random_method(*args)
    gen, rest = split_gen(args)
    bounds = _random_bounds("random", rest)
    r = gen._random()
    if not bounds:
        return r
    if len(bounds) == 1:
        return r % bounds[0] + 1
    a, b = bounds
    return r % (b + 1 - a) + a


# ---- seeds and state ------------------------------------------------------------------------
def seed(gen: Generator | None = None) -> int:
    """Reseed from /dev/urandom; returns the seed."""
    return _gen_only("seed", gen)._reseed()


def initialSeed(gen: Generator | None = None) -> int:
    """The seed the generator was last seeded with."""
    return _gen_only("initialSeed", gen)._initial_seed()


def manualSeed(*args) -> None:
    """manualSeed([gen,] n): seed with n (init_genrand); also clears the cached normal."""
    gen, rest = split_gen(args)
    if len(rest) != 1:
        raise TypeError(f"manualSeed: expected ([gen,] seed), got {len(args)} arguments")
    v = rest[0]
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) and -(1 << 63) <= v < 1 << 64:
        gen._manual_seed(int(v))  # unsigned 64-bit seeds (as seed() reads them) are accepted too
    else:
        gen._manual_seed(long_arg(v, "manualSeed", "seed"))


def getRNGState(*args) -> Tensor:
    """getRNGState([gen,] [res]): the raw 5048-byte generator state as a ByteTensor.

    Example:
        >>> import torch7 as torch
        >>> s = torch.getRNGState(); a = torch.uniform()
        >>> _ = torch.setRNGState(s); torch.uniform() == a
        True
    """
    gen, rest = split_gen(args)
    byte = T.TENSOR_CLASSES["torch.ByteTensor"]
    if len(rest) > 1 or (rest and not isinstance(rest[0], byte)):
        raise TypeError("getRNGState: expected ([gen,] [ByteTensor])")
    data = np.frombuffer(gen._state_bytes(), np.uint8)
    if rest:
        res = prepare(rest[0], byte, (mt.STATE_SIZE,))
        res._a[...] = data
        return res
    return byte._new(data.copy())


def setRNGState(*args) -> Tensor:
    """setRNGState([gen,] state): restore a state from getRNGState; returns it."""
    gen, rest = split_gen(args)
    if len(rest) != 1 or not isinstance(rest[0], T.TENSOR_CLASSES["torch.ByteTensor"]):
        raise TypeError("setRNGState: expected ([gen,] ByteTensor state)")
    gen._set_state_bytes(ascontig(rest[0]._a).tobytes())
    return rest[0]


def _gen_only(fname: str, gen) -> Generator:
    if gen is None:
        return mt.GLOBAL
    if not isinstance(gen, Generator):
        raise TypeError(f"{fname}: expected an optional torch.Generator, got {type(gen).__name__}")
    return gen


# ---- rand / randn ---------------------------------------------------------------------------
def ctor_args(fname: str, args: tuple) -> tuple:
    """[res,] [gen,] rest... [, 'torch.XTensor'] -> (res or None, class, generator, rest)."""
    res = None
    if args and isinstance(args[0], Tensor):
        res, args = args[0], args[1:]
    gen, args = split_gen(args)
    if res is None:
        args, cls = pop_typename(args)
    else:
        cls = type(res)
    return res, cls, gen, args


def _filled(fname: str, args: tuple, draw) -> Tensor:
    res, cls, gen, rest = ctor_args(fname, args)
    if not cls._is_float or cls._dtype not in _RANDOM_MOD:
        raise TypeError(f"{fname}: not defined for {cls._typename} (only for Float or Double tensors)")
    sizes = parse_sizes(rest, fname)
    if any(s < 0 for s in sizes):
        raise ValueError(f"{fname}: invalid size {'x'.join(map(str, sizes))}: sizes must be non-negative")
    out = prepare(res, cls, sizes)
    n = out._a.size
    if out._is_cuda and n and gen is mt.GLOBAL:
        return device_fill(out, "uniform" if fname == "rand" else "normal", (0.0, 1.0))
    return write(out, draw(gen, n)) if n else out


def rand(*args) -> Tensor:
    """rand([res,] [gen,] sizes... [, typename]): uniform numbers in [0, 1).

    Example:
        >>> import torch7 as torch
        >>> torch.manualSeed(123)
        >>> torch.rand(3).totable()
        [0.6964691872708499, 0.7129553214181215, 0.2861393387429416]
    """
    return _filled("rand", args, lambda g, n: g._uniforms(n))


def randn(*args) -> Tensor:
    """randn([res,] [gen,] sizes... [, typename]): standard normal numbers (Box-Muller)."""
    return _filled("randn", args, lambda g, n: g._normals(n, 0.0, 1.0))


def _rand_method(self: Tensor, *args) -> Tensor:
    """x.rand([gen,] sizes...): resize x and fill it with uniform numbers in [0, 1)."""
    return rand(self, *args)


def _randn_method(self: Tensor, *args) -> Tensor:
    """x.randn([gen,] sizes...): resize x and fill it with standard normal numbers."""
    return randn(self, *args)


_DISTS = {name: _make_dist(name, name not in ("geometric", "bernoulli"))
          for name in ("uniform", "normal", "cauchy", "logNormal", "exponential", "geometric")}


def bernoulli_method(self: Tensor, *args) -> Tensor:
    """Fill self with 0/1 draws: [gen,] [p=0.5], or a Float/Double tensor of probabilities."""
    check_random_type(self, "bernoulli", False)
    gen, rest = split_gen(args)
    if len(rest) == 1 and isinstance(rest[0], Tensor):
        p = rest[0]
        if p._dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise TypeError(f"bernoulli: probabilities must be a FloatTensor or DoubleTensor, not {p._typename}")
        if p._a.size != self._a.size:
            raise ValueError(f"bernoulli: {p._a.size} probabilities for a tensor of {self._a.size} elements")
        pv = p._a.astype(np.float64).reshape(-1)
        if not ((pv >= 0) & (pv <= 1)).all():
            raise ValueError("bernoulli: probabilities must be >= 0 and <= 1")
    else:
        pv = _params("bernoulli", rest)[0]
        if self._is_cuda and self._a.size and rest is args:
            return device_fill(self, "bernoulli", (pv,))
    n = self._a.size
    if not isinstance(pv, float):
        pv = to_host(pv)
    return write(self, gen._bernoulli(n, pv)) if n else self


def bernoulli(*args) -> int | Tensor:
    """torch.bernoulli([gen,] [p=0.5]): 1 with probability p, else 0; bernoulli(t, ...) fills t."""
    if args and isinstance(args[0], Tensor):
        return bernoulli_method(*args)
    gen, rest = split_gen(args)
    return gen._bernoulli(None, _params("bernoulli", rest)[0])


FUNCTIONS = {
    "Generator": Generator, "_gen": mt.GLOBAL,
    "seed": seed, "initialSeed": initialSeed, "manualSeed": manualSeed,
    "getRNGState": getRNGState, "setRNGState": setRNGState,
    "random": random, "bernoulli": bernoulli, "rand": rand, "randn": randn,
    **{name: fm[0] for name, fm in _DISTS.items()},
}

METHODS = {
    "random": random_method, "bernoulli": bernoulli_method, "rand": _rand_method, "randn": _randn_method,
    **{name: fm[1] for name, fm in _DISTS.items()},
}
