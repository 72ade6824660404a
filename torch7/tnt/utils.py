"""tnt.utils: torchnet's helpers, in three namespaces: ``tnt.utils.table``, ``tnt.utils.nn``, ``tnt.utils.sys``.

Lua tables become Python containers: a table with string keys is a ``dict``, an array a ``list``.
The functions keep torchnet's names and argument order.

Example:
    >>> from torch7 import tnt
    >>> tnt.utils.table.merge({"a": 1}, {"b": 2})
    {'a': 1, 'b': 2}
    >>> tnt.utils.nn.inferoutputsize([{"kw": 3}, {"kw": 2, "dw": 2}], 10)
    (4, 2)
"""

from __future__ import annotations

import builtins
import copy as _copy
import hashlib
import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

import torch7 as torch

from ._helpers import _callable


class _Namespace:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


# ---- tnt.utils.table -----------------------------------------------------------------------------


class _Table(_Namespace):
    """``tnt.utils.table``: copying, merging and mapping containers, and stacking tensors."""

    @staticmethod
    def clone(tbl: Any) -> Any:
        """A deep copy of ``tbl`` (torchnet serialized and deserialized it; views of one storage stay shared).

        Example:
            >>> from torch7 import tnt
            >>> a = {"x": [1, 2]}
            >>> b = tnt.utils.table.clone(a); b["x"].append(3)
            >>> a
            {'x': [1, 2]}
        """
        return _copy.deepcopy(tbl)

    @staticmethod
    def copy(tbl: dict | list) -> dict | list:
        """A shallow copy of a dict or list (see ``tnt.transform.tablenew``)."""
        if isinstance(tbl, dict):
            return dict(tbl)
        if isinstance(tbl, (list, tuple)):
            return list(tbl)
        raise TypeError(f"tnt.utils.table.copy: dict or list expected, got {type(tbl).__name__}")

    @staticmethod
    def merge(dst: dict | list, src: dict | list) -> dict | list:
        """Put every entry of ``src`` into ``dst`` (shallow; ``src`` wins on shared keys) and return ``dst``.

        For lists, position ``i`` of ``src`` overwrites position ``i`` of ``dst`` (extending it), as the
        integer keys of a Lua table would.

        Example:
            >>> from torch7 import tnt
            >>> tnt.utils.table.merge({"a": 1, "b": 2}, {"b": 3})
            {'a': 1, 'b': 3}
            >>> tnt.utils.table.merge([1, 2, 3], [9])
            [9, 2, 3]
        """
        if isinstance(dst, dict) and isinstance(src, dict):
            dst.update(src)
            return dst
        if isinstance(dst, list) and isinstance(src, (list, tuple)):
            for i, v in enumerate(src):
                dst[i:i + 1] = [v]  # overwrites, or appends one past the end
            return dst
        raise TypeError(f"tnt.utils.table.merge: two dicts or two lists expected, "
                        f"got {type(dst).__name__} and {type(src).__name__}")

    @staticmethod
    def foreach(tbl: dict | list, closure: Callable, recursive: bool = False) -> dict | list:
        """A new container holding ``closure(v)`` for each value ``v`` of ``tbl`` (same keys).

        With ``recursive``, nested dicts and lists are mapped too instead of being passed to ``closure``.

        Example:
            >>> from torch7 import tnt
            >>> tnt.utils.table.foreach({"a": 1, "b": [2, 3]}, lambda v: v * 10, True)
            {'a': 10, 'b': [20, 30]}
        """
        _callable("tnt.utils.table.foreach", "closure", closure)

        def one(v):
            if recursive and isinstance(v, (dict, list)):
                return _Table.foreach(v, closure, recursive)
            return closure(v)

        if isinstance(tbl, dict):
            return {k: one(v) for k, v in tbl.items()}
        if isinstance(tbl, (list, tuple)):
            return [one(v) for v in tbl]
        raise TypeError(f"tnt.utils.table.foreach: dict or list expected, got {type(tbl).__name__}")

    @staticmethod
    def canmergetensor(tbl: Any) -> bool:
        """Whether ``tbl`` is a non-empty list of tensors (or of NumPy arrays) with equal numbers of elements.

        Example:
            >>> import torch7 as torch
            >>> from torch7 import tnt
            >>> tnt.utils.table.canmergetensor([torch.Tensor(2), torch.Tensor(1, 2)])
            True
            >>> tnt.utils.table.canmergetensor([1, 2]), tnt.utils.table.canmergetensor([torch.Tensor(2), None])
            (False, False)
        """
        if not isinstance(tbl, (list, tuple)) or len(tbl) == 0:
            return False
        if torch.isTensor(tbl[0]):
            n = tbl[0].nElement()
            return all(torch.isTensor(t) and t.nElement() == n for t in tbl)
        if isinstance(tbl[0], np.ndarray):
            n = tbl[0].size
            return all(isinstance(a, np.ndarray) and a.size == n for a in tbl)
        return False

    @staticmethod
    def mergetensor(tbl: list) -> Any:
        """Stack a list of ``n`` tensors into one tensor of size ``n x <size of the first>``, of the first's type.

        Each tensor is copied into its slice, so the others need only the same number of elements.
        A list of NumPy arrays gives the tensor of their stacked array.

        Example:
            >>> import torch7 as torch
            >>> from torch7 import tnt
            >>> b = tnt.utils.table.mergetensor([torch.LongTensor([1, 2]), torch.LongTensor([3, 4])])
            >>> b.type(), tuple(b.size()), b.totable()
            ('torch.LongTensor', (2, 2), [[1, 2], [3, 4]])
        """
        if not _Table.canmergetensor(tbl):
            sizes = [t.nElement() if torch.isTensor(t) else getattr(t, "size", type(t).__name__)
                     for t in tbl] if isinstance(tbl, (list, tuple)) else type(tbl).__name__
            raise ValueError("tnt.utils.table.mergetensor: a non-empty list of tensors with equal numbers of "
                             f"elements expected, got {sizes}")
        first = tbl[0]
        if isinstance(first, np.ndarray):
            return torch.from_numpy(np.stack([np.reshape(a, first.shape) for a in tbl]))
        res = first.new().resize(len(tbl), *first.size())
        for i, t in enumerate(tbl):
            res.select(0, i).copy(t)
        return res


