"""The recurrent networks of ``autograd.model`` (plain, LSTM, GRU and fast-weights RNNs).

Each ``Recurrent*Network(opt, params)`` appends a dict of zero weights to ``params`` and returns
``(f, params)``; ``f(params, x, prevState=None)`` returns ``(output, newState)``: the last hidden state
(``outputType='last'``) or all of them as ``batch x steps x hiddenFeatures`` (``'all'``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch7 as torch

from . import util
from ._nest import options as _options
from ._nest import own as _own
from ._nest import value


def _start(opt: dict | None, kwargs: dict, params: list | None, gates: int) -> tuple[dict, int, int, str, list]:
    """``(opt, nin, nh, outputType, params)``: the options and ``params`` (a new list when None) with this
    network's ``{"W": (nin + nh) x gates*nh, "b": 1 x gates*nh}`` appended."""
    opt = _options(opt, kwargs)
    nin, nh = opt.get("inputFeatures", 10), opt.get("hiddenFeatures", 100)
    params = [] if params is None else params
    params.append({"W": torch.zeros(nin + nh, gates * nh), "b": torch.zeros(1, gates * nh)})
    return opt, nin, nh, opt.get("outputType", "last"), params


def _begin(params: Any, x: Any, prevState: dict | None) -> tuple[dict, Any, int, int, dict]:
    """``(p, x, batch, steps, prevState)`` at the start of a call: this network's weights, ``x`` as
    ``batch x steps x features`` and the previous state as a dict."""
    if value(x).dim() == 2:  # one sequence: steps x features
        x = x.view(1, value(x).size(0), value(x).size(1))
    return _own(params), x, value(x).size(0), value(x).size(1), prevState or {}


def _zeros(x: Any, *size: int) -> Any:
    return value(x).new(*size).zero()


def _last(hs: list, prevState: dict, key: str, x: Any, *size: int) -> Any:
    """The latest state: the last of ``hs``, else ``prevState[key]``, else zeros of ``size``."""
    h = hs[-1] if hs else prevState.get(key)
    return _zeros(x, *size) if h is None else h


def _output(hs: list, batch: int, hidden: int, outputType: str) -> Any:
    if outputType == "last":
        return hs[-1]
    return torch.cat([h.view(batch, 1, hidden) for h in hs], 1)


def _linear(xt: Any, hp: Any, W: Any, b: Any, batch: int, width: int) -> Any:
    """``[xt, hp] W + b`` for the whole batch."""
    return torch.cat([xt, hp], 1) @ W + torch.expand(b, batch, width)


def RecurrentNetwork(opt: dict | None = None, params: list | None = None, **kwargs: Any) -> tuple[Callable, list]:
    """An Elman RNN: ``h_t = tanh([x_t, h_{t-1}] W + b)``.

    Args:
        opt: options (also as keywords): ``inputFeatures`` [10], ``hiddenFeatures`` [100],
            ``outputType`` ('last' or 'all') ['last'].
        params: a list to append ``{"W": (in+hidden) x hidden, "b": 1 x hidden}`` to.

    Returns:
        ``(f, params)``; ``f(params, x, prevState=None) -> (output, {"h": last hidden})``.

    Example:
        >>> import torch7 as torch
        >>> f, params = RecurrentNetwork(inputFeatures=3, hiddenFeatures=4)
        >>> h, state = f(params, torch.ones(5, 3))
        >>> h.size(), sorted(state)
        (torch.Size([1, 4]), ['h'])
    """
    _, _, nh, outputType, params = _start(opt, kwargs, params, 1)

    def f(params: Any, x: Any, prevState: dict | None = None) -> tuple[Any, dict]:
        p, x, batch, steps, prevState = _begin(params, x, prevState)
        hs: list = []
        for t in range(steps):
            hp = _last(hs, prevState, "h", x, batch, nh)
            hs.append(torch.tanh(_linear(x.select(1, t), hp, p["W"], p["b"], batch, nh)))
        return _output(hs, batch, nh, outputType), {"h": hs[-1]}

    return f, params


def RecurrentLSTMNetwork(opt: dict | None = None, params: list | None = None,
                         **kwargs: Any) -> tuple[Callable, list]:
    """An LSTM: gates ``i, f, o = sigmoid(.)``, input ``g = tanh(.)`` from one ``[x_t, h_{t-1}] W + b``.

    ``c_t = f * c_{t-1} + i * g`` and ``h_t = o * tanh(c_t)``; the 4 groups of ``W``'s columns are, in
    order, the input, forget and output gates and the input value.

    Args:
        opt: options (also as keywords): ``inputFeatures`` [10], ``hiddenFeatures`` [100], ``outputType`` ['last'].
        params: a list to append ``{"W": (in+hidden) x 4*hidden, "b": 1 x 4*hidden}`` to.

    Returns:
        ``(f, params)``; ``f(params, x, prevState=None) -> (output, {"h": ..., "c": ...})``.

    Example:
        >>> import torch7 as torch
        >>> f, params = RecurrentLSTMNetwork(inputFeatures=3, hiddenFeatures=4, outputType="all")
        >>> f(params, torch.ones(2, 5, 3))[0].size()
        torch.Size([2, 5, 4])
    """
    _, _, nh, outputType, params = _start(opt, kwargs, params, 4)

    def f(params: Any, x: Any, prevState: dict | None = None) -> tuple[Any, dict]:
        p, x, batch, steps, prevState = _begin(params, x, prevState)
        hs: list = []
        cs: list = []
        for t in range(steps):
            hp = _last(hs, prevState, "h", x, batch, nh)
            cp = _last(cs, prevState, "c", x, batch, nh)
            dots = _linear(x.select(1, t), hp, p["W"], p["b"], batch, 4 * nh).view(batch, 4, nh)
            sigmoids = util.sigmoid(dots.narrow(1, 0, 3))
            inputGate, forgetGate, outputGate = sigmoids.select(1, 0), sigmoids.select(1, 1), sigmoids.select(1, 2)
            inputValue = torch.tanh(dots.narrow(1, 3, 1)).select(1, 0)
            cs.append(forgetGate * cp + inputGate * inputValue)
            hs.append(outputGate * torch.tanh(cs[-1]))
        return _output(hs, batch, nh, outputType), {"h": hs[-1], "c": cs[-1]}

    return f, params


