"""Decorations of the current figure: labels, title, grid, log axes, axis ranges, legend position.

Like gnuplot's ``set`` commands they stay in force for later plots in the same figure, and each
call redraws the figure (its file, for file figures).
"""

from __future__ import annotations

import numbers
from dataclasses import replace

from . import _state


def _set(**changes) -> None:
    f = _state.TABLE.current_figure()
    f.settings = replace(f.settings, **changes)
    _state.refresh(f)


def _text(label, fn: str) -> str:
    if not isinstance(label, str):
        raise TypeError(f"gnuplot.{fn}: expected a string, got {type(label).__name__}")
    return label


def xlabel(label: str) -> None:
    """Set the label of the x axis.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.xlabel('time (s)')
        >>> gnuplot.closeall()
    """
    _set(xlabel=_text(label, "xlabel"))


def ylabel(label: str) -> None:
    """Set the label of the y axis (see :func:`xlabel`).

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.ylabel('loss')
        >>> gnuplot.closeall()
    """
    _set(ylabel=_text(label, "ylabel"))


def zlabel(label: str) -> None:
    """Set the label of the z axis of 3-D plots (see :func:`xlabel`).

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.zlabel('height')
        >>> gnuplot.closeall()
    """
    _set(zlabel=_text(label, "zlabel"))


def title(label: str) -> None:
    """Set the title of the plot (see :func:`xlabel`).

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.title('training')
        >>> gnuplot.closeall()
    """
    _set(title=_text(label, "title"))


def grid(toggle: bool) -> None:
    """Show the grid when ``toggle`` is true, hide it otherwise.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.grid(True)
        >>> gnuplot.closeall()
    """
    _set(grid=bool(toggle))


def logscale(toggle: bool) -> None:
    """Use logarithmic x and y axes (and z in 3-D plots) when ``toggle`` is true, linear ones otherwise.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.logscale(True)
        >>> gnuplot.closeall()
    """
    _set(logscale=frozenset("xyz") if toggle else frozenset())


_HLOCS = ("left", "right", "center")
_VLOCS = ("bottom", "top", "middle")


def movelegend(hloc: str, vloc: str) -> None:
    """Move the legend (gnuplot's key) to ``hloc`` in {left, right, center}, ``vloc`` in {bottom, top, middle}.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.movelegend('left', 'bottom')
        >>> gnuplot.closeall()
    """
    if hloc not in _HLOCS or vloc not in _VLOCS:
        raise ValueError(f"gnuplot.movelegend: unknown location ({hloc!r}, {vloc!r}): expects two strings "
                         "{left|right|center} {bottom|top|middle}")
    _set(key=(hloc, vloc))


def _bound(v, fn: str):
    if v == "" or v is None:
        return None  # Lua's '' keeps the current (automatic) bound
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return float(v)
    raise TypeError(f"gnuplot.{fn}: axis limits are numbers or '' (keep), got {v!r}")


def axis(spec) -> None:
    """Set the axes of the current figure.

    Args:
        spec: ``'auto'`` (ranges fitted to the data, free aspect ratio), ``'image'`` or ``'equal'``
            (one unit is as long on both axes), ``'fill'`` (free aspect ratio), or
            ``[xmin, xmax, ymin, ymax]`` where ``''`` keeps a bound automatic.

    Example:
        >>> from torch7 import gnuplot
        >>> gnuplot.axis([0, 13, 0, ''])
        >>> gnuplot.axis('equal')
        >>> gnuplot.closeall()
    """
    if isinstance(spec, str):
        if spec == "auto":
            _set(xrange=(None, None), yrange=(None, None), zrange=(None, None), equal=False)
        elif spec in ("image", "equal"):
            _set(equal=True)
        elif spec == "fill":
            _set(equal=False)
        else:
            raise ValueError(f"gnuplot.axis: unknown axis {spec!r}; use 'auto', 'image', 'equal', 'fill' "
                             "or [xmin, xmax, ymin, ymax]")
        return
    if not isinstance(spec, (list, tuple)) or len(spec) != 4:
        raise ValueError(f"gnuplot.axis: axis should have 4 components [xmin, xmax, ymin, ymax], got {spec!r}")
    b = [_bound(v, "axis") for v in spec]
    _set(xrange=(b[0], b[1]), yrange=(b[2], b[3]))
