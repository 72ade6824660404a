"""Loading, saving and (de)compressing images: JPEG and PNG (Pillow), PPM/PGM (NumPy only).

``load(filename [, depth [, tensortype]])`` returns ``C x H x W``: ``tensortype`` ``'float'``,
``'double'`` (values in [0, 1]; 16-bit PNGs divided by 65535) or ``'byte'`` (0..255), default the
default tensor type in [0, 1].  ``depth`` 1 or 3 forces grey or RGB (grey from RGB is
:func:`rgb2y`, an ``H x W`` tensor, as in Torch7).  Saving clamps float images to [0, 1] and
maps them to 0..255 rounding to nearest (Torch7 truncated, which could lose 1 on a round trip).
"""

from __future__ import annotations

import os
import re

import numpy as np

from . import _codecs
from ._util import check_tensor, default_class, fmt_size, store, tensor_class

_TYPES = {"float": "torch.FloatTensor", "double": "torch.DoubleTensor", "byte": "torch.ByteTensor"}


def _to_tensor(raw: np.ndarray, bits: int, depth, tensortype, fname: str):
    """Decoded samples to a tensor of the asked type and depth (Torch7's processPNG/todepth)."""
    if tensortype is None:
        cls = default_class()
    elif tensortype in _TYPES:
        cls = tensor_class(_TYPES[tensortype])
    else:
        raise ValueError(f"{fname}: tensortype must be 'float', 'double' or 'byte', got {tensortype!r}")
    if cls._dtype == np.uint8:
        t = store(raw >> 8 if bits == 16 else raw, cls)
    else:
        t = store(raw.astype(np.float64) / (65535.0 if bits == 16 else 255.0), cls)
    return _todepth(t, depth, fname)


def _todepth(img, depth, fname: str):
    from .color import rgb2y

    if depth is None:
        return img
    c = img.size(0) if img.nDimension() == 3 else None
    if depth == 1:
        if c in (3, 4):
            return rgb2y(img.narrow(0, 0, 3))[0]
        if c == 2:
            return img.narrow(0, 0, 1)
        if c in (None, 1):
            return img
    elif depth == 3:
        if c == 3:
            return img
        if c == 4:
            return img.narrow(0, 0, 3)
        if c in (None, 1):
            plane = img.numpy() if c is None else img.numpy()[0]
            return store(np.broadcast_to(plane, (3,) + plane.shape), type(img))
    else:
        raise ValueError(f"{fname}: depth must be 1 or 3, got {depth!r}")
    raise ValueError(f"{fname}: image loaded has a wrong number of channels ({fmt_size(img)}) for depth {depth}")


def _read(filename, fname: str) -> bytes:
    with open(os.fspath(filename), "rb") as f:
        return f.read()


def _bytes_of(tensor, fname: str) -> bytes:
    check_tensor(tensor, fname, "input")
    if tensor.type() != "torch.ByteTensor":
        raise TypeError(f"{fname}: input tensor (with compressed data) must be a torch.ByteTensor, "
                        f"got {tensor.type()}")
    return np.ascontiguousarray(tensor.numpy()).tobytes()


def _clamp_image(tensor, fname: str) -> np.ndarray:
    """uint8 samples to write: ByteTensors as they are, others clamped to [0, 1] and scaled."""
    check_tensor(tensor, fname, "tensor")
    a = tensor.numpy()
    if tensor.nDimension() not in (2, 3):
        raise ValueError(f"{fname}: can only save HxW or CxHxW images, got {fmt_size(tensor)}")
    if a.dtype == np.uint8:
        return a
    return np.floor(np.clip(a.astype(np.float64), 0, 1) * 255 + 0.5).astype(np.uint8)


def _from_bytes(tensor_bytes: bytes):
    return store(np.frombuffer(tensor_bytes, np.uint8).copy(), tensor_class("torch.ByteTensor"))


def loadPNG(filename, depth=None, tensortype=None):
    """Load a PNG file (see the module docstring for ``depth`` and ``tensortype``)."""
    return _to_tensor(*_codecs.decode_pil(_read(filename, "image.loadPNG"), "image.loadPNG", "PNG"),
                      depth, tensortype, "image.loadPNG")


def loadJPG(filename, depth=None, tensortype=None):
    """Load a JPEG file (see the module docstring for ``depth`` and ``tensortype``)."""
    return _to_tensor(*_codecs.decode_pil(_read(filename, "image.loadJPG"), "image.loadJPG", "JPEG"),
                      depth, tensortype, "image.loadJPG")


