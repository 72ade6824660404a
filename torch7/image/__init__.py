"""torch7.image: Lua Torch7's ``image`` package on NumPy (Pillow for JPEG/PNG and text).

Images are ``C x H x W`` tensors (``H x W`` for grey): FloatTensor/DoubleTensor in [0, 1],
ByteTensor in 0..255.  Functions keep Torch7's names and argument forms, with the optional
destination tensor first (``image.scale(dst, src)``); functions that took a Lua table take
keywords or a dict (``image.gaussian(size=5)``, ``image.gaussian({'size': 5})``).  Pixel
coordinates are 0-based (``crop``, ``translate``, ``drawText`` already were in Torch7; ``drawRect``
was 1-based).  Pillow (the ``image`` extra) is needed only to read/write JPEG and PNG and to draw
text; PPM/PGM files and every geometric, colour and kernel function work with NumPy alone.

Example:
    >>> import torch7 as torch; from torch7 import image
    >>> img = torch.rand(3, 32, 48)
    >>> image.scale(img, 24, 16).size(), image.rgb2y(img).size()
    (torch.Size([3, 16, 24]), torch.Size([1, 32, 48]))
"""

from __future__ import annotations

from .color import hsl2rgb, hsv2rgb, lab2rgb, rgb2hsl, rgb2hsv, rgb2lab, rgb2nrgb, rgb2y, rgb2yuv, y2jet, yuv2rgb
from .display import display, toDisplayTensor, window
from .draw import drawRect, drawText
from .filters import convolve, dilate, erode, gaussianpyramid, lcn, minmax
from .geometry import crop, flip, hflip, rotate, scale, translate, vflip
from .io import (
    compressJPG,
    compressPNG,
    decompress,
    decompressJPG,
    decompressPNG,
    getJPGsize,
    getPNGsize,
    getPPMsize,
    getSize,
    is_supported,
    load,
    loadJPG,
    loadPNG,
    loadPPM,
    save,
    saveJPG,
    savePGM,
    savePNG,
    savePPM,
    supported_filetypes,
)
from .kernels import colormap, gaussian, gaussian1D, jetColormap, laplacian
from .samples import fabio, lena
from .warp import affinetransform, logpolar, polar, warp

__all__ = [
    "load", "save", "getSize", "loadJPG", "loadPNG", "loadPPM", "saveJPG", "savePNG", "savePPM", "savePGM",
    "compressJPG", "decompressJPG", "compressPNG", "decompressPNG", "decompress", "getJPGsize", "getPNGsize",
    "getPPMsize", "supported_filetypes", "is_supported",
    "crop", "translate", "scale", "rotate", "polar", "logpolar", "warp", "affinetransform", "hflip", "vflip", "flip",
    "convolve", "lcn", "erode", "dilate", "gaussianpyramid", "minmax",
    "gaussian", "gaussian1D", "laplacian", "colormap", "jetColormap", "lena", "fabio",
    "rgb2yuv", "yuv2rgb", "rgb2y", "rgb2hsl", "hsl2rgb", "rgb2hsv", "hsv2rgb", "rgb2lab", "lab2rgb", "rgb2nrgb",
    "y2jet",
    "drawText", "drawRect",
    "display", "toDisplayTensor", "window",
]
