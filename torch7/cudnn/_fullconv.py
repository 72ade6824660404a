"""What cudnn.SpatialFullConvolution and cudnn.VolumetricFullConvolution share: transposed convolutions as cuDNN graphs.

A full (transposed) convolution is the input gradient of an ordinary one: its forward is cuDNN's
``conv_dgrad`` of the input with the ``nInputPlane x nOutputPlane x k...`` weight (Torch7's layout is
already the one dgrad reads), its input gradient is ``conv_fprop`` of gradOutput, and its weight
gradient is ``conv_wgrad`` with the roles of image and loss swapped. ``adj`` makes the output larger
than the smallest size that maps back to the input, as dgrad's explicit output size allows.
"""

from __future__ import annotations

from torch7._core.backend import ascontig
from torch7._core.tensor import Tensor

from . import _graphs
from ._conv import CudnnConvolution


class CudnnFullConvolution(CudnnConvolution):
    """Mixin placed before the nn class, as in ``cudnn.SpatialFullConvolution``."""

    def _adj(self) -> tuple:
        raise NotImplementedError

    def _out_shape(self, x) -> tuple:
        ks, ss, ps = self._geometry()
        out = [(i - 1) * s - 2 * p + k + a for i, k, s, p, a in zip(x.shape[2:], ks, ss, ps, self._adj(), strict=True)]
        if min(out) < 1:
            raise ValueError(f"{self!r}: input of size {'x'.join(map(str, x.shape))} is too small "
                             f"(output would be {'x'.join(map(str, out))})")
        return (x.shape[0], self.nOutputPlane, *out)

    def _weight(self):
        ks, _, _ = self._geometry()
        return ascontig(self.weight._a.reshape((self.nInputPlane, self.nOutputPlane, *ks)))

    @staticmethod
    def _on_device(input) -> bool:
        return isinstance(input, Tensor) and input._is_cuda  # a [input, targetSize] table takes the nn path

    def updateOutput(self, input):
        if not self._on_device(input):
            return super(CudnnConvolution, self).updateOutput(input)
        x = self._batched(input)
        batched = input._a.ndim == self._spatial + 2
        y = self._like(self.output, self._out_shape(x), batched)
        with _graphs.layer_switch(self._switch()):
            _graphs.conv_backward_data(x, self._weight(), y, *self._params())
        if getattr(self, "bias", None) is not None:
            y += self.bias._a.reshape((1, -1) + (1,) * self._spatial)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        if not self._on_device(input):
            return super(CudnnConvolution, self).updateGradInput(input, gradOutput)
        x = self._batched(input)
        dy = self._grad_out(x, gradOutput)
        dx = self._like(self.gradInput, tuple(x.shape), input._a.ndim == self._spatial + 2)
        with _graphs.layer_switch(self._switch()):
            _graphs.conv_forward(dy, self._weight(), dx, *self._params())
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        if not self._on_device(input):
            return super(CudnnConvolution, self).accGradParameters(input, gradOutput, scale)
        x = self._batched(input)
        dy = self._grad_out(x, gradOutput)
        w = self._weight()
        dw = type(self.weight)._xp.empty_like(w)
        with _graphs.layer_switch(self._switch()):
            _graphs.conv_backward_filter(dy, x, dw, *self._params())  # image: gradOutput, loss: the input
        gw = self.gradWeight._a
        gw += (dw if scale == 1 else dw * scale).reshape(gw.shape)  # scale 1 (the usual): one launch less
        if getattr(self, "gradBias", None) is not None:
            db = dy.sum(axis=(0,) + tuple(range(2, 2 + self._spatial)))
            self.gradBias._a += db if scale == 1 else db * scale
        return None
