"""Plot formats of Lua's gnuplot mapped to matplotlib, and the colours of Torch's gnuplot style.

Lua's gnuplot sent every figure a style of its own (unless ``~/.gnuplot`` existed): line style
``i`` has a colour from a blue/green/red/brown palette, line width 2, and a point type (filled
circles for the first four series), and ``set style data linespoints`` makes lines with points
the default.  The table below holds those colours and point types; series ``i`` (0-based) uses
entry ``i % 17``.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

# (colour, gnuplot point type) of Torch's line styles 1..17.
LINE_STYLES = [
    ("#1D4599", 7), ("#11AD34", 7), ("#E62B17", 7), ("#E69F17", 7),
    ("#7297E6", 5), ("#67EB84", 5), ("#F97A6D", 5), ("#F9C96D", 5),
    ("#2F3F60", 9), ("#2F6C3D", 9), ("#8F463F", 9), ("#8F743F", 9),
    ("#031A49", 13), ("#025214", 13), ("#6D0D03", 13), ("#6D4903", 13),
    ("#224499", 11),
]
LINE_WIDTH = 2.0
MARKER_SIZE = 5.0
# gnuplot point types -> matplotlib markers (filled ones drawn filled, open ones hollow).
_POINT_TYPES = {0: ("", True), 1: ("+", True), 2: ("x", True), 3: ((6, 2, 0), True), 4: ("s", False),
                5: ("s", True), 6: ("o", False), 7: ("o", True), 8: ("^", False), 9: ("^", True),
                10: ("v", False), 11: ("v", True), 12: ("D", False), 13: ("D", True)}

# The short formats of gnuplot.plot and their long names, as Lua's gnuplot read them.
_SHORT = {"": "linespoints", "+": "points", "points": "points", ".": "dots", "dots": "dots",
          "-": "lines", "lines": "lines", "+-": "linespoints", "linespoints": "linespoints",
          "|": "boxes", "boxes": "boxes", "~": "csplines", "csplines": "csplines",
          "v": "vectors", "V": "vectors", "vectors": "vectors"}
# gnuplot's 'with' styles (and the abbreviations gnuplot accepts) that are drawn here.
_WITH = {"l": "lines", "lines": "lines", "p": "points", "points": "points", "lp": "linespoints",
         "linespoints": "linespoints", "d": "dots", "dots": "dots", "boxes": "boxes", "i": "impulses",
         "impulses": "impulses", "steps": "steps", "vec": "vectors", "vectors": "vectors",
         "filledcurves": "filledcurves"}
_ACCEPTED = ("'.', '+', '-', '+-', '~', '|', 'v', or a gnuplot string 'with <style> [options]' / "
             "'smooth csplines' with style " + ", ".join(sorted(set(_WITH.values()))))


@dataclass
class Style:
    """How one series is drawn: the gnuplot style name and matplotlib keyword values."""

    kind: str
    color: str
    linewidth: float = LINE_WIDTH
    marker: object = "o"
    filled: bool = True
    markersize: float = MARKER_SIZE
    alpha: float | None = None
    title: str | None = None  # a 'title "..."' given in a raw format replaces the legend


def _line_style(n: int) -> tuple[str, object, bool]:
    color, pt = LINE_STYLES[n % len(LINE_STYLES)]
    marker, filled = _POINT_TYPES[pt]
    return color, marker, filled


def _float(tokens: list[str], i: int, fmt: str) -> float:
    try:
        return float(tokens[i + 1])
    except (IndexError, ValueError):
        raise ValueError(f"gnuplot.plot: format {fmt!r}: '{tokens[i]}' needs a number") from None


def _option(style: Style, tokens: list[str], i: int, fmt: str) -> int:
    """Apply the gnuplot option at ``tokens[i]`` to ``style``; return how many tokens it used."""
    t = tokens[i].lower()
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if t in ("with", "w") and nxt.lower() in _WITH:
        style.kind = _WITH[nxt.lower()]
    elif t == "smooth" and nxt.lower() == "csplines":
        style.kind = "csplines"
    elif t in ("ls", "linestyle", "lt", "linetype") and nxt.isdigit():
        style.color, style.marker, style.filled = _line_style(int(nxt) - 1)
    elif t in ("lw", "linewidth"):
        style.linewidth = _float(tokens, i, fmt)
    elif t in ("ps", "pointsize"):
        style.markersize = MARKER_SIZE * _float(tokens, i, fmt)
    elif t in ("pt", "pointtype") and nxt.isdigit():
        style.marker, style.filled = _POINT_TYPES.get(int(nxt) % 14, ("o", True))
    elif t in ("lc", "linecolor") and nxt.lower() in ("rgb", "rgbcolor") and i + 2 < len(tokens):
        style.color = tokens[i + 2]
        return 3
    elif t == "solid" and re.fullmatch(r"[0-9.]+", nxt):
        style.alpha = _float(tokens, i, fmt)
    elif t in ("title", "t") and nxt:
        style.title = nxt
    elif t == "notitle":
        style.title = ""
        return 1
    elif t in ("fill", "fs", "transparent", "solid", "border", "noborder", "closed"):
        return 1
    else:
        raise ValueError(f"gnuplot.plot: format {fmt!r} is not understood (at {tokens[i]!r}); "
                         f"accepted: {_ACCEPTED}")
    return 2


def parse_format(fmt: str, index: int) -> Style:
    """The Style for format string ``fmt`` of series ``index`` (0-based; picks the colour).

    Raises ValueError naming the accepted formats, NotImplementedError for gnuplot's smoothing
    with weights (``'~ COEF'``, ``acsplines``), which is not drawn here.
    """
    if not isinstance(fmt, str):
        raise TypeError(f"gnuplot.plot: the format must be a string, got {type(fmt).__name__}")
    color, marker, filled = _line_style(index)
    f = fmt.strip()
    if "acsplines" in f or (f != "~" and f.startswith("~")):
        raise NotImplementedError(f"gnuplot.plot: format {fmt!r}: weighted smoothing splines (acsplines) "
                                  "are not implemented; use '~' (csplines)")
    if f in _SHORT:
        return Style(_SHORT[f], color, marker=marker, filled=filled)
    try:
        tokens = shlex.split(f)
    except ValueError:
        tokens = f.split()
    style = Style("", color, marker=marker, filled=filled)
    i = 0
    while i < len(tokens):
        i += _option(style, tokens, i, fmt)
    if not style.kind:
        raise ValueError(f"gnuplot.plot: format {fmt!r} names no plot style; accepted: {_ACCEPTED}")
    return style
