"""The Torch classes the ``.t7`` reader and writer know: typename <-> Python class, and their payloads.

The reader calls ``new_instance(typename)`` (an empty instance, registered before its payload is
read, so that cycles work) and then ``fill_instance(obj, version, payload)``; the writer calls
``object_payload(obj)``. Known classes are every nn module and criterion (``torch7.nn.REGISTRY``,
which also maps char-rnn's global ``OneHot`` to ``nn.OneHot``), ``optim.ConfusionMatrix``,
``optim.Logger``, the cudnn.torch modules that have an nn equivalent (read as it, see ``cudnn_classes``) and the
classes registered with ``register_class``.

Example:
    >>> from torch7 import nn
    >>> from torch7.serialization.classes import new_instance, fill_instance, object_payload
    >>> name, version, fields = object_payload(nn.Narrow(0, 1, 2))
    >>> name, fields["dimension"], fields["index"]  # written 1-based, as Torch7 stores them
    ('nn.Narrow', 1, 2)
    >>> m = fill_instance(new_instance(name), version, fields)
    >>> m.dimension, m.index
    (0, 1)
"""

from __future__ import annotations

import io
import types

from . import convert

# typename -> class, registered by the user (checked before the built-in classes).
_USER: dict[str, type] = {}


def register_class(typename: str, cls: type) -> None:
    """Make ``torch.load`` build ``cls`` for objects of the Torch class ``typename`` (and save them as it).

    The instance is created without calling ``__init__``; its ``__dict__`` receives the stored fields
    (unchanged: no 1-based conversion is applied to user classes), and ``vars(obj)`` is written back.
    """
    if not isinstance(typename, str) or not typename:
        raise TypeError(f"register_class: typename must be a non-empty string, got {typename!r}")
    if not isinstance(cls, type):
        raise TypeError(f"register_class: cls must be a class, got {type(cls).__name__}")
    _USER[typename] = cls
    _kinds.clear()


# nngraph's classes: torch7.nngraph is imported the first time a file (or a save) needs one.
_NNGRAPH = frozenset(("nn.gModule", "nngraph.Node", "graph.Graph", "graph.Edge", "nngraph.JustElement",
                      "nngraph.JustTable", "nn.ModuleFromCriterion"))


def _builtin(typename: str) -> type | None:
    if typename in _NNGRAPH:
        from torch7.nngraph import T7_CLASSES

        return T7_CLASSES[typename]
    if typename.startswith("optim."):
        if typename == "optim.ConfusionMatrix":
            from torch7.optim.ConfusionMatrix import ConfusionMatrix

            return ConfusionMatrix
        if typename == "optim.Logger":
            from torch7.optim.Logger import Logger

            return Logger
        return None
    if typename.startswith("cudnn."):  # cudnn.torch modules load as their nn equivalents (cudnn_classes.py)
        from .cudnn_classes import pending_class

        return pending_class(typename)
    from torch7 import nn

    return nn.REGISTRY.get(typename)


def _class_for(typename: str) -> type | None:
    if typename in _USER:
        return _USER[typename]
    return _builtin(typename)


def _is_nn(cls: type) -> bool:
    from torch7.nn.Criterion import Criterion
    from torch7.nn.Module import Module

    return issubclass(cls, (Module, Criterion))


def new_instance(typename: str):
    """An empty instance (``__init__`` not called) of the class registered for ``typename``, or None."""
    if isinstance(typename, bytes):
        typename = typename.decode("latin-1")
    if not isinstance(typename, str):
        return None
    cls = _class_for(typename)
    if cls is None:
        return None
    return cls.__new__(cls)


def fill_instance(obj, version: int, payload):
    """Put the fields read from a file into ``obj`` (1-based fields converted, old layouts upgraded).

    Returns the object to use: ``obj`` itself, or a ``TorchObject`` carrying the payload when it is
    not a table of fields (a class written by a custom ``write`` method this library does not know).
    """
    return _fill(obj, version, payload, False)


