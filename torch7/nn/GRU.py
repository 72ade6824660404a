"""nn.GRU: a whole-sequence GRU layer in torch-rnn's style, with PyTorch's nn.GRU formula."""

from __future__ import annotations

from ._recurrent import _Recurrent
from .functional import recurrent as F


class GRU(_Recurrent):
    """Gated recurrent unit over whole sequences, computing exactly what PyTorch's ``nn.GRU`` computes.

    For each step, with gate blocks r, z, n (in that order)::

        r = sigmoid(x_t W_xr + h_{t-1} W_hr + b_r)
        z = sigmoid(x_t W_xz + h_{t-1} W_hz + b_z)
        n = tanh(x_t W_xn + b_xn + r * (h_{t-1} W_hn + b_hn))
        h_t = (1 - z) * n + z * h_{t-1}

    Layout: ``weight`` is ``(D + H) x 3H`` (rows ``:D`` for x, ``D:`` for h; PyTorch's
    ``weight_ih_l0`` / ``weight_hh_l0`` transposed, same gate order), ``bias`` is ``4H``:
    ``b_r, b_z`` (PyTorch's ``bias_ih + bias_hh`` for those gates), ``b_xn`` (``bias_ih``'s n block)
    and ``b_hn`` (``bias_hh``'s n block, which r multiplies). ``gates`` ``(N, T, 4H)`` keeps r, z, n
    and ``h W_hn + b_hn`` for the backward. (The GRU of some torch-rnn forks applies r before the
    product instead, with a 3H bias: such a file loads, but its forward raises NotImplementedError.)

    Args:
        inputSize: D. hiddenSize: H. rememberStates: as for nn.LSTM.

    Shape:
        input ``x`` ``(N, T, D)`` or ``[h0, x]``; output ``(N, T, H)``; ``gradInput`` ``grad_x`` or
        ``[grad_h0, grad_x]``. ``reset(std)``: weight ~ N(0, std), default ``1/sqrt(D+H)``, bias 0.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.GRU(3, 4)
        >>> m, m.weight.size(), m.bias.size()
        (nn.GRU(3 -> 4), torch.Size([7, 12]), torch.Size([16]))
        >>> m.forward(torch.randn(2, 5, 3)).size()
        torch.Size([2, 5, 4])
    """

    _k = 3
    _extra_bias = 1

    def __init__(self, inputSize: int, hiddenSize: int, rememberStates: bool = False) -> None:
        super().__init__(inputSize, hiddenSize, rememberStates)
        self.gates = self.weight.new()

    def updateOutput(self, input):
        self.recompute_backward = True
        (h0,), x = self._unpack(input)
        xa = self._x(x)
        n, t, _ = xa.shape
        h = self.hidden_dim
        if self.bias._a.shape != (4 * h,):
            raise NotImplementedError(f"{self!r}: a bias of {self.bias.nElement()} entries (expected {4 * h}): "
                                      "the 3H-bias GRU of torch-rnn forks (r applied before W_hn) is not implemented")
        h0a = self._initial("h0", h0, n)
        F.gru_forward(xa, self.weight._a, self.bias._a, h0a, self._buf("output", (n, t, h)),
                      self._buf("gates", (n, t, 4 * h)), self._buf("buffer2", (n, 3 * h)))
        return self.output

    def _backward(self, input, gradOutput) -> None:
        (h0,), x = self._unpack(input)
        xa = self._x(x)
        n, t, _ = xa.shape
        h = self.hidden_dim
        F.gru_backward(xa, self.weight._a, self._stored_initial("h0", h0), self.output._a, self.gates._a,
                       self._grad_out(gradOutput, n, t), self._buf("grad_a_buffer", (n, t, 3 * h)),
                       self._buf("_grad_ah", (n, t, 3 * h)), self._grad_x_buf(xa.shape),
                       self._buf("grad_h0", (n, h)), self._buf("buffer1", (n, 4 * h)),
                       self._buf("_whT", (3 * h, h)))
        self._set_grad_input([h0])

    def _pre_activation_grads(self):
        return self.grad_a_buffer._a, self._grad_ah._a

    def _extra_buffers(self) -> tuple:
        return ("gates", "_grad_ah")
