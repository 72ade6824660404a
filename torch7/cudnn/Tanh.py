"""cudnn.Tanh: nn.Tanh whose CUDA passes are cuDNN pointwise graphs."""

from __future__ import annotations

from torch7 import nn

from ._pointwise import CudnnInplaceFlag


class Tanh(CudnnInplaceFlag, nn.Tanh):
    """``tanh(x)`` by cuDNN on CUDA tensors (the nn kernel on the host): nn.Tanh's results.

    Args:
        inplace: write the result into the input (cudnn.torch's flag; the gradient then uses nn's
            output formula, as the input is gone).

    Shape:
        any; output like input.

    Example (needs CUDA and NVIDIA's cuDNN frontend)::

        y = cudnn.Tanh().cuda().forward(torch.randn(4, 8).cuda())
    """

    _typename = "cudnn.Tanh"
    _nn_twin = nn.Tanh
    _convertible = True
    _kind = "tanh"
