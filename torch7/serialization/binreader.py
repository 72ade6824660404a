"""The reading side of the .t7 grammar, specialised for binary buffers (the common case, and the fast one).

Same results and checks as ``reader.Reader`` (which serves ascii files and is the reference): this class reads
the primitives straight from the buffer with precompiled ``struct`` unpackers instead of one stream method call
per value, caches the decoded class headers, reads a tensor header (sizes, strides, offset) in one unpack, and
reads string keys and number keys of tables without a recursive call.  Every length is still checked against the
bytes left before anything is allocated; when a value runs past the end of the buffer (``struct.error``), the
input is read again by ``reader.Reader``, whose ``SerializationError`` names the value and its offset.

Example:
    >>> from torch7.serialization.stream import BinaryReader
    >>> r = BinaryObjectReader(BinaryReader(b"\\x01\\x00\\x00\\x00" + b"\\x00" * 6 + b"\\xf8\\x3f"))
    >>> r.read()
    1.5
"""

from __future__ import annotations

import struct

import numpy as np

from .reader import BOOLEAN, NIL, NUMBER, STRING, TABLE, TORCH, Reader, _decode, _host_typename, _view

_I = struct.Struct("<i").unpack_from
_II = struct.Struct("<ii").unpack_from
_ID = struct.Struct("<id").unpack_from
_HEAD = struct.Struct("<iii3si").unpack_from  # tag, index, 3, "V 1", name length
_TWO53 = float(1 << 53)
_STORAGE, _TENSOR, _INSTANCE, _OTHER = range(4)


