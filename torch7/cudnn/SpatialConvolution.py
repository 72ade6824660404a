"""cudnn.SpatialConvolution: nn.SpatialConvolution whose CUDA passes are cuDNN graphs."""

from __future__ import annotations

from torch7 import nn

from ._conv import CudnnConvolution


class SpatialConvolution(CudnnConvolution, nn.SpatialConvolution):
    """2-D convolution by cuDNN (cudnn.torch's class), with groups.

    Same fields and results as ``nn.SpatialConvolution``; on CUDA tensors forward, backward and the
    weight gradient are cuDNN convolution graphs (``torch7.cudnn._graphs``), on host tensors the nn
    kernel runs (groups 1 only).

    Args:
        nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=padW: as nn.SpatialConvolution.
        groups: input and output planes split into this many independent groups (default 1).

    Shape:
        input ``(N, nInputPlane, iH, iW)`` or 3-D; ``weight`` ``nOutputPlane x nInputPlane/groups x kH x kW``.

    Example (needs CUDA and NVIDIA's cuDNN frontend; see ``torch7.cudnn``)::

        conv = cudnn.SpatialConvolution(3, 16, 3, 3, 1, 1, 1, 1).cuda()
        y = conv.forward(torch.randn(8, 3, 32, 32).cuda())
    """

    _typename = "cudnn.SpatialConvolution"
    _nn_twin = nn.SpatialConvolution
    _convertible = True
    _cudnn_defaults = {"groups": 1}  # set on an nn module converted here, dropped on the way back

    def __init__(self, nInputPlane: int, nOutputPlane: int, kW: int, kH: int, dW: int = 1, dH: int = 1,
                 padW: int = 0, padH: int | None = None, groups: int = 1) -> None:
        if groups < 1 or nInputPlane % groups or nOutputPlane % groups:
            raise ValueError(f"cudnn.SpatialConvolution: {nInputPlane} input and {nOutputPlane} output planes "
                             f"do not split into {groups} groups")
        self.groups = groups
        super().__init__(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)

    def _weight_size(self) -> tuple:
        return (self.nOutputPlane, self.nInputPlane // self.groups, self.kH, self.kW)

    def _geometry(self) -> tuple[tuple, tuple, tuple]:
        return (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW)

    def reset(self, stdv: float | None = None):
        if stdv is None:
            stdv = 1.0 / (self.kW * self.kH * self.nInputPlane // self.groups) ** 0.5
        else:
            stdv = stdv * 3 ** 0.5
        self.weight.uniform(-stdv, stdv)
        if getattr(self, "bias", None) is not None:
            self.bias.uniform(-stdv, stdv)
        return self

    def _check_nn_twin(self) -> None:
        if self.groups != 1:
            raise ValueError(f"cudnn.convert: {self!r} has {self.groups} groups, which nn.SpatialConvolution "
                             "cannot do")

    def _check_host(self) -> None:
        if self.groups != 1:
            raise TypeError(f"{self!r}: groups > 1 run on CUDA tensors only (convert the module with :cuda())")

    def updateOutput(self, input):
        if not input._is_cuda:
            self._check_host()
        return super().updateOutput(input)

    def _extra_repr(self) -> str:
        return f", groups {self.groups}" if self.groups != 1 else ""