def RecurrentGRUNetwork(opt: dict | None = None, params: list | None = None,
                        **kwargs: Any) -> tuple[Callable, list]:
    """A GRU as torch-autograd writes it: gates ``r, z = sigmoid([x_t, h] W + b)``.

    ``v = tanh([x_t, r * h] V + c)`` and ``h_t = (1 - z) * h + z * v``.

    Args:
        opt: options (also as keywords): ``inputFeatures`` [10], ``hiddenFeatures`` [100], ``outputType`` ['last'].
        params: a list to append ``{"W": (in+hidden) x 2*hidden, "b": 1 x 2*hidden, "V": (in+hidden) x hidden,
            "c": 1 x hidden}`` to.

    Returns:
        ``(f, params)``; ``f(params, x, prevState=None) -> (output, {"h": last hidden})``.

    Example:
        >>> import torch7 as torch
        >>> f, params = RecurrentGRUNetwork(inputFeatures=3, hiddenFeatures=4)
        >>> f(params, torch.ones(5, 3))[0].size()
        torch.Size([1, 4])
    """
    _, nin, nh, outputType, params = _start(opt, kwargs, params, 2)
    params[-1].update({"V": torch.zeros(nin + nh, nh), "c": torch.zeros(1, nh)})

    def f(params: Any, x: Any, prevState: dict | None = None) -> tuple[Any, dict]:
        p, x, batch, steps, prevState = _begin(params, x, prevState)
        hs: list = []
        for t in range(steps):
            xt = x.select(1, t)
            hp = _last(hs, prevState, "h", x, batch, nh)
            dots = _linear(xt, hp, p["W"], p["b"], batch, 2 * nh).view(batch, 2, nh)
            sigmoids = util.sigmoid(dots)
            inputGate, forgetGate = sigmoids.select(1, 0), sigmoids.select(1, 1)
            inputValue = torch.tanh(_linear(xt, hp * inputGate, p["V"], p["c"], batch, nh))
            hs.append((1 - forgetGate) * hp + forgetGate * inputValue)
        return _output(hs, batch, nh, outputType), {"h": hs[-1]}

    return f, params


def RecurrentFWNetwork(opt: dict | None = None, params: list | None = None,
                       **kwargs: Any) -> tuple[Callable, list]:
    """An RNN with fast weights (Ba et al. 2016), as torch-autograd writes it.

    ``A = lambda * A_prev + eta * h_prev^T h_prev`` once per call; then per step ``d = [x_t, h_{t-1}] W + b``
    and ``h`` starts at zeros and is updated ``S + 1`` times by ``h = ReLU(d + h A)``.

    Args:
        opt: options (also as keywords): ``inputFeatures`` [10], ``hiddenFeatures`` [100], ``lambda`` [0.9],
            ``eta`` [0.5], ``S`` [1], ``outputType`` ['last'].
        params: a list to append ``{"W": (in+hidden) x hidden, "b": 1 x hidden}`` to.

    Returns:
        ``(f, params)``; ``f(params, x, prevState=None) -> (output, {"h": last hidden})``
        (``prevState`` may also carry the fast weights ``"A"``; they are not returned, as in torch-autograd).

    Example:
        >>> import torch7 as torch
        >>> f, params = RecurrentFWNetwork(inputFeatures=3, hiddenFeatures=4)
        >>> f(params, torch.ones(5, 3))[0].size()
        torch.Size([1, 4])
    """
    from torch7 import autograd

    opt, _, nh, outputType, params = _start(opt, kwargs, params, 1)
    lam, eta, S = opt.get("lambda", 0.9), opt.get("eta", 0.5), opt.get("S", 1)
    relu = autograd.nn.ReLU()

    def f(params: Any, x: Any, prevState: dict | None = None) -> tuple[Any, dict]:
        p, x, batch, steps, prevState = _begin(params, x, prevState)
        hp = _last([], prevState, "h", x, batch, nh)
        A = _last([], prevState, "A", x, nh, nh) * lam + (hp.t() @ hp) * eta
        hs: list = []
        for t in range(steps):
            hp = hs[-1] if hs else hp
            dot = _linear(x.select(1, t), hp, p["W"], p["b"], batch, nh)
            h = _zeros(x, batch, nh)
            for _ in range(S + 1):
                h = relu(dot + h @ A)
            hs.append(h)
        return _output(hs, batch, nh, outputType), {"h": hs[-1]}

    return f, params
