"""A stand-in for NVIDIA's cuDNN frontend (``import cudnn``) that runs its convolution graphs with NumPy.

The names and keywords are those of ``nvidia-cudnn-frontend`` 1.32 (``pygraph``, ``tensor``, ``conv_fprop`` /
``conv_dgrad`` / ``conv_wgrad``, the tensor setters, the five build steps, ``get_workspace_size``,
``execute(variant_pack, workspace, handle=)`` with integer device pointers, ``create_handle``, ``set_stream``).
It is strict where the frontend is: the build steps run in order, every output needs its dims, and
``execute`` needs a built graph and a pointer for every tensor. The arithmetic is plain NumPy loops over
the kernel offsets, independent of torch7's im2col kernels. With ``tests/strict_cupy.py`` (whose device
pointers are host addresses) it lets CI drive ``torch7.cudnn``; on a GPU the real frontend runs instead.
"""

from __future__ import annotations

import ctypes
import enum
import types

import numpy as np
import strict_cupy


class data_type(enum.Enum):  # noqa: N801 - the frontend's name
    FLOAT = "float32"
    DOUBLE = "float64"
    HALF = "float16"


class heur_mode(enum.Enum):  # noqa: N801
    A = 0
    B = 1
    FALLBACK = 2


class numerical_note(enum.Enum):  # noqa: N801
    TENSOR_CORE = 0


class cudnnGraphNotSupportedError(RuntimeError):  # noqa: N801,N818 - the frontend's name
    """What the frontend raises when no engine can run a graph."""


UNSUPPORTED: set = set()  # node methods (e.g. "tanh") whose graphs this stand-in declines, as cuDNN may


class Handle:
    def __init__(self) -> None:
        self.stream = 0


class Tensor:
    def __init__(self, name="", dim=None, stride=None, dtype=None) -> None:
        self.name, self.dim, self.stride, self.dtype, self.output = name, dim, stride, dtype, False

    def set_output(self, v):
        self.output = bool(v)
        return self

    def set_dim(self, d):
        self.dim = list(d)
        return self

    def set_stride(self, s):
        self.stride = list(s)
        return self

    def set_data_type(self, t):
        self.dtype = t
        return self

    def get_dim(self):
        return self.dim


def _out_size(i, k, p, s, d):
    return (i + 2 * p - d * (k - 1) - 1) // s + 1


