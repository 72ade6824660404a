"""torch7.nn: Torch7's neural-network modules, one class per file.

Every ``torch7/nn/<ClassName>.py`` defining ``<ClassName>`` is discovered and exported here,
so ``nn.Linear`` is the class of ``torch7/nn/Linear.py``.
"""

from __future__ import annotations

import importlib as _importlib
import os as _os

from . import utils
from .Module import REGISTRY, Module


def _discover() -> None:
    here = _os.path.dirname(__file__)
    for fn in sorted(_os.listdir(here)):
        if fn.endswith(".py") and fn[0].isupper():
            name = fn[:-3]
            mod = _importlib.import_module(f".{name}", __name__)
            globals()[name] = getattr(mod, name, mod)  # Jacobian is a module of functions


_discover()


def __getattr__(name: str):
    # nn.gModule and nn.ModuleFromCriterion live in torch7.nngraph, imported on first use.
    if name in ("gModule", "ModuleFromCriterion"):
        from torch7 import nngraph

        return getattr(nngraph, name)
    raise AttributeError(f"module 'torch7.nn' has no attribute '{name}'")


__all__ = ["REGISTRY", "Module", "utils"]
from . import tables  # noqa: E402, F401  (connection-table helpers, a module of functions)
