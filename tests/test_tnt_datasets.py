"""torchnet's datasets (all but IndexedDataset): torchnet's test/datasets.lua re-written 0-based, plus more."""

from __future__ import annotations

import math

import numpy as np
import pytest

import torch7 as torch
from torch7 import tnt


def ident(x):
    return x


def records(n):
    """torchnet's BatchDataset test data, 0-based: input i, target LongTensor {i, 2i}."""
    return tnt.TableDataset([{"input": i, "target": torch.LongTensor([i, 2 * i])} for i in range(n)])


# ---- TableDataset / ListDataset -------------------------------------------------------------------


def test_tabledataset():
    d = tnt.TableDataset({"data": [1, 2, 3]})
    assert d.size() == 3 and len(d) == 3
    assert [d.get(i) for i in range(3)] == [1, 2, 3]
    assert tnt.TableDataset(data=[5]).get(0) == 5


def test_tabledataset_returns_copies():
    t = torch.Tensor([1, 2])
    d = tnt.TableDataset([{"x": t, "tags": ["a"]}])
    s = d.get(0)
    s["x"].fill(7)
    s["tags"].append("b")
    assert t.totable() == [1.0, 2.0]
    assert d.get(0)["tags"] == ["a"]


@pytest.mark.parametrize("items", [[1, 2, 3], (1, 2, 3), torch.LongTensor([1, 2, 3]), np.array([1, 2, 3])])
def test_listdataset_kinds(items):
    d = tnt.ListDataset(items, ident)
    assert d.size() == 3
    assert d.get(0) == 1 and d.get(2) == 3
    assert type(d.get(1)) is not torch.LongTensor


def test_listdataset_tensor_items_are_ints_and_default_load():
    d = tnt.ListDataset(torch.LongTensor([4, 5]))
    assert d.get(1) == 5 and isinstance(d.get(1), int)


def test_listdataset_path():
    d = tnt.ListDataset([1, 2, 3], lambda x: "bar/" + x, "foo")
    assert d.size() == 3
    assert d.get(2) == "bar/foo/3"
    d = tnt.ListDataset({"list": ["a"], "load": ident, "path": "dir"})
    assert d.get(0) == "dir/a"


def test_listdataset_file(tmp_path, capsys):
    fn = tmp_path / "list.txt"
    fn.write_text("".join(f"{i}\n" for i in range(1, 51)))
    d = tnt.ListDataset(str(fn), ident, "foo")  # a string third argument is the path
    assert d.size() == 50
    assert d.get(14) == "foo/15"
    assert f"| loaded <{fn}> with 50 examples" in capsys.readouterr().out
    d = tnt.ListDataset(filename=fn, load=ident, maxload=7)
    assert d.size() == 7 and d.get(6) == "7"
    d = tnt.ListDataset(fn, ident, 0, "p")  # maxload <= 0 reads everything
    assert d.size() == 50 and d.get(49) == "p/50"


@pytest.mark.parametrize("idx, exc", [(3, IndexError), (-1, IndexError), (1.5, TypeError), ("1", TypeError),
                                      (True, TypeError)])
def test_get_rejects_bad_indices(idx, exc):
    d = tnt.TableDataset([1, 2, 3])
    with pytest.raises(exc, match="tnt.TableDataset.get"):
        d.get(idx)


def test_get_accepts_integral_numbers():
    d = tnt.TableDataset([1, 2, 3])
    assert d.get(2.0) == 3 and d.get(np.int64(1)) == 2
    assert d[-1] == 3


@pytest.mark.parametrize("make, exc, pattern", [
    (lambda: tnt.TableDataset(5), TypeError, "data must be a list"),
    (lambda: tnt.TableDataset(), TypeError, "missing argument 'data'"),
    (lambda: tnt.ListDataset(5, ident), TypeError, "list must be"),
    (lambda: tnt.ListDataset(torch.LongTensor(2, 2), ident), ValueError, "1-D"),
    (lambda: tnt.ListDataset([1], 5), TypeError, "load must be a function"),
    (lambda: tnt.ListDataset([1], ident, 3), TypeError, "path must be a string"),
    (lambda: tnt.ListDataset([1], ident, bogus=1), TypeError, "unknown argument 'bogus'"),
])
def test_list_table_bad_arguments(make, exc, pattern):
    with pytest.raises(exc, match=pattern):
        make()


