"""cutorch's random fills: CUDA tensors drawn on their device's generator (seeded by cutorch.manualSeed)."""

from __future__ import annotations

import numpy as np

from .backend import copyto
from .tensor import Tensor


def device_fill(t: Tensor, name: str, ps) -> Tensor:
    """cutorch's draws: a CUDA tensor filled from its device's generator (``cutorch.manualSeed``).

    Only uniform, normal and bernoulli with a number ``p`` (what layers draw every step); the others,
    and draws with an explicit ``torch.Generator``, come from the host generator and are uploaded.
    """
    xp, a = t._xp, t._a
    dt = a.dtype if a.dtype in (np.float32, np.float64) else np.float64
    if name == "uniform":
        v = xp.random.uniform(ps[0], ps[1], a.shape, dtype=dt)
    elif name == "normal":
        v = xp.random.normal(ps[0], ps[1], a.shape, dtype=dt)
    else:
        v = xp.random.random_sample(a.shape, dtype=dt) < ps[0]
    copyto(a, v)
    return t
