"""Writing a file so that a reader never sees it half written: a temporary file beside it, then a rename.

``torch.save`` and the torchnet index writer use it; the rename is atomic on POSIX file systems,
so a crash leaves either the old file or the new one.

Example:
    >>> import os, tempfile
    >>> from torch7.serialization.atomic import publish, temp_beside
    >>> path = os.path.join(tempfile.mkdtemp(), "a.bin")
    >>> f, tmp = temp_beside(path)
    >>> with f:
    ...     _ = f.write(b"data")
    >>> publish(tmp, path); open(path, "rb").read()
    b'data'
"""

from __future__ import annotations

import os
import tempfile
from typing import BinaryIO


def temp_beside(path: str) -> tuple[BinaryIO, str]:
    """A new temporary file, open for binary writing, in the folder of ``path``; and its name."""
    folder, base = os.path.split(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=folder)
    return os.fdopen(fd, "wb"), tmp


def publish(tmp: str, path: str) -> None:
    """Give the finished ``tmp`` the permissions ``path`` has (or a new file would get) and rename it to ``path``."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:  # a new file: what open() would give under the current umask
        umask = os.umask(0o22)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    os.replace(tmp, path)
