"""tnt.DatasetIterator and tnt.ParallelDatasetIterator (torchnet's test/iterators.lua, 0-based, and more)."""

from __future__ import annotations

import gc
import random
import threading
import time
from collections import Counter

import pytest

import torch7 as torch
from torch7 import tnt
from torch7.tnt.ParallelDatasetIterator import _PREFETCH


class ListDS(tnt.Dataset):
    """The samples of a list; ``delay`` seconds (random up to it) per get, gets counted."""

    def __init__(self, data, delay: float = 0.0, tid=None):
        self.data, self.delay, self.tid = list(data), delay, tid
        self.gets = 0
        self.lock = threading.Lock()

    def size(self):
        return len(self.data)

    def get(self, idx):
        with self.lock:
            self.gets += 1
        if self.delay:
            time.sleep(random.uniform(0, self.delay))
        return self.data[idx]

    def threadid(self):
        return self.tid

    def scale(self, k):
        return [k * x for x in self.data]


def six():
    return ListDS([1, 2, 3, 4, 5, 6])


# ---- tnt.DatasetIterator: torchnet's four cases ----------------------------------------------------

@pytest.mark.parametrize("kwargs, expected", [
    ({}, [1, 2, 3, 4, 5, 6]),
    ({"filter": lambda x: x % 2 == 0}, [2, 4, 6]),
    ({"transform": lambda x: x - 1}, [0, 1, 2, 3, 4, 5]),
    ({"perm": lambda i: (i + 1) % 6}, [2, 3, 4, 5, 6, 1]),
])
def test_dataset_iterator_torchnet_cases(kwargs, expected):
    it = tnt.DatasetIterator(dataset=six(), **kwargs)
    assert [s for s in it()] == expected
    assert list(it.run()) == expected
    assert list(it) == expected
    assert list(it) == expected  # every pass starts afresh


def test_dataset_iterator_call_forms():
    d = six()
    f = lambda x: x > 3  # noqa: E731
    expected = [4, 5, 6]
    assert list(tnt.DatasetIterator(d, None, f)) == expected             # positional: dataset, perm, filter
    assert list(tnt.DatasetIterator({"dataset": d, "filter": f})) == expected  # the Lua named table
    assert list(d.iterator(filter=f)) == expected                           # Dataset sugar
    inner = tnt.DatasetIterator(d)
    assert list(tnt.DatasetIterator(inner, f)) == expected                  # positional: iterator, filter
    assert list(tnt.DatasetIterator({"iterator": inner, "filter": f})) == expected
    assert list(tnt.DatasetIterator(iterator=inner, filter=f)) == expected


def test_transform_runs_before_filter():
    seen = []
    it = tnt.DatasetIterator(six(), transform=lambda x: 10 * x, filter=lambda x: seen.append(x) or x > 30)
    assert list(it) == [40, 50, 60]
    assert seen == [10, 20, 30, 40, 50, 60]


def test_chained_filter_and_transform_methods():
    it = tnt.DatasetIterator(six()).transform(lambda x: x * x).filter(lambda x: x % 2 == 1)
    assert isinstance(it, tnt.DatasetIterator) and it.iterator is not None
    assert list(it) == [1, 9, 25]
    assert list(it.transform(lambda x: -x)) == [-1, -9, -25]


def test_size_read_at_each_pass():
    d = six()
    it = tnt.DatasetIterator(d)
    first = it()
    d.data.append(7)
    assert list(first) == [1, 2, 3, 4, 5, 6, 7]  # the size is read when the pass starts
    d.data.pop(0)
    assert list(it()) == [2, 3, 4, 5, 6, 7]


def test_exec_forwards():
    it = tnt.DatasetIterator(six()).filter(lambda x: True)
    assert it.exec("size") == 6                 # through the inner iterator to the dataset
    assert it.exec("scale", 2) == [2, 4, 6, 8, 10, 12]
    assert [x for x in it.exec("run")] == [1, 2, 3, 4, 5, 6]  # the iterator's own method first
    with pytest.raises(AttributeError, match="unknown function <nope>"):
        it.exec("nope")


