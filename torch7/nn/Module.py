"""nn.Module: the base of every layer, with Torch7's 30 methods.

A module keeps its state in plain attributes with Torch7's field names (``output``,
``gradInput``, ``weight``, ``gradWeight``, ...), so that a ``.t7`` file maps one to one.
"""

from __future__ import annotations

import copy

import numpy as np

import torch7 as torch
from torch7._core import types as T
from torch7._core.backend import check_typename
from torch7._core.size import describe
from torch7._core.tensor import Tensor

from . import utils

# typename -> class, for every nn class (the .t7 reader looks classes up here).
REGISTRY: dict[str, type] = {}


def _kind(x) -> str:
    if isinstance(x, Tensor):
        return describe(x)
    if isinstance(x, (list, tuple)):
        return f"a table of {len(x)} ({', '.join(_kind(v) for v in x[:4])}{', ...' if len(x) > 4 else ''})"
    return describe(x)


def wrong_kind(module, e: Exception, *args) -> bool:
    """Whether ``e`` says that ``module`` was given the wrong kind of argument and does not say which
    module: any AttributeError, or a TypeError about a table or number given where tensors go."""
    if isinstance(e, AttributeError):
        return True
    text = str(e)
    if text.startswith((module._typename, "In ")):  # already named, or Torch7's "In <i> module of ..." prefix
        return False
    return any(a is not None and not isinstance(a, Tensor) for a in args)


def kind_error(module, e: AttributeError, input, gradOutput=None, second: str = "gradOutput") -> TypeError:
    """The TypeError for a layer given the wrong kind of argument: it names the module and what it got.

    An AttributeError escaping a layer's hook means it read a tensor's field from something else (a
    table where a tensor goes, a number, nil); Python's words (``'list' object has no attribute '_a'``)
    stay in the message after the module's.
    """
    got = f"input {_kind(input)}" + ("" if gradOutput is None else f" and {second} {_kind(gradOutput)}")
    return TypeError(f"{module._typename}: wrong kind of argument: {got} ({e})")