# ---- TransformDataset -----------------------------------------------------------------------------


SAMPLES = [{"input": 1, "target": 1}, {"input": 2, "target": 2}, {"input": 3, "target": 3}]


def test_transformdataset_whole_sample_and_key():
    d = tnt.TransformDataset({"dataset": tnt.TableDataset([1, 2, 3]), "transform": lambda x: x * 2})
    assert d.size() == 3 and d.get(1) == 4
    d = tnt.TransformDataset(dataset=tnt.TableDataset(SAMPLES), transform=lambda x: x * 2, key="input")
    assert d.size() == 3
    assert d.get(1) == {"input": 4, "target": 2}


def test_transformdataset_transforms_dict():
    base = tnt.TableDataset(SAMPLES)
    f = {"input": lambda x: x + 1, "target": lambda x: x * 2}
    for d in (tnt.TransformDataset(dataset=base, transforms=f), tnt.TransformDataset(base, f)):
        assert d.size() == 3
        assert d.get(1) == {"input": 3, "target": 4}


def test_transformdataset_chained_sugar():
    d = tnt.TableDataset(SAMPLES).transform(lambda x: x + 1, "input").transform(lambda x: x * 2, "target")
    assert d.size() == 3
    assert d.get(1) == {"input": 3, "target": 4}
    assert SAMPLES[1] == {"input": 2, "target": 2}  # the TableDataset hands out copies


def test_transformdataset_passes_the_index():
    d = tnt.TableDataset([10, 20, 30]).transform(lambda x, idx: (x, idx))
    assert [d.get(i) for i in range(3)] == [(10, 0), (20, 1), (30, 2)]
    d = tnt.TableDataset(SAMPLES).transform(lambda v, idx: v * 100 + idx, "target")
    assert d.get(2)["target"] == 302
    assert tnt.TableDataset(["7"]).transform(int).get(0) == 7  # a builtin gets the value only


