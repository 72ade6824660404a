"""Stateless NumPy kernels shared by the transfer modules (SoftMax, LogSoftMax, HardTanh, ...).

The kernels work on the NumPy views ``t._a`` and write into preallocated arrays with ``out=``.
``out_like`` sizes a module's buffer (``self.output`` / ``self.gradInput``) like an array without
going through the general ``resize`` path when the size is already right, which is the steady state.
"""

from __future__ import annotations

import numpy as np

from torch7._core.ops_pointwise import _sigmoid


def size_str(t) -> str:
    """``2x3x4`` (Torch7's way of writing a size), ``[empty]`` for an empty tensor."""
    return "x".join(str(s) for s in t.size()) or "[empty]"


def out_like(t, a: np.ndarray) -> np.ndarray:
    """Resize the tensor ``t`` to the shape of ``a`` (when needed) and return its array."""
    b = t._a
    if b.shape != a.shape or not b.size:
        t.resize(a.shape)
        b = t._a
    return b


_ZEROS: dict = {}


def zeros_row(a: np.ndarray) -> np.ndarray:
    """A read-only zero vector as long as ``a``'s last dimension, of its dtype.

    ``np.maximum(a, zeros_row(a))`` runs NumPy's vectorised array-array loop, several times faster
    than ``np.maximum(a, 0)`` (the scalar-broadcast loop is not vectorised).
    """
    if not isinstance(a, np.ndarray):  # a device array: a scalar operand is as fast there
        return a.dtype.type(0)
    n = a.shape[-1]
    z = _ZEROS.get(a.dtype)
    if z is None or z.shape[0] < n:
        z = np.zeros(max(n, 4096), a.dtype)
        z.flags.writeable = False
        _ZEROS[a.dtype] = z
    return z[:n]


def grad_array(module, input, gradOutput) -> np.ndarray:
    """``gradOutput``'s array shaped like ``input`` (Torch7 only asks for the same element count)."""
    g = gradOutput._a
    a = input._a
    if g.shape == a.shape:
        return g
    if g.size != a.size:
        raise ValueError(f"{module._typename}: gradOutput of size {size_str(gradOutput)} does not match "
                         f"input of size {size_str(input)}")
    return g.reshape(a.shape)


def nonempty(module, input) -> np.ndarray:
    a = input._a
    if not a.size:
        raise ValueError(f"{module._typename}: empty input")
    return a


# ---- softmax family: THNN's dimension rule ---------------------------------------------------
def softmax_axis(module, input) -> int:
    """The normalised dimension: the last for 1-D/2-D inputs, the features (dim 0 of 3-D, dim 1 of 4-D)."""
    n = input._a.ndim if input._a.size else 0
    if n == 1 or n == 3:
        return 0
    if n == 2 or n == 4:
        return 1
    raise ValueError(f"{module._typename}: 1D, 2D, 3D or 4D tensor expected, got size {size_str(input)}")


# (ufunc.reduce directly: the ndarray.max/sum wrappers cost a microsecond per call on small batches)
_np_max = np.maximum.reduce
_sum = np.add.reduce


def _max(a, axis, keepdims=False):
    # CuPy has no maximum.reduce; its array method is the same reduction
    return _np_max(a, axis, keepdims=keepdims) if isinstance(a, np.ndarray) else a.max(axis, keepdims=keepdims)


def softmax(a: np.ndarray, o: np.ndarray, axis: int) -> np.ndarray:
    """``o = exp(a - max) / sum(exp(a - max))`` along ``axis``."""
    np.subtract(a, _max(a, axis, keepdims=True), out=o)
    np.exp(o, out=o)
    o /= _sum(o, axis, keepdims=True)
    return o


def softmax_backward(g: np.ndarray, o: np.ndarray, gi: np.ndarray, axis: int) -> np.ndarray:
    """``gi = o * (g - sum(g * o))`` along ``axis``."""
    np.multiply(g, o, out=gi)
    s = _sum(gi, axis, keepdims=True)
    np.subtract(g, s, out=gi)
    gi *= o
    return gi


def log_softmax(a: np.ndarray, o: np.ndarray, axis: int) -> np.ndarray:
    """``o = a - max - log(sum(exp(a - max)))`` along ``axis`` (THNN's order of operations)."""
    np.subtract(a, _max(a, axis, keepdims=True), out=o)
    s = _sum(np.exp(o), axis, keepdims=True)
    o -= np.log(s, out=s)
    return o


def log_softmax_backward(g: np.ndarray, o: np.ndarray, gi: np.ndarray, axis: int) -> np.ndarray:
    """``gi = g - exp(o) * sum(g)`` along ``axis``."""
    s = _sum(g, axis, keepdims=True)
    np.exp(o, out=gi)
    gi *= s
    np.subtract(g, gi, out=gi)
    return gi


# ---- clamp (HardTanh, ReLU6) -----------------------------------------------------------------
def hardtanh_forward(module, input, lo: float, hi: float, inplace: bool):
    a = nonempty(module, input)
    if inplace:
        np.clip(a, lo, hi, out=a)
        module.output.set(input)
    else:
        np.clip(a, lo, hi, out=out_like(module.output, a))
    return module.output


def hardtanh_backward(module, input, gradOutput, lo: float, hi: float, inplace: bool):
    """The gradient passes strictly inside ``(lo, hi)`` and is 0 elsewhere (THNN's rule)."""
    a = input._a
    g = grad_array(module, input, gradOutput)
    inside = (a > lo) & (a < hi)
    if inplace:
        np.multiply(g, inside, out=g)
        module.gradInput.set(gradOutput)
    else:
        np.multiply(g, inside, out=out_like(module.gradInput, a))
    return module.gradInput


def sigmoid(a: np.ndarray, o: np.ndarray) -> np.ndarray:
    """Torch7's ``1 / (1 + exp(-a))`` into ``o`` (the tensor library's sigmoid, on either engine)."""
    return _sigmoid(a, out=o)
