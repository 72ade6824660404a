"""tnt.IndexedDataset, tnt.IndexedDatasetWriter, tnt.IndexedDatasetReader: tensors bundled in one archive.

An archive is a pair of files, byte for byte the ones Lua torchnet writes (so either side reads the
other's). Every number of the index is a little-endian signed 64-bit integer (the C ``long`` of the
64-bit machines Lua Torch ran on).

Index file (``.idx``), ``6 + 2 (N + 1) + S`` numbers and nothing else: ``magic`` = ``0x584449544E54``
(the bytes spell ``TNTIDX``); ``version`` = 1; the type ``code`` (1 byte, 2 char, 3 short, 4 int,
5 long, 6 float, 7 double, 8 table); the ``elementsize`` in bytes (1, 1, 2, 4, 8, 4, 8, 1); ``N``, the
number of items; ``S``, the number of dimensions of all items together; ``dimoffsets[N+1]`` (item
``i`` has sizes ``sizes[dimoffsets[i]:dimoffsets[i+1]]``); ``datoffsets[N+1]`` (item ``i`` holds
elements ``datoffsets[i]:datoffsets[i+1]`` of the data file); ``sizes[S]``. Both offset arrays start at 0.

Data file (``.bin``): the elements of every item, contiguous, row-major, one item after the other,
little-endian, no header. A ``table`` item is the .t7 binary serialization of the object
(``torch.serialize``, Lua's ``torch.serializeToStorage``) stored as a 1-D CharTensor. An item with
no dimension is an empty tensor.
"""

from __future__ import annotations

import contextlib
import math
import operator
import os
import weakref
from array import array
from typing import Any

import numpy as np

import torch7 as torch

from ..serialization.atomic import publish, temp_beside
from ._args import parse
from ._indexfile import _CLASS, _MAGIC, _TYPES, _discard, _load_index
from .Dataset import Dataset

__all__ = ["IndexedDataset", "IndexedDatasetReader", "IndexedDatasetWriter"]


