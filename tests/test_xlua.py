"""torch7.xlua: progress bar (xlua's layout, drawn only on terminals unless forced), print, formatTime."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import torch7 as torch
from torch7 import xlua
from torch7.xlua.bar import render_frame


def screen(raw: str) -> list[str]:
    """What a terminal shows after ``raw``: \\r goes to column 0, \\b one column left, text overwrites."""
    lines, row, col = [[]], 0, 0
    for ch in raw:
        if ch == "\r":
            col = 0
        elif ch == "\b":
            col = max(0, col - 1)
        elif ch == "\n":
            row, col = row + 1, 0
            if row == len(lines):
                lines.append([])
        else:
            line = lines[row]
            line.extend(" " * (col + 1 - len(line)))
            line[col] = ch
            col += 1
    return ["".join(line).rstrip() for line in lines]


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("seconds,text", [(0, "0ms"), (0.0004, "0ms"), (0.25, "250ms"), (59.5, "59s500ms"),
                                          (61, "1m1s"), (3600, "1h"), (3725.5, "1h2m"), (90061.5, "1D1h"),
                                          (2 * 86400 + 5, "2D5s"), (86400 + 0.5, "1D500ms")])
def test_formattime(seconds, text):
    assert xlua.formatTime(seconds) == text


def test_render_frame_bytes():
    # 80 columns: bar of 46 cells, 30 blanks and 30 backspaces, the timing, then 5 + len(tm) + 23 backspaces.
    tm = " ETA: 1s | Step: 10ms"
    got = render_frame(3, 10, 13, 46, 80, tm, False)
    assert got == (" [" + "=" * 12 + ">" + "." * 33 + "] " + " " * 30 + "\b" * 30 + tm + "\b" * 49
                   + " 3/10 \r")
    assert render_frame(2, 2, 4, 4, 40, "", True).startswith(" [===>] ")
    assert render_frame(2, 2, 4, 4, 40, "", True).endswith(" 2/2 \n\r")
    assert render_frame(0, 5, 0, 5, 40, "", False).startswith(" [.....] ")
    assert render_frame(2.5, 5, 2, 5, 40, "", False).endswith(" 2.5/5 \r")


def test_progress_bar_frames_as_a_terminal_shows_them():
    clock, out = Clock(), io.StringIO()
    bar = xlua.ProgressBar(out, width=80, force=True, clock=clock)
    shown = {}
    for i in range(1, 11):
        bar(i, 10)
        shown[i] = screen(out.getvalue())
        clock.t += 0.25
    assert shown[1] == [" [===>................ 1/10 ....................]  ETA: 0ms | Step: 0ms"]
    assert shown[3] == [" [============>....... 3/10 ....................]  ETA: 1s750ms | Step: 250ms"]
    assert shown[10] == [" [==================== 10/10 ==================>]  Tot: 2s250ms | Step: 250ms", ""]
    assert out.getvalue().count("\n") == 1 and out.getvalue().endswith("\n\r")


def test_finished_bar_is_not_redrawn_until_a_new_one_starts():
    clock, out = Clock(), io.StringIO()
    bar = xlua.ProgressBar(out, width=40, force=True, clock=clock)
    bar(5, 5)
    first = out.getvalue()
    assert first.endswith(" 5/5 \n\r")
    bar(5, 5)
    assert out.getvalue() == first + "\r"  # xlua writes only the carriage return
    bar(1, 5)  # a lower fill starts a new bar
    assert out.getvalue()[len(first) + 1:].startswith(" [=>" + "." * 8 + "] ")  # 40 - 34 < 10: 10 cells


def test_step_is_averaged_over_the_last_100_calls():
    clock, out = Clock(), io.StringIO()
    bar = xlua.ProgressBar(out, width=80, force=True, clock=clock)
    for i in range(1, 201):
        clock.t = (i - 1) * 1.0 if i <= 100 else 99 + (i - 100) / 64
        bar(i, 1000)
    # The oldest call kept is call 100 (t=99); call 200 is at 99 + 100/64: 100/64 s over 100 steps = 15.625 ms
    # (averaging from call 1 would give about 500 ms).
    last = screen(out.getvalue())[-1]
    assert last.endswith("ETA: 12s500ms | Step: 15ms"), last


def test_silent_unless_terminal_or_forced(monkeypatch):
    out = io.StringIO()
    xlua.ProgressBar(out)(1, 2)
    assert out.getvalue() == ""
    tty = Tty()
    monkeypatch.setenv("COLUMNS", "60")
    xlua.ProgressBar(tty)(1, 2)
    assert tty.getvalue().startswith(" [" + "=" * 12 + ">" + "." * 13 + "] ")  # 60 - 34 = 26 cells
    monkeypatch.setenv("COLUMNS", "300")
    wide = Tty()
    xlua.ProgressBar(wide)(2, 2)
    assert screen(wide.getvalue())[0].index("]") == 2 + 86  # capped at 120 columns
    with pytest.raises(ValueError, match="goal must be positive, got 0"):
        xlua.ProgressBar(out, force=True)(1, 0)


def test_module_progress_uses_stdout_and_the_force_switch(monkeypatch, capsys):
    monkeypatch.setattr(xlua, "_bar", xlua.ProgressBar())
    monkeypatch.setenv("COLUMNS", "80")
    xlua.progress(1, 4)
    assert capsys.readouterr().out == ""  # captured stdout is not a terminal
    monkeypatch.setattr(xlua, "force_progress", True)
    for i in range(1, 5):
        xlua.progress(i, 4)
    out = capsys.readouterr().out
    frames = [f for f in out.split("\r") if f]
    assert len(frames) == 4 and frames[-1].startswith(" [" + "=" * 45 + ">] ") and frames[-1].endswith(" 4/4 \n")
    assert screen(out)[0] == " [==================== 4/4 ====================>]  Tot: 0ms | Step: 0ms"


def test_print_tables_and_values(capsys):
    xlua.print({"lr": 0.001, "gpu": False, "x": None, "s": "a\nb"})
    assert capsys.readouterr().out == "{[lr] = 0.001,\n [gpu] = false,\n [x] = nil,\n [s] = a\\nb}\n"
    xlua.print(["z" * 41, 2], "next", 1.5)
    assert capsys.readouterr().out == "{[0] = " + "z" * 40 + " ... ,\n [1] = 2}    next    1.5\n"
    xlua.print(torch.Tensor([1, 2]))
    assert capsys.readouterr().out == str(torch.Tensor([1, 2])) + "\n"
    xlua.print({})
    xlua.print()
    assert capsys.readouterr().out == "{}\nnil\n"


def test_table2string():
    t = {"a": 1, "b c": "q\"uote", "d": "it's \"x\"", "e": 'say "hi"', 3: [1, 2.5, True], "n": {"k": None}}
    assert xlua.table2string(t) == ('{a=1,["b c"]=\'q"uote\',d="it\'s \\"x\\"",e=\'say "hi"\','
                                    '[3]={1,2.5,true},n={k=nil}}')
    assert xlua.table2string([]) == "{}"
    assert xlua.table2string(["a\nb"], newline=True) == '{\n   "a\\nb"\n}'
    with pytest.raises(TypeError, match="table2string"):
        xlua.table2string(3)


def test_optim_and_stochasticgradient_do_not_import_xlua():
    code = ("import sys, torch7\nfrom torch7 import optim, nn\nnn.StochasticGradient\n"
            "print('torch7.xlua' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_progress_draws_on_a_real_terminal():
    pexpect = pytest.importorskip("pexpect")
    code = "from torch7 import xlua\nfor i in range(1, 6):\n    xlua.progress(i, 5)\n"
    child = pexpect.spawn(sys.executable, ["-c", code], dimensions=(24, 80), env={"TERM": "dumb"}, encoding="utf-8")
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    raw = child.before.replace("\r\n", "\n")  # the terminal turns "\n" into "\r\n"
    assert child.exitstatus == 0
    assert screen(raw)[0].startswith(" [==================== 5/5 ====================>]  Tot: ")
