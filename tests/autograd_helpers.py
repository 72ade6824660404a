"""Helpers shared by the torch7.autograd tests: random tensors, float64 central differences, nested comparisons."""

from __future__ import annotations

import numpy as np

import torch7 as torch
from torch7.autograd import _nest


def rnd(*size, seed=0, scale=1.0):
    """A DoubleTensor of standard normal values times ``scale``, the same for the same ``seed``."""
    return torch.from_numpy(np.random.default_rng(seed).standard_normal(size) * scale)


def first(v):
    """The number of a loss: the first value of a tuple, the element of a one-element tensor."""
    v = v[0] if isinstance(v, tuple) else v
    return float(v.numpy().reshape(-1)[0]) if torch.isTensor(v) else float(v)


def numgrad(f, params, eps=1e-6):
    """Central differences of the number ``f(params)`` over every float tensor of ``params`` (nested); None for
    the other leaves."""
    leaves, spec = _nest.flatten(params)
    out = []
    for t in leaves:
        if not _nest.is_float_tensor(t):
            out.append(None)
            continue
        out.append(central_differences(lambda: first(f(params)), t.numpy(), eps))
    return _nest.unflatten(spec, out)


def central_differences(f, a, eps=1e-6):
    """The gradient of the number ``f()`` over the entries of the array ``a`` (each moved by ``eps`` and back)."""
    g = np.zeros(a.shape)
    for idx in np.ndindex(a.shape):
        old = a[idx]
        a[idx] = old + eps
        fp = f()
        a[idx] = old - eps
        fm = f()
        a[idx] = old
        g[idx] = (fp - fm) / (2 * eps)
    return g


def assert_tree_close(got, expected, tol=1e-10):
    """The leaves of ``got`` (tensors) equal those of ``expected`` (tensors or arrays) within ``tol``."""
    gl, _ = _nest.flatten(got)
    el, _ = _nest.flatten(expected)
    assert len(gl) == len(el)
    for g, e in zip(gl, el):
        e = e.numpy() if torch.isTensor(e) else np.asarray(e)
        np.testing.assert_allclose(g.numpy(), e, rtol=tol, atol=tol)


def close(a, b, tol=1e-10):
    """``a`` equals ``b`` (tensors, arrays or numbers) within ``tol``."""
    a = a.numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
    b = b.numpy() if isinstance(b, torch.Tensor) else np.asarray(b)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
