"""cuDNN graphs through NVIDIA's frontend (``import cudnn``), on CuPy device memory.

Stateless kernels for the ``torch7.cudnn`` modules, like THNN under nn. Each call builds (once per shape,
stride, type and parameters) a frontend ``pygraph`` with one operation (conv_fprop, conv_dgrad,
conv_wgrad, or a pointwise activation or its backward), then executes it on the arrays' device pointers
(``a.data.ptr``) with a workspace from CuPy's pool, on CuPy's current stream. What this relies on, from
the frontend's Python binding (1.32): ``pygraph(io_data_type=, intermediate_data_type=,
compute_data_type=, handle=)``, ``graph.tensor(name=, dim=, stride=, data_type=)``, the node methods of
``_NODES`` with their keywords, the output's ``set_output/set_dim/set_stride/set_data_type``,
``validate`` / ``build_operation_graph`` / ``create_execution_plans`` / ``check_support`` / ``build_plans``,
``get_workspace_size``, ``execute(variant_pack, workspace, handle=)`` with integer pointers, and
``cudnnGraphNotSupportedError`` for a graph no engine runs (the layer then uses its nn kernel).

``benchmark`` / ``fastest`` (``torch7.cudnn``'s switches, read at build time) select cuDNN's more thorough
heuristic (mode B) instead of the quick one (mode A); FALLBACK always follows. With float32 data cuDNN may
use TF32 tensor cores, as PyTorch's cuDNN convolutions do by default; ``allow_tf32 = False`` deselects the
engines that do (``deselect_numeric_notes([TENSOR_CORE])``), for full float32 products.
"""

from __future__ import annotations

import contextlib
import types

import numpy as np

from torch7._core.backend import cupy

_STATE = types.SimpleNamespace(fe=None, handles={}, graphs={}, workspace={}, switches=None, layer=False)


def bind(frontend, switches) -> None:
    """Called by ``torch7.cudnn`` at import: the frontend module and the object holding the switches."""
    _STATE.fe, _STATE.switches = frontend, switches
    _STATE.handles.clear()
    _STATE.graphs.clear()
    _STATE.workspace.clear()


@contextlib.contextmanager
def layer_switch(fastest: bool):
    """Within: the calling layer's own ``:fastest()`` choice also selects the thorough heuristic."""
    old, _STATE.layer = _STATE.layer, bool(fastest)
    try:
        yield
    finally:
        _STATE.layer = old


def _thorough() -> bool:
    sw = _STATE.switches
    return bool(sw.benchmark or sw.fastest or _STATE.layer)


def clear_cache() -> None:
    """Forget the built graphs and workspaces (they are rebuilt on the next call)."""
    _STATE.graphs.clear()
    _STATE.workspace.clear()


def _types(dtype) -> tuple:
    """(io, compute) cuDNN data types of a NumPy/CuPy dtype: float16 computes in float32."""
    dt = _STATE.fe.data_type
    name = np.dtype(dtype).name
    if name == "float32":
        return dt.FLOAT, dt.FLOAT
    if name == "float64":
        return dt.DOUBLE, dt.DOUBLE
    if name == "float16":
        return dt.HALF, dt.FLOAT
    raise TypeError(f"cudnn: cuDNN layers take float16, float32 or float64 data, got {name}")


def _handle(cp):
    dev = cp.cuda.runtime.getDevice()
    h = _STATE.handles.get(dev)
    if h is None:
        h = _STATE.handles[dev] = _STATE.fe.create_handle()
    return h