class BinaryObjectReader(Reader):
    """``Reader`` over a ``stream.BinaryReader``, with the hot paths (tags, tables, tensors) read in place."""

    def __init__(self, s, **kwargs) -> None:
        super().__init__(s, **kwargs)
        self.kwargs = kwargs
        self.start = s.pos
        self.buf = s.buf
        self.end = s.end
        self.heads: dict = {}  # the raw bytes of a class header -> (version, name, kind, class)
        self.v1: dict = {}  # the same for headers "V 1" + name, by the name's bytes
        q = "q" if s.long_size == 8 else "i"
        self.long1 = struct.Struct("<" + q).unpack_from
        # sizes, strides, offset and the type tag of the storage that follows, per number of dimensions
        self.tensor_heads = [struct.Struct(f"<{2 * nd + 1}{q}i").unpack_from for nd in range(5)]
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
        s.pos = p + 12
        self.depth += 1
        if self.depth > self.max_depth:
            s.fail(f"objects nested deeper than {self.max_depth} levels")
        d: dict = {}
        self.memo[idx] = d
        self.building.add(idx)
        # Fields go into f while all keys are strings, else into two lists. The placeholder d, handed out to
        # references met while reading (cycles), stays empty until the table is complete, as with the reference
        # reader (nngraph's loader relies on it to tell a table still being read).
        f: dict = {}
        keys = vals = None
        obj, torch, table = self.obj, self.torch, self.table
        for _ in range(n):
            q = s.pos
            tag, m = _II(buf, q)  # a key is followed by a value: 8 bytes are there in a valid file
            if tag == STRING:  # string and number keys read in place: most keys are one of the two
                q += 8
                if m < 0 or m > end - q:
                    s.pos = q
                    s.need(m, "string")
                k = buf[q:q + m]
                s.pos = q + m
                try:
                    k = k.decode("utf-8")
                except UnicodeDecodeError:
                    pass
            elif tag == NUMBER:
                k = _ID(buf, q)[1]
                s.pos = q + 12
                if k.is_integer() and -_TWO53 <= k <= _TWO53:
                    k = int(k)
            else:
                k = obj()
            q = s.pos
            tag = _I(buf, q)[0]
            if tag == TORCH:
                v = torch()
            elif tag == STRING and q + 8 <= end:  # a string value (a module's _type) read in place
                m = _II(buf, q)[1]
                q += 8
                if m < 0 or m > end - q:
                    s.pos = q
                    s.need(m, "string")
                v = buf[q:q + m]
                s.pos = q + m
                try:
                    v = v.decode("utf-8")
                except UnicodeDecodeError:
                    pass
            else:
                v = table() if tag == TABLE else obj()
            if keys is None:
                if type(k) is str:
                    f[k] = v
                    continue
                keys, vals = list(f), list(f.values())
            keys.append(k)
            vals.append(v)
        self.building.discard(idx)
        self.depth -= 1
        if keys is None and n:
            d.update(f)
            return d  # the fields of an object: string keys only
        return self._finish_table(idx, d, keys or [], vals or [], p + 8)

    # ---- torch classes --------------------------------------------------------------------------------------------
    def _head(self, p: int, n1: int):
        """The cached (version, name, kind, class, storage header of a tensor class) of the class header at ``p``
        (``n1``: its first length) and the position after it."""
        buf, end = self.buf, self.end
        if n1 < 0 or n1 > end - p - 4:
            self.s.pos = p
            self.s.need(n1 + 4, "class name")
        if buf[p + 4:p + 6] == b"V ":
            n2 = _I(buf, p + 4 + n1)[0]
            stop = p + 8 + n1 + n2
            if n2 < 0 or stop > end:
                self.s.pos = p + 4 + n1
                self.s.need(n2 + 4, "class name")
        else:
            stop = p + 4 + n1
        raw = buf[p:stop]
        h = self.heads.get(raw)
        if h is None:
            self.s.pos = p
            h = self.heads[raw] = self._parse_head(p)
            if raw[:7] == b"\x03\x00\x00\x00V 1":
                self.v1[raw[11:]] = h  # found by its name alone after a "V 1" line (see torch)
        return h, stop

    def _parse_head(self, at: int):
        s, T = self.s, self.T
        head = s.raw(s.int())
        if head.startswith(b"V "):
            try:
                version = int(head[2:])
            except ValueError:
                s.fail(f"bad class version header {head[:40]!r}", at)
            name = s.raw(s.int())
        else:
            version, name = 0, head
        try:
            name = name.decode("ascii")
        except UnicodeDecodeError:
            s.fail(f"bad class name {name[:40]!r}", at)
        if name.startswith("torch.") and (name.endswith("Tensor") or name.endswith("Storage")):
            host, cuda = _host_typename(name)
            storage = name.endswith("Storage")
            cls = (T.STORAGE_CLASSES if storage else T.TENSOR_CLASSES).get(host)
            if cls is not None and not cuda:
                if storage:
                    return version, name, _STORAGE, cls, None
                return version, name, _TENSOR, cls, self._storage_head(cls)
        elif not name.startswith("torch.") and name not in ("tds.Hash", "tds.Vec"):
            return version, name, _INSTANCE, None, None
        return version, name, _OTHER, None, None

    def torch(self):
        s, buf, end, memo = self.s, self.buf, self.end, self.memo
        p = s.pos
        if p + 19 <= end:
            _, idx, n1, v1, n2 = _HEAD(buf, p)
        else:
            idx, n1, v1, n2 = _I(buf, p + 4)[0], _I(buf, p + 8)[0], None, 0
        if idx in memo:
            s.pos = p + 8
            return self._ref(idx)
        q = p + 19
        if n1 == 3 and v1 == b"V 1" and 0 <= n2 <= end - q:  # the usual header: "V 1" and the name
            h = self.v1.get(buf[q:q + n2])
            q += n2
        else:
            h = None
        if h is None:
            h, q = self._head(p + 8, n1)
        version, name, kind, cls, sh = h
        if kind != _TENSOR:
            s.pos = q
            if kind == _STORAGE:
                return self._storage(idx, cls, name, p + 8)
            if kind == _INSTANCE:  # nn modules and other classes
                self.depth += 1
                if self.depth > self.max_depth:
                    s.fail(f"objects nested deeper than {self.max_depth} levels")
                o = self.instance(idx, name, version, p + 8)
                self.depth -= 1
                return o
            return self._torch_at(idx, p + 8, version, name)  # generators, CUDA types, tds: the reference path
        # A tensor: dimensions, sizes, strides, offset, then its storage (nil for an empty tensor).
        at = p + 8
        nd = _I(buf, q)[0]
        q += 4
        ls = self.ls
        if nd < 0 or (2 * nd + 1) * ls + 4 > end - q:
            s.pos = q
            s.fail(f"tensor with {nd} dimensions cannot fit in the {end - q} bytes left", at)
        vals = self.tensor_heads[nd](buf, q) if nd < 5 else struct.unpack_from(f"<{2 * nd + 1}{self.q}i", buf, q)
        q += (2 * nd + 1) * ls
        tag = vals[-1]
        unpack, size, nlen, sname, scls, dt, isz, empty = sh
        if tag == NIL:
            s.pos = q + 4
            t = memo[idx] = cls._new(empty[:])  # an empty tensor: a fresh view of a shared empty array
            return t
        st = None
        if tag == TORCH and q + size <= end:  # the storage, read in place when it comes in full with "V 1"
            _, sidx, n1, v1, n2, name2, n = unpack(buf, q)
            if n1 == 3 and v1 == b"V 1" and n2 == nlen and name2 == sname and sidx not in memo:
                r = q + size
                if n < 0 or n * isz > end - r:
                    s.pos = r
                    s.fail(f"{scls._typename} of {n} elements cannot fit in the {end - r} bytes left", q + 8)
                a = np.frombuffer(buf, dt, n, r).copy()
                st = memo[sidx] = scls._from_array(a)
                s.pos = r + n * isz
        if st is None:
            s.pos = q
            self.depth += 1
            if self.depth > self.max_depth:
                s.fail(f"objects nested deeper than {self.max_depth} levels")
            st = self.torch() if tag == TORCH else self.obj()
            self.depth -= 1
            if type(st) is not cls._storage_cls:
                s.fail(f"{name} refers to a {type(st).__name__}, not a {cls._storage_cls.__name__}", at)
            a = st._a
            n = a.shape[0]
        if vals[2 * nd] == 1 and (  # offset 0, contiguous over the whole storage: a plain reshape
                vals[1] == 1 and vals[0] == n if nd == 1 else
                vals[3] == 1 and vals[2] == vals[1] >= 0 and vals[0] * vals[1] == n and vals[0] >= 0 if nd == 2 else
                nd and _contiguous(vals[:nd], vals[nd:2 * nd]) == n):
            t = cls._view(st, a.reshape(vals[:nd]))
        else:
            t = _view(cls, st, list(vals[:nd]), list(vals[nd:2 * nd]), vals[2 * nd] - 1, s, at)
        memo[idx] = t
        return t

    def _storage_head(self, cls) -> tuple:
        """For the tensor class ``cls``: (the unpacker of its storage's tag, index, 3, "V 1", name length, name and
        size; their length; the name's length; the name; the storage class; the element type and its size; an
        empty array of that type)."""
        scls = cls._storage_cls
        name = scls._typename.encode("ascii")
        st = struct.Struct(f"<iii3si{len(name)}s{self.q}")
        return st.unpack_from, st.size, len(name), name, scls, cls._dtype, cls._dtype.itemsize, np.empty(0, cls._dtype)

    def _storage(self, idx: int, cls, name: str, at: int):
        s = self.s
        p = s.pos
        n = self.long1(self.buf, p)[0]
        p += s.long_size
        dt = cls._dtype
        if n < 0 or n * dt.itemsize > self.end - p:
            s.pos = p
            s.fail(f"{name} of {n} elements cannot fit in the {self.end - p} bytes left", at)
        st = cls._from_array(np.frombuffer(self.buf, dt, n, p).copy())  # a fresh, aligned, writable array
        s.pos = p + n * dt.itemsize
        self.memo[idx] = st
        return st


def _contiguous(sizes, strides) -> int:
    """The number of elements when ``strides`` are the contiguous strides of ``sizes`` (all positive), else -1."""
    n = 1
    for i in range(len(sizes) - 1, -1, -1):
        if strides[i] != n or sizes[i] <= 0:
            return -1
        n *= sizes[i]
    return n
