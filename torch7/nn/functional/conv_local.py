"""NumPy kernels for the less common spatial convolutions (depth-wise, locally connected, map, subsampling).

Stateless helpers on plain ``ndarray``s in batch layout ``(N, C, H, W)``. Windows are strided views
(``sliding_window_view``); the adjoint of a window extraction (col2im) is ``kH * kW`` strided slice
additions, never a loop over output positions.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from torch7._core import backend
from torch7._core.backend import ascontig


def out_size(size: int, k: int, d: int, pad: int = 0) -> int:
    """Output length of a valid window sweep: ``(size + 2 pad - k) // d + 1``."""
    return (size + 2 * pad - k) // d + 1


def windows(x: np.ndarray, kH: int, kW: int, dH: int, dW: int, padH: int = 0, padW: int = 0) -> np.ndarray:
    """The ``(N, C, oH, oW, kH, kW)`` view of every window of ``x`` (zero padded first when asked)."""
    x = _pad(x, padH, padW)
    v = sliding_window_view(x, (kH, kW), axis=(2, 3))
    return v[:, :, ::dH, ::dW]


def col2im(cols: np.ndarray, H: int, W: int, dH: int, dW: int, padH: int = 0, padW: int = 0) -> np.ndarray:
    """Adjoint of :func:`windows`: ``cols`` is ``(N, C, oH, oW, kH, kW)``; returns ``(N, C, H, W)``."""
    n, c, oH, oW, kH, kW = cols.shape
    out = backend.xp(cols).zeros((n, c, H + 2 * padH, W + 2 * padW), cols.dtype)
    for i in range(kH):
        for j in range(kW):
            out[:, :, i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW] += cols[:, :, :, :, i, j]
    if padH or padW:
        out = out[:, :, padH:padH + H, padW:padW + W]
    return out


# ---- dense cross-correlation (used by the connection-table modules) ------------------------------------
def im2col(x: np.ndarray, kH: int, kW: int, dH: int, dW: int, padH: int = 0, padW: int = 0) -> np.ndarray:
    """Contiguous ``(N, C*kH*kW, oH*oW)`` columns (rows ordered c, i, j), filled by ``kH*kW`` strided copies."""
    n, c, h, w = x.shape
    oH, oW = out_size(h, kH, dH, padH), out_size(w, kW, dW, padW)
    x = _pad(x, padH, padW)
    cols = backend.xp(x).empty((n, c, kH, kW, oH, oW), x.dtype)
    for i in range(kH):
        for j in range(kW):
            np.copyto(cols[:, :, i, j], x[:, :, i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW])
    return cols.reshape(n, c * kH * kW, oH * oW)


def col2im_flat(cols: np.ndarray, C: int, kH: int, kW: int, oH: int, oW: int, H: int, W: int,
                dH: int, dW: int, padH: int = 0, padW: int = 0) -> np.ndarray:
    """Adjoint of :func:`im2col`: ``(N, C*kH*kW, oH*oW)`` -> ``(N, C, H, W)``."""
    n = cols.shape[0]
    c6 = cols.reshape(n, C, kH, kW, oH, oW)
    out = backend.xp(cols).zeros((n, C, H + 2 * padH, W + 2 * padW), cols.dtype)
    for i in range(kH):
        for j in range(kW):
            out[:, :, i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW] += c6[:, :, i, j]
    if padH or padW:
        out = out[:, :, padH:padH + H, padW:padW + W]
    return out


def xcorr(x: np.ndarray, w: np.ndarray, dH: int, dW: int) -> np.ndarray:
    """Valid cross-correlation: ``x`` ``(N, C, H, W)``, ``w`` ``(O, C, kH, kW)`` -> ``(N, O, oH, oW)``."""
    kH, kW = w.shape[2:]
    oH, oW = out_size(x.shape[2], kH, dH), out_size(x.shape[3], kW, dW)
    out = np.matmul(w.reshape(w.shape[0], -1), im2col(x, kH, kW, dH, dW))  # N, O, P
    return out.reshape(x.shape[0], w.shape[0], oH, oW)


def xcorr_grad_input(g: np.ndarray, w: np.ndarray, H: int, W: int, dH: int, dW: int) -> np.ndarray:
    """Adjoint of :func:`xcorr` in ``x`` (a strided full convolution): ``g`` ``(N, O, oH, oW)`` -> ``(N, C, H, W)``."""
    n, o, oH, oW = g.shape
    C, kH, kW = w.shape[1:]
    cols = np.matmul(w.reshape(o, -1).T, g.reshape(n, o, oH * oW))  # N, C*kH*kW, P
    return col2im_flat(cols, C, kH, kW, oH, oW, H, W, dH, dW)


def xcorr_grad_weight(x: np.ndarray, g: np.ndarray, kH: int, kW: int, dH: int, dW: int) -> np.ndarray:
    """Gradient of :func:`xcorr` in ``w``: ``(O, C, kH, kW)``."""
    n, o = g.shape[:2]
    cols = im2col(x, kH, kW, dH, dW)  # N, K, P
    gw = np.matmul(g.reshape(n, o, -1), cols.transpose(0, 2, 1)).sum(axis=0)
    return gw.reshape(o, x.shape[1], kH, kW)


