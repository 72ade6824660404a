"""What cudnn.SpatialConvolution and cudnn.VolumetricConvolution share: the CUDA passes through cuDNN graphs.

A subclass names its spatial geometry (``_geometry()``: kernel, stride and padding per spatial dim, slowest
first) and its nn parent. CUDA tensors run through ``_graphs`` (cuDNN); host tensors run the nn parent's
kernel, so a converted network still runs, and is checked, on the CPU.
"""

from __future__ import annotations

from torch7._core.backend import ascontig

from . import _graphs


def _sz(shape) -> str:
    return "x".join(str(s) for s in shape)


class CudnnConvolution:
    """Mixin placed before the nn class: ``class SpatialConvolution(CudnnConvolution, nn.SpatialConvolution)``."""

    _spatial = 2  # spatial dims: 2 (N, C, H, W) or 3 (N, C, T, H, W)

    def _geometry(self) -> tuple[tuple, tuple, tuple]:
        raise NotImplementedError

    def _groups(self) -> int:
        return int(getattr(self, "groups", 1) or 1)

    def fastest(self, mode: bool = True):
        """Pick engines with cuDNN's thorough heuristic for this layer (``cudnn.fastest`` for all layers)."""
        self.fastest_mode = bool(mode)
        return self

    def resetMode(self):
        """Back to the default engine choice."""
        self.fastest_mode = False
        return self

    def setMode(self, fmode=None, bdmode=None, bwmode=None):
        raise NotImplementedError(f"{self._typename}:setMode: cuDNN's graph API picks engines by heuristics, so "
                                  "algorithms cannot be named; use :fastest() or cudnn.benchmark")

    # ---- shapes ------------------------------------------------------------------------------------
    def _batched(self, input, what: str = "input"):
        """The input's array with a batch dim, C-contiguous; raises naming the module and sizes."""
        a = input._a
        nd = self._spatial + 1
        if a.ndim not in (nd, nd + 1):
            raise ValueError(f"{self!r}: expected a {nd}-D or {nd + 1}-D (batch) {what}, got size {_sz(a.shape)}")
        x = a if a.ndim == nd + 1 else a[None]
        if x.shape[1] != self.nInputPlane:
            raise ValueError(f"{self!r}: {what} of size {_sz(a.shape)} has {x.shape[1]} planes, "
                             f"expected {self.nInputPlane}")
        if type(input) is not type(self.weight):
            raise TypeError(f"{self!r}: {what} is a {input._typename} but the weight is a {self.weight._typename}")
        return ascontig(x)

    def _out_shape(self, x) -> tuple:
        ks, ss, ps = self._geometry()
        out = [(i + 2 * p - k) // s + 1 for i, k, s, p in zip(x.shape[2:], ks, ss, ps, strict=True)]
        if min(out) < 1:
            raise ValueError(f"{self!r}: input of size {_sz(x.shape)} is too small (output would be {_sz(out)})")
        return (x.shape[0], self.nOutputPlane, *out)

    def _params(self) -> tuple:
        ks, ss, ps = self._geometry()
        return ps, ss, (1,) * len(ks)

    def _weight(self):
        w = self.weight._a
        g = self._groups()
        ks, _, _ = self._geometry()
        return ascontig(w.reshape((self.nOutputPlane, self.nInputPlane // g, *ks)))

    @staticmethod
    def _like(t, shape: tuple, batched: bool):
        """Resize the tensor ``t`` to ``shape`` (without the batch dim when not ``batched``); its array, batched."""
        t.resize(shape if batched else shape[1:])
        return t._a if batched else t._a[None]

    def _switch(self) -> bool:
        return bool(getattr(self, "fastest_mode", False))

    # ---- passes ------------------------------------------------------------------------------------
    def updateOutput(self, input):
        if not input._is_cuda:
            return super().updateOutput(input)
        x = self._batched(input)
        batched = input._a.ndim == self._spatial + 2
        y = self._like(self.output, self._out_shape(x), batched)
        with _graphs.layer_switch(self._switch()):
            _graphs.conv_forward(x, self._weight(), y, *self._params())
        if getattr(self, "bias", None) is not None:
            y += self.bias._a.reshape((1, -1) + (1,) * self._spatial)
        return self.output

    def _grad_out(self, x, gradOutput):
        want = self._out_shape(x)
        g = gradOutput._a
        g = g if g.ndim == len(want) else g[None]
        if tuple(g.shape) != want:
            raise ValueError(f"{self!r}: gradOutput of size {_sz(gradOutput._a.shape)}, expected {_sz(want)}")
        return ascontig(g)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        if not input._is_cuda:
            return super().updateGradInput(input, gradOutput)
        x = self._batched(input)
        dy = self._grad_out(x, gradOutput)
        dx = self._like(self.gradInput, tuple(x.shape), input._a.ndim == self._spatial + 2)
        with _graphs.layer_switch(self._switch()):
            _graphs.conv_backward_data(dy, self._weight(), dx, *self._params())
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        if not input._is_cuda:
            return super().accGradParameters(input, gradOutput, scale)
        x = self._batched(input)
        dy = self._grad_out(x, gradOutput)
        xp = type(self.weight)._xp
        w = self._weight()
        dw = xp.empty_like(w)
        with _graphs.layer_switch(self._switch()):
            _graphs.conv_backward_filter(x, dy, dw, *self._params())
        gw = self.gradWeight._a
        gw += (dw if scale == 1 else dw * scale).reshape(gw.shape)  # scale 1 (the usual): one launch less
        if getattr(self, "gradBias", None) is not None:
            axes = (0,) + tuple(range(2, 2 + self._spatial))
            db = dy.sum(axis=axes)
            self.gradBias._a += db if scale == 1 else db * scale
        return None
