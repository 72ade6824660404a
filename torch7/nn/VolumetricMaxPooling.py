"""nn.VolumetricMaxPooling: 3-D max pooling with 0-based argmax ``indices``."""

from __future__ import annotations

import numpy as np

import torch7 as torch

from .functional import vol3d
from .Module import Module
from .VolumetricConvolution import as5d


class VolumetricMaxPooling(Module):
    """Max over ``kT x kH x kW`` windows (padding counts as -inf), with floor (default) or ceil sizes.

    Args:
        kT, kW, kH: window size.  dT, dW, dH: strides (default the window size).
        padT, padW, padH: implicit -inf padding (default 0).

    Shape:
        input ``(C, T, H, W)`` or ``(N, C, T, H, W)``; output ``oT = floor((T + 2 padT - kT) / dT) + 1``
        (``ceil`` after :meth:`ceil`). ``indices`` (LongTensor, output-sized) holds the 0-based flat index
        ``t*H*W + h*W + w`` of each maximum in its input plane (Torch7 stored it 1-based; the .t7
        loader converts). Serialization version 2 (``ceil_mode`` absent before).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.VolumetricMaxPooling(2, 2, 2)
        >>> m.forward(torch.randn(3, 4, 5, 5)).size()
        torch.Size([3, 2, 2, 2])
        >>> m
        nn.VolumetricMaxPooling(2x2x2, 2,2,2)
    """

    _version = 2  # Torch7's __version: before 2 there was no ceil_mode (False)

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padT, self.padW, self.padH = padT or 0, padW or 0, padH or 0
        self.ceil_mode = False
        self.indices = torch.LongTensor()

    def ceil(self):
        self.ceil_mode = True
        return self

    def floor(self):
        self.ceil_mode = False
        return self

    def _geom(self, x):
        ks = (self.kT, self.kH, self.kW)
        ds = (self.dT, self.dH, self.dW)
        pads = (self.padT, self.padH, self.padW)
        dils = (getattr(self, "dilationT", 1), getattr(self, "dilationH", 1), getattr(self, "dilationW", 1))
        for i in range(3):
            if pads[i] * 2 > ks[i]:
                raise ValueError(f"{self!r}: padding should be at most half the kernel size")
        outs = tuple(vol3d.out_size(x.shape[2 + i], ks[i], ds[i], pads[i], dils[i], self.ceil_mode)
                     for i in range(3))
        if min(outs) < 1:
            raise ValueError(f"{self!r}: input of size {'x'.join(map(str, x.shape[1:]))} is too small "
                             f"(output would be {'x'.join(map(str, outs))})")
        return outs, ks, ds, pads, dils

    def updateOutput(self, input):
        x, batch = as5d(self, input)
        g = self._geom(x)
        self.itime, self.iheight, self.iwidth = x.shape[2:]
        vals, idx = vol3d.max_pool(x, *g)
        shape = vals.shape if batch else vals.shape[1:]
        self.output.resize(*shape)
        np.copyto(self.output._a, vals.reshape(shape))
        if not isinstance(self.indices, input._long_cls):  # a CudaLongTensor on the GPU
            self.indices = input._long_cls()
        self.indices.resize(*shape)
        np.copyto(self.indices._a, idx.reshape(shape))
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, batch = as5d(self, input)
        n, c = x.shape[:2]
        plane = x.shape[2] * x.shape[3] * x.shape[4]
        go = gradOutput._a.reshape((n, c, -1))
        idx = self.indices._a.reshape((n, c, -1)).astype(np.int64, copy=False)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a.reshape(n, c, plane), vol3d.scatter_planes(go, idx, n, c, plane, x.dtype))
        return self.gradInput

    def clearState(self):
        if self.indices is not None:
            self.indices.set()
        return super().clearState()

    def __repr__(self):
        s = f"{self._typename}({self.kT}x{self.kW}x{self.kH}, {self.dT},{self.dW},{self.dH}"
        if (self.padT, self.padW, self.padH) != (0, 0, 0):
            s += f", {self.padT},{self.padW},{self.padH}"
        return s + self._extra_repr() + ")"

    def _extra_repr(self):
        return ""
