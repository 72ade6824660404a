"""What both REPLs (IPython and the plain console) share: banner, help text, line rewriting, helpers.

trepl's special lines are rewritten into Python before they are run:

- ``?`` alone prints the self-help text;
- ``$ cmd`` runs a shell command, prints its output and keeps it in ``_RESULTS``/``_LAST``;
- a leading ``=`` is dropped (``=x`` prints ``x``, as in the stock Lua REPL).

The rewritten code calls the :class:`ReplHelpers` object bound to ``_trepl`` in the namespace.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

BANNER = r"""
  ______             __   |  Torch7
 /_  __/__  ________/ /   |  Scientific computing for Python.
  / / / _ \/ __/ __/ _ \  |  Type ? for help
 /_/  \___/_/  \__/_//_/  |  https://github.com/torch
                          |  http://torch.ch
"""

SELF_HELP = """\
th: the torch7 REPL (Lua trepl on IPython)
  torch, nn, optim      preloaded (torch is torch7)
  expr                  prints the result in Torch7's format, then the time the command took
  expr;                 a trailing ';' suppresses the printing
  ?name                 help on name (?torch.add)
  $ cmd                 runs a shell command; its output goes to _LAST
  _RESULTS, _LAST       every printed result, and the last one
  Tab                   completes names, attributes and file paths (inside quotes)
  exit, Ctrl-D          leave
History: $TREPL_HISTORY, else ~/.torch7_history.  TORCH7_DEBUG_ON_ERROR=1 starts the debugger on errors."""

# trepl's shell aliases (without -G, which means "no colours"/"no group" depending on the ls).
SHELL_ALIASES = {"ls": "ls -F", "ll": "ls -lhF", "la": "ls -ahF", "lla": "ls -lahF"}


def history_path() -> str:
    """The history file: ``$TREPL_HISTORY``, else ``~/.torch7_history``.

    Example:
        >>> history_path().endswith('history')
        True
    """
    return os.environ.get("TREPL_HISTORY") or os.path.join(os.path.expanduser("~"), ".torch7_history")


def debug_on_error() -> bool:
    """Whether ``TORCH7_DEBUG_ON_ERROR`` asks for post-mortem debugging (any value but '', '0')."""
    return os.environ.get("TORCH7_DEBUG_ON_ERROR", "") not in ("", "0")


def rewrite_line(source: str) -> str:
    """Turns trepl's special lines into Python; other input is returned unchanged.

    Args:
        source: the command as typed (one or more lines).

    Returns:
        Python source.

    Example:
        >>> rewrite_line('$ echo hi')
        "_trepl.shell('echo hi')"
        >>> rewrite_line('?'), rewrite_line('=1 + 1'), rewrite_line('x == 1')
        ('_trepl.selfhelp()', '1 + 1', 'x == 1')
    """
    stripped = source.strip()
    if "\n" in stripped:
        return source
    if stripped == "?":
        return "_trepl.selfhelp()"
    if stripped.startswith("$"):
        return f"_trepl.shell({stripped[1:].strip()!r})"
    if stripped.startswith("=") and not stripped.startswith("=="):
        return stripped[1:].lstrip()
    return source


class ReplHelpers:
    """The functions behind trepl's special lines, bound to ``_trepl`` in the REPL namespace.

    Args:
        namespace: the REPL's global namespace (``_RESULTS`` and ``_LAST`` live there).

    Example:
        >>> ns = {}
        >>> h = ReplHelpers(ns)
        >>> h.record(5)
        >>> ns['_RESULTS'], ns['_LAST']
        ([5], 5)
    """

    def __init__(self, namespace: dict) -> None:
        self.namespace = namespace
        namespace.setdefault("_RESULTS", [])

    def record(self, value: Any) -> None:
        """Appends a printed result to ``_RESULTS`` and makes it ``_LAST``."""
        results = self.namespace.get("_RESULTS")
        if not isinstance(results, list):
            results = self.namespace["_RESULTS"] = []
        results.append(value)
        self.namespace["_LAST"] = value

    def shell(self, command: str) -> None:
        """Runs ``command`` in the shell (trepl's ``$ cmd``), prints its output and records it.

        Args:
            command: the shell command line; ``ls``, ``ll``, ``la``, ``lla`` are aliases as in trepl.
        """
        words = command.split(None, 1)
        if words and words[0] in SHELL_ALIASES and os.name == "posix":
            command = SHELL_ALIASES[words[0]] + (" " + words[1] if len(words) > 1 else "")
        sys.stdout.flush()
        proc = subprocess.run(command, shell=True, stdout=subprocess.PIPE, text=True, errors="replace")
        sys.stdout.write(proc.stdout)
        sys.stdout.flush()
        self.record(proc.stdout)

    def selfhelp(self) -> None:
        """Prints the REPL's help (trepl's ``?``)."""
        print(SELF_HELP)

    def help(self, expr: str) -> None:
        """Prints the documentation of ``expr`` as plain text (``?name`` in the plain console).

        Args:
            expr: a Python expression evaluated in the REPL namespace, e.g. ``'torch.add'``.
        """
        import inspect
        import pydoc

        try:
            obj = eval(expr, self.namespace)
        except Exception as e:
            print(f"?{expr}: {type(e).__name__}: {e}")
            return
        if inspect.isroutine(obj) or inspect.isclass(obj) or inspect.ismodule(obj):
            text = pydoc.plaintext.document(obj, expr.rsplit(".", 1)[-1])
        else:
            text = pydoc.render_doc(obj, title=f"{expr}: %s", renderer=pydoc.plaintext)
        print(pydoc.plain(text).rstrip())

    def __repr__(self) -> str:
        return "<trepl helpers: ? $cmd _RESULTS _LAST>"
