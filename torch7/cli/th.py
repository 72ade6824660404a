"""``th``: runs scripts and opens the REPL, as Lua Torch7's ``th`` does.

``th`` alone opens the REPL; ``th script.py args...`` runs a script (every argument after the
script is the script's); ``-e``, ``-l``, ``-i``, ``-h`` are trepl's flags and ``-m module`` works as
``python -m``.  Order of work: ``-l`` libraries, ``-e`` statements, the script or module, then the
REPL when ``-i`` is given or there was nothing else to run.
"""

from __future__ import annotations

import dataclasses
import os
import sys

USAGE = """\
Usage: th [options] [script.py [arguments]]

Options:
  -l name            load library name (-lname too; torch7 packages by short name: -l image)
  -e statement       execute statement (then exit unless -i)
  -m module          run library module as a script, like python -m (the rest are its arguments)
  -h,--help          print this help
  -i,--interactive   enter the REPL after executing a script or statement

Environment: TREPL_HISTORY (history file, default ~/.torch7_history), TREPLSTARTUP (Python file
run before the REPL when neither -i nor -e is given), TORCH7_REPL=console (plain console instead
of IPython), TORCH7_DEBUG_ON_ERROR=1 (post-mortem debugger on errors)."""

_LUA_ONLY = {"-a", "--async", "-g", "--globals", "-gg", "--gglobals", "-x", "--gfx"}


@dataclasses.dataclass
class Options:
    """The parsed command line of ``th``."""

    libs: list[str] = dataclasses.field(default_factory=list)
    statements: list[str] = dataclasses.field(default_factory=list)
    interactive: bool = False
    help: bool = False
    module: str | None = None
    script: str | None = None
    args: list[str] = dataclasses.field(default_factory=list)


class UsageError(Exception):
    """A bad ``th`` command line; the message is printed before the help text."""


def parse_args(argv: list[str]) -> Options:
    """Parses ``th``'s arguments (without the program name).

    Args:
        argv: the arguments.

    Returns:
        The options; everything after the script (or ``-m module``) belongs to it.

    Raises:
        UsageError: on an unknown flag or a flag missing its value.

    Example:
        >>> o = parse_args(['-lnn', '-e', 'x = 1', 'train.py', '-e', 'lr'])
        >>> o.libs, o.statements, o.script, o.args
        (['nn'], ['x = 1'], 'train.py', ['-e', 'lr'])
    """
    opts = Options()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            opts.help = True
        elif a in ("-i", "--interactive"):
            opts.interactive = True
        elif a[:2] in ("-e", "-l", "-m") and (len(a) > 2 or i + 1 < len(argv)):
            value = a[2:] if len(a) > 2 else argv[i + 1]
            i += 1 if len(a) > 2 else 2
            if a[:2] == "-m":
                opts.module, opts.args = value, argv[i:]
                return opts
            (opts.statements if a[:2] == "-e" else opts.libs).append(value)
            continue
        elif a in ("-e", "-l", "-m"):
            raise UsageError(f"Error: flag {a} needs an argument")
        elif a in _LUA_ONLY:
            raise UsageError(f"Error: flag {a} is a Lua trepl feature that torch7's th does not provide")
        elif a == "--":
            if i + 1 < len(argv):
                opts.script, opts.args = argv[i + 1], argv[i + 2:]
            return opts
        elif a.startswith("-") and a != "-":
            raise UsageError(f"Error: unrecognized flag {a}")
        else:
            opts.script, opts.args = a, argv[i + 1:]
            return opts
        i += 1
    return opts


def start_repl(module, first: bool = True) -> int:
    """Opens the REPL on ``module``'s namespace: IPython if installed, else the plain console.

    ``TORCH7_REPL=console`` asks for the plain console; ``TORCH7_REPL=ipython`` insists on IPython.

    Args:
        module: the ``__main__`` module.
        first: whether nothing ran before (then ``$TREPLSTARTUP`` runs first, as in trepl).

    Returns:
        The exit status.
    """
    import importlib.util

    from .runner import report_exception, run_code

    startup = os.environ.get("TREPLSTARTUP")
    if first and startup:
        try:
            with open(startup, encoding="utf-8") as f:
                run_code(f.read(), module.__dict__, startup)
        except Exception as e:
            report_exception(e)
    choice = os.environ.get("TORCH7_REPL", "").strip().lower()
    if choice != "console":
        if importlib.util.find_spec("IPython") is not None:
            from .repl import run_ipython

            return run_ipython(module)
        if choice == "ipython":
            print("th: TORCH7_REPL=ipython but IPython is not installed (pip install 'torch7[repl]')",
                  file=sys.stderr)
            return 1
    from .console import run_console

    return run_console(module)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``th`` console script.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    try:
        opts = parse_args(sys.argv[1:] if argv is None else list(argv))
    except UsageError as e:
        print(e)
        print(USAGE)
        return 1
    if opts.help:
        print(USAGE)
        return 0
    from .runner import load_library, make_main_module, report_exception, run_code, run_module, run_script

    module = make_main_module()
    ns = module.__dict__
    sys.argv[:] = ["-e"] if opts.statements else [""]
    if sys.path and not opts.script:
        sys.path[0] = ""  # the current folder, as for python -c and the python REPL
    for lib in opts.libs:
        load_library(lib, ns)
    status = 0
    try:
        for stmt in opts.statements:
            run_code(stmt, ns)
        if opts.module is not None:
            run_module(opts.module, opts.args, ns)
        elif opts.script is not None:
            try:
                run_script(opts.script, opts.args, module)
            except OSError as e:
                if e.filename != opts.script:
                    raise
                print(f"th: cannot open {opts.script}: {e.strerror}", file=sys.stderr)
                return 1
    except BaseException as e:  # noqa: B036 - SystemExit and Ctrl-C become the exit status too
        status = report_exception(e)
        if isinstance(e, SystemExit) or not opts.interactive:
            return status
    nothing_ran = not (opts.statements or opts.script or opts.module)
    if opts.interactive or nothing_ran:
        return start_repl(module, first=nothing_ran and not opts.interactive)
    return status


if __name__ == "__main__":
    sys.exit(main())
