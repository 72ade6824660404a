"""Convolution column helpers on CUDA arrays: im2col as one strided copy, col2im as one gather kernel.

The engine-agnostic loops of ``conv2d.py`` copy or add one kernel offset at a time: ``kh * kw`` CuPy
launches each (25 for a 5x5 kernel), which dominate a small convnet's step on a GPU. Here im2col is a
single copy from a strided view of the (padded) input, and col2im one ElementwiseKernel in which each
input pixel sums the column entries that cover it (a gather: no atomics, deterministic).
"""

from __future__ import annotations

from torch7._core import backend

from . import cuda_kernels

# One thread per element of out (N, C, H, W). cols: (C*kh*kw, N*oh*ow), or (N, C*kh*kw, oh*ow) when batch_major.
COL2IM = (
    "raw X cols, int32 C, int32 H, int32 W, int32 kh, int32 kw, int32 sh, int32 sw, int32 ph, int32 pw, "
    "int32 dh, int32 dw, int32 oh, int32 ow, int32 N, int32 batch_major",
    "raw X out",
    r"""
    const int xw = i % W, yh = (i / W) % H, ch = (i / ((ptrdiff_t)W * H)) % C;
    const ptrdiff_t n = i / ((ptrdiff_t)W * H * C);
    X acc = 0;
    for (int a = 0; a < kh; ++a) {
        const int ty = yh + ph - a * dh;
        if (ty < 0 || ty % sh != 0 || ty / sh >= oh) continue;
        const int oy = ty / sh;
        for (int b = 0; b < kw; ++b) {
            const int tx = xw + pw - b * dw;
            if (tx < 0 || tx % sw != 0 || tx / sw >= ow) continue;
            const int ox = tx / sw;
            const ptrdiff_t row = ((ptrdiff_t)ch * kh + a) * kw + b;
            const ptrdiff_t at = batch_major
                ? (n * C * kh * kw + row) * oh * ow + (ptrdiff_t)oy * ow + ox
                : row * N * oh * ow + (n * oh + oy) * ow + ox;
            acc += cols[at];
        }
    }
    out[i] = acc;
    """,
)


def on_device(a) -> bool:
    return hasattr(a, "__cuda_array_interface__")


def im2col(x, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out) -> None:
    """``out`` (C*kh*kw, N*oh*ow) = the patches of the device array ``x`` (N, C, H, W), in one copy."""
    n, c, h, w = x.shape
    xp = x
    if ph or pw:
        e = backend.array_module(x)
        xp = e.zeros((n, c, h + 2 * ph, w + 2 * pw), x.dtype)
        xp[:, :, ph:ph + h, pw:pw + w] = x
    sn, sc, sy, sx = xp.strides
    view = backend.as_strided(xp, (c, kh, kw, n, oh, ow), (sc, sy * dh, sx * dw, sn, sy * sh, sx * sw))
    backend.copyto(out.reshape(c, kh, kw, n, oh, ow), view)


def col2im(cols, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, out, batch_major: bool) -> bool:
    """``out`` = the sum of the patches in ``cols``; False (nothing done) where the kernel does not apply."""
    cp = cuda_kernels.engine_for(out)
    if cp is None or cols.dtype != out.dtype or not out.flags.c_contiguous or not cols.flags.c_contiguous:
        return False
    n, c, h, w = out.shape
    k = cuda_kernels.get(cp, "torch7_col2im", COL2IM)
    k(cols, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, n, int(batch_major), out, size=out.size)
    return True