# ---- tnt.utils.nn --------------------------------------------------------------------------------


def _specs(where: str, specs: Any) -> list[dict]:
    """torchnet's layer specs (``{kw, dw, pw}`` dicts), or the ones read from an nn module's layers."""
    if isinstance(specs, (list, tuple)):
        for i, s in enumerate(specs):
            if not isinstance(s, dict):
                raise TypeError(f"{where}: spec {i} must be a dict with keys kw, dw, pw; got {type(s).__name__}")
        return list(specs)
    from torch7 import nn as _torchnn
    if not isinstance(specs, _torchnn.Module):
        raise TypeError(f"{where}: a list of {{kw, dw, pw}} dicts or an nn module expected, "
                        f"got {type(specs).__name__}")
    out = []
    for m in specs.listModules():
        name = torch.typename(m) or type(m).__name__
        if getattr(m, "kW", None) is None:
            continue  # containers and size-preserving layers
        if "Full" in name or "Deconv" in name or "Transpose" in name:
            raise NotImplementedError(f"{where}: {name} (a transposed convolution) is not supported")
        if getattr(m, "ceil_mode", False):
            raise NotImplementedError(f"{where}: {name} in ceil mode is not supported")
        kw = (getattr(m, "dilationW", 1) or 1) * (m.kW - 1) + 1  # a dilated kernel spans more input
        out.append({"kw": kw, "dw": getattr(m, "dW", 1) or 1, "pw": getattr(m, "padW", 0) or 0})
    return out


class _NN(_Namespace):
    """``tnt.utils.nn``: sizes along one spatial dimension through a stack of convolutions and poolings."""

    @staticmethod
    def inferinputsize(specs: Any, size: int = 1, verbose: bool = False) -> tuple[int, int]:
        """``(input width, stride)``: the smallest input width giving ``size`` outputs, and the total stride.

        Args:
            specs: a list of dicts ``{"kw": kernel width, "dw": stride (1), "pw": padding (0)}``, first
                layer first (dicts without ``kw`` are skipped), or an nn module whose layers with a ``kW``
                field (convolutions, poolings) are read in order.
            size: the output width.
            verbose: print the width and stride after each layer, last layer first.

        Example:
            >>> from torch7 import nn, tnt
            >>> net = nn.Sequential().add(nn.SpatialConvolution(3, 8, 5, 5)).add(nn.ReLU())
            >>> _ = net.add(nn.SpatialMaxPooling(2, 2, 2, 2))
            >>> tnt.utils.nn.inferinputsize(net, 1)
            (6, 2)
        """
        okw, odw = int(size), 1
        layers = _specs("tnt.utils.nn.inferinputsize", specs)
        for i in range(len(layers) - 1, -1, -1):
            s = layers[i]
            if s.get("kw") is not None:
                dw, pw = s.get("dw") or 1, s.get("pw") or 0
                okw = okw * dw + s["kw"] - dw - 2 * pw
                odw = odw * dw
            if verbose:
                print(f"|| layer {i}: size={okw} stride={odw}")
        return okw, odw

    @staticmethod
    def inferoutputsize(specs: Any, size: int, verbose: bool = False) -> tuple[int, int]:
        """``(output width, stride)``: the output width for an input of width ``size``, and the total stride.

        Args:
            specs: as for ``inferinputsize``; here every dict needs ``kw``.
            size: the input width.
            verbose: print the width and stride after each layer.

        Example:
            >>> from torch7 import tnt
            >>> tnt.utils.nn.inferoutputsize([{"kw": 5, "pw": 2}, {"kw": 2, "dw": 2}], 32)
            (16, 2)
        """
        okw, odw = int(size), 1
        for i, s in enumerate(_specs("tnt.utils.nn.inferoutputsize", specs)):
            if s.get("kw") is None:
                raise ValueError(f"tnt.utils.nn.inferoutputsize: spec {i} has no kernel width 'kw': {s}")
            dw, pw = s.get("dw") or 1, s.get("pw") or 0
            okw = math.floor((okw + 2 * pw - s["kw"]) / dw) + 1
            odw = odw * dw
            if verbose:
                print(f"|| layer {i}: size={okw} stride={odw}")
        return okw, odw