def test_bad_arguments():
    with pytest.raises(TypeError, match="tnt.DatasetIterator: dataset must be a tnt.Dataset"):
        tnt.DatasetIterator([1, 2, 3])
    with pytest.raises(TypeError, match="filter must be callable"):
        tnt.DatasetIterator(six(), filter=3)
    with pytest.raises(TypeError, match="missing argument 'dataset'"):
        tnt.DatasetIterator()
    assert torch.typename(tnt.DatasetIterator(six())) == "tnt.DatasetIterator"
    assert "tnt.DatasetIterator(dataset=" in repr(tnt.DatasetIterator(six()))


# ---- tnt.ParallelDatasetIterator ------------------------------------------------------------------

def test_parallel_unordered_torchnet_case():
    d = six()
    it = tnt.ParallelDatasetIterator(closure=lambda tid: d, init=lambda tid: None, nthread=3)
    got = list(it.run())
    assert len(got) == len(set(got)) == d.size()  # no duplicate, none missing
    assert set(got) == set(d.data)
    it.close()


def test_parallel_ordered_torchnet_case():
    # item 1 waits until a later item was fetched: the pool completes out of order, the pass may not
    later = threading.Event()
    waited = []

    class Racy(ListDS):
        def get(self, idx):
            if idx == 1:
                waited.append(later.wait(timeout=5))
            elif idx > 1:
                later.set()
            return super().get(idx)

    it = tnt.ParallelDatasetIterator(closure=lambda tid: Racy([1, 2, 3, 4, 5, 6]), nthread=3, ordered=True)
    assert list(it()) == [1, 2, 3, 4, 5, 6]
    assert waited == [True]
    it.close()


def serial_reference(data, perm, transform, keep):
    return [y for y in (transform(data[perm(i)]) for i in range(len(data))) if keep(y)]


@pytest.mark.parametrize("nthread", [1, 2, 5])
def test_parallel_matches_serial(nthread):
    data = list(range(40))
    perm = lambda i: (7 * i + 3) % 40  # noqa: E731
    transform = lambda x: {"x": x, "sq": x * x}  # noqa: E731
    keep = lambda s: s["x"] % 3 != 0  # noqa: E731
    expected = serial_reference(data, perm, transform, keep)
    serial = tnt.DatasetIterator(ListDS(data), perm=perm, filter=keep, transform=transform)
    assert list(serial) == expected
    common = dict(closure=lambda tid: ListDS(data, delay=0.002), nthread=nthread, perm=perm,
                  filter=keep, transform=transform)
    ordered = tnt.ParallelDatasetIterator(ordered=True, **common)
    unordered = tnt.ParallelDatasetIterator(**common)
    for _ in range(2):  # passes can be repeated
        assert list(ordered) == expected
        got = list(unordered)
        assert Counter(s["x"] for s in got) == Counter(s["x"] for s in expected)
    ordered.close()
    unordered.close()


def test_parallel_threads_and_exec():
    calls = []
    lock = threading.Lock()

    def init(tid):
        with lock:
            calls.append(("init", tid, threading.get_ident()))

    def closure(tid):
        with lock:
            calls.append(("closure", tid, threading.get_ident()))
        return ListDS(range(10 + tid), tid=tid)

    it = tnt.ParallelDatasetIterator(init, closure, 3)  # torchnet's positional order
    assert isinstance(it, tnt.DatasetIterator)
    for _ in range(2):
        list(it)
    # each thread: init then closure, once, in the same (non-main) thread
    assert sorted((kind, tid) for kind, tid, _ in calls) == [(k, t) for k in ("closure", "init") for t in range(3)]
    for tid in range(3):
        idents = {ident for _, t, ident in calls if t == tid}
        assert len(idents) == 1 and threading.get_ident() not in idents
    assert it.exec("threadid") == [0, 1, 2]
    assert it.exec("size") == [10, 11, 12]
    assert it.exec("scale", 2)[1] == [2 * x for x in range(11)]
    assert it.execSingle("threadid") in (0, 1, 2)
    with pytest.raises(AttributeError, match="unknown function"):
        it.exec("nope")
    it.close()
    assert not any(t.is_alive() for t in it._threads)
    with pytest.raises(ValueError, match="closed"):
        list(it)


