"""optim.checkgrad: compare a gradient with central finite differences."""

from __future__ import annotations

import numbers

import numpy as np

from torch7._core import backend
from torch7._core.tensor import Tensor

from ._kernels import check_x


def _value(res):
    """The f of ``opfunc(x)``: the first of the values returned (Lua keeps the first one)."""
    f = res[0] if isinstance(res, (tuple, list)) else res
    if isinstance(f, Tensor) and f.nElement() == 1:
        f = f._a.reshape(-1)[0]
    if not isinstance(f, numbers.Real):
        raise TypeError(f"optim.checkgrad: opfunc(x) must return a number first, got {type(f).__name__}")
    return float(f)


def checkgrad(opfunc, x, eps=1e-7):
    """Check ``opfunc``'s gradient at ``x`` against ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.

    Args:
        opfunc: ``opfunc(x) -> (f, df/dx)``.
        x: the point, a Float or Double tensor (each element is moved by ``eps`` and put back; for a
            1-D ``x``, as in Torch7, ``x[i]``; any other shape is walked element by element).
        eps: the finite-difference step [1e-7].

    Returns:
        ``(diff, dC, dC_est)``: ``diff = ||dC - dC_est|| / ||dC + dC_est||`` (small -- about eps or
        below -- for a correct gradient), the gradient returned by ``opfunc`` (resized to x's shape,
        in place, as Torch7 does) and the estimate (a new tensor of dC's type).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import optim
        >>> opfunc = lambda x: ((x * x * x).sum(), x * x * 3)
        >>> diff, dC, dC_est = optim.checkgrad(opfunc, torch.Tensor([1, -2, 0.5]))
        >>> diff < 1e-8
        True
        >>> wrong = lambda x: ((x * x * x).sum(), x * x * 2)
        >>> optim.checkgrad(wrong, torch.Tensor([1, -2, 0.5]))[0] > 0.1
        True
    """
    check_x("checkgrad", x)
    res = opfunc(x)
    if not isinstance(res, (tuple, list)) or len(res) < 2 or not isinstance(res[1], Tensor):
        raise TypeError("optim.checkgrad: opfunc(x) must return (f, df/dx) with df/dx a tensor")
    dC = res[1]
    if dC.nElement() != x.nElement():
        raise ValueError(f"optim.checkgrad: df/dx has {dC.nElement()} elements but x has {x.nElement()}")
    dC.resize(x.size())

    dC_est = dC.new(x.size())
    est = dC_est._a
    xa = x._a
    for idx in np.ndindex(xa.shape):
        # As in Torch7: each update reads the stored value (so a FloatTensor x may not come back
        # bit for bit).
        xa[idx] = float(xa[idx]) + eps
        C1 = _value(opfunc(x))
        xa[idx] = float(xa[idx]) - 2 * eps
        C2 = _value(opfunc(x))
        xa[idx] = float(xa[idx]) + eps
        est[idx] = (C1 - C2) / (2 * eps)

    a = np.asarray(backend.to_host(dC._a), dtype=np.float64)
    b = np.asarray(backend.to_host(est), dtype=np.float64)
    with np.errstate(all="ignore"):
        diff = float(np.linalg.norm((a - b).ravel()) / np.linalg.norm((a + b).ravel()))
    return diff, dC, dC_est
