"""optim part 2, tools: checkgrad, Logger (file contents byte for byte), ConfusionMatrix (printing
byte for byte, accuracies against NumPy)."""

from __future__ import annotations

import glob
import os
import re
import sys

import numpy as np
import pytest

import torch7 as torch
from torch7 import optim

# ---- checkgrad ---------------------------------------------------------------------------------


def _cubic(x):
    return (x * x * x).sum() + 2 * (x * x).sum(), x * x * 3 + x * 4


class TestCheckgrad:
    def test_correct_gradient(self):
        x = torch.Tensor([1, -2, 0.5, 3])
        before = x.totable()
        diff, dC, dC_est = optim.checkgrad(_cubic, x)
        assert diff < 1e-7
        assert np.allclose(dC_est.numpy(), 3 * np.array(before) ** 2 + 4 * np.array(before), atol=1e-5)
        assert np.allclose(x.totable(), before, rtol=0, atol=1e-15)  # x is put back
        # diff is ||dC - dC_est|| / ||dC + dC_est||, computed here with NumPy
        a, b = dC.numpy(), dC_est.numpy()
        assert diff == pytest.approx(np.linalg.norm(a - b) / np.linalg.norm(a + b), rel=1e-12)

    def test_wrong_gradient(self):
        wrong = lambda x: (_cubic(x)[0], x * x * 3)  # noqa: E731 - the 4x term is missing
        diff, _, _ = optim.checkgrad(wrong, torch.Tensor([1, -2, 0.5, 3]))
        assert diff > 0.05
        sign = lambda x: (_cubic(x)[0], _cubic(x)[1] * -1)  # noqa: E731
        assert optim.checkgrad(sign, torch.Tensor([1, -2, 0.5, 3]))[0] > 1e6

    def test_eps_types_and_shapes(self):
        x = torch.FloatTensor([0.5, -1.5])
        diff, dC, dC_est = optim.checkgrad(_cubic, x, 1e-3)
        assert diff < 1e-4 and dC_est.type() == "torch.FloatTensor"
        # a 2-D x is walked element by element; dC is resized to x's shape in place
        x2 = torch.Tensor([[1, 2], [3, -1]])
        flat_grad = lambda x: ((x * x).sum(), (x * 2).view(4))  # noqa: E731
        diff, dC, dC_est = optim.checkgrad(flat_grad, x2)
        assert diff < 1e-8 and dC.size() == x2.size() == dC_est.size()

    def test_opfunc_errors(self):
        with pytest.raises(TypeError, match="df/dx"):
            optim.checkgrad(lambda x: 1.0, torch.Tensor([1]))


# ---- Logger ------------------------------------------------------------------------------------


def _read(path):
    with open(path, "rb") as fh:
        return fh.read().decode()