class IndexedDatasetReader:
    """Read the items of an archive written by ``tnt.IndexedDatasetWriter`` (format in the module doc).

    Args:
        indexfilename: the index file (``.idx``).
        datafilename: the data file (``.bin``).
        mmap: memory-map the data file instead of reading each item with a positioned read.
        mmapidx: memory-map the index file instead of loading it.

    ``size()`` is the number of items; ``get(i)`` (0-based) returns item ``i`` as a new tensor of
    the archive's type, or the deserialized object for a ``table`` archive. A corrupt archive raises
    ``torch.SerializationError``; offsets are checked against the file lengths before any read.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> from torch7 import tnt
        >>> idx, bin_ = (os.path.join(tempfile.mkdtemp(), "x" + ext) for ext in (".idx", ".bin"))
        >>> w = tnt.IndexedDatasetWriter(idx, bin_, "long")
        >>> w.add(torch.LongTensor([[1, 2], [3, 4]])); w.add(torch.LongTensor([5])); w.close()
        >>> r = tnt.IndexedDatasetReader(idx, bin_)
        >>> r.size(), r.get(0).tolist(), r.get(1).tolist()
        (2, [[1, 2], [3, 4]], [5])
    """

    _typename = "tnt.IndexedDatasetReader"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        who = self._typename
        a = parse(who, ("indexfilename", "datafilename", "mmap", "mmapidx"), args, kwargs,
                  defaults={"mmap": False, "mmapidx": False}, required=("indexfilename", "datafilename"))
        self.indexfilename, self.datafilename = os.fspath(a["indexfilename"]), os.fspath(a["datafilename"])
        self.mmap, self.mmapidx = bool(a["mmap"]), bool(a["mmapidx"])
        self.typename, self.N, self.S, self._dimoff, self._datoff, self._sizes = _load_index(
            self.indexfilename, self.mmapidx, who)
        self._cls = _CLASS[self.typename]
        self._esize, self._le = self._cls._dtype.itemsize, self._cls._dtype.newbyteorder("<")
        self._datalen = os.path.getsize(self.datafilename)
        if int(self._datoff[self.N]) * self._esize > self._datalen:
            raise torch.SerializationError(f"{who}: data file {self.datafilename!r} has {self._datalen} bytes but "
                                           f"the index needs {int(self._datoff[self.N]) * self._esize} (truncated?)")
        if self.mmap:  # NumPy cannot map an empty file
            n = self._datalen // self._esize
            self._data = np.memmap(self.datafilename, self._le, "r", shape=(n,)) if n else np.empty(0, self._le)
        else:
            self._fd = os.open(self.datafilename, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            weakref.finalize(self, os.close, self._fd)

    def size(self) -> int:
        return self.N

    def _bytes(self, start: int, count: int) -> bytes:
        """``count`` elements from element ``start`` of the data file, as little-endian bytes."""
        if self.mmap:
            return self._data[start:start + count].tobytes()
        nbytes = count * self._esize
        buf = os.pread(self._fd, nbytes, start * self._esize)
        if len(buf) != nbytes:
            raise torch.SerializationError(f"{self._typename}.get: data file {self.datafilename!r} is shorter "
                                           f"than at opening (wanted {nbytes} bytes at {start * self._esize})")
        return buf

    def get(self, index: int):
        who = f"{self._typename}.get"
        i = operator.index(index)
        if not 0 <= i < self.N:
            raise IndexError(f"{who}: index {i} out of range for an archive of {self.N} items")
        d0, d1 = int(self._dimoff[i]), int(self._dimoff[i + 1])
        o0, o1 = int(self._datoff[i]), int(self._datoff[i + 1])
        if not (0 <= d0 <= d1 <= self.S and 0 <= o0 <= o1 and o1 * self._esize <= self._datalen):
            raise torch.SerializationError(f"{who}: item {i} of {self.indexfilename!r} has corrupt offsets "
                                           f"(dims {d0}:{d1} of {self.S}, elements {o0}:{o1})")
        shape = tuple(int(v) for v in self._sizes[d0:d1])
        count = math.prod(shape) if shape else 0
        if min(shape, default=0) < 0 or count != o1 - o0:
            raise torch.SerializationError(f"{who}: item {i} of {self.indexfilename!r} has sizes {list(shape)} "
                                           f"but {o1 - o0} elements")
        if count == 0:
            return self._cls()
        buf = self._bytes(o0, count)
        if self.typename == "table":
            try:
                return torch.deserialize(buf)
            except torch.SerializationError as e:
                raise torch.SerializationError(f"{who}: item {i} of {self.datafilename!r}: {e}") from e
        return torch.from_numpy(np.frombuffer(buf, self._le).astype(self._cls._dtype).reshape(shape))

    def __reduce__(self):
        return (type(self), (self.indexfilename, self.datafilename, self.mmap, self.mmapidx))

    def __repr__(self) -> str:
        return f"{self._typename}({self.indexfilename!r}: {self.N} {self.typename} items)"


class IndexedDatasetWriter:
    """Write an archive (an index file and a data file) of tensors of one type (format in the module doc).

    Args:
        indexfilename: the index file to create.
        datafilename: the data file to create.
        type: 'byte', 'char', 'short', 'int', 'long', 'float', 'double' or 'table'. Left out, the
            archive must exist and is opened for appending; its type is read from the index.

    ``add(x)`` appends one item: a tensor of the archive's type (a CharTensor for 'table'), a file
    name (the file's bytes read as elements of that type, a 1-D tensor), or for 'table' and 'char'
    archives a dict or list (Lua table), stored serialized. ``close()`` writes the index; nothing is
    readable before. Files appear atomically at close: the data goes to a temporary file, the old
    index (if any) is removed, then the data file and the new index are renamed into place, so an
    interrupted writer never leaves an index that reads as valid. Also a context manager.

    Example:
        >>> import os, tempfile
        >>> from torch7 import tnt
        >>> idx, bin_ = (os.path.join(tempfile.mkdtemp(), "t" + ext) for ext in (".idx", ".bin"))
        >>> with tnt.IndexedDatasetWriter(idx, bin_, "table") as w:
        ...     w.add({"label": 3, "name": "cat"})
        >>> tnt.IndexedDatasetReader(idx, bin_).get(0)
        {'label': 3, 'name': 'cat'}
    """

    _typename = "tnt.IndexedDatasetWriter"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        who = self._typename
        a = parse(who, ("indexfilename", "datafilename", "type"), args, kwargs,
                  required=("indexfilename", "datafilename"))
        self.indexfilename, self.datafilename = os.fspath(a["indexfilename"]), os.fspath(a["datafilename"])
        self._tmp = None
        if a["type"] is None:  # append to an existing archive
            r = IndexedDatasetReader(self.indexfilename, self.datafilename)  # checks both files
            self.typename, self.N, self.S = r.typename, r.N, r.S
            self._dimoff, self._datoff, self._sizes = (array("q", np.asarray(v, np.int64).tobytes())
                                                       for v in (r._dimoff, r._datoff, r._sizes))
            end = self._datoff[-1] * r._esize
            self._f = open(self.datafilename, "r+b")
            self._f.truncate(end)  # bytes past the indexed end are left by an append that was not closed
            self._f.seek(end)
        else:
            if a["type"] not in _TYPES:
                raise ValueError(f"{who}: invalid type {a['type']!r} (expected {', '.join(_TYPES)})")
            self.typename, self.N, self.S = a["type"], 0, 0
            self._dimoff, self._datoff, self._sizes = array("q", [0]), array("q", [0]), array("q")
            self._f, self._tmp = temp_beside(self.datafilename)
        self._cls = _CLASS[self.typename]
        self._finalizer = weakref.finalize(self, _discard, self._f, self._tmp)

    def add(self, x: Any) -> None:
        who = f"{self._typename}.add"
        if self._f is None:
            raise ValueError(f"{who}: the writer is closed")
        if isinstance(x, (str, os.PathLike)):
            with open(x, "rb") as f:
                raw = f.read()
            esize = self._cls._dtype.itemsize
            if len(raw) % esize:
                raise ValueError(f"{who}: file {os.fspath(x)!r} has {len(raw)} bytes, not a multiple of the "
                                 f"{esize}-byte {self.typename} elements")
            arr = np.frombuffer(raw, self._cls._dtype.newbyteorder("<"))
        elif isinstance(x, (dict, list, tuple)):
            if self.typename not in ("table", "char"):
                raise TypeError(f"{who}: tables can only be added to 'table' or 'char' archives, "
                                f"not {self.typename!r}")
            arr = np.frombuffer(torch.serialize(x), np.int8)
        elif torch.isTensor(x) or isinstance(x, np.ndarray):
            x = torch.from_numpy(np.atleast_1d(x)) if isinstance(x, np.ndarray) else x
            if torch.typename(x) != f"torch.{_TYPES[self.typename][1]}Tensor":
                raise TypeError(f"{who}: this {self.typename} archive takes torch.{_TYPES[self.typename][1]}Tensor, "
                                f"got {torch.typename(x)}")
            arr = x.numpy()
        else:
            raise TypeError(f"{who}: expected a tensor, a file name or a table, got {type(x).__name__}")
        shape = arr.shape if arr.size else ()  # empty tensors are stored with no dimension, as Torch7 has them
        self._sizes.extend(shape)
        self.S += len(shape)
        self.N += 1
        self._dimoff.append(self.S)
        self._datoff.append(self._datoff[-1] + arr.size)
        if arr.size:
            self._f.write(np.ascontiguousarray(arr, self._cls._dtype.newbyteorder("<")).tobytes())

    def close(self) -> None:
        """Finish the data file and write the index (atomically); a second call does nothing."""
        if self._f is None:
            return
        self._finalizer.detach()
        f, self._f = self._f, None
        with f:
            f.flush()
            os.fsync(f.fileno())
        head = [_MAGIC, 1, _TYPES[self.typename][0], self._cls._dtype.itemsize, self.N, self.S]
        index = np.concatenate([np.asarray(head, np.int64)] + [np.frombuffer(v, np.int64) for v in
                                                                (self._dimoff, self._datoff, self._sizes)])
        g, tmp = temp_beside(self.indexfilename)
        try:
            with g:
                g.write(index.astype("<i8").tobytes())
                g.flush()
                os.fsync(g.fileno())
            if self._tmp is not None:
                with contextlib.suppress(FileNotFoundError):  # no index at all rather than an old one over new data
                    os.unlink(self.indexfilename)
                publish(self._tmp, self.datafilename)
                self._tmp = None
            publish(tmp, self.indexfilename)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def __enter__(self) -> IndexedDatasetWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._f is None else "open"
        return f"{self._typename}({self.indexfilename!r}: {self.N} {self.typename} items, {state})"


def _is_field_table(x: Any) -> bool:
    return isinstance(x, dict) and bool(x) and all(isinstance(v, dict) and {"idx", "bin"} <= v.keys()
                                                    for v in x.values())


class IndexedDataset(Dataset):
    """A dataset over one or more archives of equal size: sample ``i`` has item ``i`` of each archive.

    Args:
        fields: with ``path``, a list of names, archive ``name`` being ``<path>/<name>.idx`` and
            ``.bin``; without, a dict ``name -> {"idx": indexfile, "bin": datafile}``.
        path: the folder of the archives.
        maxload: if positive and smaller than the archives, only the first ``maxload`` samples.
        mmap, mmapidx: memory-map the data / index files (see ``tnt.IndexedDatasetReader``).
        standalone: with exactly one field, ``get(i)`` is the item itself instead of ``{name: item}``.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> from torch7 import tnt
        >>> d = tempfile.mkdtemp()
        >>> with tnt.IndexedDatasetWriter(os.path.join(d, "x.idx"), os.path.join(d, "x.bin"), "float") as w:
        ...     for i in range(3):
        ...         w.add(torch.FloatTensor(i + 1).fill(i))
        >>> ds = tnt.IndexedDataset(fields=["x"], path=d)  # doctest: +ELLIPSIS
        | IndexedDataset: loaded ... with 3 examples
        >>> ds.size(), ds.get(2)["x"].tolist()
        (3, [2.0, 2.0, 2.0])
    """

    _typename = "tnt.IndexedDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        who = self._typename
        a = parse(who, ("fields", "path", "maxload", "mmap", "mmapidx", "standalone"), args, kwargs,
                  required=("fields",), defaults={"mmap": False, "mmapidx": False, "standalone": False},
                  dict_first=len(args) == 1 and not kwargs and _is_field_table(args[0]))
        fields, path = a["fields"], a["path"]
        if path is not None:
            if isinstance(fields, str) or not all(isinstance(f, str) for f in fields):
                raise TypeError(f"{who}: with path, fields must be a list of names, got {fields!r}")
            files = [(f, os.path.join(path, f + ".idx"), os.path.join(path, f + ".bin")) for f in fields]
        else:
            if not _is_field_table(fields):
                raise TypeError(f"{who}: without path, fields must be a dict name -> {{'idx': ..., 'bin': ...}}")
            files = [(name, p["idx"], p["bin"]) for name, p in fields.items()]
        if not files:
            raise ValueError(f"{who}: fields should not be empty")
        if a["standalone"] and len(files) != 1:
            raise ValueError(f"{who}: standalone expects exactly one field, got {len(files)}")
        self._fields = [(name, IndexedDatasetReader(idx, bin_, a["mmap"], a["mmapidx"])) for name, idx, bin_ in files]
        sizes = {name: r.size() for name, r in self._fields}
        if len(set(sizes.values())) != 1:
            raise ValueError(f"{who}: inconsistent index data size: {sizes}")
        size, maxload = next(iter(sizes.values())), a["maxload"]
        self._size = int(maxload) if maxload is not None and 0 < maxload < size else size
        self._standalone = bool(a["standalone"])
        print(f"| IndexedDataset: loaded {path or ''} with {self._size} examples")

    def size(self) -> int:
        return self._size

    def get(self, idx: int):
        i = operator.index(idx)
        if not 0 <= i < self._size:
            raise IndexError(f"{self._typename}.get: index {i} out of range for a dataset of size {self._size}")
        if self._standalone:
            return self._fields[0][1].get(i)
        return {name: reader.get(i) for name, reader in self._fields}

    def __repr__(self) -> str:
        return f"{self._typename}({', '.join(name for name, _ in self._fields)}; size {self._size})"
