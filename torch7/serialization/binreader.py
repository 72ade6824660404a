"""The reading side of the .t7 grammar, specialised for binary buffers (the common case, and the fast one).

Same results and checks as ``reader.Reader`` (which serves ascii files and is the reference): this class reads
the primitives straight from the buffer with precompiled ``struct`` unpackers instead of one stream method call
per value, caches the decoded class headers, reads a tensor and the header of its storage in one unpack (and,
under a table key that held the same kind of tensor before, the tensor's own header too: see ``bintensor``),
and reads the string and number keys and values of tables in place, keeping the position in a local and the
decoded short strings in a cache.  Every length is still checked against the bytes left before anything is
allocated; when a value runs past the end of the buffer (``struct.error``), the input is read again by
``reader.Reader``, whose ``SerializationError`` names the value and its offset.

Example:
    >>> from torch7.serialization.stream import BinaryReader
    >>> r = BinaryObjectReader(BinaryReader(b"\\x01\\x00\\x00\\x00" + b"\\x00" * 6 + b"\\xf8\\x3f"))
    >>> r.read()
    1.5
"""

from __future__ import annotations

import struct

import numpy as np

from .bintensor import _INSTANCE, _STORAGE, _TENSOR, _contiguous, _TensorPart, new
from .errors import SerializationError
from .reader import BOOLEAN, MAX_DIMS, NIL, NUMBER, STRING, TABLE, TORCH, Reader, _decode, _view

_I = struct.Struct("<i").unpack_from
_II = struct.Struct("<ii").unpack_from
_ID = struct.Struct("<id").unpack_from
_HEAD = struct.Struct("<iii3si").unpack_from  # tag, index, 3, "V 1", name length
_TWO53 = float(1 << 53)


