"""The Tensor library: storages, tensors, math, random numbers and printing.

Each ``ops_*.py`` module of this package is one family of Torch7 functions.  It may define
``METHODS`` (installed on every tensor class) and ``FUNCTIONS`` (the ``torch.*`` namespace).
They are discovered and installed here, once, at import; a name defined twice is an error.
"""

from __future__ import annotations

import importlib
import os
from types import FunctionType

from . import deepcopy, getitem, views  # noqa: F401  (deepcopy installs __deepcopy__)
from .storage import Storage
from .tensor import Tensor

FUNCTIONS: dict = {}
_installed: dict = {}


def _public_name(f, name: str):
    """Give a generated function its Torch7 name, so that Python's own errors (a wrong number of
    arguments) say ``sum() takes ...`` rather than ``_dimwise.<locals>.fn() takes ...``."""
    if isinstance(f, FunctionType) and "<locals>" in f.__qualname__:
        f.__qualname__ = name
    return f


def _install(modname: str, mod) -> None:
    for name, f in getattr(mod, "METHODS", {}).items():
        if name in _installed:
            raise RuntimeError(f"Tensor method {name} defined by both {_installed[name]} and {modname}")
        _installed[name] = modname
        setattr(Tensor, name, _public_name(f, name))
    for name, f in getattr(mod, "FUNCTIONS", {}).items():
        if name in FUNCTIONS:
            raise RuntimeError(f"torch.{name} defined twice (second time by {modname})")
        FUNCTIONS[name] = _public_name(f, name)


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
