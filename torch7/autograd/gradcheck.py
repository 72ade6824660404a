"""autograd.gradcheck: compare autograd's gradients with central finite differences.

As torch-autograd's ``require 'autograd.gradcheck'{randomizeInput=true}``: every tensor of the
parameters (the first argument, any nesting) is, when ``randomizeInput`` is on, refilled in place
with uniform values in [-1, 1]; then each element is perturbed by +-perturbation/2 and the
difference quotient of ``f`` compared with the gradient from ``autograd.grad``.  The check passes
when the largest absolute difference is below the threshold (1e-6 and 1e-5 as in torch-autograd
for DoubleTensors; 1e-3 and 1e-2 for FloatTensors, whose precision cannot meet those).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._core.tensor import Tensor
from ._grad import grad


def _tensors(p, path=(), out=None) -> list:
    out = [] if out is None else out
    if isinstance(p, Tensor):
        if p._is_float:
            out.append((path, p))
    elif isinstance(p, dict):
        for k, v in p.items():
            _tensors(v, (*path, k), out)
    elif isinstance(p, (list, tuple)):
        for i, v in enumerate(p):
            _tensors(v, (*path, i), out)
    return out


def _at(s, path):
    for k in path:
        s = s[k]
    return s


def _loss(out) -> float:
    v = out[0] if isinstance(out, tuple) else out
    return float(v.sum()) if isinstance(v, Tensor) else float(v)


def _check_var(f, args, path, var: Tensor, randomize: bool) -> bool:
    if randomize:
        var.uniform(-1, 1)
    double = var._dtype == np.float64
    eps, threshold = (1e-6, 1e-5) if double else (1e-3, 1e-2)
    a = var._a
    fd = np.zeros(a.shape)
    for idx in np.ndindex(*a.shape):
        v = a[idx]
        a[idx] = v - eps / 2
        lo = _loss(f(*args))
        a[idx] = v + eps / 2
        hi = _loss(f(*args))
        a[idx] = v
        fd[idx] = (hi - lo) / eps
    grads = grad(f, withForward=False)(*args)
    g = _at(grads, path)
    err = float(np.abs(fd - np.asarray(g._a, dtype=np.float64)).max()) if a.size else 0.0
    if not err < threshold:
        print(f"error = {err}")
        return False
    return True


def gradcheck(f: Callable, params, *args, randomizeInput: bool = True) -> bool:
    """Whether autograd's gradient of ``f`` with respect to ``params`` matches finite differences.

    Args:
        f: ``f(params, *args)`` returning a scalar loss.
        params: a tensor or a nested structure (dicts, lists, tuples) of tensors; modified in
            place when ``randomizeInput`` (as torch-autograd does).
        *args: the other arguments of ``f``.
        randomizeInput: refill every parameter tensor with uniform values in [-1, 1] first.

    Returns:
        True when every tensor passes (the failing errors are printed, as in torch-autograd).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> W = torch.randn(3, 2)
        >>> autograd.gradcheck(lambda p, x: torch.sum(torch.tanh(x @ p["W"])), {"W": W}, torch.randn(4, 3))
        True
    """
    allargs = (params, *args)
    ok = True
    for path, var in _tensors(params):
        ok = _check_var(f, allargs, path, var, randomizeInput) and ok
    return ok


def make(randomizeInput: bool = True) -> Callable:
    """``require 'autograd.gradcheck'{randomizeInput=...}``: a gradcheck function with that option.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import autograd
        >>> check = autograd.gradcheck.make(randomizeInput=False)
        >>> check(lambda x: torch.sum(x * x), torch.Tensor([1, 2]))
        True
    """
    def check(f: Callable, params, *args) -> bool:
        return gradcheck(f, params, *args, randomizeInput=randomizeInput)
    return check


gradcheck.make = make
