"""cudnn.BatchNormalization: cudnn.torch's batch normalization of 2-D mini-batches, on nn's kernel."""

from __future__ import annotations

from torch7 import nn


class BatchNormalization(nn.BatchNormalization):
    """Batch normalization per feature of ``(N, nFeature)`` batches, as ``nn.BatchNormalization`` computes it.

    cudnn.torch's class (cuDNN's ``PER_ACTIVATION`` mode) keeps nn's fields (``weight``, ``bias``,
    ``running_mean``, ``running_var``, ``eps``, ``momentum``, ``train``, version 2), so
    ``cudnn.convert`` swaps it with ``nn.BatchNormalization`` (no copy). In training mode the batch
    statistics normalise (biased variance) and the running estimates move by ``momentum`` (the
    running variance unbiased), as both cuDNN and nn do. This package's cuDNN frontend graphs are
    not used here: nn's kernel runs, on host and CUDA tensors. Unlike cudnn.torch (whose cuDNN call
    refused both), ``affine=False`` and a backward pass in evaluate mode work.

    Args:
        nFeature: number of features.
        eps: added to the variance (default 1e-5).
        momentum: weight of the new batch in the running estimates (default 0.1).
        affine: learn ``weight`` (init U(0, 1)) and ``bias`` (init 0) (default True).

    Shape:
        ``(N, nFeature)``; in evaluate mode also ``(nFeature)``. Output of the same shape.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        bn = cudnn.BatchNormalization(64).cuda()
        y = bn.forward(torch.randn(32, 64).cuda())
    """

    _typename = "cudnn.BatchNormalization"
    _nn_twin = nn.BatchNormalization
    _convertible = True

    def __init__(self, nFeature: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True) -> None:
        super().__init__(nFeature, eps, momentum, affine)
