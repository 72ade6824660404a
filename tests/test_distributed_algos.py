"""torch7.distributed on top of the trees: AllReduceSGD, AllReduceEA, MPITree, the group, launch, the example.

The algorithms run on thread-per-node trees (``run_nodes`` from test_distributed.py) and are checked
against NumPy re-computations of torch-distlearn's formulas. ``MPITree`` runs on ``FakeComm``, threads
that implement the five mpi4py methods it calls (with mpi4py's names and signatures), so the translation
to MPI calls is tested without MPI. ``launch`` and the example start real processes.
"""

from __future__ import annotations

import json
import math
import os
import pathlib
import re
import subprocess
import sys
import threading
import types

import numpy as np
import pytest
from test_distributed import TIMEOUT, ok, run_nodes

import torch7 as torch
from torch7 import distributed as dist
from torch7.distributed import AllReduceEA, AllReduceSGD, DistributedError, MPITree, NullTree

ROOT = pathlib.Path(__file__).resolve().parents[1]


def grad_of(j, s, shape=(5,)):
    """A deterministic gradient for node j at step s."""
    return np.random.default_rng(1000 * j + s).standard_normal(shape)


# ---- AllReduceSGD ----------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 3, 4])
def test_sgd_normalized_gradients_are_the_mean(n):
    def work(tree):
        sgd = AllReduceSGD(tree)
        j = tree.nodeIndex
        grads = [torch.from_numpy(grad_of(j, 0)), torch.from_numpy(grad_of(j, 1, (2, 3)))]
        sgd.sumAndNormalizeGradients(grads)
        summed = torch.from_numpy(grad_of(j, 2))
        sgd.sumGradients(summed)
        return [g.numpy().copy() for g in grads], summed.numpy().copy(), sgd.stepsPerNode.totable()

    results = ok(run_nodes(n, work))
    for grads, summed, steps in results:
        np.testing.assert_allclose(grads[0], np.mean([grad_of(j, 0) for j in range(n)], axis=0), rtol=1e-12)
        np.testing.assert_allclose(grads[1], np.mean([grad_of(j, 1, (2, 3)) for j in range(n)], axis=0), rtol=1e-12)
        np.testing.assert_allclose(summed, np.sum([grad_of(j, 2) for j in range(n)], axis=0), rtol=1e-12)
        assert grads[0].tobytes() == results[0][0][0].tobytes()  # identical on every node
        assert sum(steps) == 2
    assert [r[2] for r in results] == [[2 if i == j else 0 for i in range(n)] for j in range(n)]


def test_sgd_synchronize_after_uneven_steps_gives_the_longest_runners_params():
    n, lr = 3, 0.1
    steps = [2, 4, 3]  # node 1 runs longest

    def work(tree):
        sgd = AllReduceSGD(tree)
        j = tree.nodeIndex
        params, grads = torch.DoubleTensor(5).fill(1), torch.DoubleTensor(5)
        counts = []
        for s in range(steps[j]):
            grads.copy(torch.from_numpy(grad_of(j, s)))
            _, c = tree.allReduce(grads)  # what sumAndNormalizeGradients does, plus the count
            grads.copy(torch.from_numpy(grad_of(j, s)))
            sgd.sumAndNormalizeGradients(grads)
            params.add(-lr, grads)
            counts.append(c)
        before = params.numpy().copy()
        sgd.synchronizeParameters(params)
        return before, params.numpy().copy(), sgd.stepsPerNode.totable(), counts

    results = ok(run_nodes(n, work))
    assert [r[3] for r in results] == [[3, 3], [3, 3, 2, 1], [3, 3, 2]]
    expect = np.ones(5)
    for s in range(max(steps)):
        contributors = [j for j in range(n) if steps[j] > s]
        expect -= lr * np.mean([grad_of(j, s) for j in contributors], axis=0)
    np.testing.assert_allclose(results[1][0], expect, rtol=1e-12)
    assert not np.allclose(results[0][0], expect)  # node 0 stopped early...
    for _, after, counter, _ in results:
        assert after.tobytes() == results[1][0].tobytes()  # ...and now has node 1's parameters, bit for bit
        assert counter == [0, 0, 0]


