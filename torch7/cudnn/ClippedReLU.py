"""cudnn.ClippedReLU: ``min(max(0, x), ceiling)`` as cuDNN pointwise graphs (nn.Clamp(0, ceiling) on the host)."""

from __future__ import annotations

from torch7 import nn

from ._pointwise import CudnnPointwise


class ClippedReLU(CudnnPointwise, nn.Clamp):
    """ReLU clipped at ``ceiling`` (cudnn.torch's class): nn.Clamp(0, ceiling)'s fields and results.

    On CUDA tensors cuDNN's ReLU with an upper clip runs (forward and gradient); on host tensors nn's
    kernel. The gradient passes where ``0 < x < ceiling``. A ``.t7`` file with this class loads as nn.Clamp.

    Args:
        ceiling: the upper bound (positive).
        inplace: write the result into the input.

    Shape:
        any; output like input.

    Example (needs CUDA and NVIDIA's cuDNN frontend)::

        y = cudnn.ClippedReLU(6).cuda().forward(torch.randn(4, 8).cuda())
    """

    _typename = "cudnn.ClippedReLU"
    _nn_twin = nn.Clamp
    _kind = "relu"
    _grad_from_output = True  # 0 < output < ceiling exactly where 0 < input < ceiling

    def __init__(self, ceiling: float, inplace: bool = False) -> None:
        nn.HardTanh.__init__(self, 0, ceiling, inplace)
        self.ceiling = ceiling

    def _params(self) -> dict:
        return {"lower_clip": 0.0, "upper_clip": float(self.ceiling)}