class TestLogger:
    def test_set_names_file(self, tmp_path):
        # Torch7's test/test_logger.lua (the "new" logger), first 6 rows
        path = tmp_path / "accuracy-new.log"
        logger = optim.Logger(str(path))
        assert logger.setNames(["channel 1", "channel 2", "channel 3"]) is logger
        for i in range(1, 7):
            logger.add([1, 0.1 * i, 1 - 0.2 * i])
        expected = ("channel 1\tchannel 2\tchannel 3\t\n"
                    " 1.0000e+00\t 1.0000e-01\t 8.0000e-01\t\n"
                    " 1.0000e+00\t 2.0000e-01\t 6.0000e-01\t\n"
                    " 1.0000e+00\t 3.0000e-01\t 4.0000e-01\t\n"
                    " 1.0000e+00\t 4.0000e-01\t 2.0000e-01\t\n"
                    " 1.0000e+00\t 5.0000e-01\t 0.0000e+00\t\n"
                    " 1.0000e+00\t 6.0000e-01\t-2.0000e-01\t\n")
        assert _read(path) == expected  # flushed after every line: readable while still open
        logger.close()
        assert logger.symbols[1][:2] == [0.1, 0.2] and logger.names == ["channel 1", "channel 2", "channel 3"]
        assert logger.idx == {"channel 1": 0, "channel 2": 1, "channel 3": 2}

    def test_dict_rows(self, tmp_path):
        path = tmp_path / "sub" / "dir" / "train.log"  # directories are created
        logger = optim.Logger(path)
        logger.add({"training error": 0.5, "test error": -1.5, "note": "epoch 1"})
        logger.add({"note": "epoch 2", "test error": 1e100, "training error": 12345.678})
        logger.add({"training error": 3})  # missing columns are left out, as Torch7 did
        logger.close()
        assert _read(path) == ("training error\ttest error\tnote\t\n"
                               " 5.0000e-01\t-1.5000e+00\tepoch 1\t\n"
                               " 1.2346e+04\t1.0000e+100\tepoch 2\t\n"
                               " 3.0000e+00\t\n")
        assert logger.symbols["training error"] == [0.5, 12345.678, 3]
        assert logger.names == {"training error": "training error", "test error": "test error", "note": "note"}

    def test_list_rows_without_names(self, tmp_path):
        path = tmp_path / "a.log"
        logger = optim.Logger(path)
        logger.add([0.25, 2])
        logger.add((1, 0))
        logger.close()
        assert _read(path) == "1\t2\t\n 2.5000e-01\t 2.0000e+00\t\n 1.0000e+00\t 0.0000e+00\t\n"
        assert logger.symbols == {0: [0.25, 1], 1: [2, 0]}

    def test_dict_after_set_names_and_errors(self, tmp_path):
        path = tmp_path / "b.log"
        logger = optim.Logger(path)
        logger.setNames(["loss", "acc"])
        logger.add({"acc": 0.5, "loss": 2})  # named values go to their columns
        with pytest.raises(TypeError, match="numbers and strings"):
            logger.add([True, 1])
        with pytest.raises(TypeError, match="numbers and strings"):
            logger.add([torch.Tensor([1]), 1])
        with pytest.raises(KeyError, match="unknown column"):
            logger.add({"accuracy": 1})
        logger.close()
        assert _read(path) == "loss\tacc\t\n 2.0000e+00\t 5.0000e-01\t\n"

    def test_timestamp(self, tmp_path):
        logger = optim.Logger(str(tmp_path / "t.log"), True)
        logger.add([1])
        logger.close()
        files = glob.glob(str(tmp_path / "t.log-*"))
        assert len(files) == 1
        assert re.fullmatch(r".*/t\.log-\d{4}_\d\d_\d\d_\d\d:\d\d:\d\d", files[0])
        assert logger.name == str(tmp_path / "t.log") and logger.plotfile == logger.name + ".png"

    def test_stdout(self, capsys):
        logger = optim.Logger()
        logger.add({"a": 1.5})
        out = capsys.readouterr().out
        assert out == "<Logger> warning: no path provided, logging to std out\na\t\n 1.5000e+00\t\n"
        assert logger.name == "stdout" and logger.plotfile is None

    def test_style_and_flags(self, tmp_path):
        logger = optim.Logger(tmp_path / "c.log")
        logger.setNames(["x", "y"])
        assert logger.styles == {0: ["+"], 1: ["+"]}
        assert logger.style({"y": "-"}) is logger
        logger.style(["+-", ["+", "-"]])
        assert logger.styles == {0: ["+-"], 1: ["+", "-"]}
        with pytest.raises(TypeError, match="style"):
            logger.style({"x": 3})
        logger.setlogscale(True)
        logger.display(False)
        assert logger.logscale is True and logger.showPlot is False
        logger.close()

    def test_plot_without_matplotlib(self, tmp_path, monkeypatch):
        monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
        logger = optim.Logger(tmp_path / "d.log")
        logger.add([1, 2])
        logger.add([2, 3])
        with pytest.raises(ImportError, match="'plot' extra"):
            logger.plot()
        logger.close()

    def test_plot(self, tmp_path, capsys):
        pytest.importorskip("matplotlib")
        logger = optim.Logger(tmp_path / "e.log")
        logger.setNames(["train", "test"])
        for i in range(5):
            logger.add([1.0 / (i + 1), 2.0 / (i + 1)])
        logger.style({"train": "-", "test": ["+", "|"]})
        logger.setlogscale(True)
        logger.display(False)
        path = logger.plot()
        assert path == str(tmp_path / "e.log.png") and os.path.getsize(path) > 0
        assert f"<Logger> plot written to {path}" in capsys.readouterr().out
        assert logger.plot("train") == path
        logger.close()


# ---- ConfusionMatrix ---------------------------------------------------------------------------


def _filled(rows, classes=None):
    cm = optim.ConfusionMatrix(len(rows), classes)
    for t, row in enumerate(rows):
        for p, n in enumerate(row):
            for _ in range(n):
                cm.add(p, t)
    return cm