def loadPPM(filename, depth=None, tensortype=None):
    """Load a PPM or PGM file (P2, P3, P5, P6; samples rescaled to 0..255 when maxval is not 255).

    Example:
        >>> import os, tempfile, torch7 as torch; from torch7 import image
        >>> p = os.path.join(tempfile.mkdtemp(), 'a.ppm'); image.savePPM(p, torch.ones(3, 2, 4))
        >>> image.loadPPM(p, None, 'byte').size()
        torch.Size([3, 2, 4])
    """
    return _to_tensor(*_codecs.decode_pnm(_read(filename, "image.loadPPM"), "image.loadPPM"),
                      depth, tensortype, "image.loadPPM")


def decompressJPG(tensor, depth=None, tensortype=None):
    """Decode JPEG bytes held in a 1-D ByteTensor."""
    return _to_tensor(*_codecs.decode_pil(_bytes_of(tensor, "image.decompressJPG"), "image.decompressJPG", "JPEG"),
                      depth, tensortype, "image.decompressJPG")


def decompressPNG(tensor, depth=None, tensortype=None):
    """Decode PNG bytes held in a 1-D ByteTensor."""
    return _to_tensor(*_codecs.decode_pil(_bytes_of(tensor, "image.decompressPNG"), "image.decompressPNG", "PNG"),
                      depth, tensortype, "image.decompressPNG")


def decompress(tensor, depth=None, tensortype=None):
    """Decode JPEG or PNG bytes held in a ByteTensor (the format is read from the magic bytes)."""
    data = _bytes_of(tensor, "image.decompress")
    if data[:3] == b"\xff\xd8\xff":
        return decompressJPG(tensor, depth, tensortype)
    if data[:4] == b"\x89PNG":
        return decompressPNG(tensor, depth, tensortype)
    raise ValueError("image.decompress: input must be either jpg or png format")


def compressJPG(tensor, quality=75):
    """Encode an image as JPEG bytes (a 1-D ByteTensor); ``quality`` 1..100 (default 75)."""
    a = _clamp_image(tensor, "image.compressJPG")
    if a.ndim == 3 and a.shape[0] not in (1, 3):
        raise ValueError(f"image.compressJPG: JPEG needs 1 or 3 channels, got {fmt_size(tensor)}")
    return _from_bytes(_codecs.encode_pil(a, "image.compressJPG", "JPEG", quality))


def compressPNG(tensor):
    """Encode an image (1, 3 or 4 channels) as PNG bytes (a 1-D ByteTensor)."""
    a = _clamp_image(tensor, "image.compressPNG")
    if a.ndim == 3 and a.shape[0] not in (1, 3, 4):
        raise ValueError(f"image.compressPNG: depth must be 1, 3 or 4, got {fmt_size(tensor)}")
    return _from_bytes(_codecs.encode_pil(a, "image.compressPNG", "PNG"))


def _write(filename, data: bytes) -> None:
    with open(os.fspath(filename), "wb") as f:
        f.write(data)


def savePNG(filename, tensor) -> None:
    """Save an image (1, 3 or 4 channels) as PNG."""
    _write(filename, bytes(compressPNG(tensor).numpy()))


def saveJPG(filename, tensor) -> None:
    """Save an image (1 or 3 channels) as JPEG, quality 75."""
    _write(filename, bytes(compressJPG(tensor, 75).numpy()))


def savePPM(filename, tensor) -> None:
    """Save a ``3 x H x W`` image as binary PPM (P6)."""
    check_tensor(tensor, "image.savePPM", "tensor")
    if tensor.nDimension() != 3 or tensor.size(0) != 3:
        raise ValueError(f"image.savePPM: can only save 3xHxW images as PPM, got {fmt_size(tensor)}")
    _write(filename, _codecs.encode_pnm(_clamp_image(tensor, "image.savePPM")))


def savePGM(filename, tensor) -> None:
    """Save a ``1 x H x W`` or ``H x W`` image as binary PGM (P5)."""
    check_tensor(tensor, "image.savePGM", "tensor")
    if tensor.nDimension() == 3 and tensor.size(0) != 1 or tensor.nDimension() not in (2, 3):
        raise ValueError(f"image.savePGM: can only save 1xHxW or HxW images as PGM, got {fmt_size(tensor)}")
    _write(filename, _codecs.encode_pnm(_clamp_image(tensor, "image.savePGM")))


