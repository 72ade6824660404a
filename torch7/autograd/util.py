"""autograd.util: torch-autograd's helpers (differentiable math, one-hot labels, table utilities).

The functions of ``logSumExp``, ``logSoftMax``, ``sigmoid``, ``lookup``, ``dropout`` and ``cat`` work on
plain tensors and on ``autograd.Node`` values inside a differentiated function. Dimensions, indices and
class labels are 0-based (``oneHot`` takes labels ``0..n-1``). The tensor helpers that gradient formulas
use (``selectSliceCopy``, ``indexAdd``, the ``...InPlace`` variants, ...) live in ``_util_grad`` and are
re-exported here.
"""

from __future__ import annotations

import operator
from typing import Any

import torch7 as torch

from ._nest import value
from ._util_grad import (  # noqa: F401  (re-exported: the util table of torch-autograd)
    catNumberGradient,
    catTableGradient,
    cloneInPlace,
    fill,
    fillInPlace,
    fillSameSizeAs,
    fillSameSizeAsInPlace,
    indexAdd,
    indexAddInPlace,
    makeContiguous,
    narrowSliceCopy,
    narrowSliceCopyInPlace,
    newInPlace,
    newTensorLike,
    newTensorLikeInPlace,
    selectSliceCopy,
    selectSliceCopyInPlace,
    setNotEqualInPlace,
    sigmoidInPlace,
    typeAsIfNeeded,
    typeAsInPlace,
    zerosLike,
    zerosLikeInPlace,
)

_ALIASES = {"float": "torch.FloatTensor", "double": "torch.DoubleTensor", "cuda": "torch.CudaTensor"}


def cast(tableOfParams: Any, typeName: str) -> Any:
    """A copy of a nested table of parameters with every tensor converted to ``typeName``.

    Args:
        tableOfParams: a tensor, or nested dicts/lists of tensors (other values are kept).
        typeName: a tensor type name, or ``"float"``, ``"double"``, ``"cuda"``.

    Example:
        >>> import torch7 as torch
        >>> p = cast({"W": [torch.ones(2)], "n": 3}, "float")
        >>> p["W"][0].type(), p["n"]
        ('torch.FloatTensor', 3)
    """
    typeName = _ALIASES.get(typeName, typeName)
    if torch.isTensor(tableOfParams):
        return tableOfParams.type(typeName)
    if isinstance(tableOfParams, dict):
        return {k: cast(v, typeName) for k, v in tableOfParams.items()}
    if isinstance(tableOfParams, (list, tuple)):
        return type(tableOfParams)(cast(v, typeName) for v in tableOfParams)
    return tableOfParams


_FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq"}


def _comparison(op: Any, symbol: str, example: str, result: bool) -> Any:
    """The public comparison ``op.__name__`` (``lt``, ``le``, ...): one body and one docstring for the five."""
    name = op.__name__

    def compare(a: Any, b: Any) -> Any:
        a, b = value(a), value(b)
        if torch.isTensor(a):
            return getattr(torch, name)(a, b)
        if torch.isTensor(b):  # number op tensor: the mirrored comparison, tensor first
            return getattr(torch, _FLIP[name])(b, a)
        return op(a, b)

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = f"""``a {symbol} b`` on plain values, Nodes unwrapped: a bool, or a ByteTensor mask for tensors.

    Args:
        a: a number, tensor or Node.
        b: a number, tensor or Node.

    Example:
        >>> {name}({example})
        {result}
    """
    return compare


lt = _comparison(operator.lt, "<", "1, 2", True)
le = _comparison(operator.le, "<=", "2, 2", True)
gt = _comparison(operator.gt, ">", "1, 2", False)
ge = _comparison(operator.ge, ">=", "1, 2", False)
eq = _comparison(operator.eq, "==", "2, 2.0", True)


