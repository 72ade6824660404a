"""Stateless pieces of xlua's progress bar: ``formatTime`` and the text of one frame."""

from __future__ import annotations

import math


def _num(x) -> str:
    """A number as Lua's ``io.write`` writes it (%.14g; whole numbers without a decimal point)."""
    if isinstance(x, bool) or not isinstance(x, float):
        return str(x)
    return f"{x:.14g}"


def formatTime(seconds: float) -> str:
    """A duration as xlua writes it: the two largest non-zero units of D, h, m, s, ms (``'0ms'`` for none).

    Args:
        seconds: the duration in seconds.

    Returns:
        a string such as ``'1h2m'``, ``'3s250ms'`` or ``'12ms'``.

    Example:
        >>> formatTime(3725.5), formatTime(3.25), formatTime(0.0124), formatTime(0)
        ('1h2m', '3s250ms', '12ms', '0ms')
    """
    days = math.floor(seconds / 3600 / 24)
    seconds = seconds - days * 3600 * 24
    hours = math.floor(seconds / 3600)
    seconds = seconds - hours * 3600
    minutes = math.floor(seconds / 60)
    seconds = seconds - minutes * 60
    secondsf = math.floor(seconds)
    seconds = seconds - secondsf
    millis = math.floor(seconds * 1000)
    out = ""
    shown = 0
    for value, unit in ((days, "D"), (hours, "h"), (minutes, "m"), (secondsf, "s"), (millis, "ms")):
        # Days always show when non-zero; each smaller unit only while fewer than two are shown.
        if value > 0 and shown < 2:
            out += f"{value}{unit}"
            shown += 1
    return out or "0ms"


def render_frame(current, goal, percent: int, bar_length: int, term_length: int, tm: str, done: bool) -> str:
    """The characters xlua writes for one frame of the bar (after the leading ``\\r`` of a redraw).

    The bar is ``bar_length`` cells (``=`` before ``percent``, ``>`` at it, ``.`` after); the line is
    blanked to ``term_length``, the timing text ``tm`` follows the bar, and backspaces bring the cursor
    back to the middle of the bar, where `` current/goal `` is written over it.

    Args:
        current, goal: the step and the number of steps.
        percent: ``floor(current * bar_length / goal)``, the filled cells.
        bar_length, term_length: the bar's and the line's widths.
        tm: the timing text (``' ETA: 1s | Step: 10ms'``).
        done: True for the last frame (ends the line).

    Returns:
        the text to write.

    Example:
        >>> render_frame(1, 2, 2, 4, 8, '', False)
        ' [=>..] \\x08\\x08\\x08\\x08\\x08\\x08\\x08 1/2 \\r'
    """
    eq = max(0, min(bar_length, percent - 1))
    arrow = ">" if 1 <= percent <= bar_length else ""
    bar = "=" * eq + arrow + "." * (bar_length - eq - len(arrow))
    pad = max(0, term_length - bar_length - 4)
    back = math.floor(5 + len(tm) + bar_length / 2)  # Lua's `for i=1,x` runs floor(x) times
    return (f" [{bar}] " + " " * pad + "\b" * pad + tm + "\b" * back
            + f" {_num(current)}/{_num(goal)} " + ("\n" if done else "") + "\r")
