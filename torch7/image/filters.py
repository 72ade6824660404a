"""Filtering: convolve, lcn, erode, dilate, gaussianpyramid, minmax.

``convolve`` uses ``torch.conv2`` (a true convolution: the kernel is flipped).  ``lcn``, ``erode``
and ``dilate`` work on 2-D (grey) images as in Torch7.
"""

from __future__ import annotations

import math

import numpy as np

from .._core.ops_conv import conv2 as _conv2
from ._util import as_float, check_image, check_tensor, default_class, fmt_size, lua_table_args, store, tensor_class


def convolve(*args):
    """Convolve an image with a kernel: ``convolve([dst,] src, kernel [, mode])``.

    ``mode`` is ``'valid'`` (default, ``H-kh+1 x W-kw+1``), ``'full'`` (``H+kh-1 x W+kw-1``) or
    ``'same'`` (the full result cropped to the source size).  A 2-D kernel on a ``C x H x W``
    image is applied to every plane.  With ``dst`` and ``'same'``, ``dst`` receives the cropped
    result (Torch7 left the full one in ``dst`` and returned a view).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.convolve(torch.ones(3, 4, 4), torch.ones(3, 3), 'same').size()
        torch.Size([3, 4, 4])
    """
    n = len(args)
    if n == 4:
        dst, src, kernel, mode = args
    elif n == 3 and isinstance(args[2], str):
        dst, (src, kernel, mode) = None, args
    elif n == 3:
        (dst, src, kernel), mode = args, None
    elif n == 2:
        dst, (src, kernel), mode = None, args, None
    else:
        raise TypeError(f"image.convolve: expected ([dst,] src, kernel [, mode]), got {n} arguments")
    mode = mode or "valid"
    if mode not in ("valid", "full", "same"):
        raise ValueError(f"image.convolve: mode must be 'full', 'valid' or 'same', got {mode!r}")
    check_tensor(src, "image.convolve", "src")
    check_tensor(kernel, "image.convolve", "kernel")
    if kernel.nDimension() == 2 and src.nDimension() == 3:
        k = kernel.numpy()
        kernel = src.new(src.size(0), *k.shape)
        np.copyto(kernel.numpy(), k[None], casting="unsafe")
    elif kernel.numpy().dtype != src.numpy().dtype:
        kernel = kernel.typeAs(src)
    out = _conv2(src, kernel, "V" if mode == "valid" else "F")
    if mode == "same":
        kh, kw = kernel.size()[-2:]
        oy, ox = math.ceil(kh / 2) - 1, math.ceil(kw / 2) - 1
        h, w = src.size()[-2:]
        out = store(out.numpy()[..., oy:oy + h, ox:ox + w], type(src))
    if dst is None:
        return out
    return store(out.numpy(), type(dst), dst)


def _gray2d(im, fname) -> np.ndarray:
    a = check_image(im, fname, "image", dims=(2, 3))
    if a.ndim == 3:
        if a.shape[0] != 1:
            raise ValueError(f"{fname}: grayscale image expected (HxW or 1xHxW), got {fmt_size(im)}")
        a = a[0]
    return a


def _windows(a: np.ndarray, kh: int, kw: int) -> np.ndarray:
    return np.lib.stride_tricks.sliding_window_view(a, (kh, kw))


def lcn(im, ker=None):
    """Local contrast normalization of a grey image (a DoubleTensor of the valid size).

    The image is standardised, then each pixel has the local mean (``ker``-weighted) removed and
    is divided by the local standard deviation where that exceeds 1.  ``ker`` defaults to a
    normalized 9x9 gaussian (sigma 1.591/9).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.lcn(torch.rand(12, 12)).size()
        torch.Size([4, 4])
    """
    from .kernels import gaussian

    if ker is None:
        ker = gaussian(size=9, sigma=1.591 / 9, normalize=True)
    a = as_float(_gray2d(im, "image.lcn"))
    a = (a - a.mean()) / a.std(ddof=1)
    k = as_float(check_image(ker, "image.lcn", "kernel", dims=(2,)))
    kf = k[::-1, ::-1]  # torch.conv2 flips the kernel
    kh, kw = k.shape
    lmn = np.einsum("ijkl,kl->ij", _windows(a, kh, kw), kf)
    lmnsq = np.einsum("ijkl,kl->ij", _windows(a * a, kh, kw), kf)
    lstd = np.sqrt(np.maximum(lmnsq - lmn * lmn, 0))
    lstd = np.where(lstd < 1, 1.0, lstd)
    si, sj = kh // 2, kw // 2
    centre = a[si:si + lmn.shape[0], sj:sj + lmn.shape[1]]
    return store((centre - lmn) / lstd, tensor_class("torch.DoubleTensor"))


