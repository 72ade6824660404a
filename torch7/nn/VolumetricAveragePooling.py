"""nn.VolumetricAveragePooling: 3-D average pooling."""

from __future__ import annotations

import numpy as np

from torch7._core import backend

from .functional import vol3d
from .Module import Module
from .VolumetricConvolution import as5d


class VolumetricAveragePooling(Module):
    """Mean over ``kT x kH x kW`` windows.

    Args:
        kT, kW, kH: window size.  dT, dW, dH: strides (default the window size).
        padT, padW, padH: implicit zero padding (default 0).
        ``ceil_mode`` (False; :meth:`ceil`/:meth:`floor`) and ``count_include_pad`` (True;
        :meth:`setCountIncludePad`/:meth:`setCountExcludePad`) as in SpatialAveragePooling.

    Shape:
        input ``(C, T, H, W)`` or ``(N, C, T, H, W)``; output ``oT = floor((T + 2 padT - kT) / dT) + 1``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.VolumetricAveragePooling(2, 2, 2)
        >>> m.forward(torch.ones(3, 4, 5, 5)).sum()
        24.0
        >>> m
        nn.VolumetricAveragePooling(2,2,2,2,2,2)
    """

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padT, self.padW, self.padH = padT or 0, padW or 0, padH or 0
        self.ceil_mode = False
        self.count_include_pad = True

    def ceil(self):
        self.ceil_mode = True
        return self

    def floor(self):
        self.ceil_mode = False
        return self

    def setCountIncludePad(self):
        self.count_include_pad = True
        return self

    def setCountExcludePad(self):
        self.count_include_pad = False
        return self

    def _geom(self, x):
        ks = (self.kT, self.kH, self.kW)
        ds = (self.dT, self.dH, self.dW)
        pads = (getattr(self, "padT", 0) or 0, getattr(self, "padH", 0) or 0, getattr(self, "padW", 0) or 0)
        for i in range(3):
            if pads[i] * 2 > ks[i]:
                raise ValueError(f"{self!r}: padding should be at most half the kernel size")
        ceil = bool(getattr(self, "ceil_mode", False))
        outs = tuple(vol3d.out_size(x.shape[2 + i], ks[i], ds[i], pads[i], 1, ceil) for i in range(3))
        if min(outs) < 1:
            raise ValueError(f"{self!r}: input of size {'x'.join(map(str, x.shape[1:]))} is too small "
                             f"(output would be {'x'.join(map(str, outs))})")
        div = vol3d.avg_divisor(x.shape[2:], outs, ks, ds, pads, getattr(self, "count_include_pad", True))
        div = backend.constant(x, div)  # a small (oT, oH, oW) table: computed on the host, kept on a device
        return outs, ks, ds, pads, div

    def updateOutput(self, input):
        x, batch = as5d(self, input)
        outs, ks, ds, pads, div = self._geom(x)
        xp = vol3d.pad3d(x, pads, outs, ks, ds, (1, 1, 1), 0)
        w = vol3d.windows(xp, outs, ks, ds, (1, 1, 1))
        shape = x.shape[:2] + outs
        self.output.resize(*(shape if batch else shape[1:]))
        o = self.output._a.reshape(shape)
        np.sum(w, axis=(2, 3, 4), out=o)
        o /= div
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, batch = as5d(self, input)
        outs, ks, ds, pads, div = self._geom(x)
        g = gradOutput._a.reshape(x.shape[:2] + outs) / div
        col = np.broadcast_to(g[:, :, None], (x.shape[0], x.shape[1], ks[0] * ks[1] * ks[2]) + outs)
        res = vol3d.col2im(col, x.shape, outs, ks, ds, pads, (1, 1, 1))
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a.reshape(x.shape), res)
        return self.gradInput

    def __repr__(self):
        s = f"{self._typename}({self.kT},{self.kW},{self.kH},{self.dT},{self.dW},{self.dH}"
        if (self.padT, self.padW, self.padH) != (0, 0, 0):
            s += f",{self.padT},{self.padW},{self.padH}"
        return s + ")"
