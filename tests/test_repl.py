"""The ``th`` REPL as a person uses it: pexpect types into a terminal and reads what appears.

Both REPLs are driven through a pseudo-terminal: IPython (the default) and the plain
``code.InteractiveConsole`` fallback (``TORCH7_REPL=console``).  Escape codes are stripped before
matching, so the tests read the text a person sees.  Also: the IPython formatter API, the timer,
the history file.
"""

import io
import os
import re
import sys
import time
from pathlib import Path

import pytest

import torch7 as torch
from torch7 import nn
from torch7.cli import display, timing
from torch7.cli.helpers import rewrite_line

pexpect = pytest.importorskip("pexpect")

TIME = r"\[\d+\.\d{4}s\]"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[>=]|[\r\x07]| \x08")


def th_command() -> str:
    exe = Path(sys.executable).parent / "th"
    return str(exe) if exe.exists() else f"{sys.executable} -m torch7.cli.th"


class Terminal:
    """A ``th`` process on a pseudo-terminal; :meth:`wait_for` reads the screen text as it comes."""

    def __init__(self, tmp_path: Path, **env):
        full_env = dict(os.environ, HOME=str(tmp_path), TREPL_HISTORY=str(tmp_path / "history"), TERM="xterm",
                        PAGER="cat", PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="120", LINES="50")
        for name in ("TORCH7_REPL", "TORCH7_DEBUG_ON_ERROR", "TREPLSTARTUP", "NO_COLOR"):
            full_env.pop(name, None)
        full_env.update(env)
        self.child = pexpect.spawn(th_command(), env=full_env, cwd=str(tmp_path), encoding="utf-8",
                                   dimensions=(50, 120), timeout=20)
        self.raw = ""
        self.pos = 0

    @property
    def text(self) -> str:
        return ANSI.sub("", self.raw)

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        """Waits until ``pattern`` (a regex) appears after the last match; returns the text up to its end."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.text
            m = re.search(pattern, text[self.pos:])
            if m:
                seen = text[self.pos:self.pos + m.end()]
                self.pos += m.end()
                return seen
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} did not appear; the screen shows:\n{text[self.pos:]}")
            try:
                self.raw += self.child.read_nonblocking(65536, timeout=0.2)
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                if not re.search(pattern, self.text[self.pos:]):
                    raise AssertionError(f"th exited before {pattern!r}; screen:\n{self.text[self.pos:]}") from None

    def type(self, keys: str) -> None:
        self.child.send(keys)

    def command(self, line: str, expect: str) -> str:
        self.type(line + "\r")
        return self.wait_for(expect)

    def wait_exit(self) -> int:
        self.child.expect(pexpect.EOF, timeout=20)
        self.child.close()
        return self.child.exitstatus


def test_ipython_repl_session(tmp_path):
    (tmp_path / "datafile_for_th.txt").write_text("hello from file\n")
    t = Terminal(tmp_path)
    t.wait_for(r"Torch7.*\n.*Scientific computing")
    t.wait_for(r"th> ")
    # an assignment prints nothing: its time goes to the right of the input line
    t.command("x = torch.Tensor([[1, 2], [3, 4]])", TIME)
    assert "\x1b[A\x1b[67G" in t.raw
    # a result prints in Torch7's format, then the time right-aligned on its own line
    t.command("x", r" 1  2\n 3  4\n\[torch\.DoubleTensor of size 2x2\]\n {66}" + TIME)
    # tab completion of an attribute (one candidate: inserted) ...
    t.type("torch.manualSe\t")
    t.wait_for("manualSeed")
    t.command("(123); f'{torch.uniform():.14f}'", r"'0\.69646918727085'\n {66}" + TIME)
    # ... with several candidates: a menu is offered
    t.type("torch.rand\t")
    t.wait_for("randperm")
    t.command("n(2).size(0)", r"\n2\n {66}" + TIME)
    # file names complete inside a string
    t.type("open('datafile_f\t")
    t.wait_for("datafile_for_th.txt")
    t.command("').read()", r"'hello from file\\n'")
    t.command("?torch.add", r"Signature:.*\n(.*\n)*Sum: ``add\(\[res,\] t, value\)``")
    t.command("$ echo hi", r"\nhi\n {66}" + TIME)
    t.command("1/0", r"ZeroDivisionError: division by zero")
    seen = t.command("7 * 6;", TIME)
    assert "42" not in re.sub(r"\[\d+\.\d+s\]", "", seen)  # the timing itself may contain 42
    t.command("(_RESULTS[0].type(), _LAST)", r"\('torch.DoubleTensor', 'hi\\n'\)")
    t.command("sm = nn.SoftMax()", TIME)
    t.command("sm", r"nn\.SoftMax\n")
    t.type("exit\r")
    assert t.wait_exit() == 0
    history = (tmp_path / "history").read_text().splitlines()
    assert history[0] == "x = torch.Tensor([[1, 2], [3, 4]])" and "$ echo hi" in history
    assert history[-1] == "exit"
    # the next session reads the history: Up brings back 'exit'
    t2 = Terminal(tmp_path)
    t2.wait_for(r"th> ")
    t2.type("\x1b[A")
    t2.wait_for("exit")
    t2.type("\r")
    assert t2.wait_exit() == 0


def test_console_fallback_session(tmp_path):
    (tmp_path / "datafile_for_th.txt").write_text("hello from file\n")
    t = Terminal(tmp_path, TORCH7_REPL="console")
    t.wait_for(r"Torch7.*\n.*Scientific computing")
    t.wait_for(r"th> ")
    t.command("x = torch.Tensor([[1, 2], [3, 4]])", TIME)
    t.command("x", r" 1  2\n 3  4\n\[torch\.DoubleTensor of size 2x2\]\n {66}" + TIME)
    # rlcompleter completes a function with its '('
    t.type("torch.manualSe\t")
    t.wait_for(r"ed\(")
    t.command("123); f'{torch.uniform():.14f}'", r"'0\.69646918727085'\n {66}" + TIME)
    # a file name inside a string (GNU readline also closes the quote)
    t.type("open('datafile_f\t")
    t.wait_for("or_th.txt'")
    t.command(").read()", r"'hello from file\\n'")
    t.command("$ echo hi", r"\nhi\n {66}" + TIME)
    t.command("?torch.add", r"Sum: ``add\(\[res,\] t, value\)``")
    t.command("1/0", r"ZeroDivisionError: division by zero")
    t.command("[x, 1]", r"\[DoubleTensor - size: 2x2, 1\]")
    seen = t.command("7 * 6;", TIME)
    assert "42" not in re.sub(r"\[\d+\.\d+s\]", "", seen)  # the timing itself may contain 42
    t.command("for i in range(2):", r"\.\.> ")
    t.command("    print(i * 10)", r"\.\.> ")
    t.command("", r"\n0\n10\n")
    t.type("\x04")  # Ctrl-D asks first, as trepl did
    t.wait_for(r"Do you really want to exit \(\[y\]/n\)\? ")
    t.command("n", r"th> ")
    t.type("exit\r")
    assert t.wait_exit() == 0
    history = (tmp_path / "history").read_text().splitlines()
    assert history[:2] == ["x = torch.Tensor([[1, 2], [3, 4]])", "x"] and history[-1] == "exit"


@pytest.mark.parametrize("repl, debugger_prompt", [("console", "(Pdb) 5"), ("ipython", "ipdb> 5")])
def test_repl_in_a_pipe_and_debug_on_error(tmp_path, repl, debugger_prompt):
    # no terminal: no escape codes, no history file, plain time stamps
    import subprocess

    env = dict(os.environ, TORCH7_REPL=repl, TREPL_HISTORY=str(tmp_path / "h"), TORCH7_DEBUG_ON_ERROR="1")
    r = subprocess.run(th_command().split(), input="v = 5\n1/0\np v\nq\n=v + 1\n", capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 0
    assert "\x1b" not in r.stdout
    assert "ZeroDivisionError" in r.stdout + r.stderr
    assert debugger_prompt in r.stdout  # the post-mortem debugger, then the REPL goes on
    assert re.search(r"\n6\n {66}" + TIME, r.stdout.replace("th> ", "\n"))
    assert not (tmp_path / "h").exists()  # no line editor, no history (as trepl without readline)


# ---------------------------------------------------------------- in process: formatters, timer, rewriting

def test_ipython_formatters_print_torch7_format():
    from IPython.core.formatters import DisplayFormatter

    fmt = DisplayFormatter()
    x = torch.Tensor([[1, 2], [3, 4]])
    model = nn.Sequential().add(nn.Linear(3, 2)).add(nn.ReLU())
    display.register_formatters(fmt)
    text = fmt.format(x)[0]["text/plain"]
    assert text == str(x) and text.endswith("[torch.DoubleTensor of size 2x2]")
    assert fmt.format(model)[0]["text/plain"] == str(model)
    assert fmt.format(nn.MSECriterion())[0]["text/plain"] == "nn.MSECriterion"
    assert fmt.format(x.size())[0]["text/plain"] == str(x.size())  # printed as a LongStorage
    assert fmt.format(x.storage())[0]["text/plain"].endswith("[torch.DoubleStorage of size 4]")
    nested = fmt.format({"w": x, "s": torch.FloatStorage(3), "e": torch.Tensor()})[0]["text/plain"]
    expected = "{'w': DoubleTensor - size: 2x2, 's': FloatStorage - size: 3, 'e': DoubleTensor - empty}"
    assert " ".join(nested.split()) == expected  # IPython wraps at 79 columns
    display.unregister_formatters(fmt)
    assert "DoubleTensor - size" not in fmt.format([x])[0]["text/plain"]


def test_load_ipython_extension_on_a_shell():
    from IPython.core.formatters import DisplayFormatter

    class Shell:
        display_formatter = DisplayFormatter()

    display.load_ipython_extension(Shell)
    assert Shell.display_formatter.format([torch.LongTensor(3)])[0]["text/plain"] == "[LongTensor - size: 3]"
    display.unload_ipython_extension(Shell)


class _FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_timer_places_the_time_like_the_slides(monkeypatch):
    monkeypatch.setattr(timing.shutil, "get_terminal_size", lambda: os.terminal_size((120, 50)))
    out = _FakeTTY()
    monkeypatch.setattr(sys, "stdout", out)
    timer = timing.CommandTimer()
    timer.start("x = 1")
    timer.stop()
    assert re.fullmatch(r"\x1b\[A\x1b\[67G\x1b\[1;30m" + TIME + r"\x1b\[0m\n", out.getvalue())
    out.seek(0)
    out.truncate()
    timer.start("x")
    print("result")
    timer.stop()
    assert sys.stdout is out
    assert re.fullmatch(r"result\n {66}\x1b\[1;30m" + TIME + r"\x1b\[0m\n", out.getvalue())
    out.seek(0)
    out.truncate()
    timer.start("y = '" + "a" * 70 + "'")  # too long to hold the time: a line of its own
    timer.stop()
    assert out.getvalue().startswith(" " * 66)


def test_rewrite_line_trepl_specials():
    assert rewrite_line("$ ls -l 'a b'") == "_trepl.shell(\"ls -l 'a b'\")"
    assert rewrite_line("  ?  ") == "_trepl.selfhelp()"
    assert rewrite_line("= x") == "x"
    assert rewrite_line("if x:\n    $y") == "if x:\n    $y"  # only single lines are rewritten
    assert rewrite_line("x = 1") == "x = 1"
