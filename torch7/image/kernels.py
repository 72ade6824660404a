"""Kernel and colormap constructors: gaussian, gaussian1D, laplacian, colormap, jetColormap.

The kernel functions take Torch7's table arguments as keywords (``image.gaussian(size=5,
sigma=0.2)``), positionally in Torch7's order (``image.gaussian(3)``), or as one dict
(``image.gaussian({'size': 3})``).  Positions are 1-based inside the formulas, as in Torch7, so
that the kernels are the same numbers: entry ``u`` (0-based) of a width-``w`` kernel sits at
``(u + 1 - (mean * w + 0.5)) / (sigma * w)``.
"""

from __future__ import annotations

import math

import numpy as np

from ._util import check_tensor, default_class, fmt_size, lua_table_args, store, to_storable


def _gauss_grid(height, width, sigma_h, sigma_v, mean_h, mean_v):
    du = (np.arange(width) + 1 - (mean_h * width + 0.5)) / (sigma_h * width)
    dv = (np.arange(height) + 1 - (mean_v * height + 0.5)) / (sigma_v * height)
    return du[None, :], dv[:, None]


@lua_table_args
def gaussian(size=3, sigma=0.25, amplitude=1, normalize=False, width=None, height=None,
             sigma_horz=None, sigma_vert=None, mean_horz=0.5, mean_vert=0.5, tensor=None):
    """A 2-D gaussian kernel ``amplitude * exp(-(du^2 + dv^2) / 2)``.

    Args:
        size: kernel size (``size x size``) unless ``width``/``height`` are given.
        sigma: standard deviation relative to the kernel size (``sigma_horz``/``sigma_vert`` apart).
        amplitude: the peak value; normalize: divide by the sum instead.
        mean_horz, mean_vert: centre, relative to the size (0.5 is the middle).
        tensor: a 2-D tensor to fill (its size and type win over width/height).

    Returns:
        a ``height x width`` tensor of the default type (or ``tensor``).

    Example:
        >>> from torch7 import image
        >>> k = image.gaussian(3)
        >>> k.size(), round(k[1][1], 4), round(k[0][0], 4)
        (torch.Size([3, 3]), 1.0, 0.169)
    """
    width = size if width is None else width
    height = size if height is None else height
    sigma_horz = sigma if sigma_horz is None else sigma_horz
    sigma_vert = sigma if sigma_vert is None else sigma_vert
    if tensor is not None:
        check_tensor(tensor, "image.gaussian", "tensor")
        if tensor.nDimension() != 2:
            raise ValueError(f"image.gaussian: tensor must be 2-D, got {fmt_size(tensor)}")
        height, width = tensor.size()
    height, width = int(height), int(width)
    du, dv = _gauss_grid(height, width, sigma_horz, sigma_vert, mean_horz, mean_vert)
    values = amplitude * np.exp(-0.5 * (du * du + dv * dv))
    if tensor is None:
        values = to_storable(values, default_class()._dtype)
        return store(values / values.sum() if normalize else values, default_class())
    stored = to_storable(values, tensor.numpy().dtype)
    if normalize:
        stored = stored * (1.0 / float(stored.sum()))
    if stored.dtype.kind != "f":  # C scales an integer kernel in place: truncated
        stored = np.trunc(stored)
    return store(stored, type(tensor), tensor)


@lua_table_args
def gaussian1D(size=3, sigma=0.25, amplitude=1, normalize=False, mean=0.5, tensor=None):
    """A 1-D gaussian kernel: entry ``i`` (1-based) is ``amplitude * exp(-((i - c)/(sigma*size))^2 / 2)``
    with ``c = mean * size + 0.5``.

    Example:
        >>> from torch7 import image
        >>> [round(v, 4) for v in image.gaussian1D(5, normalize=True).totable()]
        [0.0924, 0.2414, 0.3324, 0.2414, 0.0924]
    """
    if tensor is not None:
        check_tensor(tensor, "image.gaussian1D", "tensor")
        if tensor.nDimension() != 1:
            raise ValueError(f"image.gaussian1D: tensor must be 1-D, got {fmt_size(tensor)}")
        size = tensor.size(0)
    size = int(size)
    center = mean * size + 0.5
    values = amplitude * np.exp(-(((np.arange(1, size + 1) - center) / (sigma * size)) ** 2) / 2)
    out = store(values, default_class() if tensor is None else type(tensor), tensor)
    if normalize:
        a = out.numpy()
        np.copyto(a, a / a.sum(), casting="unsafe")
    return out