def _fill(obj, version: int, payload, str_keys: bool):
    """``fill_instance``; ``str_keys``: the reader knows that every key of ``payload`` is a ``str``."""
    cls = type(obj)
    if not isinstance(payload, dict):
        from .objects import TorchObject

        name = _typename_of(obj) or cls.__name__
        return TorchObject(name, version, payload)
    kind, loaded, need = _kinds.get(cls) or _kind(cls)
    if need is not None and type(t := payload.get("_type")) is str and t in _CPU_TYPES and need <= payload.keys():
        fields = dict(payload)  # to_python's own shortcut (a module whose file has all its fields), without the call
    elif kind == _NN:
        fields = convert.to_python(cls, version, payload)
    elif kind == _PLAIN:
        fields = dict(payload)
    elif kind == _BUILD:  # a stand-in that builds another object from the fields (cudnn modules -> nn)
        return loaded(version, payload, str_keys)
    else:
        fields = _optim_fields(cls, payload)
    d = obj.__dict__
    if d:
        d.update(fields)
    else:  # the usual case (__new__ set nothing): the new dict becomes the instance's, without a copy
        obj.__dict__ = d = fields
    if not str_keys and bytes in set(map(type, fields)):  # names that were not UTF-8
        for k in [k for k in fields if type(k) is bytes]:
            d[k.decode("latin-1")] = d.pop(k)
    if loaded is not None:  # a class's own fix-ups after reading (nngraph's layouts)
        loaded(obj)
    return obj


_PLAIN, _NN, _OPTIM, _BUILD = range(4)
# class -> (kind, its _t7_loaded hook (for _BUILD: its _t7_build), the fields that let to_python copy the payload as
# it is); cleared by register_class
_kinds: dict[type, tuple] = {}
_CPU_TYPES = convert._CPU_TYPES


def _kind(cls: type) -> tuple:
    if any(c is cls for c in _USER.values()):
        kind = _PLAIN
    elif getattr(cls, "_t7_build", None) is not None:
        res = _kinds[cls] = (_BUILD, cls._t7_build, None)
        return res
    elif _is_nn(cls):
        kind = _NN
    else:
        kind = _OPTIM
    need = convert._plan(cls)[4] if kind == _NN else None
    res = _kinds[cls] = (kind, getattr(cls, "_t7_loaded", None), need)
    return res


def _typename_of(obj) -> str | None:
    cls = type(obj)
    for name, c in _USER.items():
        if c is cls:
            return name
    name = getattr(cls, "_typename", None)
    if isinstance(name, str) and _builtin(name) is cls:
        return name
    if isinstance(name, str) and name.startswith("cudnn.") and _is_nn(cls):  # torch7.cudnn's layers
        from torch7 import nn

        if nn.REGISTRY.get(name) is cls:
            return name
    return None


def object_payload(obj, memo: dict | None = None):
    """``(typename, version, fields)`` to write ``obj``, or None when its class is not a Torch class.

    ``memo`` is the writer's table of converted tensors, shared by all the objects of one file (see ``convert.to_lua``).
    """
    if isinstance(obj, type):
        return None
    cls = type(obj)
    name = _typename_of(obj)
    if name is None:
        return None
    if name in _USER and _USER[name] is cls:
        return name, 1, {k: v for k, v in vars(obj).items() if v is not None}
    custom = getattr(cls, "_t7_payload", None)  # a class that writes Lua's layout itself (nngraph)
    if custom is not None:
        return name, convert.version_of(cls) if _is_nn(cls) else 1, custom(obj)
    if _is_nn(cls):
        return name, convert.version_of(cls), convert.to_lua(obj, memo)
    return name, 1, _optim_payload(obj)


# ---- optim classes ------------------------------------------------------------------------------------------

def _writable(v) -> bool:
    """False for values no .t7 file can hold (open files, callables that are not Lua functions)."""
    if isinstance(v, (io.IOBase, types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
        return False
    return not (hasattr(v, "write") and hasattr(v, "flush") and hasattr(v, "closed"))  # file-like


def _optim_payload(obj) -> dict:
    return {k: v for k, v in vars(obj).items() if v is not None and _writable(v)}


def _optim_fields(cls: type, payload: dict) -> dict:
    fields = dict(payload)
    if getattr(cls, "_typename", None) == "optim.Logger":
        # The log file is not in the file (Torch7 could not write it either): log to nothing until reopened.
        fields.setdefault("file", None)
        for k, v in (("empty", True), ("symbols", {}), ("styles", {}), ("names", {}), ("idx", {}),
                     ("nsymbols", 0), ("figure", None), ("showPlot", True), ("plotRawCmd", None),
                     ("defaultStyle", "+"), ("logscale", False), ("name", "stdout"), ("plotfile", None)):
            fields.setdefault(k, v)
    elif getattr(cls, "_typename", None) == "optim.ConfusionMatrix":
        fields.setdefault("classes", [])
        for k in ("totalValid", "averageValid", "averageUnionValid"):
            fields.setdefault(k, 0)
    return fields
