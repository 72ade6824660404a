"""cutorch's stream API on CuPy streams: index 0 is the default stream, 1..n the reserved ones.

Streams are reserved per device, as in cutorch (stream s on device 0 is not stream s on device 1).
"""

from __future__ import annotations

from torch7._core import backend

from .device import getDevice

_RESERVED: dict[int, list] = {}  # device -> [stream 1, stream 2, ...]
_CURRENT: dict[int, int] = {}  # device -> current stream index


def _cp(fname: str):
    return backend.cupy(f"cutorch.{fname}")


def reserveStreams(n: int, nonblocking: bool = False) -> None:
    """Make sure streams 1..n exist on the current device (``nonblocking``: they do not wait on stream 0)."""
    cp = _cp("reserveStreams")
    mine = _RESERVED.setdefault(getDevice(), [])
    while len(mine) < n:
        mine.append(cp.cuda.Stream(non_blocking=bool(nonblocking)))


def getNumStreams() -> int:
    """How many streams are reserved on the current device (not counting the default one)."""
    _cp("getNumStreams")
    return len(_RESERVED.get(getDevice(), ()))


def _stream(fname: str, i: int):
    cp = _cp(fname)
    if i == 0:
        return cp.cuda.Stream.null
    mine = _RESERVED.get(getDevice(), [])
    if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= len(mine):
        raise IndexError(f"cutorch.{fname}: stream {i!r} is not reserved on device {getDevice()} "
                         f"(0 is the default stream; reserveStreams(n) makes 1..n, {len(mine)} so far)")
    return mine[i - 1]


def setStream(i: int) -> None:
    """Run later kernels of the current device on stream ``i`` (0: the default stream)."""
    _stream("setStream", i).use()
    _CURRENT[getDevice()] = i


def getStream() -> int:
    """The index of the current stream of the current device."""
    _cp("getStream")
    return _CURRENT.get(getDevice(), 0)


def setDefaultStream() -> None:
    """Back to stream 0."""
    _cp("setDefaultStream")
    setStream(0)


def streamSynchronize(i: int) -> None:
    """Wait until stream ``i`` of the current device is idle."""
    _stream("streamSynchronize", i).synchronize()


def streamWaitFor(waiting: int, streams) -> None:
    """Make stream ``waiting`` wait for the work queued so far on every stream in ``streams``."""
    cp = _cp("streamWaitFor")
    w = _stream("streamWaitFor", waiting)
    for i in streams:
        ev = cp.cuda.Event(disable_timing=True)
        ev.record(_stream("streamWaitFor", i))
        w.wait_event(ev)


def streamBarrier(streams) -> None:
    """Every stream in ``streams`` waits for the work queued so far on all of them."""
    cp = _cp("streamBarrier")
    events = []
    for i in streams:
        ev = cp.cuda.Event(disable_timing=True)
        ev.record(_stream("streamBarrier", i))
        events.append(ev)
    for i in streams:
        s = _stream("streamBarrier", i)
        for ev in events:
            s.wait_event(ev)
