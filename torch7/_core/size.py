"""torch.Size and the parsing of size arguments shared by constructors and resize/view."""

from __future__ import annotations

import numpy as np


class Size(tuple):
    """The sizes of a tensor: a tuple of ints (Torch7 returned a LongStorage).

    Example:
        >>> import torch7 as torch
        >>> s = torch.Size([2, 3])
        >>> s[0], len(s), s.size()
        (2, 2, 2)
    """

    __slots__ = ()

    def __new__(cls, sizes=()):
        return tuple.__new__(cls, (int(s) for s in sizes))

    def size(self, dim: int | None = None):
        """Torch7's LongStorage:size(): the number of dimensions."""
        return len(self)

    def totable(self) -> list:
        return list(self)

    tolist = totable

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    def __str__(self) -> str:
        lines = [f" {s}" for s in self]
        lines.append(f"[torch.LongStorage of size {len(self)}]")
        return "\n".join(lines)


def parse_sizes(args, fname: str) -> tuple:
    """Turn ``(2, 3)``, ``((2, 3),)``, ``(Size,)``, ``(LongStorage,)`` or ``(LongTensor,)`` into a tuple.

    Raises a TypeError naming ``fname`` on anything else.
    """
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        a = args[0]
        if isinstance(a, tuple):
            seq = a
        elif isinstance(a, list):
            seq = a
        elif hasattr(a, "_a") and a._a.ndim <= 1:
            seq = a._a.tolist()
        else:
            raise TypeError(f"{fname}: expected sizes as ints, a torch.Size or a LongStorage, got {type(a).__name__}")
    else:
        seq = args
    out = []
    for s in seq:
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{fname}: sizes must be integers, got {s!r}")
        out.append(int(s))
    return tuple(out)


def describe(v) -> str:
    """How an argument reads in an error message: ``a torch.FloatTensor of size 2x3``, ``float 0.5``."""
    if hasattr(v, "_typename") and hasattr(v, "_a"):
        shape = v._a.shape if v._a.size else ()
        return f"a {v._typename} of size {'x'.join(map(str, shape)) or '[empty]'}"
    text = repr(v)
    return f"{type(v).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def int_arg(v, fname: str, what: str) -> int:
    """``v`` (a Python or NumPy integer) as an int; anything else is a TypeError naming ``fname``.

    Example:
        >>> int_arg(2.5, "narrow", "index")
        Traceback (most recent call last):
        ...
        TypeError: narrow: expected an integer index, got float 2.5
    """
    if isinstance(v, (int, np.integer)):
        return int(v)
    raise TypeError(f"{fname}: expected an integer {what}, got {describe(v)}")


def tensor_arg(v, fname: str, what: str = "a tensor") -> None:
    """Raise a TypeError naming ``fname`` unless ``v`` is a tensor (used where only its fields are read)."""
    if not (hasattr(v, "_typename") and hasattr(v, "_a")):
        raise TypeError(f"{fname}: expected {what}, got {describe(v)}")
