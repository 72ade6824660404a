"""Showing images: toDisplayTensor (a grid of images), display, window.

Torch7 drew into a Qt window (qtlua).  Here ``display`` shows the image inline when running in a
Jupyter kernel (``IPython.display``), and otherwise writes a PNG (PPM without Pillow) to a
temporary file and prints its path; ``window`` needs a GUI toolkit and is not provided.
"""

from __future__ import annotations

import builtins
import math
import os
import re
import sys
import tempfile

import numpy as np

from ._util import as_float, default_class, fmt_size, lua_table_args, store


def _is_single(t) -> bool:
    return t.nDimension() == 2 or (t.nDimension() == 3 and t.size(0) in (1, 3))


@lua_table_args
def toDisplayTensor(input=None, padding=0, nrow=6, scaleeach=False, min=None, max=None,
                    symmetric=False, saturate=True):
    """Lay out a batch of images as one image, rescaled to [0, 1] (Torch7's display grid).

    Args:
        input: ``H x W``, ``C x H x W`` (C not 1 or 3: one grey map per channel),
            ``N x C x H x W`` (C = 1 or 3) or a list of images.
        padding: pixels between images (filled with the maximum); nrow: images per row.
        scaleeach: rescale every image on its own; min, max, symmetric, saturate: as :func:`minmax`.

    Returns:
        a default-type tensor: ``C x H' x W'`` (a grid) or the single image rescaled.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> image.toDisplayTensor(input=torch.rand(8, 3, 4, 5), nrow=4, padding=1).size()
        torch.Size([3, 10, 24])
    """
    from .filters import minmax

    if isinstance(input, (list, tuple)):
        if not input:
            raise ValueError("image.toDisplayTensor: the list of images is empty")
        first = input[0].numpy()
        c = 1 if first.ndim == 2 else first.shape[0]
        packed = np.stack([np.asarray(img.numpy(), np.float64).reshape((c,) + first.shape[-2:])
                           for img in input])
    elif hasattr(input, "numpy"):
        packed = as_float(input.numpy())
    else:
        raise TypeError(f"image.toDisplayTensor: unknown or incompatible type of input: {type(input).__name__}")
    packed = store(packed, default_class())
    mm = {"min": min, "max": max, "symm": symmetric, "saturate": saturate}
    p = packed.numpy()
    colour_batch = p.ndim == 4 and p.shape[1] in (1, 3)
    if scaleeach and (colour_batch or (p.ndim == 3 and p.shape[0] not in (1, 3))):
        for i in range(p.shape[0]):
            minmax(tensor=packed[i], inplace=True, **mm)
    if p.ndim == 2 or (p.ndim == 3 and p.shape[0] in (1, 3)):
        return minmax(tensor=packed, inplace=True, **mm)
    if not (colour_batch or p.ndim == 3):
        raise ValueError("image.toDisplayTensor: input must be a HxW, KxHxW or Kx3xHxW tensor, or a list "
                         f"of images, got {fmt_size(packed)}")
    maps = p if colour_batch else p[:, None]
    nmaps = maps.shape[0]
    xmaps = nrow if nrow < nmaps else nmaps
    ymaps = math.ceil(nmaps / xmaps)
    h, w = maps.shape[2] + padding, maps.shape[3] + padding
    grid = np.full((maps.shape[1], h * ymaps, w * xmaps), p.max())
    for k in range(nmaps):
        y, x = divmod(k, xmaps)
        oy, ox = y * h + padding // 2, x * w + padding // 2
        grid[:, oy:oy + h - padding, ox:ox + w - padding] = maps[k]
    out = store(grid if colour_batch else grid[0], default_class())
    if not scaleeach:
        minmax(tensor=out, inplace=True, **mm)
    return out


def _jupyter():
    """The IPython module when running inside a Jupyter kernel, else None (never imports IPython)."""
    ip_mod = sys.modules.get("IPython")
    if ip_mod is None:
        return None
    shell = ip_mod.get_ipython()
    return ip_mod if shell is not None and getattr(shell, "kernel", None) is not None else None


