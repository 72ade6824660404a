"""cudnn.VolumetricFullConvolution: nn.VolumetricFullConvolution whose CUDA passes are cuDNN graphs."""

from __future__ import annotations

from torch7 import nn

from ._fullconv import CudnnFullConvolution


class VolumetricFullConvolution(CudnnFullConvolution, nn.VolumetricFullConvolution):
    """3-D full (transposed) convolution by cuDNN: nn.VolumetricFullConvolution's fields and results.

    On CUDA tensors the passes are cuDNN graphs (data gradient, forward convolution, filter gradient);
    on host tensors the nn kernel runs.

    Args:
        nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=0, padH=0, adjT=0, adjW=0, adjH=0:
            as nn.VolumetricFullConvolution.

    Shape:
        input ``(N, nInputPlane, iT, iH, iW)`` or 4-D; ``oT = (iT - 1) * dT - 2 * padT + kT + adjT`` (H, W alike);
        ``weight`` ``nInputPlane x nOutputPlane x kT x kH x kW``.

    Example (needs CUDA and NVIDIA's cuDNN frontend)::

        up = cudnn.VolumetricFullConvolution(4, 2, 2, 2, 2, 2, 2, 2).cuda()
        y = up.forward(torch.randn(1, 4, 3, 5, 5).cuda())   # 1 x 2 x 6 x 10 x 10
    """

    _typename = "cudnn.VolumetricFullConvolution"
    _spatial = 3
    _nn_twin = nn.VolumetricFullConvolution
    _convertible = True

    def _geometry(self) -> tuple[tuple, tuple, tuple]:
        return (self.kT, self.kH, self.kW), (self.dT, self.dH, self.dW), (self.padT, self.padH, self.padW)

    def _adj(self) -> tuple:
        return (self.adjT, self.adjH, self.adjW)
