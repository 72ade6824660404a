"""nn.Threshold: replace the values at or below a threshold by a constant."""

from __future__ import annotations

import numpy as np

from .functional import _numba
from .functional.activation import grad_array, nonempty, out_like, zeros_row
from .Module import Module

# Below this many elements NumPy's call is as quick as the Numba kernel's dispatch.
_NUMBA_MIN = 4096


def _flat_kernels(*arrays):
    """The Numba kernel module when every array is C-contiguous, big enough and of one float type."""
    a = arrays[0]
    if a.size < _NUMBA_MIN or any(b.dtype != a.dtype or not b.flags.c_contiguous for b in arrays):
        return None
    return _numba.kernels("activation_numba", a)


class Threshold(Module):
    """``f(x) = x`` if ``x > threshold``, else ``val``; the gradient is 0 where the input is replaced.

    Args:
        th: the threshold (default 1e-6; stored as ``threshold``).
        v: the replacement value (default 0; stored as ``val``).
        ip: work in place (default False): the output is written into the input, the gradient
            into gradOutput. In place needs ``val <= threshold``.

    Shape:
        any shape; the output has the shape of the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.Threshold(1, -5)
        >>> m.forward(torch.Tensor([0, 1, 2])).tolist()
        [-5.0, -5.0, 2.0]
        >>> m.backward(torch.Tensor([0, 1, 2]), torch.ones(3)).tolist()
        [0.0, 0.0, 1.0]
    """

    def __init__(self, th: float = 1e-6, v: float = 0, ip: bool = False) -> None:
        super().__init__()
        for name, value in (("threshold", th), ("value", v)):
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
                raise TypeError(f"{self._typename}(threshold, value): {name} must be a number, got {value!r}")
        if not isinstance(ip, (bool, np.bool_)):
            raise TypeError(f"{self._typename}: in-place flag must be boolean, got {ip!r}")
        self.threshold = th
        self.val = v
        self.inplace = bool(ip)
        self.validateParameters()

    def validateParameters(self) -> None:
        self.inplace = getattr(self, "inplace", False) or False  # files written before `inplace` existed
        if self.inplace and self.val > self.threshold:
            raise ValueError(f"{self._typename}: in-place processing requires value ({self.val:g}) not exceed "
                             f"threshold ({self.threshold:g})")

    def updateOutput(self, input):
        self.validateParameters()
        a = nonempty(self, input)
        th, v = self.threshold, self.val
        o = a if self.inplace else out_like(self.output, a)
        nb = _flat_kernels(a, o)
        if nb is not None:
            nb.threshold_forward(a.reshape(-1), o.reshape(-1), float(th), float(v))
            if self.inplace:
                self.output.set(input)
            return self.output
        if self.inplace:
            if th == 0 and v == 0:
                np.maximum(a, zeros_row(a), out=a)
            else:
                np.copyto(a, v, where=a <= th)
            self.output.set(input)
            return self.output
        if th == 0 and v == 0:  # ReLU: max(x, 0) (also keeps NaN, as x <= 0 is false for it)
            np.maximum(a, zeros_row(a), out=o)
        else:
            np.copyto(o, a)
            np.copyto(o, v, where=a <= th)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.validateParameters()
        a = input._a
        g = grad_array(self, input, gradOutput)
        gi = g if self.inplace else out_like(self.gradInput, a)
        nb = _flat_kernels(a, g, gi)
        if nb is not None:
            nb.threshold_backward(a.reshape(-1), g.reshape(-1), gi.reshape(-1), float(self.threshold))
            if self.inplace:
                self.gradInput.set(gradOutput)
            return self.gradInput
        # THNN selects (x > th ? g : 0): a NaN or inf gradient where the input was cut gives 0, not NaN.
        np.copyto(gi, np.where(a > self.threshold, g, g.dtype.type(0)))
        if self.inplace:
            self.gradInput.set(gradOutput)
        return self.gradInput
