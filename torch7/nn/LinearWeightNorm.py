"""nn.LinearWeightNorm: a Linear layer whose weight rows are ``g * v / ||v||``."""

from __future__ import annotations

import math

import numpy as np

import torch7 as torch

from . import utils
from .Linear import Linear
from .Module import Module


class LinearWeightNorm(Linear):
    """Weight-normalised affine map (Salimans & Kingma): ``weight[j] = g[j] * v[j] / ||v[j]||``.

    The learned parameters are the direction ``v`` (``outputSize x inputSize``), the gain ``g``
    (``outputSize x 1``) and the bias; ``weight`` is recomputed from them at each forward in
    training mode (or after an update, flagged by ``dirty``).

    Args:
        inputSize: features per input sample.
        outputSize: features per output sample.
        bias: keep a bias (default True).

    Shape:
        input ``(inputSize)`` or ``(N, inputSize)``; output ``(outputSize)`` or ``(N, outputSize)``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.LinearWeightNorm(4, 2)
        >>> m.forward(torch.ones(3, 4)).size()
        torch.Size([3, 2])
        >>> bool(abs(m.weight.norm(2, 1) - m.g.abs()).max() < 1e-12)
        True
        >>> m
        nn.LinearWeightNorm(4 -> 2)
    """

    def __init__(self, inputSize: int, outputSize: int, bias: bool = True) -> None:
        Module.__init__(self)  # not Linear's constructor: the parameters are v and g
        self.outputSize = outputSize
        self.inputSize = inputSize
        self.v = torch.Tensor(outputSize, inputSize)
        self.gradV = torch.Tensor(outputSize, inputSize)
        self.weight = torch.Tensor(outputSize, inputSize)
        self.g = torch.Tensor(outputSize, 1)
        self.gradG = torch.Tensor(outputSize, 1)
        self.norm = torch.Tensor(outputSize, 1)
        self.scale = torch.Tensor(outputSize, 1)
        if bias is not None and bias is not False:
            self.bias = torch.Tensor(outputSize)
            self.gradBias = torch.Tensor(outputSize)
        self.reset()

    @staticmethod
    def fromLinear(linear: Linear) -> LinearWeightNorm:
        """A LinearWeightNorm computing the same map as ``linear`` (``g = ||W_j||``, ``v = W_j / g``)."""
        has_bias = getattr(linear, "bias", None) is not None
        m = LinearWeightNorm(linear.weight.size(1), linear.weight.size(0), has_bias)
        m.g = linear.weight.norm(2, 1)
        m.v = torch.cdiv(linear.weight, m.g.expandAs(linear.weight))
        if has_bias:
            m.bias.copy(linear.bias)
        return m

    def toLinear(self) -> Linear:
        """A plain nn.Linear with the current weight and bias."""
        self.updateWeightMatrix()
        has_bias = getattr(self, "bias", None) is not None
        m = Linear(self.inputSize, self.outputSize, has_bias).type(self._type)
        m.weight.copy(self.weight)
        if has_bias:
            m.bias.copy(self.bias)
        return m

    def parameters(self):
        if getattr(self, "bias", None) is not None:
            return [self.v, self.g, self.bias], [self.gradV, self.gradG, self.gradBias]
        return [self.v, self.g], [self.gradV, self.gradG]

    def reset(self, stdv: float | None = None) -> LinearWeightNorm:
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.inputSize)
        self.v.uniform(-stdv, stdv)
        self.g.norm(self.v, 2, 1)
        if getattr(self, "bias", None) is not None:
            self.bias.uniform(-stdv, stdv)
        self.dirty = True
        return self

    def updateWeightMatrix(self) -> None:
        """Recompute ``norm = ||v_j||``, ``scale = g / norm`` and ``weight`` when dirty or training."""
        if not (self.dirty or self.train):
            return
        v = self.v._a
        self.norm.resize(v.shape[0], 1)
        self.scale.resize(v.shape[0], 1)
        self.weight.resizeAs(self.v)
        np.sqrt(np.einsum("ij,ij->i", v, v), out=self.norm._a[:, 0])
        np.divide(self.g._a.reshape(-1, 1), self.norm._a, out=self.scale._a)
        np.multiply(v, self.scale._a, out=self.weight._a)
        self.dirty = False

    def updateOutput(self, input):
        self.updateWeightMatrix()
        return super().updateOutput(input)

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        x, go = input._a, gradOutput._a
        gw = np.outer(go, x) if x.ndim == 1 else np.matmul(go.T, x)  # d loss / d weight
        if scale != 1:
            gw *= scale
        if getattr(self, "bias", None) is not None:
            gb = self.gradBias._a
            gb += scale * (go if go.ndim == 1 else go.sum(0))
        v, norm, sc = self.v._a, self.norm._a, self.scale._a
        dg = np.einsum("ij,ij->i", gw, v)[:, None] / norm  # d loss / d g
        self.gradG._a += dg.reshape(self.gradG._a.shape)
        self.gradV._a += sc * gw - (sc * dg / norm) * v
        self.dirty = True

    def updateParameters(self, learningRate: float) -> None:
        super().updateParameters(learningRate)
        self.dirty = True

    def defaultAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        # The chain rule needs the old v, so gather the gradients aside and apply them after.
        saved = self.gradV, self.gradG, getattr(self, "gradBias", None)
        self.gradV = self.v.new().resizeAs(self.v).zero()
        self.gradG = self.g.new().resizeAs(self.g).zero()
        if saved[2] is not None:
            self.gradBias = self.bias.new().resizeAs(self.bias).zero()
        try:
            self.accGradParameters(input, gradOutput, 1)
            for p, g in zip(*self.parameters()):
                p.add(-lr, g)
        finally:
            self.gradV, self.gradG = saved[0], saved[1]
            if saved[2] is not None:
                self.gradBias = saved[2]
        self.dirty = True

    def clearState(self) -> LinearWeightNorm:
        utils.clear(self, "weight", "norm", "scale")
        self.dirty = True
        return super().clearState()

    def __repr__(self) -> str:
        s = f"{self._typename}({self.inputSize} -> {self.outputSize})"
        if getattr(self, "bias", None) is None:
            s += " without bias"
        return s
