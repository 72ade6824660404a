"""Torch7's 2-D and 3-D convolutions: conv2, xcorr2, conv3, xcorr3 (all types but Half).

``torch.conv2([res,] x, k [, 'V'|'F'])``: 'V' (default) is the valid convolution, of size
``x - k + 1`` per spatial dim; 'F' the full one, of size ``x + k - 1``.  ``conv*`` flips the
kernel (a true convolution), ``xcorr*`` does not (cross-correlation).  Three forms, by the
number of dims (shown for conv2; conv3 has one more spatial dim everywhere):

* x 2-D (m x n), k 2-D: a 2-D result;
* x 3-D (p x m x n), k 3-D (p x ki x kj): plane i of x with kernel i, a p-plane result;
* x 3-D (p x m x n), k 4-D (q x p x ki x kj): q result planes, plane j summing over i the
  planes of x with kernel ``k[j][i]`` (Torch7's matrix-vector form).

The methods are the same functions (``x.conv2(k)`` is ``torch.conv2(x, k)``, ``res.conv2(x, k)``
writes into ``res``), as Torch7 wraps them both ways.  Integer types compute in their own type
and wrap around on overflow, as Torch7's C loops do.
"""

from __future__ import annotations

import math

import numpy as np

from .backend import ascontig, xp
from .dispatch import bad_args, prepare
from .tensor import Tensor, _fmt

# Small outputs: build the patch matrix (its size stays under _IM2COL_LIMIT elements) and do one
# matrix product.  Otherwise accumulate the kernel taps one at a time: a Python step per tap,
# which the work per tap (the whole output) outweighs once there are more than about
# _TAPS_MIN_OUT input-plane x output elements, and memory stays the size of the output.
_IM2COL_LIMIT = 1 << 22
_TAPS_MIN_OUT = 8192


def _xcorr_valid(x: np.ndarray, k: np.ndarray, nd: int, depthwise: bool) -> np.ndarray:
    """Valid cross-correlation over the last ``nd`` dims.

    ``x`` is (P, *S).  Depthwise: ``k`` is (P, *K), result (P, *O), plane i with kernel i.
    Otherwise ``k`` is (Q, P, *K), result (Q, *O), summing over the P input planes.
    """
    ks = k.shape[-nd:]
    p = x.shape[0]
    outs = tuple(s - kk + 1 for s, kk in zip(x.shape[1:], ks, strict=True))
    n_out, n_k = math.prod(outs), math.prod(ks)
    if p * n_out <= _TAPS_MIN_OUT and p * n_out * n_k <= _IM2COL_LIMIT:
        win = np.lib.stride_tricks.sliding_window_view(x, ks, axis=tuple(range(1, nd + 1)))
        # (P, *O, *K) -> patch matrix (P, n_k, n_out): one copy, then a matrix product.
        order = (0,) + tuple(range(nd + 1, 2 * nd + 1)) + tuple(range(1, nd + 1))
        cols = win.transpose(order).reshape(p, n_k, n_out)
        if depthwise:
            out = np.matmul(k.reshape(p, 1, n_k), cols)[:, 0]
        else:
            out = k.reshape(k.shape[0], p * n_k) @ cols.reshape(p * n_k, n_out)
        return out.reshape((out.shape[0],) + outs)
    # Preallocated buffers: temporaries of the output's size would cost more in page faults
    # than the arithmetic.
    q = p if depthwise else k.shape[0]
    lead = k.ndim - nd
    taps = ascontig(np.moveaxis(k, tuple(range(lead)), tuple(range(nd, nd + lead))))  # (*K, [Q,] P)
    out = np.zeros((q,) + outs, x.dtype)
    tmp = np.empty((q,) + outs, x.dtype)
    buf = None if depthwise else np.empty((p, n_out), x.dtype)
    for tap in np.ndindex(*ks):
        patch = x[(slice(None),) + tuple(slice(t, t + o) for t, o in zip(tap, outs, strict=True))]
        if depthwise:
            np.multiply(patch, taps[tap].reshape((p,) + (1,) * nd), out=tmp)
        else:
            np.copyto(buf.reshape((p,) + outs), patch)
            np.matmul(taps[tap], buf, out=tmp.reshape(q, n_out))
        np.add(out, tmp, out=out)
    return out


