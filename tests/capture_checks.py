"""The CUDA-graph part of the shared module checker: a module's training step captured and replayed.

``capture_round_trip(module, input)`` captures ``zeroGradParameters``, ``forward`` and ``backward`` of the
module on the device (CuPy with a GPU; ``StrictCupy`` and the stand-in cuBLAS without one), changes the
input in place (halved: it stays in the module's domain), replays, and compares output, gradInput and
parameter gradients with the same step run eagerly on a copy (an input of whole numbers, which may be
indices, is left as it is). The modules of :data:`NOT_CAPTURABLE` (in the settings given there) must
refuse with ``CaptureError`` instead, so the list in docs/porting.md stays true.
"""

from __future__ import annotations

import copy

import fake_cublas
import numpy as np
import pytest
import strict_cupy

import torch7 as torch
from torch7 import cutorch
from torch7._core import backend
from torch7.cutorch import cublas

# They read device data on the host (a mask's count, a maximum, an index check) or upload a host table at
# every call; docs/porting.md ("CUDA") lists them. The value says when: always, or for which settings.
_ALWAYS = lambda m: True  # noqa: E731
NOT_CAPTURABLE = dict.fromkeys((
    "nn.IndexLinear", "nn.Kmeans", "nn.MaskedSelect", "nn.Max", "nn.Min", "nn.Maxout", "nn.NaN",
    "nn.SparseLinear", "nn.SpatialFractionalMaxPooling", "nn.VolumetricFractionalMaxPooling"), _ALWAYS)
NOT_CAPTURABLE["nn.PairwiseDistance"] = lambda m: m.norm == 1  # its random subgradient at zero differences
NOT_CAPTURABLE["nn.RReLU"] = lambda m: m.train  # training draws slopes for the negative inputs only


def _tensors(x) -> list:
    return [t for v in x for t in _tensors(v)] if isinstance(x, list) else [x] if torch.isTensor(x) else []


def _flat(x) -> np.ndarray:
    ts = _tensors(x)
    return np.concatenate([np.asarray(t.double().numpy(), np.float64).reshape(-1) for t in ts]) if ts \
        else np.zeros(0)


def capture_round_trip(module, inp, to_device, grad_out) -> None:
    """See the module docstring; ``to_device`` moves the (float) input there, ``grad_out(output)`` makes a
    host gradient for an output."""
    if backend.is_available() and not isinstance(backend.cupy(), strict_cupy.StrictCupy):
        _check(module, inp, to_device, grad_out)
        return
    old = backend._set_for_tests(strict_cupy.StrictCupy())
    old_lib = cublas._set_library_for_tests(fake_cublas.build())
    try:
        fake_cublas.record_gemms(cublas._library(), strict_cupy._record)
        _check(module, inp, to_device, grad_out)
    finally:
        cublas._restore(old_lib)
        backend._restore(old)


def _check(module, inp, to_device, grad_out) -> None:
    name = module._typename
    graphed, eager = copy.deepcopy(module).cuda(), copy.deepcopy(module).cuda()
    x = to_device(inp)
    out = graphed.forward(x)
    gout = to_device(grad_out(_host(out)))

    def step(m):
        m.zeroGradParameters()
        m.forward(x)
        m.backward(x, gout)

    step(graphed)
    if NOT_CAPTURABLE.get(name, lambda m: False)(module):
        with pytest.raises(cutorch.CaptureError):
            cutorch.CudaGraph(lambda: step(graphed), warmup=0)
        return
    g = cutorch.CudaGraph(lambda: step(graphed), warmup=0)
    for t in _tensors(x):
        if t._is_float and not np.all(np.mod(_host(t).numpy(), 1) == 0):  # whole numbers may be indices
            t.mul(0.5)  # new data in the captured input (halved: positive or bounded inputs stay so)
    g.replay()
    step(eager)
    for what, a, b in (("output", graphed.output, eager.output), ("gradInput", graphed.gradInput, eager.gradInput),
                       ("gradients", graphed.parameters()[1], eager.parameters()[1])):
        np.testing.assert_allclose(_flat(a), _flat(b), rtol=1e-4, atol=1e-5,
                                   err_msg=f"{name}: the replayed {what} differs from an eager step's")


def _host(x):
    return [_host(v) for v in x] if isinstance(x, list) else x.type(x._host_typename) if torch.isTensor(x) else x
