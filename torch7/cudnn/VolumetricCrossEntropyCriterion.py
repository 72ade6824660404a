"""cudnn.VolumetricCrossEntropyCriterion: per-voxel cross-entropy, a SpatialCrossEntropyCriterion on folded volumes."""

from __future__ import annotations

from torch7 import nn

from .SpatialCrossEntropyCriterion import SpatialCrossEntropyCriterion, check_batch


class VolumetricCrossEntropyCriterion(nn.Criterion):
    """Cross-entropy at every voxel: LogSoftMax over the classes, then the class NLL, as cudnn.torch computes it.

    cudnn.torch folds T and H into one dim and hands the ``(N, C, T*H, W)`` scores and ``(N, T*H, W)``
    targets to its field ``scec``, a ``cudnn.SpatialCrossEntropyCriterion``: the loss is
    ``-sum weights[t] * log(softmax_c(input[n, :, t, h, w]))[t]`` over all voxels, divided by the total
    target weight when ``scec.sizeAverage`` (default True). This class has no ``sizeAverage`` field of its
    own, as in cudnn.torch: set ``crit.scec.sizeAverage``. Class labels are **0-based**; only
    mini-batches are taken. nn's kernels run (the cuDNN frontend has no softmax operation), on host
    and CUDA tensors.

    Args:
        weights: optional 1-D tensor of ``C`` class weights.

    Shape:
        input ``(N, C, T, H, W)``; target ``(N, T, H, W)`` of labels in ``0 .. C-1``. ``forward`` returns a
        number, ``backward`` a gradient shaped like the input.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        crit = cudnn.VolumetricCrossEntropyCriterion().cuda()
        scores = torch.randn(2, 4, 3, 8, 8).cuda()
        labels = torch.LongTensor(2, 3, 8, 8).random(0, 3).cuda()
        loss = crit.forward(scores, labels)
        grad = crit.backward(scores, labels)       # 2 x 4 x 3 x 8 x 8
    """

    _typename = "cudnn.VolumetricCrossEntropyCriterion"

    def __init__(self, weights=None) -> None:
        super().__init__()
        self.scec = SpatialCrossEntropyCriterion(weights)

    @staticmethod
    def _fold(input, target):
        n, c, t, h, w = input.size()
        return input.contiguous().view(n, c, t * h, w), target.contiguous().view(n, t * h, w)

    def updateOutput(self, input, target):
        check_batch(self, input, target, 5)
        self.scec.updateOutput(*self._fold(input, target))
        self.output = self.scec.output
        return self.output

    def updateGradInput(self, input, target):
        check_batch(self, input, target, 5)
        self.scec.updateGradInput(*self._fold(input, target))
        self.gradInput = self.scec.gradInput.view(input.size())
        return self.gradInput