@lua_table_args
def laplacian(size=3, sigma=0.1, amplitude=1, normalize=False, width=None, height=None,
              sigma_horz=None, sigma_vert=None, mean_horz=0.5, mean_vert=0.5):
    """A 2-D Laplacian-of-gaussian-like kernel ``(1 - q) * amplitude * exp(-q)``.

    ``q = ((i - cx)/(sigma_horz*width))^2/2 + ((j - cy)/(sigma_vert*height))^2/2`` for row ``i``
    and column ``j`` (1-based), ``cx = mean_horz*width + 0.5``, ``cy = mean_vert*height + 0.5``:
    Torch7 pairs the row index with the horizontal parameters, and so does this.

    Example:
        >>> from torch7 import image
        >>> k = image.laplacian(5, sigma=0.25)
        >>> k.size(), k[2][2]
        (torch.Size([5, 5]), 1.0)
    """
    width = size if width is None else width
    height = size if height is None else height
    sigma_horz = sigma if sigma_horz is None else sigma_horz
    sigma_vert = sigma if sigma_vert is None else sigma_vert
    height, width = int(height), int(width)
    cx, cy = mean_horz * width + 0.5, mean_vert * height + 0.5
    xsq = ((np.arange(1, height + 1)[:, None] - cx) / (sigma_horz * width)) ** 2 / 2
    ysq = ((np.arange(1, width + 1)[None, :] - cy) / (sigma_vert * height)) ** 2 / 2
    values = (1 - (xsq + ysq)) * amplitude * np.exp(-(xsq + ysq))
    out = store(values, default_class())
    if normalize:
        a = out.numpy()
        a /= a.sum()
    return out


def colormap(nbColor: int):
    """``nbColor x 3`` RGB colours spread around the hue wheel (hue steps of 39 degrees).

    Example:
        >>> from torch7 import image
        >>> [round(v, 4) for v in image.colormap(2).totable()[0]]
        [0.65, 0.35, 0.35]
    """
    n = int(nbColor)
    k = np.arange(n)
    hue = np.fmod(39.0 * k, 360)
    sat = np.fmod(k / 9.0, 0.7) + 0.3
    light = 0.5
    c = (1 - abs(2 * light - 1)) * sat
    hp = hue / 60
    x = c * (1 - np.abs(np.fmod(hp, 2) - 1))
    zero = np.zeros(n)
    sector = np.minimum(np.floor(hp), 5).astype(int)
    rgb = np.select([(sector == s)[:, None] for s in range(6)],
                    [np.stack(v, 1) for v in ((c, x, zero), (x, c, zero), (zero, c, x),
                                              (zero, x, c), (x, zero, c), (c, zero, x))]) if n else np.zeros((0, 3))
    return store(rgb + (light - c / 2)[:, None], default_class())


def jetColormap(nbColor):
    """``nbColor x 3`` jet colours (blue to red); row ``i`` (1-based) uses ``v = 4 i / nbColor``.

    Example:
        >>> from torch7 import image
        >>> image.jetColormap(4).totable()
        [[0.0, 0.5, 1.0], [0.5, 1.0, 0.5], [1.0, 0.5, 0.0], [0.5, 0.0, 0.0]]
    """
    n = math.floor(nbColor) if nbColor >= 0 else math.ceil(nbColor)
    four = 4 * np.arange(1, n + 1) / nbColor
    cols = [np.maximum(np.minimum(np.minimum(four + off, -four + top), 1), 0)
            for off, top in ((-1.5, 4.5), (-0.5, 3.5), (0.5, 2.5))]
    return store(np.stack(cols, 1) if n else np.zeros((0, 3)), default_class())
