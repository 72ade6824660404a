"""Primitive encodings of the .t7 format: binary (little-endian, 4-byte ints, 4/8-byte longs) and ascii.

Readers work on an in-memory buffer (bytes or mmap) and check every length against the bytes left before
allocating; writers append to a file object.  Arrays go through NumPy in one call (no per-element Python
work) in binary mode.

Example:
    >>> import io
    >>> w = BinaryWriter(io.BytesIO()); w.int(3); w.double(1.5); w.flush(); r = BinaryReader(w.f.getvalue())
    >>> r.int(), r.double()
    (3, 1.5)
"""

from __future__ import annotations

import re
import struct

import numpy as np

from torch7._core.backend import to_host

from .errors import SerializationError

_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1


class BinaryReader:
    """Binary primitives over a bytes-like buffer."""

    binary = True

    def __init__(self, buf, long_size: int = 8, start: int = 0) -> None:
        if long_size not in (4, 8):
            raise ValueError(f"longSize must be 4 or 8, got {long_size}")
        self.buf = buf
        self.pos = start
        self.end = len(buf)
        self.long_size = long_size
        self._long = _I64 if long_size == 8 else _I32

    def fail(self, msg: str, at: int | None = None):
        raise SerializationError(msg, self.pos if at is None else at)

    def need(self, n: int, what: str) -> None:
        if n < 0 or n > self.end - self.pos:
            self.fail(f"{what}: needs {n} bytes but only {self.end - self.pos} are left (truncated or corrupt file)")

    def int(self) -> int:
        p = self.pos
        if p + 4 > self.end:
            self.need(4, "int")
        self.pos = p + 4
        return _I32.unpack_from(self.buf, p)[0]

    def long(self) -> int:
        p, n = self.pos, self.long_size
        if p + n > self.end:
            self.need(n, "long")
        self.pos = p + n
        return self._long.unpack_from(self.buf, p)[0]

    def longs(self, n: int) -> list:
        self.need(n * self.long_size, f"{n} longs")
        p = self.pos
        self.pos = p + n * self.long_size
        return list(struct.unpack_from(f"<{n}{'q' if self.long_size == 8 else 'i'}", self.buf, p))

    def double(self) -> float:
        p = self.pos
        if p + 8 > self.end:
            self.need(8, "double")
        self.pos = p + 8
        return _F64.unpack_from(self.buf, p)[0]

    def raw(self, n: int) -> bytes:
        p = self.pos
        if n < 0 or p + n > self.end:
            self.need(n, "string")
        self.pos = p + n
        return bytes(self.buf[p:p + n])

    def array(self, dtype: np.dtype, n: int) -> np.ndarray:
        """``n`` elements of ``dtype`` as a fresh, writable, aligned array."""
        nbytes = n * dtype.itemsize
        self.need(nbytes, f"storage of {n} elements")
        p = self.pos
        self.pos = p + nbytes
        return np.frombuffer(self.buf, dtype, n, p).copy()  # a fresh, aligned, writable array


_WS = re.compile(rb"[ \t\n\r\f\v]*")
_TOKEN = re.compile(rb"[ \t\n\r\f\v]*([^ \t\n\r\f\v]+)")


