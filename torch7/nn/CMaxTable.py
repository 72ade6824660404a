"""nn.CMaxTable: the element-wise maximum of a list of tensors."""

from __future__ import annotations

import numpy as np

from ._cextreme import _CExtremeTable


class CMaxTable(_CExtremeTable):
    """``output = max(input[0], input[1], ...)`` element-wise; the gradient goes to the maximal input.

    ``maxIdx`` holds, per element, the 0-based position of the input that won (the first one on
    ties); ``gradInput[i]`` is ``gradOutput`` where ``maxIdx == i`` and 0 elsewhere.

    Shape:
        input a list of tensors with the same number of elements; output sized like ``input[0]``.
        ``gradInput`` is a list of tensors sized like the inputs.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.CMaxTable()
        >>> m.forward([torch.Tensor([1, 5, 2]), torch.Tensor([4, 0, 2])]).tolist()
        [4.0, 5.0, 2.0]
        >>> m.maxIdx.tolist()
        [1.0, 0.0, 0.0]
    """

    _idx = "maxIdx"
    _beats = np.greater
