"""Automatic printing of results in Torch7's format, for the REPL and for IPython/Jupyter.

Tensors, storages, sizes, modules and criterions print as Torch7's ``print`` shows them (their
``__str__``).  Inside a list or dict a tensor prints as trepl printed a nested one
(``DoubleTensor - size: 2x3``), so a list of big tensors stays readable.

In a notebook, ``%load_ext torch7.cli.display`` registers the formatters (``th`` does it itself).
"""

from __future__ import annotations

from typing import Any

# (module, class name) of the classes printed in Torch7 format.  Registered by name, so that the
# IPython formatters need no import of torch7.nn until a module is actually displayed.
TORCH7_TYPES = (
    ("torch7._core.tensor", "Tensor"),
    ("torch7._core.storage", "Storage"),
    ("torch7._core.size", "Size"),
    ("torch7.nn.Module", "Module"),
    ("torch7.nn.Criterion", "Criterion"),
)


def _is_torch7(obj: Any) -> bool:
    for cls in type(obj).__mro__:
        if (cls.__module__, cls.__name__) in TORCH7_TYPES:
            return True
    return False


def _kind(obj: Any) -> str | None:
    """'tensor', 'storage' or None, by the Torch7 base class of ``obj``."""
    for cls in type(obj).__mro__:
        if cls.__module__ == "torch7._core.tensor" and cls.__name__ == "Tensor":
            return "tensor"
        if cls.__module__ == "torch7._core.storage" and cls.__name__ == "Storage":
            return "storage"
    return None


def summary(obj: Any) -> str:
    """One-line description of a tensor or storage, as trepl prints one nested in a table.

    Args:
        obj: a tensor or a storage (anything else gives ``str(obj)``).

    Returns:
        ``'DoubleTensor - size: 2x3'``, ``'DoubleTensor - empty'`` or ``'FloatStorage - size: 5'``.

    Example:
        >>> import torch7 as torch
        >>> summary(torch.Tensor(2, 3)), summary(torch.FloatTensor()), summary(torch.FloatStorage(5))
        ('DoubleTensor - size: 2x3', 'FloatTensor - empty', 'FloatStorage - size: 5')
    """
    kind = _kind(obj)
    if kind == "tensor":
        name = obj.type().replace("torch.", "", 1)
        if obj.dim() == 0:
            return f"{name} - empty"
        return f"{name} - size: " + "x".join(str(s) for s in obj.size())
    if kind == "storage":
        return f"{obj.type().replace('torch.', '', 1)} - size: {obj.size()}"
    return str(obj)


def display_text(obj: Any) -> str:
    """The text the REPL prints for a result: Torch7's print format for torch7 objects, else ``repr``.

    Tensors and storages inside a list, tuple or dict are shown by their :func:`summary`.

    Args:
        obj: any value.

    Returns:
        The text, possibly several lines, without a trailing newline.

    Example:
        >>> import torch7 as torch
        >>> print(display_text(torch.Tensor([1, 2])))
         1
         2
        [torch.DoubleTensor of size 2]
        >>> display_text('hi')
        "'hi'"
        >>> display_text({'w': torch.Tensor(2, 3), 'n': 1})
        "{'w': DoubleTensor - size: 2x3, 'n': 1}"
    """
    if _is_torch7(obj):
        return str(obj)
    if type(obj) in (list, tuple, dict):
        return _nested(obj, set())
    return repr(obj)


def _nested(obj: Any, seen: set) -> str:
    """repr of lists/tuples/dicts, with tensors and storages shown by their summary."""
    if _kind(obj) is not None:
        return summary(obj)
    if type(obj) not in (list, tuple, dict):
        return repr(obj)
    if id(obj) in seen:
        return "[...]" if isinstance(obj, list) else "(...)" if isinstance(obj, tuple) else "{...}"
    seen = seen | {id(obj)}
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{_nested(k, seen)}: {_nested(v, seen)}" for k, v in obj.items()) + "}"
    items = [_nested(v, seen) for v in obj]
    if isinstance(obj, tuple):
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    return "[" + ", ".join(items) + "]"


def pretty_torch7(obj: Any, p: Any, cycle: bool) -> None:
    """IPython pretty-printer for torch7 objects: Torch7's print text, a summary when nested.

    Args:
        obj: the object being displayed.
        p: IPython's ``RepresentationPrinter``.
        cycle: True when ``obj`` is being printed inside itself.
    """
    nested = len(getattr(p, "stack", ())) > 1
    if (nested or cycle) and _kind(obj) is not None:
        p.text(summary(obj))
        return
    with p.group():
        for i, line in enumerate(display_text(obj).splitlines()):
            if i:
                p.break_()
            p.text(line)


def _plain_formatter(target: Any) -> Any:
    if hasattr(target, "display_formatter"):  # an InteractiveShell
        target = target.display_formatter
    if hasattr(target, "formatters"):  # a DisplayFormatter
        target = target.formatters["text/plain"]
    return target


def register_formatters(target: Any) -> None:
    """Make IPython display torch7 objects the way Torch7 prints them.

    Args:
        target: an IPython shell, its ``DisplayFormatter`` or its ``text/plain`` formatter.

    Example:
        >>> from IPython.core.formatters import DisplayFormatter
        >>> import torch7 as torch
        >>> fmt = DisplayFormatter()
        >>> register_formatters(fmt)
        >>> print(fmt.format([torch.Tensor(2, 2)])[0]['text/plain'])
        [DoubleTensor - size: 2x2]
    """
    plain = _plain_formatter(target)
    for module, name in TORCH7_TYPES:
        plain.for_type_by_name(module, name, pretty_torch7)


def unregister_formatters(target: Any) -> None:
    """Undo :func:`register_formatters`.

    Args:
        target: as for :func:`register_formatters`.
    """
    plain = _plain_formatter(target)
    for module, name in TORCH7_TYPES:
        plain.deferred_printers.pop((module, name), None)
        for cls in list(plain.type_printers):
            if (cls.__module__, cls.__name__) == (module, name):
                del plain.type_printers[cls]


def load_ipython_extension(ip: Any) -> None:
    """Entry point of ``%load_ext torch7.cli.display`` (IPython, Jupyter)."""
    register_formatters(ip)


def unload_ipython_extension(ip: Any) -> None:
    """Entry point of ``%unload_ext torch7.cli.display``."""
    unregister_formatters(ip)
