"""cudnn.SpatialFullConvolution: nn.SpatialFullConvolution whose CUDA passes are cuDNN graphs."""

from __future__ import annotations

from torch7 import nn

from ._fullconv import CudnnFullConvolution


class SpatialFullConvolution(CudnnFullConvolution, nn.SpatialFullConvolution):
    """2-D full (transposed) convolution by cuDNN: nn.SpatialFullConvolution's fields and results.

    On CUDA tensors the forward is cuDNN's data-gradient graph, the input gradient its forward
    convolution and the weight gradient its filter-gradient graph; on host tensors, and for the
    ``[input, targetSize]`` table input, the nn kernel runs.

    Args:
        nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0, adjW=0, adjH=0: as nn.SpatialFullConvolution.

    Shape:
        input ``(N, nInputPlane, iH, iW)`` or 3-D; output ``oH = (iH - 1) * dH - 2 * padH + kH + adjH`` (W alike);
        ``weight`` ``nInputPlane x nOutputPlane x kH x kW``.

    Example (needs CUDA and NVIDIA's cuDNN frontend)::

        up = cudnn.SpatialFullConvolution(16, 8, 4, 4, 2, 2, 1, 1).cuda()
        y = up.forward(torch.randn(2, 16, 8, 8).cuda())   # 2 x 8 x 16 x 16
    """

    _typename = "cudnn.SpatialFullConvolution"
    _nn_twin = nn.SpatialFullConvolution
    _convertible = True

    def _geometry(self) -> tuple[tuple, tuple, tuple]:
        return (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW)

    def _adj(self) -> tuple:
        return (self.adjH, self.adjW)
