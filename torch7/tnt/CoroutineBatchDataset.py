"""tnt.CoroutineBatchDataset: a BatchDataset that lets the underlying dataset fetch a batch's samples together."""

from __future__ import annotations

import inspect
from typing import Any

from .BatchDataset import BatchDataset


class CoroutineBatchDataset(BatchDataset):
    """A ``tnt.BatchDataset`` (same arguments, same batches) whose underlying ``get`` may pause once.

    In torchnet the underlying ``get`` could call ``coroutine.yield()`` after registering its index,
    so that a slow source could fetch all the indices of a batch in one go before any sample is
    returned. The Python form of that coroutine is a generator: write the underlying ``get`` with
    one bare ``yield`` between registering the index and returning the sample::

        def get(self, idx):
            self.pending.append(idx)   # register
            yield                      # every other get of the batch registers meanwhile
            if idx not in self.buffer:
                self.fetch(self.pending)   # first resumed: fetch the whole batch at once
            return self.buffer.pop(idx)

    ``get(i)`` first starts every underlying ``get`` of batch ``i`` (each runs up to its ``yield``),
    then resumes them in order; each must then return (a second ``yield`` is an error). A ``get``
    that returns a sample directly (not a generator) works as with ``BatchDataset``. Only the
    dataset given here is driven this way: a generator from a dataset wrapped deeper (say under a
    ``TransformDataset``) is not, since Python generators cannot pause through ordinary calls as
    Lua coroutines can.

    Args: as ``tnt.BatchDataset``: dataset, batchsize, perm, merge, policy, filter.

    Example:
        >>> from torch7 import tnt
        >>> class Slow(tnt.Dataset):
        ...     def __init__(self):
        ...         self.pending, self.buffer, self.fetches = [], {}, 0
        ...     def size(self):
        ...         return 6
        ...     def get(self, idx):
        ...         self.pending.append(idx)
        ...         yield
        ...         if idx not in self.buffer:
        ...             self.buffer.update((k, {"input": 10 * k}) for k in self.pending)
        ...             self.pending, self.fetches = [], self.fetches + 1
        ...         return self.buffer.pop(idx)
        >>> base = Slow()
        >>> ds = tnt.CoroutineBatchDataset(base, 3)
        >>> ds.get(1), base.fetches
        ({'input': [30, 40, 50]}, 1)
    """

    _typename = "tnt.CoroutineBatchDataset"

    def get(self, idx: int) -> Any:
        positions, n = self._positions(idx)
        samples: list[Any] = []
        paused: dict[int, Any] = {}
        for pos, j in enumerate(positions):
            sample = self.dataset.get(self._perm(j, n))
            if inspect.isgenerator(sample):
                try:
                    next(sample)
                except StopIteration as stop:  # finished without pausing
                    sample = stop.value
                else:
                    paused[pos], sample = sample, None
            samples.append(sample)
        for pos, gen in paused.items():
            try:
                next(gen)
            except StopIteration as stop:
                samples[pos] = stop.value
            else:
                gen.close()
                raise RuntimeError(f"{self._typename}.get: the get of sample {positions[pos]} of the underlying "
                                   "dataset paused (yield) more than once; one yield is allowed")
        return self.makebatch([s for s in samples if self.filter(s)])
