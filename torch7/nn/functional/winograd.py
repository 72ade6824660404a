"""Winograd F(4x4, 3x3) convolution: the fast path of 3x3, stride-1, undilated Spatial*Convolution layers.

A 3x3 convolution over 6x6 input tiles (4x4 outputs each) becomes 36 GEMMs, one per position of the
transformed tile, each ``(nOut x nIn) @ (nIn x tiles)``: 36 multiply-adds per 4x4 outputs and channel
pair instead of 144 for im2col + GEMM, and no ``9 x input`` column buffer. The tile transforms are
the Numba kernels of ``winograd_numba.py``; the GEMMs are NumPy's (OpenBLAS). The batch is processed
a few images at a time (``chunk``), so the transformed tiles (2.25 x the input, 2.25 x the output)
stay in the CPU caches between a transform and its GEMMs.

Accuracy: exact in exact arithmetic; in floating point the transforms add rounding of about 10x that
of a direct sum (float32: ~5e-6 relative to the output's largest value on random data, float64: ~1e-14),
as with cuDNN's Winograd algorithms. ``conv2d.WINOGRAD = False`` (or ``TORCH7_WINOGRAD=0`` in the
environment) keeps such layers on im2col + GEMM.

The transforms run on one thread: handing half of each chunk to a second thread measured 8% slower in
all (OpenBLAS's threads still spin on the other core after each GEMM).

Backward: ``grad_input`` runs the adjoint transforms (``dV = U^T dM``, then the adjoint of the input
transform, which sums the overlapping tiles); ``grad_weight`` forms ``dU = dM V^T`` per tile position
and maps it back with ``G^T dU G``. Both recompute what they need from the input and gradOutput,
so nothing from the forward is kept.

Example:
    >>> import numpy as np
    >>> from torch7.nn.functional import winograd
    >>> x = np.random.rand(2, 3, 9, 9); w = np.random.rand(4, 3, 3, 3)
    >>> out = np.empty((2, 4, 9, 9))
    >>> nb = winograd.kernels(x.dtype)
    >>> if nb is not None:
    ...     assert winograd.forward(nb, x, w, np.zeros(4), out, 1, 1)  # True: every output finite
    ...     ref = sum(np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))[:, None, :, i:i + 9, j:j + 9]
    ...               .__mul__(w[None, :, :, i, j, None, None]).sum(2) for i in range(3) for j in range(3))
    ...     assert np.allclose(out, ref)
"""

from __future__ import annotations

import numpy as np

from torch7._core.backend import ascontig

from . import _numba

_TILES = 256  # tiles per chunk of images: measured best between 128 and 512 on 32x32 planes (64 tiles each)


def _quiet():
    """inf/NaN in the data make the GEMMs warn; the callers check the results and redo such layers, so
    these warnings would only repeat the columns path's own."""
    return np.errstate(invalid="ignore", over="ignore")


def kernels(dtype):
    """The ``winograd_numba`` module when Numba is on and ``dtype`` is float32/float64, else ``None``."""
    return _numba.kernels("winograd_numba", dtype)


def _gg(dtype) -> np.ndarray:
    """``kron(G, G)`` (36 x 9): ``U_flat = w_flat @ kron(G, G).T`` is ``G w G^T`` for every kernel at once."""
    from .winograd_numba import G

    return np.kron(G, G).astype(dtype)


def weight_transform(w: np.ndarray) -> np.ndarray:
    """``U`` (36, O, C) = ``G w G^T`` of every 3x3 kernel of ``w`` (O, C, 3, 3), as one GEMM."""
    o, c = w.shape[:2]
    u = w.reshape(o * c, 9) @ _gg(w.dtype).T
    return ascontig(u.T).reshape(36, o, c)


