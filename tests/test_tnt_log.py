"""tnt.Log and the tnt.logview viewers (text, json, status)."""

from __future__ import annotations

import io
import json
import re

import pytest

from torch7 import tnt

view = tnt.logview


# ---------------------------------------------------------------------------------------------- tnt.Log

@pytest.mark.parametrize("make", [
    lambda: tnt.Log(["loss", "acc"]),
    lambda: tnt.Log(keys=["loss", "acc"]),
    lambda: tnt.Log({"keys": ["loss", "acc"]}),
])
def test_set_get_flush(make):
    log = make()
    assert log.get("loss") is None
    log.set({"loss": 0.5, "acc": 90})
    log.set(acc=95)
    assert (log.get("loss"), log.get("acc")) == (0.5, 95)
    log.flush()
    assert (log.get("loss"), log.get("acc")) == (None, None)
    assert log.keys() == ["loss", "acc", "__status__"] and repr(log) == "tnt.Log(keys: loss, acc)"


@pytest.mark.parametrize("action, method", [
    (lambda log: log.set({"lr": 1}), "set"),
    (lambda log: log.set(loss=1, lr=1), "set"),
    (lambda log: log.get("lr"), "get"),
])
def test_unknown_keys_raise_and_change_nothing(action, method):
    log = tnt.Log(["loss"])
    with pytest.raises(KeyError) as e:
        action(log)
    assert str(e.value) == f"tnt.Log.{method}: unknown key <lr> (keys: loss, __status__)"
    assert log.get("loss") is None  # set(loss=1, lr=1) stored nothing


def test_bad_arguments():
    with pytest.raises(TypeError, match="missing argument 'keys'"):
        tnt.Log()
    with pytest.raises(TypeError, match="keys must be a list"):
        tnt.Log("loss")
    log = tnt.Log(["a"])
    with pytest.raises(ValueError, match="unknown event <onPut>"):
        log.attach("onPut", [print])
    with pytest.raises(TypeError, match="onSet expects a list of functions"):
        log.attach("onSet", [print, 3])
    with pytest.raises(TypeError, match="keys must be strings"):
        log.set({1: 2})


def test_status_message(monkeypatch):
    log = tnt.Log(["a"])
    log.status("hello", time=False)
    assert log.get("__status__") == "| hello"
    log.status("hi")
    assert re.fullmatch(r"\| \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \| hi", log.get("__status__"))
    log.status(3.0, False)  # a number is written as Lua writes it
    assert log.get("__status__") == "| 3"


def test_closures_called_in_order_with_their_arguments():
    calls = []

    def rec(tag):
        return lambda *a: calls.append((tag, *[x if not isinstance(x, tnt.Log) else "log" for x in a]))

    log = tnt.Log(["x"], onSet=[rec("set1"), rec("set2")], onGet=[rec("get")], onFlush=[rec("flush")],
                  onClose=[rec("close")])
    # onSet closures run before the value is stored: they still read the old one
    log.attach("onSet", [lambda lg, k, v: calls.append(("old", k, lg._data.get(k)))])
    log.attach("onFlush", rec("flush2"))
    log.set({"x": 1})
    log.set(x=2)
    assert log.get("x") == 2
    log.flush()
    log.close()
    assert calls == [("set1", "log", "x", 1), ("set2", "log", "x", 1), ("old", "x", None),
                     ("set1", "log", "x", 2), ("set2", "log", "x", 2), ("old", "x", 1),
                     ("get", "log", "x"), ("flush", "log"), ("flush2", "log"), ("close", "log")]
    log.set(x=3)  # close detached every closure
    log.flush()
    assert len(calls) == 10


# ---------------------------------------------------------------------------------------------- viewers

def make_log(**viewers):
    return tnt.Log(["loss", "acc", "name"], **viewers)


