"""The file side of tnt.IndexedDataset's archives: the index format's constants, reading and checking
an index file, and the temporary files that make writing atomic (the format is described in
``torch7/tnt/IndexedDataset.py``'s module docstring)."""

from __future__ import annotations

import contextlib
import os
import warnings

import numpy as np

import torch7 as torch

_MAGIC = 0x584449544E54
_HEAD = 6  # numbers before the offset arrays
# torchnet's type names -> (code, torch7 tensor class name); 'table' items are CharTensors
_TYPES = {"byte": (1, "Byte"), "char": (2, "Char"), "short": (3, "Short"), "int": (4, "Int"),
          "long": (5, "Long"), "float": (6, "Float"), "double": (7, "Double"), "table": (8, "Char")}
_BY_CODE = {code: name for name, (code, _) in _TYPES.items()}
_CLASS = {name: torch.tensor_class(f"torch.{cls}Tensor") for name, (_, cls) in _TYPES.items()}


def _load_index(filename: str, mmapidx: bool, who: str):
    """Parse and check an index file: (typename, N, S, dimoffsets, datoffsets, sizes)."""
    def bad(message: str, offset: int | None = None) -> Exception:
        return torch.SerializationError(f"{who}: index file {filename!r} {message}", offset)

    length = os.path.getsize(filename)
    if length < 8 * _HEAD:
        raise bad(f"has {length} bytes, fewer than the {8 * _HEAD}-byte header (truncated?)")
    with open(filename, "rb") as f:
        magic, version, code, esize, n, s = (int(v) for v in np.frombuffer(f.read(8 * _HEAD), "<i8"))
    if magic != _MAGIC:
        raise bad(f"is not a torchnet index (magic {magic:#x})", 0)
    if version != 1:
        raise bad(f"has unsupported format version {version}", 8)
    if code not in _BY_CODE:
        raise bad(f"has unrecognized type code {code}", 16)
    typename = _BY_CODE[code]
    if esize != _CLASS[typename]._dtype.itemsize:
        raise bad(f"says {typename} elements have {esize} bytes", 24)
    need = 8 * (_HEAD + 2 * (n + 1) + s) if n >= 0 and s >= 0 else -1
    if need != length:
        raise bad(f"has {length} bytes but its header (N={n}, S={s}) needs {need} (truncated or corrupt)")
    arr = np.memmap(filename, dtype="<i8", mode="r") if mmapidx else np.fromfile(filename, dtype="<i8")
    if arr.size * 8 != length:
        raise bad("changed while it was read")
    dimoff, datoff = arr[_HEAD:_HEAD + n + 1], arr[_HEAD + n + 1:_HEAD + 2 * n + 2]
    if dimoff[0] != 0 or datoff[0] != 0 or dimoff[n] != s:
        raise bad("has inconsistent offsets")
    return typename, n, s, dimoff, datoff, arr[_HEAD + 2 * n + 2:]


def _discard(f, tmp: str | None) -> None:
    """A writer dropped without close(): nothing was indexed, so drop its temporary data file."""
    f.close()
    if tmp is not None:
        warnings.warn(f"tnt.IndexedDatasetWriter: dropped without close(); {tmp!r} removed", ResourceWarning,
                      stacklevel=2)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
