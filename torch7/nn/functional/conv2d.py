"""2-D convolution kernels (NumPy reference path) shared by the Spatial*Convolution modules.

Column layout: ``cols`` is ``(C*kH*kW, N*oH*oW)``, rows ordered ``(c, i, j)`` like a weight viewed as
``nOut x (nIn*kH*kW)``, columns ordered ``(n, y, x)``; so each pass over a whole batch is one GEMM.
``im2col`` is ``kH*kW`` strided-slice copies and ``col2im`` ``kH*kW`` strided-slice adds (no Python loop
over output positions), or a serial Numba kernel when ``numba`` is installed (``_numba.py`` switches it).
With Numba, stride-1 layers with few channels (``nOut*nIn*kH*kW <= DIRECT_MAX``, e.g. the first layer of
a CIFAR net) skip the columns altogether and run the direct kernels of ``conv_numba.py``: their columns
would be ``kH*kW`` times the input and their GEMMs memory-bound.

The ``module_*`` functions take a module (duck-typed: ``kW, kH, dW, dH, padW, padH``, optional
``dilationW/dilationH``, ``weight``, ``bias``, ``gradWeight``, ``gradBias``, buffers ``finput`` and
``fgradInput``) and Tensors.
"""

from __future__ import annotations

import os
import weakref

import numpy as np

from torch7._core.backend import addr, ascontig
from torch7._core.backend import xp as engine

from . import _numba, conv_cuda, winograd

# Largest nOut*nIn*kH*kW computed by the direct kernels. Measured with the 3-planes-per-pass kernels (float32,
# fwd+bwd, time direct / columns): 3->6 5x5 32x32 (450) 0.18, 3->16 3x3 (432) 0.37, 3->64 3x3 (1728) 0.60,
# 6->16 5x5 14x14 (2400) 0.63, 16->32 3x3 16x16 (4608) 0.64-0.69, 32->32 3x3 8x8 (9216) 0.86-1.04,
# 16->32 5x5 14x14 (12800) 0.79, 32->64 3x3 16x16 (18432) 0.88-0.94, 64->64 3x3 16x16 (36864) 1.08,
# 64->128 3x3 16x16 (73728) 1.27; on 32x32 planes 64->64 and 64->128 0.75-1.0 (parity: left to the GEMMs).
DIRECT_MAX = 16384

# 3x3, stride-1, undilated layers above DIRECT_MAX run Winograd F(4x4, 3x3) (``winograd.py``) when Numba is
# on, the batch has at least WINOGRAD_MIN_TILES 4x4 output tiles and the tiles waste little (oH*oW at least
# WINOGRAD_MIN_FILL per tile: 36 products per tile against 9*oH*oW for a direct sum). False keeps them on im2col + GEMM.
# Measured, float32 fwd+bwd, time Winograd / columns (/ PyTorch 2.13): 64->128 32x(32x32) 0.46 (0.78),
# 64->64 32x(32x32) 0.44, 32->64 32x(16x16) 0.60, 128->128 32x(8x8) 0.71, 64->64 32x(8x8) 0.87 (128 tiles);
# 64->64 1x(32x32) 1.07 (64 tiles), 256->256 32x(4x4) 1.9 (32 tiles), 512->512 16x(2x2) 13 (weight transforms).
WINOGRAD = os.environ.get("TORCH7_WINOGRAD", "1") != "0"
WINOGRAD_MIN_TILES = 128
WINOGRAD_MIN_FILL = 10  # least oH*oW per 4x4 tile

# Per-module scratch state kept out of the module's fields (so it is never serialized or deep-copied):
# which input the im2col buffer ``finput`` was built from, and the transposed gradOutput of this backward.
_STATE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _key(t) -> tuple:
    a = t._a
    return (id(t), addr(a), a.shape, a.strides, a.dtype.str)


def size_str(t) -> str:
    return "x".join(str(s) for s in t.size()) or "[empty]"


def out_size(n: int, k: int, s: int, p: int, d: int = 1) -> int:
    return (n + 2 * p - (d * (k - 1) + 1)) // s + 1


def _buf(t, shape):
    """The array of buffer Tensor ``t`` resized to ``shape`` (no realloc when already that shape)."""
    if t._a.shape != shape:
        t.resize(shape)
    return t._a


