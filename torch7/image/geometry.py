"""Geometric transforms: crop, translate, scale, rotate, hflip, vflip, flip.

Images are ``C x H x W`` or ``H x W`` tensors of any type.  Coordinates are 0-based pixels, as
they already were in Torch7's ``crop``/``translate``; every function takes Torch7's optional
destination tensor first (``image.hflip(dst, src)``), which is resized and returned.
"""

from __future__ import annotations

import math
import re

import numpy as np

from . import _resample
from ._util import as_float, c_round, check_image, check_tensor, fmt_size, is_number, store, to_int, to_storable


def crop(*args):
    """Crop a rectangle out of an image.

    Forms: ``crop([dst,] src, x1, y1 [, x2, y2])`` and ``crop([dst,] src, format, w, h)``.
    ``x1, y1`` is the top-left pixel (0-based), ``x2, y2`` the exclusive bottom-right corner;
    ``format`` is ``'c'`` (centre), ``'tl'``, ``'tr'``, ``'bl'`` or ``'br'``.  With ``dst`` and
    ``x2, y2`` the crop is rescaled (bilinear) to ``dst``'s size; with ``dst`` and no ``x2, y2``
    a crop of ``dst``'s size is taken at ``x1, y1``.

    Returns:
        a new tensor (or ``dst``), ``C x h x w`` (or ``h x w``) of the source type.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> x = torch.Tensor(1, 4, 5).copy(torch.range(0, 19))
        >>> image.crop(x, 1, 2, 4, 4).totable()
        [[[11.0, 12.0, 13.0], [16.0, 17.0, 18.0]]]
        >>> image.crop(x, 'c', 3, 2).size()
        torch.Size([1, 2, 3])
    """
    n = len(args)
    dst = None
    x2 = y2 = fmt = None
    if n == 6:
        dst, src, x1, y1, x2, y2 = args
    elif n == 5 and isinstance(args[2], str):
        dst, src, fmt, w, h = args
    elif n == 5:
        src, x1, y1, x2, y2 = args
    elif n == 4 and isinstance(args[1], str):
        src, fmt, w, h = args
    elif n == 4:
        dst, src, x1, y1 = args
    else:
        raise TypeError("image.crop: expected ([dst,] src, x1, y1, x2, y2), (dst, src, x1, y1) or "
                        f"([dst,] src, format, w, h), got {n} arguments")
    a = check_image(src, "image.crop", "src")
    ih, iw = a.shape[-2:]
    if fmt is not None:
        w, h = to_int(w, "image.crop", "width"), to_int(h, "image.crop", "height")
        corners = {"c": ((iw - w) // 2, (ih - h) // 2), "tl": (0, 0), "tr": (iw - w, 0),
                   "bl": (0, ih - h), "br": (iw - w, ih - h)}
        if fmt not in corners:
            raise ValueError(f"image.crop: format must be 'c', 'tl', 'tr', 'bl' or 'br', got {fmt!r}")
        x1, y1 = corners[fmt]
        x2, y2 = x1 + w, y1 + h
    if x2 is None:
        check_tensor(dst, "image.crop", "destination")
        if dst.nDimension() != a.ndim:
            raise ValueError(f"image.crop: destination {fmt_size(dst)} and src {fmt_size(src)} "
                             "differ in dimensions")
        h, w = dst.size()[-2:]
    else:
        w, h = int(x2 - x1), int(y2 - y1)
    x1, y1 = to_int(x1, "image.crop", "x1"), to_int(y1, "image.crop", "y1")
    if x1 < 0 or y1 < 0 or w < 0 or h < 0 or x1 + w > iw or y1 + h > ih:
        raise ValueError(f"image.crop: crop x={x1}, y={y1}, {w}x{h} goes outside the {iw}x{ih} source")
    piece = a[..., y1:y1 + h, x1:x1 + w]
    if dst is not None and x2 is not None:
        return scale(dst, store(piece, type(src)))
    return store(piece, type(src), dst)


def translate(*args):
    """Shift an image by ``x`` pixels right and ``y`` pixels down; uncovered pixels are 0.

    Forms: ``translate([dst,] src, x, y)``.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.translate(torch.Tensor([[1, 2], [3, 4]]), 1, 0).totable()
        [[0.0, 1.0], [0.0, 3.0]]
    """
    if len(args) == 4:
        dst, src, x, y = args
    elif len(args) == 3:
        dst, (src, x, y) = None, args
    else:
        raise TypeError(f"image.translate: expected ([dst,] src, x, y), got {len(args)} arguments")
    a = check_image(src, "image.translate", "src")
    x, y = to_int(x, "image.translate", "x"), to_int(y, "image.translate", "y")
    h, w = a.shape[-2:]
    out = np.zeros_like(a)
    ys, yd = (slice(0, max(h - y, 0)), slice(y, h)) if y >= 0 else (slice(-y, h), slice(0, max(h + y, 0)))
    xs, xd = (slice(0, max(w - x, 0)), slice(x, w)) if x >= 0 else (slice(-x, w), slice(0, max(w + x, 0)))
    out[..., yd, xd] = a[..., ys, xs]
    return store(out, type(src), dst)


def _size_from_spec(spec, iw: int, ih: int):
    """Torch7's size strings: MAX (a number), 'WxH', '^MIN', '*n/d', '*SC'."""
    imax, imin = max(iw, ih), min(iw, ih)
    try:
        omax = float(spec)
    except (TypeError, ValueError):
        omax = None
    if omax is not None:
        return iw * omax / imax, ih * omax / imax
    if not isinstance(spec, str):
        raise TypeError(f"image.scale: size must be a number or a string, got {type(spec).__name__}")
    if m := re.search(r"(\d+)x(\d+)", spec):
        return int(m.group(1)), int(m.group(2))
    if m := re.search(r"\^(\d+)", spec):
        return iw * int(m.group(1)) / imin, ih * int(m.group(1)) / imin
    if m := re.search(r"\*(\d+)/(\d+)", spec):
        return iw * int(m.group(1)) / int(m.group(2)), ih * int(m.group(1)) / int(m.group(2))
    if m := re.search(r"\*(.+)", spec):
        try:
            sc = float(m.group(1))
        except ValueError:
            sc = None
        if sc is not None:
            return iw * sc, ih * sc
    raise ValueError(f"image.scale: could not find a valid size in {spec!r} "
                     "(use a number, 'WxH', '^MIN', '*n/d' or '*SC')")


def scale(*args, mode: str | None = None):
    """Rescale an image.

    Forms: ``scale(src, w, h [, mode])``, ``scale(src, size [, mode])`` and ``scale(dst, src [, mode])``.
    ``size`` is the longest side (a number), ``'WxH'``, ``'^MIN'`` (shortest side), ``'*n/d'`` or
    ``'*SC'`` (a factor).  ``mode`` is ``'bilinear'`` (default; shrinking averages areas),
    ``'bicubic'`` or ``'simple'`` (nearest).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.scale(torch.Tensor([[1, 2, 4, 2]]), 7, 1).totable()
        [[1.0, 1.5, 2.0, 3.0, 4.0, 3.0, 2.0]]
        >>> image.scale(torch.Tensor(3, 20, 40), '*1/2').size()
        torch.Size([3, 10, 20])
    """
    n = len(args)
    dst = width = height = size = None
    if n == 4:
        src, width, height, mode_arg = args
    elif n == 3 and isinstance(args[2], str):
        if isinstance(args[1], str) or is_number(args[1]):
            src, size, mode_arg = args
        else:
            dst, src, mode_arg = args
    elif n == 3:
        (src, width, height), mode_arg = args, None
    elif n == 2 and (isinstance(args[1], str) or is_number(args[1])):
        (src, size), mode_arg = args, None
    elif n == 2:
        (dst, src), mode_arg = args, None
    else:
        raise TypeError("image.scale: expected (src, w, h [, mode]), (src, size [, mode]) or "
                        f"(dst, src [, mode]), got {n} arguments")
    if mode_arg is not None and mode is not None:
        raise TypeError("image.scale: mode given twice")
    mode = mode_arg or mode or "bilinear"
    a = check_image(src, "image.scale", "src")
    ih, iw = a.shape[-2:]
    if size is not None:
        width, height = _size_from_spec(size, iw, ih)
    if dst is not None:
        check_tensor(dst, "image.scale", "destination")
        if dst.nDimension() != a.ndim or (a.ndim == 3 and dst.size(0) != a.shape[0]):
            raise ValueError(f"image.scale: src {fmt_size(src)} and dst {fmt_size(dst)} depths do not match")
        oh, ow = dst.size()[-2:]
    else:
        ow, oh = max(int(width), 1), max(int(height), 1)
    if mode == "simple":
        ys, xs = _resample.simple_index(ih, oh), _resample.simple_index(iw, ow)
        return store(a[..., ys[:, None], xs[None, :]], type(src), dst)
    if mode not in ("bilinear", "bicubic"):
        raise ValueError(f"image.scale: mode must be 'simple', 'bicubic' or 'bilinear', got {mode!r}")
    taps = _resample.linear_taps if mode == "bilinear" else _resample.cubic_taps
    dt = (dst if dst is not None else src).numpy().dtype
    # Rows first, then columns; the intermediate image has the source type, as in Torch7.
    tmp = to_storable(_resample.apply_taps(as_float(a), *taps(iw, ow), axis=a.ndim - 1), dt)
    out = _resample.apply_taps(as_float(tmp), *taps(ih, oh), axis=a.ndim - 2)
    return store(out, type(src), dst)


def _rotate_args(args, fname):
    n = len(args)
    if n == 4:
        return args
    if n == 3 and is_number(args[1]):
        return (None,) + tuple(args)
    if n == 3:
        return tuple(args) + (None,)
    if n == 2:
        return (None,) + tuple(args) + (None,)
    raise TypeError(f"{fname}: expected ([dst,] src, theta [, mode]), got {n} arguments")


def rotate(*args, mode: str | None = None):
    """Rotate an image by ``theta`` radians about its centre; corners become 0.

    Forms: ``rotate([dst,] src, theta [, mode])``; ``mode`` is ``'simple'`` (nearest, default)
    or ``'bilinear'``.  The result has the source's size.

    Example:
        >>> import math, torch7 as torch; from torch7 import image
        >>> image.rotate(torch.Tensor([[1, 2], [3, 4]]), math.pi).totable()
        [[4.0, 3.0], [2.0, 1.0]]
    """
    dst, src, theta, mode_arg = _rotate_args(args, "image.rotate")
    mode = mode_arg or mode or "simple"
    a = check_image(src, "image.rotate", "src")
    h, w = a.shape[-2:]
    xc, yc = (w - 1) / 2.0, (h - 1) / 2.0
    c, s = math.cos(theta), math.sin(theta)
    jd, id_ = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64), indexing="ij")
    ri = c * (id_ - xc) - s * (jd - yc)
    rj = c * (jd - yc) + s * (id_ - xc)
    if mode == "simple":
        ii, jj = c_round(ri + xc).astype(np.int64), c_round(rj + yc).astype(np.int64)
        ok = (ii >= 0) & (ii < w) & (jj >= 0) & (jj < h)
        out = np.where(ok, a[..., np.clip(jj, 0, h - 1), np.clip(ii, 0, w - 1)], 0).astype(a.dtype)
        return store(out, type(src), dst)
    if mode != "bilinear":
        raise ValueError(f"image.rotate: mode must be 'simple' or 'bilinear', got {mode!r}")
    i0, j0 = np.floor(ri + xc).astype(np.int64), np.floor(rj + yc).astype(np.int64)
    wi, wj = ri + xc - i0, rj + yc - j0
    i1, j1 = i0 + 1, j0 + 1
    # On the border, fall back to the nearer pixel when it is inside the image, else 0.
    ok = np.ones(i0.shape, bool)
    i1 = np.where((i1 == w) & (wi < 0.5), i0, i1)
    ok &= i1 < w
    j1 = np.where((j1 == h) & (wj < 0.5), j0, j1)
    ok &= j1 < h
    i0 = np.where((i0 == -1) & (wi > 0.5), i1, i0)
    ok &= i0 >= 0
    j0 = np.where((j0 == -1) & (wj > 0.5), j1, j0)
    ok &= j0 >= 0
    f = as_float(a)
    i0, i1, j0, j1 = (np.clip(v, 0, n - 1) for v, n in ((i0, w), (i1, w), (j0, h), (j1, h)))
    val = ((1 - wi) * (1 - wj) * f[..., j0, i0] + wi * (1 - wj) * f[..., j0, i1]
           + (1 - wi) * wj * f[..., j1, i0] + wi * wj * f[..., j1, i1])
    return store(np.where(ok, val, 0.0), type(src), dst)


