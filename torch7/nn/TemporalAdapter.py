"""nn.TemporalAdapter: apply a module made for (N, A) batches to every step of (N, T, A) sequences."""

from __future__ import annotations

from .Module import Module


class TemporalAdapter(Module):
    """Run ``module`` on ``(N, T, A)`` input viewed as ``(N*T, A)`` and view its output back as ``(N, T, B)``.

    jcjohnson/torch-rnn's ``nn.TemporalAdapter``: the fields ``view_in``, ``view_out`` (two
    ``nn.View``) and ``net`` (``nn.Sequential`` of ``view_in``, ``module``, ``view_out``) are
    torch-rnn's; parameters, training mode and updates are those of ``net``. No data is copied:
    the input must be contiguous (as for ``nn.View``).

    Args:
        module: a module taking ``(M, A)`` and returning ``(M, B)``.

    Shape:
        input ``(N, T, A)``; output ``(N, T, B)``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> m = nn.TemporalAdapter(nn.Linear(3, 2))
        >>> m
        nn.TemporalAdapter: nn.Linear(3 -> 2)
        >>> m.forward(torch.ones(4, 5, 3)).size()
        torch.Size([4, 5, 2])
    """

    def __init__(self, module: Module) -> None:
        super().__init__()
        from torch7 import nn

        if not isinstance(module, Module):
            raise TypeError(f"nn.TemporalAdapter: expected an nn module, got {type(module).__name__}")
        self.view_in = nn.View(1, -1).setNumInputDims(3)
        self.view_out = nn.View(1, -1).setNumInputDims(2)
        self.net = nn.Sequential().add(self.view_in).add(module).add(self.view_out)

    def updateOutput(self, input):
        size = input.size() if hasattr(input, "size") else None
        if size is None or len(size) != 3:
            got = "x".join(str(s) for s in size) if size is not None else type(input).__name__
            raise ValueError(f"nn.TemporalAdapter: input must be N x T x A, got {got or '[empty]'}")
        n, t = size[0], size[1]
        self.view_in.resetSize(n * t, -1)
        self.view_out.resetSize(n, t, -1)
        self.output = self.net.updateOutput(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.net.updateGradInput(input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale: float = 1) -> None:
        self.net.accGradParameters(input, gradOutput, scale)

    def backward(self, input, gradOutput, scale: float = 1):
        self.gradInput = self.net.backward(input, gradOutput, scale)
        return self.gradInput

    def accUpdateGradParameters(self, input, gradOutput, lr: float) -> None:
        self.net.accUpdateGradParameters(input, gradOutput, lr)

    def parameters(self) -> tuple[list, list]:
        return self.net.parameters()

    def zeroGradParameters(self) -> None:
        self.net.zeroGradParameters()

    def updateParameters(self, learningRate: float) -> None:
        self.net.updateParameters(learningRate)

    def training(self) -> TemporalAdapter:
        self.net.training()
        return super().training()

    def evaluate(self) -> TemporalAdapter:
        self.net.evaluate()
        return super().evaluate()

    def reset(self, stdv: float | None = None) -> TemporalAdapter:
        self.net.reset(stdv)
        return self

    def clearState(self) -> TemporalAdapter:
        self.net.clearState()
        return super().clearState()

    def __repr__(self) -> str:
        return f"{self._typename}: {self.net.modules[1]!r}"
