"""torch.Generator: Torch7's Mersenne Twister (lib/TH/THRandom.c) with vectorised draws.

Torch7 seeds MT19937 with ``init_genrand`` and draws 32-bit words; NumPy's ``MT19937`` bit
generator with its legacy seeding is the same twister, so it produces Torch7's sequence in bulk.
Every distribution has a scalar form (one Torch7 call) and a bulk form (n calls in a row); both
use the same NumPy ufuncs, so a tensor fill of n equals n scalar calls, bit for bit.

State mapping between Torch7's ``THGenerator`` and NumPy's ``{'key', 'pos'}``:
  Torch7 counts ``left`` down to 1 (a twist is due when it reaches 1) and reads ``state[next]``;
  NumPy reads ``key[pos]`` and twists when ``pos == 624``.  Hence
    * ``left == 1``                  <->  ``pos == 624``  (``next`` is 0 right after seeding and 624
      after a full block; the value is kept until the first draw so that the bytes round-trip);
    * ``left == 625 - next`` (next in 1..623)  <->  ``pos == next``.
  Torch7 never produces any other pair, and ``setRNGState`` refuses them.

The NumPy bit generator is made on the first draw: ``numpy.random`` costs ~10 ms to import.
"""

from __future__ import annotations

import math
import os
import struct

import numpy as np

from . import blaspool

N = 624
STATE_SIZE = 5048  # sizeof(THGenerator) on LP64
_HEAD = struct.Struct("<QiiQ")  # the_initial_seed, left, seeded, next
_TAIL = struct.Struct("<dddi4x")  # normal_x, normal_y, normal_rho, normal_is_valid, padding
_KEY_AT = _HEAD.size
_TAIL_AT = _KEY_AT + 8 * N
assert _TAIL_AT + _TAIL.size == STATE_SIZE
_U64 = (1 << 64) - 1
INV32 = 1.0 / 4294967296.0
TWO_PI = 2.0 * math.pi
INT_MIN = -(1 << 31)
_CHUNK = 1 << 16  # Box-Muller pairs per block
# libm's cos/sin, on OpenBLAS's threads for whole blocks (the same values as NumPy's float64 loops)
_COS = blaspool.pooled_ufunc(np.cos, "cos", (np.dtype(np.float64),))
_SIN = blaspool.pooled_ufunc(np.sin, "sin", (np.dtype(np.float64),))


def _seed_key(seed32: int) -> np.ndarray:
    """The 624 words of init_genrand(seed32)."""
    from numpy.random import MT19937

    bg = MT19937(0)
    try:
        bg._legacy_seeding(seed32)
        return bg.state["state"]["key"]
    except AttributeError:  # pragma: no cover - NumPy without the legacy hook
        key = np.empty(N, np.uint32)
        s = seed32
        for j in range(N):
            key[j] = s
            s = (1812433253 * (s ^ (s >> 30)) + j + 1) & 0xFFFFFFFF
        return key


def _signed(v: int) -> int:
    """A 64-bit value as C's ``long`` (Torch7 returns seeds through a long)."""
    return v - (1 << 64) if v >= 1 << 63 else v