def _elem_strides(a) -> list:
    return [s // a.itemsize for s in a.strides]


def _desc(a) -> tuple:
    return tuple(a.shape), tuple(_elem_strides(a))


# One node per graph: kind -> (frontend method, {its keyword: our input name}).
_NODES = {
    "fprop": ("conv_fprop", {"image": "X", "weight": "W"}),
    "dgrad": ("conv_dgrad", {"loss": "DY", "filter": "W"}),
    "wgrad": ("conv_wgrad", {"image": "X", "loss": "DY"}),
    "relu": ("relu", {"input": "X"}),
    "relu_bwd": ("relu_backward", {"loss": "DY", "input": "X"}),
    "tanh": ("tanh", {"input": "X"}),
    "tanh_bwd": ("tanh_backward", {"loss": "DY", "input": "X"}),
    "sigmoid": ("sigmoid", {"input": "X"}),
    "sigmoid_bwd": ("sigmoid_backward", {"loss": "DY", "input": "X"}),
}


def _build(kind: str, dtype, inputs: dict, out, params: dict):
    """A built pygraph with the one node ``kind``; returns (graph, {name: tensor node}, output node)."""
    fe = _STATE.fe
    io, comp = _types(dtype)
    g = fe.pygraph(io_data_type=io, intermediate_data_type=comp, compute_data_type=comp,
                   handle=_handle(cupy("torch7.cudnn")))
    nodes = {name: g.tensor(name=name, dim=list(a.shape), stride=_elem_strides(a), data_type=io)
             for name, a in inputs.items()}
    method, args = _NODES[kind]
    y = getattr(g, method)(**{k: nodes[v] for k, v in args.items()}, **params)
    y.set_output(True)
    y.set_dim(list(out.shape))
    y.set_stride(_elem_strides(out))
    y.set_data_type(io)
    modes = [fe.heur_mode.B if _thorough() else fe.heur_mode.A, fe.heur_mode.FALLBACK]
    g.validate()
    g.build_operation_graph()
    g.create_execution_plans(modes)
    if not _STATE.switches.allow_tf32 and np.dtype(dtype).name == "float32":
        g.deselect_numeric_notes([fe.numerical_note.TENSOR_CORE])  # full float32 products, no TF32
    g.check_support()
    g.build_plans()
    return g, nodes, y


def _not_supported(e: Exception) -> bool:
    err = getattr(_STATE.fe, "cudnnGraphNotSupportedError", None)
    return err is not None and isinstance(e, err)


def run(kind: str, inputs: dict, out, **params) -> bool:
    """Execute the one-node graph ``kind`` on device arrays: ``inputs`` by name (X, W, DY), ``out`` written.

    Returns False, without computing, when cuDNN has no engine for that graph (remembered per key, and
    said once when ``cudnn.verbose``): the caller then runs its nn kernel.
    """
    cp = cupy("torch7.cudnn")
    key = (kind, np.dtype(out.dtype).name, cp.cuda.runtime.getDevice(), tuple(_desc(a) for a in inputs.values()),
           _desc(out), tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())),
           _thorough(), bool(_STATE.switches.allow_tf32))
    built = _STATE.graphs.get(key)
    if built is None:
        try:
            built = _build(kind, out.dtype, inputs, out, params)
        except Exception as e:
            if not _not_supported(e):
                raise
            built = False
            if _STATE.switches.verbose:
                print(f"cudnn: no cuDNN engine for {kind} on {_desc(out)}: {e}; using the nn kernel")
        _STATE.graphs[key] = built
    if built is False:
        return False
    g, nodes, y = built
    size = int(g.get_workspace_size())
    ws = _workspace(cp, size)
    pack = {nodes[name]: a.data.ptr for name, a in inputs.items()}
    pack[y] = out.data.ptr
    handle = _handle(cp)
    _STATE.fe.set_stream(handle=handle, stream=cp.cuda.get_current_stream().ptr)
    g.execute(pack, ws.data.ptr if size else 0, handle=handle)
    return True


def _workspace(cp, size: int):
    dev = cp.cuda.runtime.getDevice()
    ws = _STATE.workspace.get(dev)
    if ws is None or ws.size < size:
        ws = _STATE.workspace[dev] = cp.empty(max(size, 1), dtype=np.uint8)
    return ws


def _conv(pad, stride, dilation) -> dict:
    return {"padding": list(pad), "stride": list(stride), "dilation": list(dilation)}


def conv_forward(x, w, y, pad, stride, dilation) -> None:
    """``y = conv(x, w)`` (cross-correlation; NC... layouts; groups = x's C / w's C)."""
    _require(run("fprop", {"X": x, "W": w}, y, **_conv(pad, stride, dilation)), "convolution forward")


def conv_backward_data(dy, w, dx, pad, stride, dilation) -> None:
    """``dx`` = the gradient of the input, written (not accumulated)."""
    _require(run("dgrad", {"DY": dy, "W": w}, dx, **_conv(pad, stride, dilation)), "convolution data gradient")


def conv_backward_filter(x, dy, dw, pad, stride, dilation) -> None:
    """``dw`` = the gradient of the weight, written (not accumulated)."""
    _require(run("wgrad", {"X": x, "DY": dy}, dw, **_conv(pad, stride, dilation)), "convolution filter gradient")


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise RuntimeError(f"cudnn: cuDNN has no engine for this {what} (see cudnn.verbose); convert the layer "
                           "back with cudnn.convert(net, nn)")
