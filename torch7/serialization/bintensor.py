"""Class headers and tensors for ``binreader.BinaryObjectReader``: the decoded headers, cached per file, and per
tensor class and number of dimensions the precompiled unpackers that read a tensor and its storage at once.

A tensor with a fresh storage is, in a binary file: its tag and index, the class header ("V 1" and the name),
the number of dimensions, sizes, strides and offset, then its storage: tag, index, class header, size and the
elements.  Every part but the indices, sizes, strides, offset and size is the same for all the tensors of one
class and number of dimensions, so one ``struct`` unpack reads the numbers while skipping the rest, which a
bytes comparison checks.  Every length is still checked against the bytes left before anything is allocated.

Example:
    >>> from torch7.serialization import deserialize, serialize
    >>> import torch7 as torch
    >>> x = deserialize(serialize({"weight": torch.DoubleTensor(2, 3).fill(1)}))["weight"]
    >>> x.size(), x.storage().size()
    (torch.Size([2, 3]), 6)
"""

from __future__ import annotations

import struct
import sys

import numpy as np

from .reader import MAX_DIMS, NIL, TORCH, _host_typename, _view

_I = struct.Struct("<i").unpack_from
_STORAGE, _TENSOR, _INSTANCE, _OTHER = range(4)
new = object.__new__


class _TensorPart:
    """The class header and tensor methods of ``BinaryObjectReader`` (a mixin: it has the reader's state)."""

    # ---- class headers --------------------------------------------------------------------------------------------
    def _head(self, p: int, n1: int):
        """The cached (version, name, kind, class, None, None) of the class header at ``p`` (``n1``: its first
        length) and the position after it."""
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
                self.v1[raw[11:]] = h  # found by its name alone after a "V 1" line (see _v1n)
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
                return version, name, _STORAGE if storage else _TENSOR, cls, None, None
        elif not name.startswith("torch.") and name not in ("tds.Hash", "tds.Vec"):
            return version, name, _INSTANCE, None, None, None
        return version, name, _OTHER, None, None, None

    def _v1n(self, key: bytes, q: int):
        """On a miss of ``v1n``: the class of the name in ``key`` (None when it is new to the file), recorded in
        ``v1n`` with the 4 bytes after the name (at ``q``) when those are an instance's tag or a possible number
        of dimensions of a tensor (with the plan to read such a tensor, and its expectation: see _expect)."""
        h = self.v1.get(key[:-4])
        if h is not None:
            kind = h[2]
            if kind == _INSTANCE:
                self.v1n[key] = h
            elif kind == _TENSOR:
                nd = _I(key, len(key) - 4)[0]
                if 0 <= nd <= MAX_DIMS and (2 * nd + 1) * self.ls + 4 <= self.end - q - 4:
                    plan = self._plan(h[3], nd)
                    h = self.v1n[key] = h[:4] + (plan, self._expect(h[3], plan, key))
        return h

    # ---- tensors --------------------------------------------------------------------------------------------------
    def _plan(self, cls, nd: int) -> tuple:
        """How to read a tensor of class ``cls`` with ``nd`` dimensions, after its number of dimensions: (nd;
        the unpacker of its sizes, strides, offset and the type tag of its storage, and their length; the
        unpacker of the same followed by a "V 1" storage header (tag, index, skipped constant part, size) and
        their length (a length past any file when nd is 0: an empty tensor has no storage); the constant part
        and where it ends, counted from the storage's index; the storage class; the element type and size; an
        empty array of that type)."""
        plan = self.plans.get((cls, nd))
        if plan is None:
            scls, q, dt = cls._storage_cls, self.q, cls._dtype
            name = scls._typename.encode("ascii")
            shead = struct.pack(f"<i3si{len(name)}s", 3, b"V 1", len(name), name)
            head = struct.Struct(f"<{2 * nd + 1}{q}i")
            full = struct.Struct(f"<{2 * nd + 1}{q}ii{len(shead)}x{q}")
            plan = self.plans[(cls, nd)] = (nd, head.unpack_from, head.size, full.unpack_from,
                                            full.size if nd else sys.maxsize, shead, len(shead) + 4, scls, dt,
                                            dt.itemsize, np.empty(0, dt))
        return plan

    def _expect(self, cls, plan: tuple, key: bytes) -> tuple:
        """The expectation of a tensor of class ``cls`` with the "V 1" header of ``key`` (the name and number of
        dimensions): a tensor read from its tag in one unpack (see ``_tensor_as``). (class; dims; the end of
        the header and the header; the unpacker of index, sizes, strides, offset and, when dims > 0, the tag,
        index and size of a "V 1" storage; its length; where the storage's constant part starts and ends; that
        part; the storage class; the element type and size; an empty array of that type)."""
        nd, _, _, _, _, shead, _, scls, dt, isz, empty = plan
        hconst = struct.pack("<i3si", 3, b"V 1", len(key) - 4) + key
        q = self.q
        fmt = f"<4xi{len(hconst)}x{2 * nd + 1}{q}i" + (f"i{len(shead)}x{q}" if nd else "")
        c0 = 8 + len(hconst) + (2 * nd + 1) * self.ls + 8
        st = struct.Struct(fmt)
        return (cls, nd, 8 + len(hconst), hconst, st.unpack_from, st.size, c0, c0 + len(shead), shead, scls, dt,
                isz, empty)

    def _tensor_as(self, e: tuple, q: int):
        """The tensor at ``q`` (its tag, whose index is new) when it matches the expectation ``e`` and comes with
        a new storage or none; else None, having read nothing (the caller then reads it with ``torch``)."""
        buf, end = self.buf, self.end
        cls, nd, hl, hconst, unpack, size, c0, c1, shead, scls, dt, isz, empty = e
        if size > end - q or buf[q + 8:q + hl] != hconst:
            return None
        vals = unpack(buf, q)
        s, memo = self.s, self.memo
        if not nd:
            if vals[2] != NIL:
                return None
            s.pos = q + size
            t = memo[vals[0]] = new(cls)  # an empty tensor: a fresh view of a shared empty array
            t._a = empty[:]
            t._s = None
            return t
        if vals[-3] != TORCH or buf[q + c0:q + c1] != shead or vals[-2] in memo:
            return None
        r = q + size
        n = vals[-1]
        if n < 0 or n * isz > end - r:
            s.pos = r
            s.fail(f"{scls._typename} of {n} elements cannot fit in the {end - r} bytes left", q + c0)
        a = np.frombuffer(buf, dt, n, r).copy()  # a fresh, aligned, writable array
        st = new(scls)
        st._a = a
        memo[vals[-2]] = st
        s.pos = r + n * isz
        if vals[2 * nd + 1] == 1 and (  # offset 0, contiguous over the whole storage: a plain reshape
                vals[2] == 1 and vals[1] == n if nd == 1 else
                vals[4] == 1 and vals[3] == vals[2] >= 0 and vals[1] * vals[2] == n and vals[1] >= 0 if nd == 2 else
                _contiguous(vals[1:nd + 1], vals[nd + 1:2 * nd + 1]) == n):
            t = new(cls)  # what Tensor._view makes, without the call
            t._a = a.reshape(vals[1:nd + 1])
            t._s = st
        else:
            t = _view(cls, st, list(vals[1:nd + 1]), list(vals[nd + 1:2 * nd + 1]), vals[2 * nd + 1] - 1, s, q + 8)
        memo[vals[0]] = t
        return t

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