class pygraph:  # noqa: N801
    log: list = []  # (event, detail) of every graph, for the tests

    def __init__(self, name="test_graph", io_data_type=None, intermediate_data_type=None, compute_data_type=None,
                 handle=None, **kwargs) -> None:
        self.io, self.compute, self.handle = io_data_type, compute_data_type, handle
        self.inputs, self.op, self.stage, self.modes = [], None, 0, None
        pygraph.log.append(("new", io_data_type))

    def tensor(self, dim, stride=None, data_type=None, name="", **kwargs):
        t = Tensor(name, list(dim), list(stride), data_type)
        self.inputs.append(t)
        return t

    def _node(self, kind, a, b, padding, stride, dilation, dims=None):
        if self.op is not None:
            raise RuntimeError("fake cudnn: one operation per graph in this stand-in")
        out = Tensor(kind, dims, None, None)
        self.op = (kind, a, b, list(padding), list(stride), list(dilation), out)
        return out

    def conv_fprop(self, image, weight, padding=(), stride=(), dilation=(), **kwargs):
        dims = [image.dim[0], weight.dim[0]] + [_out_size(i, k, p, s, d) for i, k, p, s, d in
                                                zip(image.dim[2:], weight.dim[2:], padding, stride, dilation)]
        return self._node("fprop", image, weight, padding, stride, dilation, dims)

    def conv_dgrad(self, loss, filter, padding=(), stride=(), dilation=(), **kwargs):  # noqa: A002
        return self._node("dgrad", loss, filter, padding, stride, dilation)

    def conv_wgrad(self, image, loss, padding=(), stride=(), dilation=(), **kwargs):
        return self._node("wgrad", image, loss, padding, stride, dilation)

    def _pointwise(self, method, inputs: dict, params: dict):
        if self.op is not None:
            raise RuntimeError("fake cudnn: one operation per graph in this stand-in")
        src = inputs["input"]
        out = Tensor(method, list(src.dim), None, None)
        self.op = ("pw", method, inputs, params, out)
        return out

    def relu(self, input, negative_slope=None, lower_clip=None, upper_clip=None, name="", **kwargs):  # noqa: A002
        return self._pointwise("relu", {"input": input}, {"lower_clip": lower_clip, "upper_clip": upper_clip})

    def relu_backward(self, loss, input, negative_slope=None, lower_clip=None, upper_clip=None, **kwargs):  # noqa: A002
        return self._pointwise("relu_backward", {"loss": loss, "input": input},
                               {"lower_clip": lower_clip, "upper_clip": upper_clip})

    def tanh(self, input, **kwargs):  # noqa: A002
        return self._pointwise("tanh", {"input": input}, {})

    def tanh_backward(self, loss, input, **kwargs):  # noqa: A002
        return self._pointwise("tanh_backward", {"loss": loss, "input": input}, {})

    def sigmoid(self, input, **kwargs):  # noqa: A002
        return self._pointwise("sigmoid", {"input": input}, {})

    def sigmoid_backward(self, loss, input, **kwargs):  # noqa: A002
        return self._pointwise("sigmoid_backward", {"loss": loss, "input": input}, {})

    def _tensors(self):
        if self.op[0] == "pw":
            return [*self.op[2].values(), self.op[4]]
        return [self.op[1], self.op[2], self.op[6]]

    def _step(self, n, what):
        if self.stage != n - 1:
            raise RuntimeError(f"fake cudnn: {what} out of order (stage {self.stage})")
        self.stage = n

    def validate(self):
        self._step(1, "validate")
        out = self._tensors()[-1]
        if out.dim is None or out.stride is None or not out.output:
            raise RuntimeError("fake cudnn: the output needs set_output(True), its dims and strides")
        for t in self._tensors():
            if t.dtype is not self.io:
                raise RuntimeError(f"fake cudnn: tensor {t.name} is {t.dtype}, the graph's io type is {self.io}")
        if self.op[0] == "pw":
            if any(t.dim != out.dim for t in self.op[2].values()):
                raise RuntimeError("fake cudnn: pointwise operands and output must have the same dims")
            return
        kind, a, b, pad, st, dil, out = self.op
        x, w, y = {"fprop": (a, b, out), "dgrad": (out, b, a), "wgrad": (a, out, b)}[kind]
        want = [_out_size(i, k, p, s, d) for i, k, p, s, d in zip(x.dim[2:], w.dim[2:], pad, st, dil)]
        if y.dim[2:] != want or y.dim[1] != w.dim[0] or x.dim[1] % w.dim[1] or x.dim[0] != y.dim[0]:
            raise RuntimeError(f"fake cudnn: inconsistent convolution sizes x {x.dim} w {w.dim} y {y.dim}")

    def build_operation_graph(self):
        self._step(2, "build_operation_graph")

    def deselect_numeric_notes(self, notes):
        if self.stage != 3:
            raise RuntimeError("fake cudnn: deselect_numeric_notes belongs between create_execution_plans and "
                               "check_support")
        pygraph.log.append(("deselect", list(notes)))
        return self

    def create_execution_plans(self, heuristics=None):
        self._step(3, "create_execution_plans")
        self.modes = list(heuristics)
        pygraph.log.append(("plans", self.modes))

    def check_support(self):
        self._step(4, "check_support")
        if self.op[0] == "pw" and self.op[1] in UNSUPPORTED:
            raise cudnnGraphNotSupportedError(f"fake cudnn: no engine for {self.op[1]}")

    def build_plans(self, *args, **kwargs):
        self._step(5, "build_plans")

    def get_workspace_size(self, handle=None, **kwargs):
        return 4096

    def execute(self, tensor_dict, workspace=None, handle=None, **kwargs):
        self._execute(tensor_dict, workspace)
        strict_cupy._record(lambda: self._execute(tensor_dict, workspace))  # a CUDA-graph capture replays it

    def _execute(self, tensor_dict, workspace):
        if self.stage != 5:
            raise RuntimeError("fake cudnn: execute before build_plans")
        for t in self._tensors():
            if t not in tensor_dict or type(tensor_dict[t]) is not int:
                raise RuntimeError(f"fake cudnn: no device pointer for tensor {t.name}")
        if not isinstance(workspace, int) or workspace == 0:
            raise RuntimeError("fake cudnn: a workspace pointer is needed (size 4096)")
        if self.op[0] == "pw":
            _, method, inputs, params, out = self.op
            v = {k: _view(tensor_dict[t], t) for k, t in inputs.items()}  # computed in the io type, as cuDNN
            pygraph.log.append(("execute", method))
            _view(tensor_dict[out], out)[...] = _POINTWISE[method](v, params)
            return
        kind, a, b, pad, st, dil, out = self.op
        va, vb, vo = (_view(tensor_dict[t], t) for t in (a, b, out))
        pygraph.log.append(("execute", kind))
        if kind == "fprop":
            vo[...] = _fprop(va.astype(float), vb.astype(float), pad, st, dil)
        elif kind == "dgrad":
            vo[...] = _dgrad(va.astype(float), vb.astype(float), vo.shape, pad, st, dil)
        else:
            vo[...] = _wgrad(va.astype(float), vb.astype(float), vo.shape, pad, st, dil)


