"""The ``th`` REPL on IPython: trepl's prompt, banner, printing, timing, ``$ cmd`` and history.

IPython gives completion of names, attributes and file paths, ``?name`` help, the debugger and
multi-line editing; this module makes it look and behave like trepl:

- ``th> `` prompt, ``..> `` continuation, no ``Out[n]:`` prefix, the Torch7 banner;
- results printed in Torch7's format (:mod:`torch7.cli.display`) and kept in ``_RESULTS``/``_LAST``;
- the time of every command after it (:mod:`torch7.cli.timing`);
- ``?`` alone, ``$ cmd`` and ``=expr`` (:func:`torch7.cli.helpers.rewrite_line`);
- history in ``$TREPL_HISTORY`` or ``~/.torch7_history`` (:mod:`torch7.cli.history`);
- ``TORCH7_DEBUG_ON_ERROR=1`` starts the post-mortem debugger on errors.
"""

from __future__ import annotations

import sys
import types

from IPython.terminal.interactiveshell import TerminalInteractiveShell
from IPython.terminal.prompts import Prompts, RichPromptDisplayHook
from pygments.token import Token
from traitlets import default
from traitlets.config import Config

from .display import register_formatters
from .helpers import BANNER, ReplHelpers, debug_on_error, history_path, rewrite_line
from .history import TreplHistory
from .timing import CommandTimer


class TreplPrompts(Prompts):
    """trepl's prompts: ``th> `` and ``..> ``, no output prompt."""

    def in_prompt_tokens(self):
        return [(Token.Prompt, "th> ")]

    def continuation_prompt_tokens(self, width=None, **kwargs):
        return [(Token.Prompt, "..> ".rjust(width or 4))]

    def rewrite_prompt_tokens(self):
        return []

    def out_prompt_tokens(self):
        return []


class TreplDisplayHook(RichPromptDisplayHook):
    """IPython's display hook, also keeping every printed result in ``_RESULTS``/``_LAST``."""

    def update_user_ns(self, result):
        super().update_user_ns(result)
        helpers = self.shell.user_ns.get("_trepl")
        if isinstance(helpers, ReplHelpers):
            helpers.record(result)


class TreplShell(TerminalInteractiveShell):
    """IPython's terminal shell with trepl's display hook and a plain-text history file."""

    @default("displayhook_class")
    def _trepl_displayhook_class(self):
        return TreplDisplayHook

    def init_prompt_toolkit_cli(self):
        super().init_prompt_toolkit_cli()
        pt_app = getattr(self, "pt_app", None)
        if pt_app is not None:  # None with simple_prompt (stdin is not a terminal): no history then
            history = TreplHistory(history_path())
            pt_app.history = history
            pt_app.default_buffer.history = history


def _cleanup_transform(lines: list[str]) -> list[str]:
    source = "".join(lines)
    rewritten = rewrite_line(source)
    if rewritten is source:
        return lines
    return [rewritten + "\n"]


def make_config(tty: bool) -> Config:
    """IPython configuration for ``th``.

    Args:
        tty: whether stdin is a terminal (no exit confirmation otherwise).

    Returns:
        A traitlets ``Config``.

    Example:
        >>> make_config(True).TerminalInteractiveShell.prompts_class.__name__
        'TreplPrompts'
    """
    c = Config()
    c.HistoryManager.hist_file = ":memory:"  # the history that persists is the trepl file
    c.TerminalInteractiveShell.prompts_class = TreplPrompts
    c.TerminalInteractiveShell.banner1 = BANNER
    c.TerminalInteractiveShell.banner2 = ""
    c.TerminalInteractiveShell.enable_tip = False
    c.TerminalInteractiveShell.separate_in = ""
    c.TerminalInteractiveShell.term_title = False
    c.TerminalInteractiveShell.confirm_exit = tty
    if not tty or not sys.stdout.isatty():
        c.TerminalInteractiveShell.colors = "nocolor"  # plain tracebacks in pipes and files
    c.Completer.use_jedi = False  # completes from the live objects, fast and predictable
    return c


def setup_shell(shell: TerminalInteractiveShell) -> CommandTimer:
    """Installs trepl's behaviour in an IPython shell; returns the command timer it uses."""
    from .runner import preload

    ns = shell.user_ns
    preload(ns, lazy=False)
    ns["_trepl"] = ReplHelpers(ns)
    shell.user_ns_hidden["_trepl"] = ns["_trepl"]
    register_formatters(shell)
    if debug_on_error():
        shell.call_pdb = True  # a property of the shell, not a configurable trait
    shell.input_transformers_cleanup.append(_cleanup_transform)
    timer = CommandTimer()

    def pre_run_cell(info):
        timer.start(info.raw_cell or "")

    def post_run_cell(result):
        if shell.keep_running:
            timer.stop()
        else:  # exit: no time after it
            timer.cancel()

    shell.events.register("pre_run_cell", pre_run_cell)
    shell.events.register("post_run_cell", post_run_cell)
    return timer


def run_ipython(module: types.ModuleType) -> int:
    """Runs the REPL on ``module``'s namespace until ``exit`` or Ctrl-D.

    Args:
        module: the ``__main__`` module (holding what ``-e`` or a script defined).

    Returns:
        The exit status (0).
    """
    tty = sys.stdin.isatty()
    shell = TreplShell.instance(config=make_config(tty), user_module=module)
    setup_shell(shell)
    shell.show_banner()
    shell.mainloop()
    return 0
