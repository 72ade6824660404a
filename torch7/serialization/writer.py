"""The .t7 object grammar, writing side: the same bytes Lua Torch writes for the same objects.

Every table, torch object and function gets the next reference index on first write; a second occurrence of
the same Python object (same ``id``) is written as a reference.  Python numbers are written as doubles, ``str``
as UTF-8 bytes, lists and tuples as tables with keys 1..n, dicts as tables with their keys.

Example:
    >>> from torch7.serialization import serialize
    >>> serialize({"hello": 123}).hex()[:24]
    '030000000100000001000000'
"""

from __future__ import annotations

import sys

import numpy as np

from torch7._core.backend import ascontig

from .errors import SerializationError
from .objects import LuaFunction, TableKey, TorchObject
from .reader import BOOLEAN, FUNCTION, MAX_DEPTH, NIL, NUMBER, STRING, TABLE, TORCH


class _Unwritable(SerializationError):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what
        self.path: list = []


def _key_name(k) -> str:
    if isinstance(k, TableKey):
        return "<table>"
    return str(k)


class Writer:
    """Writes objects through a primitive writer (``stream.BinaryWriter`` or ``AsciiWriter``)."""

    def __init__(self, w, max_depth: int = MAX_DEPTH) -> None:
        from .._core.mt19937 import Generator
        from .._core.storage import Storage
        from .._core.tensor import Tensor
        from .reader import _classes

        self.w = w
        self.memo: dict = {}
        self.keep: list = []
        self.converted: dict = {}  # id(tensor) -> its 1-based copy, shared by all objects (see convert.to_lua)
        self.n = 0
        self.depth = 0
        self.max_depth = max_depth
        self.Tensor, self.Storage, self.Generator = Tensor, Storage, Generator
        self.classes = _classes()

    def write(self, obj) -> None:
        old = sys.getrecursionlimit()
        need = 4 * self.max_depth + 500
        if old < need:
            sys.setrecursionlimit(need)
        try:
            self.obj(obj)
        except _Unwritable as e:
            where = ".".join(e.path) or "<top>"
            raise SerializationError(f"{e.what} at {where}") from None
        except RecursionError:
            raise SerializationError("objects nested too deeply to write") from None
        finally:
            if old < need:
                sys.setrecursionlimit(old)
        self.w.flush()

    def _new_ref(self, obj, tag: int) -> bool:
        """Write the tag and index; True if the object still has to be written in full."""
        w = self.w
        w.int(tag)
        i = self.memo.get(id(obj))
        if i is not None:
            w.int(i)
            return False
        self.n += 1
        self.memo[id(obj)] = self.n
        self.keep.append(obj)  # keeps ids unique while writing
        w.int(self.n)
        return True

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise _Unwritable(f"objects nested deeper than {self.max_depth} levels")

    def _string(self, b: bytes) -> None:
        self.w.int(len(b))
        self.w.raw(b)

    def obj(self, v) -> None:
        w = self.w
        t = type(v)
        if v is None:
            w.int(NIL)
        elif t is bool or t is np.bool_:
            w.int(BOOLEAN)
            w.int(1 if v else 0)
        elif t is int or t is float or isinstance(v, (int, float, np.integer, np.floating)):
            try:
                x = float(v)
            except OverflowError:
                raise _Unwritable(f"number {v} is too large for a Lua number (a double)") from None
            w.int(NUMBER)
            w.double(x)
        elif t is str:
            w.int(STRING)
            self._string(v.encode("utf-8"))
        elif t is bytes or t is bytearray or t is memoryview:
            w.int(STRING)
            self._string(bytes(v))
        elif isinstance(v, (list, tuple, dict)):
            self.table(v)
        elif isinstance(v, self.Tensor):
            self.tensor(v)
        elif isinstance(v, self.Storage):
            if self._new_ref(v, TORCH):
                self._header(v._typename, 1)
                w.long(v._a.shape[0])
                w.array(v._a)
        elif isinstance(v, (TorchObject, LuaFunction, self.Generator)):
            self.special(v)
        else:
            self.instance(v)

    def _header(self, typename: str, version: int) -> None:
        self._string(b"V %d" % version)
        self._string(typename.encode("ascii"))

    def table(self, v) -> None:
        if not self._new_ref(v, TABLE):
            return
        self._enter()
        w = self.w
        w.int(len(v))
        key = None
        try:
            if isinstance(v, dict):
                for key, x in v.items():
                    k = key.value if isinstance(key, TableKey) else key
                    if k is None:
                        raise _Unwritable("a table key cannot be None")
                    self.obj(k)
                    self.obj(x)
            else:
                for key, x in enumerate(v, 1):
                    w.int(NUMBER)
                    w.double(key)
                    self.obj(x)
        except _Unwritable as e:
            e.path.insert(0, _key_name(key))
            raise
        self.depth -= 1

    def tensor(self, v) -> None:
        w = self.w
        if not self._new_ref(v, TORCH):
            return
        a = v._a
        if a.size and any(s < 0 for s in a.strides):  # NumPy-style flipped view: Torch has no negative strides
            v = type(v)._new(ascontig(a))
            a = v._a
        self._header(v._typename, 1)
        if a.size == 0:
            w.int(0)
            st = v._s
        else:
            isz = a.itemsize
            w.int(a.ndim)
            w.longs(a.shape)
            w.longs([s // isz for s in a.strides])
            st = v._st()
        w.long((v.storageOffset() if st is not None else 0) + 1)
        self._enter()
        self.obj(st)
        self.depth -= 1

    def special(self, v) -> None:
        w = self.w
        if isinstance(v, LuaFunction):
            if v.kind == FUNCTION:
                w.int(FUNCTION)
            elif not self._new_ref(v, v.kind):
                return
            self._string(v.bytecode)
            self._enter()
            self.obj(v.upvalues)
            self.depth -= 1
            return
        if not self._new_ref(v, TORCH):
            return
        if isinstance(v, self.Generator):
            self._header("torch.Generator", 1)
            w.raw(v._state_bytes())
            return
        self._header(v.typename, v.version)
        self._enter()
        try:
            if v.typename in ("tds.Hash", "tds.Vec"):
                f = v.fields
                w.long(len(f))
                for k, x in (f.items() if isinstance(f, dict) else ((None, x) for x in f)):
                    if k is not None:
                        self.obj(k.value if isinstance(k, TableKey) else k)
                    self.obj(x)
            else:
                self.obj(v.fields)
        except _Unwritable as e:
            e.path.insert(0, v.typename)
            raise
        self.depth -= 1

    def instance(self, v) -> None:
        i = self.memo.get(id(v))
        if i is not None:
            self.w.int(TORCH)
            self.w.int(i)
            return
        res = self.classes.object_payload(v, self.converted) if self.classes is not None else None
        if res is None:
            raise _Unwritable(f"cannot write object of type {type(v).__module__}.{type(v).__qualname__}")
        typename, version, payload = res
        if not self._new_ref(v, TORCH):
            return
        self.keep.append(payload)
        self._header(typename, version)
        self._enter()
        try:
            self.obj(payload)
        except _Unwritable as e:
            e.path.insert(0, typename)
            raise
        self.depth -= 1
