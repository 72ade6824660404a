"""The figure table of torch7.gnuplot: one record per figure id, the current figure, and redraws.

Lua's gnuplot kept one gnuplot process per figure; every ``set ...`` it was sent stayed in force
and every plot command replaced the previous plot.  Here each figure keeps the same two things:
its settings (title, labels, ranges, ...) and the last plot, and a refresh draws the plot again
with the settings, into the figure's file (file terminals) or its window (screen terminal).
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass, field

from . import _mpl

# Terminal names Lua's gnuplot looked for, all drawn in a pyplot window here; 'dumb' (gnuplot's
# text terminal) keeps figures off screen.
SCREEN_TERMS = ("wxt", "qt", "x11", "aqua", "windows")
OFFSCREEN_TERM = "dumb"
# File terminals: the format matplotlib writes, and the size gnuplot's terminal used (inches at 100 dpi).
FILE_TERMS = {"png": ("png", (6.4, 4.8)), "svg": ("svg", (6.0, 4.8)), "pdf": ("pdf", (5.0, 3.0)),
              "eps": ("eps", (5.0, 3.5))}


@dataclass
class Settings:
    """What gnuplot's ``set`` commands had changed on one figure."""

    title: str | None = None
    xlabel: str | None = None
    ylabel: str | None = None
    zlabel: str | None = None
    grid: bool = False
    logscale: frozenset = frozenset()
    key: tuple[str, str] = ("right", "top")
    key_on: bool = True
    xrange: tuple = (None, None)
    yrange: tuple = (None, None)
    zrange: tuple = (None, None)
    equal: bool = False
    xtics: list | None = None


@dataclass
class Figure:
    """One gnuplot figure: its id, terminal, output file, settings and last plot."""

    number: int
    term: str
    fname: str | None = None
    settings: Settings = field(default_factory=Settings)
    content: object = None  # an object with draw(fig, settings) -> (axes, has_legend)


class _Table:
    """All figures by id, the current id, and the default terminal."""

    def __init__(self) -> None:
        self.figures: dict[int, Figure] = {}
        self.current: int | None = None
        self.defaultterm: str | None = None
        self.exe: str | None = None

    def next_id(self) -> int:
        n = 1
        while n in self.figures:
            n += 1
        return n

    def get(self, n: int | None = None) -> Figure:
        """Select figure ``n`` (a new id when None), creating it on first use, as getfigure did."""
        if n is None:
            n = self.next_id()
        if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
            raise ValueError(f"gnuplot.figure: figure ids are integers >= 1, got {n!r}")
        n = int(n)
        if n not in self.figures:
            self.figures[n] = Figure(n, self.term())
        self.current = n
        return self.figures[n]

    def term(self) -> str:
        if self.defaultterm is not None:
            return self.defaultterm
        return "screen" if _mpl.screen_available() else OFFSCREEN_TERM

    def current_figure(self) -> Figure:
        """The current figure; a new one when there is none (Lua's getCurrentPlot)."""
        if self.current is None or self.current not in self.figures:
            return self.get(None)
        return self.figures[self.current]


TABLE = _Table()


def render(f: Figure, fig) -> None:
    """Draw ``f``'s last plot with its settings into the matplotlib figure ``fig``."""
    from ._settings import apply

    fig.clf()
    ax, has_legend = f.content.draw(fig, f.settings)
    apply(ax, f.settings, has_legend)


def save(f: Figure, fname: str, fmt: str, size: tuple[float, float]) -> None:
    """Render ``f`` off screen and write it to ``fname`` in format ``fmt``."""
    if f.content is None:
        raise RuntimeError(f"gnuplot: figure {f.number} has nothing plotted yet; plot before writing {fname!r}")
    fig = _mpl.offscreen_figure(*size)
    render(f, fig)
    fig.savefig(fname, format=fmt, dpi=100)


def refresh(f: Figure) -> None:
    """Redraw ``f`` where its terminal draws: its file, or its window (gnuplot's ``refresh``)."""
    if f.content is None:
        return
    if f.fname is not None:
        fmt, size = FILE_TERMS[f.term]
        save(f, f.fname, fmt, size)
    elif f.term == "screen":
        fig = _mpl.screen_figure(f.number)
        render(f, fig)
        _mpl.show(fig)


def refresh_current() -> None:
    refresh(TABLE.current_figure())


def check_dir(fname: str, fn: str) -> None:
    """Raise when the directory of ``fname`` does not exist (Lua's gnuplot checked this too)."""
    if not isinstance(fname, (str, os.PathLike)):
        raise TypeError(f"gnuplot.{fn}: expected a file name, got {type(fname).__name__}")
    d = os.path.dirname(os.path.abspath(os.fspath(fname)))
    if not os.path.isdir(d):
        raise FileNotFoundError(f"gnuplot.{fn}: directory does not exist: {d!r}")
