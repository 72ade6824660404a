"""torch7.distributed trees: allReduce, scatter, uneven endings, errors, rendezvous.

Most tests run every node of a tree as a thread of this process (``run_nodes``), over real TCP
sockets on 127.0.0.1 with OS-chosen ports; a few start real processes. Every socket operation has a
small timeout, and ``run_nodes`` fails the test if a node is still running afterwards: a hang is a
failure, never a stuck CI job.
"""

from __future__ import annotations

import math
import queue
import socket
import threading
import time

import numpy as np
import pytest

import torch7 as torch
from torch7.distributed import DistributedError, Tree, walkTable
from torch7.distributed._shape import childrenOf

TIMEOUT = 10.0


def run_nodes(n, fn, base=2, timeout=TIMEOUT, build=None):
    """Run ``fn(tree)`` on every node of an ``n``-node Tree, one thread each; returns (results, errors).

    ``build(i, publish, query)`` may construct the tree instead of ``Tree``.
    """
    addr = queue.Queue()

    def publish(host, port):
        for _ in range(n - 1):
            addr.put((host, port))

    def make(i):
        if build is not None:
            return build(i, publish, lambda: addr.get(timeout=timeout))
        if i == 0:
            return Tree(0, n, base, publish=publish, timeout=timeout)
        host, port = addr.get(timeout=timeout)
        return Tree(i, n, base, host=host, port=port, timeout=timeout)

    results, errors = [None] * n, [None] * n

    def node(i):
        try:
            with make(i) as tree:
                results[i] = fn(tree)
        except BaseException as e:  # reported to the test
            errors[i] = e

    threads = [threading.Thread(target=node, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(4 * timeout + 10)
    assert not any(t.is_alive() for t in threads), "a node hung"
    return results, errors


def ok(pair):
    results, errors = pair
    for i, e in enumerate(errors):
        if e is not None:
            raise AssertionError(f"node {i} failed: {e!r}") from e
    return results


def tree_order_sum(values, i, n, base):
    """The float32 sum in the tree's order: own value, then each child's subtree, ascending."""
    acc = values[i].copy()
    for c in childrenOf(i, n, base):
        acc += tree_order_sum(values, c, n, base)
    return acc


# ---- allReduce -----------------------------------------------------------------------------------

@pytest.mark.parametrize("base", [2, 3])
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_allreduce_sum_tensors_and_lists(n, base):
    rng = np.random.default_rng(n * 10 + base)
    a = [rng.standard_normal((3, 4)).astype(np.float32) for _ in range(n)]
    b = [rng.integers(-100, 100, 5) for _ in range(n)]

    def work(tree):
        i = tree.nodeIndex
        x = torch.from_numpy(a[i].copy())
        y, count = tree.allReduce(x, lambda u, v: u.add(v))
        assert y is x
        lst = [torch.from_numpy(a[i].copy()), torch.from_numpy(b[i].copy()), float(i)]
        out, count2 = tree.allReduce(lst)
        assert out is lst
        return x.numpy().copy(), count, lst[0].numpy().copy(), lst[1].numpy().copy(), lst[2], count2

    results = ok(run_nodes(n, work, base))
    expect = tree_order_sum(a, 0, n, base)
    np.testing.assert_allclose(expect, np.sum(a, axis=0), rtol=1e-5, atol=1e-5)
    for x, count, l0, l1, l2, count2 in results:
        assert count == count2 == n
        assert x.tobytes() == expect.tobytes()  # bit-identical on every node
        assert l0.tobytes() == expect.tobytes()
        np.testing.assert_array_equal(l1, np.sum(b, axis=0))
        assert l2 == sum(range(n))


def test_allreduce_numbers_and_nested_tables():
    def work(tree):
        i = tree.nodeIndex
        v = {"b": [i, 1.5 * i], "a": torch.LongTensor([i, 10 * i])}
        tree.allReduce(v)
        s, _ = tree.allReduce(i + 1)
        return v["b"], v["a"].totable(), s

    for b, a, s in ok(run_nodes(4, work)):
        assert b == [6, 9.0] and a == [6, 60] and s == 10


def test_large_tensors_and_special_numbers():
    def work(tree):
        big = torch.FloatTensor(1 << 20).fill(tree.nodeIndex + 1)  # 4 MiB: many partial sends and receives
        tree.allReduce(big)
        special = tree.scatter([math.inf, -0.0, math.nan] if tree.nodeIndex == 0 else [0.0, 0.0, 0.0])
        return float(big.min()), float(big.max()), special

    for lo, hi, (inf, negzero, nan) in ok(run_nodes(3, work)):
        assert lo == hi == 6 and inf == math.inf and math.copysign(1, negzero) == -1 and math.isnan(nan)


def test_big_random_tensors_are_bit_identical_everywhere():
    n, rows = 4, 20000
    rng = np.random.default_rng(5)
    a = [rng.standard_normal((rows, 7)).astype(np.float32) for _ in range(n)]
    src = rng.standard_normal((rows, 7))

    def work(tree):
        i = tree.nodeIndex
        x, m = torch.from_numpy(a[i].copy()), torch.from_numpy(a[i].copy())
        gap = torch.from_numpy(np.ascontiguousarray(a[i].T)).t()  # not contiguous
        tree.allReduce([x, gap])
        tree.allReduce(m, "max")
        s = tree.scatter(torch.from_numpy(src.copy() if i == 0 else np.zeros_like(src)))
        return x.numpy().copy(), gap.numpy().copy(), m.numpy().copy(), s.numpy().copy()

    expect = tree_order_sum(a, 0, n, 2)
    for x, gap, m, s in ok(run_nodes(n, work)):
        assert x.tobytes() == expect.tobytes() and gap.tobytes() == expect.tobytes()
        np.testing.assert_array_equal(m, np.max(a, axis=0))
        np.testing.assert_array_equal(s, src)


def test_allreduce_custom_and_named_reduces():
    def work(tree):
        i = tree.nodeIndex
        m = torch.DoubleTensor([i, -i, 3 - i])
        tree.allReduce(m, lambda u, v: u.cmax(v))
        lo = torch.DoubleTensor([i, -i, 3 - i])
        tree.allReduce(lo, "min")
        p = torch.DoubleTensor([i + 1, 2])
        tree.allReduce(p, "prod")
        new = torch.FloatTensor(2).fill(i)
        tree.allReduce(new, lambda u, v: u + v)  # returns a new tensor: copied into ours
        mx, _ = tree.allReduce(float(i), max)
        return m.totable(), lo.totable(), p.totable(), new.totable(), mx

    for m, lo, p, new, mx in ok(run_nodes(4, work, base=3)):
        assert m == [3, 0, 3] and lo == [0, -3, 0] and p == [24, 16] and new == [6, 6] and mx == 3.0


def test_allreduce_non_contiguous_and_empty_tensors():
    def work(tree):
        i = tree.nodeIndex
        t = torch.DoubleTensor([[1, 2, 3], [4, 5, 6]]).mul(i + 1).t()  # a transposed view
        e = torch.FloatTensor()
        tree.allReduce([t, e])
        tree.scatter(t)
        return t.totable(), e.nElement()

    for t, ne in ok(run_nodes(3, work)):
        assert t == [[6, 24], [12, 30], [18, 36]] and ne == 0


def test_allreduce_reuses_the_receive_buffer():
    def work(tree):
        x = torch.FloatTensor(1000).fill(1)
        tree.allReduce(x)
        first = tree._temp._buf
        for _ in range(3):
            tree.allReduce(torch.FloatTensor(1000).fill(1))
            tree.allReduce(torch.DoubleTensor(10).fill(1))  # smaller: fits in the same bytes
        return tree._temp._buf is first, tree.netStats()

    results = ok(run_nodes(3, work))
    assert results[0][0]  # the root receives from children into one buffer
    stats = results[1][1]  # a leaf: sends its 7 values up and gets 7 back, each with a count
    payload = 4 * 4000 + 3 * 80
    assert payload < stats["bytesSent"] < payload + 2000 and payload < stats["bytesReceived"] < payload + 2000
    assert stats["messagesSent"] == stats["messagesReceived"] == 2 * 7 + 2  # + hello/ready, parent/start


# ---- scatter -------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 4, 5])
def test_scatter(n):
    def work(tree):
        i = tree.nodeIndex
        v = [torch.DoubleTensor(3).fill(i + 7), i]
        out = tree.scatter(v)
        assert out is v
        return v[0].totable(), v[1], tree.scatter(100 + i)

    for t, num, bare in ok(run_nodes(n, work, base=3)):
        assert t == [7, 7, 7] and num == 0 and bare == 100


# ---- uneven endings ------------------------------------------------------------------------------

def test_uneven_number_of_steps():
    # torch-ipc's testUnevenNumberOfSteps, 0-based: node j takes j + 1 steps contributing j + 1 each,
    # then finishes with allReduce(None, reduce, zero)
    n = 4

    def work(tree):
        j = tree.nodeIndex
        total, counts = 0, []
        for _ in range(j + 1):
            v, c = tree.allReduce(j + 1, lambda a, b: a + b)
            total += v
            counts.append(c)
        v, c = tree.allReduce(None, lambda a, b: a + b, lambda a, i: 0)
        return total + v, counts, c

    for j, (total, counts, last) in enumerate(ok(run_nodes(n, work))):
        assert total == sum(sum(range(s, n + 1)) for s in range(1, j + 2))
        assert counts == [n - s for s in range(j + 1)]  # contributors per step
        assert last == 0


def test_uneven_ending_with_tensors_zero_index_and_last_value():
    def work(tree):
        j = tree.nodeIndex
        seen = []
        grads = [torch.DoubleTensor(2).fill(1), torch.DoubleTensor(3).fill(1)]
        for _ in range(j + 1):
            grads[0].fill(j + 1)
            grads[1].fill(j + 1)
            _, n = tree.allReduce(grads)
        out, n = tree.allReduce(None, "sum", lambda t, i: seen.append(i) or t.fill(0))
        assert out is grads
        return n, seen, grads[0].totable()

    results = ok(run_nodes(3, work))
    for j, (n, seen, g) in enumerate(results):
        assert n == 0 and g == [0, 0]
        assert seen == [0, 1] * (3 - j)  # the zero function ran once per leaf in every joined round


def test_none_without_zero_or_history_is_an_error():
    tree = Tree(0, 1)
    with pytest.raises(ValueError, match="only a finished node"):
        tree.allReduce(None)
    with pytest.raises(ValueError, match="no earlier"):
        tree.allReduce(None, "sum", lambda v, i: 0)
    with pytest.raises(ValueError, match="unknown reduce"):
        tree.allReduce(1, "mean")
    with pytest.raises(TypeError, match="tensors or numbers"):
        tree.allReduce(["a"])


# ---- errors: mismatches, dead peers, timeouts ----------------------------------------------------

def test_size_mismatch_names_both_sizes():
    def work(tree):
        tree.allReduce(torch.FloatTensor(3 if tree.nodeIndex == 1 else 4).fill(1))

    _, errors = run_nodes(3, work)
    assert all(isinstance(e, DistributedError) for e in errors)
    msg = str(errors[0])
    assert "node 0" in msg and "node 1" in msg and "allReduce" in msg and " 4 " in msg and "size 3" in msg


def test_type_mismatch():
    def work(tree):
        cls = torch.DoubleTensor if tree.nodeIndex == 0 else torch.FloatTensor
        tree.scatter(cls(2).fill(1))

    _, errors = run_nodes(2, work)
    assert errors[0] is None  # the root only sends
    assert isinstance(errors[1], DistributedError)
    assert "torch.FloatTensor" in str(errors[1]) and "torch.DoubleTensor" in str(errors[1])


def test_tensor_against_number_mismatch():
    def work(tree):
        tree.allReduce(torch.FloatTensor(1).fill(1) if tree.nodeIndex == 0 else 1.0)

    _, errors = run_nodes(2, work)
    assert isinstance(errors[0], DistributedError) and "a number" in str(errors[0])


def test_dead_peer_raises_instead_of_hanging():
    def work(tree):
        if tree.nodeIndex == 2:
            tree.close()  # dies before the collective
            return None
        t0 = time.monotonic()
        with pytest.raises(DistributedError) as info:
            tree.allReduce(torch.FloatTensor(4).fill(1))
        return str(info.value), time.monotonic() - t0, tree.allReduce

    results = ok(run_nodes(4, work, timeout=TIMEOUT))
    msg, took, _ = results[0]
    assert "node 0" in msg and "allReduce" in msg and took < TIMEOUT / 2  # the error spreads at once
    for r in results[1:2] + results[3:]:
        assert "allReduce" in r[0]
    with pytest.raises(DistributedError, match="closed tree"):
        results[0][2](1)


def test_silent_peer_times_out():
    release = threading.Event()

    def work(tree):
        if tree.nodeIndex == 1:
            release.wait(5)  # alive but never joins the collective
            return None
        try:
            tree.allReduce(1.0)
        finally:
            release.set()

    _, errors = run_nodes(2, work, timeout=0.5)
    assert isinstance(errors[0], DistributedError)
    assert "timed out after 0.5 s waiting for node 1 during allReduce" in str(errors[0])


def test_construction_times_out_without_a_root():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    with pytest.raises(DistributedError, match="node 1: could not reach the root"):
        Tree(1, 2, host="127.0.0.1", port=port, timeout=0.3)
    assert time.monotonic() - t0 < 3


def test_root_refuses_a_node_built_for_another_tree():
    port, errors = queue.Queue(), []

    def root():
        try:
            Tree(0, 2, publish=lambda host, p: port.put(p), timeout=TIMEOUT)
        except BaseException as e:
            errors.append(e)

    t = threading.Thread(target=root, daemon=True)
    t.start()
    with pytest.raises(DistributedError, match="refused this node: node 1 was built with numNodes=3"):
        Tree(1, 3, port=port.get(timeout=TIMEOUT), timeout=TIMEOUT)
    t.join(TIMEOUT)
    assert not t.is_alive() and "refused a node" in str(errors[0])


def test_bad_arguments():
    with pytest.raises(ValueError, match="0-based"):
        Tree(3, 3)
    with pytest.raises(ValueError, match="base"):
        Tree(0, 2, 1)
    with pytest.raises(ValueError, match="needs the root's port"):
        Tree(1, 2)
    with pytest.raises(TypeError, match="nodeIndex must be an int"):
        Tree(0.0, 1)


def test_cuda_tensors_travel_through_host_copies():
    # on StrictCupy without a GPU (device arrays that refuse host arrays), on CuPy with one
    from strict_cupy import StrictCupy

    from torch7._core import backend

    old = None if backend.is_available() else backend._set_for_tests(StrictCupy())
    try:
        def work(tree):
            i = tree.nodeIndex
            g = torch.FloatTensor([i, 2 * i, 3]).cuda()
            w = torch.DoubleTensor(2, 2).fill(i).cudaDouble().t()  # not contiguous
            tree.allReduce([g, w])
            summed = w.double().totable()
            tree.scatter(w.fill(i + 10))
            return g.type(), g.float().totable(), w.type(), summed, w.double().totable()

        for gt, g, wt, summed, w in ok(run_nodes(3, work)):
            assert (gt, wt) == ("torch.CudaTensor", "torch.CudaDoubleTensor")
            assert g == [3.0, 6.0, 9.0] and summed == [[3.0, 3.0], [3.0, 3.0]] and w == [[10.0, 10.0], [10.0, 10.0]]
    finally:
        if old is not None:
            backend._restore(old)


# ---- walkTable -----------------------------------------------------------------------------------

def test_walk_table_order_and_replacement():
    seen = []
    v = {"z": 1, "a": [2, (3, torch.FloatTensor([4]))], 5: 6}
    walkTable(v, lambda x: seen.append(x if not torch.isTensor(x) else "T"))
    assert seen == [2, 3, "T", 1, 6]  # keys of mixed types sort by repr: "'a'" < "'z'" < "5"
    assert walkTable([1, [2]], lambda x: x + 1) == [2, [3]]
    assert Tree.walkTable(7, lambda x: x * 2) == 14
    with pytest.raises(TypeError, match="tuple"):
        walkTable((1, 2), lambda x: x + 1)
    loop = [1]
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        walkTable(loop, lambda x: None)


def test_numbers_in_tuples_are_refused_before_sending():
    tree = Tree(0, 1)
    with pytest.raises(TypeError, match="tuple"):
        tree.allReduce((torch.FloatTensor(1), 2.0))
    assert tree.allReduce((torch.FloatTensor(1).fill(3),))[1] == 1  # still usable; tensors in tuples are fine
