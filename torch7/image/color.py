"""Colour-space conversions of ``3 x H x W`` images: YUV, Y, HSL, HSV, CIE Lab, normalized RGB, jet.

All take Torch7's optional destination first: ``image.rgb2yuv([dst,] src)``.  Float images hold
values in [0, 1] (Lab excepted).  ByteTensor images are computed in double and rounded/clamped to
0..255; HSL/HSV treat them as 0..255 scaled values, as Torch7's C code does; Lab refuses them.
Channels after the third (alpha) are copied through unchanged.
"""

from __future__ import annotations

import numpy as np

from ._util import as_float, check_image, check_tensor, fmt_size, store


def _args(args, fname):
    if len(args) == 2:
        return args
    if len(args) == 1:
        return None, args[0]
    raise TypeError(f"{fname}: expected ([dst,] src), got {len(args)} arguments")


def _rgb(src, fname) -> np.ndarray:
    a = check_image(src, fname, "src", dims=(3,))
    if a.shape[0] < 3:
        raise ValueError(f"{fname}: src must have 3 channels (C x H x W), got {fmt_size(src)}")
    return a


def _finish(src, dst, planes, a, scale=1.0):
    """Stack the three computed planes (plus any extra source channels) and store them."""
    out = np.empty(a.shape, np.float64)
    out[:3] = np.stack(planes) * scale
    out[3:] = a[3:]
    return store(out, type(src), dst)


def _linear(args, fname, m):
    dst, src = _args(args, fname)
    a = _rgb(src, fname)
    f = as_float(a[:3])
    return _finish(src, dst, list(np.tensordot(np.asarray(m), f, axes=1)), a)


_YUV = [[0.299, 0.587, 0.114], [-0.14713, -0.28886, 0.436], [0.615, -0.51499, -0.10001]]
_RGB = [[1.0, 0.0, 1.13983], [1.0, -0.39465, -0.58060], [1.0, 2.03211, 0.0]]


def rgb2yuv(*args):
    """RGB to YUV (Y = 0.299 R + 0.587 G + 0.114 B; U, V centred on 0).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> [round(v, 4) for v in image.rgb2yuv(torch.Tensor(3, 1, 1).fill(1)).view(3).totable()]
        [1.0, 0.0, 0.0]
    """
    return _linear(args, "image.rgb2yuv", _YUV)


def yuv2rgb(*args):
    """YUV to RGB, the inverse of :func:`rgb2yuv` (to about 1e-4).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> x = torch.rand(3, 2, 2)
        >>> bool((image.yuv2rgb(image.rgb2yuv(x)) - x).abs().max() < 1e-4)
        True
    """
    return _linear(args, "image.yuv2rgb", _RGB)


def rgb2y(*args):
    """Luma only: a ``1 x H x W`` image ``0.299 R + 0.587 G + 0.114 B``.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.rgb2y(torch.Tensor(3, 2, 2).fill(0.5)).size()
        torch.Size([1, 2, 2])
    """
    dst, src = _args(args, "image.rgb2y")
    a = as_float(_rgb(src, "image.rgb2y")[:3])
    y = 0.299 * a[0] + 0.587 * a[1] + 0.114 * a[2]
    return store(y[None], type(src), dst)


