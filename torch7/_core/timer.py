"""torch.Timer: wall-clock, user and system time of the process, with stop and resume."""

from __future__ import annotations

import os
import time

from .attrdict import AttrDict

try:  # getrusage has microsecond resolution; os.times (Windows) only clock ticks
    import resource

    def _cpu() -> tuple[float, float]:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime, r.ru_stime
except ImportError:  # pragma: no cover - Windows
    def _cpu() -> tuple[float, float]:
        t = os.times()
        return t.user, t.system


def _now() -> tuple[float, float, float]:
    user, sys_ = _cpu()
    return time.perf_counter(), user, sys_


class Timer:
    """A stopwatch that starts when created (Torch7's ``torch.Timer``).

    ``real`` is wall time (``time.perf_counter``); ``user`` and ``sys`` are the CPU times of the
    whole process, summed over its threads (``getrusage(RUSAGE_SELF)``), as in Torch7.
    ``reset``, ``stop`` and ``resume`` return the timer, so calls chain.

    Returns:
        ``time()`` gives ``{'real', 'user', 'sys'}`` in seconds, readable as ``t.real`` or ``t['real']``.

    Example:
        >>> import torch7 as torch
        >>> timer = torch.Timer()
        >>> t = timer.time()
        >>> t.real >= 0 and t['user'] >= 0 and sorted(t)
        ['real', 'sys', 'user']
        >>> timer.stop()
        torch.Timer [status: stopped]
        >>> timer.reset().time().real
        0.0
    """

    _typename = "torch.Timer"

    def __init__(self) -> None:
        self._running = True
        self._total = (0.0, 0.0, 0.0)
        self._start = _now()

    def reset(self) -> Timer:
        """Zero the accumulated time; a running timer keeps running (from now), a stopped one stays stopped."""
        self._total = (0.0, 0.0, 0.0)
        self._start = _now()
        return self

    def stop(self) -> Timer:
        """Stop counting (no effect on a stopped timer)."""
        if self._running:
            now = _now()
            self._total = tuple(t + n - s for t, n, s in zip(self._total, now, self._start))
            self._running = False
        return self

    def resume(self) -> Timer:
        """Count again after ``stop`` (no effect on a running timer)."""
        if not self._running:
            self._running = True
            self._start = _now()
        return self

    def time(self) -> AttrDict:
        """The time counted so far: ``{'real': wall, 'user': cpu user, 'sys': cpu system}`` in seconds."""
        if self._running:
            now = _now()
            real, user, sys_ = (t + n - s for t, n, s in zip(self._total, now, self._start))
        else:
            real, user, sys_ = self._total
        return AttrDict(real=real, user=user, sys=sys_)

    def __repr__(self) -> str:
        return f"torch.Timer [status: {'running' if self._running else 'stopped'}]"

    __str__ = __repr__
