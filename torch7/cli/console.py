"""The plain ``th`` REPL, on :class:`code.InteractiveConsole`, used when IPython is not installed.

It keeps what trepl did with readline alone: ``th> `` prompt, the banner, results printed in
Torch7's format and kept in ``_RESULTS``/``_LAST``, the time of every command, a trailing ``;``
that suppresses printing, ``?name`` help, ``?``, ``$ cmd``, tab completion of names, attributes
and (inside quotes) file paths, and the history file.  ``TORCH7_DEBUG_ON_ERROR=1`` starts
``pdb`` on errors.  ``TORCH7_REPL=console`` selects it even when IPython is installed.
"""

from __future__ import annotations

import builtins
import code
import sys
import types
from typing import Any

from .completion import ConsoleCompleter
from .display import display_text
from .helpers import BANNER, ReplHelpers, debug_on_error, history_path, rewrite_line
from .histfile import append_entry, read_entries
from .timing import CommandTimer

_EXIT_WORDS = ("exit", "quit", "exit()", "quit()")


class TreplConsole(code.InteractiveConsole):
    """``code.InteractiveConsole`` with trepl's behaviour.

    Args:
        namespace: the REPL's global namespace (``torch``, ``nn``, ``optim`` should be bound).

    Example:
        >>> import io
        >>> import torch7 as torch
        >>> con = TreplConsole({'torch': torch})
        >>> con.timer = CommandTimer(io.StringIO(), tty=False)
        >>> con.push('torch.Tensor([1, 2])')
         1
         2
        [torch.DoubleTensor of size 2]
        False
        >>> con.push('1 + 1;')
        False
        >>> len(con.locals['_RESULTS'])
        1
    """

    def __init__(self, namespace: dict) -> None:
        super().__init__(namespace, filename="<stdin>")
        self.helpers = ReplHelpers(namespace)
        namespace["_trepl"] = self.helpers
        self.timer = CommandTimer()

    def push(self, line: str, *args: Any, **kwargs: Any) -> bool:
        if not self.buffer:
            stripped = line.strip()
            if stripped.startswith("?") and len(stripped) > 1:
                line = f"_trepl.help({stripped[1:].strip()!r})"
            else:
                line = rewrite_line(line)
        return super().push(line, *args, **kwargs)

    def runsource(self, source: str, filename: str = "<input>", symbol: str = "single") -> bool:
        if not source.strip():
            return False
        quiet = source.rstrip().endswith(";")
        try:
            compiled = self.compile(source, filename, "exec" if quiet else symbol)
        except (OverflowError, SyntaxError, ValueError):
            self.showsyntaxerror(filename)
            return False
        if compiled is None:
            return True
        saved_hook = sys.displayhook
        sys.displayhook = self._display
        self.timer.start(source)
        try:
            self.runcode(compiled)
        finally:
            sys.displayhook = saved_hook
            self.timer.stop()
        return False

    def _display(self, value: Any) -> None:
        if value is None:
            return
        builtins._ = None  # so that printing cannot find a stale '_'
        print(display_text(value))
        builtins._ = value
        self.helpers.record(value)

    def showtraceback(self) -> None:
        super().showtraceback()
        if debug_on_error() and sys.last_traceback is not None:
            import pdb

            pdb.post_mortem(sys.last_traceback)


def _ask_exit() -> bool:
    try:
        answer = input("Do you really want to exit ([y]/n)? ").strip().lower()
    except EOFError:
        return True
    return answer in ("", "y", "yes")


def _setup_readline(namespace: dict, path: str):
    try:
        import readline
    except ImportError:  # no readline (Windows): no completion, no history, as trepl without it
        return None
    completer = ConsoleCompleter(namespace, readline)
    readline.set_completer(completer.complete)
    readline.set_completer_delims(" \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>?")
    if "libedit" in (readline.__doc__ or ""):
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
    readline.clear_history()
    for entry in read_entries(path):
        readline.add_history(entry)
    return readline


def run_console(module: types.ModuleType) -> int:
    """Runs the plain REPL on ``module``'s namespace until ``exit`` or end of input.

    Args:
        module: the ``__main__`` module.

    Returns:
        The exit status (0, or the code given to ``sys.exit``).
    """
    from .runner import preload

    ns = module.__dict__
    preload(ns, lazy=False)
    tty = sys.stdin.isatty()
    path = history_path()
    readline = _setup_readline(ns, path) if tty else None
    console = TreplConsole(ns)
    print(BANNER)
    more = False
    while True:
        try:
            line = console.raw_input("..> " if more else "th> ")
        except EOFError:
            if tty and not more and not _ask_exit():
                continue
            print()
            return 0
        except KeyboardInterrupt:
            print("\nKeyboardInterrupt")
            console.resetbuffer()
            more = False
            continue
        if readline is not None and line.strip():
            try:
                append_entry(path, line)
            except OSError:
                pass
        if not more and line.strip() in _EXIT_WORDS:
            return 0
        try:
            more = console.push(line)
        except SystemExit as e:
            return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