@pytest.mark.parametrize("kwargs, exc, pattern", [
    ({"transform": None}, TypeError, "missing argument 'transform'"),
    ({"transform": 3}, TypeError, "transform must be a function"),
    ({"transforms": {"input": 3}}, TypeError, "transforms\\['input'\\] must be a function"),
    ({"transform": ident, "transforms": {"input": ident}}, TypeError, "not both"),
    ({"transforms": [ident]}, TypeError, "transforms must be a dict"),
])
def test_transformdataset_bad_arguments(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        tnt.TransformDataset(tnt.TableDataset(SAMPLES), **kwargs)
    with pytest.raises(TypeError, match="dataset must be a tnt.Dataset"):
        tnt.TransformDataset([1, 2], ident)


def test_transformdataset_missing_key():
    d = tnt.TransformDataset(tnt.TableDataset(SAMPLES), ident, "label")
    with pytest.raises(KeyError, match="sample 0 has no key 'label'"):
        d.get(0)
    d = tnt.TransformDataset(tnt.TableDataset(SAMPLES), transforms={"label": ident})
    with pytest.raises(KeyError, match="no key 'label'"):
        d.get(1)


# ---- ConcatDataset / ResampleDataset / ShuffleDataset / SplitDataset ------------------------------


def test_concatdataset():
    d = tnt.ConcatDataset({"datasets": [tnt.TableDataset([1, 2, 3]), tnt.TableDataset([4, 5, 6]),
                                        tnt.TableDataset([7, 8, 9])]})
    assert d.size() == 9
    assert [d.get(i) for i in range(9)] == list(range(1, 10))


def test_concatdataset_uneven_and_empty_parts():
    parts = [tnt.TableDataset(list(range(0, 1))), tnt.TableDataset([]), tnt.TableDataset(list(range(1, 5))),
             tnt.TableDataset([]), tnt.TableDataset(list(range(5, 7)))]
    d = tnt.ConcatDataset(parts)
    assert d.size() == 7
    assert [d.get(i) for i in range(7)] == list(range(7))
    with pytest.raises(IndexError, match="index 7 out of range"):
        d.get(7)


@pytest.mark.parametrize("arg, exc, pattern", [([], ValueError, "empty"), ([tnt.TableDataset([1]), [2]],
                                               TypeError, r"datasets\[1\] is a list"), (5, TypeError, "list")])
def test_concatdataset_bad_arguments(arg, exc, pattern):
    with pytest.raises(exc, match=pattern):
        tnt.ConcatDataset(arg)


def test_resampledataset():
    tbl = tnt.TableDataset([1, 2, 3])

    def sampler(dataset, i):
        return (i + 1) % 3

    d = tnt.ResampleDataset(tbl, sampler)
    assert d.size() == 3
    assert d.get(0) == 2 and d.get(2) == 1
    d = tnt.ResampleDataset(tbl, sampler, 2)
    assert d.size() == 2 and d.get(0) == 2
    with pytest.raises(IndexError, match="out of range"):
        d.get(2)


def test_resampledataset_defaults_and_bad_sampler():
    tbl = tnt.TableDataset([1, 2, 3])
    assert [tbl.resample().get(i) for i in range(3)] == [1, 2, 3]
    assert tnt.ResampleDataset(tbl, size=0).size() == 3  # size <= 0 means the underlying size
    assert tnt.ResampleDataset(tbl, size=5, sampler=lambda ds, i: i % 3).get(4) == 2
    d = tnt.ResampleDataset(tbl, lambda ds, i: i + 1)
    with pytest.raises(IndexError, match=r"sampler\(2\): index 3 out of range"):
        d.get(2)
    with pytest.raises(TypeError, match="sampler must be a function"):
        tnt.ResampleDataset(tbl, 3)


def test_shuffledataset_is_a_permutation():
    tbl = tnt.TableDataset([1, 2, 3, 4, 5])
    d = tnt.ShuffleDataset(tbl)
    assert d.size() == 5
    assert sorted(d.get(i) for i in range(5)) == [1, 2, 3, 4, 5]
    assert [d.get(i) for i in range(5)] == [d.get(i) for i in range(5)]  # fixed until resample()


def test_shuffledataset_uses_torch_generator():
    tbl = tnt.TableDataset(list(range(20)))
    torch.manualSeed(7)
    expected = torch.randperm(20).totable()
    expected2 = torch.randperm(20).totable()
    torch.manualSeed(7)
    d = tbl.shuffle()
    assert [d.get(i) for i in range(20)] == expected
    d.resample()
    assert [d.get(i) for i in range(20)] == expected2
    torch.manualSeed(7)
    d = tnt.ShuffleDataset(tbl, 6)
    assert d.size() == 6 and [d.get(i) for i in range(6)] == expected[:6]


def test_shuffledataset_with_replacement():
    tbl = tnt.TableDataset(list(range(4)))
    torch.manualSeed(3)
    draws = (torch.LongTensor(50).random(4) - 1).totable()  # Torch7's 1..n draws, 0-based
    torch.manualSeed(3)
    d = tnt.ShuffleDataset({"dataset": tbl, "size": 50, "replacement": True})
    assert d.size() == 50
    assert [d.get(i) for i in range(50)] == draws
    assert set(draws) == {0, 1, 2, 3}


def test_shuffledataset_bad_size():
    with pytest.raises(ValueError, match="size 6 cannot be larger than the underlying dataset size 5"):
        tnt.ShuffleDataset(tnt.TableDataset([1, 2, 3, 4, 5]), 6)


def test_splitdataset_sizes():
    tbl = tnt.TableDataset([1, 2, 3, 4, 5, 6])
    d = tnt.SplitDataset(tbl, {"train": 2, "val": 4})
    assert d.size() == 2
    d.select("train")
    assert d.size() == 2 and d.get(0) == 1
    d.select("val")
    assert d.size() == 4 and d.get(0) == 3 and d.get(3) == 6
    with pytest.raises(IndexError):
        d.get(4)


def test_splitdataset_fractions_and_initial_partition():
    tbl = tnt.TableDataset(list(range(10)))
    d = tbl.split({"a": 1 / 3, "b": 2 / 3}, "b")
    assert d.partition == "b"
    assert d.size() == math.floor(10 * 2 / 3) == 6
    assert [d.get(i) for i in range(6)] == [3, 4, 5, 6, 7, 8]
    d = tnt.SplitDataset(dataset=tbl, partitions={"val": 0.2, "train": 0.8})
    assert d.size() == 2 and d.get(1) == 1  # dict order: val first
    d.select("train")
    assert [d.get(i) for i in range(8)] == list(range(2, 10))


@pytest.mark.parametrize("partitions, pattern", [
    ({"a": 1}, "at least two partitions"),
    ({"a": -1, "b": 3}, "negative"),
    ({"a": 0, "b": 0}, "all partitions are empty"),
    ({"a": 0.2, "b": 0.3}, "sizes must be integers"),
    ({"a": 4, "b": 3}, "sum to 7, more than the dataset size 6"),
])
def test_splitdataset_bad_partitions(partitions, pattern):
    with pytest.raises(ValueError, match=pattern):
        tnt.SplitDataset(tnt.TableDataset([1, 2, 3, 4, 5, 6]), partitions)


def test_splitdataset_select_unknown():
    d = tnt.TableDataset([1, 2, 3, 4]).split({"train": 2, "val": 2})
    with pytest.raises(ValueError, match="partition 'test' not found"):
        d.select("test")
    with pytest.raises(ValueError, match="not found"):
        tnt.SplitDataset(tnt.TableDataset([1, 2, 3, 4]), {"train": 2, "val": 2}, "test")


# ---- BatchDataset ---------------------------------------------------------------------------------


def test_batchdataset():
    tbl = records(100)
    d = tnt.BatchDataset(tbl, 30)
    assert d.size() == 4
    batch = d.get(1)
    assert isinstance(batch["input"], list) and len(batch["input"]) == 30
    assert batch["input"][0] == 30
    assert torch.typename(batch["target"]) == "torch.LongTensor"
    assert batch["target"].size(0) == 30 and batch["target"].numel() == 60
    assert batch["target"][0][1] == 60
    np.testing.assert_array_equal(batch["target"].numpy(), np.stack([np.arange(30, 60), np.arange(60, 120, 2)], 1))
    assert len(d.get(3)["input"]) == 10  # the last batch has the remainder


def test_batchdataset_policies_as_in_torchnet():
    tbl = records(100)
    d = tnt.BatchDataset(tbl, 30, "skip-last")
    assert d.size() == 3 and len(d.get(2)["input"]) == 30
    with pytest.raises(ValueError, match="not divisible"):
        tnt.BatchDataset(tbl, 30, "divisible-only")
    d = tnt.BatchDataset(tbl, 20, "divisible-only")
    assert d.size() == 5 and len(d.get(2)["input"]) == 20


@pytest.mark.parametrize("n", [1, 7, 12])
@pytest.mark.parametrize("bs", [1, 3, 4, 12, 13])
@pytest.mark.parametrize("policy", ["include-last", "skip-last", "divisible-only"])
def test_batchdataset_every_policy(n, bs, policy):
    tbl = tnt.TableDataset([{"x": i} for i in range(n)])
    if policy == "divisible-only" and n % bs:
        with pytest.raises(ValueError, match=f"dataset size {n} is not divisible by batch size {bs}"):
            tbl.batch(bs, policy=policy)
        return
    d = tbl.batch(bs, policy=policy)
    nbatch = -(-n // bs) if policy == "include-last" else n // bs
    assert d.size() == nbatch
    got = [d.get(i)["x"] for i in range(nbatch)]
    assert got == [list(range(i * bs, min(i * bs + bs, n))) for i in range(nbatch)]
    with pytest.raises(IndexError):
        d.get(nbatch)


@pytest.mark.parametrize("bs", [0, -2, 2.5, "4", True])
def test_batchdataset_bad_batchsize(bs):
    with pytest.raises((ValueError, TypeError), match="batchsize"):
        tnt.BatchDataset(records(4), bs)


@pytest.mark.parametrize("args, kwargs, exc, pattern", [
    ((), {"policy": "last"}, ValueError, "invalid policy 'last'"),
    ((5,), {}, TypeError, "positional argument 5 after batchsize"),
    ((ident, ident, ident, ident), {}, TypeError, "fits none"),
    ((), {"perm": 3}, TypeError, "perm must be a function"),
    ((), {"filter": 3}, TypeError, "filter must be a function"),
    (("skip-last",), {"policy": "skip-last"}, TypeError, "given twice"),
])
def test_batchdataset_bad_arguments(args, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        tnt.BatchDataset(records(4), 2, *args, **kwargs)
    with pytest.raises(TypeError, match="dataset must be a tnt.Dataset"):
        tnt.BatchDataset([1, 2], 2)


def test_batchdataset_custom_merge():
    tbl = records(100)

    def merge(fields):
        return {k: torch.IntTensor(v) if isinstance(v[0], int) else tnt.utils.table.mergetensor(v)
                for k, v in fields.items()}

    d = tnt.BatchDataset({"dataset": tbl, "batchsize": 30, "merge": merge})
    assert d.size() == 4
    assert torch.typename(d.get(0)["input"]) == "torch.IntTensor"
    assert d.get(0)["input"].numel() == 30
    assert d.get(3)["input"].totable() == list(range(90, 100))


def test_batchdataset_perm_and_filter():
    tbl = records(10)
    d = tnt.BatchDataset(tbl, 4, lambda idx, size: size - 1 - idx)
    assert d.get(0)["input"] == [9, 8, 7, 6] and d.get(2)["input"] == [1, 0]
    torch.manualSeed(5)
    expected = torch.randperm(10).totable()
    torch.manualSeed(5)
    d = tbl.batch(5, tnt.transform.randperm(10))  # a perm of one argument
    assert d.get(0)["input"] + d.get(1)["input"] == expected
    d = tbl.batch(4, filter=lambda s: s["input"] % 3 == 0)
    assert [d.get(i)["input"] for i in range(3)] == [[0, 3], [6], [9]]
    assert d.get(1)["target"].totable() == [[6, 12]]


def test_batchdataset_positional_arguments_bind_by_type():
    tbl = records(10)
    rev = lambda idx, size: size - 1 - idx  # noqa: E731
    d = tnt.BatchDataset(tbl, 4, rev, "skip-last", lambda s: s["input"] != 8)
    assert d.policy == "skip-last" and d.size() == 2
    assert d.get(0)["input"] == [9, 7, 6]
    d = tnt.BatchDataset(tbl, 4, None, lambda f: {"n": len(f["input"])}, "include-last")
    assert d.get(2) == {"n": 2}


def test_makebatch_in_batchdataset_types():
    data = [{"f": torch.FloatTensor(2, 3).fill(i), "i": torch.IntTensor([i]), "s": str(i), "n": 0.5 * i}
            for i in range(3)]
    b = tnt.TableDataset(data).batch(3).get(0)
    assert b["f"].type() == "torch.FloatTensor" and tuple(b["f"].size()) == (3, 2, 3)
    np.testing.assert_array_equal(b["f"].numpy(), np.arange(3)[:, None, None] * np.ones((3, 2, 3)))
    assert b["i"].type() == "torch.IntTensor" and b["i"].totable() == [[0], [1], [2]]
    assert b["s"] == ["0", "1", "2"] and b["n"] == [0.0, 0.5, 1.0]


def test_batchdataset_of_plain_values_fails_clearly():
    with pytest.raises(TypeError, match="sample 0 must be a dict, got int"):
        tnt.TableDataset([1, 2]).batch(2).get(0)


# ---- CoroutineBatchDataset ------------------------------------------------------------------------


def test_coroutinebatchdataset_basic():
    d = tnt.CoroutineBatchDataset(records(100), 20)
    assert d.size() == 5
    assert d.get(1)["input"] == list(range(20, 40))
    assert tuple(d.get(1)["target"].size()) == (20, 2)
    plain = tnt.BatchDataset(records(100), 20)
    for i in range(5):
        assert d.get(i)["input"] == plain.get(i)["input"]
        assert d.get(i)["target"].totable() == plain.get(i)["target"].totable()


class BufferedDataset(tnt.Dataset):
    """torchnet's coroutine test dataset: each get registers its key, pauses, then the first resumed fetches all."""

    def __init__(self, batch):
        self.keys, self.buffer, self.batch, self.fetches = [], {}, batch, 0

    def size(self):
        return 100

    def get(self, i):
        self.keys.append(i)
        yield
        if i not in self.buffer:
            assert i % self.batch == 0, "expected to be the first sample"
            assert len(self.keys) == self.batch, "expected a full batch of keys"
            self.buffer.update((k, {"input": k * 2}) for k in self.keys)
            self.keys, self.fetches = [], self.fetches + 1
        assert self.keys == []
        return self.buffer.pop(i)


def test_coroutinebatchdataset_coroutines():
    base = BufferedDataset(20)
    d = tnt.CoroutineBatchDataset(base, 20)
    assert d.size() == 5
    assert d.get(1) == {"input": list(range(40, 80, 2))}
    assert d.get(4) == {"input": list(range(160, 200, 2))}
    assert base.fetches == 2 and base.buffer == {}


def test_coroutinebatchdataset_filter_and_generators_without_pause():
    class NoPause(tnt.Dataset):
        def size(self):
            return 6

        def get(self, i):
            if i >= 0:
                return {"input": i}
            yield  # makes get a generator function that finishes at once

    d = tnt.CoroutineBatchDataset(NoPause(), 4, filter=lambda s: s["input"] != 1)
    assert d.get(0) == {"input": [0, 2, 3]} and d.get(1) == {"input": [4, 5]}


def test_coroutinebatchdataset_two_yields_is_an_error():
    class Twice(tnt.Dataset):
        def size(self):
            return 2

        def get(self, i):
            yield
            yield
            return {"input": i}

    with pytest.raises(RuntimeError, match="more than once"):
        tnt.CoroutineBatchDataset(Twice(), 2).get(0)


# ---- chaining and exec ----------------------------------------------------------------------------


def test_chained_sugar_shuffle_batch_split():
    torch.manualSeed(11)
    base = tnt.TableDataset([{"input": torch.Tensor([i]), "target": i} for i in range(12)])
    d = base.shuffle().batch(5)
    assert d.size() == 3
    seen = sum((d.get(i)["target"] for i in range(3)), [])
    assert sorted(seen) == list(range(12)) and seen != list(range(12))
    s = base.split({"train": 0.75, "test": 0.25})
    b = s.batch(4)
    assert b.size() == 3
    assert b.exec("select", "test") is None  # forwarded to the SplitDataset
    assert b.size() == 1 and b.get(0)["target"] == [9, 10, 11]
    t = s.transform(lambda v: v * 10, "target").batch(2, policy="skip-last")
    assert t.get(0)["target"] == [90, 100]


def test_reprs():
    base = tnt.TableDataset([{"x": 1}, {"x": 2}, {"x": 3}])
    assert repr(base) == "tnt.TableDataset(size 3)"
    assert repr(base.batch(2)) == "tnt.BatchDataset(size 2, batchsize 2, policy 'include-last') on " \
                                  "tnt.TableDataset(size 3)"
    assert repr(tnt.ListDataset(["a"], ident, "p")) == "tnt.ListDataset(size 1, path 'p')"
    for ds in (base.shuffle(), base.resample(), base.split({"a": 1, "b": 2}), base.transform(ident),
               tnt.ConcatDataset([base]), tnt.CoroutineBatchDataset(base, 2)):
        assert repr(ds).startswith(torch.typename(ds) + "(")
    assert torch.typename(base.shuffle()) == "tnt.ShuffleDataset"
    assert isinstance(base.shuffle(), tnt.ResampleDataset) and isinstance(base, tnt.ListDataset)
    assert isinstance(tnt.CoroutineBatchDataset(base, 2), tnt.BatchDataset)


def test_exec_resample_reaches_the_wrapped_shuffle():
    # torchnet's idiom: iterator:exec('resample') redraws the ShuffleDataset under the batches
    torch.manualSeed(3)
    base = tnt.TableDataset([{"target": i} for i in range(20)])
    shuffled = base.shuffle()
    it = shuffled.batch(20).iterator()
    before = next(iter(it))["target"]
    assert it.exec("resample") is None
    after = next(iter(it))["target"]
    assert sorted(after) == list(range(20)) and after != before
    assert isinstance(shuffled.exec("batch", 4), tnt.BatchDataset)  # nothing to forward to: the sugar itself
