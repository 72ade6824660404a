"""gnuplot.plot, splot, scatter3, imagesc and bar: Lua gnuplot's plot commands, drawn with matplotlib.

Each command replaces the plot of the current figure (a new figure when there is none) and keeps
the figure's settings (title, labels, ranges, ...), as a gnuplot ``plot`` command did.
"""

from __future__ import annotations

from . import _mpl, _state
from ._args import is_data, plot_vars, scatter3_vars, series_list, splot_vars, to_numpy
from ._draw import PALETTES, Image, Plot2D, Scatter3, Surface


def _show(content) -> None:
    _mpl.matplotlib()  # a missing 'plot' extra is reported at the plot call, on every terminal
    f = _state.TABLE.current_figure()
    f.content = content
    _state.refresh(f)


def plot(*args) -> None:
    """Plot one or several 2-D series in the current figure.

    Args:
        *args: one series ``[legend,] x [, y] [, format]``, or several series as lists
            (``plot([...], [...])`` or ``plot([[...], [...]])``). ``x`` and ``y`` are Tensors or NumPy
            arrays. Without ``y``: an n x 2 ``x`` gives (x, y) columns, an n x k one gives x then
            k - 1 y columns, a vector is plotted against 1..n (Lua's positions).
            ``format``: ``'.'`` dots, ``'+'`` points, ``'-'`` lines, ``'+-'`` lines and points
            (the default), ``'~'`` cubic spline through the points, ``'|'`` boxes, ``'v'`` vectors
            (x and y given as n x 2 (position, delta)); also gnuplot strings such as
            ``'with lines lw 1'``, ``'with points pt 2'``, ``'with filledcurves fill transparent solid 0.5'``,
            ``'with impulses'``, ``'with steps'``, ``'smooth csplines'``.

    Raises:
        ValueError for argument forms or formats gnuplot.plot does not accept, or mismatched sizes.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> x = torch.linspace(-3, 3, 50)
        >>> gnuplot.plot([['sin', x, torch.sin(x), '-'], ['cos', x, torch.cos(x), '+']])
        >>> gnuplot.closeall()
    """
    content = Plot2D([plot_vars(t) for t in series_list(args, "plot")])
    _show(content)


def bar(*args) -> None:
    """Bar chart: ``bar(y)``, ``bar(x, y)``, ``bar('legend', x, y)``; gnuplot.plot with format ``'|'``.

    Boxes are centred on x and reach halfway to their neighbours; drawn as outlines, as Torch's
    gnuplot style drew them.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> gnuplot.bar(torch.Tensor([3, 1, 2]))
        >>> gnuplot.closeall()
    """
    plot(list(args) + ["|"])


def splot(*args) -> None:
    """3-D surface plot (a wire mesh with contour lines at the base).

    Args:
        *args: ``z``, ``x, y, z`` or ``legend, [x, y,] z`` (matrices of one size), or several such
            surfaces as lists. With ``z`` alone, x is the row number and y the column number
            (1-based, as in Lua).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> x = torch.linspace(-1, 1, 20)
        >>> gnuplot.splot(torch.ger(x, x).sin())
        >>> gnuplot.closeall()
    """
    _show(Surface([splot_vars(t) for t in series_list(args, "splot")]))


def scatter3(*args) -> None:
    """3-D scatter plot of ``(x_i, y_i, z_i)``: ``scatter3([legend,] x, y, z)`` or several sets as lists.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> z = torch.linspace(-6, 6, 60)
        >>> gnuplot.scatter3([['helix', z.clone().cos(), z.clone().sin(), z]])
        >>> gnuplot.closeall()
    """
    _show(Scatter3([scatter3_vars(t) for t in series_list(args, "scatter3")]))


def imagesc(*args) -> None:
    """Show a matrix as an image, element ``[0, 0]`` at the top left, with a colour box.

    Args:
        z: a 2-D Tensor or array.
        palette: ``'gray'`` (the default), ``'color'`` (gnuplot's default colour palette), or the name
            of a matplotlib colormap (not in Lua).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import gnuplot
        >>> gnuplot.imagesc(torch.rand(8, 12), 'color')
        >>> gnuplot.closeall()
    """
    if len(args) == 0:
        raise ValueError("gnuplot.imagesc: no inputs, expecting at least a matrix")
    if len(args) > 2 or not is_data(args[0]) or (len(args) == 2 and not isinstance(args[1], str)):
        raise ValueError(f"gnuplot.imagesc: expecting tensor [,string], got {len(args)} arguments "
                         f"({', '.join(type(a).__name__ for a in args)})")
    z = to_numpy(args[0])
    if z.ndim != 2:
        raise ValueError(f"gnuplot.imagesc: x is expected to be a matrix, got {z.ndim}D "
                         f"(size {'x'.join(map(str, z.shape))})")
    palette = args[1] if len(args) == 2 else "gray"
    _show(Image(z, _colormap(palette)))


def _colormap(palette: str) -> str:
    if palette in PALETTES:
        return PALETTES[palette]
    if palette in _mpl.matplotlib().colormaps:
        return palette
    raise ValueError(f"gnuplot.imagesc: unknown palette {palette!r}; use 'gray', 'color' or a matplotlib "
                     "colormap name")
