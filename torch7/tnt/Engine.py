"""tnt.Engine: the base of the training engines, and the table of hooks they call."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ._args import parse


class _UnknownHook(AttributeError, KeyError):
    """Raised for a hook name the engine does not know; both an AttributeError and a KeyError so that
    ``engine.hooks.x`` and ``engine.hooks["x"]`` fail the way Python code expects."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def _noop(*args: Any) -> None:
    return None


class _Hooks:
    """The engine's hooks: one function per name, read and replaced as attributes or items.

    ``hooks.onForward = fn`` and ``hooks["onForward"] = fn`` replace a hook (``None`` puts the no-op
    back); ``hooks("onForward", state)`` calls it. Any name not given to the engine raises.
    """

    __slots__ = ("_owner", "_fns")

    def __init__(self, owner: str, names: Iterable[str]) -> None:
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_fns", {name: _noop for name in names})

    def _unknown(self, name: Any) -> _UnknownHook:
        return _UnknownHook(f"{self._owner}: unknown hook <{name}> (valid hooks: {', '.join(self._fns)})")

    def _check(self, name: Any) -> str:
        if not isinstance(name, str):
            raise TypeError(f"{self._owner}: a hook name must be a string, got {type(name).__name__}")
        if name not in self._fns:
            raise self._unknown(name)
        return name

    def __getattr__(self, name: str) -> Callable:
        if name.startswith("_"):  # copy/pickle probes and unset slots: plain attribute semantics
            raise AttributeError(name)
        return self._fns[self._check(name)]

    def __getstate__(self) -> tuple[str, dict]:
        return self._owner, dict(self._fns)

    def __setstate__(self, st: tuple[str, dict]) -> None:
        object.__setattr__(self, "_owner", st[0])
        object.__setattr__(self, "_fns", dict(st[1]))

    def __setattr__(self, name: str, fn: Callable | None) -> None:
        name = self._check(name)
        if fn is None:
            fn = _noop
        elif not callable(fn):
            raise TypeError(f"{self._owner}: hook <{name}> must be a function, got {type(fn).__name__}")
        self._fns[name] = fn

    __getitem__ = __getattr__
    __setitem__ = __setattr__

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)

    __delitem__ = __delattr__

    def __call__(self, name: str, *args: Any) -> Any:
        return self._fns[self._check(name)](*args)

    def __contains__(self, name: object) -> bool:
        return name in self._fns

    def __iter__(self):
        return iter(self._fns)

    def __len__(self) -> int:
        return len(self._fns)

    def __dir__(self) -> list[str]:
        return list(self._fns)

    def __repr__(self) -> str:
        return f"{self._owner}.hooks({', '.join(self._fns)})"


class Engine:
    """The boilerplate of training and testing a model, with hooks called at chosen events.

    A subclass declares its hook names and implements ``train`` and ``test``, calling
    ``self.hooks(name, state)`` at each event; users replace hooks to observe or steer the loop
    (update a meter, change the learning rate, stop early by setting ``state["maxepoch"]``).

    Args:
        hookNames: the hook names (strings) this engine calls; each starts as a no-op.

    Example:
        >>> from torch7 import tnt
        >>> engine = tnt.Engine(["onStart", "onEnd"])
        >>> engine.hooks.onStart = lambda state: state.append("started")
        >>> state = []
        >>> engine.hooks("onStart", state), engine.hooks("onEnd", state), state
        (None, None, ['started'])
        >>> engine.hooks.onStep
        Traceback (most recent call last):
        ...
        torch7.tnt.Engine._UnknownHook: tnt.Engine: unknown hook <onStep> (valid hooks: onStart, onEnd)
    """

    _typename = "tnt.Engine"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        a = parse(self._typename, ("hookNames",), args, kwargs, required=("hookNames",))
        names = a["hookNames"]
        if isinstance(names, str) or not isinstance(names, Iterable):
            raise TypeError(f"{self._typename}: hookNames must be a list of hook names (strings), "
                            f"got {type(names).__name__}")
        names = list(names)
        for name in names:
            if not isinstance(name, str):
                raise TypeError(f"{self._typename}: hookNames must be a list of hook names (strings), "
                                f"got an element of type {type(name).__name__}")
        self.hooks = _Hooks(self._typename, names)

    def train(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"{self._typename}: an engine must implement train()")

    def test(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"{self._typename}: an engine must implement test()")

    def __repr__(self) -> str:
        return f"{self._typename}(hooks: {', '.join(self.hooks)})"