def test_sgd_synchronize_without_steps_scatters_the_root():
    def work(tree):
        params = [torch.DoubleTensor(3).fill(tree.nodeIndex + 1), torch.FloatTensor(2).fill(-tree.nodeIndex)]
        AllReduceSGD(tree).synchronizeParameters(params)
        return params[0].totable(), params[1].totable()

    assert ok(run_nodes(3, work)) == [([1, 1, 1], [0, 0])] * 3


# ---- AllReduceEA -----------------------------------------------------------------------------------

def ea_reference(steps, tau, alpha, lr, shapes):
    """NumPy re-computation of AllReduceEA over uneven step counts (torch-distlearn's formulas)."""
    n = len(steps)
    p = [[np.full(s, 1.0) for s in shapes] for _ in range(n)]
    c, d = [None] * n, [None] * n
    syncing = [False] * n

    def elastic(j):
        for i in range(len(shapes)):
            d[j][i] = alpha * (p[j][i] - c[j][i])
            p[j][i] = p[j][i] - d[j][i]

    def round_(final=False):
        for j in range(n):
            if syncing[j]:
                for i in range(len(shapes)):  # the zero function: last round's sum moves the center first
                    c[j][i] = c[j][i] + d[j][i]
            elastic(j)
        total = [sum(d[j][i] for j in range(n)) for i in range(len(shapes))]
        for j in range(n):
            d[j] = [t.copy() for t in total]
            if not syncing[j] and not final:
                c[j] = [ci + t for ci, t in zip(c[j], total)]

    for s in range(1, max(steps) + 1):
        for j in range(n):
            if s <= steps[j]:
                for i, shape in enumerate(shapes):
                    p[j][i] = p[j][i] - lr * grad_of(j, 10 * s + i, shape)
                if s == 1:  # as in torch-distlearn, a node's center starts at its params at its first call
                    c[j], d[j] = [x.copy() for x in p[j]], [x.copy() for x in p[j]]
            elif not syncing[j]:
                syncing[j] = True
                d[j] = [np.zeros(shape) for shape in shapes]
        if s % tau == 0 and any(s <= k for k in steps):
            round_()
    for j in range(n):
        if not syncing[j]:
            syncing[j] = True
            d[j] = [np.zeros(shape) for shape in shapes]
    round_(final=True)
    return p, [c[0]] * n  # the root's center is scattered


