"""A module placeholder that imports the real module on first use.

``th -e`` and ``th script.py`` put ``torch``, ``nn`` and ``optim`` in the script's namespace as trepl
does, but importing ``torch7.nn`` and ``torch7.optim`` costs more than ``th -e "print(1)"`` may take.
The names are therefore bound to :class:`LazyModule` placeholders, which import the module on the
first attribute access and then replace themselves in the namespace.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class LazyModule(types.ModuleType):
    """Stands for module ``name`` until an attribute is read.

    Args:
        name: the full module name, e.g. ``'torch7.nn'``.
        namespace: the dict holding the placeholder (it is replaced there by the real module).
        key: the name it is bound to in ``namespace``.

    Example:
        >>> ns = {}
        >>> ns['js'] = LazyModule('json', ns, 'js')
        >>> ns['js'].dumps([1])
        '[1]'
        >>> type(ns['js']).__name__
        'module'
    """

    def __init__(self, name: str, namespace: dict, key: str) -> None:
        super().__init__(name)
        self.__dict__["_lazy_target"] = (namespace, key)

    def _load(self) -> types.ModuleType:
        module = importlib.import_module(self.__name__)
        namespace, key = self.__dict__["_lazy_target"]
        if namespace.get(key) is self:
            namespace[key] = module
        return module

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return getattr(self._load(), attr)

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def __repr__(self) -> str:
        return f"<module '{self.__name__}' (not loaded yet)>"
