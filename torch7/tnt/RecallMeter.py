"""tnt.RecallMeter: recall of thresholded multi-label predictions, in percent."""

from __future__ import annotations

import numpy as np

from ._threshold import _ThresholdMeter


class RecallMeter(_ThresholdMeter):
    """The percentage of true labels that are predicted (score >= threshold).

    Args:
        threshold: the thresholds in [0, 1] to measure at (a list, default ``[0.5]``).
        perclass: report one recall per class instead of the recall over all labels
            (default False).

    ``add(output, target)``: ``output`` N x K class probabilities, ``target`` N x K 0/1 labels
    (k-hot); a 1-D pair is one sample. ``value(t)`` is the recall at threshold ``t`` in percent
    (100 when there were no true labels), or with ``perclass`` a tensor of K such values;
    ``value()`` is the dict ``{t: value(t)}`` over the thresholds.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> m = tnt.RecallMeter(threshold=[0.5, 0.7])
        >>> m.add(torch.Tensor([[0.6, 0.9, 0.1], [0.8, 0.2, 0.1]]), torch.Tensor([[0, 1, 0], [1, 0, 1]]))
        >>> m.value()
        {0.5: 66.66666666666666, 0.7: 66.66666666666666}
    """

    _typename = "tnt.RecallMeter"
    _total = "tpfn"  # true positives + false negatives: the true labels

    @staticmethod
    def _count(predicted: np.ndarray, positives: np.ndarray) -> np.ndarray:
        return positives.sum(axis=0)
