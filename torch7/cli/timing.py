"""The time of every REPL command, printed as trepl prints it: ``[0.0080s]`` right-aligned.

On a terminal, a command that printed nothing gets its time on its own input line (the cursor
goes back up one line), as the Torch7 slides show::

    th> x = torch.rand(10)                                            [0.0080s]

A command that printed something gets the time on the line after its output.  Off a terminal
(pipes, files) the time always goes on a line of its own, with no escape codes.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import Any, TextIO

COLUMN = 66  # the slides show 66 spaces before "[0.0080s]"
_BOLD_BLACK = "\x1b[1;30m"
_RESET = "\x1b[0m"


class _CountingStream:
    """Wraps a text stream and counts what is written to it (to know whether a command printed)."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner
        self.written = 0

    def write(self, text: str) -> int:
        self.written += len(text)
        return self.inner.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def format_time(seconds: float) -> str:
    """trepl's time stamp.

    Args:
        seconds: elapsed wall-clock time.

    Returns:
        ``'[%0.04fs]'`` formatted.

    Example:
        >>> format_time(0.00801)
        '[0.0080s]'
    """
    return f"[{seconds:.4f}s]"


class CommandTimer:
    """Times one REPL command and prints the time after it.

    Args:
        stream: where the time goes (default: ``sys.stdout`` at the time of printing).
        tty: whether escape codes may be used (default: ``stream.isatty()``).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> timer = CommandTimer(out, tty=False)
        >>> timer.start('x = 1')
        >>> timer.stop() < 1.0
        True
        >>> line = out.getvalue()
        >>> line.startswith(' ' * 66 + '[0.0'), line.endswith('s]\\n')
        (True, True)
    """

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self._stream = stream
        self._tty = tty
        self._t0: float | None = None
        self._input_width = 0
        self._counters: tuple[_CountingStream, _CountingStream] | None = None

    def _out(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stdout

    def _is_tty(self, out: TextIO) -> bool:
        if self._tty is not None:
            return self._tty
        try:
            return out.isatty()
        except (AttributeError, ValueError):
            return False

    def start(self, source: str, prompt_width: int = 4) -> None:
        """Starts timing a command.

        Args:
            source: the command as typed (its last line decides whether the time fits beside it).
            prompt_width: width of the prompt shown before that line.
        """
        lines = source.rstrip("\n").split("\n")
        self._input_width = prompt_width + len(lines[-1])
        self._counters = None
        if self._stream is None and self._is_tty(sys.stdout):
            # Count what the command prints, to know whether its input line is just above.
            self._counters = (_CountingStream(sys.stdout), _CountingStream(sys.stderr))
            sys.stdout, sys.stderr = self._counters
        self._t0 = time.perf_counter()

    def _restore(self) -> bool:
        """Puts sys.stdout/sys.stderr back; returns whether the command printed anything."""
        if self._counters is None:
            return True
        out, err = self._counters
        self._counters = None
        if sys.stdout is out:  # unless the command replaced sys.stdout itself
            sys.stdout = out.inner
        if sys.stderr is err:
            sys.stderr = err.inner
        return out.written + err.written > 0

    def cancel(self) -> None:
        """Stops timing without printing (for ``exit``)."""
        self._restore()
        self._t0 = None

    def stop(self) -> float:
        """Stops timing and prints the time.

        Returns:
            The elapsed seconds (0.0 when :meth:`start` was not called).
        """
        if self._t0 is None:
            return 0.0
        elapsed = time.perf_counter() - self._t0
        self._t0 = None
        printed = self._restore()
        out = self._out()
        stamp = format_time(elapsed)
        if not self._is_tty(out):
            out.write(" " * COLUMN + stamp + "\n")
            out.flush()
            return elapsed
        column = max(0, min(COLUMN, shutil.get_terminal_size().columns - len(stamp) - 1))
        stamp = _BOLD_BLACK + stamp + _RESET
        if not printed and self._input_width < column:
            # Back up to the input line; "\x1b[<n>G" moves to column n (1-based).
            out.write(f"\x1b[A\x1b[{column + 1}G{stamp}\n")
        else:
            out.write(" " * column + stamp + "\n")
        out.flush()
        return elapsed
