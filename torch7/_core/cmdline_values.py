"""Values of torch.CmdLine options: Lua's ``tonumber``/``tostring`` and the kind of value an option holds.

Example:
    >>> from torch7._core.cmdline_values import convert, tostring
    >>> convert('1e3', 'number'), convert('0.5', 'number'), convert('x', 'number'), tostring(2e-3)
    (1000, 0.5, None, '0.002')
"""

from __future__ import annotations

import numbers

LUA_TYPES = ("number", "string", "boolean")
PY_KINDS = {bool: "boolean", int: "int", float: "float", str: "string"}


def strip(key: str) -> str:
    """An option or argument name without its leading dashes (``-rnn_size`` -> ``rnn_size``)."""
    return key.lstrip("-")


def tostring(v) -> str:
    """``v`` as Lua's ``tostring`` writes it: numbers with %.14g, true/false, nil."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        return f"{float(v):.14g}"
    return str(v)


def tonumber(s: str):
    """Lua's ``tonumber`` of a string (decimal, exponent, hex, inf/nan); None when it is not a number."""
    t = s.strip()
    if not t or "_" in t:  # Python's int/float accept 1_000, Lua does not
        return None
    try:
        return int(t, 10)
    except ValueError:
        pass
    if t.lower().lstrip("+-").startswith("0x"):
        try:
            return int(t, 16)
        except ValueError:
            return None
    try:
        return float(t)
    except ValueError:
        return None


def convert(s: str, kind: str):
    """The value of ``s`` for an option or argument of ``kind``; None when ``s`` does not fit."""
    if kind == "string":
        return s
    x = tonumber(s)
    if x is None:
        return None
    if kind == "float":
        return float(x)
    integral = isinstance(x, int) or (x == x and abs(x) != float("inf") and x == int(x))
    if kind == "int":
        return int(x) if integral else None
    return int(x) if integral else x  # "number": a Lua number, int when it is whole


def kind_of(default) -> tuple[str, str] | None:
    """(Lua type, value kind) of a default value, or None when Lua's CmdLine cannot parse it."""
    if isinstance(default, bool):
        return "boolean", "boolean"
    if isinstance(default, numbers.Integral):
        return "number", "number"
    if isinstance(default, numbers.Real):
        return "number", "float"
    if isinstance(default, str):
        return "string", "string"
    return None
