"""The ``cudnn`` fixture shared by the torch7.cudnn tests: the package on a real or a stand-in frontend.

Without a GPU and NVIDIA's frontend (CI), ``torch7.cudnn`` is imported on ``tests/fake_cudnn.py`` and
``StrictCupy``; with both, on the real ones (``allow_tf32`` off, so float32 results compare with the CPU).
"""

from __future__ import annotations

import importlib
import sys

import fake_cudnn
import pytest
from strict_cupy import StrictCupy

from torch7._core import backend


def drop_cudnn_modules() -> None:
    for k in [k for k in sys.modules if k == "torch7.cudnn" or k.startswith("torch7.cudnn.")]:
        del sys.modules[k]


@pytest.fixture
def cudnn():
    """torch7.cudnn on the fake frontend and StrictCupy (or on the real ones where a GPU and the frontend exist)."""
    real = backend.is_available() and importlib.util.find_spec("cudnn") is not None
    saved = sys.modules.get("cudnn")
    old = None
    drop_cudnn_modules()
    if not real:
        sys.modules["cudnn"] = fake_cudnn.module()
        old = backend._set_for_tests(StrictCupy())
    try:
        mod = importlib.import_module("torch7.cudnn")
        mod.allow_tf32 = not real  # on a GPU, compare full float32 products with the CPU
        yield mod
    finally:
        drop_cudnn_modules()
        if not real:
            backend._restore(old)
            if saved is None:
                sys.modules.pop("cudnn", None)
            else:
                sys.modules["cudnn"] = saved
