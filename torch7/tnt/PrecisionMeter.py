"""tnt.PrecisionMeter: precision of thresholded multi-label predictions, in percent."""

from __future__ import annotations

import numpy as np

from ._threshold import _ThresholdMeter


class PrecisionMeter(_ThresholdMeter):
    """The percentage of predicted labels (score >= threshold) that are true labels.

    Args:
        threshold: the thresholds in [0, 1] to measure at (a list, default ``[0.5]``).
        perclass: report one precision per class instead of the precision over all labels
            (default False).

    ``add(output, target)``: ``output`` N x K class probabilities, ``target`` N x K 0/1 labels
    (k-hot); a 1-D pair is one sample. ``value(t)`` is the precision at threshold ``t`` in percent
    (100 when nothing was predicted), or with ``perclass`` a tensor of K such values;
    ``value()`` is the dict ``{t: value(t)}`` over the thresholds.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.PrecisionMeter(threshold=[0.5, 0.7])
        >>> m.add(torch.Tensor([[0.6, 0.9, 0.1], [0.8, 0.2, 0.1]]), torch.Tensor([[0, 1, 0], [1, 0, 1]]))
        >>> m.value()
        {0.5: 66.66666666666666, 0.7: 100.0}
    """

    _typename = "tnt.PrecisionMeter"
    _total = "tpfp"  # true + false positives: the labels predicted

    @staticmethod
    def _count(predicted: np.ndarray, positives: np.ndarray) -> np.ndarray:
        return predicted.sum(axis=0)
