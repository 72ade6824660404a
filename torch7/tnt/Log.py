"""tnt.Log: a store of named values with viewer closures called on set, get, flush and close."""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from typing import Any

from .._core.cmdline_values import tostring
from ._args import parse

_EVENTS = ("onClose", "onFlush", "onGet", "onSet")
_STATUS = "__status__"


class _UnknownKey(KeyError):
    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class Log:
    """Values under the keys given at construction, plus ``__status__``, with closures per event.

    Closures (e.g. the viewers of ``tnt.logview``) are called as ``onSet(log, key, value)`` by ``set``
    (before the value is stored), ``onGet(log, key)`` by ``get``, ``onFlush(log)`` by ``flush``
    (before the values are emptied) and ``onClose(log)`` by ``close``. ``close`` then also closes
    every attached closure that has a ``close()`` method (the files a viewer opened) and detaches
    all closures.

    Args:
        keys: the allowed keys (strings).
        onClose, onFlush, onGet, onSet: lists of closures attached to that event, in call order.

    Example:
        >>> from torch7 import tnt
        >>> seen = []
        >>> log = tnt.Log(["loss", "acc"], onFlush=[lambda log: seen.append(log.get("loss"))])
        >>> log.set({"loss": 0.25, "acc": 97})
        >>> log.set(loss=0.125)
        >>> log.get("acc"), log.flush(), seen, log.get("loss")
        (97, None, [0.125], None)
        >>> log.set({"lr": 1})
        Traceback (most recent call last):
        ...
        torch7.tnt.Log._UnknownKey: tnt.Log.set: unknown key <lr> (keys: loss, acc, __status__)
    """

    _typename = "tnt.Log"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("keys",) + _EVENTS, args, kwargs, required=("keys",))
        keys = a["keys"]
        if isinstance(keys, str) or not isinstance(keys, (list, tuple, set, frozenset, dict)):
            raise TypeError(f"{self._typename}: keys must be a list of strings, got {type(keys).__name__}")
        for k in keys:
            if not isinstance(k, str):
                raise TypeError(f"{self._typename}: keys must be strings, got {k!r}")
        self._keys = list(dict.fromkeys([*keys, _STATUS]))  # ordered, without duplicates
        self._clear()
        for event in _EVENTS:
            if a[event] is not None:
                self.attach(event, a[event])

    def _clear(self) -> None:
        self._events: dict[str, list[Callable]] = {e: [] for e in _EVENTS}
        self._data: dict[str, Any] = {}

    def _check_key(self, fname: str, key: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(f"{self._typename}.{fname}: keys must be strings, got {key!r}")
        if key not in self._keys:
            raise _UnknownKey(f"{self._typename}.{fname}: unknown key <{key}> (keys: {', '.join(self._keys)})")

    def set(self, keys: dict[str, Any] | None = None, /, **kwargs: Any) -> None:
        """Store values: ``log.set({"loss": 0.1})`` or ``log.set(loss=0.1)``; onSet closures see each one first.

        Every key is checked before anything is stored, so a call with an unknown key changes nothing.
        """
        if keys is not None and not isinstance(keys, dict):
            raise TypeError(f"{self._typename}.set: expected a dict of key -> value, got {type(keys).__name__}")
        items = {**(keys or {}), **kwargs}
        for key in items:
            self._check_key("set", key)
        for key, value in items.items():
            for closure in list(self._events["onSet"]):
                closure(self, key, value)
            self._data[key] = value

    def get(self, key: str) -> Any:
        """The value stored under ``key`` (None when unset); onGet closures are called first."""
        self._check_key("get", key)
        for closure in list(self._events["onGet"]):
            closure(self, key)
        return self._data.get(key)

    def status(self, message: Any = None, time: bool = True) -> None:
        """Set ``__status__`` to ``"| <date> | message"`` (``"| message"`` with ``time=False``).

        The date is C's ``%c`` (Lua's ``os.date()``), e.g. ``Tue Mar  1 12:00:00 2016``.
        """
        prefix = "|"
        if time:
            prefix += " " + _time.strftime("%c") + " |"
        self.set({_STATUS: f"{prefix} {tostring(message)}"})

    def flush(self) -> None:
        """Call the onFlush closures, then empty the stored values."""
        for closure in list(self._events["onFlush"]):
            closure(self)
        self._data = {}

    def close(self) -> None:
        """Call the onClose closures, close the attached viewers' files, then detach everything."""
        for closure in list(self._events["onClose"]):
            closure(self)
        done: set[int] = set()
        for closures in self._events.values():
            for closure in closures:
                closer = getattr(closure, "close", None)
                if callable(closer) and id(closure) not in done:
                    done.add(id(closure))
                    closer()
        self._clear()

    def attach(self, event: str, closures: list[Callable] | Callable) -> None:
        """Append ``closures`` (a list of functions, or one function) to ``event``'s closures."""
        if event not in self._events:
            raise ValueError(f"{self._typename}.attach: unknown event <{event}> (events: {', '.join(_EVENTS)})")
        if callable(closures):
            closures = [closures]
        if isinstance(closures, (str, bytes)) or not hasattr(closures, "__iter__"):
            raise TypeError(f"{self._typename}.attach: {event} expects a list of functions, "
                            f"got {type(closures).__name__}")
        closures = list(closures)
        for c in closures:
            if not callable(c):
                raise TypeError(f"{self._typename}.attach: {event} expects a list of functions, "
                                f"got an element of type {type(c).__name__}")
        self._events[event].extend(closures)

    def keys(self) -> list[str]:
        """The allowed keys, ``__status__`` last."""
        return list(self._keys)

    def __repr__(self) -> str:
        return f"{self._typename}(keys: {', '.join(k for k in self._keys if k != _STATUS)})"
