"""Drawing on ``3 x H x W`` images: drawText (Pillow's bitmap font) and drawRect (NumPy).

Colours are ``[R, G, B]`` lists in 0..255 and written as ``c / 255`` into float images.  Pixels that
fall outside the image are clipped (Torch7 raised an index error for partly visible shapes).
"""

from __future__ import annotations

import functools

import numpy as np

from ._util import check_tensor, fmt_size, require_pillow, to_int


def _options(opts, kw, fname, allowed):
    o = dict(opts or {})
    o.update(kw)
    bad = set(o) - set(allowed)
    if bad:
        raise TypeError(f"{fname}: unknown option(s) {sorted(bad)} (allowed: {', '.join(allowed)})")
    return o


def _target(src, inplace, fname):
    check_tensor(src, fname, "src")
    if src.nDimension() != 3 or src.size(0) != 3:
        raise ValueError(f"{fname}: input image has to be a 3D tensor of shape 3 x H x W, got {fmt_size(src)}")
    return src if inplace else src.clone()


def _colour(out, color) -> np.ndarray:
    c = np.asarray(color, np.float64).reshape(3)
    if out.numpy().dtype.kind == "f":
        return c / 255.0
    return c


def _paint(a: np.ndarray, mask: np.ndarray, x: int, y: int, colour: np.ndarray) -> None:
    """Set ``a[:, y + i, x + j] = colour`` where ``mask[i, j]``, clipped to the image."""
    h, w = a.shape[1:]
    mh, mw = mask.shape
    y0, x0, y1, x1 = max(y, 0), max(x, 0), min(y + mh, h), min(x + mw, w)
    if y0 >= y1 or x0 >= x1:
        return
    m = mask[y0 - y:y1 - y, x0 - x:x1 - x]
    for k in range(3):
        a[k, y0:y1, x0:x1][m] = colour[k]


@functools.lru_cache(maxsize=1)
def _font():
    require_pillow("image.drawText")
    from PIL import ImageFont

    font = ImageFont.load_default_imagefont() if hasattr(ImageFont, "load_default_imagefont") \
        else ImageFont.load_default()
    left, top, right, bottom = font.getbbox("M")
    return font, right - left, max(font.getbbox("Mgjy|")[3], bottom)


@functools.lru_cache(maxsize=256)
def _glyph(ch: str) -> np.ndarray:
    from PIL import Image, ImageDraw

    font, cw, ch_h = _font()
    im = Image.new("L", (cw, ch_h), 0)
    try:
        ImageDraw.Draw(im).text((0, 0), ch, fill=255, font=font)
    except UnicodeEncodeError:
        ImageDraw.Draw(im).text((0, 0), "?", fill=255, font=font)
    return np.asarray(im) > 127


def drawText(src, text, x=1, y=1, opts=None, **kw):
    """Write ``text`` at pixel ``(x, y)`` (0-based top-left corner of the first character).

    Options (a dict or keywords): ``color`` (default red ``[255, 0, 0]``), ``bg`` (background of
    each character cell, default none), ``size`` (integer zoom of the font, default 1), ``wrap``
    (default true: continue at x = 0 on the next line when a character would pass the right
    edge), ``inplace`` (default false: draw on a copy).  ``\\n`` starts a new line at ``x``.
    Characters are Pillow's built-in bitmap font (6 pixels wide) rather than Torch7's 5x7 font.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> out = image.drawText(torch.zeros(3, 20, 40), 'Hi', 2, 2, color=[0, 255, 0])
        >>> out[1].sum() > 0, out[0].sum()
        (True, 0.0)
    """
    o = _options(opts, kw, "image.drawText", ("color", "bg", "size", "wrap", "inplace"))
    out = _target(src, o.get("inplace", False), "image.drawText")
    if text is None or not str(text).rstrip():
        return out
    x, y = to_int(x, "image.drawText", "x"), to_int(y, "image.drawText", "y")
    size = max(to_int(o.get("size", 1), "image.drawText", "size"), 1)
    fg = _colour(out, list(o.get("color", (255, 0, 0))))
    bg = o.get("bg")
    bg = None if bg is None or -1 in list(bg) else _colour(out, list(bg))
    wrap = o.get("wrap", True)
    _, cw, chh = _font()
    a = out.numpy()
    width = a.shape[2]
    cx, cy = x, y
    for ch in str(text):
        if ch == "\n":
            cx, cy = x, cy + size * chh
            continue
        if ch == "\r":
            continue
        if wrap and cx + size * cw >= width:
            cx, cy = 0, cy + size * chh
        glyph = np.repeat(np.repeat(_glyph(ch), size, 0), size, 1)
        if bg is not None:
            _paint(a, ~glyph, cx, cy, bg)
        _paint(a, glyph, cx, cy, fg)
        cx += size * cw
    return out


def drawRect(src, x1, y1, x2, y2, opts=None, **kw):
    """Draw the outline of the rectangle with corners ``(x1, y1)`` and ``(x2, y2)`` (0-based, inclusive).

    Options: ``lineWidth`` (default 1, the line grows right/down from the corner, centred for
    wider lines), ``color`` (default red ``[255, 0, 0]``), ``inplace`` (default false).

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> out = image.drawRect(torch.zeros(3, 5, 5), 1, 1, 3, 3, color=[255, 255, 255])
        >>> out[0].sum()
        8.0
    """
    o = _options(opts, kw, "image.drawRect", ("lineWidth", "color", "inplace"))
    out = _target(src, o.get("inplace", False), "image.drawRect")
    if None in (x1, y1, x2, y2):
        return out
    lw = max(to_int(o.get("lineWidth", 1), "image.drawRect", "lineWidth"), 1)
    colour = _colour(out, list(o.get("color", (255, 0, 0))))
    a = out.numpy()
    h, w = a.shape[1:]
    off = lw // 2
    x1, y1 = max(0, to_int(x1, "image.drawRect", "x1") - off), max(0, to_int(y1, "image.drawRect", "y1") - off)
    x2 = min(w - 1, to_int(x2, "image.drawRect", "x2") - off)
    y2 = min(h - 1, to_int(y2, "image.drawRect", "y2") - off)
    mask = np.zeros((h, w), bool)
    for rows, cols in (((y1, y2 + lw), (x1, x1 + lw)), ((y1, y2 + lw), (x2, x2 + lw)),
                       ((y1, y1 + lw), (x1, x2 + lw)), ((y2, y2 + lw), (x1, x2 + lw))):
        mask[max(rows[0], 0):max(rows[1], 0), max(cols[0], 0):max(cols[1], 0)] = True
    _paint(a, mask, 0, 0, colour)
    return out