def _clips(x, p):
    lo = x.dtype.type(0 if p["lower_clip"] is None else p["lower_clip"])
    return lo, None if p["upper_clip"] is None else x.dtype.type(p["upper_clip"])


def _relu(v, p):
    lo, hi = _clips(v["input"], p)
    y = np.maximum(v["input"], lo)
    return y if hi is None else np.minimum(y, hi)


def _relu_bwd(v, p):
    x = v["input"]
    lo, hi = _clips(x, p)
    keep = x > lo
    if hi is not None:
        keep &= x < hi
    return v["loss"] * keep


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


_POINTWISE = {
    "relu": _relu,
    "relu_backward": _relu_bwd,
    "tanh": lambda v, p: np.tanh(v["input"]),
    "tanh_backward": lambda v, p: v["loss"] * (1 - np.tanh(v["input"]) ** 2),
    "sigmoid": lambda v, p: _sigmoid(v["input"]),
    "sigmoid_backward": lambda v, p: v["loss"] * _sigmoid(v["input"]) * (1 - _sigmoid(v["input"])),
}


def _view(ptr: int, t: Tensor) -> np.ndarray:
    dt = np.dtype(t.dtype.value)
    span = 1 + sum((d - 1) * s for d, s in zip(t.dim, t.stride))
    buf = (ctypes.c_char * (span * dt.itemsize)).from_address(ptr)
    return np.ndarray(t.dim, dt, buffer=buf, strides=[s * dt.itemsize for s in t.stride])


def _windows(shape_out, pad, st, dil, ks):
    """(kernel offset, slices of the padded input that meet output positions) for each offset."""
    for off in np.ndindex(*ks):
        yield off, tuple(slice(o * d, o * d + s * (n - 1) + 1, s)
                         for o, d, s, n in zip(off, dil, st, shape_out))


def _groups(c, w):
    g = c // w.shape[1]
    return g, w.shape[0] // g, w.shape[1]


def _fprop(x, w, pad, st, dil):
    g, kg, cg = _groups(x.shape[1], w)
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    out_sp = [_out_size(i, k, p, s, d) for i, k, p, s, d in zip(x.shape[2:], w.shape[2:], pad, st, dil)]
    y = np.zeros([x.shape[0], w.shape[0]] + out_sp)
    for off, sl in _windows(out_sp, pad, st, dil, w.shape[2:]):
        patch = xp[(slice(None), slice(None)) + sl]
        for j in range(g):
            wk = w[(slice(j * kg, (j + 1) * kg), slice(None)) + off]
            y[:, j * kg:(j + 1) * kg] += np.einsum("nc...,kc->nk...", patch[:, j * cg:(j + 1) * cg], wk)
    return y


def _dgrad(dy, w, xshape, pad, st, dil):
    g, kg, cg = _groups(xshape[1], w)
    dxp = np.zeros([xshape[0], xshape[1]] + [i + 2 * p for i, p in zip(xshape[2:], pad)])
    for off, sl in _windows(dy.shape[2:], pad, st, dil, w.shape[2:]):
        for j in range(g):
            wk = w[(slice(j * kg, (j + 1) * kg), slice(None)) + off]
            dxp[(slice(None), slice(j * cg, (j + 1) * cg)) + sl] += np.einsum(
                "nk...,kc->nc...", dy[:, j * kg:(j + 1) * kg], wk)
    return dxp[(slice(None), slice(None)) + tuple(slice(p, p + i) for p, i in zip(pad, xshape[2:]))]


def _wgrad(x, dy, wshape, pad, st, dil):
    g, kg, cg = _groups(x.shape[1], np.empty(wshape))
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    dw = np.zeros(wshape)
    for off, sl in _windows(dy.shape[2:], pad, st, dil, wshape[2:]):
        patch = xp[(slice(None), slice(None)) + sl]
        for j in range(g):
            xs = patch[:, j * cg:(j + 1) * cg].reshape(x.shape[0], cg, -1)
            gs = dy[:, j * kg:(j + 1) * kg].reshape(x.shape[0], kg, -1)
            dw[(slice(j * kg, (j + 1) * kg), slice(None)) + off] = np.einsum("ncs,nks->kc", xs, gs)
    return dw


def module() -> types.ModuleType:
    """A fresh ``cudnn`` module object to put in ``sys.modules``."""
    m = types.ModuleType("cudnn")
    m.__version__ = "1.32.0-fake"
    m.data_type, m.heur_mode, m.numerical_note = data_type, heur_mode, numerical_note
    m.pygraph, m.Handle, m.cudnnGraphNotSupportedError = pygraph, Handle, cudnnGraphNotSupportedError
    UNSUPPORTED.clear()
    m.create_handle = Handle
    m.streams = []
    m.set_stream = lambda handle, stream: m.streams.append((handle, stream))
    m.backend_version = lambda: 91900
    pygraph.log = []
    return m