def oneHot(labels: Any, n: int | None = None) -> Any:
    """A ``len(labels) x n`` tensor of ``labels``' type with a 1 at each row's (0-based) label.

    Args:
        labels: a 1-D tensor of class indices ``0..n-1``.
        n: the number of classes (default ``labels.max() + 1``).

    Example:
        >>> import torch7 as torch
        >>> oneHot(torch.Tensor([2, 0]), 3).tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    n = int(labels.max()) + 1 if n is None else int(n)
    nLabels = labels.size(0)
    out = labels.new(nLabels, n).fill(0)
    for i in range(nLabels):
        out[i][int(labels[i])] = 1.0
    return out


def logSumExp(array: Any) -> Any:
    """``log(sum(exp(array)))`` over all elements, computed stably (the maximum is taken out first).

    Args:
        array: a tensor or Node.

    Example:
        >>> import torch7 as torch
        >>> round(logSumExp(torch.Tensor([1000.0, 1000.0])), 6)
        1000.693147
    """
    mx = torch.max(array)
    return torch.log(torch.sum(torch.exp(array - mx))) + mx


def logSoftMax(array: Any) -> Any:
    """``array - logSumExp(array)``: log-probabilities, normalized over all elements.

    Args:
        array: a tensor or Node (one sample: the normalization runs over every element).

    Example:
        >>> import torch7 as torch
        >>> [round(v, 6) for v in logSoftMax(torch.Tensor([0.0, 0.0])).tolist()]
        [-0.693147, -0.693147]
    """
    return array - logSumExp(array)


def sigmoid(array: Any) -> Any:
    """``1 / (1 + exp(-array))`` element-wise.

    Args:
        array: a tensor or Node.

    Example:
        >>> import torch7 as torch
        >>> sigmoid(torch.zeros(2)).tolist()
        [0.5, 0.5]
    """
    return torch.pow(torch.exp(-array) + 1, -1)


def _index_rows(t, idx):
    return t.index(0, idx)


def _index_rows_grad(g, out, t, idx):
    return indexAdd(g, t, 0, idx)


_index_rows_prim = None


def lookup(tble: Any, indexes: Any) -> Any:
    """Rows of ``tble`` picked by ``indexes``: shape ``indexes.size() + (tble.size(1),)`` (an embedding lookup).

    Args:
        tble: a ``N x D`` tensor or Node (the table).
        indexes: a tensor of 0-based row numbers (any shape).

    Example:
        >>> import torch7 as torch
        >>> lookup(torch.Tensor([[1, 2], [3, 4]]), torch.LongTensor([[1], [0]])).tolist()
        [[[3.0, 4.0]], [[1.0, 2.0]]]
    """
    global _index_rows_prim
    if _index_rows_prim is None:
        from torch7 import autograd

        _index_rows_prim = autograd.primitive(_index_rows, [_index_rows_grad, None], name="util.lookup")
    idx = value(indexes)
    size = list(idx.size())
    rows = _index_rows_prim(tble, idx.contiguous().view(-1).long())
    return rows.view(*size, value(rows).size(1))


def dropout(state: Any, dropout: float = 0) -> Any:
    """``state`` times a random mask of 0 and ``1 / (1 - dropout)`` (each entry kept with probability ``1 - dropout``).

    Args:
        state: a tensor or Node.
        dropout: the probability of zeroing an entry.

    Example:
        >>> import torch7 as torch
        >>> dropout(torch.ones(3), 0).tolist()
        [1.0, 1.0, 1.0]
    """
    keep = 1 - dropout
    mask = newTensorLike(value(state)).bernoulli(keep).mul(1 / keep)
    return state * mask


def setNotEqual(a: Any, b: Any, c: Any, v: Any) -> Any:
    """``v`` with zeros where ``a != b`` (``v * (a == b)``; differentiable in ``v``).

    Args:
        a: compared with ``b`` element-wise.
        b: a tensor or number.
        c: ignored.
        v: the values kept.

    Example:
        >>> import torch7 as torch
        >>> setNotEqual(torch.Tensor([1, 2]), 1, None, torch.Tensor([5, 6])).tolist()
        [5.0, 0.0]
    """
    mask = torch.eq(value(a), value(b))
    return v * mask.typeAs(value(v))


def _cat_numbers(xs: list) -> Any:
    from torch7 import autograd

    def g(i):
        return lambda grad, out, *args: float(value(grad)[i])

    prim = autograd.primitive(lambda *a: torch.Tensor([float(x) for x in a]), [g(i) for i in range(len(xs))],
                              name="util.cat")
    return prim(*xs)


def cat(x: Any, y: Any = None, dim: int | None = None) -> Any:
    """Concatenate: ``cat(a, b[, dim])``, ``cat([t1, t2, ...][, dim])`` or ``cat([n1, n2, ...])`` for numbers.

    The dimension defaults to the last one (0-based); numbers become a vector of the default tensor type.

    Args:
        x: a tensor, or a list of tensors or of numbers (Nodes allowed).
        y: the second tensor, or the dimension when ``x`` is a list.
        dim: the dimension when ``x`` is a tensor.

    Example:
        >>> import torch7 as torch
        >>> cat([torch.ones(1), torch.zeros(2)]).tolist(), cat([1.0, 2.0]).tolist()
        ([1.0, 0.0, 0.0], [1.0, 2.0])
    """
    if torch.isTensor(value(x)):
        dim = value(x).dim() - 1 if dim is None else dim
        return torch.cat([x, y], dim)
    x = list(x)
    if torch.isTensor(value(x[0])):
        dim = value(x[0]).dim() - 1 if y is None else y
        return torch.cat(x, dim)
    return _cat_numbers(x)


def defaultBool(b: Any, db: Any) -> Any:
    """``b``, or ``db`` when ``b`` is None.

    Args:
        b: the value given.
        db: the default.

    Example:
        >>> defaultBool(None, True), defaultBool(False, True)
        (True, False)
    """
    return db if b is None else b


def _sorted_keys(tbl: Any) -> list:
    if isinstance(tbl, dict):
        keys = list(tbl)
        try:
            return sorted(keys)
        except TypeError:  # mixed key types: order by their text, as torch-autograd falls back to tostring
            return sorted(keys, key=str)
    return list(range(len(tbl)))


def sortedFlatten(tbl: Any, flat: list | None = None, noRecurse: bool = False) -> list:
    """The leaves of a nested table in a fixed order: dict keys sorted, lists in order (depth first).

    This is the order in which ``autograd.optim`` pairs parameters with gradients.

    Args:
        tbl: nested dicts/lists/tuples (a non-table is one leaf).
        flat: a list to append to (default a new one).
        noRecurse: do not descend into the tables inside ``tbl`` (they become leaves).

    Example:
        >>> sortedFlatten({"b": [1, 2], "a": 3})
        [3, 1, 2]
    """
    flat = [] if flat is None else flat
    if isinstance(tbl, (dict, list, tuple)):
        for k in _sorted_keys(tbl):
            val = tbl[k]
            if isinstance(val, (dict, list, tuple)) and not noRecurse:
                sortedFlatten(val, flat)
            else:
                flat.append(val)
    else:
        flat.append(tbl)
    return flat


def deepCopy(tbl: Any) -> Any:
    """A copy of the nested dicts/lists of ``tbl``; the leaves (tensors included) are shared, not copied.

    Args:
        tbl: nested dicts/lists/tuples, or any value (returned as is).

    Example:
        >>> a = {"x": [1, 2]}
        >>> b = deepCopy(a)
        >>> b["x"].append(3)
        >>> a["x"]
        [1, 2]
    """
    if isinstance(tbl, dict):
        return {k: deepCopy(v) for k, v in tbl.items()}
    if isinstance(tbl, (list, tuple)):
        return type(tbl)(deepCopy(v) for v in tbl)
    return tbl