def dense_from_table(weight: np.ndarray, conn: np.ndarray, nIn: int, nOut: int) -> np.ndarray:
    """Scatter per-connection kernels ``(K, kH, kW)`` into a dense ``(nOut, nIn, kH, kW)`` weight (sums repeats)."""
    dense = backend.xp(weight).zeros((nOut, nIn) + weight.shape[1:], weight.dtype)
    np.add.at(dense, (conn[:, 1], conn[:, 0]), weight)  # K small: the weight, not the data
    return dense


# ---- depth-wise ---------------------------------------------------------------------------------------
def _pad(x, padH, padW):
    if not (padH or padW):
        return x
    n, c, h, w = x.shape
    xp = backend.xp(x).zeros((n, c, h + 2 * padH, w + 2 * padW), x.dtype)
    xp[:, :, padH:padH + h, padW:padW + w] = x
    return xp


def depthwise(x, w, dH, dW, padH, padW):
    """``x`` ``(N, C, H, W)``, ``w`` ``(M, C, kH, kW)`` -> ``(N, C*M, oH, oW)``, output plane ``c*M + m``.

    One multiply-add over the whole batch per kernel tap (``kH*kW*M`` vectorised passes).
    """
    m, c, kH, kW = w.shape
    n, _, h, wd = x.shape
    oH, oW = out_size(h, kH, dH, padH), out_size(wd, kW, dW, padW)
    xp = _pad(x, padH, padW)
    e = backend.xp(x)
    out = e.zeros((n, c, m, oH, oW), x.dtype)
    tmp = e.empty((n, c, oH, oW), x.dtype)
    for i in range(kH):
        for j in range(kW):
            xs = xp[:, :, i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW]
            for k in range(m):
                np.multiply(xs, w[k, :, i, j].reshape(1, c, 1, 1), out=tmp)
                out[:, :, k] += tmp
    return out.reshape(n, c * m, oH, oW)


def depthwise_grad_input(g, w, H, W, dH, dW, padH, padW):
    m, c, kH, kW = w.shape
    n, _, oH, oW = g.shape
    g5 = g.reshape(n, c, m, oH, oW)
    e = backend.xp(g)
    out = e.zeros((n, c, H + 2 * padH, W + 2 * padW), g.dtype)
    tmp = e.empty((n, c, oH, oW), g.dtype)
    for i in range(kH):
        for j in range(kW):
            dst = out[:, :, i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW]
            for k in range(m):  # g * w summed over the multiplier, added into the tap's strided slice
                np.multiply(g5[:, :, k], w[k, :, i, j].reshape(1, c, 1, 1), out=tmp)
                dst += tmp
    if padH or padW:
        out = out[:, :, padH:padH + H, padW:padW + W]
    return out


def depthwise_grad_weight(x, g, kH, kW, M, dH, dW, padH, padW):
    """``(M, C, kH, kW)``."""
    n, c = x.shape[:2]
    oH, oW = g.shape[2:]
    xp = _pad(x, padH, padW)
    g5 = g.reshape(n, c, M, oH, oW)
    gw = backend.xp(x).empty((M, c, kH, kW), x.dtype)
    for i in range(kH):
        for j in range(kW):
            xs = xp[:, :, i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW]
            gw[:, :, i, j] = np.einsum("ncmyx,ncyx->mc", g5, xs)
    return gw


# ---- locally connected (untied weights) -------------------------------------------------------------
def local(x, w, dH, dW, padH, padW):
    """``w`` ``(oH, oW, O, C, kH, kW)`` -> ``(N, O, oH, oW)`` (no bias)."""
    oH, oW, O, C, kH, kW = w.shape
    cols = windows(x, kH, kW, dH, dW, padH, padW)  # N C oH oW kH kW
    n = x.shape[0]
    colsP = cols.transpose(2, 3, 0, 1, 4, 5).reshape(oH * oW, n, C * kH * kW)
    out = np.matmul(colsP, w.reshape(oH * oW, O, C * kH * kW).transpose(0, 2, 1))  # P, N, O
    return ascontig(out.reshape(oH, oW, n, O).transpose(2, 3, 0, 1))


def local_grad_input(g, w, H, W, dH, dW, padH, padW):
    oH, oW, O, C, kH, kW = w.shape
    n = g.shape[0]
    gP = g.transpose(2, 3, 0, 1).reshape(oH * oW, n, O)
    cols = np.matmul(gP, w.reshape(oH * oW, O, C * kH * kW))  # P, N, K
    cols = cols.reshape(oH, oW, n, C, kH, kW).transpose(2, 3, 0, 1, 4, 5)
    return col2im(cols, H, W, dH, dW, padH, padW)


