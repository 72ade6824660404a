"""The Tensor library: storages, tensors, math, random numbers and printing.

Each ``ops_*.py`` module of this package is one family of Torch7 functions.  It may define
``METHODS`` (installed on every tensor class) and ``FUNCTIONS`` (the ``torch.*`` namespace).
They are discovered and installed here, once, at import; a name defined twice is an error.
"""

from __future__ import annotations

import importlib
import os

from . import deepcopy, getitem, views  # noqa: F401  (deepcopy installs __deepcopy__)
from .storage import Storage
from .tensor import Tensor

FUNCTIONS: dict = {}
_installed: dict = {}


def _install(modname: str, mod) -> None:
    for name, f in getattr(mod, "METHODS", {}).items():
        if name in _installed:
            raise RuntimeError(f"Tensor method {name} defined by both {_installed[name]} and {modname}")
        _installed[name] = modname
        setattr(Tensor, name, f)
    for name, f in getattr(mod, "FUNCTIONS", {}).items():
        if name in FUNCTIONS:
            raise RuntimeError(f"torch.{name} defined twice (second time by {modname})")
        FUNCTIONS[name] = f


def _load() -> None:
    _install("views", views)
    _install("getitem", getitem)
    here = os.path.dirname(__file__)
    for fn in sorted(os.listdir(here)):
        if fn.startswith("ops_") and fn.endswith(".py"):
            modname = fn[:-3]
            _install(modname, importlib.import_module(f".{modname}", __name__))


_load()
from . import cuda_types  # noqa: E402,F401  (defines torch.Cuda*: after the methods, which they inherit)

__all__ = ["FUNCTIONS", "Storage", "Tensor"]
