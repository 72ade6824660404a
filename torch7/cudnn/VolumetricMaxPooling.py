"""cudnn.VolumetricMaxPooling: cudnn.torch's 3-D max pooling, run by nn.VolumetricMaxPooling's kernel."""

from __future__ import annotations

from torch7 import nn


class VolumetricMaxPooling(nn.VolumetricMaxPooling):
    """3-D max pooling under cudnn.torch's name: ``nn.VolumetricMaxPooling``'s fields and results.

    The cuDNN frontend this package drives has no pooling operation, so this layer runs nn's
    kernel, on host tensors and on CUDA tensors alike. ``cudnn.convert`` swaps it with
    ``nn.VolumetricMaxPooling`` (no copy). The constructor is cudnn.torch's, which is nn's: strides
    default to the window, padding (counted as -inf) to 0; ``:ceil()``/``:floor()`` pick the size rule.

    Args:
        kT, kW, kH: window size.
        dT, dW, dH: strides (default: the window size).
        padT, padW, padH: padding on each side (default 0).

    Shape:
        input ``(C, T, H, W)`` or ``(N, C, T, H, W)``; output ``[N x] C x OT x OH x OW`` with
        ``OT = floor((T + 2*padT - kT) / dT) + 1`` (``ceil`` after ``:ceil()``).

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        pool = cudnn.VolumetricMaxPooling(2, 2, 2)
        y = pool.forward(torch.randn(2, 4, 8, 16, 16).cuda())   # 2 x 4 x 4 x 8 x 8
    """

    _typename = "cudnn.VolumetricMaxPooling"
    _nn_twin = nn.VolumetricMaxPooling
    _convertible = True