def im2col(x: np.ndarray, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out: np.ndarray) -> np.ndarray:
    """Fill ``out`` (``(C*kh*kw, N*oh*ow)``, C-contiguous) with the patches of ``x`` (``N x C x H x W``)."""
    if conv_cuda.on_device(x):
        conv_cuda.im2col(x, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out)
        return out
    n, c, h, w = x.shape
    if ph or pw:
        xp = engine(x).zeros((n, c, h + 2 * ph, w + 2 * pw), x.dtype)
        xp[:, :, ph:ph + h, pw:pw + w] = x
    else:
        xp = x
    o6 = out.reshape(c, kh, kw, n, oh, ow)
    for i in range(kh):
        y0 = i * dh
        for j in range(kw):
            x0 = j * dw
            src = xp[:, :, y0:y0 + sh * (oh - 1) + 1:sh, x0:x0 + sw * (ow - 1) + 1:sw]
            np.copyto(o6[:, i, j], src.transpose(1, 0, 2, 3))
    return out


def col2im(cols: np.ndarray, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out: np.ndarray,
           batch_major: bool = False) -> np.ndarray:
    """Write into ``out`` (``N x C x H x W``) the sum of the patches in ``cols`` (inverse layout of im2col).

    With ``batch_major`` the columns are laid out ``(N, C*kh*kw, oh*ow)`` instead (one block per sample).
    """
    if conv_cuda.col2im(cols, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out, batch_major):
        return out
    n, c, h, w = out.shape
    nb = _numba.kernels("conv_numba", out)
    if (nb is not None and not batch_major and cols.dtype == out.dtype and cols.flags.c_contiguous
            and out.flags.c_contiguous):
        nb.col2im(cols, out, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow)
        return out
    if ph or pw:
        buf = engine(out).zeros((n, c, h + 2 * ph, w + 2 * pw), out.dtype)
    else:
        buf = out
        buf.fill(0)
    if batch_major:
        c6 = cols.reshape(n, c, kh, kw, oh, ow).transpose(1, 2, 3, 0, 4, 5)
    else:
        c6 = cols.reshape(c, kh, kw, n, oh, ow)
    for i in range(kh):
        y0 = i * dh
        for j in range(kw):
            x0 = j * dw
            dst = buf[:, :, y0:y0 + sh * (oh - 1) + 1:sh, x0:x0 + sw * (ow - 1) + 1:sw]
            dst += c6[:, i, j].transpose(1, 0, 2, 3)
    if buf is not out:
        np.copyto(out, buf[:, :, ph:ph + h, pw:pw + w])
    return out


def _params(m):
    return (m.kH, m.kW, m.dH, m.dW, m.padH, m.padW, getattr(m, "dilationH", 1), getattr(m, "dilationW", 1))


def _w2(t) -> np.ndarray:
    a = t._a
    return a.reshape(a.shape[0], -1)


def _acc(dst_t, val: np.ndarray, scale: float) -> None:
    """``dst += scale * val`` into Tensor ``dst_t`` (whatever its view shape)."""
    d = dst_t._a
    if scale != 1:
        val *= scale
    d += val.reshape(d.shape)


def _has(m, name) -> bool:
    return getattr(m, name, None) is not None


# ---- SpatialConvolution / MM / Dilated ------------------------------------------------------------------------

def _conv_geometry(m, input):
    a = input._a
    if a.ndim not in (3, 4) or not a.size:
        raise ValueError(f"{m!r}: expected a 3-D (C x H x W) or 4-D (N x C x H x W) input, got size {size_str(input)}")
    x = a if a.ndim == 4 else a[None]
    if x.shape[1] != m.nInputPlane:
        raise ValueError(f"{m!r}: input of size {size_str(input)} has {x.shape[1]} planes, expected {m.nInputPlane}")
    kh, kw, sh, sw, ph, pw, dh, dw = _params(m)
    oh, ow = out_size(x.shape[2], kh, sh, ph, dh), out_size(x.shape[3], kw, sw, pw, dw)
    if oh < 1 or ow < 1:
        raise ValueError(f"{m!r}: input of size {size_str(input)} is too small (output would be {oh}x{ow})")
    return x, oh, ow


