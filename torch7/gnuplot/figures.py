"""Figures and their outputs: figure/close/closeall, file figures, figprint, plotflush, setterm, raw.

A figure is an integer id (the first is 1, as in Lua).  A screen figure is a pyplot window where
a display exists, and stays off screen otherwise; a file figure (pngfigure, ...) writes its file
whenever it is redrawn: after each plot, decoration, ``plotflush`` and ``close``.
"""

from __future__ import annotations

import os

from . import _raw, _state
from ._state import FILE_TERMS, OFFSCREEN_TERM, SCREEN_TERMS, TABLE


def setgnuplotexe(exe: str) -> None:
    """Accept the path of a gnuplot executable, as Lua did; it is not used (matplotlib draws).

    Raises FileNotFoundError when ``exe`` does not exist, as Lua's did.

    Example:
        >>> import sys
        >>> from torch7 import gnuplot
        >>> gnuplot.setgnuplotexe(sys.executable)
    """
    if not os.path.isfile(exe):
        raise FileNotFoundError(f"gnuplot.setgnuplotexe: {exe} does not exist")
    TABLE.exe = exe


def setterm(term: str) -> None:
    """Choose the terminal of figures created from now on.

    Args:
        term: a gnuplot window terminal (``'wxt'``, ``'qt'``, ``'x11'``, ``'aqua'``, ``'windows'``): a
            pyplot window (off screen when no display exists); or ``'dumb'``: no window at all
            (write figures with pngfigure/figprint). File terminals are chosen with pngfigure & co.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.setterm('dumb')
        >>> gnuplot.closeall()
    """
    if term in SCREEN_TERMS:
        TABLE.defaultterm = "screen"
    elif term == OFFSCREEN_TERM:
        TABLE.defaultterm = OFFSCREEN_TERM
    else:
        raise ValueError(f"gnuplot.setterm: gnuplot does not seem to have this term: {term!r} "
                         f"(accepted: {', '.join(SCREEN_TERMS + (OFFSCREEN_TERM,))}; for files use "
                         "pngfigure, svgfigure, pdffigure or epsfigure)")


def figure(n: int | None = None, config: dict | None = None) -> int:
    """Select figure ``n``, creating it when new; without ``n``, a new figure with the next free id.

    Args:
        n: the figure id (an integer >= 1).
        config: Lua's options table; ``{'noraise': True}`` is accepted (windows are not raised here).

    Returns:
        the id of the selected figure.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.figure(), gnuplot.figure(), gnuplot.figure(1)
        (1, 2, 1)
        >>> gnuplot.closeall()
    """
    return TABLE.get(n).number


def _filefigure(fname: str, term: str, n: int | None, fn: str) -> int:
    _state.check_dir(fname, fn)
    f = TABLE.get(n)
    f.fname, f.term = os.fspath(fname), term
    _state.refresh(f)
    return f.number


def pngfigure(fname: str, n: int | None = None) -> int:
    """Make figure ``n`` (a new one by default) draw into the PNG file ``fname`` (640x480); return its id.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> from torch7 import gnuplot
        >>> path = os.path.join(tempfile.mkdtemp(), 'sin.png')
        >>> _ = gnuplot.pngfigure(path)
        >>> gnuplot.plot('sin', torch.sin(torch.linspace(-5, 5, 100)))
        >>> gnuplot.plotflush()
        >>> os.path.getsize(path) > 0
        True
        >>> gnuplot.closeall()
    """
    return _filefigure(fname, "png", n, "pngfigure")


def svgfigure(fname: str, n: int | None = None) -> int:
    """Like :func:`pngfigure`, for an SVG file.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> from torch7 import gnuplot
        >>> path = os.path.join(tempfile.mkdtemp(), 'fig.svg')
        >>> gnuplot.svgfigure(path)
        1
        >>> gnuplot.plot(torch.Tensor([1, 3, 2]))
        >>> gnuplot.close()
        >>> os.path.getsize(path) > 0
        True
    """
    return _filefigure(fname, "svg", n, "svgfigure")


def pdffigure(fname: str, n: int | None = None) -> int:
    """Like :func:`pngfigure`, for a PDF file.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> from torch7 import gnuplot
        >>> path = os.path.join(tempfile.mkdtemp(), 'fig.pdf')
        >>> gnuplot.pdffigure(path)
        1
        >>> gnuplot.plot(torch.Tensor([1, 3, 2]))
        >>> gnuplot.close()
        >>> os.path.getsize(path) > 0
        True
    """
    return _filefigure(fname, "pdf", n, "pdffigure")