def tiles(oh: int, ow: int) -> tuple[int, int]:
    """Tile rows and columns covering an ``oh x ow`` output."""
    return -(-oh // 4), -(-ow // 4)


def _scratch(store: dict | None, name: str, size: int, dtype) -> np.ndarray:
    """A 1-D work array of at least ``size`` values, kept in ``store`` between calls when given.

    Fresh multi-MB arrays each call cost page faults (the allocator returns such blocks to the system),
    which measured up to 1.5x the time of the whole layer on this machine.
    """
    if store is None:
        return np.empty(size, dtype)
    a = store.get(name)
    if a is None or a.size < size or a.dtype != dtype:
        a = store[name] = np.empty(size, dtype)
    return a[:size]


def _blocks(store: dict | None, n: int, c: int, o: int, nt: int, dtype):
    """``(n0, n1, V, M)`` per chunk of images ``[n0, n1)``: views (36, c, tiles) and (36, o, tiles) of the
    two work arrays, sized for the largest chunk (``_TILES`` tiles, whole images)."""
    step = max(1, _TILES // nt)
    v = _scratch(store, "v", 36 * c * step * nt, dtype)
    m = _scratch(store, "m", 36 * o * step * nt, dtype)
    for n0 in range(0, n, step):
        n1 = min(n, n0 + step)
        ln = (n1 - n0) * nt
        yield n0, n1, v[:36 * c * ln].reshape(36, c, ln), m[:36 * o * ln].reshape(36, o, ln)


def _flat(a: np.ndarray) -> np.ndarray:
    """A (36, k, tiles) work view as the kernels take it: (36*k, tiles)."""
    return a.reshape(-1, a.shape[2])


def forward(nb, x: np.ndarray, w: np.ndarray, bias: np.ndarray, out: np.ndarray, ph: int, pw: int,
            store: dict | None = None) -> bool:
    """``out`` (N, O, oH, oW) = 3x3 correlation of ``x`` (N, C, H, W) with ``w`` (O, C, 3, 3) plus ``bias``.

    Args:
        nb: the kernel module from :func:`kernels`; x, w, bias, out: C-contiguous, one dtype.
        ph, pw: zero padding of ``x`` (``oH = H + 2*ph - 2``).
        store: a dict that keeps the work arrays between calls (the module's scratch state).

    Returns:
        Whether every output is finite. An inf or NaN in ``x`` spreads over the 4x4 outputs of each tile
        that reads it (inf - inf in the transforms), unlike a direct sum; callers redo such a layer
        another way when this is False.
    """
    (n, c), (o, oh, ow) = x.shape[:2], out.shape[1:]
    th, tw = tiles(oh, ow)
    u = weight_transform(w)
    finite = True
    with _quiet():
        for n0, n1, v, m in _blocks(store, n, c, o, th * tw, x.dtype):
            nb.input_transform(x[n0:n1], ph, pw, th, tw, _flat(v))
            np.matmul(u, v, out=m)
            finite &= nb.output_transform(_flat(m), bias, th, tw, out[n0:n1])
    return finite


def grad_input(nb, g: np.ndarray, w: np.ndarray, gin: np.ndarray, ph: int, pw: int,
               store: dict | None = None) -> bool:
    """``gin`` (N, C, H, W) = gradient of :func:`forward` with respect to ``x`` for gradOutput ``g`` (overwritten).

    Returns whether every value of ``gin`` is finite (see :func:`forward`).
    """
    (n, c), (o, oh, ow) = gin.shape[:2], g.shape[1:]
    th, tw = tiles(oh, ow)
    ut = ascontig(weight_transform(w).transpose(0, 2, 1))
    finite = True
    with _quiet():
        for n0, n1, dv, m in _blocks(store, n, c, o, th * tw, g.dtype):
            nb.grad_output_transform(g[n0:n1], th, tw, _flat(m))
            np.matmul(ut, m, out=dv)
            finite &= nb.input_transform_adjoint(_flat(dv), ph, pw, th, tw, gin[n0:n1])
    return finite


def grad_weight(nb, x: np.ndarray, g: np.ndarray, ph: int, pw: int, store: dict | None = None) -> np.ndarray:
    """The gradient of :func:`forward` with respect to ``w``: a new (O, C, 3, 3) array (bias: ``g.sum((0, 2, 3))``).

    Non-finite values in ``x`` or ``g`` may turn more of its entries NaN than a direct sum would; callers
    check the result (it is small) and redo it another way.
    """
    (n, c), (o, oh, ow) = x.shape[:2], g.shape[1:]
    th, tw = tiles(oh, ow)
    du = np.zeros((36, o, c), g.dtype)
    part = np.empty((36, o, c), g.dtype)
    with _quiet():
        for n0, n1, v, m in _blocks(store, n, c, o, th * tw, g.dtype):
            nb.grad_output_transform(g[n0:n1], th, tw, _flat(m))
            nb.input_transform(x[n0:n1], ph, pw, th, tw, _flat(v))
            np.matmul(m, v.transpose(0, 2, 1), out=part)
            du += part
        return (du.reshape(36, o * c).T @ _gg(g.dtype)).reshape(o, c, 3, 3)
