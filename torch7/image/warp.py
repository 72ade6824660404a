"""Resampling through coordinate maps: polar, logpolar, warp, affinetransform.

The sampling rules are Torch7's (image.c): polar maps sample the source at
``(y, x) = (r cos a + H/2, -r sin a + W/2)`` for angle ``a = 2 pi j / H_out`` (one output row per
angle) and radius ``r`` growing along the row; ``warp`` reads a ``2 x H x W`` field of ``(y, x)``
source positions (offsets from each pixel when ``offset`` is true).
"""

from __future__ import annotations

import math

import numpy as np

from ._util import as_float, check_image, check_tensor, default_class, fmt_size, store, to_storable

_INTERP = {"simple": 0, "bilinear": 1, "bicubic": 2, "lanczos": 3}


def _polar_args(args, fname):
    n = len(args)
    if n == 4:
        return args
    if n == 3 and isinstance(args[1], str):
        return (None,) + tuple(args)
    if n == 3:
        return tuple(args) + (None,)
    if n == 2 and isinstance(args[1], str):
        return None, args[0], args[1], None
    if n == 2:
        return args[0], args[1], None, None
    if n == 1:
        return None, args[0], None, None
    raise TypeError(f"{fname}: expected ([dst,] src [, interp [, mode]]), got {n} arguments")


def _sample_polar(fname, args, radius):
    dst, src, interp, mode = _polar_args(args, fname)
    interp, mode = interp or "simple", mode or "valid"
    a = check_image(src, fname, "src")
    h, w = a.shape[-2:]
    if dst is None:
        m = max(h, w)
        out_shape = a.shape[:-2] + (m, m)
    else:
        check_tensor(dst, fname, "destination")
        if dst.nDimension() != a.ndim:
            raise ValueError(f"{fname}: src {fmt_size(src)} and dst {fmt_size(dst)} depths do not match")
        out_shape = a.shape[:-2] + tuple(dst.size()[-2:])
    if mode not in ("valid", "full"):
        raise ValueError(f"{fname}: mode must be 'valid' or 'full', got {mode!r}")
    if interp not in ("simple", "bilinear"):
        raise ValueError(f"{fname}: interpolation must be 'simple' or 'bilinear', got {interp!r}")
    mid_y, mid_x = h / 2.0, w / 2.0
    m = math.sqrt(w * w + h * h) / 2.0 if mode == "full" else (mid_x if w < h else mid_y)
    oh, ow = out_shape[-2:]
    ang = 2 * math.pi * np.arange(oh)[:, None] / oh
    r = radius(m, np.arange(ow, dtype=np.float64)[None, :], ow)
    rj = r * np.cos(ang) + mid_y
    ri = -r * np.sin(ang) + mid_x
    i0, j0 = np.floor(ri).astype(np.int64), np.floor(rj).astype(np.int64)
    inside0 = (i0 >= 0) & (i0 < w) & (j0 >= 0) & (j0 < h)
    nearest = np.where(inside0, a[..., np.clip(j0, 0, h - 1), np.clip(i0, 0, w - 1)], 0)
    if interp == "simple":
        return store(nearest.astype(a.dtype), type(src), dst)
    # Bilinear where all four neighbours exist, nearest elsewhere.
    i1, j1 = i0 + 1, j0 + 1
    full = inside0 & (i1 < w) & (j1 < h)
    wi, wj = ri - i0, rj - j0
    f = as_float(a)
    c0, c1 = np.clip(i0, 0, w - 1), np.clip(i1, 0, w - 1)
    r0, r1 = np.clip(j0, 0, h - 1), np.clip(j1, 0, h - 1)
    bil = ((1 - wi) * (1 - wj) * f[..., r0, c0] + wi * (1 - wj) * f[..., r0, c1]
           + (1 - wi) * wj * f[..., r1, c0] + wi * wj * f[..., r1, c1])
    return store(np.where(full, bil, nearest), type(src), dst)


def polar(*args):
    """Resample an image onto polar coordinates: one output row per angle, radius along the row.

    Forms: ``polar([dst,] src [, interp [, mode]])``; ``interp`` is ``'simple'`` (default) or
    ``'bilinear'``; ``mode`` ``'valid'`` (default: radius up to the inscribed circle) or ``'full'``
    (up to the corners).  Without ``dst`` the result is ``max(H, W)`` square.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.polar(torch.Tensor(3, 8, 6).fill(1)).size()
        torch.Size([3, 8, 8])
    """
    return _sample_polar("image.polar", args, lambda m, i, ow: m * i / ow)


