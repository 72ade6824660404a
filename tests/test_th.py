"""The ``th`` command as a user runs it: flags, scripts, -e, -l, -m, -i, errors (via subprocess)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from torch7.cli.lazy import LazyModule
from torch7.cli.runner import preload
from torch7.cli.th import USAGE, UsageError, parse_args


def th_command() -> list[str]:
    exe = Path(sys.executable).parent / "th"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "torch7.cli.th"]


def run_th(*args, stdin="", cwd=None, env=None, timeout=60):
    full_env = dict(os.environ, TREPL_HISTORY=os.devnull, NO_COLOR="1")
    full_env.pop("TORCH7_DEBUG_ON_ERROR", None)
    full_env.pop("TREPLSTARTUP", None)
    full_env.update(env or {})
    return subprocess.run(th_command() + list(args), input=stdin, capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=timeout)


# ---------------------------------------------------------------- argument parsing (in process)

def test_parse_args_flags_and_script_arguments():
    o = parse_args(["-l", "image", "-lnn", "-e", "a = 1", "-ex = 2", "-i", "train.py", "-i", "--lr", "0.1"])
    assert o.libs == ["image", "nn"] and o.statements == ["a = 1", "x = 2"] and o.interactive
    assert o.script == "train.py" and o.args == ["-i", "--lr", "0.1"]
    o = parse_args(["-m", "pkg.mod", "-e", "x"])
    assert o.module == "pkg.mod" and o.args == ["-e", "x"] and o.statements == []
    o = parse_args(["--", "-weird-name.py", "a"])
    assert o.script == "-weird-name.py" and o.args == ["a"]
    assert parse_args([]) == parse_args([]) and parse_args([]).script is None
    assert parse_args(["--help"]).help


@pytest.mark.parametrize("argv, message", [(["--bogus"], "unrecognized flag --bogus"),
                                           (["-e"], "flag -e needs an argument"),
                                           (["-g"], "Lua trepl feature")])
def test_parse_args_errors(argv, message):
    with pytest.raises(UsageError, match=message):
        parse_args(argv)


def test_preload_is_lazy_and_resolves():
    ns = {}
    preload(ns, lazy=True)
    assert isinstance(ns["optim"], LazyModule)
    assert callable(ns["optim"].sgd)  # first use imports torch7.optim ...
    assert not isinstance(ns["optim"], LazyModule) and ns["optim"].__name__ == "torch7.optim"  # ... and replaces itself
    preload(ns, lazy=False)
    assert ns["nn"].__name__ == "torch7.nn" and not isinstance(ns["nn"], LazyModule)


# ---------------------------------------------------------------- the command itself

def test_help_and_bad_flags():
    r = run_th("-h")
    assert r.returncode == 0 and r.stdout.strip() == USAGE.strip()
    r = run_th("--bogus")
    assert r.returncode == 1
    assert r.stdout.startswith("Error: unrecognized flag --bogus") and "Usage: th" in r.stdout


def test_e_preloads_torch_and_lazy_nn_optim():
    code = ("import sys; before = 'torch7.nn' in sys.modules; torch.manualSeed(123); "
            "print(f'{torch.uniform():.14f}', before, nn.Linear(2, 3), 'torch7.nn' in sys.modules, sys.argv)")
    r = run_th("-e", code, "-e", "print(type(optim.sgd).__name__)")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["0.69646918727085 False nn.Linear(2 -> 3) True ['-e']", "function"]


def test_script_argv_name_file_and_sys_path(tmp_path):
    (tmp_path / "helper_mod.py").write_text("VALUE = 'sibling'\n")
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""
        import sys
        import helper_mod
        from torch7 import nn
        print(sys.argv[1:], __name__, __file__.endswith('train.py'), helper_mod.VALUE)
        print(torch.Tensor([[1, 2], [3, 4]]))
        print(nn.Sequential().add(nn.Linear(4, 2)).add(nn.Tanh()))
    """))
    r = run_th(str(script), "-e", "--lr", "0.1", cwd=os.getcwd())
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "['-e', '--lr', '0.1'] __main__ True sibling"
    assert lines[1:4] == [" 1  2", " 3  4", "[torch.DoubleTensor of size 2x2]"]
    assert lines[4:] == ["nn.Sequential {", "  [input -> (1) -> (2) -> output]", "  (1): nn.Linear(4 -> 2)",
                         "  (2): nn.Tanh", "}"]


def test_script_errors_and_exit_codes(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x = 1\ny = x / 0\n")
    r = run_th(str(bad))
    assert r.returncode == 1
    assert 'bad.py", line 2' in r.stderr and "ZeroDivisionError: division by zero" in r.stderr
    assert "torch7/cli" not in r.stderr  # th's own frames are hidden
    (tmp_path / "quits.py").write_text("import sys\nsys.exit(3)\n")
    assert run_th(str(tmp_path / "quits.py")).returncode == 3
    r = run_th(str(tmp_path / "missing.py"))
    assert r.returncode == 1 and "th: cannot open" in r.stderr and "missing.py" in r.stderr


def test_l_loads_libraries_and_skips_missing_ones():
    r = run_th("-l", "nn", "-ljson", "-l", "no_such_module_xyz", "-l", "torchnet", "-l", "autograd",
               "-e", "print(nn.__name__, json.dumps([1]), tnt.__name__, autograd.__name__)")
    assert r.returncode == 0
    assert r.stdout.strip() == "torch7.nn [1] torch7.tnt torch7.autograd"
    assert "could not load no_such_module_xyz, skipping" in r.stderr


def test_m_runs_a_module_like_python_m(tmp_path):
    (tmp_path / "mymod.py").write_text("import sys\nprint(__name__, sys.argv[1:], torch.__name__)\n")
    r = run_th("-m", "mymod", "a", "-i", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "__main__ ['a', '-i'] torch7"


@pytest.mark.parametrize("repl", ["ipython", "console"])
def test_i_opens_the_repl_on_the_script_namespace(tmp_path, repl):
    script = tmp_path / "s.py"
    script.write_text("answer = 21\n")
    r = run_th("-i", str(script), stdin="answer * 2\nx = torch.Tensor([1, 2])\nx\nx.sum();\n",
               env={"TORCH7_REPL": repl})
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Torch7" in out and "th> " in out
    assert "\n42\n" in out.replace("th> ", "\n")
    assert " 1\n 2\n[torch.DoubleTensor of size 2]" in out
    assert "\n3.0\n" not in out.replace("th> ", "\n")  # the trailing ';' suppressed the result
    assert out.count("s]\n") >= 4  # one time stamp per command


def test_debug_on_error_starts_pdb(tmp_path):
    script = tmp_path / "crash.py"
    script.write_text("secret = 'pdb-sees-me'\nraise ValueError('boom')\n")
    r = run_th(str(script), stdin="p secret\nq\n", env={"TORCH7_DEBUG_ON_ERROR": "1"})
    assert r.returncode == 1
    assert "ValueError: boom" in r.stderr
    assert "(Pdb)" in r.stdout and "'pdb-sees-me'" in r.stdout


def test_trepl_startup_runs_before_the_repl(tmp_path):
    startup = tmp_path / "startup.py"
    startup.write_text("startup_value = 6 * 7\n")
    r = run_th(stdin="startup_value\n", env={"TREPLSTARTUP": str(startup), "TORCH7_REPL": "console"})
    assert r.returncode == 0, r.stderr
    assert "\n42\n" in r.stdout.replace("th> ", "\n")
