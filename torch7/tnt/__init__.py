"""torchnet (``tnt = require 'torchnet'``): datasets, iterators, engines, meters and logs.

Used as ``from torch7 import tnt``. Everything keeps torchnet's names; what changes is Python's:
indices are 0-based (``dataset.get(0)`` is the first sample), a sample is a ``dict`` (the Lua
table with string keys), lists stand for Lua arrays, and constructors take keyword arguments,
positional arguments in torchnet's order, or one ``dict`` for the Lua named table
(``tnt.ListDataset({"list": l, "load": f})``). See ``docs/tnt.md``.

Every ``torch7/tnt/<Name>.py`` is imported here: when it defines a class ``<Name>`` that class is
exported (``tnt.ListDataset``), otherwise the module itself (``tnt.transform``, ``tnt.utils``).
A module may define more public classes listed in its ``__all__`` (``IndexedDatasetWriter``).
"""

from __future__ import annotations

import importlib as _importlib
import os as _os


def _discover() -> None:
    here = _os.path.dirname(__file__)
    names = sorted(fn[:-3] for fn in _os.listdir(here) if fn.endswith(".py") and not fn.startswith("_"))
    mods = {name: _importlib.import_module(f".{name}", __name__) for name in names}
    # assigned after every import: importing a submodule binds the module object under its name
    for name, mod in mods.items():
        if hasattr(mod, name):
            globals()[name] = getattr(mod, name)
            for extra in getattr(mod, "__all__", ()):
                globals()[extra] = getattr(mod, extra)
        else:
            globals()[name] = mod


_discover()
