"""cudnn.VolumetricSoftMax: cudnn.torch's per-voxel SoftMax over feature planes, on nn's softmax kernel."""

from __future__ import annotations

from torch7 import nn
from torch7.nn.functional.activation import grad_array, out_like, size_str, softmax, softmax_backward


class VolumetricSoftMax(nn.Module):
    """SoftMax over the feature planes at each voxel of a 4-D ``(C, T, H, W)`` or 5-D ``(N, C, T, H, W)`` input.

    cudnn.torch folds T and H together and runs its ``SpatialSoftMax`` (cuDNN's ``CHANNEL``
    mode), so every voxel's C values are normalised. nn has no such class (and
    ``cudnn.convert`` leaves this one alone); the cuDNN frontend this package drives has no
    softmax operation, so nn's softmax kernel runs (on host and CUDA tensors), always
    subtracting the maximum first.

    Args:
        fastMode: cudnn.torch's choice of cuDNN's FAST algorithm (no max subtraction); kept as the
            field ``fastMode``, with no effect here (default False).

    Shape:
        ``(C, T, H, W)`` or ``(N, C, T, H, W)``; the output has the shape of the input.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        y = cudnn.VolumetricSoftMax().forward(torch.randn(2, 3, 4, 5, 5).cuda())
        y.sum(1)   # ones: at every voxel the 3 planes sum to 1
    """

    _typename = "cudnn.VolumetricSoftMax"
    _kernels = (softmax, softmax_backward)

    def __init__(self, fastMode: bool = False) -> None:
        super().__init__()
        self.fastMode = bool(fastMode)

    def _axis(self, t) -> int:
        nd = t._a.ndim if t._a.size else 0
        if nd not in (4, 5):
            raise ValueError(f"{self._typename}: 4D (C x T x H x W) or 5D (N x C x T x H x W) tensor expected, "
                             f"got size {size_str(t)}")
        return nd - 4

    def updateOutput(self, input):
        axis = self._axis(input)
        a = input._a
        self._kernels[0](a, out_like(self.output, a), axis)
        return self.output

    def updateGradInput(self, input, gradOutput):
        axis = self._axis(self.output)
        o = self.output._a
        g = grad_array(self, self.output, gradOutput)
        self._kernels[1](g, o, out_like(self.gradInput, o), axis)
        return self.gradInput