def _cols(m, x, oh, ow) -> np.ndarray:
    kh, kw, sh, sw, ph, pw, dh, dw = _params(m)
    n, c = x.shape[:2]
    cols = _buf(m.finput, (c * kh * kw, n * oh * ow))
    return im2col(x, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, cols)


def _state(m) -> dict:
    st = _STATE.get(m)
    if st is None:
        st = _STATE[m] = {}
    return st


def _direct(m, x):
    """The Numba kernel module when this layer runs the direct (column-free) kernels, else ``None``."""
    kh, kw, sh, sw = m.kH, m.kW, m.dH, m.dW
    if sh != 1 or sw != 1 or m.nOutputPlane * x.shape[1] * kh * kw > DIRECT_MAX:
        return None
    nb = _numba.kernels("conv_numba", x)
    if nb is None or m.weight._a.dtype != x.dtype or not m.weight._a.flags.c_contiguous:
        return None
    return nb


def _winograd(m, x, oh: int, ow: int):
    """The Winograd kernel module when this layer runs Winograd F(4x4, 3x3) on ``x``, else ``None``."""
    if not WINOGRAD or (m.kH, m.kW, m.dH, m.dW) != (3, 3, 1, 1) or _params(m)[6:] != (1, 1):
        return None
    th, tw = winograd.tiles(oh, ow)
    if m.nOutputPlane * x.shape[1] * 9 <= DIRECT_MAX or x.shape[0] * th * tw < WINOGRAD_MIN_TILES:
        return None
    if oh * ow < WINOGRAD_MIN_FILL * th * tw:
        return None
    nb = winograd.kernels(x)
    if nb is None or m.weight._a.dtype != x.dtype or not m.weight._a.flags.c_contiguous:
        return None
    return nb


def _wstore(m) -> dict:
    """The Winograd work arrays of module ``m`` (kept with its scratch state, freed with it)."""
    return _state(m).setdefault("winograd", {})


def _bias(m, x) -> np.ndarray:
    return m.bias._a.astype(x.dtype, copy=False) if _has(m, "bias") else engine(x).zeros(m.nOutputPlane, x.dtype)


def _w4(m) -> np.ndarray:
    return m.weight._a.reshape(m.nOutputPlane, m.nInputPlane, m.kH, m.kW)


def module_conv_forward(m, input):
    x, oh, ow = _conv_geometry(m, input)
    n = x.shape[0]
    nb, wn = _direct(m, x), _winograd(m, x, oh, ow)
    if nb is not None or wn is not None:
        _state(m)["cols"] = None  # finput is not filled: a NumPy-path accGradParameters must rebuild it
        shape = (n, m.nOutputPlane, oh, ow) if input._a.ndim == 4 else (m.nOutputPlane, oh, ow)
        out = _buf(m.output, shape).reshape(n, m.nOutputPlane, oh, ow)
        kh, kw, sh, sw, ph, pw, dh, dw = _params(m)
        if wn is None:
            nb.direct_forward(ascontig(x), _w4(m), _bias(m, x), out, ph, pw, dh, dw)
            return m.output
        if winograd.forward(wn, ascontig(x), _w4(m), _bias(m, x), out, ph, pw, _wstore(m)):
            return m.output
        # an inf or NaN: redone on the columns, where it reaches only the outputs whose window holds it
    cols = _cols(m, x, oh, ow)
    _state(m)["cols"] = _key(input)
    w2 = _w2(m.weight)
    nout = w2.shape[0]
    res = _buf(m.fgradInput, (nout, n * oh * ow))  # scratch; reused as the gradInput columns later
    np.matmul(w2, cols, out=res)
    shape = (n, nout, oh, ow) if input._a.ndim == 4 else (nout, oh, ow)
    out = _buf(m.output, shape).reshape(n, nout, oh, ow)
    np.copyto(out, res.reshape(nout, n, oh, ow).transpose(1, 0, 2, 3))
    if _has(m, "bias"):
        out += m.bias._a.reshape(1, nout, 1, 1)
    return m.output