# ---- tnt.utils.sys -------------------------------------------------------------------------------


class _Sys(_Namespace):
    """``tnt.utils.sys``: hashing objects, making directories, reading lists of files."""

    @staticmethod
    def md5(obj: Any) -> str:
        """The hex MD5 digest of ``torch.serialize(obj)`` (Torch7's binary format).

        Example:
            >>> from torch7 import tnt
            >>> len(tnt.utils.sys.md5({"lr": 0.1})), tnt.utils.sys.md5(1) == tnt.utils.sys.md5(1)
            (32, True)
        """
        return hashlib.md5(torch.serialize(obj)).hexdigest()

    @staticmethod
    def mkdir(path: str | os.PathLike) -> None:
        """Create directory ``path`` and its parents (``mkdir -p``); an existing directory is fine."""
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as e:
            raise OSError(f"tnt.utils.sys.mkdir: could not create directory {os.fspath(path)!r}: {e}") from e

    @staticmethod
    def cmdline(arg: list[str], env: dict) -> dict:
        """Run each string of ``arg`` as Python code whose variables live in ``env``; return ``env``.

        torchnet ran Lua chunks from the command line (``th train.lua "lr=0.1" "bsz=32"``) to set
        options; here the chunks are Python statements. Names not in ``env`` are looked up in the
        builtins, ``torch`` and ``math``. The code is executed as given: pass only trusted strings.

        Example:
            >>> from torch7 import tnt
            >>> tnt.utils.sys.cmdline(["lr = 0.1", "bsz = 2 * 16", "lr = lr / 2"], {"lr": 1})
            {'lr': 0.05, 'bsz': 32}
        """
        if not isinstance(env, dict):
            raise TypeError(f"tnt.utils.sys.cmdline: env must be a dict, got {type(env).__name__}")
        scope = {"__builtins__": builtins, "torch": torch, "math": math}
        for code in arg:
            if not isinstance(code, str):
                raise TypeError(f"tnt.utils.sys.cmdline: code must be a string, got {type(code).__name__}")
            try:
                compiled = compile(code, "<cmdline>", "exec")
            except SyntaxError as e:
                raise SyntaxError(f"tnt.utils.sys.cmdline: compilation error in {code!r}: {e.msg}") from e
            exec(compiled, scope, env)
        return env

    @staticmethod
    def loadlist(path: str | os.PathLike, revert: bool = False, maxload: int | None = None) -> list | dict:
        """The lines of file ``path`` (at most ``maxload``), as a list.

        With ``revert``, a dict mapping both ways instead: 0-based position -> line and line -> position
        (torchnet filled one Lua table with both).

        Example:
            >>> import os, tempfile
            >>> from torch7 import tnt
            >>> p = os.path.join(tempfile.mkdtemp(), "l.txt"); _ = open(p, "w").write("cat\\ndog\\nemu\\n")
            >>> tnt.utils.sys.loadlist(p, maxload=2), tnt.utils.sys.loadlist(p, True)["dog"]
            (['cat', 'dog'], 1)
        """
        lines: list[str] = []
        with open(path) as f:
            for line in f:
                lines.append(line.rstrip("\n"))
                if maxload and len(lines) == maxload:
                    break
        if not revert:
            return lines
        out: dict = dict(enumerate(lines))
        out.update((elem, i) for i, elem in enumerate(lines))
        return out

    @staticmethod
    def listimgfiles(path: str | os.PathLike, lst: list | None = None) -> list[str]:
        """Append to ``lst`` (a new list by default) the ``.jpg``, ``.jpeg`` and ``.png`` files under ``path``.

        Directories are walked recursively, in sorted order (torchnet's order was the file system's);
        other files are reported with ``ignoring <file>``. Paths are ``path/sub/name``.
        """
        lst = [] if lst is None else lst
        base = os.fspath(path)
        for name in sorted(os.listdir(base)):
            full = f"{base}/{name}"
            if os.path.isdir(full):
                _Sys.listimgfiles(full, lst)
                continue
            ext = name.rsplit(".", 1)[-1]
            if not ext:
                continue
            if ext.lower() in ("jpeg", "jpg", "png"):
                lst.append(full)
            else:
                print(f"ignoring <{full}>")
        return lst


table = _Table("tnt.utils.table")
nn = _NN("tnt.utils.nn")
sys = _Sys("tnt.utils.sys")
