"""xlua.print (a table printer) and xlua.table2string."""

from __future__ import annotations

import re
import sys

_IDENT = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")


def _tostring(v) -> str:
    """``v`` as Lua's ``tostring`` writes it: nil, true/false, numbers with %.14g; else ``str(v)``."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.14g}"
    return str(v)


def _items(obj):
    # Lists are tables with keys 0..n-1 here (0-based, like every index in torch7).
    return obj.items() if isinstance(obj, dict) else enumerate(obj)


def xprint(obj=None, *rest) -> None:
    """Print values to stdout, a table (dict, list, tuple) one ``[key] = value`` per line, as ``xlua.print``.

    Values longer than 40 characters are cut and followed by `` ... ``; newlines in them show as ``\\n``.
    Other objects print as ``str(obj)`` (tensors in Torch7's layout).  Several values are separated by
    four spaces.  List keys are 0-based (Torch7 showed 1-based table keys).

    Args:
        obj, *rest: the values to print.

    Example:
        >>> xprint({'lr': 0.001, 'name': 'model', 'cuda': False})
        {[lr] = 0.001,
         [name] = model,
         [cuda] = false}
        >>> xprint([1, 'a' * 50], 2.5)
        {[0] = 1,
         [1] = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ... }    2.5
    """
    out = sys.stdout
    if isinstance(obj, (dict, list, tuple)):
        lines = []
        for k, v in _items(obj):
            s = _tostring(v).replace("\n", "\\n")
            lines.append(f"[{_tostring(k)}] = " + (s[:40] + " ... " if len(s) > 40 else s))
        out.write("{" + ",\n ".join(lines) + "}")
    else:
        out.write(_tostring(obj))
    if rest:
        out.write("    ")
        xprint(*rest)
    else:
        out.write("\n")


def _val_to_str(v) -> str:
    if isinstance(v, str):
        v = v.replace("\n", "\\n")
        quotes = "".join(c for c in v if c in "'\"")
        if quotes and set(quotes) == {'"'}:  # only double quotes inside: wrap in single quotes
            return "'" + v + "'"
        return '"' + v.replace('"', '\\"') + '"'
    if isinstance(v, (dict, list, tuple)):
        return table2string(v)
    return _tostring(v)


def _key_to_str(k) -> str:
    if isinstance(k, str) and _IDENT.fullmatch(k):
        return k
    return "[" + _val_to_str(k) + "]"


def table2string(tbl, newline: bool = False) -> str:
    """A table as one line of Lua-like source (``xlua.table2string``): list items, then ``key=value``.

    Args:
        tbl: a dict, list or tuple (nested ones are written the same way).
        newline: one item per line, with `` : `` between key and value.

    Returns:
        the text.

    Example:
        >>> table2string({'lr': 0.1, 'layers': [128, 64], 'name': 'lstm'})
        '{lr=0.1,layers={128,64},name="lstm"}'
        >>> print(table2string({'a': 1, '2b': True}, newline=True))
        {
           a : 1
           ["2b"] : true
        }
    """
    if isinstance(tbl, dict):
        result = [_key_to_str(k) + (" : " if newline else "=") + _val_to_str(v) for k, v in tbl.items()]
    elif isinstance(tbl, (list, tuple)):
        result = [_val_to_str(v) for v in tbl]
    else:
        raise TypeError(f"xlua.table2string: expects a dict, list or tuple, got {type(tbl).__name__}")
    if newline:
        return "{\n   " + "\n   ".join(result) + "\n}"
    return "{" + ",".join(result) + "}"