def _hue(r, g, b, mx, d):
    """Hue in [0, 1) from the max channel, as in Torch7 (0 where the colour is grey)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(mx == r, (g - b) / d + np.where(g < b, 6, 0),
                     np.where(mx == g, (b - r) / d + 2, (r - g) / d + 4)) / 6
    return np.where(d == 0, 0.0, h)


def _unit(src, fname):
    """The three channels as float in [0, 1] units, and the factor to scale results back."""
    a = _rgb(src, fname)
    f = as_float(a[:3])
    k = 255.0 if a.dtype == np.uint8 else 1.0
    return a, f / k, k


def rgb2hsl(*args):
    """RGB to HSL (hue, saturation, lightness, each in [0, 1]).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.rgb2hsl(torch.Tensor([[[1.0]], [[0.0]], [[0.0]]])).view(3).totable()
        [0.0, 1.0, 0.5]
    """
    dst, src = _args(args, "image.rgb2hsl")
    a, (r, g, b), k = _unit(src, "image.rgb2hsl")
    mx, mn = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    d, l = mx - mn, (mx + mn) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(d == 0, 0.0, np.where(l > 0.5, d / (2 - mx - mn), d / (mx + mn)))
    return _finish(src, dst, [_hue(r, g, b, mx, d), s, l], a, k)


def _hue2rgb(p, q, t):
    t = np.where(t < 0, t + 1, t)
    t = np.where(t > 1, t - 1, t)
    return np.where(t < 1 / 6, p + (q - p) * 6 * t,
                    np.where(t < 1 / 2, q, np.where(t < 2 / 3, p + (q - p) * (2 / 3 - t) * 6, p)))


def hsl2rgb(*args):
    """HSL to RGB, the inverse of :func:`rgb2hsl`.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.hsl2rgb(torch.Tensor([[[0.0]], [[1.0]], [[0.5]]])).view(3).totable()
        [1.0, 0.0, 0.0]
    """
    dst, src = _args(args, "image.hsl2rgb")
    a, (h, s, l), k = _unit(src, "image.hsl2rgb")
    q = np.where(l < 0.5, l * (1 + s), l + s - l * s)
    p = 2 * l - q
    grey = s == 0
    planes = [np.where(grey, l, _hue2rgb(p, q, h + dh)) for dh in (1 / 3, 0.0, -1 / 3)]
    return _finish(src, dst, planes, a, k)


def rgb2hsv(*args):
    """RGB to HSV (hue, saturation, value, each in [0, 1]).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.rgb2hsv(torch.Tensor([[[0.0]], [[0.5]], [[0.0]]])).view(3).totable()
        [0.3333333333333333, 1.0, 0.5]
    """
    dst, src = _args(args, "image.rgb2hsv")
    a, (r, g, b), k = _unit(src, "image.rgb2hsv")
    mx, mn = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    d = mx - mn
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(d == 0, 0.0, d / mx)
    return _finish(src, dst, [_hue(r, g, b, mx, d), s, mx], a, k)


def hsv2rgb(*args):
    """HSV to RGB, the inverse of :func:`rgb2hsv`.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.hsv2rgb(torch.Tensor([[[2 / 3]], [[1.0]], [[1.0]]])).view(3).totable()
        [0.0, 0.0, 1.0]
    """
    dst, src = _args(args, "image.hsv2rgb")
    a, (h, s, v), k = _unit(src, "image.hsv2rgb")
    i = np.floor(h * 6)
    f = h * 6 - i
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    sector = np.fmod(i, 6)  # C's %: negative sectors fall to the default case (black)
    table = {0: (v, t, p), 1: (q, v, p), 2: (p, v, t), 3: (p, q, v), 4: (t, p, v), 5: (v, p, q)}
    planes = []
    for c in range(3):
        out = np.zeros_like(h)
        for sec, vals in table.items():
            out = np.where(sector == sec, vals[c], out)
        planes.append(out)
    return _finish(src, dst, planes, a, k)


_EPS, _KAPPA = 216.0 / 24389.0, 24389.0 / 27.0
_XN, _ZN = 0.950456, 1.088754  # D65 white point
_XYZ = np.array([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]])
_SRGB = np.array([[3.2404542, -1.5371385, -0.4985314], [-0.9692660, 1.8760108, 0.0415560],
                  [0.0556434, -0.2040259, 1.0572252]])


def _lab_input(args, fname):
    dst, src = _args(args, fname)
    a = _rgb(src, fname)
    if a.dtype == np.uint8:
        raise TypeError(f"{fname}: not supported for torch.ByteTensor (convert to float first)")
    return dst, src, a


def rgb2lab(*args):
    """sRGB in [0, 1] to CIE L*a*b* (D65); L in [0, 100], a and b roughly in [-128, 127].

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> [round(v, 4) for v in image.rgb2lab(torch.Tensor(3, 1, 1).fill(1)).view(3).totable()]
        [100.0, 0.0, 0.0]
    """
    dst, src, a = _lab_input(args, "image.rgb2lab")
    c = as_float(a[:3])
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    x, y, z = np.tensordot(_XYZ, lin, axes=1)
    x, z = x / _XN, z / _ZN
    fx, fy, fz = (np.where(t > _EPS, np.cbrt(t), (_KAPPA * t + 16) / 116) for t in (x, y, z))
    return _finish(src, dst, [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], a)


def lab2rgb(*args):
    """CIE L*a*b* (D65) to sRGB, the inverse of :func:`rgb2lab`.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> [round(v, 4) for v in image.lab2rgb(torch.Tensor([[[100.0]], [[0.0]], [[0.0]]])).view(3).totable()]
        [1.0, 1.0, 1.0]
    """
    dst, src, a = _lab_input(args, "image.lab2rgb")
    l, aa, bb = as_float(a[:3])
    fy = (l + 16) / 116
    fz, fx = fy - bb / 200, aa / 500 + fy
    x = np.where(fx ** 3 <= _EPS, (116 * fx - 16) / _KAPPA, fx ** 3) * _XN
    y = np.where(l > _KAPPA * _EPS, fy ** 3, l / _KAPPA)
    z = np.where(fz ** 3 <= _EPS, (116 * fz - 16) / _KAPPA, fz ** 3) * _ZN
    lin = np.tensordot(_SRGB, np.stack([x, y, z]), axes=1)
    with np.errstate(invalid="ignore"):
        rgb = np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * np.power(np.maximum(lin, 0), 1 / 2.4) - 0.055)
    return _finish(src, dst, list(rgb), a)


def rgb2nrgb(*args):
    """Normalized RGB: each channel divided by ``R + G + B + 1e-6``.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> [round(v, 4) for v in image.rgb2nrgb(torch.Tensor([[[1.0]], [[1.0]], [[2.0]]])).view(3).totable()]
        [0.25, 0.25, 0.5]
    """
    dst, src = _args(args, "image.rgb2nrgb")
    a = _rgb(src, "image.rgb2nrgb")
    f = as_float(a[:3])
    return _finish(src, dst, list(f / (f.sum(0) + 1e-6)), a)


def y2jet(*args):
    """Colour a label image (values 1..L) with a jet colormap of L colours: ``3 x H x W``.

    Accepts ``H x W``, ``1 x H x W`` or a 1-D row.  Label ``v`` gets row ``v - 1`` of
    ``jetColormap(L)`` (0..255 values for a ByteTensor).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.y2jet(torch.Tensor([[1, 2]])).size()
        torch.Size([3, 1, 2])
    """
    from .kernels import jetColormap

    dst, src = _args(args, "image.y2jet")
    check_tensor(src, "image.y2jet", "src")
    a = src.numpy()
    if src.nDimension() == 3 and a.shape[0] == 1:
        a = a[0]
    elif src.nDimension() == 1:
        a = a[None]
    elif src.nDimension() != 2:
        raise ValueError(f"image.y2jet: src must be HxW, 1xHxW or 1-D, got {fmt_size(src)}")
    cmap = jetColormap(float(a.max())).numpy()
    if a.dtype == np.uint8:
        cmap = np.clip(np.floor(cmap * 255 + 0.5), 0, 255)
    ids = np.trunc(as_float(a) - 1).astype(np.int64)
    if ids.min() < 0 or ids.max() >= len(cmap):
        raise ValueError(f"image.y2jet: labels must lie in 1..{len(cmap)} (the maximum), got a minimum of {a.min()}")
    return store(np.moveaxis(cmap[ids], -1, 0), type(src), dst)