def _grad_out_2d(m, gradOutput, n, oh, ow) -> np.ndarray:
    """gradOutput as ``(nOut, N*oh*ow)`` (a transposed copy unless N == 1)."""
    g = gradOutput._a
    nout = m.nOutputPlane
    if g.size != n * nout * oh * ow:
        raise ValueError(f"{m!r}: gradOutput of size {size_str(gradOutput)}, expected {n}x{nout}x{oh}x{ow}")
    if n == 1:
        return g.reshape(nout, oh * ow)
    g2 = engine(g).empty((nout, n, oh, ow), g.dtype)
    np.copyto(g2, g.reshape(n, nout, oh, ow).transpose(1, 0, 2, 3))
    return g2.reshape(nout, n * oh * ow)


def _grad_out_4d(m, gradOutput, n, oh, ow) -> np.ndarray:
    g = gradOutput._a
    if g.size != n * m.nOutputPlane * oh * ow:
        raise ValueError(f"{m!r}: gradOutput of size {size_str(gradOutput)}, expected {n}x{m.nOutputPlane}x{oh}x{ow}")
    return ascontig(g.reshape(n, m.nOutputPlane, oh, ow))


def module_conv_grad_input(m, input, gradOutput):
    if m.gradInput is None:  # Torch7's idiom for a first layer: `conv.gradInput = nil` skips this work
        return None
    x, oh, ow = _conv_geometry(m, input)
    n = x.shape[0]
    nb, wn = _direct(m, x), _winograd(m, x, oh, ow)
    if nb is not None or wn is not None:
        g4 = _grad_out_4d(m, gradOutput, n, oh, ow)
        gi = _buf(m.gradInput, input._a.shape)
        kh, kw, sh, sw, ph, pw, dh, dw = _params(m)
        if wn is None:
            nb.direct_grad_input(g4, _w4(m), gi.reshape(x.shape), ph, pw, dh, dw)
            return m.gradInput
        if winograd.grad_input(wn, g4, _w4(m), gi.reshape(x.shape), ph, pw, _wstore(m)):
            return m.gradInput
    g2 = _grad_out_2d(m, gradOutput, n, oh, ow)
    w2 = _w2(m.weight)
    gcols = _buf(m.fgradInput, (w2.shape[1], n * oh * ow))
    np.matmul(w2.T, g2, out=gcols)  # one GEMM over the whole batch
    gi = _buf(m.gradInput, input._a.shape)
    col2im(gcols, *_params(m), oh, ow, gi.reshape(x.shape))
    return m.gradInput


def module_conv_acc_grad(m, input, gradOutput, scale: float = 1) -> None:
    x, oh, ow = _conv_geometry(m, input)
    n = x.shape[0]
    nb = _direct(m, x)
    gw = m.gradWeight._a
    if nb is not None and gw.dtype == x.dtype and gw.flags.c_contiguous:
        g4 = _grad_out_4d(m, gradOutput, n, oh, ow)
        with_bias = _has(m, "bias") and _has(m, "gradBias")
        gb = m.gradBias._a if with_bias else engine(x).zeros(m.nOutputPlane, x.dtype)
        kh, kw, sh, sw, ph, pw, dh, dw = _params(m)
        if nb.direct_grad_weight(ascontig(x), g4, gw.reshape(_w4(m).shape), gb, with_bias,
                                 float(scale), ph, pw, dh, dw):
            return
        # not finite: gradWeight untouched, redone on the columns (the wide rows multiply discarded
        # columns by zero, and 0 * inf would add NaN where the columns give a number)
    wn = _winograd(m, x, oh, ow)
    if wn is not None:
        g4 = _grad_out_4d(m, gradOutput, n, oh, ow)
        ph, pw = m.padH, m.padW
        dwt = winograd.grad_weight(wn, ascontig(x), g4, ph, pw, _wstore(m))
        if np.isfinite(dwt).all():
            _acc(m.gradWeight, dwt, scale)
            if _has(m, "bias") and _has(m, "gradBias"):
                _acc(m.gradBias, g4.reshape(n, m.nOutputPlane, -1).sum(2).sum(0), scale)
            return
    g2 = _grad_out_2d(m, gradOutput, n, oh, ow)
    st = _state(m)
    cols = m.finput._a
    if cols.shape != (x.shape[1] * m.kH * m.kW, n * oh * ow) or st.get("cols") != _key(input):
        cols = _cols(m, x, oh, ow)
        st["cols"] = _key(input)
    _acc(m.gradWeight, np.matmul(g2, cols.T), scale)
    if _has(m, "bias") and _has(m, "gradBias"):
        _acc(m.gradBias, g2.sum(1), scale)


