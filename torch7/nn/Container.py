"""nn.Container: the abstract base of modules that hold other modules in ``self.modules``."""

from __future__ import annotations

from .Module import Module, kind_error, wrong_kind


def rethrow(container, i: int, fn, *args):
    """Call ``fn(*args)``; an error is re-raised prefixed with Torch7's 'In <i> module of <type>:'."""
    try:
        return fn(*args)
    except Exception as e:
        err = e
        child = getattr(fn, "__self__", None)
        if isinstance(child, Module) and args and isinstance(e, (AttributeError, TypeError)) and wrong_kind(
                child, e, *args[:2]):
            err = kind_error(child, e, *args[:2])
        msg = f"In {i + 1} module of {container._typename}: {err}"
        try:
            new = type(err)(msg)
        except Exception:
            new = RuntimeError(msg)
        raise new.with_traceback(e.__traceback__) from e


class Container(Module):
    """Holds children in ``modules`` (a list); ``get(i)`` is 0-based.

    Example:
        >>> from torch7 import nn
        >>> c = nn.Sequential().add(nn.Identity()).add(nn.Identity())
        >>> c.size(), c.get(1)
        (2, nn.Identity)
    """

    def __init__(self, *args) -> None:
        super().__init__()
        self.modules = []

    def add(self, module: Module) -> Container:
        self.modules.append(module)
        return self

    def get(self, index: int) -> Module:
        return self.modules[index]

    def size(self) -> int:
        return len(self.modules)

    def __len__(self) -> int:
        return len(self.modules)

    def rethrowErrors(self, module: Module, i: int, funcName: str, *args):
        return rethrow(self, i, getattr(module, funcName), *args)

    def applyToModules(self, fn) -> None:
        for m in self.modules:
            fn(m)

    def zeroGradParameters(self) -> None:
        for m in self.modules:
            m.zeroGradParameters()

    def updateParameters(self, learningRate: float) -> None:
        for m in self.modules:
            m.updateParameters(learningRate)

    def training(self) -> Container:
        for m in self.modules:
            m.training()
        return super().training()

    def evaluate(self) -> Container:
        for m in self.modules:
            m.evaluate()
        return super().evaluate()

    def share(self, mlp: Container, *names: str) -> Container:
        for a, b in zip(self.modules, mlp.modules):
            a.share(b, *names)
        return self

    def reset(self, stdv: float | None = None) -> Container:
        for m in self.modules:
            m.reset(stdv)
        return self

    def parameters(self) -> tuple[list, list]:
        params, grads = [], []
        for m in self.modules:
            p, g = m.parameters()
            params.extend(p)
            grads.extend(g)
        return params, grads

    def clearState(self) -> Container:
        # Fresh empty objects rather than set(): children may hold views of these buffers.
        if "output" in vars(self):
            self.output = self.output.new() if hasattr(self.output, "new") else []
        if "gradInput" in vars(self):
            self.gradInput = self.gradInput.new() if hasattr(self.gradInput, "new") else []
        for m in self.modules:
            m.clearState()
        return self