def _flip_args(args, fname):
    if len(args) == 2:
        return args
    if len(args) == 1:
        return None, args[0]
    raise TypeError(f"{fname}: expected ([dst,] src), got {len(args)} arguments")


def hflip(*args):
    """Flip an image left/right: ``hflip([dst,] src)`` (``dst`` may be ``src``).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.hflip(torch.Tensor([[1, 2, 3]])).totable()
        [[3.0, 2.0, 1.0]]
    """
    dst, src = _flip_args(args, "image.hflip")
    a = check_image(src, "image.hflip", "src")
    return store(a[..., ::-1], type(src), dst)


def vflip(*args):
    """Flip an image upside down: ``vflip([dst,] src)`` (``dst`` may be ``src``).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.vflip(torch.Tensor([[1, 2], [3, 4]])).totable()
        [[3.0, 4.0], [1.0, 2.0]]
    """
    dst, src = _flip_args(args, "image.vflip")
    a = check_image(src, "image.vflip", "src")
    return store(a[..., ::-1, :], type(src), dst)


def flip(*args):
    """Flip a tensor along dimension ``flip_dim`` (0-based): ``flip([dst,] src, flip_dim)``.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.flip(torch.Tensor([[1, 2], [3, 4]]), 0).totable()
        [[3.0, 4.0], [1.0, 2.0]]
    """
    if len(args) == 3:
        dst, src, d = args
    elif len(args) == 2:
        dst, (src, d) = None, args
    else:
        raise TypeError(f"image.flip: expected ([dst,] src, flip_dim), got {len(args)} arguments")
    check_tensor(src, "image.flip", "src")
    a = src.numpy()
    nd = src.nDimension()
    d = to_int(d, "image.flip", "flip_dim")
    if not -nd <= d < nd:
        raise ValueError(f"image.flip: flip_dim {d} out of range for a {nd}-D tensor")
    return store(np.flip(a, d % nd), type(src), dst)
