"""Every name of Lua Torch7's tensor API checklist exists, and `import torch7` stays light."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import torch7 as torch

HERE = os.path.dirname(__file__)


def _checklist():
    rows = []
    with open(os.path.join(HERE, "data", "tensor_api.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            group, name = line.split("\t")[:2]
            rows.append((group, name.strip()))
    return rows


ROWS = _checklist()


def test_checklist_size():
    assert len(ROWS) == 213


@pytest.mark.parametrize("group,name", ROWS, ids=[f"{g}:{n}" for g, n in ROWS])
def test_name_exists(group, name):
    if group == "tensor-methods":
        assert callable(getattr(torch.DoubleTensor, name, None)), f"Tensor method {name} missing"
    else:
        assert callable(getattr(torch, name, None)), f"torch.{name} missing"


def test_import_is_light():
    code = ("import sys, torch7\n"
            "heavy = [m for m in ('scipy', 'torch', 'IPython', 'matplotlib', 'numba', 'cupy', 'PIL') "
            "if m in sys.modules]\n"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import torch7 pulled in: {out.stdout.strip()}"


def _nn_rows():
    rows = []
    with open(os.path.join(HERE, "data", "nn_classes.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            group, name = line.split("\t")[:2]
            rows.append((group, name.strip()))
    return rows


NN_ROWS = _nn_rows()


def test_nn_checklist_size():
    assert len(NN_ROWS) == 15 + 55 + 26 + 39 + 8 + 19 + 25


@pytest.mark.parametrize("group,name", NN_ROWS, ids=[n for _, n in NN_ROWS])
def test_nn_class_exists(group, name):
    from torch7 import nn

    cls = getattr(nn, name, None)
    assert isinstance(cls, type), f"nn.{name} missing"
    assert cls._typename == f"nn.{name}"
    base = nn.Criterion if group == "Criterions" else nn.Module
    assert issubclass(cls, base)


def test_optim_checklist():
    from torch7 import optim

    names = []
    with open(os.path.join(HERE, "data", "other_packages.tsv")) as f:
        for line in f:
            if line.startswith("optim\t"):
                names.append(line.split("\t")[1].strip())
    assert len(names) == 19
    missing = [n for n in names if not callable(getattr(optim, n, None))]
    assert not missing, f"optim names missing: {missing}"


def _package_names(package):
    names = []
    with open(os.path.join(HERE, "data", "other_packages.tsv")) as f:
        for line in f:
            if line.startswith(package + "\t"):
                names.append(line.split("\t")[1].split("(")[0].strip())
    return names


def test_tnt_checklist():
    from torch7 import tnt

    names = _package_names("tnt")
    assert len(names) == 33
    missing = [n for n in names if getattr(tnt, n, None) is None]
    assert not missing, f"tnt names missing: {missing}"
    classes = [n for n in names if isinstance(getattr(tnt, n), type)]
    assert len(classes) == 32  # all but the module tnt.transform
    assert all(getattr(tnt, n)._typename == f"tnt.{n}" for n in classes)
    for fn in ("identity", "compose", "merge", "tablenew", "tableapply", "tablemergekeys", "makebatch",
               "randperm", "normalize"):
        assert callable(getattr(tnt.transform, fn)), f"tnt.transform.{fn} missing"
