"""autograd.loss: torch-autograd's standard loss functions, written with differentiable torch7 calls.

Each takes the raw output of a network (``out``) and a target of the same size. Targets are dense: class
labels are one-hot rows (``autograd.util.oneHot`` makes them from 0-based labels), binary targets are
0/1 values. Several return ``(loss, yhat)``, the loss and the transformed output (the log-probabilities
of ``crossEntropy``, the probabilities of ``binaryCrossEntropy``), as torch-autograd does.

As in torch-autograd, ``crossEntropy`` normalizes with ``util.logSoftMax``, which takes the log-sum-exp
over *all* elements of ``out``: give it one sample (a vector) at a time, or a batch whose rows should share
one normalization.
"""

from __future__ import annotations

from typing import Any

import torch7 as torch

from . import util
from ._nest import value


def logMultinomialLoss(out: Any, target: Any) -> Any:
    """``-sum(out * target)``: the negative log-likelihood of one-hot ``target`` under log-probabilities ``out``.

    Args:
        out: log-probabilities (e.g. from ``util.logSoftMax``).
        target: one-hot (or any weights) of the same size.

    Example:
        >>> import torch7 as torch
        >>> logMultinomialLoss(torch.Tensor([-1.0, -2.0]), torch.Tensor([0.0, 1.0]))
        2.0
    """
    return -torch.sum(out * target)


def logBCELoss(out: Any, target: Any, p: float | None = None) -> Any:
    """Binary cross-entropy of probabilities ``out`` (shifted by ``p`` if given) against 0/1 ``target``.

    ``-sum(target * log(out) + (1 - target) * log(1 - out))``.

    Args:
        out: probabilities in (0, 1).
        target: 0/1 values of the same size.
        p: optional constant added to ``out`` first.

    Example:
        >>> import torch7 as torch
        >>> round(logBCELoss(torch.Tensor([0.5, 0.5]), torch.Tensor([1.0, 0.0])), 6)
        1.386294
    """
    if p:
        out = out + p
    return -torch.sum(target * torch.log(out) + (-target + 1) * torch.log(-out + 1))


def crossEntropy(out: Any, target: Any) -> tuple[Any, Any]:
    """``(loss, yhat)``: ``yhat = util.logSoftMax(out)`` and ``loss = -sum(yhat * target)``.

    Args:
        out: unnormalized scores (one sample; the normalization runs over all elements).
        target: one-hot of the same size.

    Example:
        >>> import torch7 as torch
        >>> loss, yhat = crossEntropy(torch.Tensor([0.0, 0.0]), torch.Tensor([1.0, 0.0]))
        >>> round(loss, 6)
        0.693147
    """
    yhat = util.logSoftMax(out)
    return -torch.sum(yhat * target), yhat


def binaryCrossEntropy(out: Any, target: Any) -> tuple[Any, Any]:
    """``(loss, yhat)``: ``yhat = sigmoid(out)`` squeezed into ``[1e-6, 1 - 1e-6]`` and its binary cross-entropy.

    Args:
        out: unnormalized scores (logits).
        target: 0/1 values of the same size.

    Example:
        >>> import torch7 as torch
        >>> loss, yhat = binaryCrossEntropy(torch.Tensor([0.0]), torch.Tensor([1.0]))
        >>> round(loss, 6), yhat.tolist()
        (0.693147, [0.5])
    """
    p = 1e-6
    yhat = util.sigmoid(out) * (1 - p * 2) + p
    return -torch.sum(target * torch.log(yhat) + (-target + 1) * torch.log(-yhat + 1)), yhat


def leastSquares(out: Any, target: Any) -> tuple[Any, Any]:
    """``(loss, out)`` with ``loss = sum((out - target)^2)`` (not averaged).

    Args:
        out: predictions.
        target: values of the same size.

    Example:
        >>> import torch7 as torch
        >>> leastSquares(torch.Tensor([1.0, 2.0]), torch.Tensor([0.0, 0.0]))[0]
        5.0
    """
    diffs = out - target
    return torch.sum(diffs * diffs), out


def margin(out: Any, target: Any, margin: float = 1) -> tuple[Any, Any]:
    """``(loss, out)``: the pairwise ranking hinge loss between positive and negative scores.

    ``loss = sum over (i with target 1, j with target 0) of max(0, margin - (out[i] - out[j]))``.

    Args:
        out: scores (any shape; taken as a flat list).
        target: 0/1 values of the same size.
        margin: the required gap (default 1).

    Example:
        >>> import torch7 as torch
        >>> margin(torch.Tensor([2.0, 0.5, 1.8]), torch.Tensor([1.0, 0.0, 0.0]))[0]
        0.8
    """
    # torch-autograd selects out[target == 1] and out[target == 0]; here every pair (i, j) is formed and a
    # constant mask keeps the positive/negative pairs whose hinge is active, which has the same value and
    # gradient and needs no masked indexing of graph nodes.
    t = value(target).contiguous().view(-1)
    n = t.nElement()
    flat = out.view(n) if value(out).isContiguous() else torch.reshape(out, n)
    diffs = -(torch.expand(flat.view(n, 1), n, n) - torch.expand(flat.view(1, n), n, n)) + margin
    pos = torch.eq(t, 1).double().view(n, 1).expand(n, n)
    neg = torch.eq(t, 0).double().view(1, n).expand(n, n)
    pairs = pos * neg * torch.gt(value(diffs), 0).double()
    return torch.sum(diffs * pairs.type(value(diffs).type())), out
