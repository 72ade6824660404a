"""``torch.save`` / ``torch.load`` / ``torch.serialize`` / ``torch.deserialize`` for .t7 files.

Example:
    >>> import torch7 as torch
    >>> torch.deserialize(torch.serialize({"hello": 123}))
    {'hello': 123}
"""

from __future__ import annotations

import io
import mmap
import os

from .atomic import publish, temp_beside
from .binreader import BinaryObjectReader
from .errors import SerializationError
from .reader import MAX_DEPTH, Reader
from .stream import AsciiReader, AsciiWriter, BinaryReader, BinaryWriter
from .writer import Writer

_FORMATS = ("binary", "ascii", "b32", "b64")
_READ_LIMIT = 1 << 22  # files up to this size are read into memory, larger ones mapped


def _mode(format: str, longSize: int | None) -> tuple[bool, int]:
    if format not in _FORMATS:
        raise ValueError(f"format must be one of {', '.join(_FORMATS)}; got {format!r}")
    if format in ("b32", "b64"):
        return True, 4 if format == "b32" else 8
    ls = 8 if longSize in (None, 0) else longSize
    if ls not in (4, 8):
        raise ValueError(f"longSize must be 4 or 8, got {longSize}")
    return format == "binary", ls


def _write(f, obj, format: str, longSize: int | None) -> None:
    binary, ls = _mode(format, longSize)
    w = (BinaryWriter if binary else AsciiWriter)(f, ls)
    Writer(w).write(obj)


def serialize(obj, format: str = "binary", longSize: int | None = None) -> bytes:
    """The bytes of ``obj`` in .t7 format (Lua's ``torch.serialize``, without MemoryFile's trailing NUL).

    Example:
        >>> len(serialize({"hello": 123}))
        37
    """
    f = io.BytesIO()
    _write(f, obj, format, longSize)
    return f.getvalue()


def save(filename, obj, format: str = "binary", longSize: int | None = None) -> None:
    """Write ``obj`` to a .t7 file (``format`` 'binary' or 'ascii'); also accepts an open binary file.

    A path is written atomically: to a temporary file in the same folder, then renamed over the target, so a
    failure half-way leaves any previous file untouched.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> p = os.path.join(tempfile.mkdtemp(), "x.t7")
        >>> torch.save(p, torch.Tensor([1, 2])); torch.load(p).tolist()
        [1.0, 2.0]
    """
    _mode(format, longSize)
    if hasattr(filename, "write"):
        _write(filename, obj, format, longSize)
        return
    path = os.fspath(filename)
    f, tmp = temp_beside(path)
    try:
        with f:
            _write(f, obj, format, longSize)
        publish(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _read(buf, format: str, longSize, strict: bool, map_location, raw: bool, start: int = 0):
    binary, ls = _mode(format, longSize)
    s = (BinaryReader if binary else AsciiReader)(buf, ls, start)
    obj = (BinaryObjectReader if binary else Reader)(s, strict=strict, raw=raw, map_location=map_location,
                                                     max_depth=MAX_DEPTH).read()
    if map_location not in (None, "cpu"):
        from .to_device import to_device

        obj = to_device(obj)
    return obj, s.pos


def deserialize(data, format: str = "binary", longSize: int | None = None, strict: bool = False,
                map_location=None):
    """The object held by ``data`` (bytes in .t7 format); see ``load`` for the arguments.

    Example:
        >>> deserialize(serialize([1, "two", None, 4.5]))
        [1, 'two', None, 4.5]
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"deserialize: expected bytes, got {type(data).__name__}")
    return _read(data, format, longSize, strict, map_location, False)[0]


def load(f, format: str = "binary", longSize: int | None = None, strict: bool = False, map_location=None,
         _raw: bool = False):
    """Read one object from a .t7 file (a path or an open binary file).

    Args:
        format: 'binary' (default), 'ascii', 'b32' or 'b64' (binary with 4- or 8-byte longs).
        longSize: 8 (default) or 4, for binary files written where a C long has 4 bytes.
        strict: raise ``SerializationError`` on unknown classes and Lua functions instead of returning
            ``TorchObject`` / ``LuaFunction`` records.
        map_location: None or 'cpu': CUDA tensors load as CPU tensors (with a warning); 'cuda': every
            tensor and storage goes to the current GPU, keeping its element type (CudaUnavailableError
            without one).

    Example:
        >>> import io
        >>> load(io.BytesIO(serialize({"a": [1, 2]})))
        {'a': [1, 2]}
    """
    if hasattr(f, "read"):
        start = f.tell() if f.seekable() else None
        data = f.read()
        obj, pos = _read(data, format, longSize, strict, map_location, _raw)
        if start is not None:
            f.seek(start + pos)
        return obj
    with open(os.fspath(f), "rb") as fh:
        buf = None
        if os.fstat(fh.fileno()).st_size > _READ_LIMIT:  # NumPy takes arrays from bytes faster than from a map
            try:
                buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # not mappable
                pass
        if buf is None:
            buf = fh.read()
    try:
        return _read(buf, format, longSize, strict, map_location, _raw)[0]
    finally:
        if isinstance(buf, mmap.mmap):
            try:
                buf.close()
            except BufferError:
                pass


__all__ = ["SerializationError", "deserialize", "load", "save", "serialize"]