def test_transform_in_workers_filter_in_consumer():
    where = {"transform": set(), "filter": set()}

    def transform(s):
        where["transform"].add(threading.get_ident())
        return s

    def keep(s):
        where["filter"].add(threading.get_ident())
        return True

    it = tnt.ParallelDatasetIterator(closure=lambda tid: six(), nthread=2, transform=transform, filter=keep)
    assert sorted(it) == [1, 2, 3, 4, 5, 6]
    assert where["filter"] == {threading.get_ident()}
    assert where["transform"] and threading.get_ident() not in where["transform"]
    it.close()


@pytest.mark.parametrize("ordered", [True, False])
def test_worker_exception_propagates(ordered):
    class Bad(ListDS):
        def get(self, idx):
            if idx == 5:
                raise KeyError("broken sample")
            return super().get(idx)

    it = tnt.ParallelDatasetIterator(closure=lambda tid: Bad(range(20)), nthread=3, ordered=ordered,
                                     perm=lambda i: (i + 1) % 20)
    got = []
    with pytest.raises(KeyError, match=r"thread \d on sample 4 \(dataset index 5\)") as info:
        for s in it:
            got.append(s)
    assert "broken sample" in str(info.value)
    if ordered:
        assert got == [1, 2, 3, 4]  # everything before the failing sample, as a serial pass
    assert 5 not in got
    assert sorted(it.exec("size")) == [20, 20, 20]  # the pool still works
    it.close()


def test_closure_errors_raised_by_constructor():
    def closure(tid):
        if tid == 1:
            raise RuntimeError("no dataset here")
        return six()

    with pytest.raises(RuntimeError, match="no dataset here") as info:
        tnt.ParallelDatasetIterator(closure=closure, nthread=2)
    assert any("thread 1" in n for n in info.value.__notes__)
    with pytest.raises(TypeError, match="should return a tnt.Dataset"):
        tnt.ParallelDatasetIterator(closure=lambda tid: [1, 2], nthread=2)
    with pytest.raises(ValueError, match="nthread must be a positive integer"):
        tnt.ParallelDatasetIterator(closure=lambda tid: six(), nthread=0)
    with pytest.raises(TypeError, match="missing argument 'nthread'"):
        tnt.ParallelDatasetIterator(closure=lambda tid: six())


@pytest.mark.parametrize("ordered", [True, False])
def test_bounded_prefetch_and_early_break(ordered):
    d = ListDS(range(10**6))
    nthread = 3
    it = tnt.ParallelDatasetIterator(closure=lambda tid: d, nthread=nthread, ordered=ordered)
    consumed = 0
    for _ in it:
        consumed += 1
        time.sleep(0.001)
        assert d.gets <= consumed + nthread * _PREFETCH
        if consumed == 20:
            break
    it.exec("size")  # queued behind every job of the pass in every thread: once back, those are done or skipped
    stopped_at = d.gets
    assert stopped_at <= 20 + nthread * _PREFETCH
    time.sleep(0.05)
    assert d.gets == stopped_at  # nothing keeps fetching after the break
    # a new pass starts from the beginning
    fresh = it()
    first = [next(fresh) for _ in range(5)]
    assert first == [0, 1, 2, 3, 4] if ordered else (len(set(first)) == 5 and max(first) < 5 + nthread * _PREFETCH)
    del fresh
    threads = it._threads
    del it
    gc.collect()
    for t in threads:
        t.join(timeout=5)
    assert not any(t.is_alive() for t in threads)  # dropping the iterator stops its threads


def test_parallel_small_and_empty():
    it = tnt.ParallelDatasetIterator(closure=lambda tid: ListDS([]), nthread=4, ordered=True)
    assert list(it) == []
    it.close()
    it = tnt.ParallelDatasetIterator(closure=lambda tid: ListDS(["a", "b"]), nthread=8, ordered=True)
    assert list(it) == ["a", "b"]
    assert list(it.filter(lambda s: s == "b")) == ["b"]  # DatasetIterator's stacking works on it
    assert repr(it) == "tnt.ParallelDatasetIterator(nthread=8, ordered=True)"
    assert torch.typename(it) == "tnt.ParallelDatasetIterator"
    it.close()


def test_dataset_parallel_sugar():
    it = six().parallel(nthread=2, ordered=True, transform=lambda x: x + 100)
    assert list(it) == [101, 102, 103, 104, 105, 106]
    it.close()
