"""tnt.logview: the viewers of a tnt.Log (torchnet's ``torchnet.log.view.text``, ``.json``, ``.status``).

Each function returns a closure to attach to a ``tnt.Log`` event: ``text`` and ``json`` write the
values of chosen keys, one line per call (attach them to ``onFlush``); ``status`` writes the
``__status__`` messages (attach it to ``onSet``). Output goes to ``file`` (an open file object, or
any object with ``write``; a ``torch.File`` with ``writeString``), to ``filename`` (created, or
appended to with ``append=True``), or else to standard output. Every line is flushed as it is
written; a file the viewer opened is closed by ``log.close()``.

Example:
    >>> from torch7 import tnt
    >>> log = tnt.Log(["loss", "acc"], onFlush=[tnt.logview.text(keys=["loss", "acc"], format=["%.3f", None])],
    ...               onSet=[tnt.logview.status()])
    >>> log.set(loss=0.5, acc=97)
    >>> log.flush()
    0.500 | acc 97
    >>> log.status("done", time=False)
    | done
"""

from __future__ import annotations

import json as _json
import os
from collections.abc import Callable
from typing import Any

from .._core.cmdline_values import tostring
from ._args import parse


class _Output:
    """Where a viewer writes: a file it was given, a file it opened, or stdout (looked up per line)."""

    def __init__(self, fname: str, file: Any, filename: Any, append: bool) -> None:
        if file is not None and filename is not None:
            raise ValueError(f"{fname}: give file or filename, not both")
        self.fname = fname
        self.file, self.owned, self.closed = file, False, False
        if isinstance(file, (str, os.PathLike)):
            file, filename = None, file
        if filename is not None:
            filename = os.fspath(filename)
            if not append:
                open(filename, "w", encoding="utf-8").close()
            # append mode: several viewers may share one file, each line lands at its end
            self.file, self.owned = open(filename, "a", encoding="utf-8"), True
        elif file is not None and not callable(getattr(file, "write", None)) \
                and not callable(getattr(file, "writeString", None)):
            raise TypeError(f"{fname}: file must be a file object (with write), got {type(file).__name__}")
        self.name = filename

    def write(self, line: str) -> None:
        if self.closed:
            raise ValueError(f"{self.fname}: the viewer's file was closed (by log.close())")
        f = self.file
        if f is None:
            print(line)
            return
        if callable(getattr(f, "writeString", None)):  # a torch.File
            if callable(getattr(f, "seekEnd", None)):
                f.seekEnd()
            f.writeString(line + "\n")
        else:
            f.write(line + "\n")
        if callable(getattr(f, "flush", None)):
            f.flush()

    def close(self) -> None:
        if self.owned and not self.closed:
            self.file.close()
        self.closed = self.closed or self.owned


class _Viewer:
    """The closure a viewer function returns: called by the log, and closed by ``log.close()``."""

    def __init__(self, desc: str, out: _Output, fn: Callable[..., None]) -> None:
        self._desc, self._out, self._fn = desc, out, fn

    def __call__(self, *args: Any) -> None:
        self._fn(self._out, *args)

    def close(self) -> None:
        self._out.close()

    def __repr__(self) -> str:
        return self._desc


def _formatters(fname: str, keys: Any, format: Any, default: Callable[[str, Any], str]) -> list:
    """``[(key, fn(value) -> str)]`` from the keys and their formats (a list parallel to keys, or a dict)."""
    if isinstance(keys, str) or not isinstance(keys, (list, tuple)):
        raise TypeError(f"{fname}: keys must be a list of strings, got {type(keys).__name__}")
    if format is not None and not isinstance(format, (list, tuple, dict)):
        raise TypeError(f"{fname}: format must be a list (one entry per key) or a dict, got {type(format).__name__}")
    out = []
    for i, key in enumerate(keys):
        if not isinstance(key, str):
            raise TypeError(f"{fname}: keys must be strings, got {key!r}")
        if isinstance(format, dict):
            f = format.get(key)
        else:
            f = format[i] if format is not None and i < len(format) else None
        if f is None:
            fn = (lambda k: lambda v: default(k, v))(key)
        elif isinstance(f, str):
            fn = (lambda s: lambda v: s % (v,))(f)
            fn.printf = f
        elif callable(f):
            fn = f
        else:
            raise TypeError(f"{fname}: format for key {key} must be a string or a function, got {type(f).__name__}")
        out.append((key, fn))
    return out


