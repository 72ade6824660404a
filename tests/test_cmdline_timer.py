"""torch.CmdLine (Torch7's CmdLine.lua behaviour and help layout) and torch.Timer."""

from __future__ import annotations

import builtins
import copy
import io
import pickle
import re
import sys

import pytest

import torch7 as torch
from torch7._core import timer as timer_mod
from torch7._core.attrdict import AttrDict


def charrnn_cmd():
    cmd = torch.CmdLine()
    cmd.text()
    cmd.text("Train a character-level language model")
    cmd.text()
    cmd.text("Data")
    cmd.argument("corpus", "the text file")
    cmd.argument("out")
    cmd.option("-data_dir", "data/tinyshakespeare", "data directory")
    cmd.option("-rnn_size", 128, "size of LSTM internal state")
    cmd.option("-learning_rate", 2e-3, "learning rate")
    cmd.option("-dropout", 0, "dropout")
    cmd.option("-decay", 0.95)
    cmd.option("-gpu", False, "use the GPU")
    cmd.option("-eps", 1e-8, "eps")
    cmd.text()
    return cmd


# Built by hand from CmdLine.lua's help(): "Usage: " arg[0] " [options] " then every <argument> unseparated;
# options padded to the longest key (arguments count as len(name) + 2), " " help, " [" tostring(default) "]".
HELP = ("Usage: train.py [options] <corpus><out>\n"
        "\n"
        "Train a character-level language model\n"
        "\n"
        "Data\n"
        "  <corpus>       the text file\n"
        "  <out>         \n"
        "  -data_dir      data directory [data/tinyshakespeare]\n"
        "  -rnn_size      size of LSTM internal state [128]\n"
        "  -learning_rate learning rate [0.002]\n"
        "  -dropout       dropout [0]\n"
        "  -decay         [0.95]\n"
        "  -gpu           use the GPU [false]\n"
        "  -eps           eps [1e-08]\n"
        "\n")


def test_help_layout_is_torch7s(capsys):
    charrnn_cmd().help("train.py")
    assert capsys.readouterr().out == HELP
    charrnn_cmd().help(["train.py", "x"])  # a sys.argv-like list: item 0 is the program
    assert capsys.readouterr().out == HELP
    charrnn_cmd().help()
    assert capsys.readouterr().out == HELP.replace("train.py ", "", 1)


@pytest.mark.parametrize("flag", ["-h", "--help", "-help"])
def test_help_flag_prints_and_exits_0(flag, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["train.py"])
    with pytest.raises(SystemExit) as e:
        charrnn_cmd().parse(["c.txt", flag, "-rnn_size", "zzz"])
    assert e.value.code == 0
    assert capsys.readouterr().out == HELP


def test_parse_types_follow_defaults():
    opt = charrnn_cmd().parse(["c.txt", "-rnn_size", "256", "-learning_rate", "1", "-dropout", "0.5",
                               "-gpu", "-data_dir", "-1", "o", "-eps", "1e-3"])
    assert isinstance(opt, dict) and isinstance(opt, AttrDict)
    assert opt == {"data_dir": "-1", "rnn_size": 256, "learning_rate": 1.0, "dropout": 0.5, "decay": 0.95,
                   "gpu": True, "eps": 0.001, "corpus": "c.txt", "out": "o"}
    assert type(opt.rnn_size) is int and type(opt["learning_rate"]) is float and type(opt.dropout) is float
    assert opt.gpu is True and opt["corpus"] == "c.txt"


@pytest.mark.parametrize("text,value", [("1e3", 1000), (" 7 ", 7), ("0x10", 16), ("-3", -3), ("2.5", 2.5),
                                        ("+4", 4), ("inf", float("inf"))])
def test_number_options_read_like_lua_tonumber(text, value):
    cmd = torch.CmdLine()
    cmd.option("-n", 1, "a number")
    got = cmd.parse(["-n", text]).n
    assert got == value and type(got) is type(value)


def test_boolean_options_take_no_value_and_flip_the_default():
    cmd = torch.CmdLine()
    cmd.option("-on", False, "")
    cmd.option("-off", True, "")
    assert cmd.parse([]) == {"on": False, "off": True}
    assert cmd.parse(["-off", "-on", "-on"]) == {"on": True, "off": False}