class AsciiReader:
    """Ascii primitives (Torch7's autoSpacing text): numbers are whitespace-separated tokens, each followed
    by at most one newline that is consumed; raw strings are ``n`` bytes followed by one optional newline."""

    binary = False

    def __init__(self, buf, long_size: int = 8, start: int = 0) -> None:
        self.buf = bytes(buf)
        self.pos = start
        self.end = len(self.buf)
        self.long_size = long_size

    fail = BinaryReader.fail
    need = BinaryReader.need

    def _skip_nl(self) -> None:
        if self.buf[self.pos:self.pos + 1] == b"\n":
            self.pos += 1

    def _token(self, what: str) -> bytes:
        m = _TOKEN.match(self.buf, self.pos)
        if m is None:
            self.fail(f"{what}: unexpected end of file (truncated)")
        if m.end() - m.start(1) > 64:
            self.fail(f"{what}: number token too long", m.start(1))
        self.pos = m.end()
        self._skip_nl()
        return m.group(1)

    def int(self) -> int:
        at = self.pos
        tok = self._token("int")
        try:
            v = int(tok)
        except ValueError:
            self.fail(f"int: invalid number {tok[:20]!r}", at)
        if not _INT_MIN <= v <= _INT_MAX:
            self.fail(f"int: {v} out of range", at)
        return v

    def long(self) -> int:
        at = self.pos
        tok = self._token("long")
        try:
            v = int(tok)
        except ValueError:
            self.fail(f"long: invalid number {tok[:20]!r}", at)
        if not -(1 << 63) <= v < 1 << 63:
            self.fail(f"long: {v} out of range", at)
        return v

    def double(self) -> float:
        at = self.pos
        tok = self._token("double")
        try:
            return float(tok)
        except ValueError:
            self.fail(f"double: invalid number {tok[:20]!r}", at)

    def _tokens(self, n: int, what: str) -> list:
        if 2 * n - 1 > self.end - self.pos:
            self.fail(f"{what}: {n} numbers cannot fit in the {self.end - self.pos} bytes left")
        buf, out, pos = self.buf, [], self.pos
        while len(out) < n:
            pos = _WS.match(buf, pos).end()
            if pos >= self.end:
                self.fail(f"{what}: unexpected end of file after {len(out)} of {n} numbers", pos)
            nl = buf.find(b"\n", pos)
            nl = self.end if nl < 0 else nl
            parts = buf[pos:nl].split()
            need = n - len(out)
            if len(parts) <= need:
                out.extend(parts)
                pos = nl
            else:
                for _, m in zip(range(need), _TOKEN.finditer(buf, pos, nl)):
                    pos = m.end()
                out.extend(parts[:need])
        self.pos = pos
        if n:
            self._skip_nl()
        return out

    def longs(self, n: int) -> list:
        at = self.pos
        toks = self._tokens(n, f"{n} longs")
        try:
            return [int(t) for t in toks]
        except ValueError:
            self.fail("longs: invalid number", at)

    def raw(self, n: int) -> bytes:
        self.need(n, "string")
        p = self.pos
        self.pos = p + n
        if n:
            self._skip_nl()
        return self.buf[p:p + n]

    def array(self, dtype: np.dtype, n: int) -> np.ndarray:
        if dtype.itemsize == 1:  # Byte and Char storages are raw bytes in ascii mode too
            return np.frombuffer(self.raw(n), dtype).copy()
        at = self.pos
        toks = self._tokens(n, f"storage of {n} elements")
        if not toks:
            return np.empty(0, dtype)
        try:
            if dtype.kind == "f":
                try:
                    return np.array(toks).astype(np.float64).astype(dtype)
                except ValueError:  # spellings NumPy does not parse, such as "-nan"
                    return np.array([float(t) for t in toks], np.float64).astype(dtype)
            vals = np.array(toks).astype(np.int64)
        except (ValueError, OverflowError):
            self.fail("storage: invalid number", at)
        info = np.iinfo(dtype)
        if vals.size and (vals.min() < info.min or vals.max() > info.max):
            self.fail(f"storage: value out of range for {dtype}", at)
        return vals.astype(dtype)


class BinaryWriter:
    """Binary primitives appended to a file object (little-endian)."""

    binary = True

    def __init__(self, f, long_size: int = 8) -> None:
        if long_size not in (4, 8):
            raise ValueError(f"longSize must be 4 or 8, got {long_size}")
        self.f = f
        self.buf = bytearray()
        self.long_size = long_size
        self._long = _I64 if long_size == 8 else _I32

    def flush(self) -> None:
        if self.buf:
            self.f.write(self.buf)
            self.buf = bytearray()

    def int(self, v: int) -> None:
        self.buf += _I32.pack(v)

    def long(self, v: int) -> None:
        try:
            self.buf += self._long.pack(v)
        except struct.error:
            raise SerializationError(f"long value {v} does not fit in {self.long_size} bytes") from None

    def longs(self, vs) -> None:
        for v in vs:
            self.long(v)

    def double(self, v: float) -> None:
        self.buf += _F64.pack(v)

    def raw(self, b: bytes) -> None:
        self.buf += b

    def array(self, a: np.ndarray) -> None:
        a = np.ascontiguousarray(to_host(a))  # a CUDA storage is written from one copy to the host
        if a.dtype.byteorder == ">":
            a = a.astype(a.dtype.newbyteorder("<"))
        if a.nbytes < 65536:
            self.buf += a.tobytes()
        else:
            self.flush()
            self.f.write(memoryview(a).cast("B"))
        if len(self.buf) > 1 << 20:
            self.flush()


class AsciiWriter(BinaryWriter):
    """Ascii primitives, formatted as Torch7's DiskFile does (``%d``, ``%.17g``, ``%.9g``, raw strings)."""

    binary = False

    def int(self, v: int) -> None:
        self.buf += b"%d\n" % v

    def long(self, v: int) -> None:
        self.buf += b"%d\n" % v

    def longs(self, vs) -> None:
        if len(vs):
            self.buf += b" ".join(b"%d" % v for v in vs) + b"\n"

    def double(self, v: float) -> None:
        self.buf += b"%.17g\n" % v

    def raw(self, b: bytes) -> None:
        if len(b):
            self.buf += b
            self.buf += b"\n"

    def array(self, a: np.ndarray) -> None:
        if a.size == 0:
            return
        a = to_host(a)
        if a.dtype.itemsize == 1:
            self.raw(np.ascontiguousarray(a).tobytes())
        elif a.dtype.kind == "f":
            fmt = b"%.17g" if a.dtype == np.float64 else b"%.9g"
            self.buf += b" ".join([fmt % v for v in a.astype(np.float64).tolist()]) + b"\n"
        else:
            self.buf += b" ".join([b"%d" % v for v in a.tolist()]) + b"\n"
        if len(self.buf) > 1 << 20:
            self.flush()
