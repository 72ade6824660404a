"""distributed benchmark: all-reduce (sum) of a float32 tensor across local processes, torch7.distributed's
TCP tree against PyTorch's ``torch.distributed`` on its gloo backend.

Every process builds both (our ``LocalhostTree`` through ``distributed.launch``, and a gloo process group
on a TCP store whose port node 0 hands out through our tree) and times them alternately in one process:
the median over ``--iters`` rounds, each round started together (a barrier of each side before its own
timing). Also the distlearn step ``AllReduceSGD.sumAndNormalizeGradients`` on the flat gradients of a
784-1024-1024-10 MLP (1.86M numbers) against gloo's ``all_reduce`` + division.

Ratio = torch7 / PyTorch (below 1.0: torch7 is faster).

Run: ``python benchmarks/distributed.py [--nodes 2] [--iters 30]``.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time

import torch7
from torch7 import distributed

SIZES = (1, 1000, 100_000, 1_000_000, 4_000_000)
MLP_PARAMS = 784 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _median(fn, barrier, iters: int) -> float:
    fn()
    times = []
    for _ in range(iters):
        barrier()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _node(tree, iters: int) -> list:
    import torch
    import torch.distributed as dist

    port = torch7.LongTensor([_free_port() if tree.nodeIndex == 0 else 0])
    tree.scatter(port)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{int(port[0])}", rank=tree.nodeIndex,
                            world_size=tree.numNodes)
    torch.set_num_threads(1)
    n = tree.numNodes

    def ours_barrier():
        tree.allReduce(0)

    rows = []
    for size in SIZES:
        x = torch7.FloatTensor(size).fill(tree.nodeIndex + 1)
        px = torch.full((size,), float(tree.nodeIndex + 1))
        ours = _median(lambda x=x: tree.allReduce(x), ours_barrier, iters)
        peer = _median(lambda px=px: dist.all_reduce(px), dist.barrier, iters)
        rows.append((f"allReduce n={size:.0e}", ours, peer))
    sgd = distributed.AllReduceSGD(tree)
    grads = torch7.FloatTensor(MLP_PARAMS).fill(1)
    pgrads = torch.ones(MLP_PARAMS)

    def peer_sgd():
        dist.all_reduce(pgrads)
        pgrads.div_(n)

    ours = _median(lambda: sgd.sumAndNormalizeGradients(grads), ours_barrier, iters)
    rows.append(("AllReduceSGD MLP grads", ours, _median(peer_sgd, dist.barrier, iters)))
    dist.destroy_process_group()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=2)
    ap.add_argument("--iters", type=int, default=30)
    args = ap.parse_args()
    try:
        import torch  # noqa: F401 - the peer must be there before processes start
    except ImportError:  # pragma: no cover
        sys.exit("benchmarks/distributed.py needs PyTorch: pip install torch==2.13.0")
    results = distributed.launch(_node, args.nodes, args.iters)
    print(f"all-reduce across {args.nodes} local processes, float32, median of {args.iters} rounds "
          "(node 0's times; the slowest node's in brackets)")
    print(f"{'case':<26}{'torch7 ms':>18}{'gloo ms':>18}{'ratio':>8}")
    for i, (name, ours, peer) in enumerate(results[0]):
        worst_ours = max(r[i][1] for r in results)
        worst_peer = max(r[i][2] for r in results)
        print(f"{name:<26}{ours * 1e3:>9.3f} [{worst_ours * 1e3:>6.3f}]{peer * 1e3:>9.3f} [{worst_peer * 1e3:>6.3f}]"
              f"{ours / peer:>8.2f}")


if __name__ == "__main__":
    main()