def logpolar(*args):
    """Resample an image onto log-polar coordinates (radius ``exp(i * log(m) / W_out)``).

    Forms and defaults as :func:`polar`.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.logpolar(torch.Tensor(8, 8).fill(1)).sum()
        64.0
    """
    return _sample_polar("image.logpolar", args, lambda m, i, ow: np.exp(i * math.log(m) / ow))


def _cubic(p0, p1, p2, p3, t):
    return p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)))


def _lanczos_weights(pos: np.ndarray, base: np.ndarray, rad: int = 3) -> np.ndarray:
    """Lanczos-3 weights of the 2*rad pixels ``base-rad+1 .. base+rad`` around ``pos``."""
    d = np.abs(pos[..., None] - (base[..., None] + np.arange(1 - rad, rad + 1)))
    with np.errstate(divide="ignore", invalid="ignore"):
        lw = rad * np.sin(np.pi * d) * np.sin(np.pi * d / rad) / (np.pi ** 2 * d * d)
    return np.where(d < 1e-6, 1.0, np.where(d > rad, 0.0, lw))


def _warp_kernel(a: np.ndarray, iy: np.ndarray, ix: np.ndarray, mode: int, pad: float) -> np.ndarray:
    """Sample ``a`` (C x H x W) at float positions (already clamped into the image)."""
    h, w = a.shape[-2:]
    f = as_float(a)
    if mode == 0:
        return a[:, np.floor(iy + 0.5).astype(np.int64), np.floor(ix + 0.5).astype(np.int64)]
    x0, y0 = np.floor(ix).astype(np.int64), np.floor(iy).astype(np.int64)
    dx, dy = ix - x0, iy - y0
    if mode == 1:
        x1, y1 = np.minimum(x0 + 1, w - 1), np.minimum(y0 + 1, h - 1)
        return (f[:, y0, x0] * (1 - dx) * (1 - dy) + f[:, y0, x1] * dx * (1 - dy)
                + f[:, y1, x0] * (1 - dx) * dy + f[:, y1, x1] * dx * dy)
    if mode == 2:
        # Catmull-Rom over the 4x4 neighbourhood; neighbours outside the image read ``pad``.
        rows = []
        for jy in range(4):
            v = y0 + jy - 1
            p = []
            for jx in range(4):
                u = x0 + jx - 1
                ok = (v >= 0) & (v < h) & (u >= 0) & (u < w)
                p.append(np.where(ok, f[:, np.clip(v, 0, h - 1), np.clip(u, 0, w - 1)], pad))
            rows.append(_cubic(*p, dx))
        return _cubic(*rows, dy)
    lu, lv = _lanczos_weights(ix, x0), _lanczos_weights(iy, y0)  # (..., 6) each
    total = lu.sum(-1) * lv.sum(-1)
    out = np.zeros(f.shape[:1] + ix.shape)
    for ky in range(6):
        v = np.clip(y0 + ky - 2, 0, h - 1)
        for kx in range(6):
            u = np.clip(x0 + kx - 2, 0, w - 1)
            out += f[:, v, u] * (lu[..., kx] * lv[..., ky])
    return out / total


def _warp(fname, dst, src, field, mode, offset, clamp_mode, pad_value):
    a = check_image(src, fname, "src")
    check_tensor(field, fname, "field")
    fl = field.numpy()
    if field.nDimension() != 3 or fl.shape[0] != 2:
        raise ValueError(f"{fname}: field must be 2xHxW (y, x), got {fmt_size(field)}")
    if mode not in _INTERP:
        raise ValueError(f"{fname}: mode must be 'lanczos', 'bicubic', 'bilinear' or 'simple', got {mode!r}")
    if clamp_mode not in ("clamp", "pad"):
        raise ValueError(f"{fname}: clamp_mode must be 'clamp' or 'pad', got {clamp_mode!r}")
    a3 = a if a.ndim == 3 else a[None]
    h, w = a3.shape[-2:]
    oh, ow = fl.shape[1:]
    iy, ix = fl[0].astype(np.float64), fl[1].astype(np.float64)
    if offset:
        iy = iy + np.arange(oh)[:, None]
        ix = ix + np.arange(ow)[None, :]
    off = (iy < 0) | (iy > h - 1) | (ix < 0) | (ix > w - 1)
    val = _warp_kernel(a3, np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1), _INTERP[mode], float(pad_value))
    val = to_storable(val, a.dtype) if _INTERP[mode] else val
    if clamp_mode == "pad":
        val = np.where(off, to_storable(np.float64(pad_value), a.dtype), val)
    return store(val if a.ndim == 3 else val[0], type(src), dst)


