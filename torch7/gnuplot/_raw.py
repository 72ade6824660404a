"""The subset of gnuplot commands that gnuplot.raw understands, turned into figure settings.

There is no gnuplot process behind torch7.gnuplot, so raw commands are read here; anything outside
the subset below raises NotImplementedError naming it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace

from ._state import Settings

SUPPORTED = ("set/unset title|xlabel|ylabel|zlabel \"text\"; set/unset grid; set/unset logscale [x|y|z|xy...]; "
             "set xrange|yrange|zrange [a:b] (a or b may be empty or *); set autoscale [x|y|z]; "
             "set key [left|right|center] [top|bottom|middle] | on | off; unset key; "
             "set size ratio -1 | square | noratio | nosquare; set xtics (\"label\" pos, ...) | auto; "
             "replot; refresh")

_RANGE = re.compile(r"^\[\s*([^:\]]*)\s*:\s*([^\]]*)\s*\]((?:\s+(?:noreverse|nowriteback))*)\s*$")
_TIC = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)')\s+([-+0-9.eE]+)\s*""")


def split_commands(text: str) -> list[str]:
    """Commands of ``text``, split on newlines and on ';' outside quotes, without comments."""
    out, cur, quote = [], [], None
    for ch in text + "\n":
        if quote:
            cur.append(ch)
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
            cur.append(ch)
        elif ch in ";\n":
            cmd = "".join(cur).strip()
            if cmd and not cmd.startswith("#"):
                out.append(cmd)
            cur = []
        else:
            cur.append(ch)
    return out


def _unsupported(cmd: str) -> NotImplementedError:
    return NotImplementedError(f"gnuplot.raw: {cmd!r} is not supported (no gnuplot process: plots are drawn "
                               f"with matplotlib); supported commands: {SUPPORTED}")


def _bound(text: str):
    text = text.strip()
    if text in ("", "*"):
        return None
    return float(text)


def _axes(words: list[str], cmd: str) -> frozenset:
    letters = "".join(words) or "xyz"
    if not set(letters) <= set("xyz"):
        raise _unsupported(cmd)
    return frozenset(letters)


def apply(cmd: str, s: Settings) -> tuple[Settings, bool]:
    """The settings after gnuplot command ``cmd``, and whether the command asks for a redraw."""
    words = cmd.split()
    verb, what, rest = words[0], (words[1] if len(words) > 1 else ""), cmd.split(None, 2)[2:]
    rest = rest[0] if rest else ""
    if verb in ("replot", "refresh") and len(words) == 1:
        return s, True
    if verb not in ("set", "unset"):
        raise _unsupported(cmd)
    on = verb == "set"
    if what in ("title", "xlabel", "ylabel", "zlabel"):
        parts = shlex.split(rest) if on else []
        if len(parts) > 1 or (not on and rest):
            raise _unsupported(cmd)
        return replace(s, **{what: parts[0] if parts else None}), False
    if what == "grid" and not rest:
        return replace(s, grid=on), False
    if what in ("logscale", "log"):
        axes = _axes([w for w in rest.split() if not re.fullmatch(r"[0-9.]+", w)], cmd)
        return replace(s, logscale=(s.logscale | axes) if on else (s.logscale - axes)), False
    if on and what in ("xrange", "yrange", "zrange"):
        m = _RANGE.match(rest)
        if not m:
            raise _unsupported(cmd)
        try:
            rng = (_bound(m.group(1)), _bound(m.group(2)))
        except ValueError:
            raise _unsupported(cmd) from None
        return replace(s, **{what: rng}), False
    if on and what == "autoscale":
        axes = _axes(rest.split(), cmd)
        return replace(s, **{f"{a}range": (None, None) for a in axes}), False
    if what == "key":
        return _key(on, rest.split(), s, cmd), False
    if on and what == "size" and rest in ("ratio -1", "square", "noratio", "nosquare"):
        return replace(s, equal=rest in ("ratio -1", "square")), False
    if on and what == "xtics":
        return replace(s, xtics=_tics(rest, cmd)), False
    raise _unsupported(cmd)


def _key(on: bool, words: list[str], s: Settings, cmd: str) -> Settings:
    if not on:
        if words:
            raise _unsupported(cmd)
        return replace(s, key_on=False)
    if words in (["off"], ["on"]):
        return replace(s, key_on=words[0] == "on")
    h, v = s.key
    for w in words:
        if w in ("left", "right", "center"):
            h = w
        elif w in ("top", "bottom", "middle"):
            v = w
        else:
            raise _unsupported(cmd)
    return replace(s, key=(h, v), key_on=True)


def _tics(rest: str, cmd: str):
    rest = rest.strip()
    if rest == "auto":
        return None
    if not (rest.startswith("(") and rest.endswith(")")):
        raise _unsupported(cmd)
    tics = []
    for item in rest[1:-1].split(","):
        m = _TIC.fullmatch(item)
        if not m:
            raise _unsupported(cmd)
        tics.append((m.group(1) if m.group(1) is not None else m.group(2), float(m.group(3))))
    return tics
