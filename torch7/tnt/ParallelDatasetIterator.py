"""tnt.ParallelDatasetIterator: fetch the samples of a dataset with a pool of threads."""

from __future__ import annotations

import functools
import queue
import threading
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any

from ._args import parse
from ._helpers import _positive_int
from .Dataset import Dataset
from .DatasetIterator import DatasetIterator, _identity, _keep

_PREFETCH = 2  # samples queued or being fetched per thread; bounds the memory a pass holds


def _noinit(threadid: int) -> None:
    return None


def _worker(tid: int, jobs: queue.SimpleQueue, init: Callable, closure: Callable, ready: Future) -> None:
    """A thread of the pool: build its own dataset, then run jobs on it until told to stop (None)."""
    try:
        init(tid)
        dataset = closure(tid)
        if not isinstance(dataset, Dataset):
            raise TypeError(f"tnt.ParallelDatasetIterator: closure({tid}) should return a tnt.Dataset, "
                            f"got {type(dataset).__name__}")
        ready.set_result(dataset.size())
    except BaseException as e:  # handed to the constructor, which raises it
        ready.set_exception(e)
        return
    del init, closure, ready
    while (job := jobs.get()) is not None:
        job(dataset)


class _Pass:
    """The state one pass shares with the workers: where results go, and whether it was given up."""

    def __init__(self) -> None:
        self.results: queue.SimpleQueue = queue.SimpleQueue()
        self.cancelled = False


def _fetch(state: _Pass, tid: int, pos: int, idx: Any, transform: Callable, dataset: Dataset) -> None:
    if state.cancelled:  # the consumer stopped early: skip what it no longer wants
        return
    try:
        state.results.put((tid, pos, idx, True, transform(dataset.get(idx))))
    except BaseException as e:
        state.results.put((tid, pos, idx, False, e))


def _call(fut: Future, name: str, args: tuple, dataset: Dataset) -> None:
    if fut.set_running_or_notify_cancel():
        try:
            fut.set_result(dataset.exec(name, *args))
        except BaseException as e:
            fut.set_exception(e)


def _stop(queues: list) -> None:
    for q in queues:
        q.put(None)


