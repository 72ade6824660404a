"""cudnn.VolumetricBatchNormalization: cudnn.torch's batch normalization of 3-D feature maps, on nn's kernel."""

from __future__ import annotations

from torch7 import nn


class VolumetricBatchNormalization(nn.VolumetricBatchNormalization):
    """Batch normalization per feature map of ``(N, nFeature, T, H, W)`` batches, as nn computes it.

    cudnn.torch's class (cuDNN's ``SPATIAL`` mode on 5-D tensors: statistics over the batch and
    every voxel of a map) keeps nn's fields (``weight``, ``bias``, ``running_mean``,
    ``running_var``, ``eps``, ``momentum``, ``train``, version 2), so ``cudnn.convert`` swaps it
    with ``nn.VolumetricBatchNormalization`` (no copy). Training mode normalises with the batch
    statistics (biased variance) and moves the running estimates by ``momentum`` (unbiased
    variance). nn's kernel runs, on host and CUDA tensors. Unlike cudnn.torch (whose cuDNN call
    refused both), ``affine=False`` and a backward pass in evaluate mode work.

    Args:
        nFeature: number of feature maps.
        eps: added to the variance (default 1e-5).
        momentum: weight of the new batch in the running estimates (default 0.1).
        affine: learn ``weight`` (init U(0, 1)) and ``bias`` (init 0) (default True).

    Shape:
        ``(N, nFeature, T, H, W)``; in evaluate mode also ``(nFeature, T, H, W)``. Output of the same shape.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        bn = cudnn.VolumetricBatchNormalization(16).cuda()
        y = bn.forward(torch.randn(2, 16, 4, 8, 8).cuda())
    """

    _typename = "cudnn.VolumetricBatchNormalization"
    _nn_twin = nn.VolumetricBatchNormalization
    _convertible = True

    def __init__(self, nFeature: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True) -> None:
        super().__init__(nFeature, eps, momentum, affine)