class TestConfusionMatrixPrint:
    def test_named(self):
        # The layout of Torch7's __tostring__; the footers are Lua numbers (%.14g) computed from
        # the FloatTensor valids: 12/15 and 9/10 as float32 are 0.800000011920929 and
        # 0.899999976158142, their mean * 100 is 84.99999940395355.
        cm = _filled([[12, 3], [1, 9]], ["cat", "dog"])
        assert str(cm) == ("ConfusionMatrix:\n"
                           "[[      12       3]   80.000% \t[class: cat]\n"
                           " [       1       9]]  90.000% \t[class: dog]\n"
                           " + average row correct: 84.999999403954% \n"
                           " + average rowUcol correct (VOC measure): 72.115385532379% \n"
                           " + global correct: 84%")
        assert repr(cm) == str(cm)

    def test_unnamed_three_classes(self):
        cm = _filled([[5, 0, 1], [2, 7, 0], [0, 1, 4]])
        assert str(cm) == ("ConfusionMatrix:\n"
                           "[[       5       0       1]   83.333% \n"
                           " [       2       7       0]   77.778% \n"
                           " [       0       1       4]]  80.000% \n"
                           " + average row correct: 80.370370546977% \n"
                           " + average rowUcol correct (VOC measure): 66.388889153798% \n"
                           " + global correct: 80%")

    def test_numeric_class_names_and_empty_class(self):
        # Torch7's test/test_confusion.lua uses the classes {0, 1, ..., 9}; a class without samples
        # has a NaN row rate (printed 'nan'), skipped by the averages.
        cm = optim.ConfusionMatrix(3, [0, 1, 2])
        cm.add(0, 0)
        cm.add(2, 1)
        cm.add(1, 1)
        assert str(cm) == ("ConfusionMatrix:\n"
                           "[[       1       0       0]   100.000% \t[class: 0]\n"
                           " [       0       1       1]   50.000% \t[class: 1]\n"
                           " [       0       0       0]]  nan% \t[class: 2]\n"
                           " + average row correct: 75% \n"
                           " + average rowUcol correct (VOC measure): 75% \n"
                           " + global correct: 66.666666666667%")

    def test_wide_counts(self):
        cm = optim.ConfusionMatrix(2)
        cm.mat.copy(torch.LongTensor([[123456789, 1], [0, 2]]))
        lines = str(cm).split("\n")
        assert lines[1] == "[[ 123456789         1]   100.000% "  # nDigits = 1 + ceil(log10(max)) = 10
        cm.mat.copy(torch.LongTensor([[100000000, 0], [0, 1]]))
        assert str(cm).split("\n")[1] == "[[100000000        0]   100.000% "  # log10(1e8) = 8: 9 digits


