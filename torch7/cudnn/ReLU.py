"""cudnn.ReLU: nn.ReLU whose CUDA passes are cuDNN pointwise graphs."""

from __future__ import annotations

from torch7 import nn

from ._pointwise import CudnnPointwise


class ReLU(CudnnPointwise, nn.ReLU):
    """``max(0, x)`` by cuDNN on CUDA tensors (the nn kernel on the host): nn.ReLU's fields and results.

    Args:
        inplace: write the result into the input (and the gradient into gradOutput).

    Shape:
        any; output like input.

    Example (needs CUDA and NVIDIA's cuDNN frontend)::

        y = cudnn.ReLU(True).cuda().forward(torch.randn(4, 8).cuda())
    """

    _typename = "cudnn.ReLU"
    _nn_twin = nn.ReLU
    _convertible = True
    _kind = "relu"
    _grad_from_output = True  # output > 0 exactly where input > 0

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(inplace)
