"""cudnn.VolumetricConvolution: nn.VolumetricConvolution whose CUDA passes are cuDNN graphs."""

from __future__ import annotations

from torch7 import nn

from ._conv import CudnnConvolution


class VolumetricConvolution(CudnnConvolution, nn.VolumetricConvolution):
    """3-D convolution by cuDNN (cudnn.torch's class): nn.VolumetricConvolution's fields and results.

    On CUDA tensors forward, backward and the weight gradient are cuDNN convolution graphs; on host
    tensors the nn kernel runs.

    Args:
        nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=padT, padH=padW: as
            nn.VolumetricConvolution.

    Shape:
        input ``(N, nInputPlane, iT, iH, iW)`` or 4-D; ``weight`` ``nOutputPlane x nInputPlane x kT x kH x kW``.

    Example (needs CUDA and NVIDIA's cuDNN frontend)::

        conv = cudnn.VolumetricConvolution(3, 8, 3, 3, 3).cuda()
        y = conv.forward(torch.randn(2, 3, 8, 16, 16).cuda())
    """

    _typename = "cudnn.VolumetricConvolution"
    _nn_twin = nn.VolumetricConvolution
    _convertible = True
    _spatial = 3

    def _geometry(self) -> tuple[tuple, tuple, tuple]:
        return (self.kT, self.kH, self.kW), (self.dT, self.dH, self.dW), (self.padT, self.padH, self.padW)