def _warp_args(fname, args, kw):
    """Split Lua's positional forms ``[dst,] src, X, mode, ...`` (X is the field or matrix)."""
    args = list(args)
    if len(args) >= 3 and not isinstance(args[2], str):
        dst, rest = args[0], args[1:]
    else:
        dst, rest = None, args
    second = "field" if fname == "image.warp" else "matrix"
    if not 2 <= len(rest) <= 6:
        raise TypeError(f"{fname}: expected ([dst,] src, {second} [, mode, ...]), got {len(args)} arguments")
    names = ["mode", "offset" if fname == "image.warp" else "translation", "clamp_mode", "pad_val"]
    opts = dict(zip(names, rest[2:]))
    for k, v in kw.items():
        if k not in names:
            raise TypeError(f"{fname}: unexpected keyword {k!r}")
        if k in opts:
            raise TypeError(f"{fname}: {k} given twice")
        opts[k] = v
    if "pad_val" in opts and opts.get("clamp_mode", "clamp") != "pad":
        raise ValueError(f"{fname}: pad_val can only be given when clamp_mode = 'pad'")
    return dst, rest[0], rest[1], opts


def warp(*args, **kw):
    """Resample an image through a flow field.

    Forms: ``warp([dst,] src, field [, mode [, offset [, clamp_mode [, pad_val]]]])`` (also as
    keywords).  ``field`` is ``2 x H x W`` holding ``(y, x)`` source positions, added to each
    output pixel's own position when ``offset`` is true (default).  ``mode``: ``'bilinear'``
    (default), ``'simple'``, ``'bicubic'``, ``'lanczos'``.  ``clamp_mode``: ``'clamp'`` (default:
    positions are clamped into the image) or ``'pad'`` (outside positions give ``pad_val``, 0).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> src = torch.Tensor([[1, 2, 3]]); field = torch.zeros(2, 1, 3); _ = field[1].fill(1)
        >>> image.warp(src, field).totable()
        [[2.0, 3.0, 3.0]]
    """
    dst, src, field, o = _warp_args("image.warp", args, kw)
    return _warp("image.warp", dst, src, field, o.get("mode", "bilinear"), o.get("offset", True),
                 o.get("clamp_mode", "clamp"), o.get("pad_val", 0))


def affinetransform(*args, **kw):
    """Apply a 2x2 ``(y, x)`` matrix about the image centre, then resample (see :func:`warp`).

    Forms: ``affinetransform([dst,] src, matrix [, mode [, translation [, clamp_mode [, pad_val]]]])``;
    ``translation`` is an extra ``(y, x)`` shift applied before the transform (default ``(0, 0)``).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> x = torch.Tensor([[1, 2], [3, 4]])
        >>> image.affinetransform(x, torch.Tensor([[1, 0], [0, -1]])).totable()
        [[2.0, 1.0], [4.0, 3.0]]
    """
    dst, src, matrix, o = _warp_args("image.affinetransform", args, kw)
    a = check_image(src, "image.affinetransform", "src")
    mat = np.asarray(matrix.numpy() if hasattr(matrix, "numpy") else matrix, np.float64)
    if mat.shape != (2, 2):
        raise ValueError(f"image.affinetransform: matrix must be 2x2, got shape {mat.shape}")
    h, w = a.shape[-2:]
    gy = -np.linspace(-1, 1, h)[:, None] * ((h - 1) / 2) * np.ones((1, w))
    gx = -np.linspace(-1, 1, w)[None, :] * ((w - 1) / 2) * np.ones((h, 1))
    grid = np.stack([gy, gx])
    field = grid - (mat @ grid.reshape(2, -1)).reshape(2, h, w)
    t = o.get("translation", (0, 0))
    t = np.asarray(t.numpy() if hasattr(t, "numpy") else t, np.float64).reshape(2)
    field -= t[:, None, None]
    return _warp("image.affinetransform", dst, src, store(field, default_class()),
                 o.get("mode", "bilinear"), True, o.get("clamp_mode", "clamp"), o.get("pad_val", 0))
