"""Sample images: ``lena()`` (Torch7's is Grace Hopper's portrait since 2016) and ``fabio()``."""

from __future__ import annotations

import os

_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def lena():
    """The bundled sample photo (Grace Hopper, public domain), ``3 x 600 x 512`` in [0, 1].

    Loaded as the default tensor type, as Torch7's ``image.lena()`` does.  Needs Pillow (JPEG).

    Example:
        >>> from torch7 import image
        >>> image.lena().size()
        torch.Size([3, 600, 512])
    """
    from .io import load

    return load(os.path.join(_DATA, "grace_hopper_512.jpg"), 3)


def fabio():
    """Torch7's grey portrait of Fabio: not shipped (its licence does not allow redistribution).

    Raises:
        NotImplementedError: always; use :func:`lena` (``image.rgb2y(image.lena())`` for grey)
        or ``image.load`` on a file of your own.
    """
    raise NotImplementedError("image.fabio: the Fabio portrait is not shipped with torch7 (it is not "
                              "freely licensed); use image.lena() (public domain) or image.load(path, 1)")