def _render(fname: str, key: str, fn: Callable, value: Any) -> str:
    try:
        s = fn(value)
    except (TypeError, ValueError) as e:
        if not isinstance(getattr(fn, "printf", None), str):
            raise
        raise TypeError(f"{fname}: cannot format the value {value!r} of key {key} with {fn.printf!r}: {e}") from None
    if not isinstance(s, str):
        raise TypeError(f"{fname}: value for key {key} cannot be converted to string (format gave {type(s).__name__})")
    return s


def text(*args: Any, **kwargs: Any) -> Callable:
    """A viewer writing ``key value`` pairs (or formatted values) of ``keys``, joined by ``separator``.

    Keys whose value is None (or False) are left out of the line, as torchnet does with nil.

    Args (a first positional argument may be the file or the filename):
        file: an open file object (left open); or filename: the file to write.
        keys: the keys to write, in order.
        format: per key, a printf string (``"%10.5f"``) or a function value -> str; default
            ``"<key> <value>"`` with numbers written as Lua does (``%.14g``).
        separator: between the key strings; default ``" | "``.
        append: append to ``filename`` instead of emptying it first.
    """
    fname = "tnt.logview.text"
    a = parse(fname, ("file", "keys", "format", "separator", "append", "filename"), args, kwargs,
              defaults={"separator": " | ", "append": False}, required=("keys",))
    fmts = _formatters(fname, a["keys"], a["format"], lambda k, v: f"{k} {tostring(v)}")
    sep = a["separator"]
    if not isinstance(sep, str):
        raise TypeError(f"{fname}: separator must be a string, got {type(sep).__name__}")

    def view(out: _Output, log: Any) -> None:
        parts = []
        for key, fn in fmts:
            value = log.get(key)
            if value is not None and value is not False:
                parts.append(_render(fname, key, fn, value))
        out.write(sep.join(parts))

    out = _Output(fname, a["file"], a["filename"], bool(a["append"]))
    return _Viewer(f"{fname}(keys={list(a['keys'])}, output={out.name or a['file'] or 'stdout'})", out, view)


def json(*args: Any, **kwargs: Any) -> Callable:
    """A viewer writing one JSON object per call: ``{"key": "formatted value", ...}`` for every key.

    Values are written as strings (torchnet's format); unset keys show as ``"nil"``.

    Args (a first positional argument may be the file or the filename):
        file: an open file object (left open); or filename: the file to write.
        keys: the keys to write, in order.
        format: per key, a printf string or a function value -> str; default Lua's ``tostring``.
        append: append to ``filename`` instead of emptying it first.
    """
    fname = "tnt.logview.json"
    a = parse(fname, ("file", "keys", "format", "append", "filename"), args, kwargs,
              defaults={"append": False}, required=("keys",))
    fmts = _formatters(fname, a["keys"], a["format"], lambda k, v: tostring(v))

    def view(out: _Output, log: Any) -> None:
        # json.dumps of each string: torchnet's output for plain text, and valid JSON when it has quotes
        parts = [f"{_json.dumps(key, ensure_ascii=False)}: "
                 f"{_json.dumps(_render(fname, key, fn, log.get(key)), ensure_ascii=False)}"
                 for key, fn in fmts]
        out.write("{" + ", ".join(parts) + "}")

    out = _Output(fname, a["file"], a["filename"], bool(a["append"]))
    return _Viewer(f"{fname}(keys={list(a['keys'])}, output={out.name or a['file'] or 'stdout'})", out, view)


def status(*args: Any, **kwargs: Any) -> Callable:
    """A viewer (for ``onSet``) writing each ``__status__`` message on its own line; other keys are ignored.

    Args (a first positional argument may be the file or the filename):
        file: an open file object (left open); or filename: the file to write.
        append: append to ``filename`` instead of emptying it first.
    """
    fname = "tnt.logview.status"
    a = parse(fname, ("file", "append", "filename"), args, kwargs, defaults={"append": False})

    def view(out: _Output, log: Any, key: str, value: Any) -> None:
        if key == "__status__":
            out.write(tostring(value))

    out = _Output(fname, a["file"], a["filename"], bool(a["append"]))
    return _Viewer(f"{fname}(output={out.name or a['file'] or 'stdout'})", out, view)

