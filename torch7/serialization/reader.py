"""The .t7 object grammar, reading side (reference §3.4-3.5): tags, reference indices, class headers.

Lua numbers are doubles: a number reads back as ``int`` when it is integral and within 2**53, else ``float``.
Strings read back as ``str`` when they are valid UTF-8, else ``bytes``.  A table with keys exactly 1..n (and
an empty table) reads as a ``list``, any other table as a ``dict`` (a table key becomes a ``TableKey``).

Example:
    >>> from torch7.serialization import deserialize
    >>> deserialize(b"\\x01\\x00\\x00\\x00" + b"\\x00" * 6 + b"\\xf8\\x3f")
    1.5
"""

from __future__ import annotations

import math
import sys
import warnings

import numpy as np

from .errors import SerializationError
from .fixups import apply_fixups
from .objects import LuaFunction, TableKey, TorchObject

NIL, NUMBER, STRING, TABLE, TORCH, BOOLEAN, FUNCTION, LEGACY_RECUR_FUNCTION, RECUR_FUNCTION = range(9)
MAX_DEPTH = 4000
MAX_DIMS = 64  # NumPy's limit on the dimensions of an array
_TWO53 = float(1 << 53)
_CUDA_HOST = {"Cuda": "Float", "CudaDouble": "Double", "CudaByte": "Byte", "CudaChar": "Char", "CudaShort": "Short",
              "CudaInt": "Int", "CudaLong": "Long", "CudaHalf": "Half"}


def _host_typename(name: str) -> tuple[str, bool]:
    """('torch.FloatTensor', True) for 'torch.CudaTensor'; (name, False) for a CPU type."""
    for kind in ("Tensor", "Storage"):
        if name.startswith("torch.Cuda") and name.endswith(kind):
            host = _CUDA_HOST.get(name[6:-len(kind)])
            if host is not None:
                return f"torch.{host}{kind}", True
    return name, False


def _decode(b: bytes):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b


def _classes():
    try:
        from . import classes
    except ModuleNotFoundError as e:
        if e.name != __package__ + ".classes":
            raise
        return None
    return classes


