"""torch7.gnuplot: Lua's gnuplot package (``require 'gnuplot'``), drawn with matplotlib.

The 28 functions keep their Lua names and calling forms; matplotlib (the ``plot`` extra) is
imported on first drawing.  There is no gnuplot process: ``setgnuplotexe`` is accepted and unused,
``setterm`` picks a window or no window, and ``raw`` understands a subset of gnuplot commands.
Figures are numbered from 1 as in Lua; bin indices of ``histc`` tables are 0-based.

Example:
    >>> import os, tempfile, torch7 as torch
    >>> from torch7 import gnuplot
    >>> x = torch.linspace(-2 * 3.14159, 2 * 3.14159, 100)
    >>> path = os.path.join(tempfile.mkdtemp(), 'sincos.png')
    >>> _ = gnuplot.pngfigure(path)
    >>> gnuplot.plot([['Cos', x, torch.cos(x), '~'], ['Sin', x, torch.sin(x), '|']])
    >>> gnuplot.title('waves')
    >>> gnuplot.plotflush()
    >>> gnuplot.close()
    >>> os.path.getsize(path) > 1000
    True
"""

from .axes import axis, grid, logscale, movelegend, title, xlabel, ylabel, zlabel
from .figures import (
    close,
    closeall,
    epsfigure,
    figprint,
    figure,
    pdffigure,
    plotflush,
    pngfigure,
    raw,
    setgnuplotexe,
    setterm,
    svgfigure,
)
from .hist import HistTable, hist, histc
from .plot import bar, imagesc, plot, scatter3, splot

__all__ = ["HistTable", "axis", "bar", "close", "closeall", "epsfigure", "figprint", "figure", "grid", "hist",
           "histc", "imagesc", "logscale", "movelegend", "pdffigure", "plot", "plotflush", "pngfigure", "raw",
           "scatter3", "setgnuplotexe", "setterm", "splot", "svgfigure", "title", "xlabel", "ylabel", "zlabel"]
