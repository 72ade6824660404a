"""torch.CmdLine: Torch7's command-line parser (options, positional arguments, help, run names, log files).

Behaviour follows Torch7's ``CmdLine.lua``: an option's type comes from its default; a boolean option takes
no value and flips its default; ``-h``/``-help``/``--help`` print the help and exit 0; a bad command line
prints the message (stderr) and the help (stdout) and exits 1.  Number options give an ``int`` when their
default is an ``int`` and the value is integral (``-dropout 0.5`` on a default of ``0`` gives ``0.5``, as a
Lua number would), and a ``float`` when the default is a ``float``.
"""

from __future__ import annotations

import builtins
import os
import sys
import time

from .attrdict import AttrDict
from .cmdline_values import LUA_TYPES, PY_KINDS, convert, kind_of, strip, tonumber, tostring


class CmdLine:
    """Torch7's command-line parser: declare options and arguments, then ``parse`` a list of strings.

    Args:
        argseparator: joins ``key=value`` items in ``string()`` (default ``','``).
        keyseparator: joins a key and its value in ``string()`` (default ``'='``).

    Returns:
        ``parse`` returns an ``AttrDict`` (a dict; ``opt.rnn_size`` and ``opt['rnn_size']``) holding every
        option (name without dashes) and positional argument; ``torch.save`` writes it as a table.

    Example:
        >>> import torch7 as torch
        >>> cmd = torch.CmdLine()
        >>> cmd.text('Train a model')
        >>> cmd.option('-rnn_size', 128, 'size of LSTM internal state')
        >>> cmd.option('-lr', 2e-3, 'learning rate')
        >>> cmd.option('-cuda', False, 'use CUDA')
        >>> opt = cmd.parse(['-rnn_size', '256', '-cuda'])
        >>> opt.rnn_size, opt['lr'], opt.cuda
        (256, 0.002, True)
        >>> cmd.help('train.py')  # doctest: +NORMALIZE_WHITESPACE
        Usage: train.py [options]
        Train a model
          -rnn_size size of LSTM internal state [128]
          -lr       learning rate [0.002]
          -cuda     use CUDA [false]
        >>> cmd.string('lm', opt, {})  # doctest: +NORMALIZE_WHITESPACE
        rnn_size  256  128
        cuda  t  false
        'lm,cuda=t,rnn_size=256'
    """

    _typename = "torch.CmdLine"

    def __init__(self, argseparator: str = ",", keyseparator: str = "=") -> None:
        self.argseparator = argseparator
        self.keyseparator = keyseparator
        self.options: dict = {}  # '-name' -> AttrDict(key, default, help, type, kind)
        self.arguments: list = []  # AttrDict(key, help, type, kind), in order
        self.helplines: list = []  # option/argument records and text lines, in declaration order
        self.dateformat = None
        self.silentio = False
        self._log = None

    # ---- declarations -------------------------------------------------------------------------------

    def option(self, key: str, default, help: str | None = None, type_=None) -> None:
        """Declare option ``key`` (``'-name'``) with its default value, help text and optional type.

        ``type_`` is a Lua type name (``'number'``, ``'string'``, ``'boolean'``) or ``int``/``float``/``str``/
        ``bool``; without it the type comes from ``default``.
        """
        if default is None:
            raise ValueError(f"CmdLine.option: option {key} has no default value")
        inferred = kind_of(default)
        if type_ is None:
            if inferred is None:
                raise TypeError(f"CmdLine.option: option {key}: a default of type {type(default).__name__} cannot "
                                "be parsed from the command line (use a number, string or boolean)")
            luatype, kind = inferred
        elif isinstance(type_, str):
            if type_ not in LUA_TYPES:
                raise ValueError(f"CmdLine.option: option {key}: unknown type '{type_}' (number, string or boolean)")
            if inferred is None or inferred[0] != type_:
                raise TypeError(f"CmdLine.option: option {key} has wrong default type value")
            luatype, kind = inferred
        elif type_ in PY_KINDS:
            kind = PY_KINDS[type_]
            luatype = "number" if kind in ("int", "float") else kind
            ok = inferred is not None and inferred[0] == luatype and not (kind == "int" and inferred[1] == "float")
            if not ok:
                raise TypeError(f"CmdLine.option: option {key} has wrong default type value "
                                f"({default!r} is not {type_.__name__})")
            default = float(default) if kind == "float" else default
        else:
            raise TypeError(f"CmdLine.option: option {key}: type must be a Lua type name or int/float/str/bool")
        rec = AttrDict(key=key, default=default, help=help, type=luatype, kind=kind)
        self.options[key] = rec
        self.helplines.append(rec)

    def argument(self, key: str, help: str | None = None, type_=None) -> None:
        """Declare the next positional argument ``key``; its value is a string unless ``type_`` says
        ``'number'``/``int``/``float`` (Torch7 rejected every non-string type; here the value is converted)."""
        if type_ is None or type_ in ("string", str):
            luatype, kind = "string", "string"
        elif type_ == "number":
            luatype, kind = "number", "number"
        elif type_ in (int, float):
            luatype, kind = "number", PY_KINDS[type_]
        else:
            raise ValueError(f"CmdLine.argument: argument {key}: unsupported type {type_!r}")
        rec = AttrDict(key=key, help=help, type=luatype, kind=kind)
        self.arguments.append(rec)
        self.helplines.append(rec)

    def text(self, txt: str = "") -> None:
        """Add a line of text to the help (an empty line without argument)."""
        if not isinstance(txt, str):
            raise TypeError(f"CmdLine.text: expects a string, got {type(txt).__name__}")
        self.helplines.append(txt)

    def default(self) -> AttrDict:
        """The options' default values, keyed by name without dashes."""
        return AttrDict((strip(k), o.default) for k, o in self.options.items())

    # ---- parsing ------------------------------------------------------------------------------------

    def parse(self, arg=None) -> AttrDict:
        """Parse ``arg`` (default ``sys.argv[1:]``): the defaults, overridden by the options given, plus
        the positional arguments.  Exits (``SystemExit``) after ``-h`` (0) or on a bad command line (1)."""
        if arg is None:
            arg = sys.argv[1:]
        if isinstance(arg, (str, bytes)) or not all(isinstance(a, str) for a in arg):
            raise TypeError("CmdLine.parse: expects a list of strings such as sys.argv[1:]")
        arg = list(arg)
        params = self.default()
        i, n_argument = 0, 0
        while i < len(arg):
            if arg[i] in ("-help", "-h", "--help"):
                self.help(_progname())
                sys.exit(0)
            if arg[i] in self.options:
                i += self._read_option(params, arg, i)
            else:
                n_argument += 1
                i += self._read_argument(params, arg, i, n_argument)
        if n_argument != len(self.arguments):
            self.error("not enough arguments")
        return params

    def _read_option(self, params: dict, arg: list, i: int) -> int:
        key = arg[i]
        option = self.options[key]
        if option.kind == "boolean":
            params[strip(key)] = not option.default
            return 1
        if i + 1 >= len(arg):
            self.error(f"missing argument for option {key}")
        value = convert(arg[i + 1], option.kind)
        if value is None:
            self.error(f"invalid type for option {key} (should be {'integer' if option.kind == 'int' else 'number'})")
        params[strip(key)] = value
        return 2

    def _read_argument(self, params: dict, arg: list, i: int, n_argument: int) -> int:
        value = arg[i]
        if n_argument > len(self.arguments):
            if value.startswith("-") and len(value) > 1 and tonumber(value) is None:
                self.error(f"unknown option {value}")
            self.error(f"invalid argument: {value}")
        argument = self.arguments[n_argument - 1]
        converted = convert(value, argument.kind)
        if converted is None:
            self.error(f"invalid argument type for argument {argument.key} (should be {argument.type})")
        params[strip(argument.key)] = converted
        return 1

    def error(self, msg: str) -> None:
        """Print ``msg`` to stderr and the help to stdout, then exit with status 1 (as Torch7 does)."""
        print("")
        sys.stdout.flush()
        sys.stderr.write(msg)
        sys.stderr.flush()
        print("")
        self.help()
        sys.exit(1)

    # ---- help ---------------------------------------------------------------------------------------

    def help(self, arg=None) -> None:
        """Write the help to stdout; ``arg`` is the program name, or a ``sys.argv``-like list whose item 0 is."""
        if isinstance(arg, (list, tuple)):
            arg = arg[0] if arg else None
        sys.stdout.write(self._helptext(arg))
        sys.stdout.flush()

    def _helptext(self, prog) -> str:
        out = ["Usage: "]
        if prog is not None:
            out.append(f"{prog} ")
        out.append("[options] ")
        out.extend(f"<{strip(a.key)}>" for a in self.arguments)
        out.append("\n")
        width = 0
        for h in self.helplines:
            if not isinstance(h, str):
                width = max(width, len(h.key) if "default" in h else len(strip(h.key)) + 2)
        for h in self.helplines:
            if isinstance(h, str):
                out.append(h)
            else:
                name = h.key if "default" in h else f"<{strip(h.key)}>"
                out.append("  " + name.ljust(width))
                if h.help is not None:
                    out.append(f" {h.help}")
                if "default" in h:
                    out.append(f" [{tostring(h.default)}]")
            out.append("\n")
        return "".join(out)

    # ---- run names and logs -------------------------------------------------------------------------

    def string(self, prefix: str, params: dict, ignore: dict) -> str:
        """A run name: ``prefix``, the positional arguments, then the non-default options, sorted, as
        ``key=value`` joined by ``argseparator`` (booleans as t/f).  ``ignore`` (a dict, required as in
        Torch7) maps names to skip to True, and names to include even at their default to False."""
        if not isinstance(ignore, dict):
            raise TypeError(f"CmdLine.string: ignore must be a dict such as {{'dir': True}}, got {ignore!r}")
        by_name = {strip(k): o for k, o in self.options.items()}
        arguments: dict = {}
        options = []
        for k, v in params.items():
            flag = ignore.get(k)
            if flag is not None and flag is not False:
                print(f"-- ignore option {k}")
            elif k in by_name:
                default = by_name[k].default
                if v != default or (k in ignore and flag is False):
                    s = ("t" if v else "f") if isinstance(v, bool) else tostring(v)
                    options.append(f"{k}{self.keyseparator}{s}")
                    print(k, s, tostring(default), sep="\t")
            else:
                narg = None
                for n, a in enumerate(self.arguments):
                    if strip(a.key) == k:
                        narg = n
                if narg is not None:
                    arguments[narg] = f"{k}{self.keyseparator}{tostring(v)}"
                else:
                    print(f"WARNING: unknown option/argument: {k} IGNORING for DIRECTORY NAME")
        options.sort()
        sep = self.argseparator
        s = sep.join(arguments[n] for n in sorted(arguments))
        # Torch7 appends the separator even when no option follows the arguments; kept for identical names.
        s = sep.join(options) if s == "" else s + sep + sep.join(options)
        return (prefix or "") if s == "" else (prefix or "") + sep + s

    def silent(self) -> None:
        """After ``log``, write ``print`` output to the log file only (not to stdout)."""
        self.silentio = True

    def addTime(self, name: str | None = None, format: str = "%Y-%m-%d %H:%M:%S") -> None:
        """Prefix each line of the log file with the date (``format``, strftime) and ``[name]: ``."""
        if not isinstance(format, str):
            raise TypeError("CmdLine.addTime: Argument has to be string")
        self.dateformat = format + (f"[{name}]: " if name is not None else "")

    def log(self, file, params: dict | None = None) -> None:
        """Tee ``print`` into ``file`` (a name or an open text file) and record the start and ``params``.

        Like Torch7, this replaces the global ``print`` (``builtins.print``); ``closelog`` (torch7 only)
        puts it back.  Each file line is the printed values separated by spaces, then `` \\n``.
        """
        if isinstance(file, (str, os.PathLike)):
            f, owned = open(file, "w"), True  # stays open while print is redirected
        elif hasattr(file, "write"):
            f, owned = file, False
        else:
            raise TypeError(f"CmdLine.log: expects a file name or an open file, got {type(file).__name__}")
        if self._log is not None:
            self.closelog()
        orig = getattr(builtins.print, "_cmdline_orig", builtins.print)
        tee = _make_tee(self, f, orig)
        builtins.print = tee
        self._log = (f, owned, tee)
        print(f"[program started on {time.strftime('%c')}]")
        print("[command line arguments]")
        for k, v in (params or {}).items():
            print(k, tostring(v), sep="\t")
        print("[----------------------]")

    def closelog(self) -> None:
        """Stop the tee started by ``log``: restore ``print`` and close a file that ``log`` opened."""
        if self._log is None:
            return
        f, owned, tee = self._log
        self._log = None
        if builtins.print is tee:
            builtins.print = tee._cmdline_orig
        if owned:
            f.close()

    def __repr__(self) -> str:
        return f"torch.CmdLine ({len(self.options)} options, {len(self.arguments)} arguments)"


def _make_tee(cmd: CmdLine, f, orig):
    """A ``print`` that writes to stdout (unless ``cmd.silent()``) and to ``f`` in Torch7's log layout."""

    def tee(*objects, sep=" ", end="\n", file=None, flush=False):
        if file is not None and file is not sys.stdout:
            return orig(*objects, sep=sep, end=end, file=file, flush=flush)
        if not cmd.silentio:
            orig(*objects, sep=sep, end=end, flush=flush)
        parts = [time.strftime(cmd.dateformat)] if cmd.dateformat is not None else []
        parts.extend(str(o) for o in objects)
        parts.append("\n")
        f.write(" ".join(parts))
        f.flush()
        return None

    tee._cmdline_orig = orig
    return tee


def _progname():
    """The program name Torch7's help shows after ``Usage:`` (``sys.argv[0]``), or None."""
    return sys.argv[0] if sys.argv and sys.argv[0] else None