class Reader:
    """Reads objects from a primitive reader (``stream.BinaryReader`` or ``AsciiReader``).

    ``raw=True`` keeps every class as a ``TorchObject`` (tensors and storages are still built); ``strict=True``
    raises on unknown classes and Lua functions.
    """

    def __init__(self, s, strict: bool = False, raw: bool = False, map_location=None,
                 max_depth: int = MAX_DEPTH) -> None:
        if map_location not in (None, "cpu"):
            if "cuda" not in str(map_location).lower():
                raise ValueError(f"torch.load: map_location must be None, 'cpu' or 'cuda', got {map_location!r}")
            from .._core.backend import require_cuda_tensors

            require_cuda_tensors(f"torch.load(map_location={map_location!r})")
        self.to_gpu = map_location not in (None, "cpu")
        self.s = s
        self.strict = strict
        self.classes = None if raw else _classes()
        self.max_depth = max_depth
        self.depth = 0
        self.memo: dict = {}
        self.building: set = set()
        self.backrefs: set = set()
        self.fixups: dict = {}
        self.cuda_warned = False
        self.known: dict = {}
        from .._core import types as T
        from .._core.mt19937 import Generator
        self.T, self.Generator = T, Generator

    def read(self):
        old = sys.getrecursionlimit()
        need = 4 * self.max_depth + 500
        if old < need:
            sys.setrecursionlimit(need)
        try:
            obj = self.obj()
        except RecursionError:
            raise SerializationError("objects nested too deeply", self.s.pos) from None
        except MemoryError:
            raise SerializationError("out of memory while reading", self.s.pos) from None
        finally:
            if old < need:
                sys.setrecursionlimit(old)
        if self.fixups:
            obj = apply_fixups(obj, self.fixups)
        return obj

    # ---- dispatch -----------------------------------------------------------------------
    def obj(self):
        s = self.s
        at = s.pos
        tag = s.int()
        if tag == NUMBER:
            v = s.double()
            return int(v) if v.is_integer() and -_TWO53 <= v <= _TWO53 else v
        if tag == STRING:
            return _decode(s.raw(s.int()))
        if tag == TABLE:
            return self.table()
        if tag == TORCH:
            return self.torch()
        if tag == NIL:
            return None
        if tag == BOOLEAN:
            return s.int() == 1
        if tag in (RECUR_FUNCTION, LEGACY_RECUR_FUNCTION, FUNCTION):
            return self.function(tag, at)
        s.fail(f"unknown type tag {tag}", at)

    def _enter(self):
        self.depth += 1
        if self.depth > self.max_depth:
            self.s.fail(f"objects nested deeper than {self.max_depth} levels")

    def _ref(self, idx: int):
        obj = self.memo[idx]
        if idx in self.building:
            self.backrefs.add(idx)
        return obj

    # ---- tables ---------------------------------------------------------------------------
    def table(self):
        s = self.s
        idx = s.int()
        if idx in self.memo:
            return self._ref(idx)
        at = s.pos
        n = s.int()
        if n < 0 or 8 * n > s.end - s.pos:
            s.fail(f"table with {n} entries cannot fit in the {s.end - s.pos} bytes left", at)
        self._enter()
        d: dict = {}
        self.memo[idx] = d
        self.building.add(idx)
        keys, vals = [], []
        obj = self.obj
        for _ in range(n):
            keys.append(obj())
            vals.append(obj())
        self.building.discard(idx)
        self.depth -= 1
        return self._finish_table(idx, d, keys, vals, at)

    def _finish_table(self, idx: int, d: dict, keys: list, vals: list, at: int):
        """The list (keys 1..n) or dict (``d``, the placeholder handed out while reading) of a table read."""
        n = len(keys)
        if n and type(keys[0]) is str and all(type(k) is str for k in keys):  # the fields of an object
            d.update(zip(keys, vals))
            return d
        seq = list(range(1, n + 1))
        ints = all(type(k) is int for k in keys)
        in_order = ints and keys == seq
        if in_order or (ints and sorted(keys) == seq):
            if in_order:
                res = vals
            else:
                res = [None] * n
                for k, v in zip(keys, vals):
                    res[k - 1] = v
            if idx in self.backrefs:  # a cycle went through the placeholder dict: replace it later
                d.update(zip(keys, vals))
                self.fixups[id(d)] = (d, res)
            self.memo[idx] = res
            return res
        for k, v in zip(keys, vals):
            if type(k) in (dict, list):
                k = TableKey(k)
            elif k is None or (type(k) is float and math.isnan(k)):
                self.s.fail(f"table key is {k}", at)
            d[k] = v
        return d

    # ---- functions -----------------------------------------------------------------------
    def function(self, tag: int, at: int):
        s = self.s
        if self.strict:
            s.fail("the file holds a Lua function, which cannot be loaded with strict=True", at)
        idx = None
        if tag != FUNCTION:
            idx = s.int()
            if idx in self.memo:
                return self._ref(idx)
        code = s.raw(s.int())
        f = LuaFunction(code, None, tag)
        self._enter()
        if idx is not None:
            self.memo[idx] = f
        f.upvalues = self.obj()
        self.depth -= 1
        return f

    # ---- torch classes --------------------------------------------------------------------
    def torch(self):
        s = self.s
        idx = s.int()
        if idx in self.memo:
            return self._ref(idx)
        return self._torch_at(idx, s.pos)

    def _torch_at(self, idx: int, at: int, version: int | None = None, name: str | None = None):
        """The torch object whose class header starts at ``at`` (already read when ``name`` is given)."""
        s = self.s
        if name is None:
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
        self._enter()
        try:
            if name in self.T.TENSOR_CLASSES or name in self.T.STORAGE_CLASSES or (
                    name.startswith("torch.") and (name.endswith("Tensor") or name.endswith("Storage"))):
                return self.tensor_or_storage(idx, name, at)
            if name == "torch.Generator":
                return self.generator(idx, at)
            if name in ("tds.Hash", "tds.Vec"):
                return self.tds(idx, name, version)
            return self.instance(idx, name, version, at)
        finally:
            self.depth -= 1

    def instance(self, idx: int, name: str, version: int, at: int):
        cl = self.classes
        known = self.known.get(name, self)  # the class registered for the name, looked up once per file
        if known is self:
            inst = cl.new_instance(name) if cl is not None else None
            self.known[name] = None if inst is None else type(inst)
        else:
            inst = None if known is None else known.__new__(known)
        if inst is None:
            if self.strict:
                self.s.fail(f"unknown Torch class <{name}> (strict=True)", at)
            o = TorchObject(name, version)
            self.memo[idx] = o
            o.fields = self.obj()
            return o
        self.memo[idx] = inst
        self.building.add(idx)
        payload = self.obj()
        self.building.discard(idx)
        try:
            res = cl.fill_instance(inst, version, payload)
        except SerializationError:
            raise
        except Exception as e:
            raise SerializationError(f"cannot build {name} from the file: {type(e).__name__}: {e}", at) from e
        if res is not inst:
            self.memo[idx] = res
            if idx in self.backrefs:
                self.fixups[id(inst)] = (inst, res)
        return res

    def tensor_or_storage(self, idx: int, name: str, at: int):
        s, T = self.s, self.T
        host, cuda = (name, False) if name in T.TENSOR_CLASSES or name in T.STORAGE_CLASSES else _host_typename(name)
        if cuda and not self.cuda_warned and not self.to_gpu:
            self.cuda_warned = True
            warnings.warn(f"{name} loaded as a CPU {host} (map_location='cuda' loads it onto the GPU)", stacklevel=4)
        if name.endswith("Storage"):
            cls = T.STORAGE_CLASSES.get(host)
            if cls is None:
                s.fail(f"unknown storage class <{name}>", at)
            n = s.long()
            if n < 0:
                s.fail(f"negative storage size {n}", at)
            st = cls._from_array(s.array(cls._dtype, n))
            self.memo[idx] = st
            return st
        cls = T.TENSOR_CLASSES.get(host)
        if cls is None:
            s.fail(f"unknown tensor class <{name}>", at)
        nd = s.int()
        per = s.long_size if s.binary else 2  # an ascii number takes a digit and a separator at least
        if nd < 0 or nd * 2 * per - 1 > s.end - s.pos:
            s.fail(f"tensor with {nd} dimensions cannot fit in the {s.end - s.pos} bytes left", at)
        if nd > MAX_DIMS:
            s.fail(f"tensor with {nd} dimensions (at most {MAX_DIMS} are supported)", at)
        sizes, strides = s.longs(nd), s.longs(nd)
        offset = s.long() - 1
        st = self.obj()
        if st is None:
            t = cls()
        else:
            if type(st) is not cls._storage_cls:
                s.fail(f"{name} refers to a {type(st).__name__}, not a {cls._storage_cls.__name__}", at)
            t = _view(cls, st, sizes, strides, offset, s, at)
        self.memo[idx] = t
        return t

    def generator(self, idx: int, at: int):
        g = self.Generator()
        try:
            g._set_state_bytes(self.s.raw(5048))
        except ValueError as e:
            if isinstance(e, SerializationError):
                raise
            self.s.fail(f"torch.Generator: {e}", at)
        self.memo[idx] = g
        return g

    def tds(self, idx: int, name: str, version: int):
        s = self.s
        at = s.pos
        n = s.long()
        per = 8 if name == "tds.Hash" else 4
        if n < 0 or per * n > s.end - s.pos:
            s.fail(f"{name} with {n} entries cannot fit in the {s.end - s.pos} bytes left", at)
        o = TorchObject(name, version, {} if name == "tds.Hash" else [])
        self.memo[idx] = o
        for _ in range(n):
            if name == "tds.Hash":
                k = self.obj()
                if type(k) in (dict, list):
                    k = TableKey(k)
                o.fields[k] = self.obj()
            else:
                o.fields.append(self.obj())
        return o


def _view(cls, st, sizes, strides, offset, s, at):
    if any(v < 0 for v in sizes) or any(v < 0 for v in strides):
        s.fail(f"negative size or stride in tensor header {sizes} {strides}", at)
    n = st._a.shape[0]
    if not sizes or 0 in sizes:
        t = cls._view(st, st._a[0:0])
        return t
    span = 1 + sum((a - 1) * b for a, b in zip(sizes, strides))
    # The stride of a size-1 dimension is never used, but NumPy refuses one whose byte count overflows.
    strides = [b if a != 1 or b <= n else n for a, b in zip(sizes, strides)]
    if offset < 0 or offset + span > n:
        s.fail(f"tensor of sizes {sizes}, strides {strides} at offset {offset} overruns its storage of {n}", at)
    isz = st._a.itemsize
    if math.prod(sizes) * isz > sys.maxsize:  # stride-0 dims can make a valid view bigger than any array
        s.fail(f"tensor of sizes {sizes} has more bytes than an array can address", at)
    arr = np.ndarray(tuple(sizes), st._a.dtype, buffer=st._a, offset=offset * isz,
                     strides=tuple(v * isz for v in strides))
    return cls._view(st, arr)
