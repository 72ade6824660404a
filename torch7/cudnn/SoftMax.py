"""cudnn.SoftMax: cudnn.torch's SoftMax (cuDNN's INSTANCE mode) on nn.SoftMax's kernel."""

from __future__ import annotations

from collections.abc import Callable

from torch7 import nn
from torch7._core import backend
from torch7.nn.functional.activation import grad_array, out_like, softmax, softmax_axis, softmax_backward


def instance_apply(kernel: Callable, out, *arrays) -> None:
    """Run ``kernel(*arrays, out, axis)`` over each sample's C x H x W values as one vector.

    ``out`` and ``arrays`` are 3-D (one sample) or 4-D (a batch); ``kernel`` is one of nn's softmax
    kernels (``torch7.nn.functional.activation``), which normalise along ``axis``.
    """
    rows = (1, -1) if out.ndim == 3 else (out.shape[0], -1)
    flat = [a.reshape(rows) for a in arrays]
    if out.flags.c_contiguous:
        kernel(*flat, out.reshape(rows), 1)
    else:  # a strided output cannot be viewed flat: compute aside and copy in
        tmp = backend.xp(out).empty(flat[0].shape, out.dtype)
        kernel(*flat, tmp, 1)
        out[...] = tmp.reshape(out.shape)


class InstanceSoftMax:
    """Mixin for cudnn's SoftMax and LogSoftMax: 3-D/4-D inputs normalised per sample (nn's kernels ``_kernels``)."""

    _kernels = (softmax, softmax_backward)

    def __init__(self, fastMode: bool = False) -> None:
        super().__init__()
        self.fastMode = bool(fastMode)

    def updateOutput(self, input):
        softmax_axis(self, input)  # checks the dimension (nn's error, under this module's name)
        a = input._a
        if a.ndim < 3:
            return super().updateOutput(input)
        instance_apply(self._kernels[0], out_like(self.output, a), a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        o = self.output._a
        if o.ndim < 3:
            return super().updateGradInput(input, gradOutput)
        g = grad_array(self, self.output, gradOutput)
        instance_apply(self._kernels[1], out_like(self.gradInput, o), g, o)
        return self.gradInput


class SoftMax(InstanceSoftMax, nn.SoftMax):
    """SoftMax as cudnn.torch computes it: over all of C x H x W for each sample of a 3-D or 4-D input.

    cudnn.torch's ``SoftMax`` runs cuDNN's softmax in ``INSTANCE`` mode, which normalises each
    sample's C x H x W values together; ``nn.SoftMax`` normalises over C at each pixel. On 1-D and
    2-D inputs the two agree. ``cudnn.convert`` swaps this class and ``nn.SoftMax`` (no copy), which
    changes that rule on 3-D and 4-D inputs exactly as it did in Lua; for the per-pixel rule use
    ``cudnn.SpatialSoftMax``. The cuDNN frontend this package drives has no softmax operation, so
    nn's kernel runs (on host and CUDA tensors), always subtracting the maximum first.

    Args:
        fastMode: cudnn.torch's choice of cuDNN's FAST algorithm (no max subtraction); kept as the
            field ``fastMode``, with no effect here (default False).

    Shape:
        1-D ``(C)``, 2-D ``(N, C)``, 3-D ``(C, H, W)`` or 4-D ``(N, C, H, W)``; output of the same shape.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        y = cudnn.SoftMax().forward(torch.randn(2, 3, 4, 4).cuda())
        y.view(2, -1).sum(1)   # ones: each sample's 48 values sum to 1
    """

    _typename = "cudnn.SoftMax"
    _nn_twin = nn.SoftMax
    _convertible = True
    _cudnn_defaults = {"fastMode": False}  # set on an nn module converted here, dropped on the way back