@lua_table_args
def display(image=None, zoom=1, min=None, max=None, legend="image.display", win=None, x=0, y=0,
            scaleeach=False, gui=True, offscreen=False, padding=0, symmetric=False, nrow=6, saturate=True):
    """Show an image or a batch of images (see :func:`toDisplayTensor` for the layout options).

    In a Jupyter kernel the image is shown inline and a display handle is returned (pass it back
    as ``win`` to update that output).  With a screen (a display, macOS/Windows) and matplotlib, it
    opens a window (a matplotlib figure titled ``legend``, returned; pass it back as ``win`` to draw
    into it again); ``gui=False`` or ``offscreen=True`` skips the window.  Otherwise a PNG is written
    to a temporary file (to ``win`` when it is a path returned by an earlier call) and its path is
    printed and returned.  ``x`` and ``y`` are accepted for compatibility and ignored.

    Example:
        >>> import torch7 as torch; from torch7 import image
        >>> path = image.display(image=torch.rand(3, 8, 8), zoom=2)  # doctest: +ELLIPSIS
        image.display: saved to ...
        >>> image.getSize(path).totable()
        [3, 16, 16]
    """
    from .geometry import scale
    from .io import compressPNG

    if image is None:
        raise TypeError("image.display: the image argument is required")
    t = toDisplayTensor(input=image, padding=padding, nrow=nrow, saturate=saturate, scaleeach=scaleeach,
                        min=min, max=max, symmetric=symmetric)
    if not _is_single(t):
        raise ValueError(f"image.display: image must be a HxW or KxHxW or Kx3xHxW tensor, got {fmt_size(t)}")
    if zoom != 1:
        h, w = t.size()[-2:]
        t = scale(t, builtins.max(1, int(w * zoom)), builtins.max(1, int(h * zoom)), "simple")
    try:
        data, ext = bytes(compressPNG(t).numpy()), ".png"
    except ImportError:
        from ._codecs import encode_pnm
        from .io import _clamp_image

        colour = t.nDimension() == 3 and t.size(0) == 3
        data = encode_pnm(_clamp_image(t if colour or t.nDimension() == 2 else t[0], "image.display"))
        ext = ".ppm" if colour else ".pgm"
    ipy = _jupyter() if ext == ".png" else None
    if ipy is not None:
        from IPython import display as ipd

        img = ipd.Image(data=data, format="png")
        if win is not None and hasattr(win, "update"):
            win.update(img)
            return win
        return ipd.display(img, display_id=True)
    if gui and not offscreen:
        fig = _window(t, legend, win)
        if fig is not None:
            return fig
    if isinstance(win, str) and win.endswith(ext):
        path = win
    else:
        prefix = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(legend)) + "_"
        fd, path = tempfile.mkstemp(suffix=ext, prefix=prefix)
        os.close(fd)
    with open(path, "wb") as f:
        f.write(data)
    print(f"image.display: saved to {path}")
    return path


def _window(t, legend: str, win):
    """Draw ``t`` in a matplotlib window when a screen exists; None when it cannot."""
    try:
        from torch7.gnuplot import _mpl

        if not _mpl.screen_available():
            return None
        mpl = _mpl.matplotlib()
        import matplotlib.pyplot as plt

        if mpl.get_backend().lower().startswith(_mpl._NON_INTERACTIVE):
            return None  # pyplot on a headless machine (Agg): no window can open
    except ImportError:
        return None
    arr = t.double().numpy()
    arr = arr.transpose(1, 2, 0) if arr.ndim == 3 and arr.shape[0] == 3 else arr.reshape(arr.shape[-2:])
    fig = win if win is not None and hasattr(win, "canvas") else plt.figure()
    fig.clf()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(arr, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    if fig.canvas.manager is not None:
        fig.canvas.manager.set_window_title(str(legend))
    _mpl.show(fig)
    return fig


def window(hook_resize=None, hook_mousepress=None, hook_mousedoublepress=None):
    """Torch7's Qt window for images: not available (no GUI toolkit binding in torch7).

    Raises:
        NotImplementedError: always; use :func:`display` (inline in Jupyter, else a PNG file).
    """
    raise NotImplementedError("image.window: Torch7's Qt image window is not available in torch7; "
                              "use image.display(...) (inline in Jupyter, else it saves a PNG and prints its path)")