def _morph(im, kern, pad, fname, test):
    a = _gray2d(im, fname)
    if kern is None:
        k = np.ones((3, 3))
    else:
        k = as_float(check_image(kern, fname, "kernel", dims=(2,)))
    kh, kw = k.shape
    if kh % 2 == 0 or kw % 2 == 0:
        raise ValueError(f"{fname}: the kernel must have odd sizes, got {kh}x{kw}")
    hp, wp = kh // 2, kw // 2
    padded = np.full((a.shape[0] + 2 * hp, a.shape[1] + 2 * wp), float(pad))
    padded[hp:hp + a.shape[0], wp:wp + a.shape[1]] = a
    return store(test(_windows(padded, kh, kw), k).astype(np.float64), type(im))


def erode(im, kern=None, pad=1):
    """Morphological erosion of a binary (0/1) grey image with an odd-sized 0/1 kernel.

    A pixel stays 1 when the kernel-weighted sum over its window (``torch.conv2``, so the
    kernel is flipped) equals the kernel's sum; outside the image counts as ``pad`` (1).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> x = torch.zeros(5, 5); x[1:4, 1:4] = 1
        >>> image.erode(x).sum()
        1.0
    """
    return _morph(im, kern, pad, "image.erode",
                  lambda win, k: np.einsum("ijkl,kl->ij", win, k[::-1, ::-1]) == k.sum())


def dilate(im, kern=None, pad=0):
    """Morphological dilation of a binary grey image: 1 where the window meets the kernel.

    Outside the image counts as ``pad`` (0); the kernel is applied unflipped.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> x = torch.zeros(5, 5); x[2][2] = 1
        >>> image.dilate(x).sum()
        9.0
    """
    return _morph(im, kern, pad, "image.dilate", lambda win, k: np.einsum("ijkl,kl->ij", win, k) > 0)


def gaussianpyramid(*args):
    """A list of images: each scale of the previous level blurred with a 3x3 gaussian.

    Forms: ``gaussianpyramid([dst,] src, scales)``; level ``i`` has size ``src * scales[i]``
    (truncated) and is ``scale(blur(level i-1), 'simple')`` (level 0 scales ``src`` itself).
    The blur keeps full precision for integer images (Torch7 rounded the kernel to the type).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> [p.size() for p in image.gaussianpyramid(torch.rand(8, 8), [1, 0.5])]
        [torch.Size([8, 8]), torch.Size([4, 4])]
    """
    from .geometry import scale
    from .kernels import gaussian

    if len(args) == 3:
        dst, src, scales = args
        dst = list(dst)
    elif len(args) == 2:
        dst, (src, scales) = [], args
    else:
        raise TypeError(f"image.gaussianpyramid: expected ([dst,] src, scales), got {len(args)} arguments")
    a = check_image(src, "image.gaussianpyramid", "src")
    k = gaussian(width=3, normalize=True).numpy()
    cls = type(src)
    tmp = as_float(a)
    for i, sc in enumerate(scales):
        shape = a.shape[:-2] + tuple(int(s * sc) for s in a.shape[-2:])
        level = dst[i] if i < len(dst) else cls()
        level.resize(*shape)
        if sc == 1:
            store(tmp, cls, level)
        else:
            scale(level, store(tmp, cls), "simple")
        dst[i:i + 1] = [level]
        lv = as_float(level.numpy())
        planes = lv if lv.ndim == 3 else lv[None]
        padded = np.pad(planes, ((0, 0), (1, 1), (1, 1)))
        blurred = np.einsum("cijkl,kl->cij", np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(1, 2)),
                            k[::-1, ::-1])
        tmp = blurred if lv.ndim == 3 else blurred[0]
    return dst


@lua_table_args
def minmax(tensor=None, min=None, max=None, symm=False, inplace=False, saturate=False, tensorOut=None):
    """Rescale a tensor to [0, 1]: subtract ``min`` and divide by ``max - min``.

    Args:
        tensor: the input.  min, max: the range (default: the tensor's own); symm: a range
            symmetric about 0; inplace: modify ``tensor``; saturate: clamp to [0, 1] (only when
            ``min`` or ``max`` is given); tensorOut: the result tensor.

    Returns:
        ``tensorOut``, ``tensor`` (inplace) or a new default-type tensor.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.minmax(tensor=torch.Tensor([2, 4, 6])).totable()
        [0.0, 0.5, 1.0]
    """
    check_tensor(tensor, "image.minmax", "tensor")
    if tensorOut is not None:
        out = tensorOut
        out.resize(*tensor.size())
        np.copyto(out.numpy(), tensor.numpy(), casting="unsafe")
    elif inplace:
        out = tensor
    else:
        out = store(tensor.numpy(), default_class())
    a = out.numpy()
    if a.size == 0:
        return out
    if min is None and max is None:
        saturate = False
    fmin = 0.0
    if min is None:
        if symm:
            fmin = float(np.maximum(abs(a.min()), abs(a.max())))
            min = -fmin
        else:
            min = float(a.min())
    f = as_float(a)
    if min != 0:
        f -= min
    if max is None:
        max = fmin * 2 if symm else float(f.max())
    else:
        max = max - min
    if max != 0:
        f /= max
    if saturate:
        np.clip(f, 0, 1, out=f)
    np.copyto(a, f, casting="unsafe")
    return out