class Module:
    """Base class of all modules: ``forward``/``backward`` call the three hooks subclasses define.

    Subclasses implement ``updateOutput(input)``, ``updateGradInput(input, gradOutput)`` and,
    when they have parameters, ``accGradParameters(input, gradOutput, scale)`` (accumulating).

    Example:
        >>> from torch7 import nn
        >>> m = nn.Module()
        >>> m.output.nElement(), m._type
        (0, 'torch.DoubleTensor')
    """

    _typename = "nn.Module"
    train = True  # class default, so a module serializes only the fields it sets itself

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_typename" not in cls.__dict__:
            cls._typename = "nn." + cls.__name__
        REGISTRY[cls._typename] = cls

    def __init__(self) -> None:
        self.gradInput = torch.Tensor()
        self.output = torch.Tensor()
        self._type = self.output.type()

    # ---- the three hooks ---------------------------------------------------------------
    def updateOutput(self, input):
        return self.output

    def updateGradInput(self, input, gradOutput):
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        pass

    # ---- forward / backward ------------------------------------------------------------
    def forward(self, input):
        try:
            return self.updateOutput(input)
        except (AttributeError, TypeError) as e:  # a table or a number where the layer reads a tensor
            if not wrong_kind(self, e, input):
                raise
            raise kind_error(self, e, input) from e

    def backward(self, input, gradOutput, scale: float = 1):
        try:
            self.updateGradInput(input, gradOutput)
            self.accGradParameters(input, gradOutput, scale)
        except (AttributeError, TypeError) as e:
            if not wrong_kind(self, e, input, gradOutput):
                raise
            raise kind_error(self, e, input, gradOutput) from e
        return self.gradInput

    def backwardUpdate(self, input, gradOutput, lr: float):
        self.updateGradInput(input, gradOutput)
        self.accUpdateGradParameters(input, gradOutput, lr)
        return self.gradInput

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        if getattr(self, "shared", False):
            self.sharedAccUpdateGradParameters(input, gradOutput, lr)
        else:
            self.defaultAccUpdateGradParameters(input, gradOutput, lr)

    def defaultAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        # Point the gradients at the weights and accumulate with scale -lr: an in-place update.
        saved = {k: vars(self)[k] for k in ("gradWeight", "gradBias") if k in vars(self)}
        self.gradWeight = getattr(self, "weight", None)
        self.gradBias = getattr(self, "bias", None)
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            for k in ("gradWeight", "gradBias"):
                if k in saved:
                    setattr(self, k, saved[k])
                else:
                    delattr(self, k)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        if self.parameters()[0]:
            self.zeroGradParameters()
            self.accGradParameters(input, gradOutput, 1)
            self.updateParameters(lr)

    def __call__(self, *args, gradOutput=None):
        """``m(input[, gradOutput])`` runs forward (and backward); on nngraph nodes it makes a graph node.

        ``m()``, ``m(node)`` and ``m([node1, node2])`` return an ``nngraph.Node`` (Lua's nngraph call
        syntax); ``m(None)`` and ``m([])`` are errors.
        """
        if gradOutput is not None:
            args += (gradOutput,)
        if not args or _graph_call(args[0]):
            from torch7.nngraph.Node import callModule

            return callModule(self, *args)
        if len(args) > 2:
            raise TypeError(f"{self._typename}: call with (input[, gradOutput]), got {len(args)} arguments")
        input = args[0]
        self.forward(input)
        if len(args) == 2 and args[1] is not None:
            self.backward(input, args[1])
            return self.output, self.gradInput
        return self.output

    def __neg__(self):
        """nngraph's sugar: ``-module`` is ``module()``, a graph node with no input."""
        return self()

    def __rsub__(self, nodes):
        """nngraph's sugar: ``[n1, n2] - module`` is ``module([n1, n2])`` (``node - module`` is Node's)."""
        if isinstance(nodes, list | tuple) and nodes and _graph_call(list(nodes)):
            return self(list(nodes))
        return NotImplemented

    # ---- parameters ----------------------------------------------------------------------
    def parameters(self) -> tuple[list, list]:
        """``([weight, bias], [gradWeight, gradBias])`` for the ones present (empty lists if none)."""
        params, grads = [], []
        for p, g in (("weight", "gradWeight"), ("bias", "gradBias")):
            w = getattr(self, p, None)
            if isinstance(w, Tensor):
                params.append(w)
                gt = getattr(self, g, None)
                if isinstance(gt, Tensor):
                    grads.append(gt)
        return params, grads

    def zeroGradParameters(self) -> None:
        for g in self.parameters()[1]:
            g.zero()

    def updateParameters(self, learningRate: float) -> None:
        params, grads = self.parameters()
        for p, g in zip(params, grads):
            p.add(-learningRate, g)

    def getParameters(self) -> tuple[Tensor, Tensor]:
        """Flatten all parameters (and gradients) into one tensor each; the module's tensors become views."""
        params, grads = self.parameters()
        flat_p = Module.flatten(params)
        flat_g = Module.flatten(grads)
        if flat_p.nElement() != flat_g.nElement():
            raise ValueError(f"getParameters: {flat_p.nElement()} parameters but {flat_g.nElement()} gradients "
                             "(check that parameters and gradParameters have the same layout)")
        for p, g in zip(params, grads):
            if p.storageOffset() != g.storageOffset():
                raise ValueError("getParameters: a parameter and its gradient are not laid out alike")
        return flat_p, flat_g

    @staticmethod
    def flatten(tensors: list) -> Tensor:
        """One flat tensor over the distinct storages of ``tensors``, which are re-pointed into it."""
        if not tensors:
            return torch.Tensor()
        tensors = list({id(t): t for t in tensors}.values())  # a tensor listed twice is re-pointed once
        cls = type(tensors[0])
        for t in tensors:
            if type(t) is not cls:
                raise TypeError(f"flatten: mixed tensor types {cls._typename} and {t._typename}")
        storages: dict[int, tuple] = {}  # id(storage) -> (storage, offset in flat)
        total = 0
        for t in tensors:
            if t.nElement() == 0:
                continue
            st = t.storage()
            if id(st) not in storages:
                storages[id(st)] = (st, total)
                total += st.size()
        flat = cls(total) if total else cls()
        fa = flat._a if total else None
        for st, off in storages.values():
            fa[off:off + st.size()] = st._a
        fst = flat.storage()
        for t in tensors:
            if t.nElement() == 0:
                continue
            st, off = storages[id(t.storage())]
            t.set(fst, off + t.storageOffset(), t.size(), t.stride())
        # Compact when the storages held elements no parameter uses (Torch7 does the same).
        used = np.zeros(total, bool)
        for t in tensors:
            if t.nElement():
                used[t.storageOffset() + _element_offsets(t)] = True
        if total and not used.all():
            keep = np.flatnonzero(used)
            new_index = np.cumsum(used) - 1
            compact = cls._new(fa[keep if isinstance(fa, np.ndarray) else cls._xp.asarray(keep)].copy())
            cst = compact.storage()
            for t in tensors:
                if t.nElement():
                    if not t.isContiguous():
                        raise ValueError("flatten: cannot compact non-contiguous parameters")
                    t.set(cst, int(new_index[t.storageOffset()]), t.size())
            return compact
        return flat

    # ---- state -------------------------------------------------------------------------------
    def training(self) -> Module:
        self.train = True
        return self

    def evaluate(self) -> Module:
        self.train = False
        return self

    def reset(self, stdv: float | None = None) -> Module:
        return self

    def share(self, mlp: Module, *names: str) -> Module:
        """Make the named fields of self views of ``mlp``'s (same storage)."""
        for k in names:
            mine, theirs = getattr(self, k, None), getattr(mlp, k, None)
            if isinstance(mine, Tensor) and isinstance(theirs, Tensor):
                mine.set(theirs)
        self.shared = True
        mlp.shared = True
        return self

    def clone(self, *names: str) -> Module:
        """A deep copy (storage sharing inside the module preserved); named fields shared with self."""
        c = copy.deepcopy(self)
        if names:
            c.share(self, *names)
        return c

    def type(self, typename: str | None = None, tensorCache: dict | None = None):
        """With no argument, the module's tensor type; otherwise cast every tensor field."""
        if typename is None:
            return self._type
        T.tensor_class(typename)  # validates the name
        check_typename(typename, f"{self._typename}.type")
        cache = {} if tensorCache is None else tensorCache
        for k, v in list(vars(self).items()):
            setattr(self, k, utils.recursiveType(v, typename, cache))
        self._type = typename
        return self

    def float(self) -> Module:
        return self.type("torch.FloatTensor")

    def double(self) -> Module:
        return self.type("torch.DoubleTensor")

    def cuda(self) -> Module:
        return self.type("torch.CudaTensor")

    def cudaDouble(self) -> Module:
        return self.type("torch.CudaDoubleTensor")

    def cudaHalf(self) -> Module:
        return self.type("torch.CudaHalfTensor")

    def clearState(self) -> Module:
        return utils.clear(self, "output", "gradInput")

    # ---- traversal -------------------------------------------------------------------------------
    def apply(self, fn) -> None:
        fn(self)
        for m in getattr(self, "modules", None) or ():
            m.apply(fn)

    def listModules(self) -> list:
        out = [self]
        for m in getattr(self, "modules", None) or ():
            out.extend(m.listModules())
        return out

    def findModules(self, typename: str, container: Module | None = None) -> tuple[list, list]:
        container = self if container is None else container
        nodes, containers = [], []
        if self._typename == typename:
            nodes.append(self)
            containers.append(container)
        for m in getattr(self, "modules", None) or ():
            n, c = m.findModules(typename, self)
            nodes.extend(n)
            containers.extend(c)
        return nodes, containers

    def replace(self, fn) -> Module:
        out = fn(self)
        mods = getattr(self, "modules", None)
        if mods:
            for i, m in enumerate(mods):
                mods[i] = m.replace(fn)
        return out

    def __repr__(self) -> str:
        return self._typename


def _graph_call(x) -> bool:
    """True when ``x`` is for nngraph (a node, a list with nodes, ``None`` or ``[]``), not for forward."""
    if isinstance(x, Tensor):
        return False
    if isinstance(x, (list, tuple)):
        return not x or any(getattr(type(v), "_typename", None) == "nngraph.Node" for v in x)
    return x is None or getattr(type(x), "_typename", None) == "nngraph.Node"


def _element_offsets(t: Tensor) -> np.ndarray:
    """Storage offsets (relative to the first element) of every element of ``t``."""
    idx = np.zeros((), np.int64)
    for size, stride in zip(t.size(), t.stride()):
        idx = idx[..., None] + np.arange(size) * stride
    return idx.reshape(-1)


REGISTRY["nn.Module"] = Module