# ---- SpatialFullConvolution (transposed) ---------------------------------------------------------------------

def full_geometry(m, x, adjw, adjh):
    oh = (x.shape[2] - 1) * m.dH - 2 * m.padH + m.kH + adjh
    ow = (x.shape[3] - 1) * m.dW - 2 * m.padW + m.kW + adjw
    return oh, ow


def full_check(m, input):
    a = input._a
    if a.ndim not in (3, 4) or not a.size:
        raise ValueError(f"{m!r}: expected a 3-D (C x H x W) or 4-D (N x C x H x W) input, got size {size_str(input)}")
    x = a if a.ndim == 4 else a[None]
    if x.shape[1] != m.nInputPlane:
        raise ValueError(f"{m!r}: input of size {size_str(input)} has {x.shape[1]} planes, expected {m.nInputPlane}")
    return x


def _x2(x) -> np.ndarray:
    """``N x C x H x W`` -> ``C x (N*H*W)`` (a view when N == 1)."""
    n, c, h, w = x.shape
    if n == 1:
        return x.reshape(c, h * w)
    return ascontig(x.transpose(1, 0, 2, 3)).reshape(c, n * h * w)


def module_full_forward(m, input, adjw, adjh):
    x = full_check(m, input)
    n, _, h, w = x.shape
    oh, ow = full_geometry(m, x, adjw, adjh)
    if oh < 1 or ow < 1:
        raise ValueError(f"{m!r}: input of size {size_str(input)} gives an empty output ({oh}x{ow})")
    w2 = _w2(m.weight)  # nIn x (nOut*kH*kW)
    nout = m.nOutputPlane
    cols = _buf(m.finput, (w2.shape[1], n * h * w))
    np.matmul(w2.T, _x2(x), out=cols)
    shape = (n, nout, oh, ow) if input._a.ndim == 4 else (nout, oh, ow)
    out = _buf(m.output, shape).reshape(n, nout, oh, ow)
    col2im(cols, m.kH, m.kW, m.dH, m.dW, m.padH, m.padW, 1, 1, h, w, out)
    if _has(m, "bias"):
        out += m.bias._a.reshape(1, nout, 1, 1)
    return m.output


def _full_gcols(m, gradOutput, x, adjw, adjh) -> np.ndarray:
    n, _, h, w = x.shape
    oh, ow = full_geometry(m, x, adjw, adjh)
    g = gradOutput._a
    if g.size != n * m.nOutputPlane * oh * ow:
        raise ValueError(f"{m!r}: gradOutput of size {size_str(gradOutput)}, expected {n}x{m.nOutputPlane}x{oh}x{ow}")
    cols = _buf(m.fgradInput, (m.nOutputPlane * m.kH * m.kW, n * h * w))
    return im2col(g.reshape(n, m.nOutputPlane, oh, ow), m.kH, m.kW, m.dH, m.dW, m.padH, m.padW, 1, 1, h, w, cols)


def module_full_grad_input(m, input, gradOutput, adjw, adjh, gradInput):
    x = full_check(m, input)
    n, c, h, w = x.shape
    gcols = _full_gcols(m, gradOutput, x, adjw, adjh)
    res = np.matmul(_w2(m.weight), gcols)  # nIn x (N*H*W)
    gi = _buf(gradInput, input._a.shape).reshape(n, c, h, w)
    np.copyto(gi, res.reshape(c, n, h, w).transpose(1, 0, 2, 3))
    return gradInput


def module_full_acc_grad(m, input, gradOutput, adjw, adjh, scale: float = 1) -> None:
    x = full_check(m, input)
    gcols = _full_gcols(m, gradOutput, x, adjw, adjh)
    _acc(m.gradWeight, np.matmul(_x2(x), gcols.T), scale)
    if _has(m, "bias") and _has(m, "gradBias"):
        g = gradOutput._a
        _acc(m.gradBias, g.reshape((-1,) + g.shape[-3:]).sum((0, 2, 3)), scale)