def run_error(cmd, args, capsys):
    with pytest.raises(SystemExit) as e:
        cmd.parse(args)
    assert e.value.code == 1
    return capsys.readouterr()


@pytest.mark.parametrize("args,msg", [
    (["c", "o", "-rnn_size", "big"], "invalid type for option -rnn_size (should be number)"),
    (["c", "o", "-rnn_size"], "missing argument for option -rnn_size"),
    (["c"], "not enough arguments"),
    (["c", "o", "extra"], "invalid argument: extra"),
    (["c", "o", "-rnn_sz", "3"], "unknown option -rnn_sz"),
    (["c", "o", "-gpu", "true"], "invalid argument: true"),  # booleans take no value, as in Torch7
])
def test_errors_print_message_and_help_then_exit_1(args, msg, capsys):
    res = run_error(charrnn_cmd(), args, capsys)
    assert res.err == msg
    assert res.out == "\n\n" + HELP.replace("train.py ", "", 1)


def test_declaration_errors_name_the_option():
    cmd = torch.CmdLine()
    with pytest.raises(ValueError, match="option -x has no default value"):
        cmd.option("-x", None, "help")
    with pytest.raises(TypeError, match="option -x has wrong default type value"):
        cmd.option("-x", "3", "help", "number")
    with pytest.raises(TypeError, match="option -x.*list"):
        cmd.option("-x", [1], "help")
    with pytest.raises(TypeError, match=r"option -x has wrong default type value \(2.5 is not int\)"):
        cmd.option("-x", 2.5, "help", int)
    with pytest.raises(ValueError, match="unknown type 'table'"):
        cmd.option("-x", 1, "help", "table")
    with pytest.raises(TypeError, match="CmdLine.text"):
        cmd.text(3)
    assert cmd.options == {}


def test_explicit_types():
    cmd = torch.CmdLine()
    cmd.option("-f", 1, "float", float)
    cmd.option("-i", 2, "int", int)
    cmd.option("-s", "a", "string", "string")
    cmd.argument("n", "count", "number")
    opt = cmd.parse(["5", "-f", "3", "-i", "4"])
    assert opt == {"f": 3.0, "i": 4, "s": "a", "n": 5} and type(opt.f) is float
    assert type(cmd.default().f) is float


def test_typed_argument_and_int_option_errors(capsys):
    cmd = torch.CmdLine()
    cmd.option("-i", 2, "int", int)
    cmd.argument("n", "count", "number")
    assert run_error(cmd, ["x"], capsys).err == "invalid argument type for argument n (should be number)"
    assert run_error(cmd, ["1", "-i", "0.5"], capsys).err == "invalid type for option -i (should be integer)"


def test_parse_defaults_to_sys_argv(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["prog", "-k", "9"])
    cmd = torch.CmdLine()
    cmd.option("-k", 1, "")
    assert cmd.parse().k == 9
    with pytest.raises(TypeError, match="list of strings"):
        cmd.parse("-k 3")


def test_string_builds_run_names(capsys):
    cmd = charrnn_cmd()
    opt = cmd.parse(["c.txt", "o", "-rnn_size", "256", "-gpu", "-decay", "0.5"])
    name = cmd.string("lm", opt, {"out": True, "dropout": False})
    assert name == "lm,corpus=c.txt,decay=0.5,dropout=0,gpu=t,rnn_size=256"
    out = capsys.readouterr().out.splitlines()
    assert out == ["rnn_size\t256\t128", "dropout\t0\t0", "decay\t0.5\t0.95", "gpu\tt\tfalse", "-- ignore option out"]
    with pytest.raises(TypeError, match="ignore must be a dict"):
        cmd.string("lm", opt, None)


