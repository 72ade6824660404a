"""nn.ModuleCriterion: a criterion applied after modules transform the input and/or the target."""

from __future__ import annotations

import warnings

from torch7._core import types as T
from torch7._core.backend import check_typename

from . import utils
from .Criterion import Criterion


class ModuleCriterion(Criterion):
    """``loss = criterion(inputModule(input), targetModule(target))``; either module may be None.

    ``backward`` sends the criterion's gradient back through ``inputModule``. Parameters of
    ``inputModule`` are not trained by this criterion (a warning says so when it has any).

    Args:
        criterion: the wrapped criterion.
        inputModule: applied to the input before the criterion (optional).
        targetModule: applied to the target before the criterion (optional).
        castTarget: ``type()`` also converts ``targetModule`` (default True); set False when the
            target must keep its type (e.g. class indices).

    Shape:
        input and target as the modules accept; ``gradInput`` shaped like the input.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import nn
        >>> c = nn.ModuleCriterion(nn.MSECriterion(), nn.Identity(), nn.Identity())
        >>> c.forward(torch.Tensor([1, 2]), torch.Tensor([1, 4]))
        2.0
    """

    def __init__(self, criterion, inputModule=None, targetModule=None, castTarget: bool = True) -> None:
        super().__init__()
        if not isinstance(criterion, Criterion):
            raise TypeError(f"nn.ModuleCriterion: expected a criterion, got {type(criterion).__name__}")
        self.inputModule = inputModule
        self.targetModule = targetModule
        self.castTarget = True if castTarget is None else castTarget
        if inputModule is not None:
            params = inputModule.parameters()
            if params and params[0]:
                warnings.warn("nn.ModuleCriterion doesn't support parameter updates", UserWarning, stacklevel=2)
        self.criterion = criterion

    def updateOutput(self, input, target):
        if self.inputModule is not None:
            self.input = self.inputModule.forward(input)
        if self.targetModule is not None:
            self.target = self.targetModule.forward(target)
        self.output = self.criterion.forward(self._input(input), self._target(target))
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput = self.criterion.backward(self._input(input), self._target(target))
        if self.inputModule is not None:
            self.gradInput = self.inputModule.backward(input, self.gradInput)
        return self.gradInput

    def _input(self, input):
        return self.input if self.inputModule is not None else input

    def _target(self, target):
        return self.target if self.targetModule is not None else target

    def type(self, typename: str, tensorCache: dict | None = None) -> ModuleCriterion:
        T.tensor_class(typename)
        check_typename(typename, "nn.ModuleCriterion.type")
        cache = {} if tensorCache is None else tensorCache
        skip = () if self.castTarget else ("targetModule", "target")
        for k, v in list(vars(self).items()):
            if k not in skip:
                setattr(self, k, utils.recursiveType(v, typename, cache))
        return self
