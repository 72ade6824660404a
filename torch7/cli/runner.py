"""Running user code for ``th``: statements (``-e``), scripts, ``-m`` modules, ``-l`` libraries.

Everything runs in one ``__main__`` module, so that ``th -e ... -i`` and ``th -i script.py`` open
the REPL on the names the code defined.  ``torch`` (torch7), ``nn`` and ``optim`` are preloaded as
trepl preloads torch; ``nn`` and ``optim`` are lazy placeholders so that a statement that does not
use them does not pay for their import.
"""

from __future__ import annotations

import builtins
import importlib
import os
import runpy
import sys
import traceback
import types

from .helpers import debug_on_error
from .lazy import LazyModule

_CLI_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_RUNPY = os.path.abspath(runpy.__file__)


def make_main_module() -> types.ModuleType:
    """A fresh ``__main__`` module, installed in ``sys.modules``, with torch/nn/optim preloaded.

    Returns:
        The module; its ``__dict__`` is the namespace every statement, script and the REPL use.
    """
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    preload(module.__dict__, lazy=True)
    return module


def preload(namespace: dict, lazy: bool) -> None:
    """Binds ``torch`` (torch7), ``nn`` and ``optim`` in ``namespace`` unless already bound.

    Args:
        namespace: the target namespace.
        lazy: bind ``nn``/``optim`` to placeholders that import on first use (else import now).

    Example:
        >>> ns = {}
        >>> preload(ns, lazy=True)
        >>> ns['torch'].__name__, ns['nn'].__name__
        ('torch7', 'torch7.nn')
    """
    import torch7

    namespace.setdefault("torch", torch7)
    for name in ("nn", "optim"):
        current = namespace.get(name)
        if current is None or (not lazy and isinstance(current, LazyModule)):
            namespace[name] = LazyModule(f"torch7.{name}", namespace, name) if lazy else getattr(torch7, name)


def load_library(name: str, namespace: dict) -> bool:
    """``-l name``: imports a library and binds it in the namespace, as trepl's ``require``.

    torch7's sub-packages load by their short name (``-l nn``, ``-l image``), and Lua's
    ``-l torchnet`` binds ``tnt`` (as ``local tnt = require 'torchnet'`` did); any other name is
    imported as ``import name`` would (binding its top-level package).

    Args:
        name: library name.
        namespace: where to bind it.

    Returns:
        True if loaded; otherwise prints ``could not load <name>, skipping`` and returns False.
    """
    import torch7

    try:
        if name == "torch":
            namespace["torch"] = torch7
        elif name in getattr(torch7, "_SUBPACKAGES", ()):
            namespace[name] = importlib.import_module(f"torch7.{name}")
        elif name == "torchnet":
            namespace["tnt"] = importlib.import_module("torch7.tnt")
        else:
            importlib.import_module(name)
            top = name.split(".")[0]
            namespace[top] = sys.modules[top]
        return True
    except Exception as e:
        print(f"could not load {name}, skipping ({type(e).__name__}: {e})", file=sys.stderr)
        return False


def run_code(source: str, namespace: dict, filename: str = "<string>") -> None:
    """Compiles and runs ``source`` in ``namespace`` (exceptions propagate)."""
    exec(compile(source, filename, "exec"), namespace)


def run_script(path: str, args: list[str], module: types.ModuleType) -> None:
    """Runs a script as ``python script.py args`` would, in ``module``'s namespace.

    ``sys.argv`` is ``[path, *args]``, ``sys.path[0]`` is the script's folder, ``__file__`` is set.

    Args:
        path: the script.
        args: its arguments.
        module: the ``__main__`` module.

    Raises:
        OSError: when the script cannot be read.
    """
    with open(path, "rb") as f:
        source = f.read()
    sys.argv[:] = [path, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    module.__dict__["__file__"] = path
    exec(compile(source, path, "exec"), module.__dict__)


def run_module(name: str, args: list[str], namespace: dict) -> None:
    """``th -m name args``: runs a module as ``python -m`` does, with torch/nn/optim preloaded."""
    sys.argv[:] = [name, *args]
    sys.path[0] = os.getcwd()
    init = {k: v for k, v in namespace.items() if k in ("torch", "nn", "optim")}
    runpy.run_module(name, init_globals=init, run_name="__main__", alter_sys=True)


def _hidden(filename: str) -> bool:
    path = os.path.abspath(filename)
    return path.startswith(_CLI_DIR) or path == _RUNPY


def report_exception(exc: BaseException) -> int:
    """Prints an exception from user code (without th's own frames); returns the exit status.

    With ``TORCH7_DEBUG_ON_ERROR=1`` the post-mortem debugger starts on the traceback.

    Args:
        exc: the exception.

    Returns:
        The status ``th`` exits with: the code of a ``SystemExit``, 130 for Ctrl-C, else 1.
    """
    if isinstance(exc, SystemExit):
        code = exc.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    tb = exc.__traceback__
    while tb is not None and _hidden(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    sys.stdout.flush()
    traceback.print_exception(type(exc), exc, tb)
    sys.stderr.flush()
    if debug_on_error() and tb is not None and not isinstance(exc, KeyboardInterrupt):
        import pdb

        pdb.post_mortem(tb)
    return 130 if isinstance(exc, KeyboardInterrupt) else 1
