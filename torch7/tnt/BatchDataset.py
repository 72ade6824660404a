"""tnt.BatchDataset: a dataset whose samples are batches of another dataset's samples."""

from __future__ import annotations

import math
from typing import Any

from ._args import parse
from ._helpers import _callable, _checkindex, _flex
from .Dataset import Dataset
from .transform import makebatch

_POLICIES = ("include-last", "skip-last", "divisible-only")
_OPTIONAL = ("perm", "merge", "policy", "filter")


def _bind_positional(where: str, extra: tuple) -> dict[str, Any]:
    """Bind the positional arguments after ``batchsize`` by type, as argcheck did.

    A string is the ``policy``; a function (or None) takes the next function slot in the declared
    order ``perm, merge, [policy], filter``, so ``(ds, 4, 'skip-last')`` and ``(ds, 4, perm, 'skip-last',
    keep)`` read as they did in Lua.
    """
    out: dict[str, Any] = {}
    j = 0
    for v in extra:
        while j < len(_OPTIONAL) and isinstance(v, str) != (_OPTIONAL[j] == "policy"):
            j += 1
        if j == len(_OPTIONAL) or not (isinstance(v, str) or v is None or callable(v)):
            raise TypeError(f"{where}: positional argument {v!r} after batchsize fits none of the arguments "
                            f"{', '.join(_OPTIONAL)} left after the ones before it")
        out[_OPTIONAL[j]] = v
        j += 1
    return out


class BatchDataset(Dataset):
    """Group the samples of ``dataset`` into batches of ``batchsize`` samples.

    Batch ``i`` (0-based) gathers the samples at positions ``i*batchsize ... (i+1)*batchsize - 1``
    of the underlying dataset, each position ``j`` read as ``dataset.get(perm(j, size))``; samples
    for which ``filter(sample)`` is false are dropped; the list of samples then goes through
    ``tnt.transform.makebatch(merge)``: per key, the values are stacked into one tensor along a new
    first dimension when they are tensors with equal numbers of elements, and kept as a list
    otherwise (numbers, strings), unless ``merge`` is given.

    When ``batchsize`` does not divide the dataset size, ``policy`` decides: ``'include-last'``
    keeps a smaller last batch, ``'skip-last'`` drops the leftover samples, ``'divisible-only'``
    raises an error.

    Args (torchnet's order; a string positional argument after ``batchsize`` is the policy):
        dataset: the underlying ``tnt.Dataset``.
        batchsize: a positive integer.
        perm: ``perm(idx, size) -> idx`` on 0-based indices (it may take just ``idx``); default identity.
        merge: a function of the dict ``{key: list of values}`` returning the batch.
        policy: ``'include-last'`` (default), ``'skip-last'`` or ``'divisible-only'``.
        filter: ``filter(sample) -> bool``; default keeps every sample.

    Example:
        >>> import torch7 as torch
        >>> from torch7 import tnt
        >>> base = tnt.TableDataset([{"input": torch.Tensor([i, i]), "target": i} for i in range(5)])
        >>> ds = base.batch(2)
        >>> ds.size(), ds.get(2)["target"], tuple(ds.get(0)["input"].size())
        (3, [4], (2, 2))
        >>> tnt.BatchDataset(base, 2, "skip-last").size()
        2
    """

    _typename = "tnt.BatchDataset"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kw = dict(kwargs)
        for k, v in _bind_positional(self._typename, args[2:]).items():
            if k in kw:
                raise TypeError(f"{self._typename}: argument '{k}' given twice")
            kw[k] = v
        a = parse(self._typename, ("dataset", "batchsize") + _OPTIONAL, args[:2], kw,
                  defaults={"policy": "include-last"}, required=("dataset", "batchsize"))
        if not isinstance(a["dataset"], Dataset):
            raise TypeError(f"{self._typename}: dataset must be a tnt.Dataset, got {type(a['dataset']).__name__}")
        bs = a["batchsize"]
        if isinstance(bs, float) and bs.is_integer():
            bs = int(bs)
        if isinstance(bs, bool) or not isinstance(bs, int) or bs <= 0:
            raise ValueError(f"{self._typename}: batchsize should be a positive integer number, got {bs!r}")
        if not isinstance(a["policy"], str):
            raise TypeError(f"{self._typename}: policy must be a string, got {type(a['policy']).__name__}")
        self.dataset = a["dataset"]
        self.batchsize = bs
        self.perm = a["perm"]
        self._perm = (lambda idx, size: idx) if a["perm"] is None else _flex(
            _callable(self._typename, "perm", a["perm"]), 2)
        self.makebatch = makebatch(a["merge"])
        self.policy = a["policy"]
        self.filter = (lambda sample: True) if a["filter"] is None else _callable(
            self._typename, "filter", a["filter"])
        self.size()  # checks the policy now rather than at the first get

    def size(self) -> int:
        n = self.dataset.size()
        if self.policy == "include-last":
            return math.ceil(n / self.batchsize)
        if self.policy == "skip-last":
            return n // self.batchsize
        if self.policy == "divisible-only":
            if n % self.batchsize != 0:
                raise ValueError(f"{self._typename}: dataset size {n} is not divisible by batch size "
                                 f"{self.batchsize} (policy 'divisible-only')")
            return n // self.batchsize
        raise ValueError(f"{self._typename}: invalid policy {self.policy!r} (expected one of {', '.join(_POLICIES)})")

    def _positions(self, idx: int) -> tuple[range, int]:
        i = _checkindex(f"{self._typename}.get", idx, self.size())
        n = self.dataset.size()
        return range(i * self.batchsize, min((i + 1) * self.batchsize, n)), n

    def get(self, idx: int) -> Any:
        positions, n = self._positions(idx)
        samples = []
        for j in positions:
            sample = self.dataset.get(self._perm(j, n))
            if self.filter(sample):
                samples.append(sample)
        return self.makebatch(samples)

    def __repr__(self) -> str:
        return (f"{self._typename}(size {self.size()}, batchsize {self.batchsize}, policy {self.policy!r}) "
                f"on {self.dataset!r}")
