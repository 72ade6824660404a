"""tnt.transform: torchnet's data transformations, and makers of transformations.

``identity`` is itself a transformation; every other function here builds one (a closure) from its
arguments, as torchnet's do: ``tnt.transform.normalize(0.1)`` returns the function that normalizes.
Lua tables of samples are Python lists (arrays) or dicts (string keys).

Example:
    >>> from torch7 import tnt
    >>> f = tnt.transform.compose([lambda x: 2 * x, lambda x: x + 10])
    >>> f(3)
    16
    >>> tnt.transform.merge({"double": lambda x: 2 * x, "half": lambda x: x / 2})(3)
    {'double': 6, 'half': 1.5}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch7 as torch

from ._args import parse
from ._helpers import _callable
from .utils import table as _table


def identity(*args: Any) -> Any:
    """Return the input as it is (several inputs come back as a tuple).

    Example:
        >>> from torch7 import tnt
        >>> tnt.transform.identity({"input": 1}), tnt.transform.identity(1, 2)
        ({'input': 1}, (1, 2))
    """
    if len(args) == 1:
        return args[0]
    return args if args else None


def _functions(where: str, transforms: Any, sequence_only: bool) -> list | dict:
    if isinstance(transforms, dict) and sequence_only:
        # a Lua table read with ipairs: the entries at 0, 1, 2, ... up to the first gap
        seq, i = [], 0
        while i in transforms:
            seq.append(transforms[i])
            i += 1
        transforms = seq
    if isinstance(transforms, dict):
        for k, v in transforms.items():
            _callable(where, f"transforms[{k!r}]", v)
        return dict(transforms)
    if isinstance(transforms, (list, tuple)):
        for k, v in enumerate(transforms):
            _callable(where, f"transforms[{k}]", v)
        return list(transforms)
    raise TypeError(f"{where}: a list (or dict) of functions expected, got {type(transforms).__name__}")


def compose(*args: Any, **kwargs: Any) -> Callable:
    """The transformation applying each function of the list ``transforms`` in turn, first one first.

    Args:
        transforms: a list of functions; a dict contributes its entries at keys 0, 1, 2, ... up to
            the first missing one (torchnet read its table with ``ipairs``; other keys are ignored).

    Example:
        >>> from torch7 import tnt
        >>> tnt.transform.compose({0: lambda x: 2 * x, 1: lambda x: x + 10, "foo": abs, 3: abs})(3)
        16
    """
    a = parse("tnt.transform.compose", ("transforms",), args, kwargs, required=("transforms",), dict_first=True)
    fns = _functions("tnt.transform.compose", a["transforms"], sequence_only=True)

    def composed(z):
        for fn in fns:
            z = fn(z)
        return z

    return composed


def merge(*args: Any, **kwargs: Any) -> Callable:
    """The transformation applying every function of ``transforms`` to the same input.

    Args:
        transforms: a dict (or list) of functions. The result has the same keys; when it is a list
            of tensors with equal numbers of elements, they are stacked into one tensor (torchnet
            always tried to stack, which failed on anything else).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> tnt.transform.merge([lambda x: x * 2, lambda x: x + 1])(torch.Tensor([1, 2])).totable()
        [[2.0, 4.0], [2.0, 3.0]]
    """
    a = parse("tnt.transform.merge", ("transforms",), args, kwargs, required=("transforms",), dict_first=True)
    fns = _functions("tnt.transform.merge", a["transforms"], sequence_only=False)

    def merged(z):
        if isinstance(fns, dict):
            return {k: fn(z) for k, fn in fns.items()}
        out = [fn(z) for fn in fns]
        return _table.mergetensor(out) if _table.canmergetensor(out) else out

    return merged


def tablenew() -> Callable:
    """The transformation returning a shallow copy of a dict or list.

    Example:
        >>> from torch7 import tnt
        >>> d = {"a": 1}; c = tnt.transform.tablenew()(d); c["b"] = 2
        >>> d, c
        ({'a': 1}, {'a': 1, 'b': 2})
    """
    return _table.copy


def tableapply(*args: Any, **kwargs: Any) -> Callable:
    """The transformation applying ``transform`` to every value of a dict or list (same keys).

    Example:
        >>> from torch7 import tnt
        >>> tnt.transform.tableapply(lambda x: 2 * x)({"a": 1, "foo": 3})
        {'a': 2, 'foo': 6}
    """
    a = parse("tnt.transform.tableapply", ("transform",), args, kwargs, required=("transform",))
    fn = _callable("tnt.transform.tableapply", "transform", a["transform"])
    return lambda tbl: _table.foreach(tbl, fn)


def tablemergekeys() -> Callable:
    """The transformation turning a collection of samples into one collection per sample key.

    A list of ``n`` dicts gives a dict of lists of length ``n``, with None where a sample lacks the key
    (Lua's nil); a dict of dicts gives a dict of dicts keyed like the input.

    Example:
        >>> from torch7 import tnt
        >>> f = tnt.transform.tablemergekeys()
        >>> f([{"input": 1, "target": "a"}, {"input": 2, "target": "b", "flag": "hard"}])
        {'input': [1, 2], 'target': ['a', 'b'], 'flag': [None, 'hard']}
        >>> f({"s1": {"input": 1}, "s2": {"input": 2}})
        {'input': {'s1': 1, 's2': 2}}
    """
    def mergekeys(tbl):
        if isinstance(tbl, dict):
            items, out = tbl.items(), {}
        elif isinstance(tbl, (list, tuple)):
            items, out = enumerate(tbl), {}
        else:
            raise TypeError(f"tnt.transform.tablemergekeys: a list or dict of samples expected, "
                            f"got {type(tbl).__name__}")
        for idx, elem in items:
            if not isinstance(elem, dict):
                hint = " (a generator: use tnt.CoroutineBatchDataset)" if hasattr(elem, "send") else ""
                raise TypeError(f"tnt.transform.tablemergekeys: sample {idx!r} must be a dict, "
                                f"got {type(elem).__name__}{hint}")
            for key, value in elem.items():
                if key not in out:
                    out[key] = {} if isinstance(tbl, dict) else [None] * len(tbl)
                out[key][idx] = value
        return out

    return mergekeys


def _mergefield(field: Any) -> Any:
    return _table.mergetensor(field) if _table.canmergetensor(field) else field


def makebatch(*args: Any, **kwargs: Any) -> Callable:
    """The transformation turning a list of samples (dicts) into one batch sample.

    The samples are first grouped by key (``tablemergekeys``); then ``merge``, when given, is
    applied to that dict of lists; otherwise each field that is a list of tensors with equal
    numbers of elements is stacked along a new first dimension (``utils.table.mergetensor``) and any
    other field (numbers, strings, ...) stays a list.

    Args:
        merge: optional function of the dict ``{key: list of values}``.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> batch = tnt.transform.makebatch()([{"input": torch.Tensor([1, 2]), "target": 0},
        ...                                    {"input": torch.Tensor([3, 4]), "target": 1}])
        >>> tuple(batch["input"].size()), batch["target"]
        ((2, 2), [0, 1])
    """
    a = parse("tnt.transform.makebatch", ("merge",), args, kwargs)
    if a["merge"] is not None:
        inner = compose([tablemergekeys(), _callable("tnt.transform.makebatch", "merge", a["merge"])])
    else:
        inner = compose([tablemergekeys(), tableapply(_mergefield)])

    def batch(samples):
        if not isinstance(samples, (list, tuple, dict)):
            raise TypeError(f"tnt.transform.makebatch: a list of samples expected, got {type(samples).__name__}")
        return inner(samples)

    return batch


def randperm(*args: Any, **kwargs: Any) -> Callable:
    """The function ``idx -> perm[idx]`` for a random permutation ``perm`` of ``0..size-1``.

    The permutation is drawn once, with ``torch.randperm`` (so ``torch.manualSeed`` fixes it).

    Example:
        >>> from torch7 import tnt
        >>> p = tnt.transform.randperm(4)
        >>> sorted(p(i) for i in range(4))
        [0, 1, 2, 3]
    """
    a = parse("tnt.transform.randperm", ("size",), args, kwargs, required=("size",))
    size = a["size"]
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ValueError(f"tnt.transform.randperm: size must be a positive integer, got {size!r}")
    perm = torch.randperm(size, "torch.LongTensor")
    return lambda idx: int(perm[idx])


def normalize(*args: Any, **kwargs: Any) -> Callable:
    """The transformation making a tensor zero-mean and, when its std exceeds ``threshold``, unit-std.

    The tensor is modified in place and returned; std is Torch7's (unbiased).

    Args:
        threshold: divide by the std only when it is greater than this (default 0).

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> tnt.transform.normalize()(torch.Tensor([1, 2, 3])).totable()
        [-1.0, 0.0, 1.0]
    """
    a = parse("tnt.transform.normalize", ("threshold",), args, kwargs, defaults={"threshold": 0})
    threshold = a["threshold"]

    def norm(z):
        if not torch.isTensor(z):
            raise TypeError(f"tnt.transform.normalize: a tensor expected, got {type(z).__name__}")
        std = z.std()
        z.add(-z.mean())
        if std > threshold:
            z.div(std)
        return z

    return norm
