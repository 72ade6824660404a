"""argcheck-style argument parsing shared by the tnt constructors and methods.

torchnet declared every constructor with ``argcheck``, so Lua code calls them either with a
named table, ``tnt.ListDataset{list = l, load = f}``, or positionally. The Python forms are
keyword arguments, positional arguments in the declared order, or one ``dict`` standing in for
the Lua table.

Example:
    >>> from torch7.tnt._args import parse
    >>> parse("tnt.X", ("a", "b"), ({"a": 1},), {}, defaults={"b": 2})
    {'a': 1, 'b': 2}
    >>> parse("tnt.X", ("a", "b"), (1,), {"b": 3})
    {'a': 1, 'b': 3}
"""

from __future__ import annotations

from typing import Any

_MISSING = object()


def parse(fname: str, names: tuple[str, ...], args: tuple, kwargs: dict[str, Any],
          defaults: dict[str, Any] | None = None, required: tuple[str, ...] = (),
          dict_first: bool = False) -> dict[str, Any]:
    """Bind ``args``/``kwargs`` to ``names`` the way argcheck binds a call.

    Args:
        fname: the name shown in errors, e.g. ``"tnt.ListDataset"``.
        names: the declared argument names, in positional order.
        args, kwargs: the call's arguments; a single ``dict`` positional argument with no keywords
            is read as the named table of a Lua call.
        defaults: values of the arguments that may be left out (left-out names without one are None).
        required: names that must be given.
        dict_first: the first argument may itself be a dict (then a lone dict is that argument,
            not a named table).

    Returns:
        a dict with every name of ``names``.
    """
    if len(args) == 1 and isinstance(args[0], dict) and not kwargs and not dict_first:
        kwargs, args = dict(args[0]), ()
    if len(args) > len(names):
        raise TypeError(f"{fname}: expected at most {len(names)} positional arguments ({', '.join(names)}), "
                        f"got {len(args)}")
    out: dict[str, Any] = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names:
            raise TypeError(f"{fname}: unknown argument '{k}' (expected {', '.join(names)})")
        if k in out:
            raise TypeError(f"{fname}: argument '{k}' given twice")
        out[k] = v
    defaults = defaults or {}
    for k in names:
        if k not in out:
            if k in required:
                raise TypeError(f"{fname}: missing argument '{k}'")
            out[k] = defaults.get(k)
    return out

