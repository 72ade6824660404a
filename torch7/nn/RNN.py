"""nn.RNN: a whole-sequence tanh RNN layer (torch-rnn's VanillaRNN)."""

from __future__ import annotations

from ._recurrent import _Recurrent
from .functional import recurrent as F


class RNN(_Recurrent):
    """Elman RNN with tanh over whole sequences: ``h_t = tanh(x_t W_x + h_{t-1} W_h + b)``.

    The same computation and fields as jcjohnson/torch-rnn's ``nn.VanillaRNN`` (that class name is
    ``nn.VanillaRNN`` here too, so its files load).

    Args:
        inputSize: D. hiddenSize: H. rememberStates: as for nn.LSTM.

    Shape:
        input ``x`` ``(N, T, D)`` or ``[h0, x]``; output ``(N, T, H)``; ``gradInput`` ``grad_x`` or
        ``[grad_h0, grad_x]``. ``weight`` is ``(D + H) x H`` (PyTorch's ``weight_ih_l0`` and
        ``weight_hh_l0`` transposed and stacked), ``bias`` ``H`` (``bias_ih + bias_hh``).
        ``reset(std)``: weight ~ N(0, std), default ``1/sqrt(D+H)``, bias 0.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.RNN(3, 4)
        >>> m
        nn.RNN(3 -> 4)
        >>> m.forward([torch.zeros(2, 4), torch.randn(2, 5, 3)]).size()
        torch.Size([2, 5, 4])
    """

    def updateOutput(self, input):
        self.recompute_backward = True
        (h0,), x = self._unpack(input)
        xa = self._x(x)
        n, t, _ = xa.shape
        h = self.hidden_dim
        h0a = self._initial("h0", h0, n)
        F.rnn_forward(xa, self.weight._a, self.bias._a, h0a, self._buf("output", (n, t, h)),
                      self._buf("buffer2", (n, h)))
        return self.output

    def _backward(self, input, gradOutput) -> None:
        (h0,), x = self._unpack(input)
        xa = self._x(x)
        n, t, _ = xa.shape
        h = self.hidden_dim
        F.rnn_backward(xa, self.weight._a, self.output._a, self._grad_out(gradOutput, n, t),
                       self._buf("grad_a_buffer", (n, t, h)), self._grad_x_buf(xa.shape),
                       self._buf("grad_h0", (n, h)), self._buf("_whT", (h, h)))
        self._set_grad_input([h0])
