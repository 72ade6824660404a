"""nn.gModule: a module made of a directed acyclic graph of nngraph nodes."""

from __future__ import annotations

import sys

import torch7 as torch
from torch7._core.backend import check_typename
from torch7.nn import utils
from torch7.nn.Container import Container
from torch7.nn.Module import kind_error, wrong_kind
from torch7.serialization import convert

from . import debug
from .build import buildGraphs, describeNode


def _wrap(e: Exception, prefix: str) -> Exception:
    try:
        new = type(e)(prefix + str(e))
    except Exception:
        new = RuntimeError(prefix + str(e))
    return new.with_traceback(e.__traceback__)


def _sizes(x) -> str:
    if torch.isTensor(x):
        return "x".join(str(s) for s in x.size()) or "empty"
    if isinstance(x, (list, tuple)):
        return "{" + ", ".join(_sizes(v) for v in x) + "}"
    return torch.type(x)


def _is_zero_scalar(g) -> bool:
    # Lua's shortcut: a gradient that is a one-element zero storage adds nothing to a sum.
    if not torch.isTensor(g):
        return False
    st = g.storage()
    return st is not None and st.size() == 1 and st[0] == 0


def _node_input(d: dict):
    inp = d.get("input")
    if inp is None:
        inp = []
    return inp[0] if len(inp) == 1 else inp


