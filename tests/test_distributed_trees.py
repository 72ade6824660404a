"""torch7.distributed tree constructors: StaticTree, LocalhostTree (file, port, default rendezvous), NullTree.

Nodes run as threads (``run_nodes`` from test_distributed.py) except in the default-rendezvous test,
which starts real processes: their rendezvous file is named after their parent, this process.
"""

from __future__ import annotations

import multiprocessing
import socket

import pytest
from test_distributed import TIMEOUT, ok, run_nodes

import torch7 as torch
from torch7.distributed import DistributedError, LocalhostTree, NullTree, StaticTree

# ---- the tree constructors -----------------------------------------------------------------------

def test_static_tree():
    def build(i, publish, query):
        if i == 0:
            return StaticTree(0, 3, "127.0.0.1", 0, publish=publish, timeout=TIMEOUT)
        host, port = query()
        return StaticTree(i, 3, host, port, timeout=TIMEOUT)

    for v in ok(run_nodes(3, lambda t: t.allReduce(t.nodeIndex + 1)[0], build=build)):
        assert v == 6


def test_localhost_tree_with_rendezvous_file(tmp_path):
    path = tmp_path / "rdv.json"

    def build(i, publish, query):
        return LocalhostTree(i, 5, 3, rendezvous=path, timeout=TIMEOUT)

    for v in ok(run_nodes(5, lambda t: t.allReduce(torch.LongTensor([t.nodeIndex]))[0][0], build=build)):
        assert v == 10
    assert not path.exists()  # the root removed it once everyone had joined


def test_localhost_tree_with_port():
    with socket.socket() as s:  # a port the OS just handed out
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    def build(i, publish, query):
        return LocalhostTree(i, 2, port=port, timeout=TIMEOUT)

    assert ok(run_nodes(2, lambda t: t.allReduce(2)[0], build=build)) == [4, 4]


def _default_rendezvous_node(i, n, q):
    tree = LocalhostTree(i, n, timeout=TIMEOUT)  # the file named after the parent (this test's) pid
    q.put((i, tree.allReduce(torch.DoubleTensor([i + 1]))[0][0]))
    tree.close()


def test_localhost_tree_processes_default_rendezvous():
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=_default_rendezvous_node, args=(i, 3, q), daemon=True) for i in range(3)]
    for p in procs:
        p.start()
    got = dict(q.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(TIMEOUT)
    assert got == {0: 6.0, 1: 6.0, 2: 6.0}
    assert all(p.exitcode == 0 for p in procs)


def test_null_tree():
    tree = NullTree()
    x = torch.FloatTensor(2).fill(1)
    assert tree.allReduce(x, lambda a, b: a.add(b)) == (x, 1)
    assert tree.allReduce(None, "sum", lambda v, i: 0) == (None, 1)  # torch-ipc: zero is ignored
    assert tree.scatter([x]) == [x] and tree.netStats()["bytesSent"] == 0
    assert repr(tree) == "NullTree(nodeIndex=0, numNodes=1)"
    tree.close()
    with pytest.raises(DistributedError, match="closed"):
        tree.allReduce(x)
