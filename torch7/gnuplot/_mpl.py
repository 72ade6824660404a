"""Lazy access to matplotlib (the 'plot' extra) and the choice between a window and off-screen drawing.

torch7.gnuplot never calls ``matplotlib.use``: figures written to files are bare
``matplotlib.figure.Figure`` objects (drawn with Agg, whatever backend the user chose), and
figures meant for the screen go through ``pyplot`` only when a screen can exist (a display, a
notebook, or a pyplot the user already imported).  Otherwise the figure stays off screen, which is
the Agg behaviour a headless machine needs.
"""

from __future__ import annotations

import os
import sys

# Backends that cannot open a window: showing a figure there would only warn.
_NON_INTERACTIVE = ("agg", "pdf", "ps", "svg", "pgf", "cairo", "template", "module://matplotlib_inline")


def matplotlib():
    """Return the matplotlib module, or raise an ImportError that names the 'plot' extra."""
    try:
        import matplotlib as mpl
        import matplotlib.figure  # noqa: F401  (makes mpl.figure available)
    except ImportError as e:
        raise ImportError("torch7.gnuplot needs matplotlib: install the 'plot' extra "
                          "(pip install 'torch7[plot]')") from e
    return mpl


def screen_available() -> bool:
    """True when a pyplot window (or notebook output) can show a figure."""
    if "matplotlib.pyplot" in sys.modules or os.environ.get("MPLBACKEND"):
        return True
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def offscreen_figure(width: float = 6.4, height: float = 4.8):
    """A Figure that belongs to no pyplot window (drawn with Agg when saved)."""
    return matplotlib().figure.Figure(figsize=(width, height))


def screen_figure(number: int):
    """The pyplot figure numbered ``number`` (created on first use), cleared for a redraw."""
    matplotlib()
    import matplotlib.pyplot as plt

    fig = plt.figure(number)
    fig.clf()
    return fig


def show(fig) -> None:
    """Show or update a pyplot figure without blocking; nothing on non-interactive backends."""
    mpl = matplotlib()
    backend = mpl.get_backend().lower()
    fig.canvas.draw_idle()
    if backend.startswith(_NON_INTERACTIVE):
        return
    import matplotlib.pyplot as plt

    plt.show(block=False)
    plt.pause(0.001)


def close_screen_figure(number: int) -> None:
    """Close pyplot's figure ``number`` if pyplot is in use and has it."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and plt.fignum_exists(number):
        plt.close(number)
