"""autograd.module: torch-autograd's functional layers (layer norm, masked batch norm, soft attention).

Each constructor appends its parameters (a dict of tensors) to ``params`` and returns ``(f, params)``
(``MaskedBatchNormalization`` also returns its running-statistics state). ``f(params, ...)`` accepts the
whole list (its first entry is used) or the dict itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch7 as torch

from ._nest import options as _options
from ._nest import own as _own
from ._nest import value


def _layer_norm(p: dict, x: Any, eps: float = 1e-5) -> Any:
    x_in = x.view(1, value(x).size(0)) if value(x).dim() == 1 else x
    size = value(x_in).size()
    n = size[1]
    mean = torch.expand(torch.mean(x_in, 1), size)
    centered = x_in - mean
    std = torch.expand(torch.sqrt(torch.sum(centered * centered / n, 1) + eps), size)
    normed = centered / std
    out = normed * torch.expand(p["gain"], size) + torch.expand(p["bias"], size)
    return out.view(value(x).size())


def LayerNormalization(opt: dict | None = None, params: list | None = None,
                       **kwargs: Any) -> tuple[Callable, list]:
    """Layer normalization (Ba, Kiros and Hinton 2016): each row scaled to zero mean and unit deviation.

    ``f(params, x, eps=1e-5)`` returns ``gain * (x - mean) / sqrt(var + eps) + bias`` with the mean and the
    (biased) variance of each row of ``x`` (``batch x nOutputs``, or one ``nOutputs`` vector).

    Args:
        opt: options (also as keywords): ``nOutputs`` [10].
        params: a list to append ``{"gain": ones(1, nOutputs), "bias": zeros(1, nOutputs)}`` to.

    Returns:
        ``(f, params)``.

    Example:
        >>> import torch7 as torch
        >>> f, params = LayerNormalization(nOutputs=2)
        >>> [round(v, 3) for v in f(params, torch.Tensor([1.0, 3.0])).tolist()]
        [-1.0, 1.0]
    """
    opt = _options(opt, kwargs)
    n = opt.get("nOutputs", 10)
    params = [] if params is None else params
    params.append({"gain": torch.ones(1, n), "bias": torch.zeros(1, n)})

    def layer_norm(params: Any, x: Any, eps: float | None = None) -> Any:
        return _layer_norm(_own(params), x, 1e-5 if eps is None else eps)

    return layer_norm, params


def MaskedBatchNormalization(opt: dict | None = None, params: list | None = None,
                             **kwargs: Any) -> tuple[Callable, list, dict]:
    """Batch normalization over the valid (mask 1) entries of variable-length sequences (Laurent et al. 2015).

    ``f(params, x, mask, state, eps=1e-5)``: ``x`` is ``batch x [time x] nOutputs`` and ``mask`` is
    ``batch x [time x] 1``, 1 where ``x`` is valid. With ``m = state["momentum"] * state["train"]`` and
    ``count = sum(mask)``, the batch mean ``mu = sum(mask * x) / count`` (per feature) and deviation
    ``sd = sqrt(sum((mask * (x - running_mean))^2) / count + eps)`` update
    ``running_mean = m * mu + (1 - m) * running_mean`` and ``running_std = m * sd + (1 - m) * running_std``
    (the new values, through which gradients flow); the output is
    ``gain * mask * (x - running_mean) / running_std + bias``. ``train = 0`` (evaluation) uses the stored
    statistics only. ``state`` keeps plain tensors between calls. (torch-autograd subtracts ``running_std``
    where ``running_mean`` belongs and stores graph values in ``state``; both are corrected here.)

    Args:
        opt: options (also as keywords): ``nOutputs`` [10], ``momentum`` [0.1].
        params: a list to append ``{"gain": 0.1 * ones(1, n), "bias": zeros(1, n)}`` to.

    Returns:
        ``(f, params, state)``; ``state`` = ``{"momentum", "train": 1, "running_mean", "running_std"}``.

    Example:
        >>> import torch7 as torch
        >>> f, params, state = MaskedBatchNormalization(nOutputs=2)
        >>> f(params, torch.ones(3, 2), torch.ones(3, 1), state).size()
        torch.Size([3, 2])
    """
    opt = _options(opt, kwargs)
    n = opt.get("nOutputs", 10)
    state = {"momentum": opt.get("momentum", 0.1), "train": 1,
             "running_mean": torch.zeros(1, n), "running_std": torch.ones(1, n)}
    params = [] if params is None else params
    params.append({"gain": torch.zeros(1, n).fill(0.1), "bias": torch.zeros(1, n)})

    def masked_batch_norm(params: Any, x: Any, mask: Any, state: dict, eps: float | None = None) -> Any:
        p = _own(params)
        eps = 1e-5 if eps is None else eps
        momentum = state.get("momentum", 0.1) * state.get("train", 1)  # no updates while evaluating
        x_in, mask_in = x, value(mask)
        if value(x).dim() == 3:  # fold batch and time together
            x_in = x.view(-1, value(x).size(2))
            mask_in = mask_in.contiguous().view(-1, mask_in.size(2))
        elif value(x).dim() == 1:
            x_in = x.view(1, value(x).size(0))
            mask_in = mask_in.contiguous().view(1, mask_in.size(0))
        size = value(x_in).size()
        count = torch.sum(value(mask))
        mask_in = torch.expand(mask_in, size)
        masked = x_in * mask_in
        mean = torch.sum(masked / count, 0)
        running_mean = mean * momentum + state["running_mean"] * (1 - momentum)
        centered = (masked - torch.expand(running_mean, size)) * mask_in
        std = torch.sqrt(torch.sum(centered * centered / count, 0) + eps)
        running_std = std * momentum + state["running_std"] * (1 - momentum)
        state["running_mean"] = value(running_mean).clone()
        state["running_std"] = value(running_std).clone()
        normed = centered / torch.expand(running_std, size)
        out = normed * torch.expand(p["gain"], size) + torch.expand(p["bias"], size)
        return out.view(value(x).size())

    return masked_batch_norm, params, state


def SoftAttention(opt: dict | None = None, params: list | None = None, **kwargs: Any) -> tuple[Callable, list]:
    """Deterministic soft attention (Show, Attend and Tell, Xu et al. 2015) over subject choices given a hidden state.

    ``f(params, subject, h)``: ``subject`` is ``[batch x] subjectFeatures x subjectChoices``, ``h`` is
    ``[batch x] hiddenFeatures``. The score of choice ``c`` is ``W_att_subject . subject[:, c] + (h W_att_h)[c]
    + b_att[c]`` (layer-normalized instead of ``+ b_att`` with ``layerNormalization``); ``focus`` is its softmax
    and ``attention = sum_c focus[c] * subject[:, c]``. Returns ``(attention, focus)``.

    Args:
        opt: options (also as keywords): ``hiddenFeatures`` [10], ``subjectFeatures`` [15],
            ``subjectChoices`` [20], ``layerNormalization`` [False].
        params: a list to append the weights to: ``W_att_subject`` (1 x 1 x subjectFeatures), ``W_att_h``
            (hiddenFeatures x subjectChoices) and ``b_att`` (1 x subjectChoices), or ``focus_ln_gain`` /
            ``focus_ln_bias`` instead of ``b_att`` with layer normalization.

    Returns:
        ``(f, params)``.

    Example:
        >>> import torch7 as torch
        >>> f, params = SoftAttention(hiddenFeatures=3, subjectFeatures=4, subjectChoices=5)
        >>> attention, focus = f(params, torch.ones(4, 5), torch.ones(3))
        >>> attention.size(), focus.tolist()
        (torch.Size([4]), [0.2, 0.2, 0.2, 0.2, 0.2])
    """
    from torch7 import autograd

    opt = _options(opt, kwargs)
    layerNormalization = opt.get("layerNormalization", False)
    nh, nf, nc = opt.get("hiddenFeatures", 10), opt.get("subjectFeatures", 15), opt.get("subjectChoices", 20)
    softMax = autograd.nn.SoftMax()
    p = {"W_att_subject": torch.zeros(1, 1, nf), "W_att_h": torch.zeros(nh, nc)}
    if layerNormalization:
        p["focus_ln_gain"], p["focus_ln_bias"] = torch.ones(1, nc), torch.zeros(1, nc)
    else:
        p["b_att"] = torch.zeros(1, nc)
    params = [] if params is None else params
    params.append(p)

    def soft_attention(params: Any, subject: Any, h: Any) -> tuple[Any, Any]:
        p = _own(params)
        sv = value(subject)
        subject_in = subject.view(1, sv.size(0), sv.size(1)) if sv.dim() == 2 else subject
        h_in = h.view(1, value(h).size(0)) if value(h).dim() == 1 else h
        batch, features, choices = value(subject_in).size()
        W_subject = torch.expand(p["W_att_subject"], batch, 1, features)
        subject_logit = torch.squeeze(torch.bmm(W_subject, subject_in), 1)
        focus_logit = subject_logit + h_in @ p["W_att_h"]
        if layerNormalization:
            focus_logit = _layer_norm({"gain": p["focus_ln_gain"], "bias": p["focus_ln_bias"]}, focus_logit)
        else:
            focus_logit = focus_logit + torch.expand(p["b_att"], batch, choices)
        focus = softMax(focus_logit)
        expanded = torch.expand(focus.view(batch, 1, choices), value(subject_in).size())
        attention = torch.squeeze(torch.sum(subject_in * expanded, 2), 2)
        if sv.dim() == 2:
            attention, focus = torch.squeeze(attention, 0), torch.squeeze(focus, 0)
        return attention, focus

    return soft_attention, params