def epsfigure(fname: str, n: int | None = None) -> int:
    """Like :func:`pngfigure`, for an encapsulated PostScript file.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> from torch7 import gnuplot
        >>> path = os.path.join(tempfile.mkdtemp(), 'fig.eps')
        >>> gnuplot.epsfigure(path)
        1
        >>> gnuplot.plot(torch.Tensor([1, 3, 2]))
        >>> gnuplot.close()
        >>> os.path.getsize(path) > 0
        True
    """
    return _filefigure(fname, "eps", n, "epsfigure")


def figprint(fname: str) -> None:
    """Write the current figure to ``fname``, in the format its extension names.

    ``.png`` (1024x768, as Lua's), ``.eps``, ``.pdf`` and ``.svg`` (not in Lua) are accepted.

    Example:
        >>> import os, tempfile, torch7 as torch
        >>> from torch7 import gnuplot
        >>> gnuplot.plot(torch.Tensor([1, 3, 2]))
        >>> path = os.path.join(tempfile.mkdtemp(), 'fig.pdf')
        >>> gnuplot.figprint(path)
        >>> open(path, 'rb').read(4)
        b'%PDF'
        >>> gnuplot.closeall()
    """
    _state.check_dir(fname, "figprint")
    ext = os.path.splitext(os.fspath(fname))[1].lower().lstrip(".")
    if ext not in FILE_TERMS:
        raise ValueError(f"gnuplot.figprint: only eps, png, pdf and svg files are supported, got {fname!r}")
    size = (10.24, 7.68) if ext == "png" else FILE_TERMS[ext][1]
    _state.save(TABLE.current_figure(), os.fspath(fname), FILE_TERMS[ext][0], size)


def plotflush(n: int | None = None) -> None:
    """Redraw figure ``n`` (the current one by default): write its file, or update its window.

    Prints ``no figure n`` when there is no such figure, as Lua did.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.plotflush(7)
        no figure 7
    """
    n = TABLE.current if n is None else n
    if n is None or n not in TABLE.figures:
        print(f"no figure {n if n is not None else 'nil'}")
        return
    _state.refresh(TABLE.figures[n])


def close(n: int | None = None) -> None:
    """Flush and close figure ``n`` (the current one by default); afterwards no figure is current.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.figure(3)
        3
        >>> gnuplot.close(3)
        >>> gnuplot.figure()
        1
        >>> gnuplot.closeall()
    """
    n = TABLE.current if n is None else n
    f = TABLE.figures.get(n)
    if f is None:
        return
    TABLE.current = None
    _state.refresh(f)
    del TABLE.figures[n]
    if f.term == "screen":
        from ._mpl import close_screen_figure

        close_screen_figure(n)


def closeall() -> None:
    """Close every figure, and forget the terminal chosen with setterm (as Lua's closeall did).

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.figure(), gnuplot.figure()
        (1, 2)
        >>> gnuplot.closeall()
        >>> gnuplot.figure()
        1
        >>> gnuplot.closeall()
    """
    for n in list(TABLE.figures):
        close(n)
    TABLE.current = None
    TABLE.defaultterm = None


def raw(cmd: str) -> None:
    """Apply a gnuplot command to the current figure (a supported subset; no gnuplot process runs).

    Supported: ``set/unset title|xlabel|ylabel|zlabel "text"``, ``set/unset grid``,
    ``set/unset logscale [x|y|z...]``, ``set xrange|yrange|zrange [a:b]`` (``a``/``b`` may be empty or
    ``*``), ``set autoscale``, ``set key <left|right|center> <top|bottom|middle>``, ``set key on|off``,
    ``unset key``, ``set size ratio -1|square|noratio|nosquare``, ``set xtics ("label" pos, ...)|auto``,
    ``replot``/``refresh``; several commands may be separated by ``;`` or newlines. Settings take
    effect at the next redraw (plot, decoration, plotflush, replot), as in gnuplot.

    Raises:
        NotImplementedError for any other command, naming it.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.raw('set xrange [0:10]; set title "loss"')
        >>> gnuplot.raw('set palette rgbformulae 33,13,10')  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        NotImplementedError: gnuplot.raw: 'set palette rgbformulae 33,13,10' is not supported ...
        >>> gnuplot.closeall()
    """
    if not isinstance(cmd, str):
        raise TypeError(f"gnuplot.raw: expected a string, got {type(cmd).__name__}")
    f = TABLE.current_figure()
    settings, redraw = f.settings, False
    for c in _raw.split_commands(cmd):
        settings, again = _raw.apply(c, settings)
        redraw = redraw or again
    f.settings = settings
    if redraw:
        _state.refresh(f)
