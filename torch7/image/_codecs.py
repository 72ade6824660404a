"""Byte-level codecs: PPM/PGM in NumPy (no dependency), PNG/JPEG through Pillow.

Decoders return ``(array C x H x W, bits)`` with integer sample values (``bits`` 8 or 16);
encoders take a ``C x H x W`` (or ``H x W``) uint8 array.
"""

from __future__ import annotations

import io
import re

import numpy as np

from ._util import require_pillow

_PNM_MAGIC = {b"P2": (1, False), b"P3": (3, False), b"P5": (1, True), b"P6": (3, True)}
_TOKEN = re.compile(rb"(?:\s|#[^\n]*(?:\n|$))*(\S+)")


def _pnm_header(data: bytes, fname: str):
    """(channels, binary, width, height, maxval, offset of the raster)."""
    magic = data[:2]
    if magic not in _PNM_MAGIC:
        if data[:1] != b"P":
            raise ValueError(f"{fname}: not a PPM/PGM file (corrupted header)")
        raise ValueError(f"{fname}: unsupported PNM magic number {magic.decode('latin-1')!r} "
                         "(P2, P3, P5 and P6 are supported)")
    c, binary = _PNM_MAGIC[magic]
    pos, vals = 2, []
    for _ in range(3):
        m = _TOKEN.match(data, pos)
        if m is None or not m.group(1).isdigit():
            raise ValueError(f"{fname}: corrupted PNM header")
        vals.append(int(m.group(1)))
        pos = m.end()
    w, h, maxval = vals
    if not 0 < maxval < 65536:
        raise ValueError(f"{fname}: PNM maxval {maxval} out of range 1..65535")
    return c, binary, w, h, maxval, pos + 1  # one whitespace byte ends the header


def decode_pnm(data: bytes, fname: str) -> tuple[np.ndarray, int]:
    """PPM/PGM (binary or ascii) to ``C x H x W`` values scaled to 0..255 (``255*v // maxval``)."""
    c, binary, w, h, maxval, pos = _pnm_header(data, fname)
    n = w * h * c
    if binary:
        dt = np.dtype(">u2") if maxval > 255 else np.dtype(np.uint8)
        if len(data) - pos < n * dt.itemsize:
            raise ValueError(f"{fname}: corrupted file: the raster of {w}x{h}x{c} samples is truncated")
        v = np.frombuffer(data, dt, n, pos).astype(np.int64)
    else:
        body = re.sub(rb"#[^\n]*", b" ", data[pos - 1:])
        v = np.array(body.split()[:n], dtype=np.int64)
        if v.size < n:
            raise ValueError(f"{fname}: corrupted file: expected {n} samples, found {v.size}")
    if maxval != 255:
        v = 255 * v // maxval
    return np.clip(v, 0, 255).astype(np.uint8).reshape(h, w, c).transpose(2, 0, 1).copy(), 8


def pnm_size(data: bytes, fname: str) -> tuple[int, int, int]:
    c, _, w, h, _, _ = _pnm_header(data, fname)
    return c, h, w


def encode_pnm(a: np.ndarray) -> bytes:
    """P6 for 3 channels, P5 for 1 (``a`` is uint8, ``C x H x W`` or ``H x W``)."""
    if a.ndim == 2:
        a = a[None]
    c, h, w = a.shape
    head = f"{'P6' if c == 3 else 'P5'}\n{w} {h}\n255\n".encode()
    return head + np.ascontiguousarray(a.transpose(1, 2, 0)).tobytes()


def _pil_channels(im) -> str:
    """The mode to decode a Pillow image to (channels as Torch7's libpng/libjpeg gave them)."""
    mode = im.mode
    if mode in ("L", "LA", "RGB", "RGBA"):
        return mode
    if mode == "1":
        return "L"
    if mode == "P":
        return "RGBA" if "transparency" in im.info else "RGB"
    if mode == "PA":
        return "RGBA"
    if mode.startswith("I;16") or mode == "I":
        return "I;16"
    return "RGB"  # CMYK, YCbCr, ...: convert


_CHANNELS = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "I;16": 1}


def decode_pil(data: bytes, fname: str, kind: str) -> tuple[np.ndarray, int]:
    """PNG or JPEG bytes to ``C x H x W`` (uint8, or uint16 for 16-bit grey PNGs)."""
    Image = require_pillow(fname)
    try:
        im = Image.open(io.BytesIO(data))
        if im.format != kind:
            raise ValueError(f"not a {kind} file (found {im.format})")
        mode = _pil_channels(im)
        if mode == "I;16":
            arr = np.asarray(im).astype(np.uint16)
            bits = 16
        else:
            arr = np.asarray(im if im.mode == mode else im.convert(mode))
            bits = 8
    except (OSError, ValueError, SyntaxError) as e:
        raise ValueError(f"{fname}: cannot decode {kind} data: {e}") from None
    if arr.ndim == 2:
        arr = arr[:, :, None]
    return np.ascontiguousarray(arr.transpose(2, 0, 1)), bits


def pil_size(data_or_path, fname: str, kind: str) -> tuple[int, int, int]:
    """(C, H, W) read from the header only."""
    Image = require_pillow(fname)
    src = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    try:
        with Image.open(src) as im:
            if im.format != kind:
                raise ValueError(f"not a {kind} file (found {im.format})")
            return _CHANNELS[_pil_channels(im)], im.height, im.width
    except (OSError, ValueError, SyntaxError) as e:
        raise ValueError(f"{fname}: cannot read the {kind} header: {e}") from None


def encode_pil(a: np.ndarray, fname: str, kind: str, quality: int = 75) -> bytes:
    """uint8 ``C x H x W`` (C = 1, 3, or 4 for PNG) to PNG or JPEG bytes."""
    Image = require_pillow(fname)
    if a.ndim == 3:
        a = a[0] if a.shape[0] == 1 else a.transpose(1, 2, 0)
    im = Image.fromarray(np.ascontiguousarray(a))
    buf = io.BytesIO()
    if kind == "JPEG":
        im.save(buf, format="JPEG", quality=int(quality))
    else:
        im.save(buf, format="PNG")
    return buf.getvalue()
