"""The shared base of the whole-sequence recurrent modules (nn.LSTM, nn.GRU, nn.RNN, nn.VanillaRNN).

It keeps torch-rnn's fields and conventions: ``input_dim``, ``hidden_dim``, ``weight`` (D+H) x kH,
``bias``, ``h0`` (and ``c0``), ``remember_states``, ``recompute_backward``, ``grad_h0``, ``grad_x``,
``buffer1..3``, ``grad_a_buffer``; the input is ``x`` (N, T, D) or a list of initial states then
``x``. Subclasses name their state and buffer fields and call the kernels of
``torch7.nn.functional.recurrent``.
"""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch
from torch7._core.backend import ascontig
from torch7._core.tensor import Tensor

from .functional import recurrent as F
from .functional.temporal import size_str
from .Module import REGISTRY, Module


class _Recurrent(Module):
    """Base class: input unpacking, initial and remembered states, buffers, weight gradients."""

    _typename = "nn._Recurrent"

    _k = 1            # gate blocks of H columns in the weight
    _extra_bias = 0   # bias entries beyond k*H (the GRU's b_hn)
    _states = ("h0",)  # initial-state fields, in the order they come in a list input
    _sources = {"h0": "output"}  # where a remembered state is read from (its last time step)

    def __init__(self, inputSize: int, hiddenSize: int, rememberStates: bool = False) -> None:
        super().__init__()
        for name, v in (("inputSize", inputSize), ("hiddenSize", hiddenSize)):
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v <= 0:
                raise ValueError(f"{self._typename}: {name} must be a positive integer, got {v!r}")
        d, h = int(inputSize), int(hiddenSize)
        self.input_dim, self.hidden_dim = d, h
        cols = self._k * h
        self.weight = torch.Tensor(d + h, cols)
        self.gradWeight = torch.Tensor(d + h, cols).zero()
        self.bias = torch.Tensor(cols + self._extra_bias * h)
        self.gradBias = torch.Tensor(cols + self._extra_bias * h).zero()
        self.reset()
        for k in self._states:
            setattr(self, k, torch.Tensor())
            setattr(self, "grad_" + k, torch.Tensor())
        self.remember_states = bool(rememberStates)
        self.grad_x = torch.Tensor()
        for k in ("buffer1", "buffer2", "buffer3", "grad_a_buffer"):
            setattr(self, k, torch.Tensor())
        self.gradInput = [getattr(self, "grad_" + k) for k in self._states] + [self.grad_x]

    # ---- configuration ---------------------------------------------------------------------------
    @property
    def rememberStates(self) -> bool:
        """Alias of torch-rnn's ``remember_states``: start each sequence from the last one's final states."""
        return self.remember_states

    @rememberStates.setter
    def rememberStates(self, value: bool) -> None:
        self.remember_states = bool(value)

    def _default_std(self) -> float:
        return 1.0 / math.sqrt(self.input_dim + self.hidden_dim)

    def reset(self, std: float | None = None):
        """Weight ~ N(0, std) (default ``1/sqrt(D+H)``), bias zero."""
        self.bias.zero()
        self.weight.normal(0, self._default_std() if std is None else std)
        return self

    def resetStates(self) -> None:
        """Forget the remembered states: the next sequence starts from zeros."""
        for k in self._states:
            setattr(self, k, getattr(self, k).new())

    def __repr__(self) -> str:
        return f"{self._typename}({getattr(self, 'input_dim', '?')} -> {getattr(self, 'hidden_dim', '?')})"

    # ---- helpers -------------------------------------------------------------------------------------
    def _buf(self, name: str, shape: tuple) -> np.ndarray:
        """The array of the tensor field ``name``, (re)made with the weight's type and C-contiguous ``shape``."""
        t = vars(self).get(name)
        if type(t) is not type(self.weight) or not t._a.flags.c_contiguous:
            t = self.weight.new()
            setattr(self, name, t)
        if t._a.shape != shape:
            t.resize(shape)
        return t._a

    def _array(self, t, what: str, shape: tuple) -> np.ndarray:
        if not torch.isTensor(t):
            raise TypeError(f"{self!r}: {what} must be a tensor, got {type(t).__name__}")
        if type(t) is not type(self.weight):
            raise TypeError(f"{self!r}: {what} is a {t._typename} but the module is a {self.weight._typename} "
                            "(convert one of them with :type())")
        a = t._a
        if a.shape != shape:
            want = "x".join(str(s) for s in shape)
            raise ValueError(f"{self!r}: {what} must be of size {want}, got {size_str(t)}")
        return ascontig(a)

    def _unpack(self, input) -> tuple[list, Tensor]:
        """``(given initial states or None, x)`` from ``x`` or a list ``[states..., x]``."""
        ns = len(self._states)
        if torch.isTensor(input):
            return [None] * ns, input
        if isinstance(input, (list, tuple)) and 2 <= len(input) <= ns + 1:
            given = list(input[:-1])
            return [None] * (ns - len(given)) + given, input[-1]
        forms = " or ".join(["x"] + ["[" + ", ".join(self._states[ns - n:]) + ", x]" for n in range(1, ns + 1)])
        raise TypeError(f"{self!r}: input must be {forms}, got {type(input).__name__}"
                        + (f" of length {len(input)}" if isinstance(input, (list, tuple)) else ""))

    def _x(self, x) -> np.ndarray:
        if "input_dim" not in vars(self):  # e.g. Element-Research/rnn's class of the same name, loaded from a file
            raise TypeError(f"{self._typename}: no input_dim/hidden_dim fields: not a torch-rnn style layer "
                            "(Element-Research/rnn's class of this name is a different module)")
        if not torch.isTensor(x) or x._a.ndim != 3:
            got = size_str(x) if torch.isTensor(x) else type(x).__name__
            raise ValueError(f"{self!r}: x must be N x T x {self.input_dim} (batch, time, features), got {got}")
        n, t, _ = x._a.shape
        if n == 0 or t == 0:
            raise ValueError(f"{self!r}: x must have at least one sequence and one time step, got {size_str(x)}")
        return self._array(x, "x", (n, t, self.input_dim))

    def _initial(self, name: str, given, n: int) -> np.ndarray:
        """The initial state ``name`` (N, H): the given tensor, the remembered last state, or zeros."""
        if given is not None:
            return self._array(given, name, (n, self.hidden_dim))
        cur, prev = vars(self).get(name), vars(self).get(self._sources[name])
        # As torch-rnn: remember only after a first sequence (an empty state means "start from zeros").
        remembered = (self.remember_states and isinstance(cur, Tensor) and cur._a.size > 0
                      and isinstance(prev, Tensor) and prev._a.size > 0)
        if remembered and prev._a.shape[0] != n:
            raise ValueError(f"{self!r}: remember_states needs a constant batch size, got {n} after "
                             f"{prev._a.shape[0]} (call resetStates() first)")
        st = self._buf(name, (n, self.hidden_dim))
        if remembered:
            st[...] = prev._a[:, -1]
        else:
            st.fill(0)
        return st

    def _stored_initial(self, name: str, given) -> np.ndarray:
        """The initial state the last forward used (for the backward)."""
        return ascontig(given._a) if given is not None else vars(self)[name]._a

    def _grad_out(self, gradOutput, n: int, t: int) -> np.ndarray:
        return self._array(gradOutput, "gradOutput", (n, t, self.hidden_dim))

    def _grad_x_buf(self, shape):
        """The ``grad_x`` array, or ``None`` when ``gradInput`` is ``None`` (Torch7's ``m.gradInput = nil``:
        a first layer whose input gradient nobody reads, e.g. after nn.OneHot or nn.LookupTable)."""
        return None if self.gradInput is None else self._buf("grad_x", shape)

    def _set_grad_input(self, given: list) -> None:
        if self.gradInput is None:
            return
        grads = [getattr(self, "grad_" + k) for k, g in zip(self._states, given) if g is not None]
        self.gradInput = grads + [self.grad_x] if grads else self.grad_x

    # ---- gradients ------------------------------------------------------------------------------------
    def updateGradInput(self, input, gradOutput):
        self._backward(input, gradOutput)
        self.recompute_backward = False
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        """Weight and bias gradients from the pre-activation gradients of the last ``updateGradInput``."""
        if getattr(self, "recompute_backward", True):
            self.updateGradInput(input, gradOutput)
        given, x = self._unpack(input)
        xa = self._x(x)
        n, t, _ = xa.shape
        h0 = self._stored_initial("h0", given[self._states.index("h0")])
        ga_x, ga_h = self._pre_activation_grads()
        width = self.hidden_dim + (xa.shape[2] if ga_x is ga_h else 0)  # room for [x, h_prev]: one GEMM
        F.accumulate_param_grads(xa, h0, self.output._a, ga_x, ga_h, self.gradWeight._a, self.gradBias._a, scale,
                                 self._buf("_hprev", (n, t, width)),
                                 self._buf("_gw", self.weight._a.shape), self._buf("buffer3", (ga_x.shape[2],)))

    def _pre_activation_grads(self) -> tuple[np.ndarray, np.ndarray]:
        a = self.grad_a_buffer._a
        return a, a

    def clearState(self):
        names = ["output", "grad_x", "buffer1", "buffer2", "buffer3", "grad_a_buffer", "_hprev", "_gw", "_whT"]
        names += ["grad_" + k for k in self._states] + list(self._extra_buffers())
        for k in names:
            v = vars(self).get(k)
            if isinstance(v, Tensor):
                v.set()
        return self

    def _extra_buffers(self) -> tuple:
        return ()


del REGISTRY["nn._Recurrent"]  # a private base, not a Torch7 class
