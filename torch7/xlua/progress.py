"""ProgressBar: the state behind ``xlua.progress`` (one bar at a time, redrawn in place)."""

from __future__ import annotations

import math
import os
import sys
import time
from collections import deque

from .bar import formatTime, render_frame

_SMOOTHING = 100  # the step time is averaged over the last 100 calls, as in xlua


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _columns(stream) -> int:
    """The terminal width: $COLUMNS, else the stream's terminal, else 80 (xlua's fallback)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


class ProgressBar:
    """xlua's progress bar: ``bar(i, n)`` draws `` [=====>....]  ETA: 1s | Step: 10ms`` with ``i/n`` in the middle.

    A bar starts when a call's fill is below the previous call's (or at the first call), and ends (with
    a newline) when the fill reaches the full bar; calls after the end do nothing until a new bar starts.
    The step time is averaged over the last 100 calls; the last frame shows ``Tot:`` (total time)
    instead of ``ETA:``.  The line is as wide as the terminal, at most 120 columns (the bar takes the
    width minus 34).

    Args:
        stream: where to write (default: ``sys.stdout`` at each call, as xlua's ``io.write``).
        width: the terminal width to use (default: ``$COLUMNS`` or the terminal's, else 80; at most 120).
        force: draw even when the stream is not a terminal (default False: silent when it is not).
        clock: the time source in seconds (default ``time.perf_counter``).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> bar = ProgressBar(out, width=40, force=True)
        >>> for i in range(1, 4):
        ...     bar(i, 3)
        >>> out.getvalue().count('\\n'), '3/3' in out.getvalue()
        (1, True)
    """

    def __init__(self, stream=None, width: int | None = None, force: bool = False, clock=time.perf_counter) -> None:
        self.stream = stream
        self.width = width
        self.force = force
        self.clock = clock
        self._done = True
        self._previous = -1
        self._term = 80
        self._t0 = 0.0
        self._times: deque = deque(maxlen=_SMOOTHING)
        self._indices: deque = deque(maxlen=_SMOOTHING)

    def __call__(self, current, goal) -> None:
        out = self.stream if self.stream is not None else sys.stdout
        if not (self.force or _isatty(out)):
            return
        if not goal > 0:
            raise ValueError(f"xlua.progress: goal must be positive, got {goal}")
        if self._done:  # a new bar may start: measure the terminal again
            self._term = min(self.width if self.width is not None else _columns(out), 120)
        bar_length = max(self._term - 34, 10)
        percent = math.floor(current * bar_length / goal)
        prefix = ""
        if self._done and (self._previous == -1 or percent < self._previous):
            self._done = False
            self._previous = -1
            self._t0 = self.clock()
            self._times.clear()
            self._indices.clear()
            self._times.append(0.0)
            self._indices.append(current)
        else:
            prefix = "\r"
        if self._done:
            out.write(prefix)  # xlua writes the carriage return even when the finished bar is not redrawn
            out.flush()
            return
        self._previous = percent
        elapsed = self.clock() - self._t0
        first_t, first_i = self._times[0], self._indices[0]
        step = 0.0 if current == first_i else (elapsed - first_t) / (current - first_i)
        remaining = max(0.0, (goal - current) * step)
        self._indices.append(current)
        self._times.append(elapsed)
        tm = f" ETA: {formatTime(remaining)}" if percent < bar_length else f" Tot: {formatTime(elapsed)}"
        tm += f" | Step: {formatTime(step)}"
        done = percent == bar_length
        out.write(prefix + render_frame(current, goal, percent, bar_length, self._term, tm, done))
        out.flush()
        self._done = done

    def __repr__(self) -> str:
        return f"xlua.ProgressBar({'done' if self._done else 'running'})"