class BinaryObjectReader(_TensorPart, Reader):
    """``Reader`` over a ``stream.BinaryReader``, with the hot paths (tags, tables, tensors) read in place."""

    def __init__(self, s, **kwargs) -> None:
        super().__init__(s, **kwargs)
        self.kwargs = kwargs
        self.start = s.pos
        self.buf = s.buf
        self.end = s.end
        self.heads: dict = {}  # the raw bytes of a class header -> (version, name, kind, class, None, None)
        self.v1: dict = {}  # the same for headers "V 1" + name, by the name's bytes
        # ... and by the name's bytes and the 4 after them (a tensor's number of dimensions, an instance's tag),
        # for tensors with the plan and the expectation of a tensor of that many dimensions (see bintensor)
        self.v1n: dict = {}
        self.plans: dict = {}  # (tensor class, number of dimensions) -> how to read it (see _plan)
        self.expect: dict = {}  # a table key -> the expectation of the last tensor read under it (see table)
        self.seen = None  # the expectation of the last tensor read by torch() (None: not a usual one)
        self.strs: dict = {}  # short strings read: bytes -> str (see _str)
        self.str_table = None
        q = "q" if s.long_size == 8 else "i"
        self.long1 = struct.Struct("<" + q).unpack_from
        self.q = q
        self.ls = s.long_size

    def read(self):
        try:
            return super().read()
        except struct.error:
            pass
        # A primitive ran past the end of the buffer: read again with the reference reader, whose error names
        # the value and its offset. (Errors are rare, so this costs nothing in the common case.)
        s = type(self.s)(self.buf, self.s.long_size, self.start)
        obj = Reader(s, **self.kwargs).read()
        self.s.pos = s.pos
        return obj

    # ---- dispatch -------------------------------------------------------------------------------------------------
    def obj(self):
        s = self.s
        p = s.pos
        tag = _I(self.buf, p)[0]
        if tag == TORCH:
            return self.torch()
        if tag == TABLE:
            return self.table()
        if tag == NUMBER:
            v = _ID(self.buf, p)[1]
            s.pos = p + 12
            return int(v) if v.is_integer() and -_TWO53 <= v <= _TWO53 else v
        if tag == STRING:
            return self._string(p)
        if tag == NIL:
            s.pos = p + 4
            return None
        if tag == BOOLEAN:
            v = _II(self.buf, p)[1]
            s.pos = p + 8
            return v == 1
        return super().obj()  # functions and unknown tags: the reference path

    def _string(self, p: int):
        n = _II(self.buf, p)[1]
        q = p + 8
        if n < 0 or n > self.end - q:
            self.s.pos = q
            self.s.need(n, "string")
        self.s.pos = q + n
        return _decode(self.buf[q:q + n])

    # ---- tables ---------------------------------------------------------------------------------------------------
    def table(self):
        s, buf, end = self.s, self.buf, self.end
        p = s.pos
        idx, n = _II(buf, p + 4) if p + 12 <= end else (_I(buf, p + 4)[0], None)
        if idx in self.memo:
            s.pos = p + 8
            return self._ref(idx)
        if n is None or n < 0 or 8 * n > end - p - 12:
            s.pos = p + 8
            s.fail(f"table with {n} entries cannot fit in the {end - s.pos} bytes left", p + 8)
        self.depth += 1
        if self.depth > self.max_depth:
            s.pos = p + 12
            s.fail(f"objects nested deeper than {self.max_depth} levels")
        d: dict = {}
        self.memo[idx] = d
        self.building.add(idx)
        # Fields go into f while all keys are strings, else into two lists. The placeholder d, handed out to
        # references met while reading (cycles), stays empty until the table is complete, as with the reference
        # reader (nngraph's loader relies on it to tell a table still being read).
        f: dict = {}
        keys = vals = None
        strs, expect, memo = self.strs, self.expect, self.memo
        q = p + 12  # the position, kept here and handed to s.pos only around calls that read through s
        for _ in range(n):
            tag, m = _II(buf, q)  # a key is followed by a value: 8 bytes are there in a valid file
            e = None
            if tag == STRING:  # string and number keys read in place: most keys are one of the two
                q += 8
                if m < 0 or m > end - q:
                    s.pos = q
                    s.need(m, "string")
                k = buf[q:q + m]
                q += m
                k = strs.get(k) or self._str(k)
                e = expect.get(k)
            elif tag == NUMBER:
                k = _ID(buf, q)[1]
                q += 12
                if k.is_integer() and -_TWO53 <= k <= _TWO53:
                    k = int(k)
            else:
                s.pos = q
                k = self.obj()
                q = s.pos
            tag, m = _II(buf, q) if q + 8 <= end else (-1, -1)  # -1: read by obj(), which reports the end
            if tag == TORCH:
                # A field holds the same kind of tensor in every module of a class: the tensor read under the
                # same key last time tells what to expect, which reads this one in one unpack (or not at all).
                v = None if e is None or m in memo else self._tensor_as(e, q)
                if v is None:
                    s.pos = q
                    self.seen = None
                    v = self.torch()
                    e = self.seen
                    if e is not None and type(v) is e[0] and type(k) is str:
                        expect[k] = e
                q = s.pos
            elif tag == STRING:  # a string value (a module's _type) read in place
                q += 8
                if m < 0 or m > end - q:
                    s.pos = q
                    s.need(m, "string")
                v = buf[q:q + m]
                q += m
                v = strs.get(v) or self._str(v)
            elif tag == NUMBER:
                v = _ID(buf, q)[1]
                q += 12
                if v.is_integer() and -_TWO53 <= v <= _TWO53:
                    v = int(v)
            else:
                s.pos = q
                v = self.table() if tag == TABLE else self.obj()
                q = s.pos
            if keys is None:
                if type(k) is str:
                    f[k] = v
                    continue
                keys, vals = list(f), list(f.values())
            keys.append(k)
            vals.append(v)
        s.pos = q
        self.building.discard(idx)
        self.depth -= 1
        if keys is None and n:  # the fields of an object: string keys only
            if idx in self.backrefs:  # d was handed out: it becomes the table
                d.update(f)
                f = d
            else:  # nobody holds d: f becomes the table, without a copy
                self.memo[idx] = f
            self.str_table = f  # the last table read with string keys only (see instance)
            return f
        return self._finish_table(idx, d, keys or [], vals or [], p + 8)

    def instance(self, idx: int, name: str, version: int, at: int):
        """``Reader.instance`` for the classes met before in the file, with the fields read by ``table`` (whose
        keys need no check for bytes when it says all were strings)."""
        cls = self.known.get(name)
        if cls is None:  # the first of its class in the file, or an unknown class: the reference path
            return super().instance(idx, name, version, at)
        inst = cls.__new__(cls)
        self.memo[idx] = inst
        self.building.add(idx)
        payload = self.table() if _I(self.buf, self.s.pos)[0] == TABLE else self.obj()
        self.building.discard(idx)
        try:
            res = self.classes._fill(inst, version, payload, payload is self.str_table)
        except SerializationError:
            raise
        except Exception as e:
            raise SerializationError(f"cannot build {name} from the file: {type(e).__name__}: {e}", at) from e
        if res is not inst:
            self.memo[idx] = res
            if idx in self.backrefs:
                self.fixups[id(inst)] = (inst, res)
        return res

    def _str(self, b: bytes):
        """``b`` decoded (``bytes`` when not UTF-8), remembered when short: keys and type names repeat, and a
        repeated ``str`` object also keeps its hash for the dicts it goes into."""
        try:
            v = b.decode("utf-8")
        except UnicodeDecodeError:
            return b
        if len(b) <= 64:
            self.strs[b] = v
        return v

    # ---- torch classes --------------------------------------------------------------------------------------------
    def torch(self):
        s, buf, end, memo = self.s, self.buf, self.end, self.memo
        p = s.pos
        if p + 19 <= end:
            _, idx, n1, v1, n2 = _HEAD(buf, p)
        else:  # near the end of the input: a reference to an object read before takes 8 bytes
            idx, n1, v1, n2 = _II(buf, p)[1], None, None, 0
        if idx in memo:
            s.pos = p + 8
            return self._ref(idx)
        q = p + 19
        if n1 == 3 and v1 == b"V 1" and 0 <= n2 <= end - q - 4:  # the usual header: "V 1" and the name
            key = buf[q:q + n2 + 4]
            q += n2
            h = self.v1n.get(key) or self._v1n(key, q)
        else:
            h = None
        if h is None:
            h, q = self._head(p + 8, _I(buf, p + 8)[0] if n1 is None else n1)
        version, name, kind, cls, plan, seen = h
        if kind != _TENSOR:
            s.pos = q
            if kind == _INSTANCE:  # nn modules and other classes
                self.depth += 1
                if self.depth > self.max_depth:
                    s.fail(f"objects nested deeper than {self.max_depth} levels")
                o = self.instance(idx, name, version, p + 8)
                self.depth -= 1
                return o
            if kind == _STORAGE:
                return self._storage(idx, cls, name, p + 8)
            return self._torch_at(idx, p + 8, version, name)  # generators, CUDA types, tds: the reference path
        # A tensor: dimensions, sizes, strides, offset, then its storage (nil for an empty tensor).
        if plan is None:  # a tensor whose header is not the usual one, or a bad number of dimensions
            nd = _I(buf, q)[0]
            if nd < 0 or (2 * nd + 1) * self.ls + 4 > end - q - 4:
                s.pos = q + 4
                s.fail(f"tensor with {nd} dimensions cannot fit in the {end - q - 4} bytes left", p + 8)
            if nd > MAX_DIMS:
                s.pos = q + 4
                s.fail(f"tensor with {nd} dimensions (at most {MAX_DIMS} are supported)", p + 8)
            plan = self._plan(cls, nd)
        q += 4
        nd, head, hsize, full, fsize, shead, slen, scls, dt, isz, empty = plan
        st = None
        if fsize <= end - q:  # the header and the header of a "V 1" storage that follows, in one unpack
            vals = full(buf, q)
            c = q + hsize
            if vals[-3] == TORCH and buf[c + 4:c + slen] == shead and vals[-2] not in memo:
                r = q + fsize
                n = vals[-1]
                if n < 0 or n * isz > end - r:
                    s.pos = r
                    s.fail(f"{scls._typename} of {n} elements cannot fit in the {end - r} bytes left", c + 4)
                a = np.frombuffer(buf, dt, n, r).copy()  # a fresh, aligned, writable array
                st = new(scls)
                st._a = a
                memo[vals[-2]] = st
                s.pos = r + n * isz
        if st is None:
            if hsize > end - q:
                s.pos = q
                s.fail(f"tensor with {nd} dimensions cannot fit in the {end - q} bytes left", p + 8)
            vals = head(buf, q)
            q += hsize
            tag = vals[-1]
            if tag == NIL:
                s.pos = q
                t = memo[idx] = new(cls)  # an empty tensor: a fresh view of a shared empty array
                t._a = empty[:]
                t._s = None
                self.seen = seen
                return t
            s.pos = q - 4
            self.depth += 1
            if self.depth > self.max_depth:
                s.fail(f"objects nested deeper than {self.max_depth} levels")
            st = self.torch() if tag == TORCH else self.obj()
            self.depth -= 1
            if type(st) is not cls._storage_cls:
                s.fail(f"{name} refers to a {type(st).__name__}, not a {cls._storage_cls.__name__}", p + 8)
            a = st._a
            n = a.shape[0]
        if vals[2 * nd] == 1 and (  # offset 0, contiguous over the whole storage: a plain reshape
                vals[1] == 1 and vals[0] == n if nd == 1 else
                vals[3] == 1 and vals[2] == vals[1] >= 0 and vals[0] * vals[1] == n and vals[0] >= 0 if nd == 2 else
                nd and _contiguous(vals[:nd], vals[nd:2 * nd]) == n):
            t = new(cls)  # what Tensor._view makes, without the call
            t._a = a.reshape(vals[:nd])
            t._s = st
        else:
            t = _view(cls, st, list(vals[:nd]), list(vals[nd:2 * nd]), vals[2 * nd] - 1, s, p + 8)
        memo[idx] = t
        self.seen = seen
        return t
