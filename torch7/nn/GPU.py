"""nn.GPU: hosts a module (its parameters and its computation) on one CUDA device."""

from __future__ import annotations

from torch7._core import types as T
from torch7._core.backend import check_typename
from torch7._core.tensor import Tensor

from .Container import Container, rethrow
from .Module import Module


def _is_cuda(typename) -> bool:
    return isinstance(typename, str) and typename.startswith("torch.Cuda")


def _to_device(x, device: int):
    """``x`` (a tensor or a list of them) with every CUDA tensor on ``device``: copied there when it
    lives on another device (cutorch's peer copy), itself otherwise."""
    if isinstance(x, (list, tuple)):
        return type(x)(_to_device(v, device) for v in x)
    if not isinstance(x, Tensor) or not x._is_cuda or x.getDevice() == device:
        return x
    from torch7 import cutorch

    return cutorch.withDevice(device, lambda: type(x)._new(type(x)._xp.copy(x._a)))


def _device_of(x, default: int) -> int:
    if isinstance(x, (list, tuple)):
        return _device_of(x[0], default) if x else default
    return x.getDevice() if isinstance(x, Tensor) and x._is_cuda else default


class GPU(Container):
    """Decorates ``module`` so that it runs on CUDA device ``device``; output goes to ``outdevice``.

    While the module is a CPU module (any non-CUDA type) ``GPU`` only forwards every call to it,
    so a network built for several GPUs also runs, unchanged, on the CPU. As a CUDA module
    (``cuda()``, ``type('torch.CudaTensor')``, or wrapping a CUDA module) its parameters are made
    on ``device``, inputs and gradients arriving from another device are copied there, the module
    runs with ``device`` current, the output is copied to ``outdevice`` and ``gradInput`` back to
    the input's device (cutorch's rules).

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

    def _run(self, fn, *args):
        """``fn(*args)`` on the wrapped module; on CUDA with ``device`` current and the tensors there."""
        if not _is_cuda(self._type):
            return rethrow(self, 0, fn, *args)
        from torch7 import cutorch

        args = tuple(_to_device(a, self.device) if isinstance(a, (Tensor, list, tuple)) else a for a in args)
        return cutorch.withDevice(self.device, lambda: rethrow(self, 0, fn, *args))

    def setDevice(self, device: int | None = None) -> GPU:
        """Set the device and move the module's tensors there (a no-op for a CPU module)."""
        self.device = self.device if device is None else device
        if _is_cuda(self._type):
            m = self.modules[0]
            for mod in m.listModules():
                for k, v in list(vars(mod).items()):
                    if isinstance(v, Tensor) or (isinstance(v, list) and v and all(isinstance(e, Tensor) for e in v)):
                        setattr(mod, k, _to_device(v, self.device))
        return self

    def updateOutput(self, input):
        out = self._run(self.modules[0].updateOutput, input)
        self.output = _to_device(out, self.outdevice) if _is_cuda(self._type) else out
        return self.output

    def updateGradInput(self, input, gradOutput):
        gin = self._run(self.modules[0].updateGradInput, input, gradOutput)
        self.gradInput = _to_device(gin, _device_of(input, self.device)) if _is_cuda(self._type) else gin
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        self._run(self.modules[0].accGradParameters, input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self._run(self.modules[0].accUpdateGradParameters, input, gradOutput, lr)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self._run(self.modules[0].sharedAccUpdateGradParameters, input, gradOutput, lr)

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
        if not _is_cuda(typename):
            return super().type(typename, tensorCache)
        from torch7 import cutorch

        cutorch.withDevice(self.device, lambda: super(GPU, self).type(typename, tensorCache))
        return self.setDevice()

    def clearState(self) -> GPU:
        for k in ("_input", "_gradOutput"):
            if k in vars(self):
                delattr(self, k)
        return super().clearState()

    def __repr__(self) -> str:
        return f"{self._typename}({self.device}) @ {self.modules[0]!r}"