class TestConfusionMatrixAccumulate:
    def test_add_forms(self):
        cm = optim.ConfusionMatrix(["a", "b", "c"])
        assert cm.nclasses == 3 and cm.classes == ["a", "b", "c"] and cm.mat.type() == "torch.LongTensor"
        cm.add(2, 1)  # numbers (0-based)
        cm.add(torch.Tensor([0.1, 0.7, 0.2]), 0)  # score vector -> argmax 1
        cm.add(torch.Tensor([0.1, 0.2, 0.7]), torch.Tensor([0, 0, 1]))  # one-hot target
        cm.add(torch.Tensor([3, 3, 1]), torch.Tensor([0.2, 0.5, 0.3]))  # tie -> first maximum
        cm.add(1.0, np.int64(2))
        cm.add(0, -1)  # negative target: missing, ignored
        expected = np.zeros((3, 3), np.int64)
        for t, p in [(1, 2), (0, 1), (2, 2), (1, 0), (2, 1)]:
            expected[t, p] += 1
        assert (cm.mat.numpy() == expected).all()
        with pytest.raises(IndexError, match="out of range"):
            cm.add(3, 0)

    def test_batch_add(self):
        rng = np.random.default_rng(0)
        scores = rng.normal(size=(50, 4))
        targets = rng.integers(0, 4, size=50)
        onehot = np.eye(4)[targets]
        expected = np.zeros((4, 4), np.int64)
        np.add.at(expected, (targets, scores.argmax(1)), 1)

        cm = optim.ConfusionMatrix(4)
        cm.batchAdd(torch.from_numpy(scores), torch.from_numpy(targets))
        assert (cm.mat.numpy() == expected).all()
        cm.zero()
        cm.batchAdd(torch.from_numpy(scores), torch.from_numpy(onehot))  # N x C one-hot targets
        assert (cm.mat.numpy() == expected).all()
        cm.zero()
        preds = torch.from_numpy(scores.argmax(1).reshape(50, 1).astype(np.float64))  # N x 1
        cm.batchAdd(preds, torch.from_numpy(targets.astype(np.float64)))
        assert (cm.mat.numpy() == expected).all()
        with pytest.raises(ValueError, match="dimensions"):
            cm.batchAdd(torch.zeros(2, 2, 2), torch.zeros(2))

    def test_batch_add_of_cuda_outputs(self):
        """A CUDA network's outputs and targets are tallied as the host ones (StrictCupy without a GPU)."""
        from strict_cupy import StrictCupy

        from torch7._core import backend

        rng = np.random.default_rng(3)
        scores, targets = rng.normal(size=(20, 3)), rng.integers(0, 3, size=20)
        ref = optim.ConfusionMatrix(3)
        ref.batchAdd(torch.from_numpy(scores), torch.from_numpy(targets))
        old = None if backend.is_available() else backend._set_for_tests(StrictCupy())
        try:
            cm = optim.ConfusionMatrix(3)
            cm.batchAdd(torch.from_numpy(scores).cuda(), torch.from_numpy(targets).type("torch.CudaLongTensor"))
            cm.add(torch.from_numpy(scores[0]).cuda(), int(targets[0]))
            diff, _, _ = optim.checkgrad(lambda x: ((x * x).sum(), x * 2), torch.CudaDoubleTensor([1.0, -2.0]))
        finally:
            if old is not None:
                backend._restore(old)
        ref.add(torch.from_numpy(scores[0]), int(targets[0]))
        assert (cm.mat.numpy() == ref.mat.numpy()).all() and diff < 1e-8

    def test_update_valids_against_numpy(self):
        rng = np.random.default_rng(1)
        m = rng.integers(0, 20, size=(6, 6))
        m[4] = 0  # a class without samples: NaN
        cm = optim.ConfusionMatrix(6)
        cm.mat.copy(torch.from_numpy(m))
        cm.updateValids()
        with np.errstate(invalid="ignore"):
            valids = (np.diag(m) / m.sum(1)).astype(np.float32)
            union = (np.diag(m) / (m.sum(1) + m.sum(0) - np.diag(m))).astype(np.float32)
        assert np.array_equal(cm.valids.numpy(), valids, equal_nan=True)
        assert np.array_equal(cm.unionvalids.numpy(), union, equal_nan=True)
        assert cm.valids.type() == "torch.FloatTensor"
        ok = ~np.isnan(valids)
        assert cm.totalValid == np.trace(m) / m.sum()
        assert cm.averageValid == pytest.approx(valids[ok].astype(np.float64).mean(), rel=1e-15)
        ok_u = ok & ~np.isnan(union)
        assert cm.averageUnionValid == pytest.approx(union[ok_u].astype(np.float64).mean(), rel=1e-15)

        cm.zero()
        assert cm.mat.sum() == 0 and cm.totalValid == 0 and cm.averageValid == 0

    def test_far_frr(self):
        # Torch7's test: an identity matrix has zero FRR and FAR everywhere
        cm = optim.ConfusionMatrix(10)
        cm.mat.copy(torch.eye(10).long())
        classFrrs, classFars, frrs, fars = cm.farFrr()
        assert classFrrs.sum() + classFars.sum() == 0 and frrs.size(0) == fars.size(0) == 10
        # by hand: rows = targets [[3, 1, 0], [1, 1, 0], [0, 0, 0]] (class 2 has no samples)
        cm = optim.ConfusionMatrix(3)
        cm.mat.copy(torch.LongTensor([[3, 1, 0], [1, 1, 0], [0, 0, 0]]))
        classFrrs, classFars, frrs, fars = cm.farFrr()
        assert classFrrs.totable() == [0.25, 0.5, -1.0]
        assert classFars.totable() == [0.5, 0.25, -1.0]
        assert frrs.totable() == [0.25, 0.5] and fars.totable() == [0.5, 0.25]

    def test_constructor_errors(self):
        with pytest.raises(ValueError, match="nclasses"):
            optim.ConfusionMatrix(0)
        cm = optim.ConfusionMatrix(2, ["yes", "no"])
        assert cm.classes == ["yes", "no"] and cm.nclasses == 2
