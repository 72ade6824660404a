"""nn.GPU: hosts a module (its parameters and its computation) on one CUDA device."""

from __future__ import annotations

from torch7._core import types as T
from torch7._core.backend import check_typename

from .Container import Container, rethrow
from .Module import Module

_NO_CUDA = "nn.GPU: running a module on a CUDA device is not implemented in this version (issue 9)"


def _is_cuda(typename) -> bool:
    return isinstance(typename, str) and typename.startswith("torch.Cuda")


class GPU(Container):
    """Decorates ``module`` so that it runs on CUDA device ``device``; output goes to ``outdevice``.

    While the module is a CPU module (any non-CUDA type) ``GPU`` only forwards every call to it,
    so a network built for several GPUs also runs, unchanged, on the CPU. Moving it to CUDA
    (``cuda()``, ``type('torch.CudaTensor')``, or wrapping a CUDA module) needs the CUDA backend
    and raises ``NotImplementedError`` until ``torch7.cutorch`` exists.

    Args:
        module: the module to host.
        device: the CUDA device id (0-based).
        outdevice: the device the output is returned on (default ``device``).

    Shape:
        those of ``module``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.GPU(nn.Linear(3, 2), 0)
        >>> m.forward(torch.ones(3)).size()
        torch.Size([2])
        >>> m
        nn.GPU(0) @ nn.Linear(3 -> 2)
    """

    def __init__(self, module: Module, device: int, outdevice: int | None = None) -> None:
        super().__init__()
        if isinstance(device, bool) or not isinstance(device, int):
            raise TypeError(f"nn.GPU: device must be an int (0-based device id), got {type(device).__name__}")
        if not isinstance(module, Module):
            raise TypeError(f"nn.GPU: expecting an nn.Module to decorate, got {type(module).__name__}")
        self.device = device
        self.outdevice = device if outdevice is None else outdevice
        self.modules.append(module)
        if _is_cuda(module.type()):
            self.cuda()

    def _cuda(self) -> bool:
        if _is_cuda(self._type):
            raise NotImplementedError(_NO_CUDA)
        return False

    def setDevice(self, device: int | None = None) -> GPU:
        """Set the device and move the module's tensors there (a no-op for a CPU module)."""
        self.device = self.device if device is None else device
        self._cuda()
        return self

    def updateOutput(self, input):
        self._cuda()
        self.output = rethrow(self, 0, self.modules[0].updateOutput, input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._cuda()
        self.gradInput = rethrow(self, 0, self.modules[0].updateGradInput, input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        self._cuda()
        rethrow(self, 0, self.modules[0].accGradParameters, input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        # Torch7 refuses this on the GPU path; on the CPU it is the wrapped module's update.
        self._cuda()
        rethrow(self, 0, self.modules[0].accUpdateGradParameters, input, gradOutput, lr)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self._cuda()
        rethrow(self, 0, self.modules[0].sharedAccUpdateGradParameters, input, gradOutput, lr)

    def type(self, typename: str | None = None, tensorCache: dict | None = None):
        if typename is None:
            return self._type
        check_typename(typename, "nn.GPU.type")
        # output/gradInput alias the module's: drop them rather than cast copies.
        cls = T.tensor_class(typename)
        self.output, self.gradInput = cls(), cls()
        for k in ("_input", "_gradOutput"):
            if k in vars(self):
                delattr(self, k)
        return super().type(typename, tensorCache)

    def clearState(self) -> GPU:
        for k in ("_input", "_gradOutput"):
            if k in vars(self):
                delattr(self, k)
        return super().clearState()

    def __repr__(self) -> str:
        return f"{self._typename}({self.device}) @ {self.modules[0]!r}"
