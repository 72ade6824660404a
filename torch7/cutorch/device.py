"""cutorch's device functions on CuPy: counting, selecting, synchronising, memory and properties.

Device ids are 0-based (cutorch's are 1-based).  Without CUDA, ``getDeviceCount()`` is 0 and
``isAvailable()`` False; every other function raises ``CudaUnavailableError`` saying what is missing.
"""

from __future__ import annotations

from torch7._core import backend


def _cp(fname: str):
    return backend.cupy(f"cutorch.{fname}")


def isAvailable() -> bool:
    """Whether CUDA can be used here (CuPy installed and at least one device)."""
    return backend.is_available()


def getDeviceCount() -> int:
    """The number of CUDA devices (0 without CUDA, where cutorch itself would fail to load)."""
    if not backend.is_available():
        return 0
    return int(backend.cupy().cuda.runtime.getDeviceCount())


def _check_device(fname: str, device: int) -> int:
    n = getDeviceCount()
    if isinstance(device, bool) or not isinstance(device, int) or not 0 <= device < n:
        raise IndexError(f"cutorch.{fname}: device {device!r} out of range (this machine has {n} CUDA "
                         f"device{'s' if n != 1 else ''}, numbered from 0)")
    return device


def getDevice() -> int:
    """The current device (0-based)."""
    return int(_cp("getDevice").cuda.runtime.getDevice())


def setDevice(device: int) -> None:
    """Make ``device`` (0-based) current: new tensors and kernels go there."""
    cp = _cp("setDevice")
    cp.cuda.runtime.setDevice(_check_device("setDevice", device))


def withDevice(device: int, fn):
    """Run ``fn()`` with ``device`` current, then switch back (also when ``fn`` raises); returns its result."""
    cp = _cp("withDevice")
    old = cp.cuda.runtime.getDevice()
    cp.cuda.runtime.setDevice(_check_device("withDevice", device))
    try:
        return fn()
    finally:
        cp.cuda.runtime.setDevice(old)


def synchronize() -> None:
    """Wait for all work on the current device."""
    _cp("synchronize").cuda.runtime.deviceSynchronize()


def synchronizeAll() -> None:
    """Wait for all work on every device."""
    cp = _cp("synchronizeAll")
    for d in range(getDeviceCount()):
        withDevice(d, cp.cuda.runtime.deviceSynchronize)


def getMemoryUsage(device: int | None = None) -> tuple[int, int]:
    """``(free, total)`` bytes of ``device`` (default: the current one), in cutorch's order."""
    cp = _cp("getMemoryUsage")
    dev = getDevice() if device is None else _check_device("getMemoryUsage", device)
    free, total = withDevice(dev, cp.cuda.runtime.memGetInfo)
    return int(free), int(total)


def getDeviceProperties(device: int) -> dict:
    """The CUDA properties of ``device`` under cutorch's field names (name, major, minor, totalGlobalMem,
    freeGlobalMem, multiProcessorCount, warpSize, clockRate, maxThreadsPerBlock, sharedMemPerBlock, ...)."""
    cp = _cp("getDeviceProperties")
    _check_device("getDeviceProperties", device)
    props = {}
    for k, v in cp.cuda.runtime.getDeviceProperties(device).items():
        props[k] = v.decode("utf-8", "replace").rstrip("\0") if isinstance(v, bytes) else v
    props["freeGlobalMem"] = getMemoryUsage(device)[0]
    return props


def getRuntimeVersion() -> int:
    """The CUDA runtime version CuPy was built for (e.g. 13000)."""
    return int(_cp("getRuntimeVersion").cuda.runtime.runtimeGetVersion())


def getDriverVersion() -> int:
    """The installed driver's CUDA version (e.g. 13000)."""
    return int(_cp("getDriverVersion").cuda.runtime.driverGetVersion())


def getPeerToPeerAccess(device: int, deviceTo: int) -> bool:
    """Whether ``device`` can read ``deviceTo``'s memory directly."""
    cp = _cp("getPeerToPeerAccess")
    return bool(cp.cuda.runtime.deviceCanAccessPeer(_check_device("getPeerToPeerAccess", device),
                                                    _check_device("getPeerToPeerAccess", deviceTo)))