@pytest.mark.parametrize("steps", [[4, 4, 4], [3, 5, 6], [7, 2]])
def test_ea_matches_the_elastic_averaging_formula(steps):
    tau, alpha, lr, shapes = 2, 0.3, 0.05, [(4,), (2, 3)]

    def work(tree):
        ea = AllReduceEA(tree, tau, alpha)
        j = tree.nodeIndex
        params = [torch.DoubleTensor(*s).fill(1) for s in shapes]
        for s in range(1, steps[j] + 1):
            for i, shape in enumerate(shapes):
                params[i].add(-lr, torch.from_numpy(grad_of(j, 10 * s + i, shape)))
            ea.averageParameters(params)
        ea.synchronizeCenter(params)
        return [x.numpy().copy() for x in params], [x.numpy().copy() for x in ea.center], ea.step

    results = ok(run_nodes(len(steps), work))
    p_ref, c_ref = ea_reference(steps, tau, alpha, lr, shapes)
    for j, (params, center, step) in enumerate(results):
        assert step == 0
        for i in range(len(shapes)):
            np.testing.assert_allclose(params[i], p_ref[j][i], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(center[i], c_ref[j][i], rtol=1e-12, atol=1e-14)
            assert center[i].tobytes() == results[0][1][i].tobytes()


def test_ea_center_starts_at_the_first_params_and_checks_them():
    ea = AllReduceEA(NullTree(), tau=3, alpha=0.5)
    w = torch.DoubleTensor([2.0, 4.0])
    ea.averageParameters(w)
    assert ea.center[0].totable() == [2, 4] and ea.center[0] is not w
    with pytest.raises(ValueError, match="same tensors"):
        ea.averageParameters(torch.DoubleTensor([2.0, 4.0]))
    with pytest.raises(ValueError, match="tau"):
        AllReduceEA(NullTree(), tau=0, alpha=0.1)


# ---- MPITree on a fake communicator ------------------------------------------------------------

FakeMPI = types.SimpleNamespace(SUM="SUM", MAX="MAX", MIN="MIN", PROD="PROD", IN_PLACE=object())
_REDUCE = {"SUM": np.add, "MAX": np.maximum, "MIN": np.minimum, "PROD": np.multiply}


class FakeWorld:
    """What the ranks share: a slot per rank and a barrier."""

    def __init__(self, n):
        self.n, self.slots, self.barrier, self.calls = n, [None] * n, threading.Barrier(n, timeout=TIMEOUT), []


class FakeComm:
    """The mpi4py.MPI.Comm methods MPITree calls, for ranks that are threads of this process."""

    def __init__(self, world, rank):
        self.world, self.rank = world, rank

    def Get_rank(self):
        return self.rank

    def Get_size(self):
        return self.world.n

    def _exchange(self, buf):
        assert isinstance(buf, np.ndarray) and buf.flags.c_contiguous, "MPI needs contiguous buffers"
        w = self.world
        w.slots[self.rank] = buf.copy()
        w.barrier.wait()
        everyone = list(w.slots)
        w.barrier.wait()  # nobody overwrites a slot before all have read them
        return everyone

    def Allreduce(self, sendbuf, recvbuf, op=FakeMPI.SUM):
        self.world.calls.append(("Allreduce", self.rank, op))
        src = recvbuf if sendbuf is FakeMPI.IN_PLACE else sendbuf
        everyone = self._exchange(src)
        acc = everyone[0].copy()
        for other in everyone[1:]:
            acc = _REDUCE[op](acc, other)
        recvbuf[...] = acc

    def Allgather(self, sendbuf, recvbuf):
        self.world.calls.append(("Allgather", self.rank, None))
        recvbuf[...] = np.stack(self._exchange(sendbuf))

    def Bcast(self, buf, root=0):
        self.world.calls.append(("Bcast", self.rank, root))
        buf[...] = self._exchange(buf)[root]


def run_mpi(n, fn):
    world = FakeWorld(n)
    results, errors = [None] * n, [None] * n

    def rank(r):
        try:
            results[r] = fn(MPITree(FakeComm(world, r), FakeMPI))
        except BaseException as e:
            errors[r] = e
            world.barrier.abort()

    threads = [threading.Thread(target=rank, args=(r,), daemon=True) for r in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(3 * TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a rank hung"
    return ok((results, errors)), world.calls


def test_mpi_tree_allreduce_and_scatter():
    n = 4

    def work(tree):
        r = tree.nodeIndex
        x = torch.DoubleTensor([[1, 2, 3], [4, 5, 6]]).mul(r + 1).t()  # non-contiguous: copied through MPI
        v = [x, torch.LongTensor([r, -r]), r, 0.5 * r]
        out, count = tree.allReduce(v)
        m = torch.FloatTensor([r, 3 - r])
        tree.allReduce(m, "max")
        s = tree.scatter([torch.DoubleTensor(2).fill(r + 5), r + 1])
        return out[0].totable(), out[1].totable(), out[2], out[3], count, m.totable(), s[0].totable(), s[1]

    results, calls = run_mpi(n, work)
    for x, lng, i, f, count, m, s0, s1 in results:
        assert x == [[10, 40], [20, 50], [30, 60]] and lng == [6, -6] and i == 6 and f == 3.0
        assert count == n and m == [3, 3] and s0 == [5, 5] and s1 == 1
    ops = [c for c in calls if c[1] == 0]
    assert [c[0] for c in ops] == ["Allreduce"] * 7 + ["Bcast"] * 2  # 4 leaves + count, 1 leaf + count
    assert ops[5][2] == "MAX"


def test_mpi_tree_custom_reduce_gathers_and_is_identical_everywhere():
    def work(tree):
        x = torch.from_numpy(np.random.default_rng(tree.nodeIndex).standard_normal(6).astype(np.float32))
        tree.allReduce(x, lambda a, b: a.add(b))
        k, _ = tree.allReduce(tree.nodeIndex + 1, lambda a, b: a * b)
        return x.numpy().copy(), k

    results, calls = run_mpi(3, work)
    expect = np.zeros(6, np.float32)
    for r in range(3):  # rank order
        expect = expect + np.random.default_rng(r).standard_normal(6).astype(np.float32)
    for x, k in results:
        assert x.tobytes() == expect.tobytes() and k == 6
    assert sum(c[0] == "Allgather" for c in calls) == 6


def test_mpi_tree_uneven_endings():
    n = 4

    def work(tree):
        j, total, counts = tree.nodeIndex, 0, []
        for _ in range(j + 1):
            v, c = tree.allReduce(j + 1)
            total, counts = total + v, counts + [c]
        v, c = tree.allReduce(None, "sum", lambda a, i: 0)
        return total + v, counts, c

    results, _ = run_mpi(n, work)
    for j, (total, counts, last) in enumerate(results):
        assert total == sum(sum(range(s, n + 1)) for s in range(1, j + 2))
        assert counts == [n - s for s in range(j + 1)] and last == 0


def test_sgd_on_mpi_tree():
    def work(tree):
        g = torch.from_numpy(grad_of(tree.nodeIndex, 0))
        AllReduceSGD(tree).sumAndNormalizeGradients(g)
        return g.numpy().copy()

    results, _ = run_mpi(3, work)
    for g in results:
        np.testing.assert_allclose(g, np.mean([grad_of(j, 0) for j in range(3)], axis=0), rtol=1e-12)


def test_mpi_tree_without_mpi4py_says_which_extra():
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match=re.escape("pip install torch7[mpi] (extra mpi)")):
            MPITree()
    else:
        pytest.skip("mpi4py is installed")


def test_mpi_tree_real_mpi4py():
    pytest.importorskip("mpi4py")
    tree = MPITree()
    x = torch.DoubleTensor(3).fill(1)
    _, n = tree.allReduce(x)
    assert n == tree.numNodes and x.sum() == 3 * tree.numNodes


# ---- the process group, launch, the example ------------------------------------------------------

def _group_node(tree):
    dist.init(tree)
    r, n = dist.rank(), dist.size()
    x = dist.allreduce(torch.DoubleTensor([r + 1]))
    bits = torch.DoubleTensor([math.nan, -0.0, 1 / 3 + r])
    dist.broadcast(bits, root=1)  # from a node that is not the tree's root
    y = torch.FloatTensor(2, 3).fill(r).t()
    dist.broadcast(y, root=0)
    dist.barrier()
    return r, n, x[0], bits.numpy().tobytes(), y.totable()


def _fails_on_node_1(tree, message):
    if tree.nodeIndex == 1:
        raise ValueError(message)
    tree.allReduce(1)  # the others wait for node 1 and see it go away


def _dies_on_node_2(tree):
    if tree.nodeIndex == 2:
        os._exit(3)
    tree.allReduce(1)


def test_launch_group_functions():
    results = dist.launch(_group_node, 3, timeout=TIMEOUT)
    expect_bits = np.array([math.nan, -0.0, 1 / 3 + 1]).tobytes()
    assert [r[:3] for r in results] == [(0, 3, 6.0), (1, 3, 6.0), (2, 3, 6.0)]
    assert all(r[3] == expect_bits and r[4] == [[0, 0], [0, 0], [0, 0]] for r in results)


def test_launch_reraises_a_worker_error_with_its_node_index():
    with pytest.raises(ValueError, match="bad shard") as info:
        dist.launch(_fails_on_node_1, 3, "bad shard", timeout=TIMEOUT)
    assert info.value.nodeIndex == 1
    assert any("raised on node 1 of 3" in note for note in info.value.__notes__)


def test_launch_reports_a_node_that_dies():
    with pytest.raises(DistributedError, match="node 2 exited with code 3"):
        dist.launch(_dies_on_node_2, 3, timeout=TIMEOUT)


def test_group_needs_init():
    dist.init(None)
    with pytest.raises(RuntimeError, match="init"):
        dist.rank()
    dist.init(NullTree())
    with pytest.raises(ValueError, match="root"):
        dist.broadcast(torch.FloatTensor(1), root=1)
    dist.init(None)


@pytest.mark.parametrize("args,steps", [(["--batch", "2", "--epochs", "2"], [720, 718]),
                                        (["--ea", "--nodes", "3", "--epochs", "3"], [90, 90, 90])])
def test_example_runs(args, steps):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "distributed_digits.py"), *args],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    m = re.search(r"test error: ([\d.]+)% \(.*steps per node (\[.*\])\)", out.stdout)
    assert m, out.stdout
    assert float(m.group(1)) < 15 and json.loads(m.group(2)) == steps