class ParallelDatasetIterator(DatasetIterator):
    """Iterate over a dataset with ``nthread`` threads fetching samples concurrently.

    Each thread ``threadid`` (0 to ``nthread - 1``) calls ``init(threadid)`` then
    ``closure(threadid)`` once, at construction, and keeps the ``tnt.Dataset`` it returns for
    itself. A pass (``iterator()``, ``run()`` or ``for sample in iterator``) reads the size from one
    thread's dataset, then hands positions 0, 1, ... to the threads, at most a few at a time per
    thread; a thread fetches ``transform(dataset.get(perm(pos)))`` and the consumer keeps the
    sample if ``filter(sample)`` is true.

    Args (torchnet's order):
        init: ``init(threadid)``, run first in each thread (does nothing by default).
        closure: ``closure(threadid)`` returns the thread's dataset (it may return one shared,
            thread-safe dataset).
        nthread: the number of threads.
        perm: maps a position to a dataset index, both 0-based (identity by default).
        filter: ``filter(sample)`` true keeps the sample; called in the consumer's thread.
        transform: applied to each sample in the worker thread, before ``filter``.
        ordered: yield samples in position order (then the pass gives what a serial
            ``tnt.DatasetIterator`` gives); otherwise in the order they are ready.

    An exception raised by a thread while fetching is raised by the pass, with a note naming the
    thread and the sample. Leaving a pass early (``break``) drops the samples still queued.
    ``exec(name, *args)`` calls ``dataset.exec(name, *args)`` in every thread and returns the
    list of results (by thread id); ``execSingle`` calls it in one thread. ``close()`` stops the
    threads (also done when the iterator is garbage collected).

    Example:
        >>> from torch7 import tnt
        >>> class Squares(tnt.Dataset):
        ...     def size(self):
        ...         return 8
        ...     def get(self, idx):
        ...         return idx * idx
        >>> it = tnt.ParallelDatasetIterator(closure=lambda tid: Squares(), nthread=3, ordered=True,
        ...                                  filter=lambda s: s % 2 == 0)
        >>> list(it()), sorted(it.exec("size"))
        ([0, 4, 16, 36], [8, 8, 8])
        >>> it.close()
    """

    _typename = "tnt.ParallelDatasetIterator"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        who = self._typename
        a = parse(who, ("init", "closure", "nthread", "perm", "filter", "transform", "ordered"), args, kwargs,
                  required=("closure", "nthread"))
        defaults = {"init": _noinit, "perm": _identity, "filter": _keep, "transform": _identity, "ordered": False}
        a.update({k: v for k, v in defaults.items() if a[k] is None})  # None stands for the default, as Lua's nil
        for name in ("init", "closure", "perm", "filter", "transform"):
            if not callable(a[name]):
                raise TypeError(f"{who}: {name} must be callable, got {type(a[name]).__name__}")
        n = _positive_int(who, "nthread", a["nthread"])
        self.dataset = self.iterator = None
        self._perm, self._filter, self._transform = a["perm"], a["filter"], a["transform"]
        self._ordered, self._nthread = bool(a["ordered"]), n
        self._queues = [queue.SimpleQueue() for _ in range(self._nthread)]
        self._closer = weakref.finalize(self, _stop, self._queues)
        ready = [Future() for _ in range(self._nthread)]
        self._threads = [threading.Thread(target=_worker, args=(tid, q, a["init"], a["closure"], f), daemon=True,
                                          name=f"{who}-{tid}")
                         for tid, (q, f) in enumerate(zip(self._queues, ready))]
        for t in self._threads:
            t.start()
        for tid, f in enumerate(ready):
            if f.exception() is not None:
                self.close()
                err = f.exception()
                err.add_note(f"{who}: raised while building the dataset of thread {tid}")
                raise err

    def _check_open(self, what: str) -> None:
        if not self._closer.alive:
            raise ValueError(f"{self._typename}.{what}: the iterator is closed")

    def execSingle(self, name: str, *args: Any) -> Any:
        """``dataset.exec(name, *args)`` in the least busy thread; its result."""
        self._check_open("execSingle")
        tid = min(range(self._nthread), key=lambda t: self._queues[t].qsize())
        return self._wait(self._submit_call(tid, name, args), tid, name)

    def exec(self, name: str, *args: Any) -> list:
        """``dataset.exec(name, *args)`` in every thread; the results as a list indexed by thread id."""
        self._check_open("exec")
        futs = [self._submit_call(tid, name, args) for tid in range(self._nthread)]
        return [self._wait(f, tid, name) for tid, f in enumerate(futs)]

    def _submit_call(self, tid: int, name: str, args: tuple) -> Future:
        fut: Future = Future()
        self._queues[tid].put(functools.partial(_call, fut, name, args))
        return fut

    def _wait(self, fut: Future, tid: int, name: str) -> Any:
        err = fut.exception()
        if err is not None:
            err.add_note(f"{self._typename}: raised by exec of <{name}> in thread {tid}")
            raise err
        return fut.result()

    def run(self) -> Iterator[Any]:
        """Start a pass: a fresh Python iterator over the (transformed, kept) samples."""
        self._check_open("run")
        return self._pass(int(self.execSingle("size")))

    def _pass(self, size: int) -> Iterator[Any]:
        state, nthread, ordered = _Pass(), self._nthread, self._ordered
        perm, transform, keep = self._perm, self._transform, self._filter
        inflight = [0] * nthread
        window = nthread * _PREFETCH  # ordered: positions between the next one to yield and the last one asked
        stored: dict[int, tuple] = {}
        nxt = done = outstanding = 0

        def fail(tid: int, pos: int, idx: Any, err: BaseException):
            err.add_note(f"{self._typename}: raised by thread {tid} on sample {pos} (dataset index {idx})")
            return err

        try:
            while True:
                while nxt < size and not (ordered and nxt >= done + window):
                    tid = min(range(nthread), key=inflight.__getitem__)
                    if inflight[tid] >= _PREFETCH:
                        break
                    self._queues[tid].put(functools.partial(_fetch, state, tid, nxt, perm(nxt), transform))
                    inflight[tid] += 1
                    outstanding += 1
                    nxt += 1
                if ordered and done in stored:
                    tid, idx, ok, value = stored.pop(done)
                    if not ok:
                        raise fail(tid, done, idx, value)
                    done += 1
                    if keep(value):
                        yield value
                    continue
                if outstanding == 0:
                    return
                tid, pos, idx, ok, value = state.results.get()
                inflight[tid] -= 1
                outstanding -= 1
                if ordered:
                    stored[pos] = (tid, idx, ok, value)
                elif not ok:
                    raise fail(tid, pos, idx, value)
                elif keep(value):
                    yield value
        finally:
            state.cancelled = True

    def close(self) -> None:
        """Stop the threads (each finishes the job it is running first)."""
        if self._closer.alive:
            self._closer()
            for t in self._threads:
                if t is not threading.current_thread():
                    t.join()

    def __repr__(self) -> str:
        state = "" if self._closer.alive else ", closed"
        return f"{self._typename}(nthread={self._nthread}, ordered={self._ordered}{state})"
