"""nn.LSTM: torch-rnn's whole-sequence LSTM layer with fused forward and backward passes."""

from __future__ import annotations

from ._recurrent import _Recurrent
from .functional import recurrent as F


class LSTM(_Recurrent):
    """Long short-term memory over whole sequences (jcjohnson/torch-rnn's ``nn.LSTM``).

    For each step: ``a = x_t W_x + h_{t-1} W_h + b`` split into gates i, f, o, g (in that order);
    ``i, f, o = sigmoid(.)``, ``g = tanh(.)``, ``c_t = f c_{t-1} + i g``, ``h_t = o tanh(c_t)``.
    One GEMM projects all T inputs, one ``(N, H) x (H, 4H)`` GEMM per step does the recurrence,
    the gate math is fused (Numba when installed, else NumPy), and the weight gradients are two
    GEMMs after the backward loop (see ``torch7.nn.functional.recurrent``).

    Args:
        inputSize: D, features per time step.
        hiddenSize: H, the size of the hidden and cell states.
        rememberStates: start each call from the final states of the previous one (torch-rnn's
            ``remember_states`` field; ``rememberStates`` is an alias). Gradients do not flow back
            into the previous call; ``resetStates()`` starts again from zeros.

    Shape:
        input ``x`` ``(N, T, D)``, or ``[h0, x]``, or ``[c0, h0, x]`` with states ``(N, H)``;
        output ``(N, T, H)`` (every hidden state). ``gradInput`` follows the input: a tensor, or
        the list ``[grad_h0, grad_x]`` / ``[grad_c0, grad_h0, grad_x]``.
        ``weight`` is ``(D + H) x 4H`` (rows ``:D`` for x, ``D:`` for h; PyTorch's ``weight_ih_l0``
        is the transpose of the first block with gates reordered i, f, g, o), ``bias`` is ``4H``
        (PyTorch's ``bias_ih + bias_hh``). ``reset(std)``: weight ~ N(0, std), default
        ``1/sqrt(D+H)``, bias 0 except 1 for the forget gate.
        Fields kept for the backward: ``cell`` ``(N, T, H)`` and ``gates`` ``(N, T, 4H)`` (activations).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.LSTM(3, 4)
        >>> m
        nn.LSTM(3 -> 4)
        >>> x = torch.randn(2, 5, 3)
        >>> m.forward(x).size()
        torch.Size([2, 5, 4])
        >>> gi = m.backward([torch.zeros(2, 4), x], torch.ones(2, 5, 4))
        >>> [g.size() for g in gi]
        [torch.Size([2, 4]), torch.Size([2, 5, 3])]
    """

    _k = 4
    _states = ("c0", "h0")
    _sources = {"c0": "cell", "h0": "output"}

    def __init__(self, inputSize: int, hiddenSize: int, rememberStates: bool = False) -> None:
        super().__init__(inputSize, hiddenSize, rememberStates)
        self.cell = self.weight.new()
        self.gates = self.weight.new()

    def reset(self, std: float | None = None) -> LSTM:
        super().reset(std)
        h = self.hidden_dim
        self.bias._a[h:2 * h] = 1  # forget gate open at the start (torch-rnn's choice)
        return self

    def updateOutput(self, input):
        self.recompute_backward = True
        (c0, h0), x = self._unpack(input)
        xa = self._x(x)
        n, t, _ = xa.shape
        h, k = self.hidden_dim, 4 * self.hidden_dim
        c0a, h0a = self._initial("c0", c0, n), self._initial("h0", h0, n)
        out, cell = self._buf("output", (n, t, h)), self._buf("cell", (n, t, h))
        F.lstm_forward(xa, self.weight._a, self.bias._a, h0a, c0a, out, cell, self._buf("gates", (n, t, k)),
                       self._buf("buffer2", (n, k)))
        return self.output

    def _backward(self, input, gradOutput) -> None:
        (c0, h0), x = self._unpack(input)
        xa = self._x(x)
        n, t, _ = xa.shape
        h, k = self.hidden_dim, 4 * self.hidden_dim
        go = self._grad_out(gradOutput, n, t)
        F.lstm_backward(xa, self.weight._a, self._stored_initial("c0", c0), self.cell._a, self.gates._a, go,
                        self._buf("grad_a_buffer", (n, t, k)), self._grad_x_buf(xa.shape),
                        self._buf("grad_h0", (n, h)), self._buf("grad_c0", (n, h)), self._buf("buffer1", (n, k)),
                        self._buf("_whT", (k, h)))
        self._set_grad_input([c0, h0])

    def _extra_buffers(self) -> tuple:
        return ("cell", "gates")