def local_grad_weight(x, g, wshape, dH, dW, padH, padW):
    oH, oW, O, C, kH, kW = wshape
    n = x.shape[0]
    cols = windows(x, kH, kW, dH, dW, padH, padW)
    colsP = cols.transpose(2, 3, 0, 1, 4, 5).reshape(oH * oW, n, C * kH * kW)
    gP = g.transpose(2, 3, 1, 0).reshape(oH * oW, O, n)
    return np.matmul(gP, colsP).reshape(wshape)


# ---- subsampling (per-plane scaled window sum) --------------------------------------------------------
def window_sum(x, kH, kW, dH, dW):
    """``(N, C, oH, oW)`` sums of each ``kH x kW`` window."""
    return windows(x, kH, kW, dH, dW).sum(axis=(4, 5))


def window_sum_grad(g, H, W, kH, kW, dH, dW):
    """Adjoint of :func:`window_sum`: spread each gradient over its window."""
    n, c, oH, oW = g.shape
    out = backend.xp(g).zeros((n, c, H, W), g.dtype)
    for i in range(kH):
        for j in range(kW):
            out[:, :, i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW] += g
    return out


# ---- shared input handling for the modules ------------------------------------------------------------
def sz(t) -> str:
    return "x".join(str(s) for s in t.size()) or "[empty]"


def batch_view(module, input, nplanes: int | None, exact: bool = True):
    """``(array (N, C, H, W), batched)`` for a 3-D or 4-D input; raises ValueError naming ``module``."""
    a = input._a
    if a.ndim not in (3, 4) or a.size == 0:
        raise ValueError(f"{module!r}: expected a 3D (C x H x W) or 4D (N x C x H x W) input, got size {sz(input)}")
    a4 = a if a.ndim == 4 else a[None]
    c = a4.shape[1]
    if nplanes is not None and (c != nplanes if exact else c < nplanes):
        raise ValueError(f"{module!r}: input of size {sz(input)} has {c} planes, expected {nplanes}")
    return a4, a.ndim == 4


def grad_view(module, gradOutput, output):
    g = gradOutput._a
    if g.size != output._a.size:
        raise ValueError(f"{module!r}: gradOutput of size {sz(gradOutput)} does not match the output of size "
                         f"{sz(output)}")
    return g.reshape(output._a.shape if output._a.ndim == 4 else (1,) + output._a.shape)


def write(tensor, arr, batched: bool):
    """Resize ``tensor`` like ``arr`` (dropping the batch dim when not ``batched``) and copy ``arr`` in."""
    if not batched:
        arr = arr[0]
    tensor.resize(*arr.shape)
    np.copyto(tensor._a, arr, casting="unsafe")
    return tensor


def check_window(module, H: int, W: int, kH: int, kW: int, dH: int, dW: int, padH: int = 0, padW: int = 0, input=None):
    oH, oW = out_size(H, kH, dH, padH), out_size(W, kW, dW, padW)
    if oH < 1 or oW < 1 or H + 2 * padH < kH or W + 2 * padW < kW:
        raise ValueError(f"{module!r}: input of size {sz(input)} is too small for a {kW}x{kH} kernel "
                         f"(output {oH}x{oW})")
    return oH, oW


# ---- connection-table modules: shared constructor pieces ---------------------------------------------
def conn_table(module_name: str, connTable):
    """Validate a ``K x 2`` 0-based connection table; returns ``(tensor, int array, nIn, nOut)``."""
    import torch7 as torch

    t = connTable if torch.isTensor(connTable) else torch.Tensor(np.asarray(connTable, np.float64).tolist())
    a = backend.to_host(t._a)
    if a.ndim != 2 or a.shape[1] != 2 or a.shape[0] == 0:
        raise ValueError(f"{module_name}: connTable must be a K x 2 tensor, got size {sz(t)}")
    ia = a.astype(np.int64)
    if (ia != a).any() or ia.min() < 0:
        raise ValueError(f"{module_name}: connTable entries must be 0-based plane numbers (>= 0)")
    return t, ia, int(ia[:, 0].max()) + 1, int(ia[:, 1].max()) + 1


def conn_rows(connTable, like=None) -> np.ndarray:
    """A connection table tensor as int64 ``(in, out)`` rows: on the host, or on the engine of array ``like``."""
    conn = backend.table_on_host(connTable._a).astype(np.int64)
    return conn if like is None else backend.constant(like, conn)


def reset_map(module, stdv):
    """Torch7's init: each kernel and bias uniform in ``+-1/sqrt(kW*kH*fan_in(output plane))``."""
    if stdv is not None:
        stdv *= np.sqrt(3)
        module.weight.uniform(-stdv, stdv)
        module.bias.uniform(-stdv, stdv)
        return module
    conn = module._conn()
    fanin = np.bincount(conn[:, 1], minlength=module.nOutputPlane)
    kk = module.kW * module.kH
    for k in range(conn.shape[0]):
        s = 1.0 / np.sqrt(kk * max(fanin[conn[k, 1]], 1))
        module.weight.select(0, k).uniform(-s, s)
    for o in range(module.nOutputPlane):
        s = 1.0 / np.sqrt(kk * max(fanin[o], 1))
        module.bias.narrow(0, o, 1).uniform(-s, s)
    return module