class Generator:
    """A random number generator (Torch7's ``torch.Generator``), seeded from /dev/urandom.

    Pass it as the optional first argument of any random function to draw from it instead of
    the global generator.

    Example:
        >>> import torch7 as torch
        >>> g = torch.Generator()
        >>> torch.manualSeed(g, 0)
        >>> torch.random(g), torch.random(g)
        (2357136044, 2546248239)
    """

    _typename = "torch.Generator"
    __slots__ = ("_bg", "_ng", "_seed", "_pkey", "_pnext", "_nx", "_ny", "_rho", "_nvalid", "__weakref__")

    def __init__(self) -> None:
        self._reseed()

    # ---- seeding and state --------------------------------------------------------------
    def _manual_seed(self, seed: int) -> None:
        """THRandom_manualSeed: init_genrand(seed & 0xffffffff) and a cleared normal cache."""
        self._seed = int(seed) & _U64
        self._bg = self._ng = None  # made on the first draw
        self._pkey = None  # key pending until then (None: derived from the seed)
        self._pnext = 0
        self._nx = self._ny = self._rho = 0.0
        self._nvalid = False

    def _reseed(self) -> int:
        """THRandom_seed: a 64-bit seed from /dev/urandom; returns it as a C long."""
        s = int.from_bytes(os.urandom(8), "little")
        self._manual_seed(s)
        return _signed(s)

    def _initial_seed(self) -> int:
        return _signed(self._seed)

    def _make(self):
        from numpy.random import MT19937
        from numpy.random import Generator as NpGenerator

        bg = MT19937(0)
        key = self._pkey if self._pkey is not None else _seed_key(self._seed & 0xFFFFFFFF)
        bg.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": N}}
        self._bg, self._ng = bg, NpGenerator(bg)
        self._pkey = None
        return bg

    def _state_bytes(self) -> bytes:
        """The raw 5048-byte THGenerator struct (what getRNGState and .t7 files hold)."""
        if self._bg is None:
            key = self._pkey if self._pkey is not None else _seed_key(self._seed & 0xFFFFFFFF)
            left, nxt = 1, self._pnext
        else:
            st = self._bg.state["state"]
            key, pos = st["key"], int(st["pos"])
            left, nxt = (1, N) if pos >= N else (N + 1 - pos, pos)
        return b"".join((_HEAD.pack(self._seed, left, 1, nxt), np.asarray(key, "<u8").tobytes(),
                         _TAIL.pack(self._nx, self._ny, self._rho, int(self._nvalid))))

    def _set_state_bytes(self, b) -> None:
        """Restore a THGenerator struct; ValueError if its size or fields are not valid."""
        b = bytes(b)
        if len(b) != STATE_SIZE:
            raise ValueError(f"setRNGState: RNG state is wrong size ({len(b)} bytes, expected {STATE_SIZE})")
        seed, left, seeded, nxt = _HEAD.unpack_from(b, 0)
        key = np.frombuffer(b, "<u8", N, _KEY_AT)
        nx, ny, rho, nvalid = _TAIL.unpack_from(b, _TAIL_AT)
        if seeded != 1 or not (0 < left <= N) or nxt > N:
            raise ValueError(f"setRNGState: Invalid RNG state (seeded={seeded}, left={left}, next={nxt})")
        if left != 1 and left + nxt != N + 1:
            raise ValueError(f"setRNGState: Invalid RNG state: left={left} and next={nxt} are inconsistent "
                             "(Torch7 keeps left + next == 625)")
        if int(key.max()) > 0xFFFFFFFF:
            raise ValueError("setRNGState: Invalid RNG state: state words must be 32-bit")
        key = key.astype(np.uint32)
        self._seed = seed
        self._nx, self._ny, self._rho, self._nvalid = nx, ny, rho, bool(nvalid)
        if left == 1:
            self._bg = self._ng = None
            self._pkey, self._pnext = key, nxt
        else:
            bg = self._bg or self._make()
            bg.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": nxt}}

    def __reduce__(self):
        return (_from_state_bytes, (self._state_bytes(),))

    def __repr__(self) -> str:
        return "torch.Generator"

    # ---- raw words and uniforms ---------------------------------------------------------
    def _random(self) -> int:
        """THRandom_random: one 32-bit word."""
        bg = self._bg or self._make()
        return bg.random_raw()

    def _raw(self, n: int) -> np.ndarray:
        """n words in a row, as uint32."""
        if n <= 0:
            return np.empty(0, np.uint32)
        if self._bg is None:
            self._make()
        return self._ng.integers(0, 0xFFFFFFFF, size=n, dtype=np.uint32, endpoint=True)

    def _uniform1(self) -> float:
        """__uniform__: random() / 2^32, in [0, 1)."""
        bg = self._bg or self._make()
        return bg.random_raw() * INV32

    def _uniforms(self, n: int) -> np.ndarray:
        return np.multiply(self._raw(n), INV32, dtype=np.float64)

    # ---- distributions: scalar (one Torch7 call) and bulk (n calls) ---------------------
    def _normal1(self, mean: float, stdv: float) -> float:
        """THRandom_normal: Box-Muller, the second value of each pair cached."""
        if self._nvalid:
            self._nvalid = False
            return float(self._rho * np.sin(TWO_PI * self._nx) * stdv + mean)
        x = self._uniform1()
        y = self._uniform1()
        self._nx, self._ny, self._rho = x, y, float(np.sqrt(-2.0 * np.log(1.0 - y)))
        self._nvalid = True
        return float(self._rho * np.cos(TWO_PI * x) * stdv + mean)

    def _normals(self, n: int, mean: float, stdv: float) -> np.ndarray:
        """n successive THRandom_normal values, leaving the cache as n scalar calls would."""
        out = np.empty(n, np.float64)
        if n == 0:
            return out
        i = 0
        if self._nvalid:
            out[0] = self._rho * np.sin(TWO_PI * self._nx) * stdv + mean
            self._nvalid = False
            i = 1
        m = n - i
        pairs = (m + 1) // 2
        if pairs:
            even = out[i::2]  # cos values, one per pair
            odd = out[i + 1::2]  # sin values; the last pair's is cached when m is odd
            for c0 in range(0, pairs, _CHUNK):  # chunks keep the temporaries in cache
                c1 = min(pairs, c0 + _CHUNK)
                u = self._uniforms(2 * (c1 - c0))  # drawn block by block: same sequence
                x, y = u[0::2], u[1::2]
                # rho = sqrt(-2 log(1 - y)); value = rho * cos|sin(2 pi x) * stdv + mean, in C's order
                rho = np.subtract(1.0, y)
                np.log(rho, out=rho)
                rho *= -2.0
                np.sqrt(rho, out=rho)
                ang = np.multiply(TWO_PI, x)
                for dst, f, cnt in ((even, _COS, c1 - c0), (odd, _SIN, min(c1, m // 2) - c0)):
                    if cnt > 0:
                        v = f(ang[:cnt])
                        v *= rho[:cnt]
                        v *= stdv
                        v += mean
                        dst[c0:c0 + cnt] = v
            self._nx, self._ny, self._rho = float(x[-1]), float(y[-1]), float(rho[-1])
            self._nvalid = bool(m % 2)
        return out

    def _exponential(self, n: int | None, lam: float):
        u = self._uniform1() if n is None else self._uniforms(n)
        with np.errstate(all="ignore"):
            v = np.float64(-1.0) / lam * np.log(1.0 - u)  # lambda 0 gives inf, as in C
        return float(v) if n is None else v

    def _cauchy(self, n: int | None, median: float, sigma: float):
        u = self._uniform1() if n is None else self._uniforms(n)
        v = median + sigma * np.tan(math.pi * (u - 0.5))
        return float(v) if n is None else v

    def _log_normal(self, n: int | None, mean: float, stdv: float):
        """exp(normal) with the mean and deviation THRandom_logNormal derives from (mean, stdv)."""
        zm, zs = mean * mean, stdv * stdv
        with np.errstate(all="ignore"):
            m2 = float(np.log(zm / np.sqrt(zs + zm)))
            s2 = float(np.sqrt(np.log(zs / zm + 1.0))) if zm else math.inf
        if not s2 > 0:  # THRandom_normal's own check, on the derived deviation
            raise ValueError(f"logNormal: standard deviation must be strictly positive (got {s2} for "
                             f"mean={mean}, stdv={stdv})")
        with np.errstate(all="ignore"):
            v = np.exp(self._normal1(m2, s2) if n is None else self._normals(n, m2, s2))
        return float(v) if n is None else v

    def _geometric(self, n: int | None, p: float):
        """(int)(log(1-u) / log(p)) + 1, with x86's INT_MIN for out-of-range casts."""
        u = self._uniform1() if n is None else self._uniforms(n)
        q = np.trunc(np.log(1.0 - u) / np.log(p))
        if n is None:
            return (int(q) if abs(q) < 2.0 ** 31 else INT_MIN) + 1
        k = np.where(np.abs(q) < 2.0 ** 31, q, INT_MIN).astype(np.int64)
        k += 1
        return k

    def _bernoulli(self, n: int | None, p):
        """u <= p (p a number, or an array of n probabilities)."""
        if n is None:
            return int(self._uniform1() <= p)
        return self._uniforms(n) <= p


def _from_state_bytes(b: bytes) -> Generator:
    g = Generator.__new__(Generator)
    g._manual_seed(0)
    g._set_state_bytes(b)
    return g


# The global generator (Torch7's torch._gen), seeded from /dev/urandom at import.
GLOBAL = Generator()