@pytest.mark.parametrize("kwargs, lines", [
    ({"keys": ["loss", "acc"]}, ["loss 0.5 | acc 97", "loss 0.3", "acc 3"]),
    ({"keys": ["acc", "loss"], "format": ["%3.1f", "%10.5f"]}, ["97.0 |    0.50000", "   0.30000", "3.0"]),
    ({"keys": ["loss", "acc"], "format": {"acc": lambda v: f"<{v}>"}, "separator": ";"},
     ["loss 0.5;<97>", "loss 0.3", "<3>"]),
])
def test_text_viewer_file(tmp_path, kwargs, lines):
    fn = tmp_path / "log.txt"
    fn.write_text("old content\n")
    log = make_log(onFlush=[view.text(filename=str(fn), **kwargs)])
    log.set(loss=0.5, acc=97)
    log.flush()
    log.set(loss=0.1 + 0.2)  # unset keys are left out; numbers as Lua's %.14g
    log.flush()
    log.set(acc=3)
    log.flush()
    assert fn.read_text() == "\n".join(lines) + "\n"  # readable before close: every line is flushed
    log.close()


def test_text_viewer_append_positional_filename_and_close(tmp_path):
    fn = tmp_path / "log.txt"
    fn.write_text("old\n")
    v = view.text(fn, ["name"], append=True)
    log = make_log(onFlush=[v])
    log.set(name="a b")
    log.flush()
    log.close()
    assert fn.read_text() == "old\nname a b\n"
    assert v._out.file.closed
    with pytest.raises(ValueError, match="closed"):
        v(log)


def test_json_viewer(tmp_path):
    fn = tmp_path / "log.json"
    log = make_log(onFlush=[view.json(filename=fn, keys=["loss", "acc", "name"], format=["%.2f"])])
    log.set(loss=0.125, acc=97.5, name='say "hi"')
    log.flush()
    log.set(acc=1, loss=2)
    log.flush()
    text = fn.read_text()
    assert text.splitlines()[0] == '{"loss": "0.12", "acc": "97.5", "name": "say \\"hi\\""}'
    assert text.splitlines()[1] == '{"loss": "2.00", "acc": "1", "name": "nil"}'
    with pytest.raises(TypeError, match="cannot format the value None of key loss with '%.2f'"):
        log.flush()  # as string.format("%.2f", nil) in Lua
    assert json.loads(text.splitlines()[0]) == {"loss": "0.12", "acc": "97.5", "name": 'say "hi"'}
    log.close()


def test_status_viewer_and_shared_file(tmp_path):
    fn = tmp_path / "log.txt"
    log = make_log(onSet=[view.status(filename=fn)],
                   onFlush=[view.text(filename=fn, keys=["loss"], append=True)])
    log.status("starting", time=False)
    log.set(loss=2)  # not a status: status viewer ignores it
    log.flush()
    log.status("done", time=False)
    assert fn.read_text() == "| starting\nloss 2\n| done\n"
    log.close()


def test_viewers_on_given_file_object_and_stdout(capsys):
    buf = io.StringIO()
    log = make_log(onFlush=[view.text(buf, ["acc"]), view.json(keys=["acc"])], onSet=[view.status(file=buf)])
    log.set(acc=1.5)
    log.status("ok", time=False)
    log.flush()
    log.close()
    assert buf.getvalue() == "| ok\nacc 1.5\n" and not buf.closed  # the caller's file stays open
    assert capsys.readouterr().out == '{"acc": "1.5"}\n'


def test_viewer_errors(tmp_path):
    with pytest.raises(TypeError, match="format for key a must be a string or a function"):
        view.text(keys=["a"], format=[3])
    with pytest.raises(ValueError, match="not both"):
        view.json(file=io.StringIO(), filename=tmp_path / "x", keys=["a"])
    with pytest.raises(TypeError, match="missing argument 'keys'"):
        view.text(filename=tmp_path / "x")
    log = tnt.Log(["a"], onFlush=[view.text(keys=["a"], format=[lambda v: v])])
    log.set(a=1)
    with pytest.raises(TypeError, match="value for key a cannot be converted to string"):
        log.flush()