class gModule(Container):
    """A graph of modules: ``nn.gModule(inputs, outputs)`` with lists of ``nngraph.Node``.

    Forward runs the nodes in topological order; backward sums the gradients of a node used by
    several others. With one input node the gModule takes a tensor, with k > 1 a list of k; with
    several output nodes ``output`` is a list. ``modules`` (hence ``parameters()``) are in forward
    topological order. Lua's fields are kept: ``fg``, ``bg``, ``innode``, ``outnode``,
    ``forwardnodes``, ``backwardnodes``, ``modules``, ``nInputs``, ``verbose`` and an optional ``name``.

    Args:
        inputs: the input nodes (made with no argument, e.g. ``nn.Identity()()``).
        outputs: the output nodes.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> x, y = nn.Identity()(), nn.Identity()()
        >>> s = nn.CAddTable()([x, y])
        >>> g = nn.gModule([x, y], [s, nn.Tanh()(s)])
        >>> [o.tolist() for o in g.forward([torch.Tensor([1, 2]), torch.Tensor([3, 4])])][0]
        [4.0, 6.0]
        >>> g
        nn.gModule
    """

    def __init__(self, inputs, outputs) -> None:
        super().__init__()
        for k, v in buildGraphs(inputs, outputs).items():
            setattr(self, k, v)
        self.verbose = False
        for node in self.forwardnodes:
            m = node.data.get("module")
            if m is not None:
                self.add(m)
        if len(self.outnode.children) > 1:
            self.output = self.outnode.data["input"]

    # ---- running nodes -------------------------------------------------------------------------------
    def _run(self, node, fn, *args):
        try:
            return fn(*args)
        except Exception as e:
            self._failed(node, e, args)

    def _failed(self, node, e: Exception, args: tuple = ()):
        if debug.enabled():
            debug.onError(self, node)
        m = node.data.get("module")
        what = ""
        err = e
        if m is not None:
            text = repr(m)
            what = f" ({text if chr(10) not in text else m._typename})"
            data = args[1:] if args and args[0] is m else args  # forward passes (module, input)
            if data and isinstance(e, (AttributeError, TypeError)) and wrong_kind(m, e, *data[:2]):
                err = kind_error(m, e, *data[:2])
        raise _wrap(err, f"In node {describeNode(node)}{what} of {self!r}: ").with_traceback(e.__traceback__) from e

    def _trace(self, node) -> None:
        if self.verbose:
            print(" V : " + node.label())

    def _n_inputs(self) -> int:
        n = getattr(self, "nInputs", None)
        return n if n is not None else len(self.innode.children)

    # ---- forward -------------------------------------------------------------------------------------
    def runForwardFunction(self, func, input):
        """Run ``func(module, input)`` (or the method named ``func``) through the graph; returns the output."""
        if isinstance(func, str):
            name = func
            func = lambda m, x: getattr(m, name)(x)  # noqa: E731
        n = self._n_inputs()
        if n <= 1:
            inputs = [input]
        elif not isinstance(input, (list, tuple)):
            raise TypeError(f"{self!r}: expecting a list of {n} inputs, got a {torch.type(input)} of size "
                            f"{_sizes(input)}")
        else:
            inputs = list(input)
            if len(inputs) != n:
                raise ValueError(f"{self!r}: got {len(inputs)} inputs instead of {n} (sizes {_sizes(inputs)})")
        for node in self.forwardnodes:
            inp = node.data.get("input")
            if inp:
                del inp[:]
        d = self.innode.data
        if d.get("input") is None:
            d["input"] = []
        d["input"][:] = inputs
        for node in self.forwardnodes:
            self._forward_node(node, func)
        out = self.outnode.data["input"]
        self.output = out[0] if len(self.outnode.children) == 1 else out
        return self.output

    def updateOutput(self, input):
        return self.runForwardFunction("updateOutput", input)

    def _forward_node(self, node, func) -> None:
        d = node.data
        sel = d.get("selectindex")
        if sel is not None:
            inp = d.get("input") or []
            if len(inp) != 1 or not isinstance(inp[0], (list, tuple)) or not 0 <= sel < len(inp[0]):
                self._failed(node, TypeError(f"split output {sel} needs a list of at least {sel + 1} entries, got "
                                             f"{_sizes(inp[0] if len(inp) == 1 else inp)}"))
            x = inp[0][sel]
        else:
            arg = _node_input(d)
            m = d.get("module")
            x = arg if m is None else self._run(node, func, m, arg)
            k = d.get("nSplitOutputs")
            if k is not None and (not isinstance(x, (list, tuple)) or len(x) != k):
                n = len(x) if isinstance(x, (list, tuple)) else "a non-list"
                self._failed(node, ValueError(f"split({k}) cannot split {n} outputs"))
        for child in node.children:
            cd = child.data
            pos = cd["mapindex"].indexOf(d)
            inp = cd.get("input")
            if inp is None:
                inp = cd["input"] = []
            if len(inp) <= pos:
                inp.extend([None] * (pos + 1 - len(inp)))
            elif inp[pos] is not None:
                raise RuntimeError(f"{self!r}: each input of a node should have one source")
            inp[pos] = x
        self._trace(node)

    # ---- backward ------------------------------------------------------------------------------------
    def _check_grad(self, gradOutput) -> None:
        n = len(self.outnode.children)
        if n > 1 and (not isinstance(gradOutput, (list, tuple)) or len(gradOutput) != n):
            got = len(gradOutput) if isinstance(gradOutput, (list, tuple)) else f"a {torch.type(gradOutput)}"
            raise ValueError(f"{self!r}: got {got} gradOutputs instead of {n} (sizes {_sizes(gradOutput)})")

    def _total(self, node, compute: bool = True):
        d = node.data
        gos = d.get("gradOutput")
        if not gos:
            self._failed(node, RuntimeError("no gradient reached this node (call updateGradInput first)"))
        if len(gos) == 1:
            return gos[0]
        buf = d.get("gradOutputBuffer")
        if buf is None:
            live = [g for g in gos if not _is_zero_scalar(g)]
            if len(live) < 2:
                return live[0] if live else gos[0]
        if not compute:
            return buf
        buf = utils.recursiveCopy(buf, gos[0])
        for g in gos[1:]:
            utils.recursiveAdd(buf, g)
        d["gradOutputBuffer"] = buf
        return buf

    def updateGradInput(self, input, gradOutput):
        self._check_grad(gradOutput)
        for node in self.backwardnodes:
            go = node.data.get("gradOutput")
            if go:
                del go[:]
        d = self.outnode.data
        if d.get("gradOutput") is None:
            d["gradOutput"] = []
        d["gradOutput"][:] = [gradOutput]
        for node in self.backwardnodes:
            self._backward_node(node)
        gos = self.innode.data.get("gradOutput") or []
        if len(gos) != 1:
            raise RuntimeError(f"{self!r}: expecting the input node to be used once, got {len(gos)} gradients")
        self.gradInput = gos[0]
        return self.gradInput

    def _backward_node(self, node) -> None:
        d = node.data
        sel = d.get("selectindex")
        go = self._total(node)
        if sel is not None:
            cd = node.children[0].data  # the node being split
            slots = cd.get("gradOutput")
            if slots is None:
                slots = cd["gradOutput"] = []
            if not slots:
                slots.append([None] * (cd.get("nSplitOutputs") or sel + 1))
            slots[0][sel] = go
        else:
            m = d.get("module")
            gi = go if m is None else self._run(node, m.updateGradInput, _node_input(d), go)
            single = len(node.children) == 1
            for child in node.children:
                cd = child.data
                if cd.get("gradOutput") is None:
                    cd["gradOutput"] = []
                cd["gradOutput"].append(gi if single else gi[d["mapindex"].indexOf(cd)])
        self._trace(node)

    def _each_module(self, method: str, gradOutput, extra) -> None:
        self._check_grad(gradOutput)
        for node in self.backwardnodes:
            d = node.data
            m = d.get("module")
            if m is not None:
                self._run(node, getattr(m, method), _node_input(d), self._total(node, compute=False), extra)
                self._trace(node)

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        self._each_module("accGradParameters", gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self._each_module("accUpdateGradParameters", gradOutput, lr)

    # ---- module methods --------------------------------------------------------------------------------
    def parameters(self) -> tuple[list, list]:
        """The modules' parameters in forward order; a module used by several nodes is listed once."""
        params, grads, seen = [], [], set()
        for m in self.modules:
            if id(m) not in seen:
                seen.add(id(m))
                p, g = m.parameters()
                params.extend(p)
                grads.extend(g)
        return params, grads

    def _datas(self):
        seen = set()
        for node in list(self.forwardnodes) + list(self.backwardnodes):
            if id(node.data) not in seen:
                seen.add(id(node.data))
                yield node

    def type(self, typename: str | None = None, tensorCache: dict | None = None):
        if typename is None:
            return self._type
        check_typename(typename, "nn.gModule.type")
        cache = {} if tensorCache is None else tensorCache
        for m in self.modules:
            m.type(typename, cache)
        for node in self._datas():
            node.type(typename, cache)
        for k in ("output", "gradInput"):
            if getattr(self, k, None) is not None:
                setattr(self, k, utils.recursiveType(getattr(self, k), typename, cache))
        self._type = typename
        return self

    def clearState(self) -> gModule:
        super().clearState()
        for node in self._datas():
            for k in ("input", "gradOutput", "gradOutputBuffer"):
                node.data.pop(k, None)
        return self

    def replace(self, fn):
        """``fn`` applied to this gModule and (recursively) to every node's module, updating ``modules``."""
        out = fn(self)
        for node in self.forwardnodes:
            m = node.data.get("module")
            if m is not None:
                new = m.replace(fn)
                node.data["module"] = new
                self.modules[:] = [new if x is m else x for x in self.modules]
        return out

    def map(self, gm: gModule, func) -> None:
        """Call ``func(mine, theirs)`` on the modules of the nodes at the same positions of two alike gModules."""
        if len(gm.forwardnodes) < len(self.forwardnodes):
            raise ValueError("nn.gModule.map: the other gModule has a different structure")
        for node, other in zip(self.forwardnodes, gm.forwardnodes):
            m = node.data.get("module")
            if m is not None:
                theirs = other.data.get("module")
                if theirs is None:
                    raise ValueError("nn.gModule.map: the other gModule has a different structure")
                func(m, theirs)

    def clone(self, *names: str) -> gModule:
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 20 * len(self.forwardnodes) + 1000))  # deepcopy follows the node chains
        try:
            return super().clone(*names)
        finally:
            sys.setrecursionlimit(old)

    def __repr__(self) -> str:
        return getattr(self, "name", None) or self._typename

    # ---- .t7 -------------------------------------------------------------------------------------------
    def _t7_loaded(self) -> None:
        for node in list(self.forwardnodes) + list(self.backwardnodes) + [self.innode, self.outnode]:
            node.data  # noqa: B018  (data read inside a cycle is converted now that it is complete)
        if not isinstance(vars(self).get("modules"), list):  # old files: Lua's gModule.read rebuilds it
            self.modules = [n.data["module"] for n in self.forwardnodes if n.data.get("module") is not None]
        if getattr(self, "nInputs", None) is None:
            self.nInputs = len(self.innode.children)
        vars(self).setdefault("verbose", False)
        t = getattr(self.modules[0], "_type", None) if self.modules else None
        if isinstance(t, str):  # old files have no _type of their own: the modules' (CUDA ones load as CPU)
            self._type = t

    def _t7_payload(self) -> dict:
        from .lua import LuaLayout

        fields = convert.to_lua(self)
        lay = LuaLayout()
        for k in ("fg", "bg"):
            fields[k] = lay.graph(fields[k])
        for k in ("innode", "outnode"):
            fields[k] = lay.node(fields[k])
        for k in ("forwardnodes", "backwardnodes"):
            fields[k] = [lay.node(n) for n in fields[k]]
        lay.run()
        return fields