def getJPGsize(filename) -> tuple[int, int, int]:
    """(channels, height, width) of a JPEG file, from its header."""
    return _codecs.pil_size(os.fspath(filename), "image.getJPGsize", "JPEG")


def getPNGsize(filename) -> tuple[int, int, int]:
    """(channels, height, width) of a PNG file, from its header."""
    return _codecs.pil_size(os.fspath(filename), "image.getPNGsize", "PNG")


def getPPMsize(filename) -> tuple[int, int, int]:
    """(channels, height, width) of a PPM/PGM file, from its header."""
    with open(os.fspath(filename), "rb") as f:
        head = f.read(4096)
    return _codecs.pnm_size(head, "image.getPPMsize")


_JPG = {"loader": loadJPG, "saver": saveJPG, "sizer": getJPGsize}
_PNG = {"loader": loadPNG, "saver": savePNG, "sizer": getPNGsize}
_PPM = {"loader": loadPPM, "saver": savePPM, "sizer": getPPMsize}
_PGM = {"loader": loadPPM, "saver": savePGM, "sizer": getPPMsize}
supported_filetypes = {"jpg": _JPG, "JPG": _JPG, "jpeg": _JPG, "JPEG": _JPG, "png": _PNG, "PNG": _PNG,
                       "ppm": _PPM, "PPM": _PPM, "pgm": _PGM, "PGM": _PGM}


def is_supported(suffix) -> bool:
    """True if ``suffix`` (e.g. ``'png'``, without the dot) is a known extension.

    Example:
        >>> from torch7 import image
        >>> image.is_supported('jpg'), image.is_supported('gif')
        (True, False)
    """
    return suffix in supported_filetypes


def _extension(filename) -> str | None:
    m = re.search(r"\.([A-Za-z]+)$", os.fspath(filename))
    return m.group(1) if m else None


def _sniff(filename, fname: str) -> str:
    """The file type from the magic bytes, else from the extension (Torch7's order)."""
    with open(os.fspath(filename), "rb") as f:
        head = f.read(4)
    if head[:3] == b"\xff\xd8\xff":
        return "jpg"
    if head[:4] == b"\x89PNG":
        return "png"
    if re.match(rb"P[25]", head):
        return "pgm"
    if re.match(rb"P[36]", head):
        return "ppm"
    ext = _extension(filename)
    if ext is None:
        raise ValueError(f"{fname}: unable to determine image type for file: {os.fspath(filename)}")
    if not is_supported(ext):
        raise ValueError(f"{fname}: unknown image type: {ext}")
    return ext


def load(filename, depth=None, tensortype=None):
    """Load an image file (JPEG, PNG, PPM, PGM, told apart by content): ``C x H x W``.

    Args:
        filename: the path.  depth: 1 (grey) or 3 (RGB) to force the channels.
        tensortype: ``'float'``, ``'double'``, ``'byte'`` (default: the default tensor type).

    Example:
        >>> import os, tempfile, torch7 as torch; from torch7 import image
        >>> p = os.path.join(tempfile.mkdtemp(), 'a.pgm'); image.save(p, torch.zeros(1, 2, 3))
        >>> image.load(p).size(), image.load(p, 3, 'byte').size()
        (torch.Size([1, 2, 3]), torch.Size([3, 2, 3]))
    """
    return supported_filetypes[_sniff(filename, "image.load")]["loader"](filename, depth, tensortype)


def getSize(filename):
    """``{C, H, W}`` of an image file as a LongTensor, without decoding the pixels.

    Example:
        >>> import os, tempfile, torch7 as torch; from torch7 import image
        >>> p = os.path.join(tempfile.mkdtemp(), 'a.ppm'); image.save(p, torch.zeros(3, 2, 5))
        >>> image.getSize(p).totable()
        [3, 2, 5]
    """
    size = supported_filetypes[_sniff(filename, "image.getSize")]["sizer"](filename)
    return store(np.array(size, np.int64), tensor_class("torch.LongTensor"))


def save(filename, tensor) -> None:
    """Save an image; the format comes from the extension (jpg, jpeg, png, ppm, pgm)."""
    ext = _extension(filename)
    if not is_supported(ext):
        raise ValueError(f"image.save: unknown image type: {ext} (supported: jpg, jpeg, png, ppm, pgm)")
    supported_filetypes[ext]["saver"](filename, tensor)