def test_string_separators_defaults_and_unknown_keys(capsys):
    cmd = torch.CmdLine("_", "-")
    cmd.argument("a")
    cmd.option("-k", 1, "")
    assert cmd.string("run", {"k": 1}, {}) == "run"
    assert cmd.string(None, {"k": 2}, {}) == "_k-2"
    # Torch7 keeps a trailing separator when arguments come without options.
    assert cmd.string("run", {"a": "x", "k": 1, "zz": 3}, {}) == "run_a-x_"
    assert "WARNING: unknown option/argument: zz IGNORING for DIRECTORY NAME" in capsys.readouterr().out


def test_log_tees_print_into_file(tmp_path, capsys):
    cmd = torch.CmdLine()
    path = tmp_path / "log.txt"
    orig = builtins.print
    try:
        cmd.log(str(path), {"lr": 0.5, "gpu": False})
        print("hello", 3)
        print("to stderr", file=sys.stderr)
        cmd.silent()
        print("quiet")
    finally:
        cmd.closelog()
    assert builtins.print is orig
    lines = path.read_text().split("\n")
    assert re.fullmatch(r"\[program started on .+\] ", lines[0])
    assert lines[1:] == ["[command line arguments] ", "lr 0.5 ", "gpu false ", "[----------------------] ",
                         "hello 3 ", "quiet ", ""]
    res = capsys.readouterr()
    assert res.out.endswith("[command line arguments]\nlr\t0.5\ngpu\tfalse\n[----------------------]\nhello 3\n")
    assert res.err == "to stderr\n"


def test_log_addtime_and_open_file(capsys):
    cmd = torch.CmdLine()
    f = io.StringIO()
    cmd.addTime("run", "%Y")
    try:
        cmd.log(f)
        print("x")
    finally:
        cmd.closelog()
    last = f.getvalue().splitlines()[-1]
    assert re.fullmatch(r"\d{4}\[run\]:  x ", last), last
    with pytest.raises(TypeError, match="Argument has to be string"):
        cmd.addTime("run", 3)


def test_params_serialize_pickle_and_copy(tmp_path):
    opt = charrnn_cmd().parse(["c", "o", "-gpu"])
    path = str(tmp_path / "opt.t7")
    torch.save(path, {"opt": opt})
    assert torch.load(path)["opt"] == dict(opt)
    assert pickle.loads(pickle.dumps(opt)) == opt and type(pickle.loads(pickle.dumps(opt))) is AttrDict
    c = copy.deepcopy(opt)
    c.rnn_size = 1
    assert opt.rnn_size == 128 and c["rnn_size"] == 1
    with pytest.raises(AttributeError, match="no field 'nope'"):
        _ = opt.nope
    del c.rnn_size
    assert "rnn_size" not in c and "rnn_size" in dir(opt)


class FakeClock:
    def __init__(self):
        self.t = [100.0, 10.0, 1.0]

    def __call__(self):
        return tuple(self.t)

    def advance(self, real, user=0.0, sys_=0.0):
        self.t = [self.t[0] + real, self.t[1] + user, self.t[2] + sys_]


def test_timer_stop_resume_reset(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(timer_mod, "_now", clock)
    t = torch.Timer()
    clock.advance(2.0, 1.5, 0.25)
    assert t.time() == {"real": 2.0, "user": 1.5, "sys": 0.25}
    assert t.stop() is t and repr(t) == "torch.Timer [status: stopped]"
    clock.advance(5.0, 5.0, 5.0)
    assert t.time().real == 2.0
    assert t.resume() is t and str(t) == "torch.Timer [status: running]"
    clock.advance(1.0, 0.5, 0.0)
    assert t.time() == {"real": 3.0, "user": 2.0, "sys": 0.25}
    t.reset()
    clock.advance(0.5)
    assert t.time()["real"] == 0.5
    t.stop().reset()
    clock.advance(4.0)
    assert t.time() == {"real": 0.0, "user": 0.0, "sys": 0.0}  # reset keeps a stopped timer stopped
    t.resume()
    clock.advance(1.0)
    assert t.time().real == 1.0


def test_timer_measures_real_and_cpu_time():
    t = torch.Timer()
    total = 0
    while t.time().real < 0.05:
        total += sum(range(1000))
    r = t.stop().time()
    assert r.real >= 0.05 and r.user + r.sys > 0 and total > 0
    assert torch.typename(t) == "torch.Timer"
