"""nn.VanillaRNN: torch-rnn's name for the tanh RNN layer (the class of its ``.t7`` files)."""

from __future__ import annotations

from .RNN import RNN


class VanillaRNN(RNN):
    """jcjohnson/torch-rnn's ``nn.VanillaRNN``: the same layer as :class:`nn.RNN`, saved under this name.

    Args:
        inputSize: D. hiddenSize: H. rememberStates: start from the last sequence's final state.

    Shape:
        input ``(N, T, D)`` or ``[h0, x]``; output ``(N, T, H)``; ``weight`` ``(D + H) x H``, ``bias`` ``H``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.VanillaRNN(3, 4)
        >>> m, torch.typename(m)
        (nn.VanillaRNN(3 -> 4), 'nn.VanillaRNN')
        >>> m.forward(torch.randn(2, 5, 3)).size()
        torch.Size([2, 5, 4])
    """
