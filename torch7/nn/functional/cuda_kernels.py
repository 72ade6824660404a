"""The CuPy ElementwiseKernels of the nn layers: compiled once per CuPy module and looked up by name.

A fused kernel is used only for float32/float64 device arrays on an engine that has
``ElementwiseKernel`` (CuPy; in the tests, ``StrictCupy`` with a host C++ compiler); otherwise the caller
runs its engine-agnostic path. Kernel bodies are plain C++ on ``raw`` arrays (indexed by C-order position)
and scalars, so the tests can compile them for the host too (tests/cxx_kernels.py).
"""

from __future__ import annotations

import numpy as np

from torch7._core import backend

_COMPILED: dict = {}


def engine_for(a):
    """The CuPy module that can run a fused kernel on ``a``, or None."""
    if not hasattr(a, "__cuda_array_interface__") or np.dtype(a.dtype) not in (np.float32, np.float64):
        return None
    cp = backend.array_module(a)
    return cp if getattr(cp, "ElementwiseKernel", None) is not None else None


def get(cp, name: str, spec: tuple, preamble: str = ""):
    """The ElementwiseKernel ``name`` of ``cp`` built from ``spec`` = (in_params, out_params, body)."""
    key = (id(cp), name)
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not cp:
        hit = _COMPILED[key] = (cp, cp.ElementwiseKernel(*spec, name, preamble=preamble))
    return hit[1]


def raw_module(cp, code: str):
    """The RawModule of ``cp`` compiled from ``code`` (once per module and source)."""
    key = (id(cp), "raw", code)
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not cp:
        hit = _COMPILED[key] = (cp, cp.RawModule(code=code))
    return hit[1]
