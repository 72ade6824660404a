"""nn.Criterion: the base of every loss: ``forward(input, target)`` gives a number."""

from __future__ import annotations

import copy

import torch7 as torch
from torch7._core import backend
from torch7._core import types as T
from torch7._core.backend import check_typename

from . import utils
from .Module import REGISTRY, kind_error, wrong_kind


class Criterion:
    """Base class of the criterions; subclasses define ``updateOutput`` and ``updateGradInput``.

    ``output`` is a Python number; ``gradInput`` a tensor (or a list for table inputs). While a
    ``cutorch.CudaGraph`` captures, the criteria that set their loss through ``_loss`` keep it on the
    device: ``output`` is then their 1-element ``output_tensor``.
    """

    _typename = "nn.Criterion"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_typename" not in cls.__dict__:
            cls._typename = "nn." + cls.__name__
        REGISTRY[cls._typename] = cls

    def __init__(self) -> None:
        self.gradInput = torch.Tensor()
        self.output = 0

    def updateOutput(self, input, target):
        return self.output

    def updateGradInput(self, input, target):
        return self.gradInput

    def _loss(self, total, like, divide: float | None = None):
        """``self.output = total / divide`` (``divide`` None or 0: not divided) as a number; while a
        ``cutorch.CudaGraph`` captures, as ``output_tensor``, a 1-element tensor of ``like``'s type, since
        reading a number from the device is what a capture cannot do."""
        if backend.capturing():
            buf = _fill1(getattr(self, "output_tensor", None), like, total / divide if divide else total)
            self.output_tensor = self.output = buf
            return buf
        loss = float(total)
        self.output = loss / divide if divide else loss
        return self.output

    # target defaults to None for the criterions that take none (L1Cost, DistanceRatioCriterion)
    def forward(self, input, target=None):
        return self._checked(self.updateOutput, input, target)

    def backward(self, input, target=None):
        return self._checked(self.updateGradInput, input, target)

    def _checked(self, fn, input, target):
        try:
            return fn(input, target)
        except (AttributeError, TypeError) as e:  # a table or number where the criterion reads a tensor
            if not wrong_kind(self, e, input):
                raise
            raise kind_error(self, e, input, target, "target") from e

    def __call__(self, *args, target=None):
        """``c(input, target)`` runs forward and backward; on nngraph nodes it becomes an ``nn.ModuleFromCriterion``."""
        from .Module import _graph_call

        if target is not None:
            args += (target,)
        if not args or _graph_call(args[0]):
            from torch7.nngraph.ModuleFromCriterion import ModuleFromCriterion

            return ModuleFromCriterion(self)(*args)
        if len(args) > 2:
            raise TypeError(f"{self._typename}: call with (input[, target]), got {len(args)} arguments")
        input, target = args[0], (args[1] if len(args) > 1 else None)
        self.output = self.forward(input, target)
        self.gradInput = self.backward(input, target)
        return self.output, self.gradInput

    def clone(self) -> Criterion:
        return copy.deepcopy(self)

    def type(self, typename: str, tensorCache: dict | None = None) -> Criterion:
        T.tensor_class(typename)
        check_typename(typename, f"{self._typename}.type")
        cache = {} if tensorCache is None else tensorCache
        for k, v in list(vars(self).items()):
            setattr(self, k, utils.recursiveType(v, typename, cache))
        return self

    def float(self) -> Criterion:
        return self.type("torch.FloatTensor")

    def double(self) -> Criterion:
        return self.type("torch.DoubleTensor")

    def cuda(self) -> Criterion:
        return self.type("torch.CudaTensor")

    def cudaDouble(self) -> Criterion:
        return self.type("torch.CudaDoubleTensor")

    def __repr__(self) -> str:
        return self._typename


REGISTRY["nn.Criterion"] = Criterion


def _fill1(buf, like, value):
    """``buf`` (or a new tensor of ``like``'s type, when it is not one) as a 1-element tensor holding ``value``:
    THNN's ``output_tensor`` / ``total_weight_tensor``."""
    if not torch.isTensor(buf) or type(buf) is not type(like):
        buf = like.new()
    buf.resize(1)
    buf._a[0] = value
    return buf
