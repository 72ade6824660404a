"""cudnn.SpatialCrossEntropyCriterion: a per-pixel LogSoftMax over the classes and class NLL, in one criterion."""

from __future__ import annotations

from torch7 import nn

from .SpatialLogSoftMax import SpatialLogSoftMax


def _size(t) -> str:
    return "x".join(str(s) for s in t.size()) or "0"


def check_batch(crit, input, target, nd: int) -> None:
    """cudnn.torch's checks: an ``nd``-D mini-batch of scores and an ``(nd-1)``-D target of the same N and positions."""
    if input.dim() != nd or target is None or not hasattr(target, "dim") or target.dim() != nd - 1:
        tsize = _size(target) if hasattr(target, "size") else type(target).__name__
        raise ValueError(f"{crit._typename}: mini-batch supported only: {nd}-D input and {nd - 1}-D target expected, "
                         f"got input of size {_size(input)} and target of size {tsize}")
    s, t = input.size(), target.size()
    if s[0] != t[0] or tuple(s[2:]) != tuple(t[1:]):
        raise ValueError(f"{crit._typename}: input of size {_size(input)} and target of size {_size(target)} "
                         f"do not match (expected target {'x'.join(map(str, (s[0], *s[2:])))})")


class SpatialCrossEntropyCriterion(nn.Criterion):
    """Cross-entropy at every pixel: ``cudnn.SpatialLogSoftMax`` over the classes, then ``nn.SpatialClassNLLCriterion``.

    ``loss = -sum_{n,h,w} weights[t] * log(softmax_c(input[n, :, h, w]))[t]`` with ``t = target[n, h, w]``
    (**0-based** class labels), divided by the total weight of the targets (the pixel count without
    weights) when ``sizeAverage`` (default True; copied to ``nll`` on each call), as cudnn.torch
    does. The input holds raw scores: no LogSoftMax is needed before it. Only mini-batches are
    taken, as in cudnn.torch. The fields are cudnn.torch's: ``slsm`` (the LogSoftMax), ``nll`` (the
    NLL criterion) and ``sizeAverage``. Both run nn's kernels (the cuDNN frontend has no softmax
    operation), on host and CUDA tensors.

    Args:
        weights: optional 1-D tensor of ``C`` class weights (given to ``nll``).

    Shape:
        input ``(N, C, H, W)``; target ``(N, H, W)`` of labels in ``0 .. C-1``. ``forward`` returns a number,
        ``backward`` a gradient shaped like the input.

    Example (needs CUDA and NVIDIA's cuDNN frontend to import ``torch7.cudnn``)::

        crit = cudnn.SpatialCrossEntropyCriterion().cuda()
        scores = torch.randn(2, 5, 8, 8).cuda()
        labels = torch.LongTensor(2, 8, 8).random(0, 4).cuda()
        loss = crit.forward(scores, labels)
        grad = crit.backward(scores, labels)       # 2 x 5 x 8 x 8
    """

    _typename = "cudnn.SpatialCrossEntropyCriterion"

    def __init__(self, weights=None) -> None:
        super().__init__()
        self.slsm = SpatialLogSoftMax()
        self.nll = nn.SpatialClassNLLCriterion(weights)
        self.sizeAverage = True

    def updateOutput(self, input, target):
        check_batch(self, input, target, 4)
        self.slsm.updateOutput(input)
        self.nll.sizeAverage = self.sizeAverage
        self.nll.updateOutput(self.slsm.output, target)
        self.output = self.nll.output
        return self.output

    def updateGradInput(self, input, target):
        check_batch(self, input, target, 4)
        if self.slsm.output.size() != input.size():  # backward without a forward on this input
            self.slsm.updateOutput(input)
        self.nll.sizeAverage = self.sizeAverage
        self.nll.updateGradInput(self.slsm.output, target)
        self.slsm.updateGradInput(input, self.nll.gradInput)
        self.gradInput = self.slsm.gradInput
        return self.gradInput