def _conv(name: str, nd: int, flip: bool, args: tuple) -> Tensor:
    vf = "V"
    if args and isinstance(args[-1], str):
        vf = args[-1][:1].upper()
        if vf not in ("V", "F"):
            raise ValueError(f"{name}: the type of convolution is 'V' (valid) or 'F' (full), got {args[-1]!r}")
        args = args[:-1]
    if len(args) == 2 and all(isinstance(a, Tensor) for a in args):
        res, (x, k) = None, args
    elif len(args) == 3 and all(isinstance(a, Tensor) for a in args):
        res, x, k = args
    else:
        raise bad_args(name, args, "([res,] x, k [, 'V'|'F'])")
    cls = type(x)
    if cls._dtype == np.float16:
        raise TypeError(f"{name}: not defined for {cls._typename}")
    for t in (k, res):
        if t is not None and type(t) is not cls:
            raise TypeError(f"{name}: all tensors must have the same type, got {cls._typename} and {t._typename}")
    xd, kd = x.nDimension(), k.nDimension()
    xs, kshape = x._a.shape, k._a.shape
    if (xd, kd) == (nd, nd):
        form = "single"
    elif (xd, kd) == (nd + 1, nd + 1):
        form = "depthwise"
        if xs[0] != kshape[0]:
            raise ValueError(f"{name}: the input has {xs[0]} planes but the kernel {kshape[0]} "
                             f"(input {_fmt(xs)}, kernel {_fmt(kshape)})")
    elif (xd, kd) == (nd + 1, nd + 2):
        form = "mv"
        if xs[0] != kshape[1]:
            raise ValueError(f"{name}: the input has {xs[0]} planes but the kernel expects {kshape[1]} "
                             f"(input {_fmt(xs)}, kernel {_fmt(kshape)})")
    else:
        raise ValueError(f"{name}: expected a {nd}-D input with a {nd}-D kernel, {nd + 1}-D with {nd + 1}-D, "
                         f"or {nd + 1}-D with {nd + 2}-D; got {_fmt(x.size())} and {_fmt(k.size())}")
    ks = kshape[-nd:]
    if vf == "V" and any(s < kk for s, kk in zip(xs[-nd:], ks, strict=True)):
        raise ValueError(f"{name}: the input ({_fmt(xs[-nd:])}) is smaller than the kernel ({_fmt(ks)}) "
                         "for a valid convolution")
    xa = x._a if form != "single" else x._a[None]
    ka = k._a[None] if form == "single" else k._a  # one plane: the depthwise form with p = 1
    spatial = tuple(range(ka.ndim - nd, ka.ndim))
    if vf == "F":
        xa = np.pad(xa, [(0, 0)] + [(kk - 1, kk - 1) for kk in ks])
    # Both modes are a valid cross-correlation (of the zero-padded input for 'F'); conv uses the
    # reversed kernel.  A fresh copy either way, so that conv and xcorr with a reversed kernel run
    # BLAS on identically laid out data and agree exactly, as Torch7's tests ask.
    ka = xp(ka).array(np.flip(ka, spatial) if flip else ka, order="C")
    out = _xcorr_valid(xa, ka, nd, form != "mv")
    if form == "single":
        out = out[0]
    if res is None:
        return cls._new(ascontig(out, dtype=cls._dtype))
    r = prepare(res, cls, out.shape)
    np.copyto(r._a, out, casting="unsafe")
    return r


def conv2(*args) -> Tensor:
    """2-D convolution (kernel flipped): ``torch.conv2([res,] x, k [, 'V'|'F'])``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2, 3], [4, 5, 6]]); k = torch.Tensor([[1, 0], [0, -1]])
        >>> torch.conv2(x, k).totable()
        [[4.0, 4.0]]
        >>> torch.conv2(x, k, 'F').size()
        torch.Size([3, 4])
    """
    return _conv("conv2", 2, True, args)


def xcorr2(*args) -> Tensor:
    """2-D cross-correlation (kernel not flipped): ``torch.xcorr2([res,] x, k [, 'V'|'F'])``.

    Example:
        >>> import torch7 as torch
        >>> x = torch.Tensor([[1, 2, 3], [4, 5, 6]]); k = torch.Tensor([[1, 0], [0, -1]])
        >>> torch.xcorr2(x, k).totable()
        [[-4.0, -4.0]]
    """
    return _conv("xcorr2", 2, False, args)


def conv3(*args) -> Tensor:
    """3-D convolution (kernel flipped): ``torch.conv3([res,] x, k [, 'V'|'F'])``."""
    return _conv("conv3", 3, True, args)


def xcorr3(*args) -> Tensor:
    """3-D cross-correlation (kernel not flipped): ``torch.xcorr3([res,] x, k [, 'V'|'F'])``."""
    return _conv("xcorr3", 3, False, args)


FUNCTIONS = {"conv2": conv2, "xcorr2": xcorr2, "conv3": conv3, "xcorr3": xcorr3}
METHODS = dict(FUNCTIONS)
