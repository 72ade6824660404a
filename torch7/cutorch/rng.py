"""cutorch's per-device random seeds, on CuPy's per-device generators."""

from __future__ import annotations

import os

from torch7._core import backend

from .device import getDevice, getDeviceCount, withDevice

_INITIAL: dict[int, int] = {}  # device -> the seed it was last given


def _cp(fname: str):
    return backend.cupy(f"cutorch.{fname}")


def manualSeed(seed: int, device: int | None = None) -> None:
    """Seed the generator of ``device`` (default: the current one)."""
    cp = _cp("manualSeed")
    dev = getDevice() if device is None else device
    withDevice(dev, lambda: cp.random.seed(int(seed)))
    _INITIAL[dev] = int(seed)


def manualSeedAll(seed: int) -> None:
    """Seed every device's generator with ``seed``."""
    _cp("manualSeedAll")
    for d in range(getDeviceCount()):
        manualSeed(seed, d)


def seed(device: int | None = None) -> int:
    """Seed ``device``'s generator from the operating system's entropy; returns the seed."""
    _cp("seed")
    s = int.from_bytes(os.urandom(8), "little") >> 1
    manualSeed(s, device)
    return s


def seedAll() -> int:
    """Seed every device from the operating system's entropy (one seed, as cutorch does); returns it."""
    _cp("seedAll")
    s = int.from_bytes(os.urandom(8), "little") >> 1
    manualSeedAll(s)
    return s


def initialSeed(device: int | None = None) -> int:
    """The seed ``device``'s generator was last given (seeded from entropy on first use)."""
    _cp("initialSeed")
    dev = getDevice() if device is None else device
    if dev not in _INITIAL:
        seed(dev)
    return _INITIAL[dev]
