"""nn.VolumetricFractionalMaxPooling: pseudo-random overlapping 3-D max pooling (Graham 2014)."""

from __future__ import annotations

import math

import numpy as np

from torch7._core import backend

from .functional import vol3d
from .Module import Module


def _sz(t) -> str:
    return "x".join(str(s) for s in t.size()) or "[empty]"


class VolumetricFractionalMaxPooling(Module):
    """Max over ``poolSizeH x poolSizeW x poolSizeT`` windows placed at pseudo-random fractional strides.

    As in Torch7's THNN kernel the input planes are laid out ``H x W x T`` (time LAST).

    Args:
        poolSizeT, poolSizeW, poolSizeH: window size (each >= 2).
        outT, outW, outH (integers >= 1): exact output size; or
        ratioT, ratioW, ratioH (in (0, 1)): output ``floor(size * ratio)`` per dimension.

    Shape:
        input ``(C, H, W, T)`` or ``(N, C, H, W, T)``; output ``(C, outH, outW, outT)`` (batched likewise).
        ``randomSamples`` ``(N, C, 3)`` in [0, 1) (order T, W, H) are redrawn every forward unless
        :meth:`fixPoolingRegions` was called. ``indices`` hold 0-based flat positions ``(h*W + w)*T + t``
        in each input plane (Torch7 stored them 1-based; the .t7 loader converts).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3)
        >>> m.forward(torch.randn(2, 5, 5, 5)).size()
        torch.Size([2, 3, 3, 3])
        >>> m
        nn.VolumetricFractionalMaxPooling(3x3, 3,2)
    """

    def __init__(self, poolSizeT, poolSizeW, poolSizeH, arg1, arg2, arg3):
        super().__init__()
        if min(poolSizeT, poolSizeW, poolSizeH) < 2:
            raise ValueError("nn.VolumetricFractionalMaxPooling: pool sizes must be >= 2")
        self.poolSizeT, self.poolSizeW, self.poolSizeH = poolSizeT, poolSizeW, poolSizeH
        self.randomSamples = None
        self.newRandomPool = False
        if arg1 >= 1 and arg2 >= 1 and arg3 >= 1:
            self.outT, self.outW, self.outH = int(arg1), int(arg2), int(arg3)
        else:
            self.ratioT, self.ratioW, self.ratioH = arg1, arg2, arg3
            if not all(0 < r < 1 for r in (arg1, arg2, arg3)):
                raise ValueError("nn.VolumetricFractionalMaxPooling: ratios must be in (0, 1)")

    def fixPoolingRegions(self, val=True):
        self.newRandomPool = val
        return self

    def _x(self, input):
        a = input._a
        if a.ndim not in (4, 5) or a.size == 0:
            raise ValueError(f"{self!r}: expected a 4D (C x H x W x T) or 5D (N x C x H x W x T) input, "
                             f"got size {_sz(input)}")
        return (a if a.ndim == 5 else a[None]), a.ndim == 5

    def _outs(self, x):
        h, w, t = x.shape[2:]
        if getattr(self, "ratioW", None) is not None:
            outs = (math.floor(h * self.ratioH), math.floor(w * self.ratioW), math.floor(t * self.ratioT))
            if min(outs) < 1:
                raise ValueError(f"{self!r}: reduction ratio or input size too small")
        else:
            outs = (self.outH, self.outW, self.outT)
        pools = (self.poolSizeH, self.poolSizeW, self.poolSizeT)
        for o, p, n in zip(outs, pools, (h, w, t)):
            if o + p - 1 >= n:  # Torch7's (strict) check
                raise ValueError(f"{self!r}: input of size {'x'.join(map(str, x.shape[1:]))} is too small for "
                                 f"output {'x'.join(map(str, outs))} with pool {'x'.join(map(str, pools))}")
        return outs, pools

    def _samples(self, input, x):
        n, c = x.shape[:2]
        rs = self.randomSamples
        if rs is None or rs._a.shape[:2] != (n, c):
            self.randomSamples = input.new().resize(n, c, 3).uniform()
        elif not self.newRandomPool:
            rs.uniform()

    def updateOutput(self, input):
        x, batch = self._x(input)
        self._samples(input, x)
        (oh, ow, ot), (ph, pw, pt) = self._outs(x)
        n, c, h, w, t = x.shape
        s = self.randomSamples._a.reshape(n * c, 3)
        st = vol3d.intervals(s[:, 0], t, ot, pt)
        sw = vol3d.intervals(s[:, 1], w, ow, pw)
        sh = vol3d.intervals(s[:, 2], h, oh, ph)
        ar = backend.xp(x).arange
        ih = (sh[:, :, None] + ar(ph))[:, :, None, None, :, None, None]
        iw = (sw[:, :, None] + ar(pw))[:, None, :, None, None, :, None]
        it = (st[:, :, None] + ar(pt))[:, None, None, :, None, None, :]
        flat = ((ih * w + iw) * t + it).reshape(n * c, oh, ow, ot, -1)
        win = np.take_along_axis(x.reshape(n * c, -1), flat.reshape(n * c, -1), 1).reshape(flat.shape)
        arg = win.argmax(-1)[..., None]
        shape = (n, c, oh, ow, ot)
        self.output.resize(*(shape if batch else shape[1:]))
        np.copyto(self.output._a.reshape(shape), np.take_along_axis(win, arg, -1).reshape(shape))
        if not isinstance(getattr(self, "indices", None), input._long_cls):  # a CudaLongTensor on the GPU
            self.indices = input._long_cls()
        self.indices.resize(*(shape if batch else shape[1:]))
        np.copyto(self.indices._a.reshape(shape), np.take_along_axis(flat, arg, -1).reshape(shape))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.randomSamples is None:
            raise ValueError(f"{self!r}: must call updateOutput/forward first")
        x, batch = self._x(input)
        n, c = x.shape[:2]
        plane = x.shape[2] * x.shape[3] * x.shape[4]
        idx = self.indices._a.reshape(n, c, -1).astype(np.int64, copy=False)
        self.gradInput.resizeAs(input)
        g = vol3d.scatter_planes(gradOutput._a.reshape(n, c, -1), idx, n, c, plane, x.dtype)
        np.copyto(self.gradInput._a.reshape(n, c, plane), g)
        return self.gradInput

    def clearState(self):
        self.indices = None
        self.randomSamples = None
        return super().clearState()

    def __repr__(self):
        def v(a, b):
            x = getattr(self, a, None)
            return x if x is not None else getattr(self, b)
        return (f"{self._typename}({v('outT', 'ratioT')}x{v('outW', 'ratioW')}, "
                f"{v('outH', 'ratioH')},{self.poolSizeT})")
