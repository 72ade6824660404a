"""xlua: the helpers of Lua's xlua package that Torch scripts used most.

- ``progress(i, n)``: xlua's progress bar, drawn on **stdout** (xlua's ``io.write``), and only when
  stdout is a terminal; set ``xlua.force_progress = True`` to draw it anyway (logs, notebooks, tests).
- ``print(obj, ...)``: prints tables (dicts, lists) one ``[key] = value`` per line.
- ``formatTime(seconds)``, ``table2string(tbl [, newline])``, and ``ProgressBar`` (a bar object with
  its own stream, width and clock, which ``progress`` uses one of).

Not provided, because Python has its own: ``xlua.require``/``installed`` (use ``import``),
``xlua.error`` (``raise``), ``xlua.unpack``/``usage`` (keyword arguments, docstrings),
``xlua.OptionParser`` (``torch.CmdLine`` or ``argparse``), ``xlua.Profiler`` (``cProfile``),
``xlua.log``/``clear``/``clearall``/``who`` (Lua globals; ``torch.CmdLine.log`` tees ``print``).

Example:
    >>> from torch7 import xlua
    >>> xlua.formatTime(90.5)
    '1m30s'
    >>> xlua.print({'epoch': 3})
    {[epoch] = 3}
"""

from __future__ import annotations

from .bar import formatTime
from .progress import ProgressBar
from .xprint import table2string
from .xprint import xprint as print  # the Lua name; shadows the builtin in this module only

force_progress: bool = False
"""Draw ``progress`` even when stdout is not a terminal."""

_bar = ProgressBar()


def progress(current, goal) -> None:
    """Draw step ``current`` of ``goal`` on xlua's progress bar (see ``ProgressBar``).

    Args:
        current: the step done (usually 1..goal).
        goal: the number of steps (> 0).

    Example:
        >>> from torch7 import xlua
        >>> for i in range(1, 11):
        ...     xlua.progress(i, 10)  # silent here: doctest's stdout is not a terminal
    """
    _bar.force = force_progress
    _bar(current, goal)


__all__ = ["ProgressBar", "force_progress", "formatTime", "print", "progress", "table2string"]
