"""autograd.optim: every torch7 optim method for nested parameters and an autograd ``df``.

``step, states = autograd.optim.<method>(df, state, params)``: ``states`` holds one copy of ``state`` per
parameter tensor (``util.sortedFlatten(params)`` order); ``step(*args)`` calls ``df(params, *args)``, runs
``optim.<method>`` once on each parameter tensor with its gradient and state (updating it in place), and
returns what ``df`` returned (``grads, loss, ...``).

Any function of ``torch7.optim`` is reachable this way (``sgd``, ``adam``, ``adagrad``, ``rmsprop``, ``nag``,
``lbfgs``, ...); the methods that evaluate the function several times per step (``lbfgs``, ``cg``) see the
same ``(loss, grad)`` each time, as in torch-autograd.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import util

_cache: dict[str, Callable] = {}


def wrap(optimfn: Callable) -> Callable:
    """Turn ``optimfn(feval, x, config, state)`` into ``wrapped(df, state, params) -> (step, states)``.

    Args:
        optimfn: a torch7 optim method.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import optim, autograd
        >>> df = autograd(lambda p: torch.sum(p["w"] * p["w"]))
        >>> params = {"w": torch.Tensor([1.0, -2.0])}
        >>> step, states = wrap(optim.sgd)(df, {"learningRate": 0.25}, params)
        >>> grads, loss = step()
        >>> loss, params["w"].tolist()
        (5.0, [0.5, -1.0])
    """

    def wrapped(fn: Callable, state: dict, params: Any) -> tuple[Callable, list]:
        flatParams = util.sortedFlatten(params)
        states = [util.deepCopy(state) for _ in flatParams]

        def step(*args: Any) -> Any:
            out = fn(params, *args)
            grads, loss = out[0], out[1]
            flatGrads = util.sortedFlatten(grads)
            for i, grad in enumerate(flatGrads):
                optimfn(lambda x, g=grad: (loss, g), flatParams[i], states[i])
            return out

        return step, states

    wrapped.__name__ = getattr(optimfn, "__name__", "optim")
    wrapped.__doc__ = f"autograd.optim.{wrapped.__name__}(df, state, params) -> (step, states); see autograd.optim."
    return wrapped


def __getattr__(name: str) -> Callable:
    # autograd.optim.<name> for every optimization function of torch7.optim (made on first use).
    if name.startswith("__"):
        raise AttributeError(name)
    if name not in _cache:
        from torch7 import optim

        fn = getattr(optim, name, None)
        if fn is None or isinstance(fn, type) or not callable(fn) or not hasattr(fn, "__code__"):
            raise AttributeError(f"autograd.optim has no method '{name}' (torch7.optim has no such function)")
        _cache[name] = wrap(fn)
    return _cache[name]


def __dir__() -> list[str]:
    from torch7 import optim

    names = [n for n in dir(optim) if not n.startswith("_") and callable(getattr(optim, n))
             and not isinstance(getattr(optim, n), type) and hasattr(getattr(optim, n), "__code__")]
    return sorted(set(names) | {"wrap"})
